"""A moto server on loopback and a multi-region AWS estate built with boto3.

Shared by the AWS collector tests and `benchmarks/aws_extract_benchmark.py`.
`isolated_aws_environment` points every SDK call at the moto server and cuts
every other route to AWS (shared config files, the instance metadata service),
so nothing can leave the machine.
"""

from __future__ import annotations

import io
import json
import logging
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

ACCOUNT = "123456789012"  # moto's default account
SECRET_PASSWORD = "Never-In-Inventory-9"
SECRET_ENV_VALUE = "lambda-env-secret-value"
ROLE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 (ephemeral port); yields its URL."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def isolated_environment(endpoint: str, tmp_dir: str) -> dict[str, str]:
    """Environment variables that send boto3 to `endpoint` and nowhere else."""
    missing = os.path.join(tmp_dir, "no-such-aws-file")
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": missing,
        "AWS_SHARED_CREDENTIALS_FILE": missing,
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_PROXY": "127.0.0.1,localhost",
    }


def _client(endpoint: str, service: str, region: str) -> Any:
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@dataclass
class RegionEstate:
    region: str
    vpc: str = ""
    subnets: list[str] = field(default_factory=list)
    web_sg: str = ""
    db_sg: str = ""
    instances: list[str] = field(default_factory=list)
    load_balancer: str = ""
    target_group: str = ""
    function_arn: str = ""
    extra_eni: str = ""
    peer_vpc: str = ""
    peering: str = ""


def _lambda_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


