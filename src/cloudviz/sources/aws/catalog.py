"""Every resource family the AWS collector reads, in one list."""

from __future__ import annotations

from cloudviz.sources.aws import (
    awslambda,
    dynamodb,
    ec2,
    ecs,
    eks,
    elasticache,
    elb,
    iam,
    rds,
    s3,
    sns,
    sqs,
    vpc,
)
from cloudviz.sources.aws.scope import Unit

UNITS: tuple[Unit, ...] = (
    *vpc.UNITS,
    *ec2.UNITS,
    *elb.UNITS,
    *rds.UNITS,
    *awslambda.UNITS,
    *dynamodb.UNITS,
    *elasticache.UNITS,
    *ecs.UNITS,
    *eks.UNITS,
    *sqs.UNITS,
    *sns.UNITS,
    *s3.UNITS,
    *iam.UNITS,
)
