"""One call from a roadmap to everything the dashboard, the CLI and the exports show.

:func:`analyse_roadmap` runs the compression planner and the residual-risk model with the same
options and gathers their figures in an :class:`Analysis`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from roadmap.models import Roadmap, Status
from roadmap.planning.explain import Explanation, explain_plan
from roadmap.planning.forecast import DEFAULT_SEED, DEFAULT_SIMULATIONS, Forecast, forecast_plan
from roadmap.planning.optimise import Crashing, Progress, SolverReport, crash_plan, optimise_plan, quick_plan
from roadmap.planning.plan import Plan
from roadmap.planning.problem import Problem, build_problem, plan_from_starts
from roadmap.planning.schedule import list_schedule
from roadmap.planning.solved import PlanCache, Solved, solve_key
from roadmap.risk import (
    RiskSummary,
    baseline_finish,
    completions_at,
    exposure,
    level_of_score,
    residual_scores,
    risk_trajectory,
    summarize_risk,
)

if TYPE_CHECKING:
    from roadmap.progress import ProgressReport


@dataclass(frozen=True)
class Analysis:
    """The compressed plan, the plans it is compared with, and the risk figures.

    Attributes:
        plan: the optimised compressed plan (:func:`roadmap.planning.optimise.optimise_plan`),
            never worse than ``greedy``.
        greedy: list scheduling by weighted shortest processing time.
        naive: list scheduling in the original plan's order, on the same capacity.
        solver: how the plan was found, its lower bound and time (:class:`SolverReport`).
        crashing: the extra capacity and the horizon it would take to do everything, or
            ``None`` when not computed.
        risk: totals of residual scores: inherent, now, end of plan, baseline at the horizon.
        trajectory: total residual per day and scenario (``baseline``, ``naive``, ``greedy``,
            ``optimised``); columns ``date``, ``scenario``, ``total``.
        exposure: cumulative exposure over the horizon in risk-days, per scenario.
    """

    roadmap: Roadmap
    plan: Plan
    greedy: Plan
    naive: Plan
    solver: SolverReport
    crashing: Crashing | None
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

    @property
    def done_by_horizon(self) -> dict[str, int]:
        """Measures done at the end of the horizon under each plan (done now + finished in it)."""
        baseline = baseline_finish(self.roadmap, start=self.plan.start)
        return {
            "naive": self.measures_done + len(self.naive.scheduled),
            "greedy": self.measures_done + len(self.greedy.scheduled),
            "optimised": self.measures_done + len(self.plan.scheduled),
            "baseline": self.measures_done + sum(day <= self.plan.end for day in baseline.values()),
        }

    def sprint_effort(self) -> pd.DataFrame:
        """Person-days of work the plan puts in each sprint, by team, and the team's capacity there:
        the one source of the deck's, the report's and ``plan --json``'s planned effort.

        Each scheduled measure's remaining effort is spread evenly over its planned working days
        (so the sum is the effort planned, not the whole working days booked, which round each
        measure up to a whole day: :func:`roadmap.charts.sprint_load`).

        Returns:
            DataFrame with one row per sprint and team (sprints in order, teams as in the plan's
            capacity), columns ``sprint`` (index from 1), ``team``, ``planned`` and
            ``capacity`` (person-days: the team's daily capacity × the sprint's working days).
        """
        plan = self.plan
        measures = self.roadmap.measure_by_id
        working = dict.fromkeys((s.index for s in plan.sprints), 0)
        for day in plan.days:
            working[plan.sprint_of(day)] += 1
        planned: dict[tuple[int, str], float] = {}
        for s in plan.scheduled:
            per_day = measures[s.id].remaining_effort / s.duration if s.duration else 0.0
            for day in plan.days:
                if s.start <= day <= s.end:
                    key = (plan.sprint_of(day), s.team)
                    planned[key] = planned.get(key, 0.0) + per_day
        rows = [
            {
                "sprint": sprint.index,
                "team": team,
                "planned": planned.get((sprint.index, team), 0.0),
                "capacity": capacity * working[sprint.index],
            }
            for sprint in plan.sprints
            for team, capacity in plan.capacity.items()
        ]
        return pd.DataFrame(rows, columns=["sprint", "team", "planned", "capacity"])

    def effort(self) -> dict[str, Any]:
        """The effort figures every export repeats, in person-days: ``done`` (Σ effort − remaining
        of the measures not cancelled), ``planned`` (remaining effort of the scheduled measures),
        ``deferred`` (remaining effort of the others still open), ``total`` (effort of the
        measures not cancelled), ``capacity`` (the teams' capacity over the horizon), and
        ``teams``: team → ``{"planned", "capacity"}`` (:meth:`sprint_effort` summed)."""
        counted = [m for m in self.roadmap.measures if m.status is not Status.CANCELLED]
        scheduled = {s.id for s in self.plan.scheduled}
        by_team = self.sprint_effort().groupby("team", sort=False)[["planned", "capacity"]].sum()
        return {
            "done": sum(m.effort_days - m.remaining_effort for m in counted),
            "planned": sum(m.remaining_effort for m in counted if m.id in scheduled),
            "deferred": sum(m.remaining_effort for m in counted if m.id not in scheduled and m.is_open),
            "total": sum(m.effort_days for m in counted),
            "capacity": float(by_team["capacity"].sum()),
            "teams": {
                str(team): {"planned": float(row.planned), "capacity": float(row.capacity)}
                for team, row in by_team.iterrows()
            },
        }

    @property
    def horizon_weeks(self) -> int:
        """Length of the plan's horizon in whole weeks (calendar days + 1, / 7, rounded)."""
        return round(((self.plan.end - self.plan.start).days + 1) / 7)

    @property
    def sprint_weeks(self) -> int:
        """Length of a sprint in weeks (the first sprint's; 1 when the plan has none)."""
        sprints = self.plan.sprints
        return max(1, ((sprints[0].end - sprints[0].start).days + 1) // 7) if sprints else 1

    @property
    def reinforcement_per_week(self) -> dict[str, float]:
        """What it would take (:attr:`crashing`), per team, in person-days **per week** — the unit of
        the Équipes sheet's reinforcement column and of the what-if, the one unit every screen and
        export shows: ``extra_person_days_per_sprint / sprint_weeks``, to 0.1. Empty without
        crashing figures."""
        if self.crashing is None:
            return {}
        weeks = self.sprint_weeks
        return {team: round(extra / weeks, 1) for team, extra in self.crashing.extra_person_days_per_sprint.items()}

    def problem(self) -> Problem:
        """The scheduling problem the plan was made from (same roadmap, horizon and sprints)."""
        plan = self.plan
        weeks = ((plan.end - plan.start).days + 1) // 7
        sprint = ((plan.sprints[0].end - plan.sprints[0].start).days + 1) // 7 if plan.sprints else None
        return build_problem(self.roadmap, start=plan.start, horizon_weeks=weeks, sprint_weeks=sprint)

    def to_json(self, *, forecast: Forecast | None = None, explanation: Explanation | None = None) -> dict[str, Any]:
        """The ``plan --json`` object of the CLI (see README); with ``forecast``, its ``forecast``
        object, and with ``explanation``, each schedule entry's ``value_per_person_day``,
        ``unlocks`` and ``held_by``, each sprint's ``load`` and ``bottleneck``, each deferred
        measure's ``would_take``."""
        data = self._json()
        if forecast is not None:
            data["forecast"] = forecast.to_json()
        if explanation is not None:
            for entry in data["schedule"]:
                why = explanation.measures.get(entry["id"])
                if why is not None:
                    entry["value_per_person_day"] = round(why.value_per_person_day, 3)
                    entry["unlocks"] = list(why.unlocks)
                    entry["held_by"] = why.held_by.to_json()
            for entry, load in zip(data["sprints"], explanation.sprints, strict=True):
                entry["load"] = {team: round(share, 3) for team, share in load.load.items()}
                entry["bottleneck"] = load.bottleneck
            for entry in data["deferred_measures"]:
                take = explanation.deferred.get(entry["id"])
                entry["would_take"] = None if take is None else take.to_json()
        return data

    def _json(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "measures": len(self.roadmap.measures),
            "scheduled": len(plan.scheduled),
            "deferred": len(plan.deferred),
            "done": self.measures_done,
            "cancelled": len(self.roadmap.measures) - self.measures_counted,
            "measures_done_by_horizon": self.done_by_horizon,
            "teams": len(self.roadmap.teams),
            "risks": len(self.roadmap.risks),
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
            "working_days": len(plan.days),
            "effort": _rounded(self.effort()),
            "risk": {
                "inherent": round(self.risk.inherent, 4),
                "now": round(self.risk.now, 4),
                "end_of_plan": round(self.risk.end_of_plan, 4),
                "baseline_at_horizon": round(self.risk.baseline_at_horizon, 4),
            },
            "exposure": {name: round(value, 2) for name, value in self.exposure.items()},
            "solver": {
                "status": self.solver.status,
                "gap": None if self.solver.gap is None else round(self.solver.gap, 4),
                "seconds": round(self.solver.seconds, 2),
                "exposure_lower_bound": None
                if self.solver.exposure_lower_bound is None
                else round(self.solver.exposure_lower_bound, 2),
                "rule": self.solver.rule,
                "provisional": self.solver.provisional,
            },
            "crashing": None
            if self.crashing is None
            else {
                "extra_person_days_per_sprint": self.crashing.extra_person_days_per_sprint,
                "extra_person_days_per_week": self.reinforcement_per_week,
                "horizon_weeks_needed": self.crashing.horizon_weeks_needed,
                "impossible": list(self.crashing.impossible),
            },
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


def _rounded(value: Any) -> Any:
    """Floats rounded to 0.01 (person-days), through dicts."""
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return round(value, 2) if isinstance(value, float) else value


def analyse_roadmap(
    roadmap: Roadmap,
    *,
    start: dt.date | None = None,
    horizon_weeks: int | None = None,
    sprint_weeks: int | None = None,
    time_limit: float = 10.0,
    crashing: bool = True,
    progress: Progress | None = None,
    cache: PlanCache | None = None,
    quick: bool = False,
) -> Analysis:
    """Compress the plan (naive, greedy, optimised), work out the crashing figures, and compute the
    residual-risk figures of each plan.

    Args:
        start, horizon_weeks, sprint_weeks: as for :func:`roadmap.planning.schedule.compress_plan`.
        time_limit: seconds for the optimisation (search and lower bound); crashing does not
            depend on it (it counts re-plannings: :func:`~roadmap.planning.optimise.crash_plan`).
        crashing: also compute what it would take to finish everything.
        progress: called with the share of the work done (0–1) and a message.
        cache: solved plans on disk (:class:`~roadmap.planning.solved.PlanCache`): a solve of the
            same input (:func:`analysis_key`) is taken from it instead of being run again, and a
            new full solve is kept in it.
        quick: the fast plan (:func:`roadmap.planning.optimise.quick_plan`, ``solver.provisional``),
            to show at once while the full solve runs — unless ``cache`` already holds the full
            solve; the crashing figures are the full solve's (they do not depend on the plan).

    Raises:
        PlanningError: see :func:`roadmap.planning.problem.build_problem`.
    """
    report = progress or (lambda share, message: None)
    problem = build_problem(roadmap, start=start, horizon_weeks=horizon_weeks, sprint_weeks=sprint_weeks)
    naive = plan_from_starts(problem, list_schedule(problem, order="baseline"), order="baseline")
    key = None
    if cache is not None:
        key = analysis_key(roadmap, start, horizon_weeks, sprint_weeks, time_limit=time_limit, crashing=crashing)
    solved = None if cache is None or key is None else cache.get(key, problem)
    share = 0.6 if crashing else 1.0
    if solved is not None:
        greedy = plan_from_starts(problem, list_schedule(problem), order="wspt")
        plan = plan_from_starts(problem, solved.starts, order=solved.solver.rule)
        solver, crash = solved.solver, solved.crashing
    else:
        if quick:
            greedy, plan, solver = quick_plan(problem)
        else:
            greedy, plan, solver = optimise_plan(
                problem, time_limit=time_limit, progress=lambda done, message: report(done * share, message)
            )
        crash = None
        if crashing:
            crash = crash_plan(
                roadmap,
                start=problem.start,
                horizon_weeks=horizon_weeks,
                sprint_weeks=sprint_weeks,
                time_limit=time_limit / 2,
                progress=lambda done, message: report(share + done * (1 - share), message),
            )
        if cache is not None and key is not None and not quick:
            index = {day: i for i, day in enumerate(problem.days)}
            cache.put(key, Solved({s.id: index[s.start] for s in plan.scheduled}, solver, crash))
    report(1.0, "done")
    finishes = {
        "baseline": baseline_finish(roadmap, start=plan.start),
        "naive": naive.finish_dates(),
        "greedy": greedy.finish_dates(),
        "optimised": plan.finish_dates(),
    }
    trajectory = risk_trajectory(roadmap, start=plan.start, end=plan.end, scenarios=finishes)
    return Analysis(
        roadmap=roadmap,
        plan=plan,
        greedy=greedy,
        naive=naive,
        solver=solver,
        crashing=crash,
        risk=summarize_risk(roadmap, horizon_end=plan.end, plan_finish=plan.finish_dates(), start=plan.start),
        trajectory=trajectory,
        exposure={
            name: exposure(roadmap, start=plan.start, end=plan.end, finish=finish) for name, finish in finishes.items()
        },
    )


def analysis_key(
    roadmap: Roadmap,
    start: dt.date | None,
    horizon_weeks: int | None,
    sprint_weeks: int | None,
    *,
    time_limit: float,
    crashing: bool,
) -> str:
    """The :func:`~roadmap.planning.solved.solve_key` under which :func:`analyse_roadmap` keeps the
    full solve of these arguments in its ``cache``."""
    return solve_key(
        roadmap,
        start=start.isoformat() if start else "",
        horizon_weeks=horizon_weeks,
        sprint_weeks=sprint_weeks,
        time_limit=time_limit,
        crashing=crashing,
    )


def forecast_analysis(
    analysis: Analysis,
    *,
    simulations: int = DEFAULT_SIMULATIONS,
    seed: int = DEFAULT_SEED,
    spi: Mapping[str, float] | None = None,
) -> Forecast:
    """The Monte Carlo forecast of the analysis's plan (:func:`roadmap.planning.forecast.forecast_plan`):
    a pure function of (analysis, simulations, seed, spi), for the UI to cache once per analysis.

    Args:
        spi: team → observed SPI (:func:`roadmap.progress.team_performance`, from ≥ 2 snapshots).
    """
    return forecast_plan(analysis.problem(), analysis.plan, simulations=simulations, seed=seed, spi=spi)


def explain_analysis(analysis: Analysis) -> Explanation:
    """Why the analysis's plan is as it is (:func:`roadmap.planning.explain.explain_plan`)."""
    return explain_plan(analysis.problem(), analysis.plan)


def crashing_sentence(analysis: Analysis) -> str:
    """What it would take, as a sentence the director can repeat (English; the app has French)."""
    crash = analysis.crashing
    if crash is None:
        return ""
    weeks = len(analysis.plan.days) and analysis.horizon_weeks
    needs = [f"{team} +{extra:g}" for team, extra in analysis.reinforcement_per_week.items() if extra > 0]
    text = (
        f"To finish every non-blocked measure in {weeks} weeks: "
        + (", ".join(needs) + " person-days per week" if needs else "no extra capacity is needed")
        + "."
    )
    if crash.horizon_weeks_needed is not None:
        text += f" With today's capacity it takes {crash.horizon_weeks_needed:g} weeks."
    if crash.impossible:
        text += f" Out of reach whatever the capacity: {', '.join(crash.impossible)}."
    return text


Colour = Literal["green", "amber", "red"]
"""A programme status colour."""


SPI_RED = 0.80
"""Below this schedule performance index the programme is red: less than four fifths of the work
planned to date is done (the usual earned-value bands: green from 0.95, red under 0.80)."""


SPI_AMBER = 0.95
"""Below this SPI (and from :data:`SPI_RED` up) the programme is amber: behind its frozen plan."""


@dataclass(frozen=True)
class ProgrammeStatus:
    """Red / amber / green status of the programme, from the EBIOS RM targets, the plan and, once a
    plan is frozen, the progress measured against it (the board deck's slide 2, the report's
    summary and the director's dashboard):

    * red: at least one risk with a target level stays above it at the end of the plan, or the
      schedule performance index is below :data:`SPI_RED` (0.80);
    * amber: otherwise, if measures are deferred (capacity, prerequisite, blocked or too long for
      the horizon), or the SPI is below :data:`SPI_AMBER` (0.95), or the SPI-based forecast end is
      after the frozen plan's end, or measures are late (past their planned end, not done);
    * green: every risk reaches its target, every measure fits the horizon and, with a frozen
      plan, the programme is on schedule (SPI ≥ 0.95, forecast end within the plan, nothing late).

    Without a progress report (no frozen plan, no snapshot), only the first conditions of each
    colour apply. SPI, forecast end and late measures are those of
    :func:`roadmap.progress.progress_report`.

    Attributes:
        colour: ``green``, ``amber`` or ``red``.
        deferred: IDs of the measures left out of the plan (blocked included).
        blocked: IDs of the blocked measures.
        above_target: IDs of the risks whose residual level at the end of the plan is above their
            target level.
        spi: the SPI against the frozen plan, ``None`` without a progress report or planned value.
        forecast_end, plan_end: the SPI-based forecast end and the frozen plan's end (``None``
            when unknown).
        late: IDs of the late measures.
        reasons: what set the colour, in order: ``above_target``, ``spi_red``, ``deferred``,
            ``spi_amber``, ``forecast_late``, ``late`` (empty when green).
    """

    colour: Colour
    deferred: tuple[str, ...]
    blocked: tuple[str, ...]
    above_target: tuple[str, ...]
    spi: float | None = None
    forecast_end: dt.date | None = None
    plan_end: dt.date | None = None
    late: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def slipping(self) -> bool:
        """The programme is behind its frozen plan (an SPI reason, a late forecast or late measures)."""
        return bool({"spi_red", "spi_amber", "forecast_late", "late"} & set(self.reasons))


def programme_status(analysis: Analysis, progress: ProgressReport | None = None) -> ProgrammeStatus:
    """The programme's red / amber / green status and what it rests on (rule in
    :class:`ProgrammeStatus`).

    Args:
        progress: earned value against the frozen plan (:func:`roadmap.progress.progress_report`);
            ``None`` when no plan is frozen.
    """
    roadmap, plan = analysis.roadmap, analysis.plan
    end = residual_scores(roadmap, completions_at(roadmap, plan.end, plan.finish_dates()))
    max_score = roadmap.settings.likelihood_scale * roadmap.settings.severity_scale
    above = tuple(
        r.id
        for r in roadmap.risks
        if r.target_level is not None and level_of_score(end[r.id], max_score=max_score) > r.target_level
    )
    deferred = tuple(d.id for d in plan.deferred)
    blocked = tuple(d.id for d in plan.deferred if d.reason == "blocked")
    spi = progress.spi if progress is not None else None
    forecast = progress.forecast_end if progress is not None else None
    plan_end = progress.plan_end if progress is not None else None
    late = tuple(progress.late) if progress is not None else ()
    checks = {
        "above_target": bool(above),
        "spi_red": spi is not None and spi < SPI_RED,
        "deferred": bool(deferred),
        "spi_amber": spi is not None and SPI_RED <= spi < SPI_AMBER,
        "forecast_late": forecast is not None and plan_end is not None and forecast > plan_end,
        "late": bool(late),
    }
    reasons = tuple(name for name, failed in checks.items() if failed)
    colour: Colour = "red" if {"above_target", "spi_red"} & set(reasons) else "amber" if reasons else "green"
    return ProgrammeStatus(colour, deferred, blocked, above, spi, forecast, plan_end, late, reasons)
