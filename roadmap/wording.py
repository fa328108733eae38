"""The sentences the director reads about the plan, in French or English: what it would take to
finish everything (crashing), how far the plan is from the best possible one, and why a measure is
deferred.

One wording for the app, the deck and the PDF report; pure Python (no Streamlit, no export
libraries), so that the pages can use it without loading python-pptx or fpdf2.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from typing import TYPE_CHECKING

from roadmap.analysis import Analysis
from roadmap.i18n import format_cost, format_day, format_number
from roadmap.models import Roadmap
from roadmap.planning.optimise import SolverReport
from roadmap.planning.plan import DeferredMeasure, Plan

if TYPE_CHECKING:
    from roadmap.scenarios import PlanFigures, ScenarioComparison

SENTENCES: dict[str, dict[str, str]] = {
    "fr": {
        "crashing_needs": "Pour tout terminer en {weeks} semaines, il faudrait : {needs}.",
        "crashing_need": "«\u00a0{team}\u00a0» +{extra}\u00a0j.h/semaine ({fte}\u00a0ETP{cost})",
        "cost": ", {cost} sur l’horizon",
        "fte_note": "ETP sur l’horizon\u00a0: j.h ajoutés ÷ {days} jours ouvrés de l’horizon (du lundi au "
        "vendredi, hors jours fériés du calendrier {calendar}). Un renfort de 5\u00a0j.h/semaine fait 1\u00a0ETP.",
        "fte_note_no_calendar": "ETP sur l’horizon\u00a0: j.h ajoutés ÷ {days} jours ouvrés de l’horizon (du "
        "lundi au vendredi). Un renfort de 5\u00a0j.h/semaine fait 1\u00a0ETP.",
        "scenario_adds": "«\u00a0{name}\u00a0» ajoute {person_days}\u00a0j.h sur l’horizon ({fte}\u00a0ETP{cost}).",
        "scenario_removes": "«\u00a0{name}\u00a0» retire {person_days}\u00a0j.h sur l’horizon ({fte}\u00a0ETP).",
        "scenario_same": "«\u00a0{name}\u00a0» ne change pas la capacité.",
        "scenario_saves": " Il épargne {saved}\u00a0risque·jours d’exposition cumulée.",
        "scenario_worse": " Il ajoute {saved}\u00a0risque·jours d’exposition cumulée.",
        "scenario_even": " L’exposition cumulée ne change pas.",
        "scenario_in": " Mesures qui entrent dans l’horizon\u00a0: {ids}.",
        "scenario_none_in": " Aucune mesure de plus n’entre dans l’horizon.",
        "scenario_out": " Mesures qui en sortent\u00a0: {ids}.",
        "scenario_targets": " Risques qui atteignent leur cible\u00a0: {ids}.",
        "scenario_fits": " Avec cette capacité, toutes les mesures non bloquées tiennent en {weeks} semaines.",
        "scenario_short": " Avec cette capacité, il manque encore\u00a0: {needs} ; il faudrait {weeks} semaines.",
        "scenario_short_no_horizon": " Avec cette capacité, il manque encore\u00a0: {needs}.",
        "row_exposure": "Exposition cumulée (risque·jours)",
        "row_finish": "Fin de la dernière mesure",
        "row_deferred": "Mesures reportées",
        "row_targets": "Risques à leur cible en fin de plan",
        "row_horizon": "Semaines pour tout faire",
        "row_capacity": "Capacité ajoutée (j.h sur l’horizon)",
        "row_fte": "Capacité ajoutée (ETP sur l’horizon)",
        "row_cost": "Coût (équipes ayant un taux journalier)",
        "col_figure": "Indicateur",
        "col_plan": "Plan actuel",
        "of": "{n} sur {total}",
        "nothing": "—",
        "crashing_ok": "Toutes les mesures non bloquées tiennent en {weeks} semaines sans renfort.",
        "crashing_horizon": " Sans renfort, il faudrait {weeks} semaines.",
        "crashing_impossible": " Hors de portée quelle que soit la capacité (bloquées ou en attente d’une mesure "
        "bloquée) : {ids}.",
        "reason_blocked": "Statut « Bloqué » dans le classeur.",
        "reason_prerequisite": "Attend {ids}, bloquées ou reportées.",
        "reason_prerequisite_one": "Attend {ids}, bloquée ou reportée.",
        "reason_fixed_late": "Sprint imposé {sprint} au-delà des {sprints} sprints de l’horizon.",
        "reason_too_long": "Demande {days} jours ouvrés ; l’horizon n’en compte que {horizon}.",
        "reason_capacity": "L’équipe « {team} » n’a plus {days} jours ouvrés disponibles {where}.",
        "reason_where_fixed": "dans son sprint imposé ({sprint})",
        "reason_where_horizon": "avant la fin de l’horizon",
        "a_prerequisite": "un prérequis",
        "crashing_none": " Aucun renfort raisonnable ne suffit (sprints imposés ou chaînes de prérequis trop longues).",
        "quality_optimal": "Plan optimisé : le meilleur plan possible (prouvé). "
        "Exposition cumulée : {exposure}\u00a0risque·jours.",
        "quality_gap": "Plan optimisé : au plus {gap}\u00a0% au-dessus du meilleur plan possible "
        "(exposition cumulée {exposure}\u00a0risque·jours ; aucun plan ne peut descendre sous {bound}).",
        "quality_unknown": "Plan optimisé : exposition cumulée {exposure}\u00a0risque·jours ; la distance au meilleur "
        "plan possible n’a pas pu être calculée dans le temps imparti.",
        "quality_provisional": "Plan provisoire (calcul rapide) : exposition cumulée {exposure}\u00a0risque·jours ; "
        "l’optimisation et la distance au meilleur plan possible arrivent dans quelques secondes.",
        "quality_footer": " L’exposition cumulée est la somme, jour après jour sur l’horizon, du risque résiduel "
        "total : plus elle est basse, plus tôt le risque a baissé.",
    },
    "en": {
        "crashing_needs": "To finish everything in {weeks} weeks, it would take: {needs}.",
        "crashing_need": "“{team}” +{extra} person-days/week ({fte} FTE{cost})",
        "cost": ", {cost} over the horizon",
        "fte_note": "FTE over the horizon: person-days added ÷ the horizon's {days} working days (Monday to "
        "Friday, less the public holidays of calendar {calendar}). 5 person-days/week is 1 FTE.",
        "fte_note_no_calendar": "FTE over the horizon: person-days added ÷ the horizon's {days} working days "
        "(Monday to Friday). 5 person-days/week is 1 FTE.",
        "scenario_adds": "“{name}” adds {person_days} person-days over the horizon ({fte} FTE{cost}).",
        "scenario_removes": "“{name}” removes {person_days} person-days over the horizon ({fte} FTE).",
        "scenario_same": "“{name}” does not change the capacity.",
        "scenario_saves": " It saves {saved} risk-days of cumulative exposure.",
        "scenario_worse": " It adds {saved} risk-days of cumulative exposure.",
        "scenario_even": " Cumulative exposure does not change.",
        "scenario_in": " Measures brought inside the horizon: {ids}.",
        "scenario_none_in": " No further measure comes inside the horizon.",
        "scenario_out": " Measures pushed out: {ids}.",
        "scenario_targets": " Risks brought to their target: {ids}.",
        "scenario_fits": " With this capacity, every non-blocked measure fits in {weeks} weeks.",
        "scenario_short": " With this capacity, it still takes: {needs}; or {weeks} weeks.",
        "scenario_short_no_horizon": " With this capacity, it still takes: {needs}.",
        "row_exposure": "Cumulative exposure (risk-days)",
        "row_finish": "End of the last measure",
        "row_deferred": "Deferred measures",
        "row_targets": "Risks at target at the end of the plan",
        "row_horizon": "Weeks to do everything",
        "row_capacity": "Capacity added (person-days over the horizon)",
        "row_fte": "Capacity added (FTE over the horizon)",
        "row_cost": "Cost (teams with a daily rate)",
        "col_figure": "Figure",
        "col_plan": "Today's plan",
        "of": "{n} of {total}",
        "nothing": "—",
        "crashing_ok": "Every non-blocked measure fits in {weeks} weeks without extra capacity.",
        "crashing_horizon": " With today's capacity, it takes {weeks} weeks.",
        "crashing_impossible": " Out of reach whatever the capacity (blocked, or waiting on a blocked measure): {ids}.",
        "reason_blocked": "Status “Blocked” in the workbook.",
        "reason_prerequisite": "Waits on {ids}, blocked or deferred.",
        "reason_fixed_late": "Fixed sprint {sprint} is after the horizon's {sprints} sprints.",
        "reason_too_long": "Needs {days} working days; the horizon has {horizon}.",
        "reason_capacity": "Team “{team}” has no {days} working days left {where}.",
        "reason_where_fixed": "in its fixed sprint ({sprint})",
        "reason_where_horizon": "before the end of the horizon",
        "a_prerequisite": "a prerequisite",
        "crashing_none": " No reasonable reinforcement is enough (fixed sprints or prerequisite chains too long).",
        "quality_optimal": "Optimised plan: the best possible plan (proven). "
        "Cumulative exposure: {exposure} risk-days.",
        "quality_gap": "Optimised plan: at most {gap}% above the best possible plan "
        "(cumulative exposure {exposure} risk-days; no plan can go below {bound}).",
        "quality_unknown": "Optimised plan: cumulative exposure {exposure} risk-days; the distance to the best "
        "possible plan could not be computed in the time allowed.",
        "quality_provisional": "Provisional plan (fast calculation): cumulative exposure {exposure} risk-days; "
        "the optimisation and the distance to the best possible plan follow in a few seconds.",
        "quality_footer": " Cumulative exposure is the sum, day after day over the horizon, of the total residual "
        "risk: the lower it is, the earlier the risk fell.",
    },
}
"""Sentence templates by language (``fr``, ``en``); placeholders in braces."""

_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation})


def markdown_text(value: object) -> str:
    """``value`` as Markdown that reads as the plain text (for a page that shows workbook text,
    or a sentence holding it, through Markdown: titles, captions, alerts).

    Every ASCII punctuation character gets a backslash (CommonMark lets any of them be escaped),
    so ``[x](url)``, ``![x](url)``, ``<b>``, ``**x**``, ``# x``, ``$x$`` (LaTeX) and
    ``:red[x]`` (Streamlit's colour directive) are shown as typed instead of becoming links,
    images, markup or formulas. Apply it to the workbook values, not to Markdown of our own.
    """
    return str(value).translate(_MARKDOWN_ESCAPES)


def _text(lang: str) -> dict[str, str]:
    return SENTENCES["fr" if lang == "fr" else "en"]


def _number(value: float, lang: str) -> str:
    return format_number(value, lang, 1)


def _needs(analysis: Analysis, lang: str, daily_rates: Mapping[str, float]) -> list[str]:
    """Each team's recommended reinforcement: person-days per week, FTE over the horizon
    (:mod:`roadmap.scenarios`: per week / 5) and, with a daily rate, its cost over the horizon."""
    text = _text(lang)
    days = len(analysis.plan.days)
    needs = []
    for team, extra in analysis.reinforcement_per_week.items():
        if extra <= 0:
            continue
        rate = daily_rates.get(team)
        cost = "" if rate is None else text["cost"].format(cost=format_cost(extra / 5 * days * rate, lang))
        needs.append(
            text["crashing_need"].format(team=team, extra=_number(extra, lang), fte=_number(extra / 5, lang), cost=cost)
        )
    return needs


def fte_note(analysis: Analysis, *, lang: str = "fr") -> str:
    """How FTE over the horizon is counted, with the horizon's working days and their calendar."""
    text = _text(lang)
    calendar = analysis.roadmap.settings.calendar
    key = "fte_note" if calendar else "fte_note_no_calendar"
    return text[key].format(days=len(analysis.plan.days), calendar=calendar)


def crashing_text(analysis: Analysis, *, lang: str = "fr", daily_rates: Mapping[str, float] | None = None) -> str:
    """What it would take to finish every non-blocked measure, as a sentence for the director:
    extra person-days per week by team (:attr:`Analysis.reinforcement_per_week`) with its FTE over
    the horizon and, for a team with a daily rate (€ per person-day), its cost; and the horizon
    today's capacity needs.

    Returns ``""`` when the analysis has no crashing figures.
    """
    text = _text(lang)
    crash = analysis.crashing
    if crash is None:
        return ""
    weeks = analysis.horizon_weeks
    needs = _needs(analysis, lang, daily_rates or {})
    sep = " ; " if lang == "fr" else "; "
    sentence = (
        text["crashing_needs"].format(weeks=weeks, needs=sep.join(needs))
        if needs
        else text["crashing_ok"].format(weeks=weeks)
    )
    if crash.horizon_weeks_needed is not None and needs:
        sentence += text["crashing_horizon"].format(weeks=_number(crash.horizon_weeks_needed, lang))
    if crash.status == "NONE":
        sentence += text["crashing_none"]
    if crash.impossible:
        sentence += text["crashing_impossible"].format(ids=", ".join(crash.impossible))
    return sentence


def planner_quality(report: SolverReport, *, lang: str = "fr") -> str:
    """How good the optimised plan is, in words a director reads: "at most 4 % above the best
    possible plan" (``report.gap``, from the lower bound of :mod:`roadmap.planning.bound`), or
    proven the best, or no bound in time, or the fast plan shown while the full solve runs
    (``report.provisional``); then what cumulative exposure means."""
    text = _text(lang)
    exposure = _number(report.objective or 0.0, lang)
    if report.provisional and report.status != "OPTIMAL":
        sentence = text["quality_provisional"].format(exposure=exposure)
    elif report.status == "OPTIMAL":
        sentence = text["quality_optimal"].format(exposure=exposure)
    elif report.gap is not None and report.exposure_lower_bound is not None:
        gap = max(0.1, math.ceil(report.gap * 1000) / 10)  # rounded up: "at most"
        sentence = text["quality_gap"].format(
            gap=_number(gap, lang), exposure=exposure, bound=_number(report.exposure_lower_bound, lang)
        )
    else:
        sentence = text["quality_unknown"].format(exposure=exposure)
    return sentence + text["quality_footer"]


def deferral_text(item: DeferredMeasure, roadmap: Roadmap, plan: Plan, *, lang: str = "fr") -> str:
    """Why a measure is left out of the plan, as a sentence (the workbook's note for a blocked
    measure that has one)."""
    text = _text(lang)
    measure = roadmap.measure_by_id[item.id]
    if item.reason == "blocked":
        return measure.notes or text["reason_blocked"]
    if item.reason == "prerequisite":
        key = "reason_prerequisite_one" if len(item.waits_on) <= 1 else "reason_prerequisite"
        return text.get(key, text["reason_prerequisite"]).format(ids=", ".join(item.waits_on) or text["a_prerequisite"])
    if item.reason == "too_long" and item.duration is None:
        return text["reason_fixed_late"].format(sprint=measure.fixed_sprint, sprints=len(plan.sprints))
    if item.reason == "too_long":
        return text["reason_too_long"].format(days=item.duration, horizon=len(plan.days))
    where = (
        text["reason_where_fixed"].format(sprint=measure.fixed_sprint)
        if measure.fixed_sprint
        else text["reason_where_horizon"]
    )
    return text["reason_capacity"].format(team=item.team, days=item.duration, where=where)


def scenario_text(comparison: ScenarioComparison, scenario: Analysis, *, lang: str = "fr") -> str:
    """What the scenario buys, as sentences: the capacity it adds (person-days and FTE over the
    horizon, cost when daily rates are set), the risk-days it saves, the measures it brings inside
    the horizon (or pushes out) and the risks it brings to their target; then whether its capacity
    fits everything (never "without reinforcement": the scenario's capacity is not today's).

    Args:
        scenario: the scenario's analysis, for what it would still take.
    """
    text = _text(lang)
    name = comparison.name
    days = comparison.person_days
    if abs(days) < 0.05:
        sentence = text["scenario_same"].format(name=name)
    else:
        cost = comparison.cost
        key = "scenario_adds" if days > 0 else "scenario_removes"
        sentence = text[key].format(
            name=name,
            person_days=_number(abs(days), lang),
            fte=_number(abs(comparison.fte), lang),
            cost="" if cost is None else text["cost"].format(cost=format_cost(cost, lang)),
        )
    saved = comparison.risk_days_saved
    if abs(saved) < 0.5:
        sentence += text["scenario_even"]
    else:
        key = "scenario_saves" if saved > 0 else "scenario_worse"
        sentence += text[key].format(saved=format_number(abs(saved), lang, 0))
    sentence += (
        text["scenario_in"].format(ids=", ".join(comparison.brought_in))
        if comparison.brought_in
        else text["scenario_none_in"]
    )
    if comparison.pushed_out:
        sentence += text["scenario_out"].format(ids=", ".join(comparison.pushed_out))
    if comparison.risks_to_target:
        sentence += text["scenario_targets"].format(ids=", ".join(comparison.risks_to_target))
    if scenario.crashing is not None:
        needs = _needs(scenario, lang, {})
        weeks = scenario.crashing.horizon_weeks_needed
        sep = " ; " if lang == "fr" else "; "
        if not needs:
            sentence += text["scenario_fits"].format(weeks=scenario.horizon_weeks)
        elif weeks is not None:
            sentence += text["scenario_short"].format(needs=sep.join(needs), weeks=_number(weeks, lang))
        else:
            sentence += text["scenario_short_no_horizon"].format(needs=sep.join(needs))
    return sentence


def _figures_column(figures: PlanFigures, lang: str) -> list[str]:
    text = _text(lang)
    return [
        format_number(figures.exposure, lang, 0),
        format_day(figures.finish, lang) if figures.finish else text["nothing"],
        str(len(figures.deferred)),
        text["of"].format(n=len(figures.at_target), total=figures.with_target),
        _number(figures.horizon_weeks_needed, lang) if figures.horizon_weeks_needed is not None else text["nothing"],
    ]


def comparison_rows(comparison: ScenarioComparison, *, lang: str = "fr") -> list[tuple[str, str, str]]:
    """The side-by-side table of today's plan and the scenario, one source for the Plan page and
    the deck: (figure, today's plan, scenario) as display texts — cumulative exposure
    (risk-days), end of the last measure, deferred measures, risks at target, weeks to do
    everything, then the capacity added (person-days, FTE over the horizon, and cost when daily
    rates are set)."""
    text = _text(lang)
    labels = ["row_exposure", "row_finish", "row_deferred", "row_targets", "row_horizon"]
    rows = [
        (text[label], ours, theirs)
        for label, ours, theirs in zip(
            labels, _figures_column(comparison.plan, lang), _figures_column(comparison.scenario, lang), strict=True
        )
    ]
    rows.append((text["row_capacity"], "0", _signed(comparison.person_days, lang)))
    rows.append((text["row_fte"], "0", _signed(comparison.fte, lang)))
    if comparison.cost is not None:
        rows.append((text["row_cost"], text["nothing"], format_cost(comparison.cost, lang)))
    return rows


def comparison_header(comparison: ScenarioComparison, *, lang: str = "fr") -> tuple[str, str, str]:
    """The column names of :func:`comparison_rows`: figure, today's plan, the scenario's name."""
    text = _text(lang)
    return text["col_figure"], text["col_plan"], comparison.name


def _signed(value: float, lang: str) -> str:
    number = _number(abs(value), lang)
    return number if abs(value) < 0.05 else ("+" if value > 0 else "−") + number
