"""References for what a plan will create, read from the plan's configuration.

A plan does not know the ids of resources it has not created yet, nor the
attributes that will hold them (`subnet_id` is "known after apply"). Its
`configuration` section does know what each attribute refers to:
`expressions.subnet_id.references = ["aws_subnet.app[0].id", ...]`. Those
references, turned into instance addresses in the referring resource's module,
name the resources the plan will create, whose inventory id is that address.
So a plan of a new estate still has its parents and relationships.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cloudviz.sources.files.terraform_refs import ReferenceIndex, strings_at
from cloudviz.sources.files.terraform_rules import LINKS, REFS
from cloudviz.sources.files.terraform_stream import CONFIG_RESOURCE_LIST

_MODULE_CALL = re.compile(r"\.module_calls\.([^.]+)\.module")
# A managed resource's address at the start of a reference; variables, locals,
# module outputs, data sources and iteration symbols are not resources.
_RESOURCE_REFERENCE = re.compile(
    r"^(?!(?:var|local|module|data|each|count|path|self|terraform)\.)"
    r"([a-z][\w-]*\.[\w-]+(?:\[[^\]]*\])?)"
)
_INDEX = re.compile(r"\[[^\]]*\]")
_LAST_INDEX = re.compile(r"\[[^\]]*\]$")


@dataclass(slots=True)
class ConfigResource:
    """One resource block of the configuration, in its (unexpanded) module."""

    key: str  # module path and address without instance keys
    type: str
    expressions: dict[str, Any]


def config_resource(prefix: str, entry: Any) -> ConfigResource | None:
    """The resource block at ijson `prefix`, or None when it is not one."""
    match = CONFIG_RESOURCE_LIST.match(prefix)
    if not match or not isinstance(entry, dict):
        return None
    address, rtype = entry.get("address"), entry.get("type")
    expressions = entry.get("expressions")
    if not isinstance(address, str) or not isinstance(rtype, str):
        return None
    if not isinstance(expressions, dict) or entry.get("mode", "managed") != "managed":
        return None
    modules = "".join(f"module.{name}." for name in _MODULE_CALL.findall(match[1]))
    return ConfigResource(f"{modules}{address}", rtype, expressions)


@dataclass(slots=True)
class PlannedInstance:
    address: str
    type: str
    scope: str
    resource_id: str | None  # None for link-only types


def add_plan_references(
    configuration: list[ConfigResource],
    instances: list[PlannedInstance],
    index: ReferenceIndex,
) -> None:
    """Record the references the configuration gives each planned instance."""
    blocks = {block.key: block for block in configuration}
    for instance in instances:
        if instance.resource_id:
            index.aliases.setdefault(instance.address, instance.resource_id)
    for instance in instances:
        block = blocks.get(_INDEX.sub("", instance.address))
        if block is None:
            continue
        where = _Where(instance)
        if instance.resource_id:
            for ref in REFS.get(instance.type, ()):
                targets = where.addresses(block.expressions, ref.path)
                if targets:
                    index.add_reference(
                        instance.resource_id, instance.scope, ref, targets
                    )
        for link in LINKS.get(instance.type, ()):
            sources = where.addresses(block.expressions, link.source)
            targets = where.addresses(block.expressions, link.target)
            if sources and targets:
                index.add_link_values(instance.scope, link, sources, targets)


class _Where:
    """Turns an instance's configuration references into instance addresses."""

    def __init__(self, instance: PlannedInstance) -> None:
        self.module = instance.address[: instance.address.rfind(f"{instance.type}.")]
        own_index = _LAST_INDEX.search(instance.address)
        self.own_index = own_index[0] if own_index else ""

    def addresses(self, expressions: dict[str, Any], path: str) -> list[str]:
        found = []
        for reference in strings_at(expressions, f"{path}.references"):
            match = _RESOURCE_REFERENCE.match(reference)
            if not match:
                continue
            address = f"{self.module}{match[1]}"
            found.append(address)
            if self.own_index and not address.endswith("]"):
                # `aws_subnet.app[count.index]` is reported as `aws_subnet.app`:
                # the instance with our own index is the likely one.
                found.append(address + self.own_index)
        return list(dict.fromkeys(found))
