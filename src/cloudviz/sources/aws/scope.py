"""What one discovery task works on, and what it hands back.

A task is one `Unit` (a resource family of one service: EC2 instances, RDS
clusters, ...) in one account and region. Its `get_` functions read through
the task's `Scope`; its pure `transform_` turns the payloads into a `Found`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cloudviz.inventory.model import Resource
from cloudviz.sources.aws.kinds import ec2_arn, kind_of, pick_properties, tags_from
from cloudviz.sources.aws.session import AwsAccount

GLOBAL_REGION = "global"
T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Scope:
    """One account and region of one service, as `get_` functions see it."""

    account: AwsAccount
    region: str
    service: str
    label: str
    # Where per-item reads (one call per queue, table, target group...) run
    # side by side; None reads them one after another.
    item_pool: Executor | None = None
    failures: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def account_id(self) -> str:
        return self.account.account_id

    def client(self) -> Any:
        region = None if self.region == GLOBAL_REGION else self.region
        return self.account.client(self.service, region)

    def paginate(self, operation: str, key: str, **params: Any) -> list[Any]:
        """Every item under `key` across all pages of a pageable operation."""
        items: list[Any] = []
        for page in self.client().get_paginator(operation).paginate(**params):
            items.extend(page.get(key) or ())
        return items

    def map(self, read: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """`read(item)` for every item, in order, side by side if pooled.

        The item pool is separate from the task pool and item reads never
        submit further work, so a task waiting here cannot starve it.
        """
        if self.item_pool is None:
            return [read(item) for item in items]
        return list(self.item_pool.map(read, items))

    def each(self, read: Callable[[T], list[R]], items: Iterable[T]) -> list[R]:
        """Like `map`, for reads returning lists: the lists joined."""
        return [result for results in self.map(read, items) for result in results]

    def record_failure(self, message: str) -> None:
        with self._lock:
            if message not in self.failures:
                self.failures.append(message)


@dataclass
class Found:
    """Resources and edges a transform produced (ids are ARNs)."""

    account: str
    region: str
    resources: list[Resource] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)

    def add(
        self,
        aws_type: str,
        arn: str,
        name: str,
        payload: dict[str, Any],
        *,
        parent: str | None = None,
        zone: str | None = None,
        tags: Any = None,
        region: str | None = None,
        **extra: Any,
    ) -> str:
        """Add a resource of `aws_type` built from its API payload; its id back."""
        properties = pick_properties(aws_type, payload)
        properties.update({key: value for key, value in extra.items() if value})
        self.resources.append(
            Resource(
                id=arn,
                provider="aws",
                type=aws_type,
                kind=kind_of(aws_type),
                name=name,
                account=self.account,
                region=region or self.region,
                zone=zone,
                parent=parent,
                tags=tags_from(tags),
                properties=properties,
            )
        )
        return arn

    def ec2(self, aws_type: str, resource_id: str | None) -> str | None:
        """The ARN of an EC2-family resource here (this account and region)."""
        if not resource_id:
            return None
        return ec2_arn(aws_type, self.region, self.account, resource_id)

    def secured_by(self, source: str, group_ids: Iterable[str]) -> None:
        """`source` is secured by these security groups (ids of this region)."""
        groups = (self.ec2("AWS::EC2::SecurityGroup", group) for group in group_ids)
        self.relate(source, groups, "secured_by")

    def relate(
        self, source: str | None, targets: Iterable[str | None], kind: str
    ) -> None:
        for target in targets:
            if source and target:
                self.edges.append((source, target, kind))


Transform = Callable[[Any, str, str], Found]


@dataclass(frozen=True)
class Unit:
    """A resource family: the types it yields, its client, how to collect it."""

    types: tuple[str, ...]
    service: str
    collect: Callable[[Scope], Found]
    is_global: bool = False

    @property
    def name(self) -> str:
        return "+".join(self.types)


def unit(
    yields: str | tuple[str, ...],
    service: str,
    get: Callable[[Scope], Any],
    transform: Transform,
    *,
    is_global: bool = False,
) -> Unit:
    """A Unit whose collection is `transform(get(scope), account, region)`."""

    def collect(scope: Scope) -> Found:
        return transform(get(scope), scope.account_id, scope.region)

    types = (yields,) if isinstance(yields, str) else yields
    return Unit(types, service, collect, is_global)


def name_tag(tags: Any, default: str) -> str:
    """The `Name` tag of an EC2-style tag list, else `default`."""
    return tags_from(tags).get("Name") or default
