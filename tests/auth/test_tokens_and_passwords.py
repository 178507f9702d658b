from datetime import UTC, datetime, timedelta

import jwt
import pytest

from cloudviz.auth.api_keys import generate_key, key_matches, parse_prefix
from cloudviz.auth.passwords import hash_password, verify_password
from cloudviz.auth.permissions import Principal, permissions_for
from cloudviz.auth.tokens import ACCESS, REFRESH, TokenCodec, check_jwt_secret
from cloudviz.config import DEFAULT_JWT_SECRET, AuthSettings
from cloudviz.errors import AuthenticationError, AuthorizationError, ConfigurationError


def codec(**overrides):
    return TokenCodec(AuthSettings(jwt_secret="s" * 40, **overrides))


def issue(token_codec, token_type=ACCESS, **overrides):
    values = {
        "user_id": 7,
        "username": "alice",
        "roles": ["editor"],
        "permissions": {"read", "write"},
        "token_type": token_type,
    }
    values.update(overrides)
    return token_codec.issue(**values)


def test_password_hash_verifies_only_the_password():
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "wrong horse")
    assert not verify_password(None, "correct horse")


def test_access_token_carries_the_documented_claims():
    token_codec = codec()
    token = issue(token_codec)
    raw = jwt.decode(token, "s" * 40, algorithms=["HS256"])
    assert {"sub", "roles", "perms", "type", "jti", "exp", "iat"} <= raw.keys()

    claims = token_codec.decode(token)
    assert (claims.user_id, claims.username, claims.type) == (7, "alice", "access")
    assert claims.permissions == {"read", "write"}


def test_expired_token_says_token_has_expired():
    token_codec = codec()
    token = issue(token_codec, now=datetime.now(UTC) - timedelta(hours=2))
    with pytest.raises(AuthenticationError) as caught:
        token_codec.decode(token)
    assert caught.value.message == "Token has expired"
    assert (caught.value.cv_code, caught.value.http_status) == ("CV001", 401)


def test_refresh_token_is_not_an_access_token():
    token_codec = codec()
    with pytest.raises(AuthenticationError, match="refresh token"):
        token_codec.decode(issue(token_codec, REFRESH), ACCESS)


def test_token_signed_with_another_secret_is_invalid():
    forged = issue(TokenCodec(AuthSettings(jwt_secret="x" * 40)))
    with pytest.raises(AuthenticationError, match="Invalid token"):
        codec().decode(forged)


def test_production_refuses_default_or_short_secret():
    check_jwt_secret(AuthSettings())  # development: allowed
    for secret in (DEFAULT_JWT_SECRET, "short", ""):
        with pytest.raises(ConfigurationError) as caught:
            check_jwt_secret(AuthSettings(jwt_secret=secret, environment="production"))
        assert caught.value.cv_code == "CV003"
    check_jwt_secret(AuthSettings(jwt_secret="k" * 48, environment="production"))


def test_api_key_format_and_hash():
    key = generate_key()
    assert key.plaintext.startswith(f"cvz_{key.prefix}_")
    assert parse_prefix(key.plaintext) == key.prefix
    assert key_matches(key.plaintext, key.key_hash)
    assert not key_matches(key.plaintext + "x", key.key_hash)
    assert parse_prefix("Bearer something") is None


def test_roles_grant_permissions_and_require_refuses():
    assert permissions_for(["viewer"]) == {"read", "visualize"}
    assert permissions_for(["user"], ["extract"]) == {
        "read",
        "write",
        "visualize",
        "extract",
    }
    viewer = Principal(kind="user", name="v", permissions=permissions_for(["viewer"]))
    viewer.require("read")
    with pytest.raises(AuthorizationError, match="Insufficient permissions"):
        viewer.require("write")
