"""Keep secrets out of inventories.

Every importer and collector passes properties through `strip_secrets` (the
`InventoryBuilder` does it for them), so a new source cannot forget to. A key
is dropped when its name looks like it holds a credential; values are never
inspected, so nothing secret is ever logged either.
"""

from __future__ import annotations

import re
from typing import Any

_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?($|_)|secret|private_?key|access_?key|api_?key|"
    r"account_?key|primary_?key|secondary_?key|shared_?key|sas_?token|"
    r"connection_?string|token|credential|certificate_?data|client_?key|"
    r"^auth|_auth$|user_?data|custom_?data|environment_?variables|^environment$|"
    r"master_?user_?password|admin_?password|key_?material",
    re.IGNORECASE,
)


def is_secret_key(key: str) -> bool:
    """True when a property named `key` may hold a credential or user data."""
    return bool(_SECRET_KEY.search(key))


def strip_secrets(value: Any) -> Any:
    """A copy of `value` with every secret-looking key removed, at any depth."""
    if isinstance(value, dict):
        return {
            key: strip_secrets(item)
            for key, item in value.items()
            if not is_secret_key(str(key))
        }
    if isinstance(value, list):
        return [strip_secrets(item) for item in value]
    return value
