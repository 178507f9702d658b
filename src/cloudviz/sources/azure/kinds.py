"""Azure resource types mapped to CloudViz kinds.

Keys are lower case: Resource Graph returns types in lower case, while
`az resource list` and the objects nested in `properties` keep ARM's mixed
case (`Microsoft.Network/virtualNetworks`). A type not listed is `other`.
"""

from __future__ import annotations

AZURE_KINDS: dict[str, str] = {
    # networking
    "microsoft.network/virtualnetworks": "network.vpc",
    "microsoft.network/virtualnetworks/subnets": "network.subnet",
    "microsoft.network/networkinterfaces": "network.nic",
    "microsoft.network/privateendpoints": "network.nic",
    "microsoft.network/networksecuritygroups": "network.security_group",
    "microsoft.network/applicationsecuritygroups": "network.security_group",
    "microsoft.network/firewallpolicies": "network.security_group",
    "microsoft.network/applicationgatewaywebapplicationfirewallpolicies": (
        "network.security_group"
    ),
    "microsoft.network/loadbalancers": "network.load_balancer",
    "microsoft.network/applicationgateways": "network.load_balancer",
    "microsoft.network/publicipaddresses": "network.public_ip",
    "microsoft.network/publicipprefixes": "network.public_ip",
    "microsoft.network/virtualnetworkgateways": "network.gateway",
    "microsoft.network/localnetworkgateways": "network.gateway",
    "microsoft.network/natgateways": "network.gateway",
    "microsoft.network/azurefirewalls": "network.gateway",
    "microsoft.network/bastionhosts": "network.gateway",
    "microsoft.network/expressroutecircuits": "network.gateway",
    "microsoft.network/connections": "network.gateway",
    "microsoft.network/virtualhubs": "network.gateway",
    "microsoft.network/vpngateways": "network.gateway",
    "microsoft.network/virtualwans": "network.vpc",
    "microsoft.network/dnszones": "network.dns",
    "microsoft.network/privatednszones": "network.dns",
    "microsoft.network/trafficmanagerprofiles": "network.dns",
    "microsoft.network/frontdoors": "network.cdn",
    "microsoft.cdn/profiles": "network.cdn",
    "microsoft.cdn/profiles/endpoints": "network.cdn",
    "microsoft.cdn/profiles/afdendpoints": "network.cdn",
    # compute
    "microsoft.compute/virtualmachines": "compute.vm",
    "microsoft.classiccompute/virtualmachines": "compute.vm",
    "microsoft.compute/virtualmachinescalesets": "compute.scale_set",
    "microsoft.compute/disks": "storage.disk",
    "microsoft.web/sites": "container.service",
    "microsoft.web/sites/slots": "container.service",
    "microsoft.web/staticsites": "container.service",
    "microsoft.logic/workflows": "compute.function",
    # containers
    "microsoft.containerservice/managedclusters": "container.cluster",
    "microsoft.app/managedenvironments": "container.cluster",
    "microsoft.app/containerapps": "container.service",
    "microsoft.containerinstance/containergroups": "container.service",
    # storage and databases
    "microsoft.storage/storageaccounts": "storage.bucket",
    "microsoft.sql/servers": "database.sql",
    "microsoft.sql/servers/databases": "database.sql",
    "microsoft.sql/servers/elasticpools": "database.sql",
    "microsoft.sql/managedinstances": "database.sql",
    "microsoft.sql/managedinstances/databases": "database.sql",
    "microsoft.dbforpostgresql/servers": "database.sql",
    "microsoft.dbforpostgresql/flexibleservers": "database.sql",
    "microsoft.dbformysql/servers": "database.sql",
    "microsoft.dbformysql/flexibleservers": "database.sql",
    "microsoft.dbformariadb/servers": "database.sql",
    "microsoft.documentdb/databaseaccounts": "database.nosql",
    "microsoft.documentdb/mongoclusters": "database.nosql",
    "microsoft.cache/redis": "database.cache",
    "microsoft.cache/redisenterprise": "database.cache",
    # messaging
    "microsoft.servicebus/namespaces": "messaging.queue",
    "microsoft.servicebus/namespaces/queues": "messaging.queue",
    "microsoft.servicebus/namespaces/topics": "messaging.topic",
    "microsoft.eventhub/namespaces": "messaging.topic",
    "microsoft.eventgrid/topics": "messaging.topic",
    "microsoft.eventgrid/systemtopics": "messaging.topic",
    "microsoft.eventgrid/domains": "messaging.topic",
    "microsoft.storage/storageaccounts/queueservices/queues": "messaging.queue",
    # security and management
    "microsoft.managedidentity/userassignedidentities": "security.identity",
    "microsoft.keyvault/vaults": "security.key_vault",
    "microsoft.keyvault/managedhsms": "security.key_vault",
    "microsoft.resources/subscriptions/resourcegroups": "management.group",
    "microsoft.resources/resourcegroups": "management.group",
    "microsoft.resources/subscriptions": "management.group",
    "microsoft.management/managementgroups": "management.group",
}

# App Service sites are web apps unless their `kind` says they are functions.
FUNCTION_APP_MARKER = "functionapp"


def kind_for(resource_type: str, row_kind: str | None = None) -> str:
    """The CloudViz kind of an Azure type (any case); `other` when unknown."""
    lowered = resource_type.lower()
    is_site = lowered.startswith("microsoft.web/sites")
    if is_site and row_kind and FUNCTION_APP_MARKER in row_kind.lower():
        return "compute.function"
    return AZURE_KINDS.get(lowered, "other")
