"""First start: make sure someone can log in."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from cloudviz.config import Settings
from cloudviz.store.audit import AuditService
from cloudviz.store.database import Database, open_database
from cloudviz.store.users import UserService

log = logging.getLogger(__name__)

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD_VARIABLE = "CLOUDVIZ_ADMIN_PASSWORD"


def ensure_admin_user(
    settings: Settings,
    database: Database | None = None,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """Create `admin` from CLOUDVIZ_ADMIN_PASSWORD when there are no users.

    Returns what the server should tell its operator (None when users exist
    already): that the admin was created, or how to create one.
    """
    environ = os.environ if environ is None else environ
    database = database or open_database(settings)
    with database.session() as session:
        users = UserService(session)
        if users.count():
            return None
        password = environ.get(ADMIN_PASSWORD_VARIABLE)
        if not password:
            return (
                "No users exist yet, so nobody can log in. Create the first "
                "administrator with `cloudviz users create admin --role admin`, "
                f"or set {ADMIN_PASSWORD_VARIABLE} and restart the server."
            )
        user = users.create(ADMIN_USERNAME, password, ["admin"])
        AuditService(session).record("system", "user.create", user.username)
    log.info("auth.admin_created username=%s", ADMIN_USERNAME)
    return (
        f"Created the administrator `{ADMIN_USERNAME}` with the password from "
        f"{ADMIN_PASSWORD_VARIABLE}; log in with POST /auth/login."
    )
