"""Azure Resource Graph rows to CloudViz resources and relationships.

One transform serves the `az graph query` and `az resource list` importers and
the live Resource Graph collector, so a file and a live scan of the same
estate give the same inventory. It is pure: rows in, an `Inventory` out.

A row is the `resources` table's shape: `id`, `name`, `type`, `location`,
`resourceGroup`, `subscriptionId`, `tags`, `properties`, `sku`, `kind`,
`zones`, `managedBy`, `identity`. Only `id` and `type` are required;
`subscriptionId` and `resourceGroup` are read from the id when missing (as in
`az resource list`), and a row without `properties` yields the resource and
whatever its id and `managedBy` tell.

What a row says about its neighbours becomes relationships:

- VNet rows carry their subnets (`properties.subnets[]`, made resources with
  the VNet as parent) and peerings (`virtualNetworkPeerings[]`, `peers_with`);
- a NIC sits in the subnet of its primary ip configuration, is `attached_to`
  its VM and `secured_by` its NSG; a VM sits in the subnet of its primary NIC;
- load balancer and application gateway back-end pools `targets` the VMs
  behind the NICs they name (the NIC or scale set when no VM is known);
- AKS agent pools, gateways, private endpoints and VNet-injected services sit
  in their subnets; public IPs and disks are `attached_to` what uses them;
  SQL databases, Service Bus queues and other child types sit in their parent.

Properties are picked per type, never copied wholesale, so connection
strings, keys, admin passwords and `customData` cannot enter; the builder's
secret stripping runs on top of that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cloudviz.errors import ValidationError
from cloudviz.inventory.builder import InventoryBuilder, casefold_id
from cloudviz.inventory.model import Inventory, Resource
from cloudviz.sources.azure.arm_ids import (
    name_of,
    owner_of,
    resource_group_of,
    subscription_of,
)
from cloudviz.sources.azure.handlers import HANDLERS
from cloudviz.sources.azure.kinds import kind_for
from cloudviz.sources.azure.nested import compact, dig, dig_list, dig_str, ids_in
from cloudviz.sources.azure.picked import picked_properties

PROVIDER = "azure"
SUBNET_SUFFIX = "/subnets"


def _tags(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(key): "" if value is None else str(value) for key, value in raw.items()}


# -- the transform -------------------------------------------------------------


class AzureTransform:
    """Feeds rows in any order, then `build()` the inventory.

    Rows can arrive page by page; placements that need two rows (a VM in the
    subnet of its NIC) are settled in `build()`.
    """

    def __init__(
        self,
        name: str,
        source_kind: str = PROVIDER,
        *,
        source_detail: dict[str, Any] | None = None,
    ) -> None:
        self.builder = InventoryBuilder(
            name, source_kind, source_detail=source_detail, id_key=casefold_id
        )
        self.rows = 0
        self.skipped: dict[str, int] = {}
        # Facts that only `build()` can combine, keyed by casefolded id.
        self._vm_primary_nic: dict[str, str] = {}
        self._nic_subnet: dict[str, str] = {}
        self._nic_vm: dict[str, str] = {}
        self._pool_targets: list[tuple[str, str]] = []
        self._nsg_subnets: dict[str, set[str]] = {}

    # -- input ----------------------------------------------------------

    def add_rows(self, rows: Iterable[Any], where: str = "rows") -> None:
        for index, row in enumerate(rows):
            self.add_row(row, f"{where}[{index}]")

    def add_row(self, row: Any, where: str = "row") -> None:
        """Add one row; a row without a string `id` and `type` is CV010."""
        if not isinstance(row, dict):
            raise ValidationError(
                f"{where}: expected an object, found {type(row).__name__}",
                hint="each row must be an object with at least id and type",
            )
        resource_id = row.get("id")
        resource_type = row.get("type")
        if not isinstance(resource_id, str) or not resource_id.strip():
            raise ValidationError(f"{where}.id: missing or not a string")
        if not isinstance(resource_type, str) or not resource_type.strip():
            raise ValidationError(f"{where}.type: missing or not a string")
        self.rows += 1

        arm_kind = row.get("kind") if isinstance(row.get("kind"), str) else None
        lowered = resource_type.lower()
        if lowered == "microsoft.sql/servers/databases" and "system" in (
            arm_kind or ""
        ):
            # `master` and friends: every server has them, no diagram wants them.
            self.skipped["system_databases"] = (
                self.skipped.get("system_databases", 0) + 1
            )
            return

        props = row.get("properties")
        props = props if isinstance(props, dict) else {}
        resource = self._resource(row, resource_id, resource_type)
        resource.properties = {
            **self._common_properties(row, props, arm_kind),
            **picked_properties(lowered, props),
        }
        # Added with its properties, so the builder's secret stripping sees them.
        resource = self.builder.add(resource)
        self._place_child_type(resource, lowered)
        self._relate_common(resource, row, props)
        handler = HANDLERS.get(lowered)
        if handler is not None:
            handler(self, resource, props)

    def _resource(self, row: dict[str, Any], resource_id: str, rtype: str) -> Resource:
        name = row.get("name")
        location = row.get("location")
        zones = row.get("zones")
        group = row.get("resourceGroup")
        account = row.get("subscriptionId")
        arm_kind = row.get("kind") if isinstance(row.get("kind"), str) else None
        return Resource(
            id=resource_id,
            provider=PROVIDER,
            type=rtype,
            kind=kind_for(rtype, arm_kind),
            name=name if isinstance(name, str) and name else name_of(resource_id),
            account=account
            if isinstance(account, str) and account
            else subscription_of(resource_id),
            region=location if isinstance(location, str) and location else None,
            zone=str(zones[0]) if isinstance(zones, list) and zones else None,
            group=group
            if isinstance(group, str) and group
            else resource_group_of(resource_id),
            tags=_tags(row.get("tags")),
        )

    @staticmethod
    def _common_properties(
        row: dict[str, Any], props: dict[str, Any], arm_kind: str | None
    ) -> dict[str, Any]:
        sku = row.get("sku")
        return compact(
            provisioning_state=dig_str(props, "provisioningState")
            or dig_str(row, "provisioningState"),
            sku=dig_str(sku, "name"),
            sku_tier=dig_str(sku, "tier"),
            arm_kind=arm_kind,
            zones=[str(z) for z in row["zones"]]
            if isinstance(row.get("zones"), list) and len(row["zones"]) > 1
            else None,
        )

    @staticmethod
    def _place_child_type(resource: Resource, lowered_type: str) -> None:
        # `microsoft.sql/servers/databases`: drawn inside its server.
        if lowered_type.count("/") < 2 or resource.parent is not None:
            return
        owner = owner_of(resource.id)
        if casefold_id(owner) != casefold_id(resource.id):
            resource.parent = owner

    def _relate_common(
        self, resource: Resource, row: dict[str, Any], props: dict[str, Any]
    ) -> None:
        builder = self.builder
        if resource.kind == "storage.disk":
            builder.relate(resource.id, dig_str(row, "managedBy"), "attached_to")
        for connection in dig_list(props, "privateEndpointConnections"):
            endpoint = dig_str(connection, "properties", "privateEndpoint", "id")
            builder.relate(endpoint, resource.id, "routes_to")
        identities = dig(row, "identity", "userAssignedIdentities")
        if isinstance(identities, dict):
            builder.relate_many(resource.id, identities, "uses")

    # -- helpers the handlers share --------------------------------------

    def add_subnet(self, vnet: Resource, subnet: dict[str, Any]) -> None:
        subnet_id = dig_str(subnet, "id")
        if subnet_id is None:
            return
        props = subnet.get("properties")
        props = props if isinstance(props, dict) else {}
        prefixes = dig(props, "addressPrefixes")
        resource = self.builder.add(
            Resource(
                id=subnet_id,
                provider=PROVIDER,
                type=dig_str(subnet, "type") or vnet.type + SUBNET_SUFFIX,
                kind="network.subnet",
                name=dig_str(subnet, "name") or name_of(subnet_id),
                account=vnet.account,
                region=vnet.region,
                group=vnet.group,
                parent=vnet.id,
                properties=compact(
                    cidr=dig_str(props, "addressPrefix"),
                    cidrs=prefixes if isinstance(prefixes, list) else None,
                    provisioning_state=dig_str(props, "provisioningState"),
                    delegations=ids_in(
                        dig_list(props, "delegations"), "properties", "serviceName"
                    ),
                ),
            )
        )
        self.relate_subnet_security(
            resource.id, dig_str(props, "networkSecurityGroup", "id")
        )
        self.builder.relate(
            resource.id, dig_str(props, "routeTable", "id"), "routes_to"
        )
        self.builder.relate(
            resource.id, dig_str(props, "natGateway", "id"), "routes_to"
        )

    def relate_subnet_security(self, subnet_id: str, nsg_id: str | None) -> None:
        if nsg_id is None:
            return
        self.builder.relate(subnet_id, nsg_id, "secured_by")
        self._nsg_subnets.setdefault(casefold_id(nsg_id), set()).add(subnet_id)

    def place_in_subnet(self, resource: Resource, subnet_ids: list[str]) -> None:
        """Parent: the first subnet; `attached_to` any further ones."""
        if not subnet_ids:
            return
        if resource.parent is None:
            resource.parent = subnet_ids[0]
        for subnet_id in subnet_ids[1:]:
            if casefold_id(subnet_id) != casefold_id(resource.parent):
                self.builder.relate(resource.id, subnet_id, "attached_to")

    def target_pool_members(
        self, balancer: Resource, pools: list[dict[str, Any]]
    ) -> None:
        """Back-end pools name ip configurations; their owners are the targets."""
        for pool in pools:
            configs = dig_list(pool, "properties", "backendIPConfigurations")
            for config_id in ids_in(configs):
                self.note_pool_member(balancer.id, owner_of(config_id))
            addresses = dig_list(pool, "properties", "loadBalancerBackendAddresses")
            for address_config in ids_in(
                addresses, "properties", "networkInterfaceIPConfiguration", "id"
            ):
                self.note_pool_member(balancer.id, owner_of(address_config))

    def note_nic_subnet(self, nic_id: str, subnet_id: str) -> None:
        """The subnet of a NIC's primary ip configuration, for its VM."""
        self._nic_subnet[casefold_id(nic_id)] = subnet_id

    def note_primary_nic(self, vm_id: str, nic_id: str) -> None:
        self._vm_primary_nic[casefold_id(vm_id)] = nic_id

    def note_pool_member(self, balancer_id: str, member_id: str) -> None:
        """A back-end pool member; targeted as its VM when one is known."""
        self._pool_targets.append((balancer_id, member_id))

    def link_nic_to_vm(self, nic_id: str, vm_id: str) -> None:
        self.builder.relate(nic_id, vm_id, "attached_to")
        self._nic_vm[casefold_id(nic_id)] = vm_id

    # -- output ---------------------------------------------------------

    def build(self) -> Inventory:
        """Settle placements that needed several rows, then build."""
        self._place_vms()
        self._place_security_groups()
        for balancer_id, member_id in self._pool_targets:
            vm_id = self._nic_vm.get(casefold_id(member_id))
            self.builder.relate(balancer_id, vm_id or member_id, "targets")
        detail = self.builder.source_detail
        detail["rows"] = detail.get("rows", 0) + self.rows
        if self.skipped:
            detail["skipped"] = dict(self.skipped)
        return self.builder.build()

    def _place_vms(self) -> None:
        for vm_key, nic_id in self._vm_primary_nic.items():
            vm = self.builder.get(vm_key)
            subnet_id = self._nic_subnet.get(casefold_id(nic_id))
            if vm is not None and vm.parent is None and subnet_id:
                vm.parent = subnet_id

    def _place_security_groups(self) -> None:
        # An NSG on subnets of one VNet is drawn inside that VNet.
        for nsg_key, subnet_ids in self._nsg_subnets.items():
            nsg = self.builder.get(nsg_key)
            vnets = {casefold_id(owner_of(subnet_id)) for subnet_id in subnet_ids}
            if nsg is not None and nsg.parent is None and len(vnets) == 1:
                nsg.parent = owner_of(next(iter(subnet_ids)))


def transform_rows(
    rows: Iterable[Any],
    name: str,
    *,
    source_kind: str = PROVIDER,
    source_detail: dict[str, Any] | None = None,
    where: str = "rows",
) -> Inventory:
    """The inventory of a complete set of rows, in one call."""
    transform = AzureTransform(name, source_kind, source_detail=source_detail)
    transform.add_rows(rows, where)
    return transform.build()
