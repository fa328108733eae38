"""The exports' words (French and English), numbers and dates in each locale, and what the deck and
the report both say: the decisions to take, the readings of the summary, the appendix rows.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from roadmap.analysis import Analysis, ProgrammeStatus, programme_status
from roadmap.charts import burnup
from roadmap.errors import ExportError
from roadmap.i18n import format_day, format_number, format_percent, plural_text
from roadmap.models import Roadmap

if TYPE_CHECKING:
    from roadmap.progress import ProgressReport
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
        "mesures sont reportées ou bloquées : décision nécessaire.",
        "why_amber_one": "Chaque risque atteint son niveau cible en fin de plan si le plan est tenu, mais {n} "
        "mesure est reportée ou bloquée : décision nécessaire.",
        "why_red": "{n} risques restent au-dessus de leur niveau cible en fin de plan : {ids}.",
        "why_red_one": "{n} risque reste au-dessus de son niveau cible en fin de plan : {ids}.",
        "rule": "Règle : rouge si un risque reste au-dessus de sa cible en fin de plan ou si le SPI est sous 0,80 ; "
        "orange si des mesures sont reportées ou bloquées, si le SPI est sous 0,95, si la fin prévue dépasse "
        "celle du plan figé ou si des mesures sont en retard ; vert sinon.",
        "why_spi_red": "Retard important sur le plan figé : SPI {spi}, fin prévue le {forecast} au lieu du {end}, "
        "{late} mesures en retard.",
        "why_spi_red_one": "Retard important sur le plan figé : SPI {spi}, fin prévue le {forecast} au lieu du {end}, "
        "{late} mesure en retard.",
        "why_slip": "Retard sur le plan figé : SPI {spi}, fin prévue le {forecast} au lieu du {end}, "
        "{late} mesures en retard.",
        "why_slip_one": "Retard sur le plan figé : SPI {spi}, fin prévue le {forecast} au lieu du {end}, "
        "{late} mesure en retard.",
        "why_green_history": "Le programme tient le plan figé (SPI {spi}).",
        "progress_title": "Avancement par rapport au plan figé",
        "ev_spi": "SPI",
        "ev_spi_detail": "valeur acquise / planifiée au {date} ; sous 0,95 : en retard",
        "ev_values": "Valeur acquise",
        "ev_values_detail": "j.h acquis pour {pv} j.h planifiés à date",
        "ev_forecast": "Fin prévue à ce rythme",
        "ev_forecast_detail": "plan figé : fin le {end}",
        "ev_forecast_none": "non calculable",
        "ev_late": "Mesures en retard",
        "ev_late_detail": "fin planifiée dépassée, non terminées",
        "ev_chart": "Valeur planifiée et valeur acquise (jours-homme cumulés)",
        "ev_pv": "Valeur planifiée (plan figé)",
        "ev_ev": "Valeur acquise (instantanés)",
        "ev_late_table": "Mesures en retard",
        "ev_none_late": "Aucune mesure en retard.",
        "ev_more": "… et {n} autres : voir l’annexe.",
        "ev_more_one": "… et {n} autre : voir l’annexe.",
        "ev_reading": "Au {date}, {ev} j.h acquis pour {pv} j.h planifiés (SPI {spi}) : à ce rythme, "
        "fin le {forecast} au lieu du {end}.",
        "ev_method": "Valeur planifiée : charge restante du plan figé répartie sur ses jours ouvrés ; valeur "
        "acquise : charge × avancement ; fin prévue = début + durée / SPI (PMBOK).",
        "horizon": "Plan compressé du {start} au {end} : {sprints}, {days} jours ouvrés.",
        "fig_risk": "Risque résiduel",
        "fig_risk_detail": "aujourd’hui (initial\u00a0: {inherent} ; fin de plan\u00a0: {end})",
        "fig_done": "Mesures réalisées",
        "fig_done_detail": "{pct} de la charge totale réalisée",
        "fig_deferred": "Mesures reportées",
        "fig_deferred_detail": "dont {blocked} bloquées",
        "fig_deferred_detail_one": "dont {blocked} bloquée",
        "trajectory": "Trajectoire du risque résiduel",
        "trajectory_axis": "Somme des scores résiduels",
        "trajectory_note": "Valeur chaque lundi matin, puis à la fin de l’horizon.",
        "progress": "Avancement",
        "domains": "Charge par domaine (jours-homme)",
        "burnup": "Charge réalisée, cumul par sprint (jours-homme)",
        "heat": "Cartes des risques : avant, aujourd’hui, en fin de plan",
        "heat_before": "Avant les mesures",
        "heat_now": "Aujourd’hui",
        "heat_scales": "V1 Peu vraisemblable … V4 Quasi certain ; G1 Mineure … G4 Critique.",
        "heat_method": "Vraisemblance résiduelle = vraisemblance × Π(1 − efficacité × réalisation), arrondie au "
        "niveau supérieur ; la gravité ne change pas.",
        "heat_reading": "Risques en niveau critique : {before} sur {n} avant les mesures, {now} aujourd’hui, {end} en "
        "fin de plan.",
        "sprints": "Plan de sprints : charge par équipe",
        "sprints_axis": "Charge planifiée (jours-homme)",
        "team": "Équipe",
        "planned_pd": "Planifié (j.h)",
        "capacity_pd": "Capacité (j.h)",
        "decisions": "Décisions nécessaires",
        "gantt_reading": "{measures} en {sprints} ; les mesures d’une équipe menées en même temps sont "
        "sur des lignes distinctes ; le détail de chaque mesure est en annexe.",
        "heat_end": "Fin de plan, s’il est tenu",
        "decision_deferred": "{capacity} faute de capacité et {prerequisite} en attente "
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
        "sprints_reading": "{days} jours-homme planifiés sur {sprints}, pour une capacité de {cap} jours-homme "
        "({pct} utilisés).",
        "crash_lead": "Pour tout terminer en {weeks} semaines, il faudrait un renfort par semaine de :",
        "crash_team": "{team} : +{extra}\u00a0j.h/semaine ({fte}\u00a0ETP ; {pct} de sa capacité déjà planifiée)",
        "crash_why": "Un renfort peut être nécessaire sous 100\u00a0% d’utilisation : la capacité libre est éparpillée "
        "en créneaux trop courts pour les mesures reportées, ou arrive avant que leurs prérequis soient faits.",
        "used_pct": "Utilisé",
        "crash_horizon": "Sans renfort, il faudrait {weeks} semaines.",
        "unblock": "Débloquer {n} mesures, hors de portée quelle que soit la capacité :",
        "unblock_one": "Débloquer {n} mesure, hors de portée quelle que soit la capacité :",
        "n_sprints": "{n} sprints",
        "n_sprints_one": "{n} sprint",
        "n_scheduled": "{n} mesures planifiées",
        "n_scheduled_one": "{n} mesure planifiée",
        "n_deferred": "{n} mesures reportées",
        "n_deferred_one": "{n} mesure reportée",
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
        "{n} measures are deferred or blocked: a decision is needed.",
        "why_amber_one": "Every risk reaches its target level by the end of the plan if the plan is delivered, "
        "but {n} measure is deferred or blocked: a decision is needed.",
        "why_red": "{n} risks stay above their target level at the end of the plan: {ids}.",
        "why_red_one": "{n} risk stays above its target level at the end of the plan: {ids}.",
        "rule": "Rule: red if a risk stays above its target at the end of the plan or the SPI is under 0.80; "
        "amber if measures are deferred or blocked, the SPI is under 0.95, the forecast end is after the frozen "
        "plan's or measures are late; green otherwise.",
        "why_spi_red": "Well behind the frozen plan: SPI {spi}, forecast end {forecast} instead of {end}, {late} "
        "measures late.",
        "why_spi_red_one": "Well behind the frozen plan: SPI {spi}, forecast end {forecast} instead of {end}, "
        "{late} measure late.",
        "why_slip": "Behind the frozen plan: SPI {spi}, forecast end {forecast} instead of {end}, {late} measures "
        "late.",
        "why_slip_one": "Behind the frozen plan: SPI {spi}, forecast end {forecast} instead of {end}, {late} "
        "measure late.",
        "why_green_history": "The programme keeps to its frozen plan (SPI {spi}).",
        "progress_title": "Progress against the frozen plan",
        "ev_spi": "SPI",
        "ev_spi_detail": "earned / planned value on {date}; under 0.95: behind",
        "ev_values": "Earned value",
        "ev_values_detail": "person-days earned for {pv} planned to date",
        "ev_forecast": "Forecast end at this pace",
        "ev_forecast_detail": "frozen plan: ends {end}",
        "ev_forecast_none": "cannot be computed",
        "ev_late": "Measures late",
        "ev_late_detail": "past their planned end, not done",
        "ev_chart": "Planned and earned value (cumulative person-days)",
        "ev_pv": "Planned value (frozen plan)",
        "ev_ev": "Earned value (snapshots)",
        "ev_late_table": "Measures late",
        "ev_none_late": "No measure is late.",
        "ev_more": "… and {n} more: see the appendix.",
        "ev_more_one": "… and {n} more: see the appendix.",
        "ev_reading": "As of {date}, {ev} person-days earned for {pv} planned (SPI {spi}): at this pace, the "
        "programme ends {forecast} instead of {end}.",
        "ev_method": "Planned value: the frozen plan's remaining effort spread over its working days; earned "
        "value: effort × progress; forecast end = start + duration / SPI (PMBOK).",
        "horizon": "Compressed plan from {start} to {end}: {sprints}, {days} working days.",
        "fig_risk": "Residual risk",
        "fig_risk_detail": "now (inherent: {inherent}; end of plan: {end})",
        "fig_done": "Measures done",
        "fig_done_detail": "{pct} of the total effort done",
        "fig_deferred": "Measures deferred",
        "fig_deferred_detail": "of which {blocked} blocked",
        "fig_deferred_detail_one": "of which {blocked} blocked",
        "trajectory": "Residual-risk trajectory",
        "trajectory_axis": "Sum of residual scores",
        "trajectory_note": "Value on each Monday morning, then at the end of the horizon.",
        "progress": "Progress",
        "domains": "Effort by domain (person-days)",
        "burnup": "Effort done, cumulative by sprint (person-days)",
        "heat": "Risk maps: before, now, at the end of the plan",
        "heat_before": "Before the measures",
        "heat_now": "Now",
        "heat_scales": "L1 Unlikely … L4 Near certain (likelihood); S1 Minor … S4 Critical (severity).",
        "heat_method": "Residual likelihood = likelihood × Π(1 − effectiveness × completion), rounded up to a "
        "whole level; severity does not change.",
        "heat_reading": "Risks at the critical level: {before} of {n} before the measures, {now} now, {end} at the "
        "end of the plan.",
        "sprints": "Sprint plan: effort by team",
        "sprints_axis": "Planned effort (person-days)",
        "team": "Team",
        "planned_pd": "Planned (p-d)",
        "capacity_pd": "Capacity (p-d)",
        "decisions": "Decisions needed",
        "gantt_reading": "{measures} in {sprints}; a team's measures that run at the same time sit on "
        "separate lines; each measure's detail is in the appendix.",
        "heat_end": "End of plan, if delivered",
        "decision_deferred": "{capacity} for lack of capacity and {prerequisite} waiting on a "
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
        "sprints_reading": "{days} person-days planned over {sprints}, against a capacity of {cap} person-days "
        "({pct} used).",
        "crash_lead": "To finish everything in {weeks} weeks, the teams need extra person-days per week:",
        "crash_team": "{team}: +{extra} person-days/week ({fte} FTE; {pct} of its capacity already planned)",
        "crash_why": "A team may need reinforcing below 100% use: its free capacity comes in slots too short for the "
        "deferred measures, or before their prerequisites are done.",
        "used_pct": "Used",
        "crash_horizon": "With today's capacity, it takes {weeks} weeks.",
        "unblock": "Unblock {n} measures, out of reach whatever the capacity:",
        "unblock_one": "Unblock {n} measure, out of reach whatever the capacity:",
        "n_sprints": "{n} sprints",
        "n_sprints_one": "{n} sprint",
        "n_scheduled": "{n} measures scheduled",
        "n_scheduled_one": "{n} measure scheduled",
        "n_deferred": "{n} measures deferred",
        "n_deferred_one": "{n} measure deferred",
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


def _lang(lang: str) -> Lang:
    if lang not in ("fr", "en"):
        raise ExportError(f"unknown language {lang!r}: use 'fr' or 'en'")
    return "fr" if lang == "fr" else "en"


def _number(value: float, lang: str, digits: int = 1) -> str:
    return format_number(value, lang, digits)


def _percent(share: float, lang: str) -> str:
    return format_percent(share, lang)


def _day(value: dt.date, lang: str, style: Literal["medium", "long"] = "medium") -> str:
    """A date of the deck and the report as the app writes it (:func:`roadmap.i18n.format_day`):
    ``21 déc. 2026``; ``long`` (``21 décembre 2026``) on the title page only."""
    return format_day(value, lang, style=style)


def progress_words(report: ProgressReport, lang: str) -> dict[str, str]:
    """The progress slide's and report page's SPI, planned end and forecast end as written (``—``
    when unknown, the forecast's own words when there is none), and ``reading``: the sentence that
    reads them (``ev_reading``)."""
    text = _TEXT[lang]
    words = {
        "spi": "—" if report.spi is None else _number(report.spi, lang, 2),
        "end": _day(report.plan_end, lang) if report.plan_end else "—",
        "forecast": _day(report.forecast_end, lang) if report.forecast_end else text["ev_forecast_none"],
    }
    reading = text["ev_reading"].format(
        date=_day(report.as_of, lang), ev=_number(report.ev, lang, 0), pv=_number(report.pv, lang, 0), **words
    )
    return {**words, "reading": reading}


def say(key: str, count: int, lang: Lang, **params: object) -> str:
    """The export sentence ``key`` for ``count`` in ``lang``: its ``_one`` form when the language's
    plural rule says "one" (:func:`roadmap.i18n.plural_text`; French 0 and 1, English 1), never
    "measure(s)"; ``count`` fills ``{n}`` unless ``params`` name it otherwise."""
    return plural_text(_TEXT[lang], key, count, lang).format(**({"n": count} | params))


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
            teams = analysis.effort()["teams"]
            items.extend(
                (
                    text["crash_team"].format(
                        team=team,
                        extra=_number(extra, lang),
                        fte=_number(extra / 5, lang),
                        pct=_used(teams.get(team), lang),
                    ),
                    1,
                    False,
                )
                for team, extra in needs.items()
            )
            items.append((text["crash_why"], 1, False))
            if crash.horizon_weeks_needed is not None:
                items.append((text["crash_horizon"].format(weeks=_number(crash.horizon_weeks_needed, lang)), 0, False))
        elif plan.deferred:
            items.append((SENTENCES[lang]["crashing_ok"].format(weeks=weeks), 0, True))
    out_of_reach = list(crash.impossible) if crash is not None else list(status.blocked)
    if out_of_reach:
        items.append((say("unblock", len(out_of_reach), lang), 0, False))
        deferred = {d.id: d for d in plan.deferred}
        for ident in out_of_reach:
            item = deferred.get(ident)
            why = deferral_text(item, roadmap, plan, lang=lang) if item else roadmap.measure_by_id[ident].title
            items.append((f"{ident} — {why}", 1, False))
    capacity = sum(d.reason in ("capacity", "too_long") for d in plan.deferred)
    prerequisite = sum(d.reason == "prerequisite" for d in plan.deferred)
    if capacity or prerequisite:
        deferred_words = say("n_deferred", capacity, lang)
        items.append((text["decision_deferred"].format(capacity=deferred_words, prerequisite=prerequisite), 0, False))
    if status.above_target:
        items.append((text["decision_targets"].format(ids=", ".join(status.above_target)), 0, True))
    elif roadmap.risks:
        items.append((text["decision_targets_ok"], 0, False))
    return items


def _used(team: dict[str, float] | None, lang: str) -> str:
    """A team's planned effort over its capacity, as a percentage (``effort()["teams"]`` entry)."""
    if not team or not team["capacity"]:
        return _percent(0.0, lang)
    return _percent(team["planned"] / team["capacity"], lang)


def _status_why(status: ProgrammeStatus, lang: Lang) -> list[str]:
    """What sets the programme's colour, one sentence per cause (the deck's slide 2, the report's
    summary): risks above target, deferred measures, the slip against the frozen plan."""
    text = _TEXT[lang]
    why = []
    if status.above_target:
        why.append(say("why_red", len(status.above_target), lang, ids=", ".join(status.above_target)))
    if status.slipping and status.spi is not None:
        key = "why_spi_red" if "spi_red" in status.reasons else "why_slip"
        why.append(
            say(
                key,
                len(status.late),
                lang,
                spi=_number(status.spi, lang, 2),
                forecast=_day(status.forecast_end, lang) if status.forecast_end else text["ev_forecast_none"],
                end=_day(status.plan_end, lang) if status.plan_end else "—",
                late=len(status.late),
            )
        )
    if "deferred" in status.reasons and not status.above_target:
        why.append(say("why_amber", len(status.deferred), lang))
    if not why:
        why.append(text["why_green"])
        if status.spi is not None:
            why.append(text["why_green_history"].format(spi=_number(status.spi, lang, 2)))
    return why


def _readings(analysis: Analysis, lang: Lang) -> dict[str, str]:
    """The one-line reading of each chart (speaker notes, captions)."""
    text = _TEXT[lang]
    roadmap, plan, risk = analysis.roadmap, analysis.plan, analysis.risk
    burn = burnup(roadmap, plan)
    effort = analysis.effort()
    busy, capacity = effort["planned"], effort["capacity"]
    before = heat_map(roadmap)
    now = heat_map(roadmap, completions_at(roadmap, None))
    end = heat_map(roadmap, completions_at(roadmap, plan.end, plan.finish_dates()))
    scope = float(burn["scope"].iloc[0])
    return {
        "trajectory": text["risk_reading"].format(
            now=_number(risk.now, lang),
            end=_number(risk.end_of_plan, lang),
            date=_day(plan.end, lang),
            base=_number(risk.baseline_at_horizon, lang),
        ),
        "domains": text["domains_reading"].format(
            pct=_percent(effort["done"] / effort["total"] if effort["total"] else 0.0, lang),
            planned=_number(effort["planned"], lang, 0),
            deferred=_number(effort["deferred"], lang, 0),
        ),
        "burnup": text["burnup_reading"].format(
            pct=_percent(float(burn["done"].iloc[-1]) / scope if scope else 0.0, lang),
            s=int(burn["sprint"].iloc[-1]),
        ),
        "gantt": text["gantt_reading"].format(
            measures=say("n_scheduled", len(plan.scheduled), lang), sprints=say("n_sprints", len(plan.sprints), lang)
        ),
        "sprints": text["sprints_reading"].format(
            days=_number(busy, lang, 0),
            sprints=say("n_sprints", len(plan.sprints), lang),
            cap=_number(capacity, lang, 0),
            pct=_percent(busy / capacity if capacity else 0.0, lang),
        ),
        "heat": text["heat_reading"].format(
            before=int(before.loc[before["level"] >= 3, "count"].sum()),
            now=int(now.loc[now["level"] >= 3, "count"].sum()),
            end=int(end.loc[end["level"] >= 3, "count"].sum()),
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
