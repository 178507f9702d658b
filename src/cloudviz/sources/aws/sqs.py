"""SQS queues: listed by URL, then each queue's attributes read.

A queue with a redrive policy `uses` its dead-letter queue.
"""

from __future__ import annotations

import json
from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.scope import Found, Scope, unit

QUEUE = "AWS::SQS::Queue"
_ATTRIBUTES = [
    "QueueArn",
    "FifoQueue",
    "VisibilityTimeout",
    "MessageRetentionPeriod",
    "RedrivePolicy",
]


@reads("sqs:ListQueues", fallback=[])
def get_queue_urls(scope: Scope) -> list[str]:
    return scope.paginate("list_queues", "QueueUrls")


@reads("sqs:GetQueueAttributes", fallback=[])
def get_queue(scope: Scope, url: str) -> list[dict[str, Any]]:
    response = scope.client().get_queue_attributes(
        QueueUrl=url, AttributeNames=_ATTRIBUTES
    )
    return [{"QueueUrl": url, **response["Attributes"]}]


def get_queues(scope: Scope) -> list[dict[str, Any]]:
    return scope.each(lambda url: get_queue(scope, url), get_queue_urls(scope))


def transform_queues(queues: list[dict[str, Any]], account: str, region: str) -> Found:
    found = Found(account, region)
    for queue in queues:
        arn = queue["QueueArn"]
        found.add(QUEUE, arn, arn.rsplit(":", 1)[1], queue, url=queue["QueueUrl"])
        redrive = queue.get("RedrivePolicy")
        if redrive:
            found.relate(arn, [json.loads(redrive).get("deadLetterTargetArn")], "uses")
    return found


UNITS = (unit(QUEUE, "sqs", get_queues, transform_queues),)
