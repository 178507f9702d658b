"""S3 buckets, each placed in the region `GetBucketLocation` reports.

Buckets are listed once per account (the list is global); their region then
decides where they are drawn and whether a `--regions` filter keeps them.
"""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.kinds import s3_bucket_arn
from cloudviz.sources.aws.scope import Found, Scope, unit

BUCKET = "AWS::S3::Bucket"

# GetBucketLocation answers null for us-east-1 and "EU" for the oldest
# eu-west-1 buckets.
_LEGACY_LOCATIONS = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}


@reads("s3:ListAllMyBuckets", fallback=[])
def get_bucket_list(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("list_buckets", "Buckets")


@reads("s3:GetBucketLocation", fallback=None)
def get_bucket_region(scope: Scope, bucket: str) -> str | None:
    location = scope.client().get_bucket_location(Bucket=bucket)
    constraint: str | None = location.get("LocationConstraint")
    return _LEGACY_LOCATIONS.get(constraint, constraint)


def get_buckets(scope: Scope) -> list[dict[str, Any]]:
    buckets = get_bucket_list(scope)
    regions = scope.map(
        lambda bucket: (
            bucket.get("BucketRegion") or get_bucket_region(scope, bucket["Name"])
        ),
        buckets,
    )
    for bucket, region in zip(buckets, regions, strict=True):
        bucket["Region"] = region
    return buckets


def transform_buckets(
    buckets: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for bucket in buckets:
        found.add(
            BUCKET,
            s3_bucket_arn(bucket["Name"], bucket.get("Region")),
            bucket["Name"],
            bucket,
            region=bucket.get("Region") or region,
        )
    return found


UNITS = (unit(BUCKET, "s3", get_buckets, transform_buckets, is_global=True),)
