"""Alembic environment: runs on the connection CloudViz hands it.

`cloudviz.store.schema` opens the connection (from the settings) and passes it
in `config.attributes["connection"]`; the migrations never read a URL of
their own, so they always act on the database the rest of CloudViz uses.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from cloudviz.store.models import Base
from cloudviz.store.schema import include_object

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `cloudviz db`, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    compare_type=True,
    include_object=include_object,
    # SQLite alters tables by copying them; batch mode does that for us.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
