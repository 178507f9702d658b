"""Every importer, fed damaged files, gives a valid inventory or a CV010 error.

The harness is generic: it takes every format in `registry.FORMATS` and every
sample under `tests/fixtures/imports/`, so a new importer or a new sample is
covered without touching this file. Each sample is damaged the ways real
files are: cut short, overwritten with random bytes, keys deleted, values
swapped for other JSON types. Whatever comes out must either pass the strict
inventory reader or be a `ValidationError` (CV010); any other exception is a
bug a user would see as a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudviz.errors import ValidationError
from cloudviz.inventory.codec import dumps_inventory, inventory_from_dict
from cloudviz.sources.files.registry import FORMATS, detect_format, import_files
from cloudviz.sources.files.source import ImportSource

SAMPLES_ROOT = Path(__file__).parents[2] / "fixtures" / "imports"
SAMPLES = sorted(path for path in SAMPLES_ROOT.rglob("*") if path.is_file())
FORMAT_CHOICES = ["auto", *(fmt.name for fmt in FORMATS)]
EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

JsonPath = tuple[str | int, ...]
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def sample_id(path: Path) -> str:
    return str(path.relative_to(SAMPLES_ROOT))


# -- reading the samples as JSON documents -------------------------------------------


def parse_sample(data: bytes) -> tuple[str, list[Any]]:
    """("json", [doc]) or ("ndjson", [doc per line]); ("bytes", []) otherwise."""
    try:
        return "json", [json.loads(data)]
    except ValueError:
        pass
    try:
        lines = [json.loads(line) for line in data.splitlines() if line.strip()]
    except ValueError:
        return "bytes", []
    return "ndjson", lines


def serialise(shape: str, documents: list[Any]) -> bytes:
    if shape == "ndjson":
        return b"".join(json.dumps(doc).encode() + b"\n" for doc in documents)
    return json.dumps(documents[0]).encode()


def all_paths(value: Any, prefix: JsonPath = ()) -> list[JsonPath]:
    """Every path into a document, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(all_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            found.extend(all_paths(item, (*prefix, position)))
    return found


def replaced(document: Any, path: JsonPath, change: Callable[[Any], Any]) -> Any:
    """A copy of `document` with the value at `path` changed (or deleted)."""
    if not path:
        return change(document)
    head, rest = path[0], path[1:]
    copy = dict(document) if isinstance(document, dict) else list(document)
    if rest:
        copy[head] = replaced(copy[head], rest, change)  # type: ignore[index]
        return copy
    new = change(copy[head])  # type: ignore[index]
    if new is _DELETE:
        del copy[head]  # type: ignore[arg-type]
    else:
        copy[head] = new  # type: ignore[index]
    return copy


_DELETE = object()


def other_type(value: Any, replacement: Any) -> Any:
    """`replacement`, unless it is of the same JSON type as `value`."""
    if type(replacement) is type(value):
        return [replacement]
    return replacement


# -- damage strategies ----------------------------------------------------------------


@st.composite
def truncated(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))]


@st.composite
def overwritten(draw: st.DrawFn, data: bytes) -> bytes:
    start = draw(st.integers(min_value=0, max_value=len(data)))
    noise = draw(st.binary(min_size=1, max_size=16))
    return data[:start] + noise + data[start + len(noise) :]


@st.composite
def restructured(draw: st.DrawFn, data: bytes) -> bytes:
    """Keys deleted and values swapped for other JSON types, one to three times."""
    shape, documents = parse_sample(data)
    if not documents:
        return draw(overwritten(data))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        line = draw(st.integers(min_value=0, max_value=len(documents) - 1))
        paths = all_paths(documents[line])
        path = paths[draw(st.integers(min_value=0, max_value=len(paths) - 1))]
        if path and draw(st.booleans()):
            documents[line] = replaced(documents[line], path, lambda _: _DELETE)
        else:
            new = draw(json_values)
            documents[line] = replaced(
                documents[line], path, lambda old, new=new: other_type(old, new)
            )
    return serialise(shape, documents)


def damaged(data: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(
        truncated(data),
        overwritten(data),
        restructured(data),
        restructured(data),
        st.binary(max_size=256),
    )


# -- the property -----------------------------------------------------------------


def assert_valid_or_cv010(path: Path, file_format: str) -> None:
    try:
        inventory = import_files([path], file_format=file_format)
    except ValidationError as exc:
        refusal: ValidationError = exc
    else:
        inventory_from_dict(inventory.to_dict())
        dumps_inventory(inventory)
        return
    assert refusal.cv_code == "CV010"
    assert refusal.message


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("damaged") / "input"


@pytest.mark.parametrize("file_format", FORMAT_CHOICES)
@pytest.mark.parametrize("sample", SAMPLES, ids=sample_id)
@EXAMPLES
@given(data=st.data())
def test_damaged_samples_give_an_inventory_or_cv010(
    scratch: Path, sample: Path, file_format: str, data: st.DataObject
) -> None:
    scratch.write_bytes(data.draw(damaged(sample.read_bytes()), label="input"))
    assert_valid_or_cv010(scratch, file_format)


@pytest.mark.parametrize("file_format", FORMAT_CHOICES)
@pytest.mark.parametrize("sample", SAMPLES, ids=sample_id)
def test_undamaged_samples_give_an_inventory_or_cv010(
    sample: Path, file_format: str
) -> None:
    # A sample read as another format must be refused cleanly, not crash.
    assert_valid_or_cv010(sample, file_format)


def test_every_format_has_a_sample() -> None:
    detected = {detect_format(ImportSource(sample)).name for sample in SAMPLES}
    missing = {fmt.name for fmt in FORMATS} - detected
    assert not missing, f"add samples under {SAMPLES_ROOT} for: {sorted(missing)}"
