"""Capacity scenarios: a named what-if on the teams (FTE, availability, reinforcement), compared
side by side with today's plan, with what the added capacity costs and what it buys.

A :class:`Scenario` is data (it is kept in the history store by
:mod:`roadmap.store.scenarios`); :func:`apply_scenario` gives the roadmap it describes, which
:func:`roadmap.analyse_roadmap` plans like any other; :func:`compare_scenario` sets the two
analyses side by side (:class:`ScenarioComparison`).

**Units.** Reinforcement is in person-days **per week** everywhere (the Équipes sheet's column,
PRODUCT.md §4). A team's capacity on a working day is FTE × availability + reinforcement / 5
(PRODUCT.md §5), so a scenario adds, per team,

* person-days over the horizon = (scenario capacity − today's capacity per working day) × working
  days of the horizon;
* FTE over the horizon = those person-days / working days of the horizon (= the change of the daily
  capacity: +5 person-days a week is +1 FTE);
* cost = those person-days × the team's daily rate (€ per person-day), only when a rate is set
  (:attr:`Scenario.daily_rates`, defaulting to ``RempartSettings.daily_rates``); no rate, no cost.

The working days of the horizon are the plan's (:attr:`roadmap.planning.plan.Plan.days`):
Monday–Friday from the start to the end of the horizon, minus the public holidays of the
Settings sheet's calendar (``holidays`` package, default France).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from roadmap.analysis import Analysis, programme_status
from roadmap.errors import PlanningError
from roadmap.models import Roadmap
from roadmap.planning.optimise import with_capacity

MAX_NAME = 100
"""Longest scenario name, in characters."""


@dataclass(frozen=True)
class TeamCapacity:
    """One team's figures in a scenario: ``fte`` (people), ``availability`` (0–1, share of their
    time for the programme), ``reinforcement`` (person-days per week)."""

    team: str
    fte: float
    availability: float
    reinforcement: float

    def to_json(self) -> dict[str, Any]:
        """``{"team", "fte", "availability", "reinforcement"}``."""
        return {
            "team": self.team,
            "fte": self.fte,
            "availability": self.availability,
            "reinforcement": self.reinforcement,
        }


@dataclass(frozen=True)
class Scenario:
    """A named what-if on capacity.

    Attributes:
        name: what the director calls it (1–:data:`MAX_NAME` characters, unique per workbook).
        teams: the teams whose figures change; the others keep the workbook's.
        daily_rates: team → cost of a person-day (€), for the cost of the added capacity; a team
            without a rate has no cost shown.
    """

    name: str
    teams: tuple[TeamCapacity, ...] = ()
    daily_rates: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        name = " ".join(self.name.split())
        if not name or len(name) > MAX_NAME:
            raise PlanningError(f"a scenario needs a name of 1 to {MAX_NAME} characters")
        object.__setattr__(self, "name", name)
        if any(rate < 0 for rate in self.daily_rates.values()):
            raise PlanningError("a daily rate cannot be negative")

    def to_json(self) -> dict[str, Any]:
        """``{"name", "teams": [TeamCapacity.to_json()…], "daily_rates": {team: €}}``."""
        return {
            "name": self.name,
            "teams": [t.to_json() for t in self.teams],
            "daily_rates": dict(self.daily_rates),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scenario:
        """The scenario of :meth:`to_json`'s object.

        Raises:
            PlanningError: a field is missing or not a number.
        """
        try:
            teams = tuple(
                TeamCapacity(str(t["team"]), float(t["fte"]), float(t["availability"]), float(t["reinforcement"]))
                for t in data.get("teams", ())
            )
            rates = {str(team): float(rate) for team, rate in dict(data.get("daily_rates") or {}).items()}
            return cls(str(data["name"]), teams, rates)
        except (KeyError, TypeError, ValueError) as exc:
            raise PlanningError(f"not a scenario: {exc}") from None


def apply_scenario(roadmap: Roadmap, scenario: Scenario) -> Roadmap:
    """The roadmap with the scenario's team figures (teams the roadmap does not have are ignored).

    Raises:
        PlanningError: a figure out of range (FTE ≤ 0, availability outside 0–1…).
    """
    known = roadmap.team_by_name
    return with_capacity(
        roadmap,
        {
            t.team: {"fte": t.fte, "availability": t.availability, "reinforcement": t.reinforcement}
            for t in scenario.teams
            if t.team in known
        },
    )


def recommended_scenario(analysis: Analysis, *, name: str) -> Scenario | None:
    """What it would take (:attr:`Analysis.reinforcement_per_week`) as a scenario: each team's
    reinforcement raised by the recommended person-days per week; ``None`` when nothing is needed."""
    extra = {team: value for team, value in analysis.reinforcement_per_week.items() if value > 0}
    if not extra:
        return None
    teams = analysis.roadmap.team_by_name
    return Scenario(
        name,
        tuple(
            TeamCapacity(team, teams[team].fte, teams[team].availability, round(teams[team].reinforcement + value, 1))
            for team, value in extra.items()
            if team in teams
        ),
    )


@dataclass(frozen=True)
class PlanFigures:
    """The figures of one plan a director compares.

    Attributes:
        exposure: cumulative residual-risk exposure over the horizon, risk-days.
        finish: end of the last scheduled measure (``None``: nothing scheduled).
        deferred: IDs of the measures left out of the horizon (blocked included).
        at_target: IDs of the risks with a target level that reach it at the end of the plan.
        with_target: how many risks have a target level.
        end_of_plan_risk: total residual score at the end of the horizon.
        horizon_weeks_needed: weeks this capacity needs to fit every non-blocked measure
            (:class:`~roadmap.planning.optimise.Crashing`), or ``None``.
        provisional: the plan is the fast one, the refined solve still running.
    """

    exposure: float
    finish: date | None
    deferred: tuple[str, ...]
    at_target: tuple[str, ...]
    with_target: int
    end_of_plan_risk: float
    horizon_weeks_needed: float | None
    provisional: bool


def plan_figures(analysis: Analysis) -> PlanFigures:
    """The comparable figures of an analysis's optimised plan."""
    status = programme_status(analysis)
    targets = [r.id for r in analysis.roadmap.risks if r.target_level is not None]
    finish = max((s.end for s in analysis.plan.scheduled), default=None)
    crash = analysis.crashing
    return PlanFigures(
        exposure=analysis.exposure["optimised"],
        finish=finish,
        deferred=status.deferred,
        at_target=tuple(r for r in targets if r not in status.above_target),
        with_target=len(targets),
        end_of_plan_risk=analysis.risk.end_of_plan,
        horizon_weeks_needed=None if crash is None else crash.horizon_weeks_needed,
        provisional=analysis.solver.provisional,
    )


