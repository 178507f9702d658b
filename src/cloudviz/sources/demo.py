"""Sample estates: realistic, multi-cloud, deterministic by seed.

`cloudviz demo` feeds the docs, the tests and the benchmarks, so the shapes
here are the ones real estates have: accounts and subscriptions with several
regions, networks with subnets, VMs each with a NIC and security groups, load
balancers targeting VMs, databases in subnets, buckets and functions beside the
networks, and peerings between networks. The same (resources, seed) always
gives byte-for-byte the same inventory.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from cloudviz.errors import ValidationError
from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.model import Inventory, Resource

MAX_DEMO_RESOURCES = 2_000_000

_ENVS = ("prod", "staging", "dev")
_APPS = ("web", "api", "billing", "search", "auth", "etl", "reports", "media")
_TEAMS = ("platform", "payments", "data", "growth")
_AWS_REGIONS = ("eu-west-1", "us-east-1", "us-west-2", "ap-southeast-1")
_AZURE_REGIONS = ("westeurope", "northeurope", "eastus", "uksouth")
_GCP_REGIONS = ("europe-west1", "us-central1", "asia-east1", "us-east4")
_VM_SIZES = {
    "aws": ("t3.small", "m6i.large", "c6g.xlarge", "r6i.2xlarge"),
    "azure": ("Standard_B2s", "Standard_D4s_v5", "Standard_E8s_v5"),
    "gcp": ("e2-medium", "n2-standard-4", "c3-standard-8"),
}


@dataclass(slots=True)
class _Place:
    """Where the block being generated lives."""

    provider: str
    account: str
    region: str
    env: str
    app: str
    group: str | None = None


class _DemoEstate:
    def __init__(self, target: int, seed: int) -> None:
        self.target = target
        self.rng = random.Random(seed)
        self.builder = InventoryBuilder(
            f"demo-{target}-seed{seed}",
            "demo",
            source_detail={"resources": target, "seed": seed},
        )
        self.counter = 0

    # -- small pieces ---------------------------------------------------

    def full(self) -> bool:
        return len(self.builder) >= self.target

    def serial(self) -> int:
        self.counter += 1
        return self.counter

    def hex_id(self, length: int = 17) -> str:
        return f"{self.rng.getrandbits(length * 4):0{length}x}"

    def tags(self, place: _Place) -> dict[str, str]:
        return {
            "env": place.env,
            "app": place.app,
            "team": self.rng.choice(_TEAMS),
        }

    def add(self, resource: Resource) -> Resource | None:
        if self.full():
            return None
        return self.builder.add(resource)

    def resource(
        self,
        place: _Place,
        rid: str,
        rtype: str,
        kind: str,
        name: str,
        *,
        parent: str | None = None,
        zone: str | None = None,
        **properties: object,
    ) -> Resource | None:
        return self.add(
            Resource(
                id=rid,
                provider=place.provider,
                type=rtype,
                kind=kind,
                name=name,
                account=place.account,
                region=place.region,
                zone=zone,
                group=place.group,
                parent=parent,
                tags=self.tags(place),
                properties=dict(properties),
            )
        )

    # -- ids per provider -----------------------------------------------

    def ident(self, place: _Place, what: str, name: str) -> str:
        if place.provider == "aws":
            return _aws_id(place, what, name, self.hex_id())
        if place.provider == "azure":
            return _azure_id(place, what, name)
        return _gcp_id(place, what, name)

    # -- blocks ---------------------------------------------------------

    def places(self) -> Iterator[_Place]:
        accounts = {
            "aws": [f"{self.rng.randrange(10**11, 10**12)}" for _ in range(3)],
            "azure": [
                f"{self.hex_id(8)}-{self.hex_id(4)}-{self.hex_id(4)}-"
                f"{self.hex_id(4)}-{self.hex_id(12)}"
                for _ in range(2)
            ],
            "gcp": [
                f"{env}-{app}-{self.rng.randrange(1000, 9999)}"
                for env, app in (("prod", "core"), ("dev", "lab"))
            ],
        }
        regions = {"aws": _AWS_REGIONS, "azure": _AZURE_REGIONS, "gcp": _GCP_REGIONS}
        while True:
            provider = self.rng.choices(("aws", "azure", "gcp"), (5, 3, 2))[0]
            env = self.rng.choice(_ENVS)
            app = self.rng.choice(_APPS)
            place = _Place(
                provider=provider,
                account=self.rng.choice(accounts[provider]),
                region=self.rng.choice(regions[provider]),
                env=env,
                app=app,
            )
            if provider == "azure":
                place.group = f"{env}-{app}-rg"
            yield place

    def network_block(
        self, place: _Place, previous_vpc: Resource | None
    ) -> Resource | None:
        n = self.serial()
        vpc_name = f"{place.env}-{place.app}-net-{n}"
        vpc_types = {
            "aws": ("AWS::EC2::VPC", "vpc"),
            "azure": ("microsoft.network/virtualnetworks", "vnet"),
            "gcp": ("compute.googleapis.com/Network", "network"),
        }
        vpc_type, what = vpc_types[place.provider]
        cidr_block = self.rng.randrange(0, 250)
        vpc = self.resource(
            place,
            self.ident(place, what, vpc_name),
            vpc_type,
            "network.vpc",
            vpc_name,
            cidr=f"10.{cidr_block}.0.0/16",
        )
        if vpc is None:
            return None
        if previous_vpc is not None and previous_vpc.account == vpc.account:
            self.builder.relate(vpc.id, previous_vpc.id, "peers_with")

        security_groups = [
            self.security_group(place, vpc, f"{vpc_name}-sg-{i}")
            for i in range(self.rng.randint(1, 2))
        ]
        self.gateway(place, vpc)
        vms: list[Resource] = []
        subnets: list[Resource] = []
        for index in range(self.rng.randint(2, 4)):
            subnet = self.subnet(place, vpc, index, cidr_block)
            if subnet is None:
                break
            subnets.append(subnet)
            for _ in range(self.rng.randint(2, 8)):
                vm = self.vm(place, subnet, security_groups)
                if vm is None:
                    break
                vms.append(vm)
        if vms and self.rng.random() < 0.7:
            self.load_balancer(place, vpc, subnets[0], vms)
        if subnets and self.rng.random() < 0.6:
            self.database(place, subnets[-1], security_groups)
        return vpc

    def security_group(
        self, place: _Place, vpc: Resource, name: str
    ) -> Resource | None:
        types = {
            "aws": "AWS::EC2::SecurityGroup",
            "azure": "microsoft.network/networksecuritygroups",
            "gcp": "compute.googleapis.com/Firewall",
        }
        return self.resource(
            place,
            self.ident(place, "sg", name),
            types[place.provider],
            "network.security_group",
            name,
            parent=vpc.id,
            ingress_rules=self.rng.randint(1, 12),
        )

    def gateway(self, place: _Place, vpc: Resource) -> None:
        types = {
            "aws": "AWS::EC2::InternetGateway",
            "azure": "microsoft.network/virtualnetworkgateways",
            "gcp": "compute.googleapis.com/Router",
        }
        gateway = self.resource(
            place,
            self.ident(place, "gateway", f"{vpc.name}-gw"),
            types[place.provider],
            "network.gateway",
            f"{vpc.name}-gw",
            parent=vpc.id,
        )
        if gateway is not None:
            self.builder.relate(gateway.id, vpc.id, "attached_to")

    def subnet(
        self, place: _Place, vpc: Resource, index: int, cidr_block: int
    ) -> Resource | None:
        name = f"{vpc.name}-{'public' if index == 0 else 'private'}-{index}"
        types = {
            "aws": "AWS::EC2::Subnet",
            "azure": "microsoft.network/virtualnetworks/subnets",
            "gcp": "compute.googleapis.com/Subnetwork",
        }
        if place.provider == "azure":
            rid = f"{vpc.id}/subnets/{name}"
        else:
            rid = self.ident(place, "subnet", name)
        zone = _zone(place, index) if place.provider == "aws" else None
        return self.resource(
            place,
            rid,
            types[place.provider],
            "network.subnet",
            name,
            parent=vpc.id,
            zone=zone,
            cidr=f"10.{cidr_block}.{index}.0/24",
        )

    def vm(
        self,
        place: _Place,
        subnet: Resource,
        security_groups: list[Resource | None],
    ) -> Resource | None:
        n = self.serial()
        name = f"{place.env}-{place.app}-vm-{n}"
        types = {
            "aws": ("AWS::EC2::Instance", "AWS::EC2::NetworkInterface"),
            "azure": (
                "microsoft.compute/virtualmachines",
                "microsoft.network/networkinterfaces",
            ),
            "gcp": ("compute.googleapis.com/Instance", None),
        }
        vm_type, nic_type = types[place.provider]
        ip = f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{n % 250 + 4}"
        vm = self.resource(
            place,
            self.ident(place, "vm", name),
            vm_type,
            "compute.vm",
            name,
            parent=subnet.id,
            zone=subnet.zone or _zone(place, n),
            instance_type=self.rng.choice(_VM_SIZES[place.provider]),
            private_ip=ip,
            state="running" if self.rng.random() < 0.93 else "stopped",
        )
        if vm is None:
            return None
        for group in security_groups:
            if group is not None:
                self.builder.relate(vm.id, group.id, "secured_by")
        if nic_type is not None:
            nic = self.resource(
                place,
                self.ident(place, "nic", f"{name}-nic"),
                nic_type,
                "network.nic",
                f"{name}-nic",
                parent=subnet.id,
                private_ip=ip,
            )
            if nic is not None:
                self.builder.relate(nic.id, vm.id, "attached_to")
        return vm

    def load_balancer(
        self, place: _Place, vpc: Resource, subnet: Resource, vms: list[Resource]
    ) -> None:
        types = {
            "aws": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "azure": "microsoft.network/loadbalancers",
            "gcp": "compute.googleapis.com/ForwardingRule",
        }
        name = f"{vpc.name}-lb"
        lb = self.resource(
            place,
            self.ident(place, "lb", name),
            types[place.provider],
            "network.load_balancer",
            name,
            parent=subnet.id,
            scheme="internet-facing" if subnet.name.endswith("-0") else "internal",
        )
        if lb is None:
            return
        targets = self.rng.sample(vms, k=min(len(vms), self.rng.randint(2, 6)))
        self.builder.relate_many(lb.id, [vm.id for vm in targets], "targets")

    def database(
        self,
        place: _Place,
        subnet: Resource,
        security_groups: list[Resource | None],
    ) -> None:
        types = {
            "aws": ("AWS::RDS::DBInstance", "postgres"),
            "azure": ("microsoft.sql/servers/databases", "sqlserver"),
            "gcp": ("sqladmin.googleapis.com/Instance", "POSTGRES_15"),
        }
        db_type, engine = types[place.provider]
        name = f"{place.env}-{place.app}-db-{self.serial()}"
        db = self.resource(
            place,
            self.ident(place, "db", name),
            db_type,
            "database.sql",
            name,
            parent=subnet.id,
            engine=engine,
            multi_az=self.rng.random() < 0.5,
        )
        if db is not None:
            for group in security_groups[:1]:
                if group is not None:
                    self.builder.relate(db.id, group.id, "secured_by")

    def regional_services(self, place: _Place, vpc: Resource | None) -> None:
        n = self.serial()
        bucket_types = {
            "aws": "AWS::S3::Bucket",
            "azure": "microsoft.storage/storageaccounts",
            "gcp": "storage.googleapis.com/Bucket",
        }
        bucket_name = f"{place.env}{place.app}store{n}"
        bucket = self.resource(
            place,
            self.ident(place, "bucket", bucket_name),
            bucket_types[place.provider],
            "storage.bucket",
            bucket_name,
            versioning=self.rng.random() < 0.5,
        )
        function_types = {
            "aws": "AWS::Lambda::Function",
            "azure": "microsoft.web/sites",
            "gcp": "cloudfunctions.googleapis.com/CloudFunction",
        }
        for index in range(self.rng.randint(0, 2)):
            name = f"{place.env}-{place.app}-fn-{n}-{index}"
            function = self.resource(
                place,
                self.ident(place, "function", name),
                function_types[place.provider],
                "compute.function",
                name,
                runtime=self.rng.choice(("python3.12", "nodejs20.x", "java21")),
            )
            if function is not None and bucket is not None:
                self.builder.relate(function.id, bucket.id, "uses")
            if function is not None and vpc is not None and self.rng.random() < 0.3:
                self.builder.relate(function.id, vpc.id, "attached_to")
        if self.rng.random() < 0.5:
            queue_types = {
                "aws": "AWS::SQS::Queue",
                "azure": "microsoft.servicebus/namespaces",
                "gcp": "pubsub.googleapis.com/Topic",
            }
            kind = "messaging.topic" if place.provider == "gcp" else "messaging.queue"
            name = f"{place.env}-{place.app}-events-{n}"
            self.resource(
                place,
                self.ident(place, "queue", name),
                queue_types[place.provider],
                kind,
                name,
            )

    def generate(self) -> Inventory:
        previous: dict[tuple[str, str], Resource] = {}
        for place in self.places():
            if self.full():
                break
            key = (place.account, place.region)
            vpc = self.network_block(place, previous.get(key))
            if vpc is not None:
                previous[key] = vpc
            if not self.full():
                self.regional_services(place, vpc)
        return self.builder.build()


def _zone(place: _Place, index: int) -> str:
    letter = "abc"[index % 3]
    if place.provider == "aws":
        return f"{place.region}{letter}"
    if place.provider == "gcp":
        return f"{place.region}-{letter}"
    return str(index % 3 + 1)


_AWS_ARN = {
    "vpc": ("ec2", "vpc/vpc-"),
    "subnet": ("ec2", "subnet/subnet-"),
    "sg": ("ec2", "security-group/sg-"),
    "gateway": ("ec2", "internet-gateway/igw-"),
    "vm": ("ec2", "instance/i-"),
    "nic": ("ec2", "network-interface/eni-"),
    "lb": ("elasticloadbalancing", "loadbalancer/app/{name}/"),
    "db": ("rds", "db:{name}"),
    "function": ("lambda", "function:{name}"),
    "queue": ("sqs", "{name}"),
}


def _aws_id(place: _Place, what: str, name: str, suffix: str) -> str:
    if what == "bucket":
        return f"arn:aws:s3:::{name}"
    service, pattern = _AWS_ARN[what]
    path = pattern.format(name=name)
    if "{name}" not in pattern and not pattern.endswith(("/", "-")):
        return f"arn:aws:{service}:{place.region}:{place.account}:{path}"
    if pattern.endswith(("/", "-")):
        path += suffix
    return f"arn:aws:{service}:{place.region}:{place.account}:{path}"


_AZURE_PROVIDER = {
    "vnet": "Microsoft.Network/virtualNetworks",
    "sg": "Microsoft.Network/networkSecurityGroups",
    "gateway": "Microsoft.Network/virtualNetworkGateways",
    "vm": "Microsoft.Compute/virtualMachines",
    "nic": "Microsoft.Network/networkInterfaces",
    "lb": "Microsoft.Network/loadBalancers",
    "db": "Microsoft.Sql/servers/{name}-srv/databases",
    "bucket": "Microsoft.Storage/storageAccounts",
    "function": "Microsoft.Web/sites",
    "queue": "Microsoft.ServiceBus/namespaces",
}


def _azure_id(place: _Place, what: str, name: str) -> str:
    provider_path = _AZURE_PROVIDER[what].format(name=name)
    return (
        f"/subscriptions/{place.account}/resourceGroups/{place.group}"
        f"/providers/{provider_path}/{name}"
    )


_GCP_PATH = {
    "network": "compute.googleapis.com/projects/{p}/global/networks/{n}",
    "subnet": "compute.googleapis.com/projects/{p}/regions/{r}/subnetworks/{n}",
    "sg": "compute.googleapis.com/projects/{p}/global/firewalls/{n}",
    "gateway": "compute.googleapis.com/projects/{p}/regions/{r}/routers/{n}",
    "vm": "compute.googleapis.com/projects/{p}/zones/{r}-b/instances/{n}",
    "lb": "compute.googleapis.com/projects/{p}/regions/{r}/forwardingRules/{n}",
    "db": "sqladmin.googleapis.com/projects/{p}/instances/{n}",
    "bucket": "storage.googleapis.com/{n}",
    "function": (
        "cloudfunctions.googleapis.com/projects/{p}/locations/{r}/functions/{n}"
    ),
    "queue": "pubsub.googleapis.com/projects/{p}/topics/{n}",
}


def _gcp_id(place: _Place, what: str, name: str) -> str:
    path = _GCP_PATH[what].format(p=place.account, r=place.region, n=name)
    return f"//{path}"


def generate_demo_inventory(resources: int = 200, seed: int = 42) -> Inventory:
    """A realistic multi-cloud estate of exactly `resources` resources."""
    if resources < 1 or resources > MAX_DEMO_RESOURCES:
        raise ValidationError(
            f"--resources must be between 1 and {MAX_DEMO_RESOURCES:,}, got {resources}"
        )
    inventory = _DemoEstate(resources, seed).generate()
    # Demo estates are timeless: a fixed date keeps them byte-for-byte stable.
    inventory.created_at = "2026-01-01T00:00:00Z"
    return inventory
