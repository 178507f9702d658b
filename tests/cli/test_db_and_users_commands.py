"""`cloudviz db`, `users` and `api-keys`.

Most runs go through click's runner in this process (a subprocess costs
seconds on a busy machine); the last tests run the installed command.
"""

import json
import os
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from cloudviz.cli.main import cli
from tests.cli.test_foundation_commands import run as run_installed
from tests.db_fixtures import create_postgres_database, drop_postgres_database


def run(*args, env, input=None):
    result = CliRunner().invoke(cli, list(args), env=env, input=input)
    return SimpleNamespace(
        returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr
    )


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def env(request, tmp_path):
    environment = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    environment.pop("CLOUDVIZ_CONFIG", None)
    if request.param == "sqlite":
        yield environment
        return
    url = create_postgres_database()
    # A plain postgresql:// URL, as users write it: the driver is filled in.
    yield {**environment, "DATABASE_URL": url}
    drop_postgres_database(url)


def test_db_lifecycle(env, tmp_path):
    status = run("db", "status", env=env)
    assert status.returncode == 1
    assert "run `cloudviz db init`" in status.stdout
    assert run("db", "check-tables", env=env).returncode == 1

    init = run("db", "init", env=env)
    assert init.returncode == 0, init.stderr
    assert "Initialised" in init.stdout and "0001 (head)" in init.stdout
    assert "Already initialised" in run("db", "init", env=env).stdout
    assert "Nothing to migrate" in run("db", "migrate", env=env).stdout
    assert run("db", "upgrade", "head", env=env).returncode == 0
    assert run("db", "current", env=env).stdout.strip() == "0001 (head)"
    assert "(head, current)" in run("db", "history", env=env).stdout
    assert run("db", "stamp", "head", env=env).returncode == 0

    tables = run("db", "check-tables", env=env)
    assert tables.returncode == 0 and "All 9 tables present." in tables.stdout
    report = json.loads(run("db", "status", "--json", env=env).stdout)
    assert report["up_to_date"] and report["tables"]["snapshots"] == 0
    if "DATABASE_URL" not in env:
        assert report["url"] == f"sqlite:///{tmp_path}/cloudviz/cloudviz.db"

    plans = json.loads(run("db", "analyze-queries", "--json", env=env).stdout)
    assert {plan["name"] for plan in plans} >= {"resources by tag", "API key lookup"}
    optimized = run("db", "optimize-indexes", env=env)
    assert optimized.returncode == 0 and "ran" in optimized.stdout


def test_users_and_api_keys(env):
    run("db", "init", env=env)
    created = run(
        "users",
        "create",
        "admin",
        "--role",
        "admin",
        "--password-stdin",
        input="a-long-password\n",
        env=env,
    )
    assert created.returncode == 0, created.stderr
    assert "Created user admin (id 1) with roles admin." in created.stdout

    no_tty = run("users", "create", "bob", env=env, input="")
    assert no_tty.returncode == 1 and "CV010" in no_tty.stderr
    duplicate = run(
        "users", "create", "admin", "--password-stdin", input="x" * 9, env=env
    )
    assert "already exists" in duplicate.stderr

    key = run(
        "api-keys",
        "create",
        "--name",
        "ci",
        "--permissions",
        "read,write",
        "--user",
        "admin",
        env=env,
    )
    assert key.returncode == 0, key.stderr
    assert key.stdout.startswith("cvz_") and "not shown again" in key.stderr
    listed = json.loads(run("api-keys", "list", "--json", env=env).stdout)
    assert listed[0]["permissions"] == ["read", "write"] and "key" not in listed[0]
    assert key.stdout.strip() not in run("api-keys", "list", env=env).stdout

    assert "Revoked API key 1" in run("api-keys", "revoke", "1", env=env).stdout
    assert run("api-keys", "revoke", "99", env=env).returncode == 1

    users = json.loads(run("users", "list", "--json", env=env).stdout)
    assert [user["username"] for user in users] == ["admin"]
    last = run("users", "delete", "admin", "--yes", env=env)
    assert "last administrator" in last.stderr
    second = run(
        "users",
        "create",
        "ops",
        "--role",
        "admin",
        "--password-stdin",
        input="ops-password\n",
        env=env,
    )
    assert second.returncode == 0, second.stderr
    assert run("users", "delete", "admin", "--yes", env=env).returncode == 0
    assert "ops" in run("users", "list", env=env).stdout


def test_embedded_database_needs_no_init(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = run_installed("users", "list", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cloudviz" / "cloudviz.db").is_file()


def test_unreachable_database_is_cv005_with_a_hint(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none"}
    result = run_installed("users", "list", env=env)
    assert result.returncode == 1
    assert "Error [CV005]: cannot reach the database" in result.stderr
    assert "cloudviz db status" in result.stderr
    assert "Traceback" not in result.stderr
