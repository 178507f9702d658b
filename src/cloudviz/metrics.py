"""CloudViz's Prometheus metrics, importable without the web stack.

Requests are labelled by route template (`/api/v1/snapshots/{snapshot_id}`),
never by raw path, so the number of series stays bounded. With several uvicorn
workers the server sets `PROMETHEUS_MULTIPROC_DIR` before the workers start;
prometheus-client then keeps each worker's values in files there and `scrape`
sums them. Jobs by status are read from the database at scrape time, which is
right whichever worker asks.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "cloudviz_http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "cloudviz_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
RATE_LIMITED = Counter(
    "cloudviz_rate_limited_requests_total",
    "Requests refused with 429 by the rate limiter.",
)
CACHE_LOOKUPS = Counter(
    "cloudviz_cache_lookups_total",
    "Diagram cache lookups, by result (hit or miss).",
    ["result"],
)
EXTRACTION_SECONDS = Histogram(
    "cloudviz_extraction_duration_seconds",
    "Duration of extraction jobs, by provider and outcome.",
    ["provider", "outcome"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600),
)
RENDER_SECONDS = Histogram(
    "cloudviz_render_duration_seconds",
    "Time to render a diagram that was not cached, by format.",
    ["format"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)


class JobStatusCollector(Collector):
    """`cloudviz_jobs` by status, counted in the database when scraped."""

    def __init__(self, count_jobs: Callable[[], Mapping[str, int]]) -> None:
        self._count_jobs = count_jobs

    def collect(self) -> Iterable[Metric]:
        family = GaugeMetricFamily(
            "cloudviz_jobs", "Jobs in the database, by status.", labels=["status"]
        )
        try:
            counts = self._count_jobs()
        except Exception:  # a scrape must not fail because the database did
            counts = {}
        for status, count in sorted(counts.items()):
            family.add_metric([status], count)
        yield family


def scrape(extra: Iterable[Collector] = ()) -> bytes:
    """The text exposition of every metric, across workers when there are many."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        from prometheus_client import REGISTRY

        registry = CollectorRegistry()
        registry.register(_Delegate(REGISTRY))
    for collector in extra:
        registry.register(collector)
    return generate_latest(registry)


class _Delegate(Collector):
    # Lets the per-scrape registry hold the global metrics plus extras without
    # registering the extras globally (a second app would collide with them).
    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterable[Metric]:
        return self._registry.collect()
