"""Relationships and drawing parents between GCP assets.

One small function per asset type reads the references in the API resource
(self-links, partial paths, short names) and turns them into parents and typed
relationships between full resource names. Firewalls and managed instance
groups relate to instances only once every asset has been seen, in `finish`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.model import Resource
from cloudviz.sources.gcp.names import (
    full_resource_name,
    project_in,
    service_of,
    split_location,
)
from cloudviz.sources.gcp.records import AssetRecord, items, nested, strings, text

COMPUTE = "compute.googleapis.com"
_RESOURCE_MANAGER = "cloudresourcemanager.googleapis.com"


@dataclass(slots=True)
class _Firewall:
    id: str
    network: str
    target_tags: list[str]
    target_accounts: list[str]


@dataclass(slots=True)
class _InstanceIndex:
    """Instances by network, by (network, tag) and by (network, account)."""

    by_network: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_tag: dict[tuple[str, str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_account: dict[tuple[str, str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, instance: str, networks: set[str], record: AssetRecord) -> None:
        accounts = [
            email
            for account in items(record.get("serviceAccounts"))
            if (email := text(nested(account).get("email")))
        ]
        for network in networks:
            self.by_network[network].append(instance)
            for tag in record.network_tags:
                self.by_tag[(network, tag)].append(instance)
            for email in accounts:
                self.by_account[(network, email)].append(instance)

    def protected_by(self, firewall: _Firewall) -> set[str]:
        if not firewall.target_tags and not firewall.target_accounts:
            return set(self.by_network.get(firewall.network, ()))
        found: set[str] = set()
        for tag in firewall.target_tags:
            found.update(self.by_tag.get((firewall.network, tag), ()))
        for email in firewall.target_accounts:
            found.update(self.by_account.get((firewall.network, email), ()))
        return found


class Linker:
    """Resolves references between assets and records them in a builder."""

    def __init__(self, builder: InventoryBuilder, project_ids: dict[str, str]):
        self.builder = builder
        self._project_ids = project_ids
        self.instances = _InstanceIndex()
        self.firewalls: list[_Firewall] = []
        self.group_of_manager: dict[str, str] = {}
        self.created_by: list[tuple[str, str]] = []

    # ---- names -------------------------------------------------------------

    def project_id(self, project: str) -> str:
        """The id of a project known by number, or the value as it is."""
        return self._project_ids.get(project, project)

    def canonical(self, name: str) -> str:
        """A full resource name with its project number replaced by the id.

        Resource Manager names (projects, folders) keep their numbers: those
        are their real names.
        """
        name = full_resource_name(name) or name
        project = project_in(name)
        if (
            project
            and project.isdigit()
            and project in self._project_ids
            and service_of(name) != _RESOURCE_MANAGER
        ):
            return name.replace(
                f"/projects/{project}/", f"/projects/{self._project_ids[project]}/", 1
            )
        return name

    def ref(
        self, record: AssetRecord, reference: object, service: str = COMPUTE
    ) -> str | None:
        """The id a reference found in `record` points to, or None."""
        if not isinstance(reference, str):
            return None
        project = self.project_id(record.project) if record.project else None
        name = full_resource_name(reference, service=service, project=project)
        return self.canonical(name) if name else None

    def refs(
        self, record: AssetRecord, references: Iterable[object], service: str = COMPUTE
    ) -> list[str]:
        return [ref for item in references if (ref := self.ref(record, item, service))]

    def network_by_name(self, record: AssetRecord, network: object) -> str | None:
        """A network given as a short name (`default`) or as a path/link."""
        if isinstance(network, str) and network and "/" not in network:
            network = f"global/networks/{network}"
        return self.ref(record, network)

    # ---- linking -------------------------------------------------------------

    def link(self, record: AssetRecord, resource: Resource) -> None:
        """Set the resource's parent and record its relationships."""
        linker = _LINKERS.get(record.asset_type)
        if linker is not None:
            linker(self, record, resource)

    def relate(self, source: str | None, target: str | None, rel_type: str) -> None:
        self.builder.relate(source, target, rel_type)

    def relate_all(
        self, source: str | None, targets: Iterable[str | None], rel_type: str
    ) -> None:
        self.builder.relate_many(source, targets, rel_type)

    def finish(self) -> None:
        """Relations that need every asset seen: firewalls and group members."""
        for firewall in self.firewalls:
            for instance in self.instances.protected_by(firewall):
                self.relate(instance, firewall.id, "secured_by")
        for instance, manager in self.created_by:
            # Back ends name the instance group, so members hang off it; the
            # manager itself `uses` that group.
            group = self.group_of_manager.get(manager, manager)
            self.relate(group, instance, "contains")


Link = Callable[[Linker, AssetRecord, Resource], None]


