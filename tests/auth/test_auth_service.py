import pytest

from cloudviz.auth.service import AuthService
from cloudviz.config import AuthSettings
from cloudviz.errors import (
    AuthenticationError,
    AuthorizationError,
    InvalidApiKeyError,
    NotFoundError,
    ValidationError,
)
from cloudviz.store.api_keys import ApiKeyService
from cloudviz.store.audit import AuditService
from cloudviz.store.users import UserService

SETTINGS = AuthSettings(jwt_secret="t" * 40)


def create_user(database, name="alice", roles=("editor",), password="s3cret-pass"):
    with database.session() as session:
        return UserService(session).create(name, password, list(roles))


def test_login_verify_refresh_and_logout(database):
    user = create_user(database)
    with database.session() as session:
        pair = AuthService(session, SETTINGS).login("alice", "s3cret-pass")

    with database.session() as session:
        principal = AuthService(session, SETTINGS).principal_from_token(
            pair.access_token
        )
    assert (principal.user_id, principal.roles) == (user.id, ("editor",))
    assert principal.can("extract") and not principal.can("admin")

    with database.session() as session:
        renewed = AuthService(session, SETTINGS).refresh(pair.refresh_token)
    with (
        database.session() as session,
        pytest.raises(AuthenticationError, match="revoked"),
    ):
        AuthService(session, SETTINGS).refresh(pair.refresh_token)

    with database.session() as session:
        AuthService(session, SETTINGS).logout(renewed.access_token)
    with (
        database.session() as session,
        pytest.raises(AuthenticationError, match="revoked"),
    ):
        AuthService(session, SETTINGS).principal_from_token(renewed.access_token)


def test_wrong_password_and_unknown_user_look_the_same(database):
    create_user(database)
    messages = set()
    for name, password in (("alice", "nope-nope"), ("nobody", "s3cret-pass")):
        with (
            database.session() as session,
            pytest.raises(AuthenticationError) as caught,
        ):
            AuthService(session, SETTINGS).login(name, password)
        messages.add(caught.value.message)
    assert messages == {"Invalid username or password"}


def test_role_change_applies_to_existing_tokens(database):
    user = create_user(database)
    with database.session() as session:
        pair = AuthService(session, SETTINGS).login("alice", "s3cret-pass")
    with database.session() as session:
        UserService(session).set_roles(user.id, ["viewer"])
    with database.session() as session:
        principal = AuthService(session, SETTINGS).principal_from_token(
            pair.access_token
        )
    assert not principal.can("write")


def test_users_roles_permissions_and_duplicates(database):
    user = create_user(database, roles=("user",))
    with database.session() as session:
        users = UserService(session)
        granted = users.grant_permissions(user.id, ["extract"])
        assert granted.effective_permissions == {
            "read",
            "write",
            "visualize",
            "extract",
        }
        with pytest.raises(ValidationError, match="unknown role"):
            users.set_roles(user.id, ["superuser"])
        with pytest.raises(ValidationError, match="already exists"):
            users.create("alice", "another-pass")
        with pytest.raises(ValidationError, match="at least 8"):
            users.create("bob", "short")
        assert users.list().total == 1
    with database.session() as session:
        UserService(session).delete(user.id)
    with database.session() as session, pytest.raises(NotFoundError):
        UserService(session).get(user.id)


def test_the_last_administrator_cannot_be_removed(database):
    admin = create_user(database, "root", roles=("admin",))
    with database.session() as session:
        users = UserService(session)
        for change in (
            lambda: users.delete(admin.id),
            lambda: users.set_roles(admin.id, ["viewer"]),
            lambda: users.set_active(admin.id, False),
        ):
            with pytest.raises(ValidationError, match="last administrator"):
                change()
        second = users.create("deputy", "another-pass", ["admin"])
        users.set_roles(admin.id, ["viewer"])
        assert users.get(second.id).effective_permissions >= {"admin"}


def test_api_key_shown_once_verified_narrowed_and_revoked(database):
    owner = create_user(database, roles=("viewer",))
    with database.session() as session:
        created = ApiKeyService(session).create("ci", ["read"], owner.id)
        assert "key_hash" not in created.info.to_dict()

    with database.session() as session:
        principal = AuthService(session, SETTINGS).principal_from_api_key(created.key)
    assert (principal.kind, principal.permissions) == ("api_key", {"read"})

    with database.session() as session:
        listed = ApiKeyService(session).list(owner.id)
        assert [k.prefix for k in listed] == [created.info.prefix]
        ApiKeyService(session).revoke(created.info.id)
    with database.session() as session, pytest.raises(InvalidApiKeyError) as caught:
        ApiKeyService(session).verify(created.key)
    assert (caught.value.message, caught.value.http_status) == ("Invalid API key", 403)


def test_api_key_cannot_exceed_its_creator(database):
    viewer = create_user(database, roles=("viewer",))
    with database.session() as session:
        creator = UserService(session).get(viewer.id).principal()
        with pytest.raises(AuthorizationError):
            ApiKeyService(session).create("k", ["write"], viewer.id, creator=creator)


def test_api_key_loses_what_its_owner_loses(database):
    owner = create_user(database, roles=("editor",))
    with database.session() as session:
        created = ApiKeyService(session).create("deploy", ["read", "write"], owner.id)
    with database.session() as session:
        UserService(session).set_roles(owner.id, ["viewer"])
    with database.session() as session:
        principal = ApiKeyService(session).verify(created.key)
    assert principal.permissions == {"read"}


def test_garbage_api_keys_are_refused(database):
    with database.session() as session:
        for value in ("", "cvz_", "cvz_abcdefgh_nope", "Bearer x"):
            with pytest.raises(InvalidApiKeyError):
                ApiKeyService(session).verify(value)


def test_audit_log_records_in_the_same_transaction(database):
    with database.session() as session:
        AuditService(session).record("alice", "snapshot.delete", "abc", request_id="r1")

    def failing_request():
        with database.session() as session:
            AuditService(session).record("bob", "user.delete", "2")
            raise RuntimeError("the request failed after recording")

    with pytest.raises(RuntimeError):
        failing_request()
    with database.session() as session:
        page = AuditService(session).list()
    assert [(r.actor, r.action, r.request_id) for r in page.items] == [
        ("alice", "snapshot.delete", "r1")
    ]