def build_region(
    endpoint: str,
    region: str,
    index: int,
    *,
    instances: int = 3,
    role_arn: str,
    extra_vpcs: int = 0,
    queues: int = 1,
) -> RegionEstate:
    """A small shop in one region: network, VMs behind an ALB, a DB, a function."""
    ec2 = _client(endpoint, "ec2", region)
    estate = RegionEstate(region)
    vpc = ec2.create_vpc(
        CidrBlock=f"10.{index}.0.0/16",
        TagSpecifications=[
            {
                "ResourceType": "vpc",
                "Tags": [{"Key": "Name", "Value": f"shop-{region}"}],
            }
        ],
    )["Vpc"]["VpcId"]
    estate.vpc = vpc
    zones = [
        zone["ZoneName"]
        for zone in ec2.describe_availability_zones()["AvailabilityZones"]
    ]
    for number in range(2):
        estate.subnets.append(
            ec2.create_subnet(
                VpcId=vpc,
                CidrBlock=f"10.{index}.{number}.0/24",
                AvailabilityZone=zones[number],
            )["Subnet"]["SubnetId"]
        )
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(
        RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw
    )
    ec2.associate_route_table(RouteTableId=table, SubnetId=estate.subnets[0])
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.create_nat_gateway(SubnetId=estate.subnets[0], AllocationId=allocation)
    estate.web_sg = ec2.create_security_group(
        GroupName="web", Description="web tier", VpcId=vpc
    )["GroupId"]
    estate.db_sg = ec2.create_security_group(
        GroupName="db", Description="database", VpcId=vpc
    )["GroupId"]

    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    reservation = ec2.run_instances(
        ImageId=image,
        MinCount=instances,
        MaxCount=instances,
        InstanceType="t3.small",
        SubnetId=estate.subnets[0],
        SecurityGroupIds=[estate.web_sg],
        UserData="#!/bin/sh\necho user-data-secret",
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": [{"Key": "env", "Value": "prod"}]}
        ],
    )
    estate.instances = [item["InstanceId"] for item in reservation["Instances"]]
    eni = ec2.create_network_interface(
        SubnetId=estate.subnets[1], Groups=[estate.web_sg]
    )
    estate.extra_eni = eni["NetworkInterface"]["NetworkInterfaceId"]
    ec2.attach_network_interface(
        NetworkInterfaceId=estate.extra_eni,
        InstanceId=estate.instances[0],
        DeviceIndex=1,
    )

    for number in range(extra_vpcs):
        ec2.create_vpc(CidrBlock=f"172.{16 + number % 16}.0.0/16")
    peer = ec2.create_vpc(CidrBlock=f"10.{100 + index}.0.0/16")["Vpc"]["VpcId"]
    estate.peer_vpc = peer
    estate.peering = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer)[
        "VpcPeeringConnection"
    ]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=estate.peering)

    elbv2 = _client(endpoint, "elbv2", region)
    estate.load_balancer = elbv2.create_load_balancer(
        Name=f"shop-alb-{index}", Subnets=estate.subnets, SecurityGroups=[estate.web_sg]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    estate.target_group = elbv2.create_target_group(
        Name=f"shop-web-{index}", Protocol="HTTP", Port=80, VpcId=vpc
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.register_targets(
        TargetGroupArn=estate.target_group,
        Targets=[{"Id": instance} for instance in estate.instances],
    )
    elbv2.create_listener(
        LoadBalancerArn=estate.load_balancer,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": estate.target_group}],
    )

    rds = _client(endpoint, "rds", region)
    rds.create_db_subnet_group(
        DBSubnetGroupName="shop-db",
        DBSubnetGroupDescription="shop",
        SubnetIds=estate.subnets,
    )
    rds.create_db_instance(
        DBInstanceIdentifier=f"shop-orders-{index}",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="shop",
        MasterUserPassword=SECRET_PASSWORD,
        AllocatedStorage=20,
        DBSubnetGroupName="shop-db",
        VpcSecurityGroupIds=[estate.db_sg],
    )

    estate.function_arn = _client(endpoint, "lambda", region).create_function(
        FunctionName=f"thumbnailer-{index}",
        Runtime="python3.12",
        Role=role_arn,
        Handler="app.handler",
        Code={"ZipFile": _lambda_zip()},
        Environment={"Variables": {"API_TOKEN": SECRET_ENV_VALUE}},
        VpcConfig={"SubnetIds": estate.subnets, "SecurityGroupIds": [estate.web_sg]},
    )["FunctionArn"]

    _client(endpoint, "dynamodb", region).create_table(
        TableName=f"carts-{index}",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    sqs = _client(endpoint, "sqs", region)
    dead = sqs.create_queue(QueueName=f"orders-dlq-{index}")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    queue_arn = ""
    for number in range(queues):
        url = sqs.create_queue(
            QueueName=f"orders-{index}-{number}",
            Attributes={
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dead_arn, "maxReceiveCount": "5"}
                )
            },
        )["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
    _containers(endpoint, region, index, estate, role_arn)

    sns = _client(endpoint, "sns", region)
    topic = sns.create_topic(Name=f"order-events-{index}")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    return estate


def _containers(
    endpoint: str, region: str, index: int, estate: RegionEstate, role_arn: str
) -> None:
    """An ECS service, an EKS cluster, a cache and a classic ELB."""
    ecs = _client(endpoint, "ecs", region)
    cluster = ecs.create_cluster(clusterName=f"shop-{index}")["cluster"]["clusterArn"]
    ecs.register_task_definition(
        family="web",
        networkMode="awsvpc",
        containerDefinitions=[{"name": "web", "image": "nginx", "memory": 256}],
    )
    ecs.create_service(
        cluster=cluster,
        serviceName="web",
        taskDefinition="web",
        desiredCount=2,
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": estate.subnets,
                "securityGroups": [estate.web_sg],
            }
        },
    )
    _client(endpoint, "eks", region).create_cluster(
        name=f"platform-{index}",
        roleArn=role_arn,
        resourcesVpcConfig={
            "subnetIds": estate.subnets,
            "securityGroupIds": [estate.web_sg],
        },
    )
    _client(endpoint, "elasticache", region).create_cache_cluster(
        CacheClusterId=f"sessions-{index}",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=1,
    )
    _client(endpoint, "elb", region).create_load_balancer(
        LoadBalancerName=f"legacy-{index}",
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        Subnets=[estate.subnets[0]],
        SecurityGroups=[estate.web_sg],
    )
    _client(endpoint, "elb", region).register_instances_with_load_balancer(
        LoadBalancerName=f"legacy-{index}",
        Instances=[{"InstanceId": estate.instances[-1]}],
    )


def build_estate(
    endpoint: str, regions: list[str], *, instances: int = 3, **options: Any
) -> dict[str, RegionEstate]:
    """The shop in every region, one IAM role and a bucket per region."""
    iam = _client(endpoint, "iam", "us-east-1")
    role_arn = iam.create_role(
        RoleName="thumbnailer", AssumeRolePolicyDocument=ROLE_POLICY
    )["Role"]["Arn"]
    estates = {}
    for index, region in enumerate(regions, start=1):
        estates[region] = build_region(
            endpoint, region, index, instances=instances, role_arn=role_arn, **options
        )
        s3 = _client(endpoint, "s3", region)
        bucket = f"shop-assets-{region}"
        if region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
            )
    return estates
