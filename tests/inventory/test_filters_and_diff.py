from cloudviz.inventory.diff import diff_inventories, format_diff_text
from cloudviz.inventory.filters import ResourceFilter, apply_filter, parse_tag_filters
from cloudviz.inventory.model import Relationship
from tests.factories import make_inventory, make_resource, small_network


def test_filter_counts_every_dropped_resource_by_reason():
    inventory = make_inventory(
        [
            make_resource(id="a", group="prod-web"),
            make_resource(id="b", group="dev-web"),
            make_resource(id="c", group="PROD-db", region="us-east-1"),
        ]
    )
    criteria = ResourceFilter(resource_groups=("prod-*",), regions=("eu-*",))
    filtered, report = apply_filter(inventory, criteria)
    assert [r.id for r in filtered.resources] == ["a"]
    assert dict(report.dropped) == {"resource_group": 1, "region": 1}
    assert filtered.source_detail["filtered"]["dropped"] == 2


def test_max_resources_drops_are_counted_and_orphaned_parents_cleared():
    inventory = small_network()
    filtered, report = apply_filter(inventory, ResourceFilter(kinds=("compute.*",)))
    assert [r.id for r in filtered.resources] == ["i-1"]
    assert filtered.resources[0].parent is None
    assert inventory.resources[2].parent == "subnet-1"  # the original is intact
    assert report.dropped_relationships == 2
    _, report = apply_filter(inventory, ResourceFilter(max_resources=2))
    assert report.dropped["max_resources"] == 3


def test_tag_filters_accept_key_only_and_globs():
    inventory = make_inventory(
        [make_resource(id="a", tags={"env": "prod"}), make_resource(id="b", tags={})]
    )
    filtered, _ = apply_filter(
        inventory, ResourceFilter(tags=parse_tag_filters(["env"]))
    )
    assert [r.id for r in filtered.resources] == ["a"]
    filtered, _ = apply_filter(
        inventory, ResourceFilter(tags=parse_tag_filters(["env=pr*"]))
    )
    assert [r.id for r in filtered.resources] == ["a"]


def test_diff_reports_added_removed_changed_and_edges():
    old = small_network()
    new = small_network()
    new.resources[2].properties["instance_type"] = "m5.large"
    new.resources[2].tags["owner"] = "ops"
    removed = new.resources.pop(3)
    new.relationships = [
        r for r in new.relationships if removed.id not in (r.source, r.target)
    ]
    new.resources.append(make_resource(id="i-2", name="web-2"))
    new.relationships.append(Relationship("i-2", "sg-1", "secured_by"))

    diff = diff_inventories(old, new)
    assert [r.id for r in diff.added] == ["i-2"]
    assert [r.id for r in diff.removed] == ["eni-1"]
    assert diff.changed[0].properties == {"instance_type": ("t3.small", "m5.large")}
    assert diff.changed[0].tags == {"owner": (None, "ops")}
    assert len(diff.added_relationships) == 1
    assert len(diff.removed_relationships) == 1
    text = format_diff_text(diff)
    assert "instance_type: 't3.small' -> 'm5.large'" in text


def test_diff_of_identical_inventories_is_empty():
    assert diff_inventories(small_network(), small_network()).is_empty
