"""Snapshots of a workbook over time, and frozen plans (the baseline that earned value is measured
against, :mod:`roadmap.progress`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Engine,
    select,
)
from sqlalchemy.orm import Session

from roadmap.errors import StoreError
from roadmap.models import Roadmap, Status
from roadmap.security.roles import Actor, require_role

if TYPE_CHECKING:
    from roadmap.analysis import Analysis
from roadmap.store.database import _now, _translate
from roadmap.store.schema import AuditRow, PlannedMeasureRow, PlanVersionRow, SnapshotMeasureRow, SnapshotRow, SourceRow


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


def content_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes, 64 hex digits (the snapshot's content hash)."""
    return hashlib.sha256(data).hexdigest()


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


def delete_snapshot(engine: Engine, source: str, snapshot_id: int, *, by: Actor) -> Snapshot:
    """Delete one snapshot of ``source`` (a trial import recorded by mistake), with an audit entry
    ``delete_snapshot`` (old: its date and content hash) in the same transaction; a source left with
    no snapshot and no frozen plan is deleted too (it no longer shows among the establishments).

    Args:
        snapshot_id: :attr:`Snapshot.id` of a snapshot of ``source``.
        by: who deletes it (an editor or above), named in the audit log.

    Returns:
        The snapshot as it was before its deletion.

    Raises:
        PermissionDeniedError: ``by`` is a viewer; nothing is deleted.
        StoreError: no such snapshot of ``source``, or the database cannot be written.
    """
    require_role(by, "delete_snapshot")
    with _translate(engine.url), Session(engine) as session, session.begin():
        src = _source(session, source, create=False)
        row = session.get(SnapshotRow, snapshot_id)
        if src is None or row is None or row.source_id != src.id:
            raise StoreError(f"no snapshot {snapshot_id} of '{source}': reload the History page and choose again")
        gone = _snapshot(row, source)
        session.delete(row)
        session.flush()
        left = session.scalar(select(SnapshotRow.id).where(SnapshotRow.source_id == src.id).limit(1))
        plans = session.scalar(select(PlanVersionRow.id).where(PlanVersionRow.source_id == src.id).limit(1))
        if left is None and plans is None:  # a trial import's source leaves the establishments compared
            session.delete(src)
        session.add(
            AuditRow(
                at=_now(),
                who=by.name,
                action="delete_snapshot",
                target=source,
                old=f"{row.taken_at.isoformat()} {row.content_hash}",
                new=None,
            )
        )
        return gone


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
