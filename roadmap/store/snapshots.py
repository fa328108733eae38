"""The history store (PRODUCT.md §5 "Progress over time"): snapshots, frozen plans, audit log.

SQLAlchemy 2 models and the functions that read and write them. The default database is a
SQLite file ``rempart.db`` in ``$REMPART_DATA_DIR`` (default ``~/.local/share/rempart``), created
on first use; a hospital group sets ``REMPART_DATABASE_URL`` (any SQLAlchemy URL, e.g.
``postgresql+psycopg://user:password@host/rempart``). The schema is created and upgraded by the
Alembic migrations of ``roadmap/migrations`` (:func:`upgrade_database`).

Tables::

    sources            a workbook per establishment (unique name)
    snapshots          source, taken_at (date), content hash, the whole roadmap as JSON
    snapshot_measures  per snapshot and measure: status, progress (0–100), done date,
                       effort (person-days), team
    plan_versions      a frozen plan: source, frozen_at, frozen_by, options (JSON)
    planned_measures   per frozen plan and measure: planned start/end (working days), sprint,
                       effort and remaining effort at the freeze (person-days)
    audit_log          who, when, action, target, old → new (append-only)
    column_mappings    remembered column mappings: header fingerprint → JSON
    users              local accounts and OIDC identities: name, role, Argon2id password hash,
                       failed logins and lock (see :mod:`roadmap.auth`)

Times (``recorded_at``, ``frozen_at``, audit ``at``) are stored as naive UTC datetimes, to the
second; ``taken_at`` is a calendar date. Functions return plain frozen dataclasses
(:class:`Snapshot`, :class:`FrozenPlan`, :class:`AuditEntry`), never ORM objects, so callers never
touch a session. Every database error is translated into :class:`roadmap.errors.StoreError`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from roadmap.errors import StoreError
from roadmap.importing.values import neutralise
from roadmap.models import Roadmap, Status
from roadmap.security.roles import Actor, require_role

if TYPE_CHECKING:
    from roadmap.analysis import Analysis

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "rempart"
"""Where the SQLite database lives when ``REMPART_DATA_DIR`` is not set."""


class RempartSettings(BaseSettings):
    """Rempart's configuration: environment variables ``REMPART_*``, else ``rempart.toml`` or
    ``.env`` in the working directory, else the defaults.

    Attributes:
        data_dir: folder of the default SQLite database (``REMPART_DATA_DIR``).
        database_url: a SQLAlchemy URL (``REMPART_DATABASE_URL``); empty: SQLite in ``data_dir``.
    """

    model_config = SettingsConfigDict(env_prefix="REMPART_", env_file=".env", toml_file="rempart.toml", extra="ignore")

    data_dir: Path = Field(default=DEFAULT_DATA_DIR)
    database_url: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments first, then the environment, ``.env``, ``rempart.toml``."""
        return init_settings, env_settings, dotenv_settings, TomlConfigSettingsSource(settings_cls)

    @property
    def url(self) -> str:
        """The database URL in force: ``database_url``, else ``sqlite:///<data_dir>/rempart.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.data_dir).expanduser() / 'rempart.db'}"


def database_url(url: str | None = None) -> str:
    """``url`` when given, else the one of :class:`RempartSettings`.

    Raises:
        StoreError: the settings file or an environment variable is not valid.
    """
    if url:
        return url
    try:
        return RempartSettings().url
    except (ValidationError, ValueError) as exc:
        raise StoreError(f"invalid Rempart settings (REMPART_* variables, rempart.toml or .env): {exc}") from exc


# --- ORM models ---------------------------------------------------------------------------


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


class AuditRow(Base):
    """One write, as the audit log keeps it (append-only)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    who: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(500))
    old: Mapped[str | None] = mapped_column(Text, nullable=True)
    new: Mapped[str | None] = mapped_column(Text, nullable=True)


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


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, context: object, instances: object) -> None:
    """Refuse to change or delete an audit entry through the ORM."""
    if any(isinstance(row, AuditRow) for row in [*session.dirty, *session.deleted]):
        raise StoreError("the audit log is append-only: entries cannot be changed or deleted")


# --- Values returned ----------------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotMeasure:
    """One measure in a snapshot: ``progress`` 0–100 (100 when done), ``effort_days`` in person-days."""

    id: str
    status: Status
    progress: float
    done_date: dt.date | None
    effort_days: float
    team: str


@dataclass(frozen=True)
class Snapshot:
    """A source's workbook as it stood on ``taken_at``.

    Attributes:
        content_hash: SHA-256 of the file's bytes (hex), or any digest the caller chose.
        roadmap: the whole roadmap read from the file (risks and links included), for the residual
            risk of that date.
    """

    id: int
    source: str
    taken_at: dt.date
    content_hash: str
    recorded_at: dt.datetime
    measures: tuple[SnapshotMeasure, ...]
    roadmap: Roadmap


