"""Password hashing with argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cloudviz.errors import ValidationError

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()


@cache
def _decoy_hash() -> str:
    # Verifying against this when the user does not exist costs the same time
    # as a real check, so response times do not tell which usernames exist.
    return _hasher.hash("cloudviz-decoy-password")


def check_password_strength(password: str) -> None:
    """CV010 unless the password is long enough to be worth hashing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters",
            hint="choose a longer password or passphrase",
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; always takes an argon2 check's time."""
    try:
        return _hasher.verify(password_hash or _decoy_hash(), password) and (
            password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
