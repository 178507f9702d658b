"""AWS Config exports: configuration snapshots and advanced-query results.

Two shapes are read:

- a configuration snapshot (or history) file as Config delivers it to S3:
  `{"fileVersion": "1.0", "configurationItems": [...]}`;
- the output of `aws configservice select-resource-config`:
  `{"Results": ["<item as a JSON string>", ...], "QueryInfo": {...}}`, where
  each item holds the fields the query selected (`SELECT *` is the most useful).

Items whose status says the resource is gone (`ResourceDeleted`,
`ResourceDeletedNotRecorded`) are skipped. Config names related resources by
`resourceId` (not ARN) in each item's `relationships`, with a verb such as
"Is contained in Vpc" or "Is attached to NetworkInterface"; those are resolved
to the ARNs of the resources the file holds and mapped to CloudViz parents and
relationship types. Kinds, ids and properties come from the table shared with
the live collector (`cloudviz.sources.aws.kinds`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import ijson
import orjson

from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.model import Inventory, Resource
from cloudviz.sources.aws.kinds import (
    AWS_TYPES,
    dig,
    ec2_arn,
    kind_of,
    partition_of,
    pick_properties,
    tags_from,
)
from cloudviz.sources.aws.placement import SPANS_SUBNETS, lift_out_of_subnets
from cloudviz.sources.files.source import ImportSource

NAME = "aws-config"
DESCRIPTION = (
    "an AWS Config configuration snapshot, or `aws configservice "
    "select-resource-config` output"
)

_SNAPSHOT = re.compile(r'"(fileVersion|configurationItems)"\s*:')
_QUERY = re.compile(r'"(QueryInfo|Results)"\s*:\s*[\[{]\s*("\{\\"|"SelectFields")')
_SNAPSHOT_ITEMS = re.compile(r'"configurationItems"\s*:')
_QUERY_RESULTS = re.compile(r'"Results"\s*:')
_GONE = frozenset({"ResourceDeleted", "ResourceDeletedNotRecorded"})

_ATTACHABLE = frozenset({"network.nic", "storage.disk", "network.public_ip"})


def sniff(head: str) -> bool:
    return bool(_SNAPSHOT.search(head) or _QUERY.search(head))


@dataclass(slots=True)
class _Item:
    """One configuration item, reduced to what the inventory needs."""

    index: int
    resource: Resource
    resource_id: str
    configuration: dict[str, Any]
    relationships: list[dict[str, Any]]
    parent_rank: int = 0
    notes: list[str] = field(default_factory=list)


def load(source: ImportSource) -> Inventory:
    items = list(_read_items(source))

    builder = InventoryBuilder(
        source.path.stem, NAME, source_detail={"items": len(items)}
    )
    # Config names related resources by type and resourceId; the ARN and the
    # bare id are fallbacks for exports that leave the type out.
    by_id: dict[str, _Item] = {}
    for item in items:
        by_id[f"{item.resource.type}|{item.resource_id}"] = item
        by_id.setdefault(item.resource_id, item)
        by_id.setdefault(item.resource.id, item)

    for item in items:
        _place_and_relate(item, by_id, builder)
    for item in items:
        builder.add(item.resource)
    inventory = builder.build()
    lift_out_of_subnets(inventory)
    return inventory


def _raw_items(source: ImportSource) -> Iterator[Any]:
    """The items of either shape, streamed: a snapshot can be hundreds of MB.

    Which shape it is comes from the first 64 KiB, where both put their key.
    """
    head = source.head()
    if not head.lstrip().startswith("{"):
        raise source.invalid("expected a JSON object at the top level")
    if _SNAPSHOT_ITEMS.search(head):
        yield from _stream(source, "configurationItems.item")
    elif _QUERY_RESULTS.search(head):
        for index, text in enumerate(_stream(source, "Results.item")):
            if not isinstance(text, str):
                raise source.invalid(f"Results[{index}]: expected a JSON string")
            try:
                yield orjson.loads(text)
            except orjson.JSONDecodeError as error:
                raise source.invalid(f"Results[{index}]: {error}") from None
    else:
        raise source.invalid("neither configurationItems nor Results found")


def _stream(source: ImportSource, prefix: str) -> Iterator[Any]:
    with source.open() as handle:
        try:
            yield from ijson.items(handle, prefix, use_float=True)
        except ijson.JSONError as error:
            raise source.invalid(f"not valid JSON: {error}") from None


def _read_items(source: ImportSource) -> Iterator[_Item]:
    for index, raw in enumerate(_raw_items(source)):
        if not isinstance(raw, dict):
            raise source.invalid(f"item {index}: expected a JSON object")
        status = raw.get("configurationItemStatus")
        if isinstance(status, str) and status in _GONE:
            continue
        aws_type, resource_id = raw.get("resourceType"), raw.get("resourceId")
        if not isinstance(aws_type, str) or not isinstance(resource_id, str):
            raise source.invalid(f"item {index}: resourceType and resourceId needed")
        yield _item(index, raw, aws_type, resource_id)


def _json_object(value: Any) -> dict[str, Any]:
    # Config history files sometimes carry `configuration` as a JSON string.
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            return {}
    return value if isinstance(value, dict) else {}


def _item(index: int, raw: dict[str, Any], aws_type: str, resource_id: str) -> _Item:
    region = _text(raw.get("awsRegion"))
    account = _text(raw.get("awsAccountId") or raw.get("accountId"))
    configuration = _json_object(raw.get("configuration"))
    tags = tags_from(raw.get("tags") or configuration.get("tags"))
    arn = _text(raw.get("ARN") or raw.get("arn"))
    if arn is None:
        arn = _fallback_id(aws_type, resource_id, region, account)
    name = _text(raw.get("resourceName")) or tags.get("Name") or resource_id
    zone = _text(raw.get("availabilityZone"))
    if zone in ("Multiple Availability Zones", "Not Applicable", "Regional"):
        zone = None
    resource = Resource(
        id=arn,
        provider="aws",
        type=aws_type,
        kind=kind_of(aws_type),
        name=name,
        account=account,
        region=region,
        zone=zone,
        tags=tags,
        properties=pick_properties(aws_type, configuration),
    )
    relationships = raw.get("relationships")
    return _Item(
        index,
        resource,
        resource_id,
        configuration,
        [rel for rel in relationships or () if isinstance(rel, dict)],
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _fallback_id(
    aws_type: str, resource_id: str, region: str | None, account: str | None
) -> str:
    known = AWS_TYPES.get(aws_type)
    if known and known.arn_resource and region and account:
        return ec2_arn(aws_type, region, account, resource_id)
    if aws_type == "AWS::S3::Bucket":
        return f"arn:{partition_of(region)}:s3:::{resource_id}"
    return resource_id


def _place_and_relate(
    item: _Item, by_id: dict[str, _Item], builder: InventoryBuilder
) -> None:
    """Turn an item's Config relationships into a parent and CloudViz edges."""
    for rel in item.relationships:
        target = _related(rel, by_id)
        if target is None or target is item:
            continue
        verb = str(rel.get("name") or rel.get("relationshipName") or "").casefold()
        if verb.startswith("is contained in"):
            _offer_parent(item, target)
        elif verb.startswith("contains"):
            _offer_parent(target, item)
        else:
            edge = _edge(verb, item.resource.kind, target.resource.kind)
            if edge is not None:
                rel_type, flipped = edge
                source, dest = (target, item) if flipped else (item, target)
                builder.relate(source.resource.id, dest.resource.id, rel_type)

    if item.resource.type == "AWS::EC2::VPCPeeringConnection":
        requester = by_id.get(str(dig(item.configuration, "RequesterVpcInfo.VpcId")))
        accepter = by_id.get(str(dig(item.configuration, "AccepterVpcInfo.VpcId")))
        if requester and accepter:
            builder.relate(requester.resource.id, accepter.resource.id, "peers_with")