def _instance(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    networks: set[str] = set()
    for nic in items(record.get("networkInterfaces")):
        subnet = linker.ref(record, nested(nic).get("subnetwork"))
        network = linker.ref(record, nested(nic).get("network"))
        if network:
            networks.add(network)
        resource.parent = resource.parent or subnet
    for disk in items(record.get("disks")):
        linker.relate(
            linker.ref(record, nested(disk).get("source")), resource.id, "attached_to"
        )
    linker.instances.add(resource.id, networks, record)

    for entry in items(record.get("metadata.items")):
        # Only the managing group's path is read; other metadata (startup
        # scripts, ssh keys) is never looked at.
        if nested(entry).get("key") == "created-by":
            manager = linker.ref(record, nested(entry).get("value"))
            if manager:
                linker.created_by.append((resource.id, manager))


def _disk(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    linker.relate_all(
        resource.id, linker.refs(record, strings(record.get("users"))), "attached_to"
    )


def _group_manager(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    group = linker.ref(record, record.get("instanceGroup"))
    if group:
        linker.group_of_manager[resource.id] = group
        linker.relate(resource.id, group, "uses")


def _instance_group(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    resource.parent = linker.ref(record, record.get("subnetwork")) or linker.ref(
        record, record.get("network")
    )


def _network(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    for peering in items(record.get("peerings")):
        peer = linker.ref(record, nested(peering).get("network"))
        linker.relate(resource.id, peer, "peers_with")


def _in_network(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    resource.parent = linker.ref(record, record.get("network"))


def _firewall(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    network = linker.ref(record, record.get("network"))
    resource.parent = network
    if not network or record.get("direction") not in (None, "INGRESS"):
        return
    linker.firewalls.append(
        _Firewall(
            resource.id,
            network,
            strings(record.get("targetTags")),
            strings(record.get("targetServiceAccounts")),
        )
    )


def _forwarding_rule(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    resource.parent = linker.ref(record, record.get("subnetwork"))
    for key in ("target", "backendService"):
        linker.relate(resource.id, linker.ref(record, record.get(key)), "targets")


def _backend_service(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    groups = [nested(backend).get("group") for backend in items(record.get("backends"))]
    linker.relate_all(resource.id, linker.refs(record, groups), "targets")


def _target_pool(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    instances = linker.refs(record, strings(record.get("instances")))
    linker.relate_all(resource.id, instances, "targets")


def _target_proxy(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    linker.relate(resource.id, linker.ref(record, record.get("urlMap")), "targets")


def _url_map(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    services = [record.get("defaultService")]
    for matcher in items(record.get("pathMatchers")):
        services.append(nested(matcher).get("defaultService"))
    linker.relate_all(resource.id, linker.refs(record, services), "targets")


def _address(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    resource.parent = linker.ref(record, record.get("subnetwork"))
    users = linker.refs(record, strings(record.get("users")))
    linker.relate_all(resource.id, users, "attached_to")


def _route(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    resource.parent = linker.ref(record, record.get("network"))
    for key in ("nextHopInstance", "nextHopIlb", "nextHopVpnTunnel", "nextHopGateway"):
        linker.relate(resource.id, linker.ref(record, record.get(key)), "routes_to")


def _connector(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    network = linker.network_by_name(record, record.get("network"))
    subnet_name = text(record.get("subnet.name"))
    region, _zone = split_location(record.location)
    subnet = None
    if subnet_name and region:
        subnet = linker.ref(record, f"regions/{region}/subnetworks/{subnet_name}")
    resource.parent = network
    linker.relate(resource.id, subnet or network, "attached_to")


def _dns_zone(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    for network in items(record.get("privateVisibilityConfig.networks")):
        target = linker.ref(record, nested(network).get("networkUrl"))
        linker.relate(resource.id, target, "attached_to")


def _sql_instance(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    network = linker.ref(record, record.get("settings.ipConfiguration.privateNetwork"))
    resource.parent = network
    linker.relate(resource.id, network, "uses")


def _redis(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    network = linker.ref(record, record.get("authorizedNetwork"))
    resource.parent = network
    linker.relate(resource.id, network, "uses")


def _cluster(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    network = linker.ref(record, record.get("networkConfig.network"))
    network = network or linker.network_by_name(record, record.get("network"))
    subnet = linker.ref(record, record.get("networkConfig.subnetwork"))
    short_subnet = text(record.get("subnetwork"))
    region, _zone = split_location(record.location)
    if not subnet and short_subnet and region:
        subnet = linker.ref(record, f"regions/{region}/subnetworks/{short_subnet}")
    resource.parent = subnet or network
    linker.relate(resource.id, network, "attached_to")


def _node_pool(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    if "/nodePools/" in resource.id:
        resource.parent = resource.parent or resource.id.split("/nodePools/", 1)[0]
    managers = linker.refs(record, strings(record.get("instanceGroupUrls")))
    linker.relate_all(resource.id, managers, "contains")


def _function(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    connector = record.get("vpcConnector") or record.get("serviceConfig.vpcConnector")
    linker.relate(resource.id, _connector_ref(linker, record, connector), "uses")
    topic = record.get("eventTrigger.pubsubTopic")
    if topic is None and "topic" in str(record.get("eventTrigger.eventType") or ""):
        topic = record.get("eventTrigger.resource")
    topic_id = linker.ref(record, topic, "pubsub.googleapis.com")
    linker.relate(topic_id, resource.id, "routes_to")


def _run_service(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    annotations = nested(record.get("spec.template.metadata.annotations"))
    connector = record.get("template.vpcAccess.connector") or annotations.get(
        "run.googleapis.com/vpc-access-connector"
    )
    linker.relate(resource.id, _connector_ref(linker, record, connector), "uses")


def _connector_ref(
    linker: Linker, record: AssetRecord, connector: object
) -> str | None:
    if not isinstance(connector, str) or not connector:
        return None
    if "/" not in connector:
        region, _zone = split_location(record.location)
        project = linker.project_id(record.project) if record.project else None
        if not (region and project):
            return None
        connector = f"projects/{project}/locations/{region}/connectors/{connector}"
    return linker.ref(record, connector, "vpcaccess.googleapis.com")


def _subscription(linker: Linker, record: AssetRecord, resource: Resource) -> None:
    topic = linker.ref(record, record.get("topic"), "pubsub.googleapis.com")
    linker.relate(topic, resource.id, "routes_to")


# The top-level fields of the API resource each link function reads. Asset
# data is cut down to these (and what properties and names need) as soon as it
# is read, which keeps big estates small in memory; a field a function starts
# reading must be added here.
_READS: dict[Link, tuple[str, ...]] = {
    _instance: ("networkInterfaces", "disks", "serviceAccounts", "metadata"),
    _disk: ("users",),
    _group_manager: ("instanceGroup",),
    _instance_group: ("subnetwork", "network"),
    _network: ("peerings",),
    _in_network: ("network",),
    _firewall: ("network", "direction", "targetTags", "targetServiceAccounts"),
    _forwarding_rule: ("subnetwork", "target", "backendService"),
    _backend_service: ("backends",),
    _target_pool: ("instances",),
    _target_proxy: ("urlMap",),
    _url_map: ("defaultService", "pathMatchers"),
    _address: ("subnetwork", "users"),
    _route: (
        "network",
        "nextHopInstance",
        "nextHopIlb",
        "nextHopVpnTunnel",
        "nextHopGateway",
    ),
    _connector: ("network", "subnet"),
    _dns_zone: ("privateVisibilityConfig",),
    _sql_instance: ("settings",),
    _redis: ("authorizedNetwork",),
    _cluster: ("networkConfig", "network", "subnetwork"),
    _node_pool: ("instanceGroupUrls",),
    _function: ("vpcConnector", "serviceConfig", "eventTrigger"),
    _run_service: ("spec", "template"),
    _subscription: ("topic",),
}


def fields_read(asset_type: str) -> tuple[str, ...]:
    """The top-level resource fields the links of `asset_type` read."""
    link = _LINKERS.get(asset_type)
    return _READS[link] if link is not None else ()


_C = "compute.googleapis.com/"
_LINKERS: dict[str, Link] = {
    _C + "Instance": _instance,
    _C + "Disk": _disk,
    _C + "RegionDisk": _disk,
    _C + "InstanceGroup": _instance_group,
    _C + "InstanceGroupManager": _group_manager,
    _C + "RegionInstanceGroupManager": _group_manager,
    _C + "Network": _network,
    _C + "Subnetwork": _in_network,
    _C + "Router": _in_network,
    _C + "Firewall": _firewall,
    _C + "ForwardingRule": _forwarding_rule,
    _C + "GlobalForwardingRule": _forwarding_rule,
    _C + "BackendService": _backend_service,
    _C + "RegionBackendService": _backend_service,
    _C + "TargetPool": _target_pool,
    _C + "TargetHttpProxy": _target_proxy,
    _C + "TargetHttpsProxy": _target_proxy,
    _C + "UrlMap": _url_map,
    _C + "Address": _address,
    _C + "GlobalAddress": _address,
    _C + "Route": _route,
    "vpcaccess.googleapis.com/Connector": _connector,
    "dns.googleapis.com/ManagedZone": _dns_zone,
    "sqladmin.googleapis.com/Instance": _sql_instance,
    "redis.googleapis.com/Instance": _redis,
    "container.googleapis.com/Cluster": _cluster,
    "container.googleapis.com/NodePool": _node_pool,
    "cloudfunctions.googleapis.com/CloudFunction": _function,
    "cloudfunctions.googleapis.com/Function": _function,
    "run.googleapis.com/Service": _run_service,
    "pubsub.googleapis.com/Subscription": _subscription,
}
