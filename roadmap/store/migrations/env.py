"""Alembic environment of Rempart's history store.

Run through :func:`roadmap.store.database.upgrade_database`, which passes an open connection in
``config.attributes["connection"]``; ``sqlalchemy.url`` is used otherwise.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from roadmap.store.schema import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Migrate the database on the connection given, or on ``sqlalchemy.url``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
