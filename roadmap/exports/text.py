"""The exports' words (French and English), numbers and dates in each locale, and what the deck and
the report both say: the decisions to take, the readings of the summary, the appendix rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from roadmap.analysis import Analysis, programme_status
from roadmap.charts import (
    burnup,
    domain_progress,
    sprint_load,
)
from roadmap.errors import ExportError
from roadmap.models import Roadmap
from roadmap.planning.plan import DeferredMeasure
from roadmap.risk import (
    completions_at,
    heat_map,
)
from roadmap.wording import SENTENCES, deferral_text

Lang = Literal["fr", "en"]


_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "programme": "Programme de sécurisation",
        "subtitle": "Programme de sécurisation — point d’avancement",
        "summary": "Synthèse",
        "green": "VERT",
        "amber": "ORANGE",
        "red": "ROUGE",
        "status": "Statut du programme",
        "why_green": "Toutes les mesures non bloquées tiennent dans l’horizon et chaque risque atteint son "
        "niveau cible en fin de plan.",
        "why_amber": "Chaque risque atteint son niveau cible en fin de plan si le plan est tenu, mais {n} "
        "mesure(s) sont reportées ou bloquées : décision nécessaire.",
        "why_red": "{n} risque(s) restent au-dessus de leur niveau cible en fin de plan : {ids}.",
        "rule": "Règle : rouge si un risque reste au-dessus de sa cible en fin de plan ; orange si des mesures "
        "sont reportées ou bloquées ; vert sinon.",
        "horizon": "Plan compressé du {start} au {end} : {sprints} sprints, {days} jours ouvrés.",
        "fig_risk": "Risque résiduel",
        "fig_risk_detail": "aujourd’hui (initial\u00a0: {inherent} ; fin de plan\u00a0: {end})",
        "fig_done": "Mesures réalisées",
        "fig_done_detail": "{pct} de la charge totale réalisée",
        "fig_deferred": "Mesures reportées",
        "fig_deferred_detail": "dont {blocked} bloquée(s)",
        "trajectory": "Trajectoire du risque résiduel",
        "trajectory_axis": "Somme des scores résiduels",
        "trajectory_note": "Valeur chaque lundi matin, puis à la fin de l’horizon.",
        "progress": "Avancement",
        "domains": "Charge par domaine (jours-homme)",
        "burnup": "Charge réalisée, cumul par sprint (jours-homme)",
        "heat": "Cartes des risques : avant les mesures et aujourd’hui",
        "heat_before": "Avant les mesures (risque initial)",
        "heat_now": "Aujourd’hui (risque résiduel)",
        "heat_scales": "V1 Peu vraisemblable … V4 Quasi certain ; G1 Mineure … G4 Critique.",
        "heat_method": "Vraisemblance résiduelle = vraisemblance × Π(1 − efficacité × réalisation), arrondie au "
        "niveau supérieur ; la gravité ne change pas.",
        "heat_reading": "Risques en niveau critique : {before} sur {n} avant les mesures, {now} aujourd’hui.",
        "sprints": "Plan de sprints : charge par équipe",
        "sprints_axis": "Charge planifiée (jours-homme)",
        "team": "Équipe",
        "planned_pd": "Planifié (j.h)",
        "capacity_pd": "Capacité (j.h)",
        "decisions": "Décisions nécessaires",
        "decision_deferred": "{capacity} mesure(s) reportée(s) faute de capacité et {prerequisite} en attente "
        "d’un prérequis reporté ou bloqué : renfort, arbitrage ou report assumé.",
        "decision_targets": "Risques au-dessus de leur cible en fin de plan : {ids}.",
        "decision_targets_ok": "Si le plan est tenu, chaque risque atteint son niveau cible en fin de plan.",
        "decision_none": "Aucune décision nécessaire : tout tient dans l’horizon.",
        "deferred": "Mesures reportées ou bloquées",
        "appendix": "Annexe — liste des mesures",
        "id": "ID",
        "measure": "Mesure",
        "status_col": "Statut",
        "sprint": "Sprint",
        "end": "Fin planifiée",
        "reason": "Raison",
        "deferred_cell": "reportée",
        "footer": "Rempart — {hospital} — {date}",
        "risk_reading": "Le plan compressé ramène le risque résiduel de {now} à {end} d’ici le {date}, contre "
        "{base} avec le plan initial sur 3 ans.",
        "domains_reading": "{pct} de la charge totale est réalisée ; {planned} jours-homme sont planifiés dans "
        "l’horizon et {deferred} reportés.",
        "burnup_reading": "Si le plan est tenu, {pct} de la charge totale sera réalisée à la fin du sprint {s}.",
        "sprints_reading": "{days} jours-homme planifiés sur {s} sprints, pour une capacité de {cap} jours-homme "
        "({pct} utilisés).",
        "crash_lead": "Pour tout terminer en {weeks} semaines, il faudrait un renfort par semaine de :",
        "crash_team": "{team} : +{extra}\u00a0j.h/semaine ({fte}\u00a0ETP)",
        "crash_horizon": "Sans renfort, il faudrait {weeks} semaines.",
        "unblock": "Débloquer {n} mesure(s), hors de portée quelle que soit la capacité :",
        "short_capacity": "Pas de créneau de {days}\u00a0j. ouvrés",
        "short_prerequisite": "Attend {ids}",
        "short_blocked": "Bloquée",
        "short_fixed_late": "Sprint imposé hors horizon",
        "short_too_long": "Trop longue : {days}\u00a0j. ouvrés",
    },
    "en": {
        "programme": "Security hardening programme",
        "subtitle": "Security hardening programme — progress review",
        "summary": "Executive summary",
        "green": "GREEN",
        "amber": "AMBER",
        "red": "RED",
        "status": "Programme status",
        "why_green": "Every non-blocked measure fits the horizon and every risk reaches its target level by the "
        "end of the plan.",
        "why_amber": "Every risk reaches its target level by the end of the plan if the plan is delivered, but "
        "{n} measure(s) are deferred or blocked: a decision is needed.",
        "why_red": "{n} risk(s) stay above their target level at the end of the plan: {ids}.",
        "rule": "Rule: red if a risk stays above its target at the end of the plan; amber if measures are "
        "deferred or blocked; green otherwise.",
        "horizon": "Compressed plan from {start} to {end}: {sprints} sprints, {days} working days.",
        "fig_risk": "Residual risk",
        "fig_risk_detail": "now (inherent: {inherent}; end of plan: {end})",
        "fig_done": "Measures done",
        "fig_done_detail": "{pct} of the total effort done",
        "fig_deferred": "Measures deferred",
        "fig_deferred_detail": "of which {blocked} blocked",
        "trajectory": "Residual-risk trajectory",
        "trajectory_axis": "Sum of residual scores",
        "trajectory_note": "Value on each Monday morning, then at the end of the horizon.",
        "progress": "Progress",
        "domains": "Effort by domain (person-days)",
        "burnup": "Effort done, cumulative by sprint (person-days)",
        "heat": "Risk maps: before the measures and now",
        "heat_before": "Before the measures (inherent risk)",
        "heat_now": "Now (residual risk)",
        "heat_scales": "V1 Unlikely … V4 Near certain; G1 Minor … G4 Critical.",
        "heat_method": "Residual likelihood = likelihood × Π(1 − effectiveness × completion), rounded up to a "
        "whole level; severity does not change.",
        "heat_reading": "Risks at the critical level: {before} of {n} before the measures, {now} now.",
        "sprints": "Sprint plan: effort by team",
        "sprints_axis": "Planned effort (person-days)",
        "team": "Team",
        "planned_pd": "Planned (p-d)",
        "capacity_pd": "Capacity (p-d)",
        "decisions": "Decisions needed",
        "decision_deferred": "{capacity} measure(s) deferred for lack of capacity and {prerequisite} waiting on a "
        "deferred or blocked prerequisite: extra capacity, trade-offs or an accepted deferral.",
        "decision_targets": "Risks above their target at the end of the plan: {ids}.",
        "decision_targets_ok": "If the plan is delivered, every risk reaches its target level by the end of it.",
        "decision_none": "No decision needed: everything fits the horizon.",
        "deferred": "Deferred or blocked measures",
        "appendix": "Appendix — list of measures",
        "id": "ID",
        "measure": "Measure",
        "status_col": "Status",
        "sprint": "Sprint",
        "end": "Planned end",
        "reason": "Reason",
        "deferred_cell": "deferred",
        "footer": "Rempart — {hospital} — {date}",
        "risk_reading": "The compressed plan brings residual risk from {now} to {end} by {date}, against {base} "
        "under the original 3-year plan.",
        "domains_reading": "{pct} of the total effort is done; {planned} person-days are planned in the horizon "
        "and {deferred} deferred.",
        "burnup_reading": "If the plan is delivered, {pct} of the total effort is done by the end of sprint {s}.",
        "sprints_reading": "{days} person-days planned over {s} sprints, against a capacity of {cap} person-days "
        "({pct} used).",
        "crash_lead": "To finish everything in {weeks} weeks, the teams need extra person-days per week:",
        "crash_team": "{team}: +{extra} person-days/week ({fte} FTE)",
        "crash_horizon": "With today's capacity, it takes {weeks} weeks.",
        "unblock": "Unblock {n} measure(s), out of reach whatever the capacity:",
        "short_capacity": "No slot of {days} working days",
        "short_prerequisite": "Waits on {ids}",
        "short_blocked": "Blocked",
        "short_fixed_late": "Fixed sprint after the horizon",
        "short_too_long": "Too long ({days} working days)",
    },
}


_STATUSES = {
    "fr": {
        "not_started": "À faire",
        "in_progress": "En cours",
        "done": "Fait",
        "blocked": "Bloqué",
        "cancelled": "Abandonné",
    },
    "en": {
        "not_started": "To do",
        "in_progress": "In progress",
        "done": "Done",
        "blocked": "Blocked",
        "cancelled": "Cancelled",
    },
}


_REASONS = {
    "fr": {
        "capacity": "Capacité insuffisante",
        "prerequisite": "Attend un prérequis",
        "blocked": "Bloquée",
        "too_long": "Trop longue pour l’horizon",
    },
    "en": {
        "capacity": "Not enough capacity",
        "prerequisite": "Waits on a prerequisite",
        "blocked": "Blocked",
        "too_long": "Too long for the horizon",
    },
}


_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _lang(lang: str) -> Lang:
    if lang not in ("fr", "en"):
        raise ExportError(f"unknown language {lang!r}: use 'fr' or 'en'")
    return "fr" if lang == "fr" else "en"


def _number(value: float, lang: str, digits: int = 1) -> str:
    return str(format_decimal(round(value, digits), locale=_LOCALES[lang]))


def _percent(share: float, lang: str) -> str:
    return str(format_percent(share, locale=_LOCALES[lang]))


def _day(value: dt.date, lang: str, style: str = "short") -> str:
    if style == "short":
        return value.strftime("%d/%m/%Y")
    return str(format_date(value, format=style, locale=_LOCALES[lang]))


def _hospital(roadmap: Roadmap, lang: str) -> str:
    return roadmap.settings.establishment or _TEXT[lang]["programme"]


def _short_reason(item: DeferredMeasure, roadmap: Roadmap, lang: Lang) -> str:
    """A few words saying why a measure is left out (deck tables; the full sentence is
    :func:`deferral_text`)."""
    text = _TEXT[lang]
    if item.reason == "blocked":
        return text["short_blocked"]
    if item.reason == "prerequisite":
        return text["short_prerequisite"].format(ids=", ".join(item.waits_on) or SENTENCES[lang]["a_prerequisite"])
    if item.reason == "too_long" and item.duration is None:
        return text["short_fixed_late"]
    key = "short_too_long" if item.reason == "too_long" else "short_capacity"
    return text[key].format(days=item.duration)


def _decision_items(analysis: Analysis, lang: Lang) -> list[tuple[str, int, bool]]:
    """The decisions the director must take, as (text, level 0 or 1, bold) bullet items."""
    text = _TEXT[lang]
    roadmap, plan = analysis.roadmap, analysis.plan
    status = programme_status(analysis)
    items: list[tuple[str, int, bool]] = []
    if not plan.deferred:
        items.append((text["decision_none"], 0, True))
    crash = analysis.crashing
    if crash is not None:
        weeks = analysis.horizon_weeks
        needs = {team: extra for team, extra in analysis.reinforcement_per_week.items() if extra > 0}
        if needs:
            items.append((text["crash_lead"].format(weeks=weeks), 0, True))
            items.extend(
                (
                    text["crash_team"].format(team=team, extra=_number(extra, lang), fte=_number(extra / 5, lang)),
                    1,
                    False,
                )
                for team, extra in needs.items()
            )
            if crash.horizon_weeks_needed is not None:
                items.append((text["crash_horizon"].format(weeks=_number(crash.horizon_weeks_needed, lang)), 0, False))
        elif plan.deferred:
            items.append((SENTENCES[lang]["crashing_ok"].format(weeks=weeks), 0, True))
    out_of_reach = list(crash.impossible) if crash is not None else list(status.blocked)
    if out_of_reach:
        items.append((text["unblock"].format(n=len(out_of_reach)), 0, False))
        deferred = {d.id: d for d in plan.deferred}
        for ident in out_of_reach:
            item = deferred.get(ident)
            why = deferral_text(item, roadmap, plan, lang=lang) if item else roadmap.measure_by_id[ident].title
            items.append((f"{ident} — {why}", 1, False))
    capacity = sum(d.reason in ("capacity", "too_long") for d in plan.deferred)
    prerequisite = sum(d.reason == "prerequisite" for d in plan.deferred)
    if capacity or prerequisite:
        items.append((text["decision_deferred"].format(capacity=capacity, prerequisite=prerequisite), 0, False))
    if status.above_target:
        items.append((text["decision_targets"].format(ids=", ".join(status.above_target)), 0, True))
    elif roadmap.risks:
        items.append((text["decision_targets_ok"], 0, False))
    return items


def _readings(analysis: Analysis, lang: Lang) -> dict[str, str]:
    """The one-line reading of each chart (speaker notes, captions)."""
    text = _TEXT[lang]
    roadmap, plan, risk = analysis.roadmap, analysis.plan, analysis.risk
    domains = domain_progress(roadmap, plan)
    total = float(domains[["done", "planned", "deferred"]].to_numpy().sum())
    burn = burnup(roadmap, plan)
    load = sprint_load(plan)
    busy, capacity = float(load["busy"].sum()), float(load["capacity"].sum())
    before = heat_map(roadmap)
    now = heat_map(roadmap, completions_at(roadmap, None))
    scope = float(burn["scope"].iloc[0])
    return {
        "trajectory": text["risk_reading"].format(
            now=_number(risk.now, lang),
            end=_number(risk.end_of_plan, lang),
            date=_day(plan.end, lang),
            base=_number(risk.baseline_at_horizon, lang),
        ),
        "domains": text["domains_reading"].format(
            pct=_percent(float(domains["done"].sum()) / total if total else 0.0, lang),
            planned=_number(float(domains["planned"].sum()), lang, 0),
            deferred=_number(float(domains["deferred"].sum()), lang, 0),
        ),
        "burnup": text["burnup_reading"].format(
            pct=_percent(float(burn["done"].iloc[-1]) / scope if scope else 0.0, lang),
            s=int(burn["sprint"].iloc[-1]),
        ),
        "sprints": text["sprints_reading"].format(
            days=_number(busy, lang, 0),
            s=len(plan.sprints),
            cap=_number(capacity, lang, 0),
            pct=_percent(busy / capacity if capacity else 0.0, lang),
        ),
        "heat": text["heat_reading"].format(
            before=int(before.loc[before["level"] >= 3, "count"].sum()),
            now=int(now.loc[now["level"] >= 3, "count"].sum()),
            n=len(roadmap.risks),
        ),
    }


def _appendix_rows(analysis: Analysis, lang: Lang) -> list[list[str]]:
    roadmap, plan = analysis.roadmap, analysis.plan
    text = _TEXT[lang]
    schedule = {s.id: s for s in plan.scheduled}
    deferred = {d.id for d in plan.deferred}
    rows = []
    for m in roadmap.measures:
        placed = schedule.get(m.id)
        if placed is not None:
            sprint, end = f"S{placed.sprint}", _day(placed.end, lang)
        elif m.id in deferred:
            sprint, end = "—", text["deferred_cell"]
        else:
            sprint, end = "—", _day(m.done_date, lang) if m.done_date else ""
        rows.append([m.id, m.title, m.team, _STATUSES[lang][m.status], sprint, end])
    return rows
