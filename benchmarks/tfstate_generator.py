"""Write a demo estate as a raw `terraform.tfstate` (version 4), for benchmarks.

Each resource of `generate_demo_inventory` becomes one Terraform resource with
the attributes the real provider stores (ids, ARNs, self-links, references to
subnets, networks, security groups and NICs), padded with the computed
attributes a real state carries (timeouts, block devices, metadata options,
default tags...), so 100,000 resources weigh about what a real state of that
size does (over 100 MB). The file is written resource by resource; it is never
held in memory whole.

    .venv/bin/python benchmarks/tfstate_generator.py 10000 /tmp/estate.tfstate
    .venv/bin/python benchmarks/tfstate_generator.py 10000 /tmp/show.json show

`show` writes the same estate in the shape of `terraform show -json`.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cloudviz.inventory.model import Inventory, Resource
from cloudviz.sources.demo import generate_demo_inventory

PROVIDERS = {
    "aws": 'provider["registry.terraform.io/hashicorp/aws"]',
    "azure": 'provider["registry.terraform.io/hashicorp/azurerm"]',
    "gcp": 'provider["registry.terraform.io/hashicorp/google"]',
}
TERRAFORM_TYPES = {
    "AWS::EC2::VPC": "aws_vpc",
    "AWS::EC2::Subnet": "aws_subnet",
    "AWS::EC2::SecurityGroup": "aws_security_group",
    "AWS::EC2::InternetGateway": "aws_internet_gateway",
    "AWS::EC2::Instance": "aws_instance",
    "AWS::EC2::NetworkInterface": "aws_network_interface",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "aws_lb",
    "AWS::RDS::DBInstance": "aws_db_instance",
    "AWS::S3::Bucket": "aws_s3_bucket",
    "AWS::Lambda::Function": "aws_lambda_function",
    "AWS::SQS::Queue": "aws_sqs_queue",
    "microsoft.network/virtualnetworks": "azurerm_virtual_network",
    "microsoft.network/virtualnetworks/subnets": "azurerm_subnet",
    "microsoft.network/networksecuritygroups": "azurerm_network_security_group",
    "microsoft.network/virtualnetworkgateways": "azurerm_virtual_network_gateway",
    "microsoft.compute/virtualmachines": "azurerm_linux_virtual_machine",
    "microsoft.network/networkinterfaces": "azurerm_network_interface",
    "microsoft.network/loadbalancers": "azurerm_lb",
    "microsoft.sql/servers/databases": "azurerm_mssql_database",
    "microsoft.storage/storageaccounts": "azurerm_storage_account",
    "microsoft.web/sites": "azurerm_linux_function_app",
    "microsoft.servicebus/namespaces": "azurerm_servicebus_namespace",
    "compute.googleapis.com/Network": "google_compute_network",
    "compute.googleapis.com/Subnetwork": "google_compute_subnetwork",
    "compute.googleapis.com/Firewall": "google_compute_firewall",
    "compute.googleapis.com/Router": "google_compute_router",
    "compute.googleapis.com/Instance": "google_compute_instance",
    "compute.googleapis.com/ForwardingRule": "google_compute_forwarding_rule",
    "sqladmin.googleapis.com/Instance": "google_sql_database_instance",
    "storage.googleapis.com/Bucket": "google_storage_bucket",
    "cloudfunctions.googleapis.com/CloudFunction": "google_cloudfunctions_function",
    "pubsub.googleapis.com/Topic": "google_pubsub_topic",
}

# Computed attributes real providers store on most resources; they make the
# benchmark file as heavy as a real state without mattering to the importer.
_AWS_PADDING: dict[str, Any] = {
    "timeouts": None,
    "tags_all": {"managed-by": "terraform", "cost-center": "cc-4410"},
    "root_block_device": [
        {
            "delete_on_termination": True,
            "device_name": "/dev/xvda",
            "encrypted": True,
            "iops": 3000,
            "kms_key_id": "arn:aws:kms:eu-west-1:111122223333:key/"
            "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
            "tags": {},
            "throughput": 125,
            "volume_id": "vol-0a1b2c3d4e5f60718",
            "volume_size": 20,
            "volume_type": "gp3",
        }
    ],
    "metadata_options": [
        {
            "http_endpoint": "enabled",
            "http_protocol_ipv6": "disabled",
            "http_put_response_hop_limit": 2,
            "http_tokens": "required",
            "instance_metadata_tags": "disabled",
        }
    ],
    "capacity_reservation_specification": [
        {"capacity_reservation_preference": "open", "capacity_reservation_target": []}
    ],
    "maintenance_options": [{"auto_recovery": "default"}],
    "private_dns_name_options": [
        {
            "enable_resource_name_dns_a_record": False,
            "enable_resource_name_dns_aaaa_record": False,
            "hostname_type": "ip-name",
        }
    ],
    "enclave_options": [{"enabled": False}],
    "ebs_block_device": [],
    "ephemeral_block_device": [],
}
_AZURE_PADDING: dict[str, Any] = {
    "timeouts": None,
    "edge_zone": "",
    "os_disk": [
        {
            "caching": "ReadWrite",
            "disk_encryption_set_id": "",
            "disk_size_gb": 64,
            "name": "osdisk",
            "storage_account_type": "Premium_LRS",
            "write_accelerator_enabled": False,
        }
    ],
    "source_image_reference": [
        {
            "offer": "0001-com-ubuntu-server-jammy",
            "publisher": "Canonical",
            "sku": "22_04-lts-gen2",
            "version": "latest",
        }
    ],
    "boot_diagnostics": [{"storage_account_uri": ""}],
    "identity": [],
    "additional_capabilities": [],
    "plan": [],
}
_GCP_PADDING: dict[str, Any] = {
    "timeouts": None,
    "effective_labels": {"goog-terraform-provisioned": "true"},
    "terraform_labels": {"goog-terraform-provisioned": "true"},
    "scheduling": [
        {
            "automatic_restart": True,
            "on_host_maintenance": "MIGRATE",
            "preemptible": False,
            "provisioning_model": "STANDARD",
            "node_affinities": [],
        }
    ],
    "shielded_instance_config": [
        {
            "enable_integrity_monitoring": True,
            "enable_secure_boot": False,
            "enable_vtpm": True,
        }
    ],
    "boot_disk": [
        {
            "auto_delete": True,
            "device_name": "persistent-disk-0",
            "initialize_params": [
                {"image": "debian-cloud/debian-12", "size": 20, "type": "pd-balanced"}
            ],
            "mode": "READ_WRITE",
        }
    ],
}
_PADDING = {"aws": _AWS_PADDING, "azure": _AZURE_PADDING, "gcp": _GCP_PADDING}
_SAFE_NAME = re.compile(r"[^a-zA-Z0-9_]")


def _native_aws_id(arn: str) -> str:
    return re.split(r"[/:]", arn)[-1]


def _gcp_path(full_name: str) -> str:
    """`projects/...` from `//compute.googleapis.com/projects/...`."""
    return full_name.split("/", 3)[-1]


def _gcp_self_link(full_name: str) -> str:
    return f"https://www.googleapis.com/compute/v1/{_gcp_path(full_name)}"


class _Estate:
    """The demo inventory with the lookups references need."""

    def __init__(self, inventory: Inventory) -> None:
        self.by_id = inventory.by_id()
        self.outgoing: dict[str, dict[str, list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for rel in inventory.relationships:
            self.outgoing[rel.source][rel.type].append(rel.target)
        self.nics: dict[str, list[str]] = defaultdict(list)
        for rel in inventory.relationships:
            if rel.type == "attached_to" and self.by_id[rel.source].kind == (
                "network.nic"
            ):
                self.nics[rel.target].append(rel.source)

    def related(self, resource: Resource, rel_type: str) -> list[str]:
        return self.outgoing[resource.id][rel_type]

    def ancestor(self, resource: Resource, kind: str) -> Resource | None:
        current = self.by_id.get(resource.parent) if resource.parent else None
        while current is not None and current.kind != kind:
            current = self.by_id.get(current.parent) if current.parent else None
        return current


def _aws_attributes(estate: _Estate, resource: Resource) -> dict[str, Any]:
    native = _native_aws_id(resource.id)
    values: dict[str, Any] = {
        "arn": resource.id,
        "id": native,
        "owner_id": resource.account,
        "tags": {"Name": resource.name, **resource.tags},
    }
    parent = estate.by_id.get(resource.parent) if resource.parent else None
    parent_id = _native_aws_id(parent.id) if parent else None
    props = resource.properties
    groups = [_native_aws_id(sg) for sg in estate.related(resource, "secured_by")]
    if resource.kind in ("network.vpc", "network.subnet"):
        values["cidr_block"] = props.get("cidr")
    if resource.kind in ("network.subnet", "network.security_group", "network.gateway"):
        values["vpc_id"] = parent_id
    if resource.kind == "network.subnet":
        values["availability_zone"] = resource.zone
    if resource.kind == "network.security_group":
        values["name"] = resource.name
        values["ingress"] = [
            {"from_port": 443, "to_port": 443, "protocol": "tcp", "self": False}
        ] * int(props.get("ingress_rules", 1))
    if resource.kind == "compute.vm":
        nics = estate.nics.get(resource.id, [])
        values.update(
            instance_type=props.get("instance_type"),
            private_ip=props.get("private_ip"),
            instance_state=props.get("state"),
            subnet_id=parent_id,
            availability_zone=resource.zone,
            vpc_security_group_ids=groups,
            primary_network_interface_id=_native_aws_id(nics[0]) if nics else None,
            ami="ami-0d1c2b3a49586f7e0",
            user_data=None,
        )
    if resource.kind == "network.nic":
        values.update(subnet_id=parent_id, private_ip=props.get("private_ip"))
    if resource.kind == "network.load_balancer":
        vpc = estate.ancestor(resource, "network.vpc")
        values.update(
            name=resource.name,
            load_balancer_type="application",
            internal=props.get("scheme") == "internal",
            subnets=[parent_id],
            vpc_id=_native_aws_id(vpc.id) if vpc else None,
        )
    if resource.kind == "database.sql":
        values.update(
            identifier=resource.name,
            engine=props.get("engine"),
            multi_az=props.get("multi_az"),
            instance_class="db.r6g.large",
            vpc_security_group_ids=groups,
        )
    if resource.kind == "storage.bucket":
        values.update(bucket=resource.name, region=resource.region, id=resource.name)
    if resource.kind == "compute.function":
        values.update(function_name=resource.name, runtime=props.get("runtime"))
    if resource.kind == "messaging.queue":
        values.update(name=resource.name)
    return values


def _azure_attributes(estate: _Estate, resource: Resource) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": resource.id,
        "name": resource.name,
        "location": resource.region,
        "resource_group_name": resource.group,
        "tags": resource.tags,
    }
    props = resource.properties
    parent = estate.by_id.get(resource.parent) if resource.parent else None
    if resource.kind == "network.vpc":
        values["address_space"] = [props.get("cidr")]
    if resource.kind == "network.subnet":
        values["address_prefixes"] = [props.get("cidr")]
        values["virtual_network_name"] = parent.name if parent else None
        del values["location"]
    if resource.kind == "network.nic":
        values["ip_configuration"] = [
            {
                "name": "internal",
                "private_ip_address": props.get("private_ip"),
                "private_ip_address_allocation": "Dynamic",
                "subnet_id": resource.parent,
            }
        ]
    if resource.kind == "compute.vm":
        values.update(
            size=props.get("instance_type"),
            private_ip_address=props.get("private_ip"),
            network_interface_ids=estate.nics.get(resource.id, []),
            admin_username="azureuser",
            zone=resource.zone,
        )
    if resource.kind == "network.load_balancer":
        values["sku"] = "Standard"
        values["frontend_ip_configuration"] = [
            {"name": "frontend", "subnet_id": resource.parent}
        ]
    if resource.kind == "database.sql":
        values["server_id"] = resource.id.rsplit("/databases/", 1)[0]
        values["sku_name"] = "GP_S_Gen5_2"
    if resource.kind == "storage.bucket":
        values.update(account_tier="Standard", account_replication_type="ZRS")
    return values


def _gcp_attributes(estate: _Estate, resource: Resource) -> dict[str, Any]:
    path = _gcp_path(resource.id)
    values: dict[str, Any] = {
        "id": path,
        "name": resource.name,
        "project": resource.account,
        "labels": resource.tags,
    }
    props = resource.properties
    parent = estate.by_id.get(resource.parent) if resource.parent else None
    if resource.id.startswith("//compute."):
        values["self_link"] = _gcp_self_link(resource.id)
    if resource.kind == "network.vpc":
        values["auto_create_subnetworks"] = False
    if resource.kind in ("network.subnet", "network.load_balancer", "network.gateway"):
        values["region"] = resource.region
    if resource.kind == "network.subnet":
        values["ip_cidr_range"] = props.get("cidr")
    if parent is not None and resource.kind != "compute.vm":
        key = "subnetwork" if parent.kind == "network.subnet" else "network"
        values[key] = _gcp_self_link(parent.id)
    if resource.kind == "compute.vm":
        network = estate.ancestor(resource, "network.vpc")
        values.update(
            machine_type=props.get("instance_type"),
            zone=resource.zone,
            current_status="RUNNING",
            network_interface=[
                {
                    "network": _gcp_self_link(network.id) if network else None,
                    "subnetwork": _gcp_self_link(parent.id) if parent else None,
                    "network_ip": props.get("private_ip"),
                }
            ],
        )
    if resource.kind == "network.security_group":
        values["allow"] = [{"protocol": "tcp", "ports": ["443"]}] * int(
            props.get("ingress_rules", 1)
        )
    if resource.kind == "database.sql":
        values.update(
            id=resource.name,
            database_version=props.get("engine"),
            region=resource.region,
            self_link="https://sqladmin.googleapis.com/sql/v1beta4/" + path,
            settings=[{"tier": "db-custom-2-7680", "availability_type": "REGIONAL"}],
        )
    if resource.kind == "storage.bucket":
        values.update(id=resource.name, location="EU", storage_class="STANDARD")
    if resource.kind == "compute.function":
        values.update(region=resource.region, runtime=props.get("runtime"))
    return values


_ATTRIBUTES = {
    "aws": _aws_attributes,
    "azure": _azure_attributes,
    "gcp": _gcp_attributes,
}


def terraform_resources(inventory: Inventory) -> Iterator[dict[str, Any]]:
    """One raw-state `resources[]` entry per demo resource."""
    estate = _Estate(inventory)
    used: set[tuple[str, str, str]] = set()
    for resource in inventory.resources:
        rtype = TERRAFORM_TYPES[resource.type]
        module = "module." + _SAFE_NAME.sub(
            "_", f"{resource.tags['env']}_{resource.tags['app']}"
        )
        name = _SAFE_NAME.sub("_", resource.name)
        while (module, rtype, name) in used:
            name += "_x"
        used.add((module, rtype, name))
        attributes = dict(_PADDING[resource.provider])
        attributes.update(_ATTRIBUTES[resource.provider](estate, resource))
        yield {
            "module": module,
            "mode": "managed",
            "type": rtype,
            "name": name,
            "provider": PROVIDERS[resource.provider],
            "instances": [
                {
                    "schema_version": 1,
                    "attributes": attributes,
                    "sensitive_attributes": [],
                    "private": "eyJzY2hlbWFfdmVyc2lvbiI6IjEifQ==",
                    "dependencies": [],
                }
            ],
        }


def write_tfstate(inventory: Inventory, stream: IO[str]) -> None:
    """Write the raw state, one resource at a time."""
    stream.write(
        '{"version": 4, "terraform_version": "1.9.8", "serial": 1, '
        '"lineage": "b3c5d7e9-0a1b-4c2d-8e3f-4a5b6c7d8e9f", "outputs": {}, '
        '"resources": [\n'
    )
    for position, entry in enumerate(terraform_resources(inventory)):
        if position:
            stream.write(",\n")
        json.dump(entry, stream, indent=2)
    stream.write('\n], "check_results": null}\n')


def write_show_json(inventory: Inventory, stream: IO[str]) -> None:
    """The same estate as `terraform show -json` prints it: one child module
    per module, resources with their addresses, one module at a time."""
    modules: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in terraform_resources(inventory):
        modules[entry["module"]].append(entry)
    stream.write(
        '{"format_version": "1.0", "terraform_version": "1.9.8", '
        '"values": {"outputs": {}, "root_module": {"resources": [], '
        '"child_modules": [\n'
    )
    for position, (module, entries) in enumerate(modules.items()):
        if position:
            stream.write(",\n")
        stream.write(f'{{"address": {json.dumps(module)}, "resources": [\n')
        for number, entry in enumerate(entries):
            if number:
                stream.write(",\n")
            registry = entry["provider"].split('"')[1]
            json.dump(
                {
                    "address": f"{module}.{entry['type']}.{entry['name']}",
                    "mode": "managed",
                    "type": entry["type"],
                    "name": entry["name"],
                    "provider_name": registry,
                    "schema_version": 1,
                    "values": entry["instances"][0]["attributes"],
                    "sensitive_values": {},
                },
                stream,
                indent=2,
            )
        stream.write("\n]}")
    stream.write("\n]}}}\n")


def main(argv: list[str]) -> None:
    resources, target = int(argv[1]), Path(argv[2])
    writer = write_show_json if argv[3:] == ["show"] else write_tfstate
    with target.open("w") as stream:
        writer(generate_demo_inventory(resources, seed=1), stream)


if __name__ == "__main__":
    main(sys.argv)
