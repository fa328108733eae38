"""Capacity scenarios on screen: the editor of the Plan page (start from today's capacity, the
recommended reinforcement or a saved scenario; name it; save or delete it), the side-by-side
comparison with today's plan, and the solved scenarios the Gantt and the Exports page show.

Each scenario is planned through :func:`app_pages.solving.cached_analysis` like the workbook: the
fast plan at once (a few tenths of a second on the sample), the full solve in the background. It
is compared with today's plan of the same kind — fast with fast, refined with refined — so that
the risk-days saved measure the capacity, not the solver's extra seconds.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app_pages.context import Context, history_engine, source_name
from app_pages.solving import (
    TeamChanges,
    cached_analysis,
    provisional_analysis,
    refined_analysis,
    rerun_when_refined,
)
from app_pages.translation import _, language, md
from roadmap import Analysis, RoadmapError
from roadmap.i18n import format_number, parse_number
from roadmap.scenarios import Scenario, ScenarioPlan, TeamCapacity, recommended_scenario
from roadmap.store.database import RempartSettings, database_url
from roadmap.store.scenarios import SavedScenario, delete_scenario, save_scenario, saved_scenarios
from roadmap.wording import comparison_header, comparison_rows, fte_note, scenario_text

TODAY, RECOMMENDED = "\x00today", "\x00recommended"
"""The editor's two starting points that are not saved scenarios."""


def settings_rates() -> dict[str, float]:
    """The daily rates of the settings (``RempartSettings.daily_rates``, € per person-day by team);
    empty when unset or unreadable: then no cost is shown."""
    try:
        return dict(RempartSettings().daily_rates)
    except ValueError:
        return {}


def _engine(context: Context) -> Engine:
    return history_engine(database_url(), context=context)


def stored(context: Context) -> list[SavedScenario]:
    """The scenarios saved for the workbook's establishment (none when the store cannot be read)."""
    try:
        return saved_scenarios(_engine(context), source_name(context))
    except RoadmapError:
        return []


def changes_of(scenario: Scenario) -> TeamChanges:
    """The scenario's team figures as the cached analysis's key."""
    return tuple((t.team, t.fte, t.availability, t.reinforcement) for t in scenario.teams)


def solve(context: Context, scenario: Scenario) -> tuple[Analysis, str | None]:
    """The scenario's analysis with the sidebar's options: (analysis, key of the refined solve
    still running or ``None``).

    Raises:
        PlanningError: a team figure out of range, or the roadmap cannot be planned.
    """
    assert context.options is not None
    return cached_analysis(context.data, context.name, *context.options, changes_of(scenario), mapping=context.mapping)


def deck_scenario(context: Context, analysis: Analysis, scenario: Scenario) -> ScenarioPlan:
    """``scenario`` solved like today's plan for the deck's comparison slide: the fast plan while
    today's is fast, else the refined solve (waited for), with the settings' daily rates under the
    scenario's own.

    Raises:
        PlanningError: a team figure out of range, or the roadmap cannot be planned.
    """
    assert context.options is not None
    changes = changes_of(scenario)
    args = (context.data, context.name, *context.options, changes)
    if analysis.solver.provisional:
        solved = cached_analysis(*args, mapping=context.mapping)[0]
    else:
        solved = refined_analysis(*args, mapping=context.mapping)
    rates = {**settings_rates(), **scenario.daily_rates}
    return ScenarioPlan(Scenario(scenario.name, scenario.teams, rates), solved)


def comparable(context: Context, analysis: Analysis, scenario: Analysis) -> Analysis:
    """Today's plan of the same kind as the scenario's: the fast plan while the scenario's is fast
    (with the full solve's crashing figures, which do not depend on the plan)."""
    if scenario.solver.provisional and not analysis.solver.provisional and context.options is not None:
        fast = provisional_analysis(context.data, context.name, *context.options, mapping=context.mapping)
        return dataclasses.replace(fast, crashing=analysis.crashing)
    return analysis


