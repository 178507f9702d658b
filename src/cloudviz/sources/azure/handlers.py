"""What each Azure type's row says about its neighbours.

A handler reads one row's `properties` and records, on the transform, where
the resource is drawn (`parent`) and how it relates to others. Handlers may
name resources that are not (yet) known: the transform settles what it can
once every row is in, and the inventory builder drops what stays unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cloudviz.inventory.model import Resource
from cloudviz.sources.azure.arm_ids import owner_of
from cloudviz.sources.azure.nested import compact, dig, dig_list, dig_str, ids_in

if TYPE_CHECKING:
    from cloudviz.sources.azure.transform import AzureTransform

Handler = Callable[["AzureTransform", Resource, dict[str, Any]], None]


def _primary(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The item flagged `properties.primary`, else the first."""
    flagged = (item for item in items if dig(item, "properties", "primary") is True)
    return next(flagged, items[0] if items else None)


def _in_subnet(t: AzureTransform, resource: Resource, subnet: str | None) -> None:
    t.place_in_subnet(resource, [subnet] if subnet else [])


def _virtual_network(t: AzureTransform, vnet: Resource, props: dict[str, Any]) -> None:
    peerings = []
    for peering in dig_list(props, "virtualNetworkPeerings"):
        remote = dig_str(peering, "properties", "remoteVirtualNetwork", "id")
        t.builder.relate(vnet.id, remote, "peers_with")
        peerings.append(
            compact(
                name=dig_str(peering, "name"),
                remote_vnet=remote,
                state=dig_str(peering, "properties", "peeringState"),
            )
        )
    space = dig(props, "addressSpace", "addressPrefixes")
    cidrs = (
        [cidr for cidr in space if isinstance(cidr, str)]
        if isinstance(space, list)
        else []
    )
    vnet.properties.update(
        compact(cidr=cidrs[0] if cidrs else None, cidrs=cidrs, peerings=peerings)
    )
    for subnet in dig_list(props, "subnets"):
        t.add_subnet(vnet, subnet)


def _subnet_row(t: AzureTransform, subnet: Resource, props: dict[str, Any]) -> None:
    subnet.parent = owner_of(subnet.id)
    t.relate_subnet_security(subnet.id, dig_str(props, "networkSecurityGroup", "id"))
    t.builder.relate(subnet.id, dig_str(props, "routeTable", "id"), "routes_to")


def _network_interface(t: AzureTransform, nic: Resource, props: dict[str, Any]) -> None:
    configs = dig_list(props, "ipConfigurations")
    primary = _primary(configs)
    primary_subnet = dig_str(primary, "properties", "subnet", "id")
    if primary_subnet:
        t.note_nic_subnet(nic.id, primary_subnet)
    subnets = [primary_subnet] if primary_subnet else []
    t.place_in_subnet(
        nic,
        list(dict.fromkeys(subnets + ids_in(configs, "properties", "subnet", "id"))),
    )

    builder = t.builder
    vm_id = dig_str(props, "virtualMachine", "id")
    if vm_id:
        t.link_nic_to_vm(nic.id, vm_id)
    builder.relate(nic.id, dig_str(props, "networkSecurityGroup", "id"), "secured_by")
    builder.relate(nic.id, dig_str(props, "privateEndpoint", "id"), "attached_to")
    for config in configs:
        public_ip = dig_str(config, "properties", "publicIPAddress", "id")
        builder.relate(public_ip, nic.id, "attached_to")
        groups = dig_list(config, "properties", "applicationSecurityGroups")
        builder.relate_many(nic.id, ids_in(groups), "secured_by")
        for pools in (
            "loadBalancerBackendAddressPools",
            "applicationGatewayBackendAddressPools",
        ):
            for pool in ids_in(dig_list(config, "properties", pools)):
                t.note_pool_member(owner_of(pool), nic.id)

    private_ips = ids_in(configs, "properties", "privateIPAddress")
    nic.properties.update(
        compact(
            private_ip=dig_str(primary, "properties", "privateIPAddress"),
            private_ips=private_ips if len(private_ips) > 1 else None,
        )
    )


def _virtual_machine(t: AzureTransform, vm: Resource, props: dict[str, Any]) -> None:
    nics = dig_list(props, "networkProfile", "networkInterfaces")
    primary_nic = dig_str(_primary(nics), "id")
    if primary_nic:
        t.note_primary_nic(vm.id, primary_nic)
    for nic_id in ids_in(nics):
        t.link_nic_to_vm(nic_id, vm.id)

    storage = dig(props, "storageProfile")
    disks = [dig_str(storage, "osDisk", "managedDisk", "id")]
    disks += ids_in(dig_list(storage, "dataDisks"), "managedDisk", "id")
    for disk_id in disks:
        t.builder.relate(disk_id, vm.id, "attached_to")

    image = [
        dig_str(storage, "imageReference", part)
        for part in ("publisher", "offer", "sku")
    ]
    vm.properties.update(compact(image=":".join(part for part in image if part)))


def _scale_set(t: AzureTransform, vmss: Resource, props: dict[str, Any]) -> None:
    nic_configs = dig_list(
        props,
        "virtualMachineProfile",
        "networkProfile",
        "networkInterfaceConfigurations",
    )
    ip_configs = [
        ip_config
        for nic_config in nic_configs
        for ip_config in dig_list(nic_config, "properties", "ipConfigurations")
    ]
    subnets = ids_in(ip_configs, "properties", "subnet", "id")
    t.place_in_subnet(vmss, list(dict.fromkeys(subnets)))
    for ip_config in ip_configs:
        pools = dig_list(ip_config, "properties", "loadBalancerBackendAddressPools")
        for pool in ids_in(pools):
            t.note_pool_member(owner_of(pool), vmss.id)


