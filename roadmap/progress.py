"""Progress against the frozen plan: earned value, schedule performance, late measures.

Earned-value management as in the PMI's *PMBOK Guide* (7th ed., §2.7 "Measurement performance
domain") and the *Practice Standard for Earned Value Management*, with effort in person-days as
the budget unit. For a frozen plan (:class:`roadmap.store.snapshots.FrozenPlan`) and the snapshots of the
workbook (:class:`roadmap.store.snapshots.Snapshot`):

* **Planned value** on day t, in person-days::

      PV(t) = EV₀ + Σ_m  remaining_m × w_m(t)

  where ``remaining_m`` is the measure's remaining effort at the freeze and ``w_m(t)`` the share
  of its planned working days (Monday–Friday minus the plan calendar's public holidays), from its
  planned start to its planned end, that fall *before* t: 0 up to its start day, 1 after its end
  day, linear in between (a 4-working-day measure starting on a Monday is planned 25 % done on
  Tuesday). A snapshot dated t is the workbook as it stood at the start of day t (the weekly
  status), so it is compared with the work planned before t; on the plan's first day PV = EV₀.
  Measures the plan did not schedule (deferred, blocked) add nothing. ``EV₀ = Σ_m (effort_m −
  remaining_m)`` is the work already earned when the plan was frozen: it was "scheduled" before
  the plan began, so PV starts from it and EV and PV are comparable.
* **Earned value** at t, from the latest snapshot taken on or before t::

      EV(t) = Σ_m  effort_m × progress_m / 100

  over the frozen plan's measures, with ``effort_m`` the effort recorded at the freeze (the
  budget), progress 100 for a done measure and 0 for a cancelled or missing one. Without any
  snapshot on or before t, the state recorded at the freeze is used (EV = EV₀).
* **Schedule performance index** ``SPI = EV / PV`` (``None`` when PV = 0): below 1 the
  programme is behind.
* **Forecast end** (PMBOK's "estimate at completion" for time, SPI-based): with ``D`` the planned
  duration in calendar days from the plan's start to the last planned end (both inclusive),
  ``forecast_end = start + ceil(D / SPI) − 1`` days; ``None`` when SPI is ``None`` or 0.
* **Late**: a measure whose planned end is before the as-of date and that is not done (nor
  cancelled) in the snapshot.

The actual residual-risk trajectory applies :func:`roadmap.risk.total_residual` to each
snapshot's own roadmap (its statuses, risks and links), so every figure is reproducible by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from roadmap.models import Roadmap, Status
from roadmap.planning.calendar import working_days
from roadmap.risk import baseline_finish, risk_trajectory, total_residual
from roadmap.store.snapshots import FrozenPlan, PlannedMeasure, Snapshot


@functools.lru_cache(maxsize=4096)
def _working_days(start: dt.date, end: dt.date, calendar: str) -> tuple[dt.date, ...]:
    return tuple(working_days(start, end, calendar=calendar))


def planned_share(measure: PlannedMeasure, day: dt.date, *, calendar: str = "FR") -> float:
    """Share (0–1) of a measure's planned work scheduled before ``day``.

    Linear over the planned working days from ``start`` to ``end`` (see module doc); 0 for a
    measure the plan did not schedule.
    """
    if measure.start is None or measure.end is None or day <= measure.start:
        return 0.0
    if day > measure.end:
        return 1.0
    planned = _working_days(measure.start, measure.end, calendar)
    if not planned:
        return 1.0
    return sum(d < day for d in planned) / len(planned)


def earned_at_freeze(plan: FrozenPlan) -> float:
    """EV₀: person-days already earned when the plan was frozen, Σ (effort − remaining)."""
    return sum(m.effort_days - m.remaining_effort for m in plan.measures)


def planned_value(plan: FrozenPlan, day: dt.date) -> float:
    """PV on ``day`` (work planned before it) in person-days (PMBOK; the rule is in the module doc)."""
    return earned_at_freeze(plan) + sum(
        m.remaining_effort * planned_share(m, day, calendar=plan.calendar) for m in plan.measures
    )


def earned_value(plan: FrozenPlan, snapshot: Snapshot | None) -> float:
    """EV in person-days: Σ effort × progress/100 over the plan's measures, from ``snapshot``.

    Args:
        snapshot: the workbook's state; ``None`` uses the state recorded at the freeze (EV₀).
    """
    if snapshot is None:
        return earned_at_freeze(plan)
    state = {m.id: m for m in snapshot.measures}
    total = 0.0
    for measure in plan.measures:
        now = state.get(measure.id)
        if now is None or now.status is Status.CANCELLED:
            continue
        share = 1.0 if now.status is Status.DONE else now.progress / 100
        total += measure.effort_days * share
    return total


def snapshot_at(history: Sequence[Snapshot], day: dt.date) -> Snapshot | None:
    """The latest snapshot taken on or before ``day`` (the last recorded one on a tie), or ``None``."""
    before = [s for s in history if s.taken_at <= day]
    return max(before, key=lambda s: (s.taken_at, s.id)) if before else None


def schedule_performance(ev: float, pv: float) -> float | None:
    """SPI = EV / PV (PMBOK); ``None`` when PV is 0."""
    return ev / pv if pv > 0 else None


def planned_finish(plan: FrozenPlan) -> dt.date:
    """Last planned end of the plan's scheduled measures (the plan's start when none)."""
    ends = [m.end for m in plan.measures if m.end is not None]
    return max(ends) if ends else plan.start


def forecast_end(plan: FrozenPlan, spi: float | None) -> dt.date | None:
    """SPI-based forecast of the end date: ``start + ceil(D / SPI) − 1`` days (module doc).

    ``D`` is the planned duration in calendar days, start and last planned end inclusive.
    """
    if spi is None or spi <= 0:
        return None
    duration = (planned_finish(plan) - plan.start).days + 1
    days = math.ceil(duration / spi - 1e-9)
    try:
        return plan.start + dt.timedelta(days=days - 1)
    except OverflowError:
        return None


def late_measures(plan: FrozenPlan, snapshot: Snapshot | None, as_of: dt.date) -> list[str]:
    """IDs of the measures whose planned end is before ``as_of`` and that are not done.

    The status comes from ``snapshot`` (from the freeze when ``None``); cancelled measures are
    never late. Plan order.
    """
    state = {m.id: m.status for m in snapshot.measures} if snapshot is not None else {}
    late = []
    for measure in plan.measures:
        if measure.end is None or measure.end >= as_of:
            continue
        if snapshot is None:  # no snapshot yet: the state at the freeze
            done = measure.remaining_effort <= 0
        else:
            done = state.get(measure.id) in (Status.DONE, Status.CANCELLED)
        if not done:
            late.append(measure.id)
    return late


def burn_up(plan: FrozenPlan, history: Sequence[Snapshot]) -> pd.DataFrame:
    """Planned value per day against earned value per snapshot, for a burn-up chart.

    Returns:
        DataFrame with columns ``date`` (datetime64; every calendar day from the plan's start to
        the later of its end and the last snapshot), ``pv`` (cumulative planned value,
        person-days) and ``ev`` (earned value of the snapshot taken that day, person-days; NaN on
        days without a snapshot).
    """
    last = max([plan.end, *(s.taken_at for s in history)])
    days = [plan.start + dt.timedelta(days=n) for n in range((last - plan.start).days + 1)]
    earned = {}
    for snapshot in sorted(history, key=lambda s: (s.taken_at, s.id)):
        earned[snapshot.taken_at] = earned_value(plan, snapshot)
    return pd.DataFrame(
        {
            "date": pd.to_datetime(days),
            "pv": [planned_value(plan, d) for d in days],
            "ev": [earned.get(d, math.nan) for d in days],
        }
    )


def actual_residual(history: Sequence[Snapshot], *, until: dt.date | None = None) -> pd.DataFrame:
    """Total residual score (Σ over risks, 1–16 each on 4×4 scales) of each snapshot's workbook.

    Returns:
        DataFrame with columns ``date`` (datetime64, the snapshot's date) and ``total``; one row
        per date (the last snapshot of a day wins), oldest first, up to ``until`` when given.
    """
    rows: dict[dt.date, float] = {}
    for snapshot in sorted(history, key=lambda s: (s.taken_at, s.id)):
        if until is None or snapshot.taken_at <= until:
            rows[snapshot.taken_at] = total_residual(snapshot.roadmap)
    return pd.DataFrame({"date": pd.to_datetime(list(rows)), "total": list(rows.values())}, columns=["date", "total"])


def residual_comparison(plan: FrozenPlan, roadmap: Roadmap, history: Sequence[Snapshot]) -> pd.DataFrame:
    """The residual-risk trajectories to compare: the 3-year ``baseline``, the frozen plan
    (``optimised``) and the ``actual`` one from the snapshots.

    Args:
        roadmap: the workbook as it was when the plan was frozen (its statuses are the start).

    Returns:
        Long DataFrame with columns ``date``, ``scenario`` and ``total`` as from
        :func:`roadmap.risk.risk_trajectory`, ready for :func:`roadmap.charts.trajectory_figure`.
    """
    finish = {m.id: m.end for m in plan.measures if m.end is not None}
    planned = risk_trajectory(
        roadmap,
        start=plan.start,
        end=plan.end,
        scenarios={"baseline": baseline_finish(roadmap, start=plan.start), "optimised": finish},
    )
    actual = actual_residual(history).assign(scenario="actual")[["date", "scenario", "total"]]
    return pd.concat([planned, actual], ignore_index=True)


MIN_SNAPSHOTS_FOR_SPI = 2
"""Snapshots a team's SPI needs before it calibrates the forecast (one snapshot is the freeze's state)."""


def team_performance(
    plan: FrozenPlan, history: Sequence[Snapshot], *, as_of: dt.date | None = None
) -> dict[str, float]:
    """Each team's observed SPI = EV / PV over its own measures of the frozen plan, on ``as_of``
    (default the latest snapshot), with PV and EV as in the module doc; the forecast divides the
    team's remaining durations by it (:mod:`roadmap.planning.forecast`).

    Returns:
        team → SPI, only for teams with PV > 0; empty when the history has fewer than
        :data:`MIN_SNAPSHOTS_FOR_SPI` snapshots (no trend to read).
    """
    if len(history) < MIN_SNAPSHOTS_FOR_SPI:
        return {}
    day = as_of or max(s.taken_at for s in history)
    current = snapshot_at(history, day)
    state = {m.id: m for m in current.measures} if current is not None else {}
    pv: dict[str, float] = {}
    ev: dict[str, float] = {}
    for m in plan.measures:
        pv[m.team] = pv.get(m.team, 0.0) + (m.effort_days - m.remaining_effort)
        pv[m.team] += m.remaining_effort * planned_share(m, day, calendar=plan.calendar)
        now = state.get(m.id)
        if current is None:
            earned = m.effort_days - m.remaining_effort
        elif now is None or now.status is Status.CANCELLED:
            earned = 0.0
        else:
            earned = m.effort_days * (1.0 if now.status is Status.DONE else now.progress / 100)
        ev[m.team] = ev.get(m.team, 0.0) + earned
    return {team: ev[team] / value for team, value in pv.items() if value > 0}


@dataclass(frozen=True)
class ProgressReport:
    """Where the programme stands against its frozen plan on ``as_of``.

    Attributes:
        snapshots: how many snapshots of the source there are (all dates).
        pv, ev: planned value (work planned before ``as_of``) and earned value (latest snapshot
            on or before ``as_of``), in person-days.
        spi: EV / PV, ``None`` when PV = 0.
        forecast_end: SPI-based end date, ``None`` without an SPI.
        late: IDs of the measures past their planned end and not done.
        burn_up: see :func:`burn_up`; residual_actual: see :func:`actual_residual` (up to as_of).
        plan_end: the frozen plan's horizon end, which ``forecast_end`` is compared with
            (:func:`roadmap.analysis.programme_status`); ``None`` when unknown.
    """

    as_of: dt.date
    snapshots: int
    pv: float
    ev: float
    spi: float | None
    forecast_end: dt.date | None
    late: tuple[str, ...]
    burn_up: pd.DataFrame
    residual_actual: pd.DataFrame
    plan_end: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``progress --json`` object of the CLI (rounded: person-days to 0.01, SPI to 0.0001)."""
        return {
            "snapshots": self.snapshots,
            "as_of": self.as_of.isoformat(),
            "pv": round(self.pv, 2),
            "ev": round(self.ev, 2),
            "spi": None if self.spi is None else round(self.spi, 4),
            "forecast_end": None if self.forecast_end is None else self.forecast_end.isoformat(),
            "late": list(self.late),
            "residual_actual": [
                {"date": pd.Timestamp(when).date().isoformat(), "total": round(float(total), 4)}
                for when, total in zip(self.residual_actual["date"], self.residual_actual["total"], strict=True)
            ],
        }


