"""A few seconds' memory of answers every request would otherwise re-read.

Each request needs its caller's principal (a token check plus two database
reads) and, for diagrams, the snapshot's existence (one more) and the decoded
diagram. Under load those reads cost more than serving a cached diagram, so
each worker remembers them for `RECENT_SECONDS`:

- a role change, a deleted user, a revoked API key or a logout applies at
  once on the worker that handled it (it forgets everything it remembered
  about principals) and within `RECENT_SECONDS` on the others;
- `/auth/verify` never uses this memory: it always asks the database.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V")

RECENT_SECONDS = 5.0
MAX_ENTRIES = 10_000


class RecentAnswers(Generic[V]):
    """Values by key for a few seconds, at most `max_entries` of them."""

    def __init__(
        self, seconds: float = RECENT_SECONDS, max_entries: int = MAX_ENTRIES
    ) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()

    def get(self, key: str) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            del self._entries[key]
            return None
        return value

    def put(self, key: str, value: V) -> None:
        self._entries[key] = (time.monotonic() + self.seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)

    def forget_prefix(self, prefix: str) -> None:
        for key in [key for key in self._entries if key.startswith(prefix)]:
            del self._entries[key]

    def clear(self) -> None:
        self._entries.clear()


def credential_key(kind: str, secret: str) -> str:
    """A key naming a credential without holding it."""
    return kind + ":" + hashlib.sha256(secret.encode()).hexdigest()
