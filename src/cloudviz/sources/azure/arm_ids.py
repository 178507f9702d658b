"""Azure Resource Manager ids: what can be read from the id alone.

An ARM id looks like
`/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/V`
followed by any number of `childType/childName` pairs. ARM compares ids
case-insensitively; these helpers keep the case they were given and never
fail on an id of another shape, they just find less in it.
"""

from __future__ import annotations


def _segments(resource_id: str) -> list[str]:
    return [part for part in resource_id.strip().split("/") if part]


def _value_after(resource_id: str, key: str) -> str | None:
    segments = _segments(resource_id)
    for index, segment in enumerate(segments[:-1]):
        if segment.lower() == key:
            return segments[index + 1]
    return None


def subscription_of(resource_id: str) -> str | None:
    """The subscription id in `resource_id`, or None."""
    return _value_after(resource_id, "subscriptions")


def resource_group_of(resource_id: str) -> str | None:
    """The resource group name in `resource_id`, or None."""
    return _value_after(resource_id, "resourcegroups")


def owner_of(resource_id: str, depth: int = 1) -> str:
    """The id cut after its first `depth` type/name pairs below `providers`.

    `owner_of(".../loadBalancers/lb/backendAddressPools/p")` is the load
    balancer's id; with `depth=2`, `.../virtualNetworks/v/subnets/s/x/y` gives
    the subnet's. An id without a `providers` part comes back unchanged.
    """
    segments = _segments(resource_id)
    lowered = [segment.lower() for segment in segments]
    if "providers" not in lowered:
        return resource_id
    start = lowered.index("providers") + 2  # skip "providers" and the namespace
    end = start + 2 * depth
    if end >= len(segments):
        return resource_id
    return "/" + "/".join(segments[:end])


def child_type_of(resource_id: str) -> str | None:
    """The lower-cased type of the pair after the top-level resource, if any.

    `subnets` for a subnet id, `ipconfigurations` for a NIC's ip configuration,
    None for a top-level resource.
    """
    segments = _segments(resource_id)
    lowered = [segment.lower() for segment in segments]
    if "providers" not in lowered:
        return None
    child = lowered.index("providers") + 4
    return lowered[child] if child < len(lowered) else None


def name_of(resource_id: str) -> str:
    """The last segment: the resource's own name."""
    segments = _segments(resource_id)
    return segments[-1] if segments else resource_id
