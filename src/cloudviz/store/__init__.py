"""Persistence: snapshots as rows, jobs, users, API keys, the audit log.

Open the database once per process and run each unit of work in a session
that the caller commits::

    database = open_database(settings)
    with database.session() as session:
        info = SnapshotService(session).create_from_inventory(inventory, owner_id)

Services flush; `Database.session()` commits at the end of the block, rolls
back on any error and turns connection failures into CV005.
"""

from cloudviz.store.api_keys import ApiKeyInfo, ApiKeyService, CreatedApiKey
from cloudviz.store.audit import AuditRecord, AuditService
from cloudviz.store.database import (
    Database,
    normalize_url,
    open_database,
    sanitized_url,
)
from cloudviz.store.paging import Page, PageRequest
from cloudviz.store.revoked_tokens import RevokedTokenRepository
from cloudviz.store.snapshots import (
    ResourceQuery,
    SnapshotFilter,
    SnapshotInfo,
    SnapshotService,
)
from cloudviz.store.users import UserInfo, UserService

__all__ = [
    "ApiKeyInfo",
    "ApiKeyService",
    "AuditRecord",
    "AuditService",
    "CreatedApiKey",
    "Database",
    "Page",
    "PageRequest",
    "ResourceQuery",
    "RevokedTokenRepository",
    "SnapshotFilter",
    "SnapshotInfo",
    "SnapshotService",
    "UserInfo",
    "UserService",
    "normalize_url",
    "open_database",
    "sanitized_url",
]
