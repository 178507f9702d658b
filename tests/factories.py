"""Plain factory functions with keyword overrides, shared by the tests."""

from __future__ import annotations

from typing import Any

from cloudviz.inventory.model import Inventory, Relationship, Resource


def make_resource(**overrides: Any) -> Resource:
    values: dict[str, Any] = {
        "id": "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc",
        "provider": "aws",
        "type": "AWS::EC2::Instance",
        "kind": "compute.vm",
        "name": "web-1",
        "account": "123456789012",
        "region": "eu-west-1",
        "tags": {"env": "prod"},
        "properties": {"instance_type": "t3.small"},
    }
    values.update(overrides)
    return Resource(**values)


def make_inventory(
    resources: list[Resource] | None = None,
    relationships: list[Relationship] | None = None,
    **overrides: Any,
) -> Inventory:
    values: dict[str, Any] = {
        "name": "test",
        "source_kind": "test",
        "resources": resources if resources is not None else [make_resource()],
        "relationships": relationships or [],
    }
    values.update(overrides)
    return Inventory(**values)


def small_network() -> Inventory:
    """A VPC with a subnet, a VM, its NIC and a security group."""
    vpc = make_resource(id="vpc-1", type="AWS::EC2::VPC", kind="network.vpc", name="v")
    subnet = make_resource(
        id="subnet-1",
        type="AWS::EC2::Subnet",
        kind="network.subnet",
        name="s",
        parent="vpc-1",
    )
    vm = make_resource(id="i-1", parent="subnet-1")
    nic = make_resource(
        id="eni-1",
        type="AWS::EC2::NetworkInterface",
        kind="network.nic",
        name="n",
        parent="subnet-1",
    )
    group = make_resource(
        id="sg-1",
        type="AWS::EC2::SecurityGroup",
        kind="network.security_group",
        name="g",
        parent="vpc-1",
    )
    return make_inventory(
        [vpc, subnet, vm, nic, group],
        [
            Relationship("eni-1", "i-1", "attached_to"),
            Relationship("i-1", "sg-1", "secured_by"),
        ],
    )
