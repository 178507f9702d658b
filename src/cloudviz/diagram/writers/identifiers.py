"""Short, stable identifiers for the text formats (Mermaid, DOT, draw.io).

A writer needs ids its format accepts: Mermaid wants `[A-Za-z0-9_]` and no
keyword, DOT and draw.io want something short and unique. Deriving them from
a hash of the model id keeps them stable across renders of the same
inventory, so a re-render diffs cleanly and draw.io edits can be compared.
"""

from __future__ import annotations

import hashlib

_FIRST_LENGTH = 8
_MAX_LENGTH = 40


class StableIds:
    """Maps model ids to `<prefix><hex>` ids, unique within one document.

    The first 8 hex digits of a BLAKE2 digest are used; on the rare clash the
    later id (in the caller's deterministic order) takes more digits, so the
    mapping is still the same for the same input.
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()

    def get(self, prefix: str, model_id: str) -> str:
        key = (prefix, model_id)
        known = self._by_key.get(key)
        if known is not None:
            return known

        digest = hashlib.blake2b(model_id.encode("utf-8", "surrogatepass")).hexdigest()
        length = _FIRST_LENGTH
        candidate = prefix + digest[:length]
        while candidate in self._taken and length < _MAX_LENGTH:
            length += 2
            candidate = prefix + digest[:length]
        if candidate in self._taken:  # the same 160-bit prefix: only a copy
            candidate = f"{prefix}{digest}_{len(self._taken)}"

        self._taken.add(candidate)
        self._by_key[key] = candidate
        return candidate
