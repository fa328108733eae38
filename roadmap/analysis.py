"""One call from a roadmap to everything the dashboard, the CLI and the exports show.

:func:`analyse_roadmap` runs the compression planner and the residual-risk model with the same
options and gathers their figures in an :class:`Analysis`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from roadmap.models import Roadmap, Status
from roadmap.risk import RiskSummary, baseline_finish, exposure, risk_trajectory, summarize_risk
from roadmap.schedule import Plan, compress_plan


@dataclass(frozen=True)
class Analysis:
    """The compressed plan and its risk figures.

    Attributes:
        plan: the compressed plan (greedy WSPT order).
        naive: the same capacity with measures taken in the original plan's order.
        risk: totals of residual scores: inherent, now, end of plan, baseline at the horizon.
        trajectory: total residual per day and scenario (``baseline``, ``naive``,
            ``compressed``); columns ``date``, ``scenario``, ``total``.
        exposure: cumulative exposure over the horizon in risk-days, per scenario.
    """

    roadmap: Roadmap
    plan: Plan
    naive: Plan
    risk: RiskSummary
    trajectory: pd.DataFrame
    exposure: dict[str, float]

    @property
    def measures_done(self) -> int:
        """Measures whose status is done."""
        return sum(m.status is Status.DONE for m in self.roadmap.measures)

    @property
    def measures_counted(self) -> int:
        """Measures that are not cancelled."""
        return sum(m.status is not Status.CANCELLED for m in self.roadmap.measures)

    @property
    def effort_done_share(self) -> float:
        """Done effort / total effort of non-cancelled measures, 0–1 (progress counted)."""
        measures = [m for m in self.roadmap.measures if m.status is not Status.CANCELLED]
        total = sum(m.effort_days for m in measures)
        done = sum(m.effort_days - m.remaining_effort for m in measures)
        return done / total if total else 0.0

    def to_json(self) -> dict[str, Any]:
        """The ``plan --json`` object of the CLI (see README)."""
        plan = self.plan
        return {
            "measures": len(self.roadmap.measures),
            "scheduled": len(plan.scheduled),
            "deferred": len(plan.deferred),
            "done": self.measures_done,
            "teams": len(self.roadmap.teams),
            "risks": len(self.roadmap.risks),
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
            "working_days": len(plan.days),
            "risk": {
                "inherent": round(self.risk.inherent, 4),
                "now": round(self.risk.now, 4),
                "end_of_plan": round(self.risk.end_of_plan, 4),
                "baseline_at_horizon": round(self.risk.baseline_at_horizon, 4),
            },
            "exposure": {name: round(value, 2) for name, value in self.exposure.items()},
            "sprints": [
                {
                    "index": s.index,
                    "start": s.start.isoformat(),
                    "end": s.end.isoformat(),
                    "measures": [m.id for m in plan.scheduled if m.sprint == s.index],
                }
                for s in plan.sprints
            ],
            "schedule": [
                {
                    "id": m.id,
                    "team": m.team,
                    "start": m.start.isoformat(),
                    "end": m.end.isoformat(),
                    "sprint": m.sprint,
                    "crew": m.crew,
                    "working_days": m.duration,
                }
                for m in plan.scheduled
            ],
            "deferred_measures": [
                {"id": d.id, "team": d.team, "reason": str(d.reason), "detail": d.detail} for d in plan.deferred
            ],
        }


def analyse_roadmap(
    roadmap: Roadmap,
    *,
    start: dt.date | None = None,
    horizon_weeks: int | None = None,
    sprint_weeks: int | None = None,
) -> Analysis:
    """Compress the plan and compute the residual-risk figures.

    Args:
        start, horizon_weeks, sprint_weeks: as for :func:`roadmap.schedule.compress_plan`.

    Raises:
        PlanningError: see :func:`roadmap.schedule.compress_plan`.
    """
    options: dict[str, Any] = {"start": start, "horizon_weeks": horizon_weeks, "sprint_weeks": sprint_weeks}
    plan = compress_plan(roadmap, **options)
    naive = compress_plan(roadmap, **options, order="baseline")
    finishes = {
        "baseline": baseline_finish(roadmap, start=plan.start),
        "naive": naive.finish_dates(),
        "compressed": plan.finish_dates(),
    }
    trajectory = risk_trajectory(roadmap, start=plan.start, end=plan.end, scenarios=finishes)
    return Analysis(
        roadmap=roadmap,
        plan=plan,
        naive=naive,
        risk=summarize_risk(roadmap, horizon_end=plan.end, plan_finish=plan.finish_dates(), start=plan.start),
        trajectory=trajectory,
        exposure={
            name: exposure(roadmap, start=plan.start, end=plan.end, finish=finish) for name, finish in finishes.items()
        },
    )
