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
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from cloudviz.job_statistics import (
    ExtractionDuration,
    count_jobs_by_status,
    extraction_durations,
)
from cloudviz.store.database import Database

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
RENDER_SECONDS = Histogram(
    "cloudviz_render_duration_seconds",
    "Time to render a diagram that was not cached, by format.",
    ["format"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)


EXTRACTION_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)


class JobCollector(Collector):
    """Jobs by status and extraction durations, read from the database.

    `cloudviz_extraction_duration_seconds` is a histogram built at scrape time
    from the finished extraction jobs; `cloudviz_jobs` counts jobs by status.
    A scrape during a database outage reports neither rather than failing.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    def collect(self) -> Iterable[Metric]:
        try:
            counts = count_jobs_by_status(self._database)
            durations = extraction_durations(self._database)
        except Exception:
            return
        jobs = GaugeMetricFamily(
            "cloudviz_jobs", "Jobs in the database, by status.", labels=["status"]
        )
        for status, count in sorted(counts.items()):
            jobs.add_metric([status], count)
        yield jobs
        yield _duration_histogram(durations)


def _duration_histogram(durations: list[ExtractionDuration]) -> Metric:
    family = HistogramMetricFamily(
        "cloudviz_extraction_duration_seconds",
        "Duration of finished extraction jobs, by provider and outcome.",
        labels=["provider", "outcome"],
    )
    grouped: dict[tuple[str, str], list[float]] = {}
    for item in durations:
        grouped.setdefault((item.provider, item.outcome), []).append(item.seconds)
    for labels, seconds in sorted(grouped.items()):
        buckets = [
            (str(bound), float(sum(1 for s in seconds if s <= bound)))
            for bound in EXTRACTION_BUCKETS
        ]
        buckets.append(("+Inf", float(len(seconds))))
        family.add_metric(list(labels), buckets, sum_value=sum(seconds))
    return family


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
