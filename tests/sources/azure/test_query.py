"""The KQL that filters send to Resource Graph."""

from __future__ import annotations

import fnmatch
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cloudviz.inventory.filters import ResourceFilter
from cloudviz.sources.azure.query import (
    RESOURCE_COLUMNS,
    glob_condition,
    glob_regex,
    kql_string,
    resources_query,
)


def test_without_filters_every_resource_and_resource_group_is_asked_for():
    assert resources_query(ResourceFilter()) == (
        "resources\n"
        "| union (resourcecontainers | where type =~ "
        "'microsoft.resources/subscriptions/resourcegroups')\n"
        f"| project {', '.join(RESOURCE_COLUMNS)}\n"
        "| order by id asc"
    )


@pytest.mark.parametrize(
    ("pattern", "condition"),
    [
        ("prod-web-rg", "resourceGroup =~ 'prod-web-rg'"),
        ("prod-*", "resourceGroup startswith 'prod-'"),
        ("*-rg", "resourceGroup matches regex '(?i)^.*\\\\-rg$'"),
        ("app?-rg", "resourceGroup matches regex '(?i)^app.\\\\-rg$'"),
        ("[!d]*", "resourceGroup matches regex '(?i)^[^d].*$'"),
        ("[!]x]", "resourceGroup matches regex '(?i)^[^\\\\]x]$'"),
    ],
)
def test_globs_become_the_cheapest_kql_test(pattern, condition):
    assert glob_condition("resourceGroup", pattern) == condition


def test_several_plain_values_become_one_in_list():
    query = resources_query(ResourceFilter(resource_groups=("a-rg", "b-rg")))
    assert "| where resourceGroup in~ ('a-rg', 'b-rg')" in query


def test_values_cannot_break_out_of_their_string():
    hostile = "x') | project secret='1"
    query = resources_query(ResourceFilter(resource_groups=(hostile,)))
    assert "resourceGroup in~ ('x\\') | project secret=\\'1')" in query
    assert glob_condition("c", hostile) == "c =~ 'x\\') | project secret=\\'1'"
    assert kql_string("back\\slash\nnew") == "'back\\\\slash\\nnew'"


def test_tags_filter_by_value_or_presence():
    query = resources_query(
        ResourceFilter(tags=(("env", "prod"), ("cost center", "*"), ("app", "shop*")))
    )
    assert "| where tostring(tags['env']) =~ 'prod'" in query
    assert "| where isnotempty(tostring(tags['cost center']))" in query
    assert "| where tostring(tags['app']) startswith 'shop'" in query


def test_a_subnet_type_filter_still_reads_the_vnets_that_hold_subnets():
    query = resources_query(
        ResourceFilter(types=("Microsoft.Network/virtualNetworks/subnets",))
    )
    assert "'microsoft.network/virtualnetworks'" in query


@given(
    pattern=st.text(alphabet="ab-_.*?[]!^\\$()+|{}", min_size=1, max_size=8),
    name=st.text(alphabet="ab-_.*?^\\$()+|{}AB", max_size=8),
)
def test_glob_regex_matches_what_fnmatch_matches(pattern, name):
    # Python's re agrees with RE2 on what glob_regex writes (classes, escapes,
    # .*, .); every pattern must translate to a valid regex.
    compiled = re.compile(glob_regex(pattern))
    expected = fnmatch.fnmatchcase(name.lower(), pattern.lower())
    assert bool(compiled.match(name)) == expected