def progress_report(plan: FrozenPlan, history: Sequence[Snapshot], *, as_of: dt.date | None = None) -> ProgressReport:
    """Earned value, SPI, forecast end and late measures on ``as_of`` (module doc for the rules).

    Args:
        plan: the frozen plan (baseline).
        history: the source's snapshots, any order.
        as_of: the date of the report; default the latest snapshot's date (the plan's start when
            there is none).
    """
    if as_of is None:
        as_of = max((s.taken_at for s in history), default=plan.start)
    current = snapshot_at(history, as_of)
    pv = planned_value(plan, as_of)
    ev = earned_value(plan, current)
    spi = schedule_performance(ev, pv)
    return ProgressReport(
        as_of=as_of,
        snapshots=len(history),
        pv=pv,
        ev=ev,
        spi=spi,
        forecast_end=forecast_end(plan, spi),
        late=tuple(late_measures(plan, current, as_of)),
        burn_up=burn_up(plan, history),
        residual_actual=actual_residual(history, until=as_of),
        plan_end=plan.end,
    )


def compare_sources(
    sources: Sequence[tuple[str, FrozenPlan | None, Sequence[Snapshot]]], *, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Roll-up of several establishments (a hospital group): one row per source.

    Args:
        sources: (name, latest frozen plan or ``None``, snapshots) per establishment.
        as_of: date of every report; default each source's latest snapshot.

    Returns:
        DataFrame with columns ``source``, ``snapshots``, ``as_of`` (date or None), ``pv``,
        ``ev`` (person-days), ``spi``, ``forecast_end``, ``late`` (count) — missing (None or NaN)
        without a frozen plan — and ``residual`` (total residual score of the latest snapshot on or before
        ``as_of``, NaN without one).
    """
    rows = []
    for name, plan, history in sources:
        latest = max((s.taken_at for s in history), default=None)
        day = as_of or latest
        current = snapshot_at(history, day) if day else None
        row: dict[str, Any] = {
            "source": name,
            "snapshots": len(history),
            "as_of": None,
            "pv": math.nan,
            "ev": math.nan,
            "spi": None,
            "forecast_end": None,
            "late": None,
            "residual": total_residual(current.roadmap) if current else math.nan,
        }
        if plan is not None:
            report = progress_report(plan, history, as_of=as_of)
            row.update(
                as_of=report.as_of,
                pv=report.pv,
                ev=report.ev,
                spi=report.spi,
                forecast_end=report.forecast_end,
                late=len(report.late),
            )
        rows.append(row)
    columns = ["source", "snapshots", "as_of", "pv", "ev", "spi", "forecast_end", "late", "residual"]
    return pd.DataFrame(rows, columns=columns)
