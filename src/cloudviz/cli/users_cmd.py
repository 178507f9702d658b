"""`cloudviz users` and `cloudviz api-keys`: accounts and keys of the server."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

import click

from cloudviz.auth.permissions import ROLE_DESCRIPTIONS, ROLE_PERMISSIONS
from cloudviz.cli.app import CliState, cli, pass_state
from cloudviz.cli.options import split_values
from cloudviz.errors import ValidationError

# The store pulls in SQLAlchemy and argon2; importing it only when these
# commands run keeps every other command quick to start.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cloudviz.store.api_keys import ApiKeyInfo
    from cloudviz.store.users import UserInfo, UserService


@contextmanager
def _unit_of_work(state: CliState) -> Iterator[Session]:
    from cloudviz.store.database import open_database

    with open_database(state.settings).session() as session:
        yield session


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _print_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise ValidationError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise ValidationError(
            "no password given",
            hint="pipe it with --password-stdin, or run on a terminal to be asked",
        )
    prompted: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return prompted


def _find_user(users: UserService, name_or_id: str) -> UserInfo:
    if name_or_id.isdigit():
        return users.get(int(name_or_id))
    return users.get_by_username(name_or_id)


@cli.group("users")
def users_group() -> None:
    """Manage the people who log in to the CloudViz server."""


@users_group.command("create")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(list(ROLE_PERMISSIONS)),
    help="Role to give (repeatable; default viewer).",
)
@click.option("--permissions", help="Extra permissions, comma-separated.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@pass_state
def create_user(
    state: CliState,
    username: str,
    roles: tuple[str, ...],
    permissions: str | None,
    password_stdin: bool,
) -> None:
    """Create a user; asks for the password twice unless --password-stdin.

    \b
    Example:
      cloudviz users create admin --role admin
      echo "$ADMIN_PASSWORD" | cloudviz users create ci --role editor --password-stdin
    """
    from cloudviz import store

    password = _read_password(password_stdin)
    extra = list(split_values((permissions,))) if permissions else []
    with _unit_of_work(state) as session:
        user = store.UserService(session).create(
            username, password, list(roles) or ["viewer"], extra
        )
        store.AuditService(session).record(_actor(), "user.create", user.username)
    roles_text = ", ".join(user.roles)
    click.echo(f"Created user {user.username} (id {user.id}) with roles {roles_text}.")


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the users as JSON.")
@pass_state
def list_users(state: CliState, as_json: bool) -> None:
    """List users with their roles and extra permissions.

    \b
    Example:
      cloudviz users list
    """
    from cloudviz import store

    with _unit_of_work(state) as session:
        users = store.UserService(session).list().items
    if as_json:
        click.echo(json.dumps([user.to_dict() for user in users], indent=2))
        return
    if not users:
        click.echo(
            "No users. Create one with `cloudviz users create admin --role admin`."
        )
        return
    _print_table(
        ("ID", "USERNAME", "ROLES", "EXTRA", "ACTIVE", "LAST LOGIN"),
        [
            (
                str(user.id),
                user.username,
                ",".join(user.roles),
                ",".join(user.permissions) or "-",
                "yes" if user.is_active else "no",
                _stamp(user.last_login_at),
            )
            for user in users
        ],
    )


@users_group.command("delete")
@click.argument("user")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def delete_user(state: CliState, user: str, yes: bool) -> None:
    """Delete a user (by name or id) and their API keys.

    Their snapshots stay, without an owner.

    \b
    Example:
      cloudviz users delete alice --yes
    """
    from cloudviz import store

    if not yes and sys.stdin.isatty():
        click.confirm(f"Delete user {user} and their API keys?", abort=True)
    with _unit_of_work(state) as session:
        users = store.UserService(session)
        deleted = users.delete(_find_user(users, user).id)
        store.AuditService(session).record(_actor(), "user.delete", deleted.username)
    click.echo(f"Deleted user {deleted.username}.")


@users_group.command("set-roles")
@click.argument("user")
@click.argument(
    "roles", nargs=-1, required=True, type=click.Choice(list(ROLE_PERMISSIONS))
)
@pass_state
def set_roles(state: CliState, user: str, roles: tuple[str, ...]) -> None:
    """Replace a user's roles.

    \b
    Example:
      cloudviz users set-roles alice editor
    """
    from cloudviz import store

    with _unit_of_work(state) as session:
        users = store.UserService(session)
        updated = users.set_roles(_find_user(users, user).id, list(roles))
        store.AuditService(session).record(
            _actor(), "user.roles", updated.username, detail={"roles": list(roles)}
        )
    click.echo(f"{updated.username}: roles {', '.join(updated.roles)}.")


@users_group.command("roles")
def list_roles() -> None:
    """List the roles and the permissions each grants.

    \b
    Example:
      cloudviz users roles
    """
    for role, permissions in ROLE_PERMISSIONS.items():
        click.echo(
            f"{role:<8} {', '.join(sorted(permissions)):<40} {ROLE_DESCRIPTIONS[role]}"
        )


@cli.group("api-keys")
def api_keys_group() -> None:
    """Manage API keys for scripts and automations (header X-API-Key)."""


@api_keys_group.command("create")
@click.option("--name", required=True, help="What the key is for.")
@click.option(
    "--permissions",
    required=True,
    help="Comma-separated: read, write, extract, visualize, admin.",
)
@click.option("--user", help="Owner (name or id); the key never exceeds their rights.")
@pass_state
def create_api_key(
    state: CliState, name: str, permissions: str, user: str | None
) -> None:
    """Create an API key and print it, this once only.

    \b
    Example:
      cloudviz api-keys create --name ci-pipeline --permissions read,extract --user ci
    """
    from cloudviz import store

    with _unit_of_work(state) as session:
        owner_id = _find_user(store.UserService(session), user).id if user else None
        created = store.ApiKeyService(session).create(
            name, list(split_values((permissions,))), owner_id
        )
        store.AuditService(session).record(
            _actor(), "api_key.create", str(created.info.id)
        )
    click.echo(created.key)
    click.echo(
        f"Created API key {created.info.id} ({created.info.name}) with "
        f"{', '.join(created.info.permissions)}. Store it now: it is not shown again.",
        err=True,
    )


@api_keys_group.command("list")
@click.option("--user", help="Only this user's keys (name or id).")
@click.option("--json", "as_json", is_flag=True, help="Print the keys as JSON.")
@pass_state
def list_api_keys(state: CliState, user: str | None, as_json: bool) -> None:
    """List API keys (never their secret part).

    \b
    Example:
      cloudviz api-keys list
    """
    from cloudviz import store

    with _unit_of_work(state) as session:
        owner_id = _find_user(store.UserService(session), user).id if user else None
        keys = store.ApiKeyService(session).list(owner_id)
    if as_json:
        click.echo(json.dumps([key.to_dict() for key in keys], indent=2))
        return
    if not keys:
        click.echo("No API keys.")
        return
    _print_table(
        ("ID", "NAME", "PREFIX", "PERMISSIONS", "STATE", "LAST USED"),
        [
            (
                str(key.id),
                key.name,
                f"cvz_{key.prefix}",
                ",".join(key.permissions),
                _key_state(key),
                _stamp(key.last_used_at),
            )
            for key in keys
        ],
    )


def _key_state(key: ApiKeyInfo) -> str:
    if key.active:
        return "active"
    return "revoked" if key.revoked_at else "expired"


@api_keys_group.command("revoke")
@click.argument("key_id", type=int)
@pass_state
def revoke_api_key(state: CliState, key_id: int) -> None:
    """Revoke an API key by id; requests with it get 403 from now on.

    \b
    Example:
      cloudviz api-keys revoke 3
    """
    from cloudviz import store

    with _unit_of_work(state) as session:
        info = store.ApiKeyService(session).revoke(key_id)
        store.AuditService(session).record(_actor(), "api_key.revoke", str(info.id))
    click.echo(f"Revoked API key {info.id} ({info.name}).")
