"""Residual-risk model (PRODUCT.md §5).

Inherent score of risk r: ``s = likelihood × severity`` (1–16 on EBIOS RM's 4×4 scales).
A measure m linked to r with effectiveness e and completion c (1 when done; progress/100 for an
in-progress measure only with partial credit) lowers the likelihood, so the residual score is::

    R_r = s × Π_m (1 − e_m · c_m)

and the total exposure at a date is ``E(t) = Σ_r R_r(t)``. Cumulative exposure over the
horizon is the sum of E over its calendar days, in risk-days. Levels come from the default
4×4 matrix, applied to the score as a share of the scale's maximum::

    score / max      level
    ≤ 2/16           0  Faible   / Low
    ≤ 4/16           1  Modéré   / Moderate
    ≤ 8/16           2  Élevé    / High
    >  8/16          3  Critique / Critical

so on 4×4 scales: 1–2 low, 3–4 moderate, 6–8 high, 9–16 critical.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from roadmap.models import Measure, Risk, Roadmap, Status

LEVEL_LABELS: dict[str, tuple[str, str, str, str]] = {
    "fr": ("Faible", "Modéré", "Élevé", "Critique"),
    "en": ("Low", "Moderate", "High", "Critical"),
}
"""Names of the four residual-risk levels, index 0 (low) to 3 (critical)."""

LEVEL_BOUNDS = (2 / 16, 4 / 16, 8 / 16)
"""Upper bound of levels 0, 1 and 2 as a share of the maximum score."""


def level_of_score(score: float, *, max_score: float = 16) -> int:
    """Level index (0 low … 3 critical) of a score on a scale whose maximum is ``max_score``."""
    share = score / max_score
    return next((level for level, bound in enumerate(LEVEL_BOUNDS) if share <= bound + 1e-12), 3)


def completion(measure: Measure, *, finished: bool, partial_credit: bool) -> float:
    """Completion c of a measure, 0–1, for the residual formula.

    Args:
        finished: the measure is done at the date considered (done now, or planned to be).
        partial_credit: count an unfinished in-progress measure at progress/100.
    """
    if finished or measure.status is Status.DONE:
        return 1.0
    if partial_credit and measure.status is Status.IN_PROGRESS:
        return measure.progress / 100
    return 0.0


def residual_scores(roadmap: Roadmap, completions: Mapping[str, float]) -> dict[str, float]:
    """Residual score of each risk, keyed by risk ID: ``s × Π(1 − e·c)``.

    Args:
        completions: completion 0–1 by measure ID; measures not listed count as 0.
    """
    residual = {risk.id: float(risk.inherent) for risk in roadmap.risks}
    for measure in roadmap.measures:
        c = completions.get(measure.id, 0.0)
        if c <= 0 or measure.status is Status.CANCELLED:
            continue
        for link in measure.mitigates:
            if link.risk_id in residual:
                residual[link.risk_id] *= 1 - link.effectiveness * c
    return residual


def completions_at(
    roadmap: Roadmap, day: dt.date | None, finish: Mapping[str, dt.date] | None = None
) -> dict[str, float]:
    """Completion of every measure at the end of ``day``.

    Args:
        day: the date; ``None`` means today's status only.
        finish: planned last working day of open measures (a plan, or the 3-year baseline);
            a measure whose finish is on or before ``day`` counts as done.
    """
    finish = finish or {}
    partial = roadmap.settings.partial_credit
    result = {}
    for measure in roadmap.measures:
        planned = finish.get(measure.id)
        finished = day is not None and planned is not None and planned <= day
        result[measure.id] = completion(measure, finished=finished, partial_credit=partial)
    return result


def inherent_total(roadmap: Roadmap) -> float:
    """Σ inherent scores of all risks (each 1–16 on 4×4 scales)."""
    return float(sum(risk.inherent for risk in roadmap.risks))


def total_residual(roadmap: Roadmap, day: dt.date | None = None, finish: Mapping[str, dt.date] | None = None) -> float:
    """Total residual score E = Σ_r R_r at the end of ``day`` (today's status when ``None``)."""
    return sum(residual_scores(roadmap, completions_at(roadmap, day, finish)).values())


def baseline_finish(roadmap: Roadmap, *, start: dt.date) -> dict[str, dt.date]:
    """When the original multi-year plan finishes each open measure.

    The baseline end date, else the end of the baseline quarter; a baseline end already past at
    ``start`` (the old plan was late) counts from ``start``. Measures without a baseline are
    absent (never finished under the baseline).
    """
    finish = {}
    for measure in roadmap.measures:
        end = measure.baseline_finish
        if measure.is_open and end is not None:
            finish[measure.id] = max(end, start)
    return finish


def risk_trajectory(
    roadmap: Roadmap,
    *,
    start: dt.date,
    end: dt.date,
    scenarios: Mapping[str, Mapping[str, dt.date]],
    risk_id: str | None = None,
) -> pd.DataFrame:
    """Total residual score per calendar day under each scenario.

    Args:
        start, end: first and last calendar day (inclusive).
        scenarios: scenario name → planned finish date by open measure ID (e.g. ``{"optimised":
            plan.finish_dates(), "baseline": baseline_finish(...)}``).
        risk_id: one risk's residual score instead of the total.

    Returns:
        Long DataFrame with columns ``date`` (datetime64), ``scenario`` (str) and ``total``
        (float, Σ residual scores at the end of that day). Step changes happen only on
        finishing days, so one row per finishing day plus ``start`` and ``end`` is enough;
        :func:`exposure` integrates it correctly.
    """
    rows = []
    for name, finish in scenarios.items():
        days = sorted({start, end, *(d for d in finish.values() if start <= d <= end)})
        for day in days:
            if risk_id is None:
                value = total_residual(roadmap, day, finish)
            else:
                value = residual_scores(roadmap, completions_at(roadmap, day, finish))[risk_id]
            rows.append({"date": pd.Timestamp(day), "scenario": name, "total": value})
    return pd.DataFrame(rows, columns=["date", "scenario", "total"])


def exposure(roadmap: Roadmap, *, start: dt.date, end: dt.date, finish: Mapping[str, dt.date]) -> float:
    """Cumulative exposure over [start, end] in risk-days: Σ over calendar days of E(day).

    E(day) is the total residual at the end of that day, so a measure finishing on day d
    stops counting from day d itself.
    """
    days_total = 0.0
    change_days = sorted({d for d in finish.values() if start <= d <= end} | {start})
    for i, day in enumerate(change_days):
        until = change_days[i + 1] if i + 1 < len(change_days) else end + dt.timedelta(days=1)
        days_total += total_residual(roadmap, day, finish) * (until - day).days
    return days_total


@dataclass(frozen=True)
class RiskSummary:
    """Headline residual-risk figures, each a total of scores (Σ over risks).

    Attributes:
        inherent: Σ likelihood × severity, no measure counted.
        now: with today's statuses.
        end_of_plan: at the end of the horizon if the compressed plan is delivered.
        baseline_at_horizon: at the end of the horizon under the original multi-year plan.
    """

    inherent: float
    now: float
    end_of_plan: float
    baseline_at_horizon: float


def summarize_risk(
    roadmap: Roadmap, *, horizon_end: dt.date, plan_finish: Mapping[str, dt.date], start: dt.date
) -> RiskSummary:
    """The four headline totals of :class:`RiskSummary`."""
    return RiskSummary(
        inherent=inherent_total(roadmap),
        now=total_residual(roadmap),
        end_of_plan=total_residual(roadmap, horizon_end, plan_finish),
        baseline_at_horizon=total_residual(roadmap, horizon_end, baseline_finish(roadmap, start=start)),
    )


def risk_table(
    roadmap: Roadmap, *, horizon_end: dt.date, plan_finish: Mapping[str, dt.date], lang: str = "fr"
) -> pd.DataFrame:
    """One row per risk with its scores and levels.

    Returns:
        DataFrame with columns ``id``, ``scenario``, ``likelihood``, ``severity``, ``inherent``
        (1–16), ``now`` and ``end_of_plan`` (residual scores), ``level_now`` and
        ``level_end`` (level names), ``target`` (level name or empty) and ``above_target``
        (bool, residual now above the target level).
    """
    now = residual_scores(roadmap, completions_at(roadmap, None))
    end = residual_scores(roadmap, completions_at(roadmap, horizon_end, plan_finish))
    max_score = roadmap.settings.likelihood_scale * roadmap.settings.severity_scale
    names = LEVEL_LABELS.get(lang, LEVEL_LABELS["en"])
    rows = []
    for risk in roadmap.risks:
        level_now = level_of_score(now[risk.id], max_score=max_score)
        rows.append(
            {
                "id": risk.id,
                "scenario": risk.scenario,
                "likelihood": risk.likelihood,
                "severity": risk.severity,
                "inherent": float(risk.inherent),
                "now": now[risk.id],
                "end_of_plan": end[risk.id],
                "level_now": names[level_now],
                "level_end": names[level_of_score(end[risk.id], max_score=max_score)],
                "target": names[risk.target_level] if risk.target_level is not None else "",
                "above_target": risk.target_level is not None and level_now > risk.target_level,
            }
        )
    return pd.DataFrame(rows)


def residual_likelihood(risk: Risk, residual: float) -> int:
    """Likelihood level at which a risk sits on a heat map once its measures count.

    Measures lower likelihood, not severity (PRODUCT.md §5), so the residual likelihood is
    ``likelihood × Π(1 − e·c) = likelihood × residual / inherent``, rounded **up** to the next
    whole level (a risk leaves a level only when it is entirely below it) and at least 1.

    Args:
        risk: the risk (its likelihood and severity are levels, 1 … scale top).
        residual: its residual score (same unit as ``risk.inherent``, 1–16 on 4×4 scales).
    """
    factor = residual / risk.inherent if risk.inherent else 1.0
    return max(1, math.ceil(risk.likelihood * factor - 1e-9))


def heat_map(roadmap: Roadmap, completions: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Risks per cell of the likelihood × severity matrix (EBIOS RM 4×4 by default).

    Args:
        completions: completion 0–1 by measure ID (e.g. from :func:`completions_at`) to place
            each risk at its residual likelihood (:func:`residual_likelihood`); ``None`` places
            the risks at their inherent likelihood.

    Returns:
        DataFrame with one row per cell of the whole matrix (likelihood from the top of the scale
        down to 1, then severity from 1 up), columns ``likelihood`` and ``severity`` (levels),
        ``level`` (0 low … 3 critical, of the cell's score likelihood × severity), ``count``
        (risks in the cell) and ``risks`` (their IDs, comma-separated, in workbook order).
    """
    settings = roadmap.settings
    scores = residual_scores(roadmap, completions) if completions is not None else None
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in roadmap.risks:
        likelihood = risk.likelihood if scores is None else residual_likelihood(risk, scores[risk.id])
        cells.setdefault((likelihood, risk.severity), []).append(risk.id)
    max_score = settings.likelihood_scale * settings.severity_scale
    rows = [
        {
            "likelihood": likelihood,
            "severity": severity,
            "level": level_of_score(likelihood * severity, max_score=max_score),
            "count": len(cells.get((likelihood, severity), [])),
            "risks": ", ".join(cells.get((likelihood, severity), [])),
        }
        for likelihood in range(settings.likelihood_scale, 0, -1)
        for severity in range(1, settings.severity_scale + 1)
    ]
    return pd.DataFrame(rows, columns=["likelihood", "severity", "level", "count", "risks"])