@dataclass(frozen=True)
class PlannedMeasure:
    """One measure of a frozen plan.

    Attributes:
        start, end: planned first and last working day; ``None`` when the plan did not schedule it
            (done, deferred or blocked at the freeze).
        sprint: sprint containing ``end``.
        effort_days: total effort in person-days; ``remaining_effort``: what was left at the freeze.
    """

    id: str
    team: str
    start: dt.date | None
    end: dt.date | None
    sprint: int | None
    effort_days: float
    remaining_effort: float


@dataclass(frozen=True)
class FrozenPlan:
    """A plan version frozen as the baseline.

    Attributes:
        options: ``start`` and ``end`` (ISO dates of the horizon), ``horizon_weeks``,
            ``sprint_weeks``, ``calendar`` (holiday country code), ``solver`` (status).
    """

    id: int
    source: str
    frozen_at: dt.datetime
    frozen_by: str
    options: dict[str, Any]
    measures: tuple[PlannedMeasure, ...]

    @property
    def start(self) -> dt.date:
        """First day of the plan's horizon."""
        return dt.date.fromisoformat(self.options["start"])

    @property
    def end(self) -> dt.date:
        """Last day of the plan's horizon."""
        return dt.date.fromisoformat(self.options["end"])

    @property
    def calendar(self) -> str:
        """Country code of the public holidays not worked (``""``: Monday–Friday only)."""
        return str(self.options.get("calendar", "FR"))


@dataclass(frozen=True)
class AuditEntry:
    """One audit-log entry: who did what to which target, old → new (texts or ``None``)."""

    at: dt.datetime
    who: str
    action: str
    target: str
    old: str | None
    new: str | None


# --- Engine and migrations ----------------------------------------------------------------

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_database(url: str, *, revision: str = "head") -> None:
    """Run ``alembic upgrade`` to ``revision`` (default the latest) on the database at ``url``.

    Raises:
        StoreError: the database cannot be reached or migrated.
    """
    from alembic import command

    engine = _engine(url)
    try:
        with _translate(url), engine.begin() as connection:
            command.upgrade(_alembic_config(connection), revision)
    finally:
        engine.dispose()