def _start(context: Context, analysis: Analysis, picked: str, saved: dict[str, Scenario]) -> Scenario:
    if picked == RECOMMENDED:
        recommended = recommended_scenario(analysis, name=_("Recommended reinforcement"))
        if recommended is not None:
            return recommended
    if picked in saved:
        return saved[picked]
    return Scenario(_("New scenario"), daily_rates=settings_rates())


def editor(context: Context, analysis: Analysis) -> ScenarioPlan | None:
    """Draw the scenario editor and its comparison with today's plan; the scenario on screen,
    solved, or ``None`` when it changes nothing."""
    saved = {s.scenario.name: s.scenario for s in stored(context)}
    if not analysis.solver.provisional and context.options is not None:
        # today's fast plan, to compare fast scenarios with: computed on the rerun that brings the
        # refined plan, not on the director's next change (cached: free afterwards)
        provisional_analysis(context.data, context.name, *context.options, mapping=context.mapping)
    labels = {TODAY: _("Today's capacity"), RECOMMENDED: _("Recommended reinforcement (what it would take)")}
    recommended = bool([v for v in analysis.reinforcement_per_week.values() if v > 0])
    picked = st.selectbox(
        _("Start from"),
        [TODAY, RECOMMENDED, *saved],
        index=1 if recommended else 0,  # what the recommended reinforcement buys, at once
        format_func=lambda key: labels.get(key, key),
        key="scenario_pick",
    )
    start = _start(context, analysis, picked, saved)
    figures = {t.team: t for t in start.teams}
    rates = {**settings_rates(), **start.daily_rates}
    team_col, fte_col, avail_col, extra_col, rate_col = (
        _("Team"),
        _("FTE"),
        _("Availability (%)"),
        _("Reinforcement (person-days/week)"),
        _("Daily rate (€/person-day)"),
    )
    rows = []
    for team in analysis.roadmap.teams:
        f = figures.get(team.name, TeamCapacity(team.name, team.fte, team.availability, team.reinforcement))
        rows.append((team.name, f.fte, 100 * f.availability, f.reinforcement, rate_text(rates.get(team.name))))
    grid = pd.DataFrame(rows, columns=[team_col, fte_col, avail_col, extra_col, rate_col]).astype(
        {fte_col: float, avail_col: float, extra_col: float}
    )
    edited = st.data_editor(
        grid,
        hide_index=True,
        disabled=[team_col],
        key=f"scenario_teams_{picked}",
        column_config={
            fte_col: st.column_config.NumberColumn(min_value=0.1, max_value=500, step=0.1, format="localized"),
            avail_col: st.column_config.NumberColumn(min_value=0, max_value=100, step=5, format="localized"),
            extra_col: st.column_config.NumberColumn(min_value=0, max_value=500, step=0.5, format="localized"),
            rate_col: st.column_config.TextColumn(  # text: an empty cell reads empty, not "None"
                help=_("Cost of one person-day of the team or its supplier, in euros; empty: no cost shown."),
                max_chars=12,
            ),
        },
    )
    name = st.text_input(_("Scenario name"), value=start.name, max_chars=100, key=f"scenario_name_{picked}")
    scenario = _edited(analysis, edited.to_dict("records"), name, (team_col, fte_col, avail_col, extra_col, rate_col))
    if scenario is None:
        return None
    if not scenario.teams:
        st.caption(_("Change a team's FTE, availability or reinforcement to see the effect on the plan."))
        return None
    try:
        solved, refining = solve(context, scenario)
    except RoadmapError as exc:
        st.error(md(exc))
        return None
    if context.refining is None:  # one reload at a time; the comparison says the scenario is fast
        rerun_when_refined(refining)
    result = ScenarioPlan(scenario, solved)
    _comparison(context, analysis, result)
    _actions(context, scenario, saved)
    return result


def rate_text(rate: float | None) -> str:
    """A daily rate as the grid shows it: ``650`` or ``650,5`` (empty when there is none)."""
    return "" if rate is None else format_number(rate, language(), 2)


