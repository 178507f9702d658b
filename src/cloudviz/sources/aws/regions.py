"""Which regions of an account to read.

Without `--regions`, every region enabled for the account (what
`ec2:DescribeRegions` lists by default: opt-in regions only once opted in).
With `--regions`, the names given (globs allowed: `eu-*`), each checked
against the account's regions so a typo or a region not opted in becomes one
clear error instead of twenty failed calls.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.scope import GLOBAL_REGION, Scope

_ENABLED = frozenset({"opt-in-not-required", "opted-in"})


@reads("ec2:DescribeRegions", fallback=None)
def get_regions(scope: Scope) -> list[dict[str, Any]] | None:
    response = scope.client().describe_regions(AllRegions=True)
    return list(response["Regions"])


def choose_regions(
    known: list[dict[str, Any]] | None, requested: tuple[str, ...]
) -> tuple[list[str], list[tuple[str, str]]]:
    """(regions to read, [(region, why it is skipped)]).

    `known` is DescribeRegions' answer, or None when it could not be read:
    then the requested names are trusted as given.
    """
    # `global` is where IAM roles are filed, not an AWS region: asking for it
    # keeps global resources through the region filter and reads no region.
    asked_only_global = bool(requested) and set(requested) == {GLOBAL_REGION}
    requested = tuple(name for name in requested if name != GLOBAL_REGION)
    if known is None:
        return [name for name in requested if not _is_glob(name)], []
    status = {region["RegionName"]: region.get("OptInStatus") for region in known}
    enabled = sorted(name for name, state in status.items() if state in _ENABLED)
    if not requested:
        return ([] if asked_only_global else enabled), []

    chosen: list[str] = []
    skipped: list[tuple[str, str]] = []
    for pattern in requested:
        if _is_glob(pattern):
            chosen += [name for name in enabled if fnmatch.fnmatchcase(name, pattern)]
        elif pattern in enabled:
            chosen.append(pattern)
        elif pattern in status:
            skipped.append(
                (
                    pattern,
                    f"OptInRequired: region {pattern} is not enabled for this "
                    "account; enable it (Account settings → AWS Regions) or leave "
                    "it out of --regions",
                )
            )
        else:
            skipped.append(
                (
                    pattern,
                    f"unknown region {pattern!r}; the account knows: "
                    + ", ".join(enabled),
                )
            )
    return list(dict.fromkeys(chosen)), skipped


def _is_glob(name: str) -> bool:
    return any(char in name for char in "*?[")
