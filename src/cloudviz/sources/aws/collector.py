"""Discover AWS accounts: every region × resource family, in parallel.

One task per (account, region, resource family) runs on a bounded thread
pool (`providers.aws.max_workers`); global families (S3, IAM) run once per
account. Calls made once per item (per queue, table, target group, bucket)
run on a second pool of the same size, so one region with 500 queues does not
become the long pole. Each task reads through `get_` functions whose failures
are recorded (see `failures`), so one denied service or region costs only its
own resources. The API calls of every client are counted into `source.detail`.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from cloudviz.config import AwsSettings
from cloudviz.errors import ProviderError
from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.filters import ResourceFilter
from cloudviz.inventory.model import Inventory, Resource
from cloudviz.progress import Progress
from cloudviz.sources.aws.catalog import UNITS
from cloudviz.sources.aws.kinds import kind_of
from cloudviz.sources.aws.placement import lift_out_of_subnets
from cloudviz.sources.aws.regions import choose_regions, get_regions
from cloudviz.sources.aws.scope import GLOBAL_REGION, Found, Scope, Unit
from cloudviz.sources.aws.session import AwsAccount, CallCounter, open_accounts
from cloudviz.sources.live import ExtractRequest

log = logging.getLogger(__name__)

ERROR_CODE = "CV004"


@dataclass(frozen=True)
class Task:
    account: AwsAccount
    region: str
    unit: Unit
    label: str


def extract_aws_inventory(
    request: ExtractRequest, settings: AwsSettings, progress: Progress
) -> Inventory:
    """Everything the request's accounts and regions hold that could be read.

    Raises ProviderError (CV004) only when no account's credentials work.
    """
    started = time.perf_counter()
    counter = CallCounter()
    builder = InventoryBuilder(
        request.name or "aws", "aws", source_detail=request.describe()
    )
    accounts = identified_accounts(request, settings, counter, builder)
    several = len(accounts) > 1

    units = wanted_units(request.filter)
    tasks: list[Task] = []
    regions_read: dict[str, list[str]] = {}
    for account in accounts:
        regions = account_regions(account, request, settings, builder, several)
        regions_read[account.account_id] = regions
        tasks += plan(account, regions, units, several)

    log.info(
        "aws.extract.start accounts=%s regions=%s tasks=%s workers=%s",
        len(accounts),
        sum(len(regions) for regions in regions_read.values()),
        len(tasks),
        settings.max_workers,
    )
    run_tasks(tasks, settings.max_workers, builder, progress)

    inventory = builder.build()
    lift_out_of_subnets(inventory)
    inventory.resources.sort(key=lambda resource: (resource.type, resource.id))
    inventory.errors.sort(key=lambda error: error.scope)
    record_run(inventory, regions_read, counter, time.perf_counter() - started)
    return inventory


def record_run(
    inventory: Inventory,
    regions_read: dict[str, list[str]],
    counter: CallCounter,
    seconds: float,
) -> None:
    """What was read, with how many calls and how long, into `source.detail`."""
    detail = inventory.source_detail
    detail["accounts"] = sorted(regions_read)
    detail["regions"] = sorted(
        {r for regions in regions_read.values() for r in regions}
    )
    detail["api_calls"] = counter.total
    detail["api_calls_by_operation"] = counter.snapshot()
    detail["duration_seconds"] = round(seconds, 3)
    log.info(
        "aws.extract.done resources=%s errors=%s api_calls=%s seconds=%.2f",
        len(inventory.resources),
        len(inventory.errors),
        detail["api_calls"],
        seconds,
    )


def identified_accounts(
    request: ExtractRequest,
    settings: AwsSettings,
    counter: CallCounter,
    builder: InventoryBuilder,
) -> list[AwsAccount]:
    """The accounts whose credentials work, each once; the others recorded.

    When none works, the (first) credential error is raised.
    """
    accounts = open_accounts(request.profiles, request.role_arns, settings, counter)
    usable: dict[str, AwsAccount] = {}
    failures: list[ProviderError] = []
    for account in accounts:
        try:
            account.identify()
        except ProviderError as error:
            failures.append(error)
            builder.error("aws", account.label, ERROR_CODE, str(error))
            continue
        if account.account_id in usable:
            log.warning(
                "aws.account_repeated account=%s skipped=%s",
                account.account_id,
                account.label,
            )
            continue
        usable[account.account_id] = account
    if not usable:
        raise failures[0]
    return list(usable.values())


def account_regions(
    account: AwsAccount,
    request: ExtractRequest,
    settings: AwsSettings,
    builder: InventoryBuilder,
    several: bool,
) -> list[str]:
    requested = request.regions or tuple(settings.regions)
    scope = Scope(
        account,
        account.home_region,
        "ec2",
        _label(account, account.home_region, "ec2", several),
    )
    regions, skipped = choose_regions(get_regions(scope), requested)
    for message in scope.failures:
        builder.error("aws", scope.label, ERROR_CODE, message)
    for region, why in skipped:
        builder.error("aws", _label(account, region, "", several), ERROR_CODE, why)
    return regions


def plan(
    account: AwsAccount, regions: list[str], units: list[Unit], several: bool
) -> list[Task]:
    tasks = [
        Task(
            account,
            GLOBAL_REGION,
            unit,
            _label(account, GLOBAL_REGION, unit.service, several),
        )
        for unit in units
        if unit.is_global
    ]
    tasks += [
        Task(account, region, unit, _label(account, region, unit.service, several))
        for region in regions
        for unit in units
        if not unit.is_global
    ]
    return tasks


def wanted_units(criteria: ResourceFilter) -> list[Unit]:
    """The resource families whose types can pass `--kind`/`--type` at all.

    `cloudviz extract aws --kind "network.*"` then makes no RDS, SQS or IAM
    calls; the filter itself is still applied to what is read.
    """
    by_kind_and_type = ResourceFilter(kinds=criteria.kinds, types=criteria.types)
    if by_kind_and_type.is_empty():
        return list(UNITS)
    return [
        unit
        for unit in UNITS
        if any(
            by_kind_and_type.rejection(
                Resource(
                    id="",
                    provider="aws",
                    type=aws_type,
                    kind=kind_of(aws_type),
                    name="",
                )
            )
            is None
            for aws_type in unit.types
        )
    ]


def _label(account: AwsAccount, region: str, service: str, several: bool) -> str:
    """An error scope: `eu-west-1/rds`, prefixed by the account when several."""
    label = "/".join(part for part in (region, service) if part) or account.label
    return f"{account.account_id}/{label}" if several else label


def run_tasks(
    tasks: list[Task], max_workers: int, builder: InventoryBuilder, progress: Progress
) -> None:
    """Run every task on a bounded pool and fold results in as they finish."""
    progress.begin(f"aws: {len(tasks)} region × service reads", len(tasks))
    try:
        with (
            ThreadPoolExecutor(max_workers, "cloudviz-aws") as pool,
            ThreadPoolExecutor(max_workers, "cloudviz-aws-item") as item_pool,
        ):
            futures: dict[Future[tuple[Found, list[str]]], Task] = {
                pool.submit(run_task, task, item_pool): task for task in tasks
            }
            try:
                for future in as_completed(futures):
                    fold(builder, futures[future], *future.result())
                    progress.advance()
            except BaseException:
                # A bug or Ctrl-C: do not wait for the reads still queued.
                for future in futures:
                    future.cancel()
                raise
    finally:
        progress.end()


def fold(
    builder: InventoryBuilder, task: Task, found: Found, failures: list[str]
) -> None:
    for resource in found.resources:
        builder.add(resource)
    for source, target, kind in found.edges:
        builder.relate(source, target, kind)
    for message in failures:
        builder.error("aws", task.label, ERROR_CODE, message)


def run_task(task: Task, item_pool: Executor) -> tuple[Found, list[str]]:
    scope = Scope(task.account, task.region, task.unit.service, task.label, item_pool)
    started = time.perf_counter()
    found = task.unit.collect(scope)
    log.debug(
        "aws.read scope=%s unit=%s resources=%s seconds=%.2f",
        task.label,
        task.unit.name,
        len(found.resources),
        time.perf_counter() - started,
    )
    return found, scope.failures
