"""What the deferred measures leave on the table: how many, the work they need, the residual risk
they would have removed, and the ten worth the most (the dashboard's summary of a long list).

Value of a deferred measure m (risk points): the end-of-plan residual risk of the plan minus the same
with m done too by the end of the plan, ``E_end(plan) − E_end(plan + m)``, with ``E`` the total
residual score of :mod:`roadmap.risk` (Σ_r s_r × Π_m (1 − e_m · c_m)). The whole set's value is
computed with all of them done together (links to one risk do not add up linearly). Every day a
measure waits past the horizon keeps its value of exposure: ``risk-days per month = value × 30``
(exposure in risk-days as in :func:`roadmap.risk.exposure`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from roadmap.models import Roadmap
from roadmap.planning.plan import Plan
from roadmap.risk import total_residual

TOP = 10
"""Deferred measures listed in the summary, by value."""

MONTH_DAYS = 30
"""Days of waiting the "per month" figure counts."""


@dataclass(frozen=True)
class DeferredSummary:
    """The deferred measures in a few figures.

    Attributes:
        count: deferred measures; ``person_days``: their remaining effort (person-days).
        risk_points: end-of-plan residual risk they would remove done together (risk points).
        risk_days_per_month: ``risk_points × 30``: the exposure each month of waiting keeps (risk-days).
        top: the ``TOP`` deferred measures by value, columns ``id``, ``title``, ``team``, ``priority``
            (``P1``…), ``reason`` (a :class:`roadmap.planning.plan.DeferReason` value), ``person_days``,
            ``risk_points``; sorted by value, then priority, then ID.
    """

    count: int
    person_days: float
    risk_points: float
    risk_days_per_month: float
    top: pd.DataFrame


def deferred_summary(roadmap: Roadmap, plan: Plan, *, top: int = TOP) -> DeferredSummary:
    """The summary of ``plan``'s deferred measures (module docstring for the formulas)."""
    finish = plan.finish_dates()
    end = plan.end
    base = total_residual(roadmap, end, finish)
    by_id = roadmap.measure_by_id
    rows = []
    for d in plan.deferred:
        measure = by_id[d.id]
        value = base - total_residual(roadmap, end, {**finish, d.id: end}) if roadmap.risks else 0.0
        rows.append(
            {
                "id": d.id,
                "title": measure.title,
                "team": d.team,
                "priority": str(measure.priority),
                "reason": str(d.reason),
                "person_days": measure.remaining_effort,
                "risk_points": max(value, 0.0),
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "title", "team", "priority", "reason", "person_days", "risk_points"])
    frame = frame.sort_values(["risk_points", "priority", "id"], ascending=[False, True, True], kind="stable")
    together = {**finish, **{d.id: end for d in plan.deferred}}
    points = max(base - total_residual(roadmap, end, together), 0.0) if roadmap.risks else 0.0
    return DeferredSummary(
        count=len(plan.deferred),
        person_days=float(frame["person_days"].sum()),
        risk_points=points,
        risk_days_per_month=points * MONTH_DAYS,
        top=frame.head(top).reset_index(drop=True),
    )
