"""The API key format: `cvz_<prefix>_<secret>`, stored only as a hash.

The 8-character prefix is stored in clear and indexed, so verifying a key is
one lookup; the secret carries 256 random bits, so a plain SHA-256 of the
whole key is enough (a slow password hash would add latency to every request
without adding safety against guessing).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

KEY_SCHEME = "cvz"
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True, slots=True)
class GeneratedKey:
    plaintext: str
    prefix: str
    key_hash: str


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def generate_key() -> GeneratedKey:
    """A new random key; its plaintext is shown once and never stored."""
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    plaintext = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    return GeneratedKey(plaintext, prefix, hash_key(plaintext))


def parse_prefix(value: str) -> str | None:
    """The lookup prefix of a well-formed key, or None for anything else."""
    scheme, sep, rest = value.strip().partition("_")
    prefix, sep2, secret = rest.partition("_")
    if scheme != KEY_SCHEME or not sep or not sep2 or not secret:
        return None
    if len(prefix) != PREFIX_LENGTH:
        return None
    return prefix


def key_matches(plaintext: str, key_hash: str) -> bool:
    return hmac.compare_digest(hash_key(plaintext.strip()), key_hash)
