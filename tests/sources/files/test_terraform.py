"""The Terraform importer on hand-written samples of the documented shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cloudviz.errors import ValidationError
from cloudviz.inventory.codec import dumps_inventory, inventory_from_dict
from cloudviz.inventory.model import Inventory, Resource
from cloudviz.sources.files import terraform
from cloudviz.sources.files.registry import detect_format, import_files
from cloudviz.sources.files.source import ImportSource
from cloudviz.sources.files.terraform_kinds import provider_of

SAMPLES = Path(__file__).parents[2] / "fixtures" / "imports" / "terraform"
SUB = (
    "/subscriptions/5f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f/resourceGroups/ledger-prod-rg"
)
GCE = "//compute.googleapis.com/projects/atlas-prod-4821"


def load(name: str) -> Inventory:
    inventory = import_files([SAMPLES / name])
    # Whatever the importer builds must survive the strict file reader.
    inventory_from_dict(inventory.to_dict())
    return inventory


def by_address(inventory: Inventory) -> dict[str, Resource]:
    return {str(r.properties["terraform_address"]): r for r in inventory.resources}


def edges(inventory: Inventory) -> set[tuple[str, str, str]]:
    return {(rel.source, rel.type, rel.target) for rel in inventory.relationships}


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    "name",
    ["aws_show_state.json", "aws_plan.json", "azure_raw.tfstate", "google_raw.tfstate"],
)
def test_samples_are_detected_from_content(name: str, tmp_path: Path) -> None:
    # A misleading file name changes nothing.
    copy = tmp_path / "export.txt"
    copy.write_bytes((SAMPLES / name).read_bytes())
    assert detect_format(ImportSource(copy)).name == "terraform"


def test_a_cloudviz_inventory_is_not_taken_for_terraform(tmp_path: Path) -> None:
    inventory = load("aws_show_state.json")
    path = tmp_path / "inventory.json"
    path.write_bytes(dumps_inventory(inventory))
    assert detect_format(ImportSource(path)).name == "cloudviz"


# -- terraform show -json of a state (aws) ------------------------------------------


def test_show_state_reads_nested_modules_with_count_and_for_each() -> None:
    found = by_address(load("aws_show_state.json"))
    assert found["module.app.module.web.aws_instance.web[1]"].kind == "compute.vm"
    subnet = found['module.network.aws_subnet.private["b"]']
    assert subnet.kind == "network.subnet"
    assert subnet.name == "shop-private-b"
    assert (
        subnet.id
        == "arn:aws:ec2:eu-central-1:210987654321:subnet/subnet-0bbb0000000000002"
    )
    assert (subnet.account, subnet.region, subnet.zone) == (
        "210987654321",
        "eu-central-1",
        "eu-central-1b",
    )


def test_show_state_maps_kinds_and_keeps_unknown_types_as_other() -> None:
    found = by_address(load("aws_show_state.json"))
    kinds = {address: r.kind for address, r in found.items()}
    assert kinds["aws_s3_bucket.assets"] == "storage.bucket"
    assert kinds["aws_iam_role.app"] == "security.identity"
    assert kinds["module.app.aws_lb.public"] == "network.load_balancer"
    assert kinds["module.app.aws_db_instance.main"] == "database.sql"
    alarm = found["aws_cloudwatch_metric_alarm.cpu"]
    assert (alarm.kind, alarm.type) == ("other", "aws_cloudwatch_metric_alarm")


def test_show_state_skips_data_sources_settings_links_and_utilities() -> None:
    inventory = load("aws_show_state.json")
    addresses = set(by_address(inventory))
    assert "data.aws_caller_identity.current" not in addresses
    assert "random_password.db" not in addresses
    assert "aws_s3_bucket_versioning.assets" not in addresses
    assert not any("attachment" in address for address in addresses)
    assert inventory.source_detail["skipped"] == {
        "data_sources": 1,
        "link_resources": 4,
        "settings_resources": 2,
        "utility_resources": 1,
    }


def test_show_state_infers_parents_and_relationships() -> None:
    inventory = load("aws_show_state.json")
    found = by_address(inventory)
    vpc = found["module.network.aws_vpc.main"].id
    subnet_a = found['module.network.aws_subnet.private["a"]'].id
    web0 = found["module.app.module.web.aws_instance.web[0]"]
    sg = found["module.network.aws_security_group.web"].id
    lb = found["module.app.aws_lb.public"].id
    tg = found["module.app.aws_lb_target_group.web"].id
    db = found["module.app.aws_db_instance.main"]
    nic = found["module.app.module.web.aws_network_interface.extra"].id
    shared = found["module.network.aws_vpc.shared"].id

    assert found['module.network.aws_subnet.private["a"]'].parent == vpc
    assert web0.parent == subnet_a
    assert db.parent == vpc
    found_edges = edges(inventory)
    assert (web0.id, "secured_by", sg) in found_edges
    assert (nic, "attached_to", web0.id) in found_edges
    assert (lb, "routes_to", tg) in found_edges
    assert (lb, "targets", web0.id) in found_edges
    assert (db.id, "attached_to", subnet_a) in found_edges
    assert (db.id, "secured_by", sg) in found_edges
    assert (vpc, "peers_with", shared) in found_edges


def test_show_state_keeps_secrets_and_outputs_out() -> None:
    inventory = load("aws_show_state.json")
    text = dumps_inventory(inventory).decode()
    assert "correct-horse-battery-staple" not in text
    assert "IyEvYmluL2Jhc2g" not in text  # user_data
    assert "assume_role_policy" not in text
    assert "lb_dns" not in text
    db = by_address(inventory)["module.app.aws_db_instance.main"]
    assert db.properties["engine"] == "postgres"
    assert db.properties["multi_az"] is True


# -- terraform show -json of a plan ---------------------------------------------------


def test_plan_reads_planned_values_and_the_planned_actions() -> None:
    inventory = load("aws_plan.json")
    found = by_address(inventory)
    assert inventory.source_detail["shape"] == "plan"
    assert found["aws_vpc.main"].properties["planned_action"] == "no-op"
    assert found["aws_db_instance.orders"].properties["planned_action"] == (
        "delete+create"
    )
    # Not created yet: no provider id, so the address stands in.
    queue = found["aws_sqs_queue.orders"]
    assert (queue.id, queue.kind, queue.name) == (
        "aws_sqs_queue.orders",
        "messaging.queue",
        "orders.fifo",
    )
    subnet = found["module.workers.aws_subnet.this[0]"]
    assert subnet.parent == found["aws_vpc.main"].id


def test_plan_relates_what_it_will_create_through_the_configuration() -> None:
    inventory = load("aws_plan.json")
    found = by_address(inventory)
    # Known after apply: the references come from `configuration`, including
    # `aws_subnet.worker[count.index]`, which Terraform reports without index.
    assert found["aws_instance.worker[1]"].parent == "aws_subnet.worker[1]"
    assert found["aws_subnet.worker[0]"].parent == found["aws_vpc.main"].id
    found_edges = edges(inventory)
    assert ("aws_lb_target_group.workers", "targets", "aws_instance.worker[0]") in (
        found_edges
    )
    assert (
        "module.workers.aws_lambda_function.worker",
        "attached_to",
        "module.workers.aws_subnet.this[0]",
    ) in found_edges


def test_plan_ignores_prior_state_and_secrets() -> None:
    inventory = load("aws_plan.json")
    assert "aws_s3_bucket.old" not in by_address(inventory)
    text = dumps_inventory(inventory).decode()
    assert "plan-secret-value" not in text
    assert "abc123" not in text


# -- raw terraform.tfstate v4 (azurerm) ----------------------------------------------


def test_raw_azure_state_places_resources_through_arm_ids() -> None:
    inventory = load("azure_raw.tfstate")
    found = by_address(inventory)
    vnet = found["azurerm_virtual_network.main"]
    app = found['azurerm_subnet.tier["app"]']
    vm = found["module.app.azurerm_linux_virtual_machine.vm[1]"]
    assert vnet.kind == "network.vpc"
    assert (vnet.group, vnet.account, vnet.region) == (
        "ledger-prod-rg",
        "5f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f",
        "westeurope",
    )
    assert app.parent == vnet.id
    assert app.region == "westeurope"  # inherited from the VNet
    # NIC 1 names its subnet in another letter case: ARM ids are case-blind.
    assert found["module.app.azurerm_network_interface.vm[1]"].parent == app.id
    assert vm.parent == app.id
    assert vm.properties["instance_type"] == "Standard_D4s_v5"
    db = found["azurerm_mssql_database.ledger"]
    assert db.parent == found["azurerm_mssql_server.main"].id
    assert found["azurerm_kubernetes_cluster.main"].parent == app.id
    assert found["azurerm_resource_group.main"].kind == "management.group"
    # "West Europe" as written in the configuration, normalised.
    assert found["azurerm_virtual_network.hub"].region == "westeurope"


def test_raw_azure_state_relationships() -> None:
    inventory = load("azure_raw.tfstate")
    found_edges = edges(inventory)
    lb = f"{SUB}/providers/Microsoft.Network/loadBalancers/ledger-lb"
    vm0 = f"{SUB}/providers/Microsoft.Compute/virtualMachines/ledger-app-0"
    nic0 = f"{SUB}/providers/Microsoft.Network/networkInterfaces/ledger-app-0-nic"
    vnet = f"{SUB}/providers/Microsoft.Network/virtualNetworks/ledger-vnet"
    hub = (
        "/subscriptions/5f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f/resourceGroups/hub-rg"
        "/providers/Microsoft.Network/virtualNetworks/hub-vnet"
    )
    nsg = f"{SUB}/providers/Microsoft.Network/networkSecurityGroups/ledger-app-nsg"
    assert (nic0, "attached_to", vm0) in found_edges
    assert (lb, "targets", nic0) in found_edges
    assert (lb, "targets", vm0) in found_edges
    assert (vnet, "peers_with", hub) in found_edges
    assert (f"{vnet}/subnets/app", "secured_by", nsg) in found_edges


def test_raw_azure_state_drops_sensitive_attributes_and_secrets() -> None:
    inventory = load("azure_raw.tfstate")
    text = dumps_inventory(inventory).decode()
    for secret in ("Tr0ub4dor", "bm90LWEtcmVhbC1rZXk", "c2hhcmVk", "I2Nsb3Vk", "a2V5"):
        assert secret not in text
    assert "sql_connection" not in text


# -- raw terraform.tfstate v4 (google) -----------------------------------------------


def test_raw_google_state_uses_full_resource_names() -> None:
    found = by_address(load("google_raw.tfstate"))
    network = found["google_compute_network.vpc"]
    assert network.id == f"{GCE}/global/networks/atlas-vpc"
    assert network.account == "atlas-prod-4821"
    assert found["google_storage_bucket.exports"].id == (
        "//storage.googleapis.com/atlas-exports-4821"
    )
    assert found["google_sql_database_instance.main"].id == (
        "//sqladmin.googleapis.com/projects/atlas-prod-4821/instances/atlas-pg"
    )
    # Served by the google-beta provider, still GCP.
    assert found["google_compute_network.shared"].provider == "gcp"
    dataset = found["google_bigquery_dataset.analytics"]
    assert (dataset.kind, dataset.id) == (
        "other",
        "//bigquery.googleapis.com/projects/atlas-prod-4821/datasets/analytics",
    )


def test_raw_google_state_parents_from_self_links_paths_and_names() -> None:
    inventory = load("google_raw.tfstate")
    found = by_address(inventory)
    network = f"{GCE}/global/networks/atlas-vpc"
    subnet = f"{GCE}/regions/europe-west1/subnetworks/atlas-ew1"
    module = 'module.regions["europe-west1"]'
    assert found[f"{module}.google_compute_subnetwork.main"].parent == network
    vm0 = found[f"{module}.google_compute_instance.api[0]"]
    vm1 = found[f"{module}.google_compute_instance.api[1]"]
    assert vm0.parent == subnet  # self-link
    assert vm1.parent == subnet  # partial path
    assert (vm0.region, vm0.zone) == ("europe-west1", "europe-west1-b")
    assert found["google_compute_firewall.allow_https"].parent == network  # a name
    pool = found["google_container_node_pool.general"]
    assert pool.parent == found["google_container_cluster.main"].id
    assert found["google_container_cluster.main"].parent == subnet

    found_edges = edges(inventory)
    rule = f"{GCE}/regions/europe-west1/forwardingRules/atlas-workers-ilb"
    group = f"{GCE}/zones/europe-west1-b/instanceGroupManagers/atlas-workers"
    assert (rule, "targets", group) in found_edges
    assert (network, "peers_with", f"{GCE}/global/networks/shared-vpc") in found_edges
    # The firewall targets the "web" network tag, which only api-0 carries.
    firewall = found["google_compute_firewall.allow_https"].id
    assert (vm0.id, "secured_by", firewall) in found_edges
    assert (vm1.id, "secured_by", firewall) not in found_edges


def test_raw_google_state_skips_and_redacts() -> None:
    inventory = load("google_raw.tfstate")
    assert inventory.source_detail["skipped"] == {
        "data_sources": 1,
        "link_resources": 1,
        "settings_resources": 1,
    }
    text = dumps_inventory(inventory).decode()
    for secret in ("hunter2", "c2VjcmV0", "ssh-ed25519"):
        assert secret not in text


# -- sensitive values in both shapes ---------------------------------------------------


def raw_state(attributes: dict[str, Any], sensitive: list[Any]) -> dict[str, Any]:
    return {
        "version": 4,
        "terraform_version": "1.9.0",
        "lineage": "x",
        "resources": [
            {
                "mode": "managed",
                "type": "aws_instance",
                "name": "one",
                "provider": 'provider["registry.terraform.io/hashicorp/aws"].eu',
                "instances": [
                    {"attributes": attributes, "sensitive_attributes": sensitive}
                ],
            }
        ],
    }


def test_sensitive_attributes_of_a_raw_state_never_enter(tmp_path: Path) -> None:
    attributes = {
        "id": "i-1",
        "private_ip": "10.1.1.1",
        "tags": {"Name": "box", "owner": "alice@example.org"},
        "network_interface": [{"network_interface_id": "eni-1"}],
    }
    sensitive = [
        [{"type": "get_attr", "value": "private_ip"}],
        [
            {"type": "get_attr", "value": "tags"},
            {"type": "index", "value": {"value": "owner", "type": "string"}},
        ],
    ]
    path = write_json(tmp_path / "state", raw_state(attributes, sensitive))
    (vm,) = import_files([path]).resources
    assert "private_ip" not in vm.properties
    assert vm.tags == {"Name": "box"}
    assert vm.name == "box"


def test_sensitive_values_of_show_json_never_enter(tmp_path: Path) -> None:
    document = {
        "format_version": "1.0",
        "terraform_version": "1.9.0",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_instance.one",
                        "mode": "managed",
                        "type": "aws_instance",
                        "name": "one",
                        "provider_name": "registry.terraform.io/hashicorp/aws",
                        "values": {
                            "id": "i-1",
                            "instance_type": "t3.micro",
                            "tags": {"Name": "secret-project-x"},
                        },
                        "sensitive_values": {"tags": True, "instance_type": True},
                    }
                ]
            }
        },
    }
    path = write_json(tmp_path / "show.json", document)
    (vm,) = import_files([path]).resources
    assert vm.tags == {}
    assert vm.properties == {"terraform_address": "aws_instance.one"}
    assert vm.name == "one"


# -- other providers and refusals ---------------------------------------------


def test_unknown_providers_become_other(tmp_path: Path) -> None:
    document = raw_state({"id": "default/web"}, [])
    document["resources"][0].update(
        type="kubernetes_deployment",
        provider='provider["registry.terraform.io/hashicorp/kubernetes"]',
    )
    (resource,) = import_files([write_json(tmp_path / "k.tfstate", document)]).resources
    assert (resource.provider, resource.kind, resource.id) == (
        "other",
        "other",
        "default/web",
    )


@pytest.mark.parametrize(
    ("provider", "rtype", "expected"),
    [
        ("registry.terraform.io/hashicorp/aws", "aws_vpc", "aws"),
        ('provider["registry.terraform.io/hashicorp/azurerm"]', "azurerm_lb", "azure"),
        ('provider["registry.terraform.io/hashicorp/google-beta"].b', "x", "gcp"),
        ("provider.aws.west", "aws_vpc", "aws"),
        ("", "google_compute_network", "gcp"),
        ('provider["registry.terraform.io/hashicorp/random"]', "random_id", "random"),
    ],
)
def test_provider_names(provider: str, rtype: str, expected: str) -> None:
    assert provider_of(provider, rtype) == expected


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"version": 3, "terraform_version": "0.11.14", "modules": []}, "version 3"),
        ({"format_version": "2.0", "terraform_version": "2.0.0"}, "format_version"),
        ([{"terraform_version": "1.0"}], "not a Terraform state"),
        ({"terraform_version": "1.0"}, "no `version`"),
    ],
)
def test_unsupported_documents_are_refused(
    tmp_path: Path, document: Any, message: str
) -> None:
    path = write_json(tmp_path / "state.json", document)
    with pytest.raises(ValidationError, match=message) as caught:
        import_files([path], file_format="terraform")
    assert caught.value.cv_code == "CV010"


def test_a_truncated_state_is_a_validation_error(tmp_path: Path) -> None:
    text = (SAMPLES / "azure_raw.tfstate").read_text()
    path = tmp_path / "cut.tfstate"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(ValidationError, match="not valid JSON"):
        import_files([path])


def test_an_empty_state_is_an_empty_inventory(tmp_path: Path) -> None:
    path = write_json(tmp_path / "empty.json", {"format_version": "1.0"})
    inventory = import_files([path], file_format="terraform")
    assert inventory.resources == []


def test_several_states_merge(tmp_path: Path) -> None:
    inventory = import_files(
        [SAMPLES / "azure_raw.tfstate", SAMPLES / "google_raw.tfstate"]
    )
    assert {r.provider for r in inventory.resources} == {"azure", "gcp"}
    inventory_from_dict(inventory.to_dict())


class RecordingProgress:
    def __init__(self) -> None:
        self.advanced = 0
        self.tasks: list[tuple[str, int | None]] = []

    def begin(self, task: str, total: int | None) -> None:
        self.tasks.append((task, total))

    def advance(self, amount: int = 1) -> None:
        self.advanced += amount

    def end(self) -> None:
        return None


@pytest.mark.parametrize("name", ["aws_show_state.json", "google_raw.tfstate"])
def test_import_reports_progress_by_bytes_read(name: str) -> None:
    progress = RecordingProgress()
    import_files([SAMPLES / name], progress=progress)
    size = (SAMPLES / name).stat().st_size
    assert progress.tasks == [(f"importing {name} (terraform)", size)]
    assert progress.advanced == size


def test_references_to_other_states_are_counted(tmp_path: Path) -> None:
    document = raw_state({"id": "i-1", "subnet_id": "subnet-managed-elsewhere"}, [])
    inventory = import_files([write_json(tmp_path / "s.tfstate", document)])
    assert inventory.resources[0].parent is None
    assert inventory.source_detail["references_outside_file"] == 1


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '{"version": 4, "terraform_version": "1.9.0", "serial": 3, "lineage": "x"',
            True,
        ),
        (
            '{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values"',
            True,
        ),
        ('{"format_version": "1.0"}', False),
        ('[{"name": "vm", "tags": {"lineage": "a", "serial_no": "7"}}]', False),
        ('[{"name": "vm", "tags": {"terraform_version": "1.5"}}]', False),
        ('{"schema_version": 1, "resources": [{"terraform_version": 1}]}', False),
    ],
)
def test_sniffing_needs_two_terraform_markers(head: str, expected: bool) -> None:
    assert terraform.sniff(head) is expected
