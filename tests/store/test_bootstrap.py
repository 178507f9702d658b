from cloudviz.config import Settings
from cloudviz.store.audit import AuditService
from cloudviz.store.bootstrap import ensure_admin_user
from cloudviz.store.users import UserService


def test_no_users_and_no_password_says_how_to_create_the_admin(database):
    message = ensure_admin_user(Settings(), database, environ={})
    assert "cloudviz users create admin --role admin" in message
    with database.session() as session:
        assert UserService(session).count() == 0


def test_admin_created_from_environment_once(database):
    environ = {"CLOUDVIZ_ADMIN_PASSWORD": "first-start-password"}
    assert "Created the administrator" in ensure_admin_user(
        Settings(), database, environ
    )
    assert ensure_admin_user(Settings(), database, environ) is None

    with database.session() as session:
        admin = UserService(session).authenticate("admin", "first-start-password")
        entries = AuditService(session).list().items
    assert admin.roles == ("admin",)
    assert [(e.actor, e.action) for e in entries] == [("system", "user.create")]