def downgrade_database(url: str, *, revision: str = "base") -> None:
    """Run ``alembic downgrade`` to ``revision`` (default: empty database).

    Raises:
        StoreError: the database cannot be reached or migrated.
    """
    from alembic import command

    engine = _engine(url)
    try:
        with _translate(url), engine.begin() as connection:
            command.downgrade(_alembic_config(connection), revision)
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (``None`` when not migrated)."""
    from alembic.runtime.migration import MigrationContext

    with _translate(engine.url), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _safe(url: object) -> str:
    """The URL without its password, for messages."""
    text = str(url)
    if "@" in text and "://" in text:
        scheme, rest = text.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return text


@contextmanager
def _translate(url: object) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"database {_safe(url)}: {detail}") from exc


def _engine(url: str) -> Engine:
    try:
        engine = create_engine(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"not a database URL: {_safe(url)!r} ({exc})") from exc
    except ImportError as exc:
        raise StoreError(f"no driver for {_safe(url)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def _sqlite_foreign_keys(connection: Any, record: object) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_store(url: str | None = None) -> Engine:
    """An engine on the history database, created and migrated to the latest revision if needed.

    Args:
        url: a SQLAlchemy URL; default :class:`RempartSettings` (SQLite in the data directory,
            whose folder is created).

    Raises:
        StoreError: the settings are invalid, the folder cannot be created, or the database cannot
            be reached or migrated.
    """
    url = database_url(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        folder = Path(url.removeprefix("sqlite:///")).parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {folder}: {exc.strerror or exc}") from exc
    upgrade_database(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        _owner_only(Path(url.removeprefix("sqlite:///")))
    return _engine(url)


def _owner_only(path: Path) -> None:
    """Make the SQLite file readable and writable by its owner only (it holds password hashes and a
    map of the hospital's weaknesses); a file owned by someone else is left as it is."""
    with contextlib.suppress(OSError):
        path.chmod(0o600)


def content_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes, 64 hex digits (the snapshot's content hash)."""
    return hashlib.sha256(data).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


# --- Sources and snapshots ----------------------------------------------------------------


def _source(session: Session, name: str, *, create: bool) -> SourceRow | None:
    row = session.scalar(select(SourceRow).where(SourceRow.name == name))
    if row is None and create:
        row = SourceRow(name=name, created_at=_now())
        session.add(row)
        session.flush()
    return row


def sources(engine: Engine) -> list[str]:
    """Names of the sources, alphabetically.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        return list(session.scalars(select(SourceRow.name).order_by(SourceRow.name)))


def record_snapshot(
    engine: Engine,
    source: str,
    roadmap: Roadmap,
    *,
    taken_at: dt.date,
    content_hash: str,
    by: Actor,
) -> Snapshot | None:
    """Save the roadmap as the source's snapshot of ``taken_at``, unless nothing changed.

    Args:
        source: the establishment's workbook name (created on first use).
        taken_at: the date the workbook stood as it is.
        content_hash: digest of the file (:func:`content_hash`); equal to the hash of the source's
            latest snapshot, nothing is added.
        by: who records it (an editor or above), named in the audit log.

    Returns:
        The new snapshot, or ``None`` when the content equals the latest snapshot's.

    Raises:
        PermissionDeniedError: ``by`` is a viewer; nothing is written.
        StoreError: the database cannot be written.
    """
    require_role(by, "record_snapshot")
    with _translate(engine.url), Session(engine) as session, session.begin():
        src = _source(session, source, create=True)
        assert src is not None
        latest = session.scalar(
            select(SnapshotRow)
            .where(SnapshotRow.source_id == src.id)
            .order_by(SnapshotRow.taken_at.desc(), SnapshotRow.id.desc())
            .limit(1)
        )
        if latest is not None and latest.content_hash == content_hash:
            return None
        row = SnapshotRow(
            source_id=src.id,
            taken_at=taken_at,
            content_hash=content_hash,
            recorded_at=_now(),
            roadmap_json=roadmap.model_dump_json(),
            measures=[
                SnapshotMeasureRow(
                    measure_id=m.id,
                    position=i,
                    status=str(m.status),
                    progress=m.progress,
                    done_date=m.done_date,
                    effort_days=m.effort_days,
                    team=m.team,
                )
                for i, m in enumerate(roadmap.measures)
            ],
        )
        session.add(row)
        session.add(
            AuditRow(
                at=_now(),
                who=by.name,
                action="snapshot",
                target=source,
                old=latest.content_hash if latest else None,
                new=f"{taken_at.isoformat()} {content_hash}",
            )
        )
        session.flush()
        return _snapshot(row, source)


def _snapshot(row: SnapshotRow, source: str) -> Snapshot:
    return Snapshot(
        id=row.id,
        source=source,
        taken_at=row.taken_at,
        content_hash=row.content_hash,
        recorded_at=row.recorded_at,
        measures=tuple(
            SnapshotMeasure(m.measure_id, Status(m.status), m.progress, m.done_date, m.effort_days, m.team)
            for m in row.measures
        ),
        roadmap=Roadmap.model_validate_json(row.roadmap_json),
    )


def snapshots(engine: Engine, source: str) -> list[Snapshot]:
    """Every snapshot of ``source``, oldest first (by ``taken_at``, then by recording order).

    Returns:
        An empty list for an unknown source.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        src = _source(session, source, create=False)
        if src is None:
            return []
        rows = session.scalars(
            select(SnapshotRow).where(SnapshotRow.source_id == src.id).order_by(SnapshotRow.taken_at, SnapshotRow.id)
        )
        return [_snapshot(row, source) for row in rows]


# --- Frozen plans -------------------------------------------------------------------------


def freeze_plan(engine: Engine, source: str, analysis: Analysis, *, by: Actor, at: dt.datetime) -> FrozenPlan:
    """Freeze the compressed plan of ``analysis`` as the source's baseline (a new version).

    Every non-cancelled measure is kept with its effort and remaining effort; scheduled ones also
    with their planned start, end and sprint.

    Args:
        by: who freezes it (an editor or above), kept as ``frozen_by`` and in the audit log;
            ``at``: when (naive UTC or aware).

    Raises:
        PermissionDeniedError: ``by`` is a viewer; nothing is written.
        StoreError: the database cannot be written.
    """
    require_role(by, "freeze_plan")
    plan = analysis.plan
    placed = {s.id: s for s in plan.scheduled}
    settings = analysis.roadmap.settings
    options = {
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat(),
        "horizon_weeks": round(((plan.end - plan.start).days + 1) / 7),
        "sprint_weeks": (plan.sprints[0].end - plan.sprints[0].start).days // 7 + 1 if plan.sprints else None,
        "calendar": settings.calendar,
        "solver": analysis.solver.status,
    }
    frozen_at = at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at
    rows = []
    for i, m in enumerate(m for m in analysis.roadmap.measures if m.status is not Status.CANCELLED):
        s = placed.get(m.id)
        rows.append(
            PlannedMeasureRow(
                measure_id=m.id,
                position=i,
                team=m.team,
                planned_start=s.start if s else None,
                planned_end=s.end if s else None,
                sprint=s.sprint if s else None,
                effort_days=m.effort_days,
                remaining_effort=m.remaining_effort,
            )
        )
    with _translate(engine.url), Session(engine) as session, session.begin():
        src = _source(session, source, create=True)
        assert src is not None
        row = PlanVersionRow(
            source_id=src.id,
            frozen_at=frozen_at.replace(microsecond=0),
            frozen_by=by.name,
            options=options,
            measures=rows,
        )
        session.add(row)
        session.flush()
        session.add(
            AuditRow(
                at=_now(),
                who=by.name,
                action="freeze_plan",
                target=source,
                old=None,
                new=f"plan version {row.id}: {len(placed)} scheduled measures, {plan.start} → {plan.end}",
            )
        )
        return _frozen(row, source)


def _frozen(row: PlanVersionRow, source: str) -> FrozenPlan:
    return FrozenPlan(
        id=row.id,
        source=source,
        frozen_at=row.frozen_at,
        frozen_by=row.frozen_by,
        options=dict(row.options),
        measures=tuple(
            PlannedMeasure(
                m.measure_id, m.team, m.planned_start, m.planned_end, m.sprint, m.effort_days, m.remaining_effort
            )
            for m in row.measures
        ),
    )


def latest_frozen_plan(engine: Engine, source: str) -> FrozenPlan | None:
    """The source's most recently frozen plan, or ``None`` when none was frozen.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        src = _source(session, source, create=False)
        if src is None:
            return None
        row = session.scalar(
            select(PlanVersionRow)
            .where(PlanVersionRow.source_id == src.id)
            .order_by(PlanVersionRow.frozen_at.desc(), PlanVersionRow.id.desc())
            .limit(1)
        )
        return _frozen(row, source) if row is not None else None


# --- Audit log and remembered mappings ----------------------------------------------------


def record_audit(
    engine: Engine, *, who: str, action: str, target: str, old: str | None = None, new: str | None = None
) -> None:
    """Append one entry to the audit log (dated now, UTC).

    Raises:
        StoreError: the database cannot be written.
    """
    with _translate(engine.url), Session(engine) as session, session.begin():
        session.add(AuditRow(at=_now(), who=who, action=action, target=target, old=old, new=new))


def audit_log(engine: Engine, *, limit: int | None = 500) -> list[AuditEntry]:
    """The latest ``limit`` audit entries (``None``: all), newest first, in the order of writing.

    The log is read in write order — by its row id, which the database hands out from an
    increasing sequence at insert (SQLite's ``INTEGER PRIMARY KEY``, PostgreSQL's ``SERIAL``) —
    never by its ``at`` column: clocks go backwards (a corrected server time, a wrong clock on one
    application server of a hospital group, a ``now=`` given by a caller), and an entry written
    later must still be listed as later. ``at`` is kept as data, as the writer's clock said it.

    Raises:
        StoreError: the database cannot be read.
    """
    query = select(AuditRow).order_by(AuditRow.id.desc())
    with _translate(engine.url), Session(engine) as session:
        rows = session.scalars(query if limit is None else query.limit(limit))
        return [AuditEntry(r.at, r.who, r.action, r.target, r.old, r.new) for r in rows]


def audit_count(engine: Engine) -> int:
    """How many entries the audit log holds.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)


AUDIT_COLUMNS = ("at_utc", "who", "action", "target", "old", "new")
"""Columns of :func:`export_audit`, in order."""


def export_audit(entries: Sequence[AuditEntry], *, fmt: Literal["csv", "json"] = "csv") -> bytes:
    """The audit entries as a file for an auditor: columns :data:`AUDIT_COLUMNS`, ``at_utc`` as ISO
    8601 (UTC, to the second).

    CSV is UTF-8 with a byte-order mark (Excel reads the accents), comma-separated, and every text
    a spreadsheet could take for a formula is neutralised (:func:`roadmap.importing.values.neutralise`): the
    log holds values typed by users. JSON is a list of objects, values as recorded.
    """
    rows = [
        {"at_utc": e.at.isoformat(), "who": e.who, "action": e.action, "target": e.target, "old": e.old, "new": e.new}
        for e in entries
    ]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=AUDIT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def save_mapping(engine: Engine, fingerprint: str, mapping: dict[str, Any]) -> None:
    """Remember a confirmed column mapping (JSON-serialisable) under a header fingerprint.

    Raises:
        StoreError: the database cannot be written.
    """
    json.dumps(mapping)  # fail early on a value JSON cannot hold
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = session.scalar(select(MappingRow).where(MappingRow.fingerprint == fingerprint))
        if row is None:
            session.add(MappingRow(fingerprint=fingerprint, mapping=mapping, saved_at=_now()))
        else:
            row.mapping, row.saved_at = mapping, _now()


def load_mapping(engine: Engine, fingerprint: str) -> dict[str, Any] | None:
    """The mapping remembered for a header fingerprint, or ``None``.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        row = session.scalar(select(MappingRow).where(MappingRow.fingerprint == fingerprint))
        return dict(row.mapping) if row is not None else None