def _number(value: object, default: float | None) -> float | None:
    """A grid cell's number; an emptied cell (``None``, NaN) is ``default``."""
    return default if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _edited(
    analysis: Analysis, records: list[dict[str, object]], name: str, columns: tuple[str, ...]
) -> Scenario | None:
    """The scenario of the grid's rows: the teams whose figures differ from the workbook's (an
    emptied cell keeps the workbook's figure), the daily rates given."""
    team_col, fte_col, avail_col, extra_col, rate_col = columns
    teams, rates = [], {}
    original = analysis.roadmap.team_by_name
    for row in records:
        team = original[str(row[team_col])]
        fte = _number(row[fte_col], team.fte) or team.fte
        availability = round((_number(row[avail_col], 100 * team.availability) or 0.0) / 100, 4)
        reinforcement = _number(row[extra_col], team.reinforcement) or 0.0
        if (fte, availability, reinforcement) != (team.fte, round(team.availability, 4), team.reinforcement):
            teams.append(TeamCapacity(team.name, fte, availability, reinforcement))
        text = str(row[rate_col] or "").strip()
        if not text:
            continue
        try:
            rates[team.name] = parse_number(text, language())
        except ValueError:
            message = _("Daily rate of “{team}”: “{value}” is not an amount in euros (e.g. 650); leave it empty.")
            st.error(message.format(team=md(team.name), value=md(text)))
            return None
    try:
        return Scenario(name, tuple(teams), rates)
    except RoadmapError as exc:
        st.error(md(exc))
        return None


def _comparison(context: Context, analysis: Analysis, result: ScenarioPlan) -> None:
    lang = language()
    base = comparable(context, analysis, result.analysis)
    comparison = result.compare(base)
    header = comparison_header(comparison, lang=lang)
    st.dataframe(
        pd.DataFrame(comparison_rows(comparison, lang=lang), columns=list(header)),
        hide_index=True,
        key="scenario_comparison",
    )
    st.write(md(scenario_text(comparison, result.analysis, lang=lang)))
    st.caption(md(fte_note(analysis, lang=lang)))
    if comparison.scenario.provisional and not analysis.solver.provisional:
        st.caption(
            _(
                "While the scenario is being optimised, both columns are fast plans, so that the difference is the "
                "capacity's; they become the optimised plans by themselves when it is done."
            )
        )


def _actions(context: Context, scenario: Scenario, saved: dict[str, Scenario]) -> None:
    actor = st.session_state["user"]
    left, right = st.columns(2)
    if left.button(_("Save the scenario"), key="scenario_save", icon=":material/save:"):
        try:
            save_scenario(_engine(context), source_name(context), scenario, by=actor)
        except RoadmapError as exc:
            st.error(md(exc))
        else:
            st.success(
                _("Scenario “{name}” saved: choose it above the Gantt or in the deck.").format(name=md(scenario.name))
            )
    if scenario.name in saved and right.button(
        _("Delete the scenario"), key="scenario_delete", icon=":material/delete:"
    ):
        try:
            delete_scenario(_engine(context), source_name(context), scenario.name, by=actor)
        except RoadmapError as exc:
            st.error(md(exc))
        else:
            st.success(_("Scenario “{name}” deleted.").format(name=md(scenario.name)))


def gantt_choice(context: Context, current: ScenarioPlan | None) -> ScenarioPlan | None:
    """The selector above the Gantt: today's plan, the scenario being edited, or a saved one;
    the solved scenario chosen, or ``None`` for today's plan."""
    saved = {s.scenario.name: s.scenario for s in stored(context)}
    choices: dict[str, Scenario | None] = {_("Today's plan"): None}
    if current is not None and current.scenario.name not in saved:
        choices[_("{name} (not saved)").format(name=current.scenario.name)] = current.scenario
    choices.update({_("Scenario {name}").format(name=name): s for name, s in saved.items()})
    label = st.segmented_control(_("Plan shown"), list(choices), default=next(iter(choices)), key="gantt_plan")
    chosen = choices.get(label or "")
    if chosen is None:
        return None
    if current is not None and current.scenario == chosen:
        return current
    try:
        return ScenarioPlan(chosen, solve(context, chosen)[0])
    except RoadmapError as exc:
        st.error(md(exc))
        return None
