"""Resource Graph throttling: counted, waited out, and bounded.

Resource Graph grants each caller a quota of queries per window and reports
it on every response in `x-ms-user-quota-remaining` and
`x-ms-user-quota-resets-after` (`hh:mm:ss`). `QuotaPacingPolicy` counts every
HTTP call and, once the quota is spent, waits for the window to reset before
the next call instead of earning a 429. When a 429 comes anyway,
`GraphRetryPolicy` retries it (a query is read-only, so the POST is safe to
repeat) after the `Retry-After` the service sent or the quota reset,
whichever is later, at most `max_retries` times and never longer than
`max_wait` seconds at once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import RetryPolicy, SansIOHTTPPolicy

log = logging.getLogger(__name__)

QUOTA_REMAINING = "x-ms-user-quota-remaining"
QUOTA_RESETS_AFTER = "x-ms-user-quota-resets-after"
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(slots=True)
class CallStats:
    """What discovery cost: HTTP calls, throttled answers, time spent waiting."""

    api_calls: int = 0
    throttled: int = 0
    waited_seconds: float = 0.0
    quota_remaining: int | None = None
    quota_resets_at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "api_calls": self.api_calls,
            "throttled_responses": self.throttled,
            "throttle_wait_seconds": round(self.waited_seconds, 2),
        }


def parse_resets_after(value: str | None) -> float | None:
    """`00:00:04` (or `00:00:04.5`) as seconds; None when absent or unreadable."""
    if not value:
        return None
    try:
        hours, minutes, seconds = value.strip().split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    except ValueError:
        return None


def _quota_remaining(headers: Any) -> int | None:
    try:
        return int(headers.get(QUOTA_REMAINING))
    except (TypeError, ValueError):
        return None


class QuotaPacingPolicy(SansIOHTTPPolicy[Any, Any]):
    """Counts calls and waits for the quota window when it is spent."""

    def __init__(self, stats: CallStats, max_wait: float) -> None:
        self._stats = stats
        self._max_wait = max_wait

    def on_request(self, request: PipelineRequest[Any]) -> None:
        stats = self._stats
        if stats.quota_remaining == 0:
            wait = min(stats.quota_resets_at - time.monotonic(), self._max_wait)
            if wait > 0:
                log.info("azure.quota_wait seconds=%.1f", wait)
                stats.waited_seconds += wait
                time.sleep(wait)
            stats.quota_remaining = None
        stats.api_calls += 1

    def on_response(
        self, request: PipelineRequest[Any], response: PipelineResponse[Any, Any]
    ) -> None:
        headers = response.http_response.headers
        remaining = _quota_remaining(headers)
        if remaining is None:
            return
        self._stats.quota_remaining = remaining
        resets = parse_resets_after(headers.get(QUOTA_RESETS_AFTER)) or 0.0
        self._stats.quota_resets_at = time.monotonic() + resets


class GraphRetryPolicy(RetryPolicy):  # type: ignore[type-arg]
    """Retries throttled and transient failures of the read-only query POST."""

    def __init__(self, stats: CallStats, *, max_retries: int, max_wait: float) -> None:
        super().__init__(
            retry_total=max_retries,
            retry_status=max_retries,
            retry_backoff_factor=1.0,
            retry_backoff_max=max_wait,
        )
        self._stats = stats
        self._max_wait = max_wait

    def is_retry(
        self, settings: dict[str, Any], response: PipelineResponse[Any, Any]
    ) -> bool:
        status = response.http_response.status_code
        if status == 429:
            self._stats.throttled += 1
            log.info("azure.throttled retries_left=%s", settings["total"])
        if status in RETRYABLE_STATUS:
            return bool(settings["total"])
        return bool(super().is_retry(settings, response))

    def get_retry_after(self, response: PipelineResponse[Any, Any]) -> float | None:
        asked = super().get_retry_after(response) or 0.0
        headers = response.http_response.headers
        if _quota_remaining(headers) == 0:
            asked = max(asked, parse_resets_after(headers.get(QUOTA_RESETS_AFTER)) or 0)
        if asked <= 0:
            return None
        wait = min(asked, self._max_wait)
        self._stats.waited_seconds += wait
        return wait
