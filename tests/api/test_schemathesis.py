"""Property-based requests from the OpenAPI document: the API never answers 5xx.

Every operation gets a modest number of generated requests, sent as the admin
(who may do everything, so generation reaches the handlers rather than stopping
at 401/403). Errors must be 4xx in the envelope, never a server error.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from cloudviz.api import create_app
from cloudviz.store.database import Database
from cloudviz.store.schema import upgrade
from cloudviz.store.snapshots import SnapshotService
from cloudviz.store.users import UserService
from tests.api.conftest import make_settings, seed_users
from tests.factories import small_network

ADMIN_TOKEN: dict[str, str] = {}
EXAMPLES = 8


@pytest.fixture(scope="module")
def api_schema(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[object, Database]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/fuzz.db"
    database = Database.from_url(url)
    upgrade(database, "head")
    seed_users(database)
    with database.session() as session:
        SnapshotService(session).create_from_inventory(small_network())
    app = create_app(make_settings(url))

    from fastapi.testclient import TestClient

    # The client keeps the app's lifespan (job runner, cache) up meanwhile.
    with TestClient(app) as client:
        login = client.post(
            "/auth/login", json={"username": "admin", "password": "password-123"}
        )
        ADMIN_TOKEN["Authorization"] = f"Bearer {login.json()['access_token']}"
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        # Send the admin's token rather than generated credentials, so requests
        # reach the handlers (the auth matrix covers the refusals).
        schema.config.generation.update(with_security_parameters=False)
        yield schema, database
    database.dispose()


def restore_admin(database: Database) -> None:
    # A generated PUT /users/1/roles may demote the admin; give it back.
    with database.session() as session:
        UserService(session).set_roles(1, ["admin"])


def test_no_server_errors(api_schema) -> None:
    schema, database = api_schema
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    # Destructive operations last: deleting users may delete the admin itself.
    operations.sort(key=lambda op: (op.method == "delete", "users" in op.path))
    for operation in operations:
        if operation.path == "/auth/logout":
            continue  # would revoke the token every other request uses
        restore_admin(database)

        @given(case=operation.as_strategy(headers=ADMIN_TOKEN))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=ADMIN_TOKEN, checks=[not_a_server_error])

        try:
            exercise()
        except Exception as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
