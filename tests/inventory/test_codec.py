import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from cloudviz.errors import ValidationError
from cloudviz.inventory.codec import (
    dumps_inventory,
    inventory_from_dict,
    loads_inventory,
    read_inventory,
    write_inventory,
)
from cloudviz.inventory.kinds import KINDS, RELATIONSHIP_TYPES
from cloudviz.inventory.model import Inventory, Relationship, Resource
from cloudviz.inventory.schema import inventory_json_schema
from tests.factories import small_network


def test_round_trip_keeps_everything(tmp_path):
    inventory = small_network()
    path = tmp_path / "inv.json"
    write_inventory(inventory, path)
    assert read_inventory(path) == inventory


def test_written_file_matches_published_schema():
    document = json.loads(dumps_inventory(small_network()))
    Draft202012Validator(inventory_json_schema()).validate(document)


def test_bad_kind_is_named_by_path():
    document = json.loads(dumps_inventory(small_network()))
    document["resources"][2]["kind"] = "no.such.kind"
    with pytest.raises(ValidationError) as caught:
        inventory_from_dict(document)
    assert str(caught.value.message) == (
        "resources[2].kind: 'no.such.kind' is not a known kind"
    )
    assert caught.value.cv_code == "CV010"


def test_newer_schema_version_names_the_version_this_build_reads():
    with pytest.raises(ValidationError, match="this build of CloudViz reads version 1"):
        inventory_from_dict({"schema_version": 2, "resources": []})


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["resources"][0].pop("id"), "resources[0].id: is required"),
        (lambda d: d["resources"][1].update(parent="nope"), "resources[1].parent"),
        (lambda d: d["relationships"][0].update(type="likes"), "relationships[0].type"),
        (lambda d: d["relationships"][0].update(target="x"), "relationships[0].target"),
        (lambda d: d["resources"][0].update(tags={"a": 1}), "resources[0].tags.a"),
        (lambda d: d.update(resources={}), "resources: expected a list"),
        (lambda d: d["resources"].append(d["resources"][0]), "resources[5].id"),
    ],
)
def test_each_broken_field_is_reported_where_it_is(mutate, path):
    document = json.loads(dumps_inventory(small_network()))
    mutate(document)
    with pytest.raises(
        ValidationError, match=path.replace("[", r"\[").replace("]", r"\]")
    ):
        inventory_from_dict(document)


def test_truncated_file_is_a_clean_cv010():
    with pytest.raises(ValidationError, match="not valid JSON"):
        loads_inventory(dumps_inventory(small_network())[:-20])


_text = st.text(min_size=1, max_size=12)


@st.composite
def inventories(draw):
    ids = draw(st.lists(_text, min_size=0, max_size=8, unique=True))
    resources = [
        Resource(
            id=rid,
            provider=draw(st.sampled_from(["aws", "azure", "gcp"])),
            type=draw(_text),
            kind=draw(st.sampled_from(KINDS)),
            name=draw(_text),
            region=draw(st.none() | _text),
            parent=draw(st.none() | st.sampled_from(ids)) if ids else None,
            tags=draw(st.dictionaries(_text, st.text(max_size=5), max_size=3)),
            properties=draw(
                st.dictionaries(
                    _text,
                    st.integers(-(2**63), 2**63 - 1) | st.text() | st.booleans(),
                    max_size=3,
                )
            ),
        )
        for rid in ids
    ]
    relationships = []
    if ids:
        relationships = draw(
            st.lists(
                st.builds(
                    Relationship,
                    st.sampled_from(ids),
                    st.sampled_from(ids),
                    st.sampled_from(RELATIONSHIP_TYPES),
                ),
                max_size=6,
            )
        )
    return Inventory(
        name="p",
        source_kind="test",
        resources=resources,
        relationships=relationships,
        created_at="2026-01-01T00:00:00Z",
    )


@settings(max_examples=150, deadline=None)
@given(inventories())
def test_any_inventory_survives_a_round_trip(inventory):
    assert loads_inventory(dumps_inventory(inventory)) == inventory


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_garbage_is_a_cv010_never_a_crash(data):
    with contextlib.suppress(ValidationError):
        loads_inventory(data)


def test_atomic_writes_are_readable_like_plain_files(tmp_path):
    import os

    from cloudviz.inventory.codec import write_atomically

    path = tmp_path / "out.svg"
    write_atomically(path, b"<svg/>")
    assert path.stat().st_mode & 0o777 == 0o644
    os.chmod(path, 0o600)
    write_atomically(path, b"<svg/>")
    assert path.stat().st_mode & 0o777 == 0o600  # an existing file keeps its mode
