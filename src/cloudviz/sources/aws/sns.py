"""SNS topics, and the queues and functions their subscriptions deliver to."""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.scope import Found, Scope, unit

TOPIC = "AWS::SNS::Topic"
_ARN_PROTOCOLS = frozenset({"sqs", "lambda", "firehose"})


@reads("sns:ListTopics", fallback=[])
def get_topic_list(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("list_topics", "Topics")


@reads("sns:ListSubscriptions", fallback=[])
def get_subscriptions(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("list_subscriptions", "Subscriptions")


def get_topics(scope: Scope) -> dict[str, Any]:
    topics = get_topic_list(scope)
    return {
        "Topics": topics,
        "Subscriptions": get_subscriptions(scope) if topics else [],
    }


def transform_topics(payload: dict[str, Any], account: str, region: str) -> Found:
    found = Found(account, region)
    delivers: dict[str, list[str]] = {}
    for subscription in payload["Subscriptions"]:
        if subscription.get("Protocol") in _ARN_PROTOCOLS:
            delivers.setdefault(subscription["TopicArn"], []).append(
                subscription["Endpoint"]
            )
    for topic in payload["Topics"]:
        arn = topic["TopicArn"]
        found.add(
            TOPIC,
            arn,
            arn.rsplit(":", 1)[1],
            topic,
            subscriptions=len(delivers.get(arn, ())),
        )
        found.relate(arn, delivers.get(arn, ()), "routes_to")
    return found


UNITS = (unit(TOPIC, "sns", get_topics, transform_topics),)
