"""Alembic environment: runs on the connection `microforge.fleet.migrate` hands over."""

from __future__ import annotations

from alembic import context

from microforge.fleet.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
