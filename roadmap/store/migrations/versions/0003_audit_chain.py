"""audit chain: a SHA-256 hash per audit entry, chained, and the chain's key and head

The entries already in the log are sealed as they are found, in id order, and — when there are
some — one more entry says so (action ``audit_chain_start``): a change made to them before this
migration cannot be detected, one made after it can. ``audit_chain.started_at`` and ``sealed``
keep the moment and that number for ``python -m roadmap audit verify``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 07:30:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

from roadmap.store.chain import ANCHOR_ID, entry_hash, new_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("who", sa.String),
    sa.column("action", sa.String),
    sa.column("target", sa.String),
    sa.column("old", sa.Text),
    sa.column("new", sa.Text),
    sa.column("hash", sa.String),
)


def upgrade() -> None:
    anchor = op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=True),
        sa.Column("head_at", sa.DateTime(), nullable=True),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("sealed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))

    connection = op.get_bind()
    key = new_key()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    previous, head_id, head_at, count = key, 0, None, 0
    rows = connection.execute(sa.select(_log).order_by(_log.c.id)).all()
    for row in rows:
        previous = _seal(connection, previous, row.id, row.at, row.who, row.action, row.target, row.old, row.new)
        head_id, head_at, count = row.id, row.at, count + 1
    sealed = count
    if sealed:
        head_id, head_at, count = head_id + 1, now, count + 1
        note = (
            f"{sealed} earlier entries sealed as found; a change made to them before "
            f"{now:%Y-%m-%d %H:%M} UTC cannot be detected, one made after can"
        )
        who, action, target = "rempart", "audit_chain_start", "audit_log"
        connection.execute(
            sa.insert(_log).values(id=head_id, at=now, who=who, action=action, target=target, new=note, hash="")
        )
        previous = _seal(connection, previous, head_id, now, who, action, target, None, note)
    op.bulk_insert(
        anchor,
        [
            {
                "id": ANCHOR_ID,
                "key": key,
                "head_id": head_id,
                "head_hash": previous if count else None,
                "head_at": head_at,
                "length": count,
                "started_at": now,
                "sealed": sealed,
            }
        ],
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)


def _seal(
    connection: sa.Connection,
    previous: str,
    ident: int,
    at: dt.datetime,
    who: str,
    action: str,
    target: str,
    old: str | None,
    new: str | None,
) -> str:
    digest = entry_hash(previous, id=ident, at=at, who=who, action=action, target=target, old=old, new=new)
    connection.execute(sa.update(_log).where(_log.c.id == ident).values(hash=digest))
    return digest


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("hash")
    op.drop_table("audit_chain")
