"""The Resource Graph (KQL) queries discovery sends.

Filters go into the query itself, so Resource Graph returns only what was
asked for instead of every row of a large estate. CloudViz filters are
case-insensitive shell globs; each becomes the cheapest KQL test that means
the same: `=~` for a plain value, `startswith` for `prefix*`, otherwise
`matches regex` with `(?i)`. Every value is written as an escaped KQL string
literal, so no filter value can change the query's meaning.
"""

from __future__ import annotations

import fnmatch
import re

from cloudviz.inventory.filters import ResourceFilter

RESOURCE_GROUP_TYPE = "microsoft.resources/subscriptions/resourcegroups"
SUBSCRIPTION_TYPE = "microsoft.resources/subscriptions"
VNET_TYPE = "microsoft.network/virtualnetworks"
SUBNET_TYPE = "microsoft.network/virtualnetworks/subnets"

# The columns the transform reads; `id` must be projected for skip tokens.
RESOURCE_COLUMNS = (
    "id",
    "name",
    "type",
    "location",
    "resourceGroup",
    "subscriptionId",
    "tags",
    "properties",
    "sku",
    "kind",
    "zones",
    "managedBy",
    "identity",
)

SUBSCRIPTIONS_QUERY = (
    f"resourcecontainers\n| where type =~ '{SUBSCRIPTION_TYPE}'\n"
    "| project id, subscriptionId, name, tenantId, state = tostring(properties.state)"
    "\n| order by name asc"
)

_WILDCARDS = re.compile(r"[*?\[]")


def kql_string(value: str) -> str:
    """`value` as a single-quoted KQL string literal."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f"'{escaped}'"


def _class_end(pattern: str, start: int) -> int:
    """Where the `[...]` class opened at `start` closes, or -1 (a literal `[`).

    As in fnmatch, a `]` right after `[` or `[!` is a member, not the end.
    """
    first = start + 1
    if pattern[first : first + 1] == "!":
        first += 1
    return pattern.find("]", first + 1)


def _class_char(char: str) -> str:
    return "\\" + char if char in "\\]^-[" else char


def _class_regex(members: str) -> str:
    """A glob class (`[a-c]`, `[!x]`) as an RE2 class, reversed ranges dropped."""
    negate = members.startswith("!")
    members = members[1:] if negate else members
    parts = []
    index = 0
    while index < len(members):
        if index + 2 < len(members) and members[index + 1] == "-":
            low, high = members[index], members[index + 2]
            if low <= high:
                parts.append(f"{_class_char(low)}-{_class_char(high)}")
            index += 3
        else:
            parts.append(_class_char(members[index]))
            index += 1
    if not parts:
        # Only reversed ranges: nothing matches (or, negated, anything does).
        return "[\\s\\S]" if negate else "[^\\s\\S]"
    return f"[{'^' if negate else ''}{''.join(parts)}]"


def glob_regex(pattern: str) -> str:
    """A case-insensitive RE2 regex matching what the shell glob matches.

    Written here rather than taken from `fnmatch.translate`, whose output
    uses Python-only syntax (atomic groups) that RE2 refuses. The pattern is
    lower-cased first, as CloudViz's own filters do, so a range like `[B-a]`
    means what it means there.
    """
    pattern = pattern.lower()
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        closing = _class_end(pattern, index) if char == "[" else -1
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        elif closing != -1:
            parts.append(_class_regex(pattern[index + 1 : closing]))
            index = closing
        else:
            parts.append(re.escape(char))
        index += 1
    return "(?i)^" + "".join(parts) + "$"


def glob_condition(column: str, pattern: str) -> str:
    """A KQL predicate: `column` matches the glob, ignoring case."""
    if not _WILDCARDS.search(pattern):
        return f"{column} =~ {kql_string(pattern)}"
    head = pattern[:-1]
    if pattern.endswith("*") and not _WILDCARDS.search(head):
        return f"{column} startswith {kql_string(head)}"
    return f"{column} matches regex {kql_string(glob_regex(pattern))}"


def any_glob(column: str, patterns: tuple[str, ...] | list[str]) -> str:
    if all(not _WILDCARDS.search(pattern) for pattern in patterns):
        values = ", ".join(kql_string(pattern) for pattern in patterns)
        return f"{column} in~ ({values})"
    conditions = [glob_condition(column, pattern) for pattern in patterns]
    return conditions[0] if len(conditions) == 1 else f"({' or '.join(conditions)})"


def _type_patterns(types: tuple[str, ...]) -> list[str]:
    # Subnets are not rows: they come inside their VNet's row.
    patterns = list(types)
    if any(fnmatch.fnmatchcase(SUBNET_TYPE, p.lower()) for p in types):
        patterns.append(VNET_TYPE)
    return patterns


def resources_query(criteria: ResourceFilter) -> str:
    """Every resource, and the resource groups, that `criteria` can accept."""
    lines = [
        "resources",
        f"| union (resourcecontainers | where type =~ '{RESOURCE_GROUP_TYPE}')",
    ]
    if criteria.resource_groups:
        lines.append("| where " + any_glob("resourceGroup", criteria.resource_groups))
    if criteria.regions:
        lines.append("| where " + any_glob("location", criteria.regions))
    if criteria.types:
        lines.append("| where " + any_glob("type", _type_patterns(criteria.types)))
    for key, wanted in criteria.tags:
        value = f"tostring(tags[{kql_string(key)}])"
        if wanted == "*":
            lines.append(f"| where isnotempty({value})")
        else:
            lines.append("| where " + glob_condition(value, wanted))
    lines.append("| project " + ", ".join(RESOURCE_COLUMNS))
    lines.append("| order by id asc")
    return "\n".join(lines)
