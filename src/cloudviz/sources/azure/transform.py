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

from collections.abc import Callable, Iterable
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
from cloudviz.sources.azure.kinds import kind_for

PROVIDER = "azure"
SUBNET_SUFFIX = "/subnets"


# -- reading nested JSON without trusting its shape ----------------------------


def dig(value: Any, *path: str) -> Any:
    """`value[path[0]][path[1]]...`, or None where a step is missing."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def dig_str(value: Any, *path: str) -> str | None:
    found = dig(value, *path)
    return found if isinstance(found, str) and found else None


def dig_list(value: Any, *path: str) -> list[dict[str, Any]]:
    """The list at `path`, keeping only its objects."""
    found = dig(value, *path)
    if not isinstance(found, list):
        return []
    return [item for item in found if isinstance(item, dict)]


def ids_in(items: Iterable[Any], *path: str) -> list[str]:
    """The string at `path` (default `id`) of each item that has one."""
    found = (dig_str(item, *(path or ("id",))) for item in items)
    return [value for value in found if value]


def _compact(**values: Any) -> dict[str, Any]:
    return {
        key: value for key, value in values.items() if value not in (None, "", [], {})
    }


def _tags(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(key): "" if value is None else str(value) for key, value in raw.items()}


# -- the transform -------------------------------------------------------------


Handler = Callable[["AzureTransform", Resource, dict[str, Any]], None]


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
        resource = self.builder.add(self._resource(row, resource_id, resource_type))
        resource.properties.update(self._common_properties(row, props, arm_kind))
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
        return _compact(
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
                properties=_compact(
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
                self._pool_targets.append((balancer.id, owner_of(config_id)))
            addresses = dig_list(pool, "properties", "loadBalancerBackendAddresses")
            for address_config in ids_in(
                addresses, "properties", "networkInterfaceIPConfiguration", "id"
            ):
                self._pool_targets.append((balancer.id, owner_of(address_config)))

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


# -- per-type handlers ---------------------------------------------------------


def _virtual_network(t: AzureTransform, vnet: Resource, props: dict[str, Any]) -> None:
    address_space = dig(props, "addressSpace", "addressPrefixes")
    peerings = []
    for peering in dig_list(props, "virtualNetworkPeerings"):
        remote = dig_str(peering, "properties", "remoteVirtualNetwork", "id")
        t.builder.relate(vnet.id, remote, "peers_with")
        peerings.append(
            _compact(
                name=dig_str(peering, "name"),
                remote_vnet=remote,
                state=dig_str(peering, "properties", "peeringState"),
            )
        )
    vnet.properties.update(
        _compact(
            cidrs=address_space if isinstance(address_space, list) else None,
            cidr=address_space[0]
            if isinstance(address_space, list) and address_space
            else None,
            dns_servers=dig(props, "dhcpOptions", "dnsServers"),
            peerings=peerings,
        )
    )
    for subnet in dig_list(props, "subnets"):
        t.add_subnet(vnet, subnet)


def _subnet_row(t: AzureTransform, subnet: Resource, props: dict[str, Any]) -> None:
    subnet.parent = owner_of(subnet.id)
    subnet.properties.update(_compact(cidr=dig_str(props, "addressPrefix")))
    t.relate_subnet_security(subnet.id, dig_str(props, "networkSecurityGroup", "id"))
    t.builder.relate(subnet.id, dig_str(props, "routeTable", "id"), "routes_to")


def _network_interface(t: AzureTransform, nic: Resource, props: dict[str, Any]) -> None:
    configs = dig_list(props, "ipConfigurations")
    primary = next(
        (c for c in configs if dig(c, "properties", "primary") is True),
        configs[0] if configs else None,
    )
    subnet_ids = ids_in(configs, "properties", "subnet", "id")
    primary_subnet = dig_str(primary, "properties", "subnet", "id")
    if primary_subnet:
        subnet_ids.insert(0, primary_subnet)
        t._nic_subnet[casefold_id(nic.id)] = primary_subnet
    t.place_in_subnet(nic, list(dict.fromkeys(subnet_ids)))

    builder = t.builder
    vm_id = dig_str(props, "virtualMachine", "id")
    if vm_id:
        t.link_nic_to_vm(nic.id, vm_id)
    builder.relate(nic.id, dig_str(props, "networkSecurityGroup", "id"), "secured_by")
    builder.relate(nic.id, dig_str(props, "privateEndpoint", "id"), "attached_to")
    for config in configs:
        public_ip = dig_str(config, "properties", "publicIPAddress", "id")
        builder.relate(public_ip, nic.id, "attached_to")
        for group in ids_in(
            dig_list(config, "properties", "applicationSecurityGroups")
        ):
            builder.relate(nic.id, group, "secured_by")
        for pool in ids_in(
            dig_list(config, "properties", "loadBalancerBackendAddressPools")
        ):
            t._pool_targets.append((owner_of(pool), nic.id))
        for pool in ids_in(
            dig_list(config, "properties", "applicationGatewayBackendAddressPools")
        ):
            t._pool_targets.append((owner_of(pool), nic.id))
    nic.properties.update(
        _compact(
            private_ip=dig_str(primary, "properties", "privateIPAddress"),
            private_ips=ids_in(configs, "properties", "privateIPAddress")
            if len(configs) > 1
            else None,
            mac_address=dig_str(props, "macAddress"),
            accelerated_networking=dig(props, "enableAcceleratedNetworking"),
        )
    )


def _virtual_machine(t: AzureTransform, vm: Resource, props: dict[str, Any]) -> None:
    nics = dig_list(props, "networkProfile", "networkInterfaces")
    primary = next(
        (n for n in nics if dig(n, "properties", "primary") is True),
        nics[0] if nics else None,
    )
    primary_id = dig_str(primary, "id")
    if primary_id:
        t._vm_primary_nic[casefold_id(vm.id)] = primary_id
    for nic_id in ids_in(nics):
        t.link_nic_to_vm(nic_id, vm.id)

    storage = dig(props, "storageProfile")
    disks = [dig_str(storage, "osDisk", "managedDisk", "id")]
    disks += ids_in(dig_list(storage, "dataDisks"), "managedDisk", "id")
    for disk_id in disks:
        t.builder.relate(disk_id, vm.id, "attached_to")
    image = dig(storage, "imageReference")
    vm.properties.update(
        _compact(
            instance_type=dig_str(props, "hardwareProfile", "vmSize"),
            os_type=dig_str(storage, "osDisk", "osType"),
            image=":".join(
                value
                for value in (
                    dig_str(image, "publisher"),
                    dig_str(image, "offer"),
                    dig_str(image, "sku"),
                )
                if value
            )
            or None,
            computer_name=dig_str(props, "osProfile", "computerName"),
            state=dig_str(props, "extended", "instanceView", "powerState", "code"),
        )
    )


def _scale_set(t: AzureTransform, vmss: Resource, props: dict[str, Any]) -> None:
    configs = dig_list(
        props,
        "virtualMachineProfile",
        "networkProfile",
        "networkInterfaceConfigurations",
    )
    subnets: list[str] = []
    for nic_config in configs:
        for ip_config in dig_list(nic_config, "properties", "ipConfigurations"):
            subnet = dig_str(ip_config, "properties", "subnet", "id")
            if subnet:
                subnets.append(subnet)
            for pool in ids_in(
                dig_list(ip_config, "properties", "loadBalancerBackendAddressPools")
            ):
                t._pool_targets.append((owner_of(pool), vmss.id))
    t.place_in_subnet(vmss, list(dict.fromkeys(subnets)))
    vmss.properties.update(
        _compact(
            orchestration_mode=dig_str(props, "orchestrationMode"),
            upgrade_policy=dig_str(props, "upgradePolicy", "mode"),
        )
    )


def _load_balancer(t: AzureTransform, lb: Resource, props: dict[str, Any]) -> None:
    frontends = dig_list(props, "frontendIPConfigurations")
    for public_ip in ids_in(frontends, "properties", "publicIPAddress", "id"):
        t.builder.relate(public_ip, lb.id, "attached_to")
    t.place_in_subnet(lb, ids_in(frontends, "properties", "subnet", "id"))
    t.target_pool_members(lb, dig_list(props, "backendAddressPools"))
    private_ips = ids_in(frontends, "properties", "privateIPAddress")
    lb.properties.update(
        _compact(
            private_ips=private_ips,
            backend_pools=len(dig_list(props, "backendAddressPools")) or None,
            rules=len(dig_list(props, "loadBalancingRules")) or None,
        )
    )


def _application_gateway(
    t: AzureTransform, agw: Resource, props: dict[str, Any]
) -> None:
    gateway_configs = dig_list(props, "gatewayIPConfigurations")
    t.place_in_subnet(agw, ids_in(gateway_configs, "properties", "subnet", "id"))
    frontends = dig_list(props, "frontendIPConfigurations")
    for public_ip in ids_in(frontends, "properties", "publicIPAddress", "id"):
        t.builder.relate(public_ip, agw.id, "attached_to")
    pools = dig_list(props, "backendAddressPools")
    t.target_pool_members(agw, pools)
    backends = [
        address.get("fqdn") or address.get("ipAddress")
        for pool in pools
        for address in dig_list(pool, "properties", "backendAddresses")
    ]
    agw.properties.update(
        _compact(
            backend_addresses=[b for b in backends if isinstance(b, str)],
            waf_policy=dig_str(props, "firewallPolicy", "id"),
        )
    )
    t.builder.relate(agw.id, dig_str(props, "firewallPolicy", "id"), "secured_by")


def _public_ip(t: AzureTransform, pip: Resource, props: dict[str, Any]) -> None:
    config = dig_str(props, "ipConfiguration", "id")
    if config:
        t.builder.relate(pip.id, owner_of(config), "attached_to")
    t.builder.relate(pip.id, dig_str(props, "natGateway", "id"), "attached_to")
    pip.properties.update(
        _compact(
            ip_address=dig_str(props, "ipAddress"),
            allocation=dig_str(props, "publicIPAllocationMethod"),
            fqdn=dig_str(props, "dnsSettings", "fqdn"),
        )
    )


def _security_group(t: AzureTransform, nsg: Resource, props: dict[str, Any]) -> None:
    for subnet_id in ids_in(dig_list(props, "subnets")):
        t.relate_subnet_security(subnet_id, nsg.id)
    for nic_id in ids_in(dig_list(props, "networkInterfaces")):
        t.builder.relate(nic_id, nsg.id, "secured_by")
    rules = dig_list(props, "securityRules")
    inbound = sum(
        1 for rule in rules if dig(rule, "properties", "direction") == "Inbound"
    )
    nsg.properties.update(
        _compact(ingress_rules=inbound, egress_rules=len(rules) - inbound)
    )


def _gateway(t: AzureTransform, gateway: Resource, props: dict[str, Any]) -> None:
    configs = dig_list(props, "ipConfigurations")
    t.place_in_subnet(gateway, ids_in(configs, "properties", "subnet", "id"))
    for public_ip in ids_in(configs, "properties", "publicIPAddress", "id"):
        t.builder.relate(public_ip, gateway.id, "attached_to")
    gateway.properties.update(
        _compact(
            gateway_type=dig_str(props, "gatewayType"),
            vpn_type=dig_str(props, "vpnType"),
        )
    )


def _nat_gateway(t: AzureTransform, nat: Resource, props: dict[str, Any]) -> None:
    subnets = ids_in(dig_list(props, "subnets"))
    for subnet_id in subnets:
        t.builder.relate(subnet_id, nat.id, "routes_to")
    if subnets and nat.parent is None:
        nat.parent = owner_of(subnets[0])
    for public_ip in ids_in(dig_list(props, "publicIpAddresses")):
        t.builder.relate(public_ip, nat.id, "attached_to")


def _private_endpoint(t: AzureTransform, pe: Resource, props: dict[str, Any]) -> None:
    subnet = dig_str(props, "subnet", "id")
    t.place_in_subnet(pe, [subnet] if subnet else [])
    for nic_id in ids_in(dig_list(props, "networkInterfaces")):
        t.builder.relate(nic_id, pe.id, "attached_to")
    connections = dig_list(props, "privateLinkServiceConnections") + dig_list(
        props, "manualPrivateLinkServiceConnections"
    )
    services = ids_in(connections, "properties", "privateLinkServiceId")
    t.builder.relate_many(pe.id, services, "routes_to")
    groups = [
        group
        for connection in connections
        for group in dig(connection, "properties", "groupIds") or []
        if isinstance(group, str)
    ]
    pe.properties.update(_compact(services=services, group_ids=groups))


def _managed_cluster(t: AzureTransform, aks: Resource, props: dict[str, Any]) -> None:
    pools = dig_list(props, "agentPoolProfiles")
    t.place_in_subnet(aks, list(dict.fromkeys(ids_in(pools, "vnetSubnetID"))))
    aks.properties.update(
        _compact(
            kubernetes_version=dig_str(props, "kubernetesVersion"),
            fqdn=dig_str(props, "fqdn") or dig_str(props, "privateFQDN"),
            network_plugin=dig_str(props, "networkProfile", "networkPlugin"),
            node_resource_group=dig_str(props, "nodeResourceGroup"),
            node_pools=[
                _compact(
                    name=dig_str(pool, "name"),
                    count=dig(pool, "count"),
                    vm_size=dig_str(pool, "vmSize"),
                    mode=dig_str(pool, "mode"),
                )
                for pool in pools
            ],
        )
    )


def _web_site(t: AzureTransform, site: Resource, props: dict[str, Any]) -> None:
    subnet = dig_str(props, "virtualNetworkSubnetId")
    t.builder.relate(site.id, subnet, "attached_to")
    t.builder.relate(site.id, dig_str(props, "serverFarmId"), "depends_on")
    site.properties.update(
        _compact(
            default_host_name=dig_str(props, "defaultHostName"),
            state=dig_str(props, "state"),
            https_only=dig(props, "httpsOnly"),
            vnet_subnet=subnet,
        )
    )


def _disk(t: AzureTransform, disk: Resource, props: dict[str, Any]) -> None:
    disk.properties.update(
        _compact(
            size_gb=dig(props, "diskSizeGB"),
            state=dig_str(props, "diskState"),
            os_type=dig_str(props, "osType"),
        )
    )


def _storage_account(
    t: AzureTransform, account: Resource, props: dict[str, Any]
) -> None:
    rules = dig_list(props, "networkAcls", "virtualNetworkRules")
    for subnet_id in ids_in(rules):
        t.builder.relate(subnet_id, account.id, "uses")
    account.properties.update(
        _compact(
            access_tier=dig_str(props, "accessTier"),
            blob_endpoint=dig_str(props, "primaryEndpoints", "blob"),
            public_network_access=dig_str(props, "publicNetworkAccess"),
        )
    )


def _sql_server(t: AzureTransform, server: Resource, props: dict[str, Any]) -> None:
    server.properties.update(
        _compact(
            fqdn=dig_str(props, "fullyQualifiedDomainName"),
            version=dig_str(props, "version"),
            public_network_access=dig_str(props, "publicNetworkAccess"),
        )
    )


def _sql_database(t: AzureTransform, db: Resource, props: dict[str, Any]) -> None:
    db.properties.update(
        _compact(
            status=dig_str(props, "status"),
            max_size_bytes=dig(props, "maxSizeBytes"),
            elastic_pool=dig_str(props, "elasticPoolId"),
        )
    )
    t.builder.relate(db.id, dig_str(props, "elasticPoolId"), "depends_on")


def _flexible_server(
    t: AzureTransform, server: Resource, props: dict[str, Any]
) -> None:
    subnet = dig_str(props, "network", "delegatedSubnetResourceId")
    t.place_in_subnet(server, [subnet] if subnet else [])
    server.properties.update(
        _compact(
            fqdn=dig_str(props, "fullyQualifiedDomainName"),
            version=dig_str(props, "version"),
            state=dig_str(props, "state"),
        )
    )


def _redis(t: AzureTransform, cache: Resource, props: dict[str, Any]) -> None:
    subnet = dig_str(props, "subnetId")
    t.place_in_subnet(cache, [subnet] if subnet else [])
    cache.properties.update(
        _compact(
            host_name=dig_str(props, "hostName"),
            port=dig(props, "sslPort"),
            version=dig_str(props, "redisVersion"),
        )
    )


def _key_vault(t: AzureTransform, vault: Resource, props: dict[str, Any]) -> None:
    vault.properties.update(_compact(vault_uri=dig_str(props, "vaultUri")))


def _container_group(t: AzureTransform, group: Resource, props: dict[str, Any]) -> None:
    subnets = ids_in(dig_list(props, "subnetIds"))
    t.place_in_subnet(group, subnets)
    group.properties.update(
        _compact(
            os_type=dig_str(props, "osType"),
            containers=len(dig_list(props, "containers")) or None,
        )
    )


HANDLERS: dict[str, Handler] = {
    "microsoft.network/virtualnetworks": _virtual_network,
    "microsoft.network/virtualnetworks/subnets": _subnet_row,
    "microsoft.network/networkinterfaces": _network_interface,
    "microsoft.compute/virtualmachines": _virtual_machine,
    "microsoft.compute/virtualmachinescalesets": _scale_set,
    "microsoft.network/loadbalancers": _load_balancer,
    "microsoft.network/applicationgateways": _application_gateway,
    "microsoft.network/publicipaddresses": _public_ip,
    "microsoft.network/networksecuritygroups": _security_group,
    "microsoft.network/virtualnetworkgateways": _gateway,
    "microsoft.network/azurefirewalls": _gateway,
    "microsoft.network/bastionhosts": _gateway,
    "microsoft.network/natgateways": _nat_gateway,
    "microsoft.network/privateendpoints": _private_endpoint,
    "microsoft.containerservice/managedclusters": _managed_cluster,
    "microsoft.web/sites": _web_site,
    "microsoft.web/sites/slots": _web_site,
    "microsoft.compute/disks": _disk,
    "microsoft.storage/storageaccounts": _storage_account,
    "microsoft.sql/servers": _sql_server,
    "microsoft.sql/servers/databases": _sql_database,
    "microsoft.dbforpostgresql/flexibleservers": _flexible_server,
    "microsoft.dbformysql/flexibleservers": _flexible_server,
    "microsoft.cache/redis": _redis,
    "microsoft.keyvault/vaults": _key_vault,
    "microsoft.containerinstance/containergroups": _container_group,
}


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