def _related(rel: dict[str, Any], by_id: dict[str, _Item]) -> _Item | None:
    reference = _text(rel.get("resourceId")) or _text(rel.get("resourceName"))
    if reference is None:
        return None
    typed = by_id.get(f"{rel.get('resourceType')}|{reference}")
    return typed or by_id.get(reference)


def _offer_parent(child: _Item, container: _Item) -> None:
    """Make `container` the child's parent if it is the tightest one seen yet."""
    rank = _parent_rank(child.resource.kind, container.resource.kind)
    if rank > child.parent_rank:
        child.parent_rank = rank
        child.resource.parent = container.resource.id


def _parent_rank(child_kind: str, container_kind: str) -> int:
    if container_kind == "network.subnet":
        return 1 if child_kind in SPANS_SUBNETS else 3
    if container_kind == "network.vpc":
        return 2
    return 1


def _edge(verb: str, source_kind: str, target_kind: str) -> tuple[str, bool] | None:
    """(relationship type, whether to flip it) for a Config verb between kinds.

    Config records most relations from both ends; flipping each to one
    canonical direction (NIC attached to VM, VM secured by group) lets the
    two records collapse into one edge.
    """
    if target_kind == "network.security_group":
        return "secured_by", False
    if source_kind == "network.security_group":
        return "secured_by", True
    if source_kind == "network.load_balancer" and target_kind in (
        "compute.vm",
        "network.nic",
        "compute.function",
    ):
        return "targets", False
    if target_kind == "network.load_balancer" and source_kind == "compute.vm":
        return "targets", True
    if verb.startswith("is attached to"):
        if target_kind in _ATTACHABLE and source_kind not in _ATTACHABLE:
            return "attached_to", True
        if source_kind == "network.vpc":
            return "attached_to", True
        return "attached_to", False
    if target_kind == "network.gateway":
        return "routes_to", False
    if source_kind == "network.gateway":
        return "routes_to", True
    if verb.startswith("is associated with") or verb.startswith("is using"):
        return "uses", False
    return None