@dataclass(frozen=True)
class TeamEffort:
    """What a scenario adds to one team over the horizon (module docstring for the formulas).

    Attributes:
        per_week: change of reinforcement, person-days per week.
        person_days: change of capacity over the horizon, person-days.
        fte: ``person_days`` / working days of the horizon, people.
        cost: ``person_days`` × the team's daily rate, €; ``None`` without a rate.
    """

    team: str
    per_week: float
    person_days: float
    fte: float
    cost: float | None


@dataclass(frozen=True)
class ScenarioComparison:
    """A scenario set beside today's plan.

    Attributes:
        name: the scenario's name.
        plan, scenario: the figures of today's plan and of the scenario's plan (same horizon).
        teams: the teams whose capacity changes, in the roadmap's order.
        working_days: working days of the horizon (module docstring).
        risk_days_saved: ``plan.exposure − scenario.exposure`` (negative: the scenario is worse).
        brought_in: measures deferred by today's plan that the scenario schedules.
        pushed_out: measures today's plan schedules that the scenario defers.
        risks_to_target: risks above target with today's plan that reach it with the scenario.
    """

    name: str
    plan: PlanFigures
    scenario: PlanFigures
    teams: tuple[TeamEffort, ...]
    working_days: int
    risk_days_saved: float
    brought_in: tuple[str, ...]
    pushed_out: tuple[str, ...]
    risks_to_target: tuple[str, ...]

    @property
    def person_days(self) -> float:
        """Capacity the scenario adds over the horizon, all teams, person-days."""
        return sum(t.person_days for t in self.teams)

    @property
    def fte(self) -> float:
        """:attr:`person_days` / :attr:`working_days`, people."""
        return self.person_days / self.working_days if self.working_days else 0.0

    @property
    def cost(self) -> float | None:
        """Cost of the added capacity of the teams that have a daily rate, €; ``None`` when none has."""
        costs = [t.cost for t in self.teams if t.cost is not None]
        return sum(costs) if costs else None


def compare_scenario(
    plan: Analysis, scenario: Analysis, *, name: str, daily_rates: Mapping[str, float] | None = None
) -> ScenarioComparison:
    """Today's plan (``plan``) and the scenario's (``scenario``: the analysis of
    :func:`apply_scenario`'s roadmap with the same options) side by side.

    Args:
        daily_rates: team → € per person-day; a team without one has no cost.

    Raises:
        PlanningError: the two analyses do not cover the same horizon.
    """
    if (plan.plan.start, plan.plan.end) != (scenario.plan.start, scenario.plan.end):
        raise PlanningError("a scenario is compared with the plan of the same horizon")
    rates = daily_rates or {}
    days = len(plan.plan.days)
    before = plan.roadmap.team_by_name
    teams = []
    for team in scenario.roadmap.teams:
        old = before.get(team.name)
        if old is None or team.daily_capacity == old.daily_capacity:
            continue
        person_days = (team.daily_capacity - old.daily_capacity) * days
        rate = rates.get(team.name)
        teams.append(
            TeamEffort(
                team=team.name,
                per_week=team.reinforcement - old.reinforcement,
                person_days=person_days,
                fte=person_days / days if days else 0.0,
                cost=None if rate is None else person_days * rate,
            )
        )
    ours, theirs = plan_figures(plan), plan_figures(scenario)
    return ScenarioComparison(
        name=name,
        plan=ours,
        scenario=theirs,
        teams=tuple(teams),
        working_days=days,
        risk_days_saved=ours.exposure - theirs.exposure,
        brought_in=tuple(m for m in ours.deferred if m not in theirs.deferred),
        pushed_out=tuple(m for m in theirs.deferred if m not in ours.deferred),
        risks_to_target=tuple(r for r in theirs.at_target if r not in ours.at_target),
    )


@dataclass(frozen=True)
class ScenarioPlan:
    """A scenario and the analysis of its roadmap (:func:`apply_scenario`, same options as today's
    plan): what the Plan page's Gantt and the deck's scenario slide show."""

    scenario: Scenario
    analysis: Analysis

    def compare(self, plan: Analysis, *, daily_rates: Mapping[str, float] | None = None) -> ScenarioComparison:
        """:func:`compare_scenario` with today's ``plan``; the scenario's own daily rates win over
        ``daily_rates`` (the settings')."""
        rates = {**(daily_rates or {}), **self.scenario.daily_rates}
        return compare_scenario(plan, self.analysis, name=self.scenario.name, daily_rates=rates)
