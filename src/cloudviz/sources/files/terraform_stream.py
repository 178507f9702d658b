"""Stream the resources out of a Terraform state or plan, one at a time.

Three shapes are read, told apart by their top-level keys, never by the file
name:

- `terraform show -json` of a state: `values.root_module`, whose modules nest
  through `child_modules` to any depth;
- `terraform show -json` of a plan: `planned_values.root_module` in the same
  shape, plus `resource_changes` saying what the plan will do to each address;
- a raw `terraform.tfstate` (version 4): `resources[]`, each with its
  `instances[]` (one per `count` index or `for_each` key).

The document is never held whole: `ijson` parses events from the stream and
only one resource object at a time is built, so a 100 MB state costs the
memory of its largest resource plus what the caller keeps. Values Terraform
marks sensitive are removed here, before any other code sees them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from cloudviz.errors import ValidationError

# Resource lists of `show -json` modules, at any depth of `child_modules`. The
# plan's `prior_state` and `configuration` are deliberately not matched.
_MODULE_RESOURCE_LIST = re.compile(
    r"^(?:values|planned_values)\.root_module(?:\.child_modules\.item)*\.resources"
    r"\.item$"
)
_RAW_RESOURCE_LIST = "resources.item"
# Plans only: the resource blocks of the configuration, in nested module calls.
CONFIG_RESOURCE_LIST = re.compile(
    r"^configuration\.root_module((?:\.module_calls\.[^.]+\.module)*)"
    r"\.resources\.item$"
)
_CHANGE_ADDRESS = "resource_changes.item.address"
_CHANGE_ACTION = "resource_changes.item.change.actions.item"
# How Terraform itself starts a raw state file; such files take a faster path.
_RAW_STATE_START = re.compile(
    r'^\s*\{\s*"version"\s*:\s*(\d+)\s*,\s*"terraform_version"\s*:\s*"([^"]*)"'
)
_OPENERS = frozenset(("start_map", "start_array"))
_CLOSERS = frozenset(("end_map", "end_array"))


@dataclass(slots=True)
class TerraformHeader:
    """What the document says about itself, filled in while it streams."""

    top_level_keys: set[str] = field(default_factory=set)
    version: Any = None
    format_version: Any = None
    terraform_version: str | None = None
    # Plans only: address -> the actions planned for it ("create", "update", ...).
    planned_actions: dict[str, str] = field(default_factory=dict)
    # Plans only: (ijson prefix, object) of each configuration resource block.
    configuration: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def shape(self) -> str:
        if self.top_level_keys & {"planned_values", "resource_changes"}:
            return "plan"
        if "format_version" in self.top_level_keys:
            return "state"
        return "raw-state"


@dataclass(slots=True)
class TerraformInstance:
    """One resource instance: a `count` index or `for_each` key, or the only one."""

    address: str
    mode: str
    type: str
    provider: str
    values: dict[str, Any]


def stream_instances(
    handle: IO[bytes], header: TerraformHeader, origin: str, head: str = ""
) -> Iterator[TerraformInstance]:
    """Every resource instance of the document, sensitive values removed.

    Fills `header` as the document streams; its `shape` and versions are only
    complete once the iterator is exhausted. `head`, the file's first bytes,
    lets a raw state written by Terraform take a path about four times faster.
    """
    raw_start = _RAW_STATE_START.match(head)
    if raw_start:
        header.top_level_keys.update(("version", "terraform_version"))
        header.version = int(raw_start.group(1))
        header.terraform_version = raw_start.group(2)
        entries = _raw_resource_objects(handle, origin)
    else:
        entries = _resource_objects(handle, header, origin)
    for ordinal, (prefix, entry) in enumerate(entries, start=1):
        where = f"{origin}: resource #{ordinal}"
        if prefix.startswith("configuration."):
            header.configuration.append((prefix, entry))
            continue
        if not isinstance(entry, dict):
            raise _bad(where, f"expected an object, got {type(entry).__name__}")
        if prefix == _RAW_RESOURCE_LIST:
            yield from _raw_instances(entry, where)
        else:
            yield _module_instance(entry, where)


def _raw_resource_objects(handle: IO[bytes], origin: str) -> Iterator[tuple[str, Any]]:
    """The `resources[]` entries of a raw state, built by ijson's C backend."""
    try:
        for entry in ijson.items(handle, _RAW_RESOURCE_LIST, use_float=True):
            yield _RAW_RESOURCE_LIST, entry
    except ijson.JSONError as exc:
        raise _bad(origin, f"not valid JSON ({_first_line(exc)})") from None
    except UnicodeDecodeError:
        raise _bad(origin, "not UTF-8 text") from None


