"""The tables of the history store (SQLAlchemy 2 declarative models); the audit log is
append-only, even through the ORM, and every new entry is sealed into its hash chain when the ORM
flushes it (:mod:`roadmap.store.chain`). See :mod:`roadmap.store.database` for the list of tables.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy import inspect as inspect_row
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from roadmap.errors import StoreError
from roadmap.store.chain import seal_entries

if TYPE_CHECKING:
    pass


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""


class SourceRow(Base):
    """A workbook per establishment."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SnapshotRow(Base):
    """The workbook of a source as it stood on a date."""

    __tablename__ = "snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    taken_at: Mapped[dt.date] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    roadmap_json: Mapped[str] = mapped_column(Text)
    measures: Mapped[list[SnapshotMeasureRow]] = relationship(
        cascade="all, delete-orphan", order_by="SnapshotMeasureRow.position"
    )


class SnapshotMeasureRow(Base):
    """One measure of a snapshot."""

    __tablename__ = "snapshot_measures"
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Float)
    done_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    effort_days: Mapped[float] = mapped_column(Float)
    team: Mapped[str] = mapped_column(String(200))


class PlanVersionRow(Base):
    """A frozen plan: the baseline progress is compared to."""

    __tablename__ = "plan_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    frozen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    frozen_by: Mapped[str] = mapped_column(String(200))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    measures: Mapped[list[PlannedMeasureRow]] = relationship(
        cascade="all, delete-orphan", order_by="PlannedMeasureRow.position"
    )


class PlannedMeasureRow(Base):
    """One measure of a frozen plan (planned dates empty when not scheduled)."""

    __tablename__ = "planned_measures"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    team: Mapped[str] = mapped_column(String(200))
    planned_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    planned_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    sprint: Mapped[int | None] = mapped_column(Integer, nullable=True)
    effort_days: Mapped[float] = mapped_column(Float)
    remaining_effort: Mapped[float] = mapped_column(Float)


class ScenarioRow(Base):
    """A capacity scenario of a source (:class:`roadmap.scenarios.Scenario` as JSON in ``scenario``)."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("source_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    scenario: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime)
    saved_by: Mapped[str] = mapped_column(String(200))


class AuditRow(Base):
    """One write, as the audit log keeps it (append-only); ``id`` and ``hash`` are given by the
    chain when the entry is flushed (:func:`roadmap.store.chain.seal_entries`)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    who: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(500))
    old: Mapped[str | None] = mapped_column(Text, nullable=True)
    new: Mapped[str | None] = mapped_column(Text, nullable=True)
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainRow(Base):
    """The audit chain's one row: the database's key and the chain's head (:mod:`roadmap.store.chain`)."""

    __tablename__ = "audit_chain"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(64))
    head_id: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    head_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    length: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sealed: Mapped[int] = mapped_column(Integer)


class MappingRow(Base):
    """A confirmed column mapping, remembered by the fingerprint of its headers."""

    __tablename__ = "column_mappings"
    __table_args__ = (UniqueConstraint("fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime)


class UserRow(Base):
    """An account: a local user with a password hash, or an OIDC identity (e-mail) without one."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(Text, nullable=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    disabled_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class LoginAddressRow(Base):
    """Failed logins from one client address, and its block (:mod:`roadmap.security.accounts`)."""

    __tablename__ = "login_addresses"
    address: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure: Mapped[dt.datetime] = mapped_column(DateTime)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class LoginSessionRow(Base):
    """A signed-in browser (:mod:`roadmap.security.sessions`): the SHA-256 of its one-time hand-off
    code, then of its session token (the cookie), never the secrets themselves."""

    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    code_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, context: object, instances: object) -> None:
    """Refuse to change or delete an audit entry through the ORM."""
    if any(isinstance(row, AuditRow | AuditChainRow) for row in [*session.dirty, *session.deleted]):
        raise StoreError("the audit log is append-only: entries cannot be changed or deleted")
    if any(isinstance(row, AuditChainRow) for row in session.new):
        raise StoreError("the audit chain's head is written by the chain only")
    entries = [row for row in session.new if isinstance(row, AuditRow)]
    if entries:
        entries.sort(key=lambda row: inspect_row(row).insert_order or 0)
        seal_entries(session, entries, anchor=AuditChainRow.__table__)  # type: ignore[arg-type]
