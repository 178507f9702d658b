"""The properties CloudViz keeps, per Azure type: names and where they are.

Properties are picked, never copied wholesale, so what a row carries beyond
these (connection strings, app settings, admin user names, `customData`,
keys) cannot reach an inventory. Values computed from several fields (a VNet's
peerings, an AKS cluster's node pools) are added by the type's handler.
"""

from __future__ import annotations

from typing import Any

from cloudviz.sources.azure.nested import compact, dig

Paths = dict[str, tuple[str, ...]]

_SITE: Paths = {
    "default_host_name": ("defaultHostName",),
    "state": ("state",),
    "https_only": ("httpsOnly",),
    "vnet_subnet": ("virtualNetworkSubnetId",),
}
_FLEXIBLE_SERVER: Paths = {
    "fqdn": ("fullyQualifiedDomainName",),
    "version": ("version",),
    "state": ("state",),
}
_GATEWAY: Paths = {"gateway_type": ("gatewayType",), "vpn_type": ("vpnType",)}

PICKED: dict[str, Paths] = {
    "microsoft.network/virtualnetworks": {"dns_servers": ("dhcpOptions", "dnsServers")},
    "microsoft.network/virtualnetworks/subnets": {"cidr": ("addressPrefix",)},
    "microsoft.network/networkinterfaces": {
        "mac_address": ("macAddress",),
        "accelerated_networking": ("enableAcceleratedNetworking",),
    },
    "microsoft.compute/virtualmachines": {
        "instance_type": ("hardwareProfile", "vmSize"),
        "os_type": ("storageProfile", "osDisk", "osType"),
        "computer_name": ("osProfile", "computerName"),
        "state": ("extended", "instanceView", "powerState", "code"),
    },
    "microsoft.compute/virtualmachinescalesets": {
        "orchestration_mode": ("orchestrationMode",),
        "upgrade_policy": ("upgradePolicy", "mode"),
    },
    "microsoft.compute/disks": {
        "size_gb": ("diskSizeGB",),
        "state": ("diskState",),
        "os_type": ("osType",),
    },
    "microsoft.network/applicationgateways": {"waf_policy": ("firewallPolicy", "id")},
    "microsoft.network/publicipaddresses": {
        "ip_address": ("ipAddress",),
        "allocation": ("publicIPAllocationMethod",),
        "fqdn": ("dnsSettings", "fqdn"),
    },
    "microsoft.network/virtualnetworkgateways": _GATEWAY,
    "microsoft.containerservice/managedclusters": {
        "kubernetes_version": ("kubernetesVersion",),
        "network_plugin": ("networkProfile", "networkPlugin"),
        "node_resource_group": ("nodeResourceGroup",),
    },
    "microsoft.web/sites": _SITE,
    "microsoft.web/sites/slots": _SITE,
    "microsoft.storage/storageaccounts": {
        "access_tier": ("accessTier",),
        "blob_endpoint": ("primaryEndpoints", "blob"),
        "public_network_access": ("publicNetworkAccess",),
    },
    "microsoft.sql/servers": {
        "fqdn": ("fullyQualifiedDomainName",),
        "version": ("version",),
        "public_network_access": ("publicNetworkAccess",),
    },
    "microsoft.sql/servers/databases": {
        "status": ("status",),
        "max_size_bytes": ("maxSizeBytes",),
        "elastic_pool": ("elasticPoolId",),
    },
    "microsoft.dbforpostgresql/flexibleservers": _FLEXIBLE_SERVER,
    "microsoft.dbformysql/flexibleservers": _FLEXIBLE_SERVER,
    "microsoft.cache/redis": {
        "host_name": ("hostName",),
        "port": ("sslPort",),
        "version": ("redisVersion",),
    },
    "microsoft.keyvault/vaults": {"vault_uri": ("vaultUri",)},
    "microsoft.containerinstance/containergroups": {"os_type": ("osType",)},
}


def picked_properties(lowered_type: str, props: dict[str, Any]) -> dict[str, Any]:
    """The kept properties of one row of `lowered_type`."""
    paths = PICKED.get(lowered_type)
    if not paths:
        return {}
    return compact(**{name: dig(props, *path) for name, path in paths.items()})