def _resource_objects(
    handle: IO[bytes], header: TerraformHeader, origin: str
) -> Iterator[tuple[str, Any]]:
    """(prefix, object) for each resource entry, built one at a time.

    Works whatever the order of the keys and the depth of the modules.
    """
    builder: ObjectBuilder | None = None
    building = ""
    depth = 0
    change_address: str | None = None
    try:
        for prefix, event, value in ijson.parse(handle, use_float=True):
            if builder is not None:
                builder.event(event, value)
                if event in _OPENERS:
                    depth += 1
                elif event in _CLOSERS:
                    depth -= 1
                    if depth == 0:
                        yield building, builder.value
                        builder = None
                continue
            if event in _OPENERS and (
                prefix == _RAW_RESOURCE_LIST
                or _MODULE_RESOURCE_LIST.match(prefix)
                or CONFIG_RESOURCE_LIST.match(prefix)
            ):
                builder = ObjectBuilder()
                builder.event(event, value)
                building, depth = prefix, 1
            elif prefix == "" and event == "map_key":
                header.top_level_keys.add(value)
            elif prefix in ("version", "format_version") and event != "map_key":
                setattr(header, prefix, value)
            elif prefix == "terraform_version" and isinstance(value, str):
                header.terraform_version = value
            elif prefix == _CHANGE_ADDRESS and isinstance(value, str):
                change_address = value
            elif prefix == _CHANGE_ACTION and change_address and isinstance(value, str):
                earlier = header.planned_actions.get(change_address)
                header.planned_actions[change_address] = (
                    f"{earlier}+{value}" if earlier else value
                )
    except ijson.JSONError as exc:
        raise _bad(origin, f"not valid JSON ({_first_line(exc)})") from None
    except UnicodeDecodeError:
        raise _bad(origin, "not UTF-8 text") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _module_instance(entry: dict[str, Any], where: str) -> TerraformInstance:
    """A resource of `show -json`'s `root_module`/`child_modules` shape."""
    rtype = _text(entry, "type", where)
    name = _text(entry, "name", where)
    address = entry.get("address")
    if not isinstance(address, str) or not address:
        address = f"{rtype}.{name}{_index_suffix(entry.get('index'))}"
    values = _mapping(entry.get("values"), f"{where}.values")
    marks = entry.get("sensitive_values")
    if marks is True:
        values = {}
    elif marks:
        values = _drop_marked(values, marks)
    return TerraformInstance(
        address=address,
        mode=_optional_text(entry, "mode") or "managed",
        type=rtype,
        provider=_optional_text(entry, "provider_name") or "",
        values=values,
    )


def _raw_instances(entry: dict[str, Any], where: str) -> Iterator[TerraformInstance]:
    """The instances of one `resources[]` entry of a raw version 4 state."""
    rtype = _text(entry, "type", where)
    name = _text(entry, "name", where)
    mode = _optional_text(entry, "mode") or "managed"
    module = _optional_text(entry, "module")
    base = f"{'data.' if mode == 'data' else ''}{rtype}.{name}"
    if module:
        base = f"{module}.{base}"
    instances = entry.get("instances")
    if instances is None:
        return
    if not isinstance(instances, list):
        raise _bad(f"{where}.instances", "expected a list")
    for number, instance in enumerate(instances):
        place = f"{where}.instances[{number}]"
        if not isinstance(instance, dict):
            raise _bad(place, f"expected an object, got {type(instance).__name__}")
        values = _mapping(instance.get("attributes"), f"{place}.attributes")
        paths = instance.get("sensitive_attributes")
        if paths:
            values = _drop_paths(values, paths)
        yield TerraformInstance(
            address=base + _index_suffix(instance.get("index_key")),
            mode=mode,
            type=rtype,
            provider=_optional_text(entry, "provider") or "",
            values=values,
        )


def _index_suffix(index: Any) -> str:
    if index is None or isinstance(index, (dict, list)):
        return ""
    if isinstance(index, str):
        return f'["{index}"]'
    return f"[{index}]"


# -- sensitive values ---------------------------------------------------------


def _drop_marked(values: Any, marks: Any) -> Any:
    """`values` without what `sensitive_values` (a mirror of it) marks `true`."""
    if isinstance(values, dict) and isinstance(marks, dict):
        kept = {}
        for key, value in values.items():
            mark = marks.get(key)
            if mark is True:
                continue
            kept[key] = _drop_marked(value, mark) if mark else value
        return kept
    if isinstance(values, list) and isinstance(marks, list):
        kept_items = []
        for position, value in enumerate(values):
            mark = marks[position] if position < len(marks) else None
            if mark is True:
                continue
            kept_items.append(_drop_marked(value, mark) if mark else value)
        return kept_items
    return values


def _drop_paths(values: dict[str, Any], paths: Any) -> dict[str, Any]:
    """`values` without the attribute paths a raw state lists as sensitive.

    Each path is a list of steps, `{"type": "get_attr", "value": "password"}`
    or `{"type": "index", "value": {"value": 0, "type": "number"}}`. A path we
    cannot follow removes its first attribute whole: losing a harmless value
    is better than keeping a secret.
    """
    if not isinstance(paths, list):
        return values
    for path in paths:
        steps = _path_steps(path)
        if steps:
            _remove_path(values, steps)
    return values


def _path_steps(path: Any) -> list[Any]:
    if not isinstance(path, list):
        return []
    steps: list[Any] = []
    for step in path:
        if not isinstance(step, dict):
            break
        value = step.get("value")
        if step.get("type") == "index" and isinstance(value, dict):
            value = value.get("value")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            break
        steps.append(value)
    return steps


def _remove_path(container: Any, steps: list[Any]) -> None:
    for position, step in enumerate(steps):
        last = position == len(steps) - 1
        if isinstance(container, dict) and isinstance(step, str) and step in container:
            if last:
                del container[step]
                return
            child = container[step]
        elif isinstance(container, list) and isinstance(step, int):
            if not -len(container) <= step < len(container):
                return
            if last:
                del container[step]
                return
            child = container[step]
        else:
            return
        if not isinstance(child, (dict, list)):
            # The path goes deeper than the value does: drop the value itself.
            if isinstance(container, dict):
                del container[step]
            else:
                container.pop(step)
            return
        container = child


# -- field access ---------------------------------------------------------------


def _bad(where: str, problem: str) -> ValidationError:
    return ValidationError(
        f"{where}: {problem}",
        hint="check that the file is a complete `terraform show -json` output or "
        "an unmodified terraform.tfstate",
    )


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise _bad(f"{where}.{key}", f"expected a non-empty string, got {value!r}")
    return value


def _optional_text(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _bad(where, f"expected an object, got {type(value).__name__}")
    return value