def _load_balancer(t: AzureTransform, lb: Resource, props: dict[str, Any]) -> None:
    frontends = dig_list(props, "frontendIPConfigurations")
    for public_ip in ids_in(frontends, "properties", "publicIPAddress", "id"):
        t.builder.relate(public_ip, lb.id, "attached_to")
    t.place_in_subnet(lb, ids_in(frontends, "properties", "subnet", "id"))
    pools = dig_list(props, "backendAddressPools")
    t.target_pool_members(lb, pools)
    lb.properties.update(
        compact(
            private_ips=ids_in(frontends, "properties", "privateIPAddress"),
            backend_pools=len(pools) or None,
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
    t.builder.relate(agw.id, dig_str(props, "firewallPolicy", "id"), "secured_by")
    pools = dig_list(props, "backendAddressPools")
    t.target_pool_members(agw, pools)
    addresses = [
        dig_str(address, "fqdn") or dig_str(address, "ipAddress")
        for pool in pools
        for address in dig_list(pool, "properties", "backendAddresses")
    ]
    agw.properties.update(
        compact(backend_addresses=[address for address in addresses if address])
    )


def _public_ip(t: AzureTransform, pip: Resource, props: dict[str, Any]) -> None:
    config = dig_str(props, "ipConfiguration", "id")
    if config:
        t.builder.relate(pip.id, owner_of(config), "attached_to")
    t.builder.relate(pip.id, dig_str(props, "natGateway", "id"), "attached_to")


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
        compact(ingress_rules=inbound, egress_rules=len(rules) - inbound)
    )


def _gateway(t: AzureTransform, gateway: Resource, props: dict[str, Any]) -> None:
    configs = dig_list(props, "ipConfigurations")
    t.place_in_subnet(gateway, ids_in(configs, "properties", "subnet", "id"))
    for public_ip in ids_in(configs, "properties", "publicIPAddress", "id"):
        t.builder.relate(public_ip, gateway.id, "attached_to")


def _nat_gateway(t: AzureTransform, nat: Resource, props: dict[str, Any]) -> None:
    subnets = ids_in(dig_list(props, "subnets"))
    for subnet_id in subnets:
        t.builder.relate(subnet_id, nat.id, "routes_to")
    if subnets and nat.parent is None:
        nat.parent = owner_of(subnets[0])
    for public_ip in ids_in(dig_list(props, "publicIpAddresses")):
        t.builder.relate(public_ip, nat.id, "attached_to")


def _private_endpoint(t: AzureTransform, pe: Resource, props: dict[str, Any]) -> None:
    _in_subnet(t, pe, dig_str(props, "subnet", "id"))
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
    pe.properties.update(compact(services=services, group_ids=groups))


def _managed_cluster(t: AzureTransform, aks: Resource, props: dict[str, Any]) -> None:
    pools = dig_list(props, "agentPoolProfiles")
    t.place_in_subnet(aks, list(dict.fromkeys(ids_in(pools, "vnetSubnetID"))))
    node_pools = [
        compact(
            name=dig_str(pool, "name"),
            count=dig(pool, "count"),
            vm_size=dig_str(pool, "vmSize"),
            mode=dig_str(pool, "mode"),
        )
        for pool in pools
    ]
    aks.properties.update(
        compact(
            fqdn=dig_str(props, "fqdn") or dig_str(props, "privateFQDN"),
            node_pools=node_pools,
        )
    )


def _web_site(t: AzureTransform, site: Resource, props: dict[str, Any]) -> None:
    t.builder.relate(site.id, dig_str(props, "virtualNetworkSubnetId"), "attached_to")
    t.builder.relate(site.id, dig_str(props, "serverFarmId"), "depends_on")


def _storage_account(
    t: AzureTransform, account: Resource, props: dict[str, Any]
) -> None:
    rules = dig_list(props, "networkAcls", "virtualNetworkRules")
    for subnet_id in ids_in(rules):
        t.builder.relate(subnet_id, account.id, "uses")


def _sql_database(t: AzureTransform, db: Resource, props: dict[str, Any]) -> None:
    t.builder.relate(db.id, dig_str(props, "elasticPoolId"), "depends_on")


def _flexible_server(
    t: AzureTransform, server: Resource, props: dict[str, Any]
) -> None:
    _in_subnet(t, server, dig_str(props, "network", "delegatedSubnetResourceId"))


def _redis(t: AzureTransform, cache: Resource, props: dict[str, Any]) -> None:
    _in_subnet(t, cache, dig_str(props, "subnetId"))


def _container_group(t: AzureTransform, group: Resource, props: dict[str, Any]) -> None:
    t.place_in_subnet(group, ids_in(dig_list(props, "subnetIds")))
    group.properties.update(
        compact(containers=len(dig_list(props, "containers")) or None)
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
    "microsoft.storage/storageaccounts": _storage_account,
    "microsoft.sql/servers/databases": _sql_database,
    "microsoft.dbforpostgresql/flexibleservers": _flexible_server,
    "microsoft.dbformysql/flexibleservers": _flexible_server,
    "microsoft.cache/redis": _redis,
    "microsoft.containerinstance/containergroups": _container_group,
}
