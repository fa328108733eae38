"""The sentences the director reads about the plan, in French or English: what it would take to
finish everything (crashing), how far the plan is from the best possible one, and why a measure is
deferred.

One wording for the app, the deck and the PDF report; pure Python (no Streamlit, no export
libraries), so that the pages can use it without loading python-pptx or fpdf2.
"""

from __future__ import annotations

import math
import string

from babel.numbers import format_decimal

from roadmap.analysis import Analysis
from roadmap.models import Roadmap
from roadmap.planning.optimise import SolverReport
from roadmap.planning.plan import DeferredMeasure, Plan

SENTENCES: dict[str, dict[str, str]] = {
    "fr": {
        "crashing_needs": "Pour tout terminer en {weeks} semaines, il faudrait : {needs}.",
        "crashing_need": "«\u00a0{team}\u00a0» +{extra}\u00a0j.h par sprint",
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
        "crashing_need": "“{team}” +{extra} person-days per sprint",
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

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


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
    return str(format_decimal(round(value, 1), locale=_LOCALES["fr" if lang == "fr" else "en"]))


def crashing_text(analysis: Analysis, *, lang: str = "fr") -> str:
    """What it would take to finish every non-blocked measure, as a sentence for the director:
    extra person-days per sprint by team, and the horizon today's capacity needs.

    Returns ``""`` when the analysis has no crashing figures.
    """
    text = _text(lang)
    crash = analysis.crashing
    if crash is None:
        return ""
    weeks = round(((analysis.plan.end - analysis.plan.start).days + 1) / 7)
    needs = [
        text["crashing_need"].format(team=team, extra=_number(extra, lang))
        for team, extra in crash.extra_person_days_per_sprint.items()
        if extra > 0
    ]
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
