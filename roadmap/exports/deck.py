"""Board exports (PRODUCT.md §7): a 16:9 PPTX deck, a PDF report, the XLSX plan, chart images
and tables.

Every builder takes an :class:`~roadmap.analysis.Analysis` and returns ``bytes`` (or a mapping
of file name → bytes); none writes a file. Texts are French (``lang="fr"``) or English
(``lang="en"``).

**Libraries.**

* Deck: python-pptx, on a blank presentation set to 13.333 × 7.5 in (16:9) and laid out here
  (the default template is 4:3). Charts are native PowerPoint charts (line, stacked bar, stacked
  column) whose data the board's staff can edit; heat maps are tables with coloured cells.
  Text is Arial (LibreOffice renders it with the metric-compatible Liberation Sans).
* PDF: fpdf2. It is pure Python (WeasyPrint needs Pango and Cairo, xhtml2pdf drags ReportLab
  and html5lib), embeds and subsets a TrueType font — DejaVu Sans (Debian ``fonts-dejavu-core``)
  for French accents, ``’``, ``«»`` and ``→`` —, has tables that break across pages with
  repeated headings, and takes PNG images from memory. A report builds in well under a second
  apart from the chart images.
* Chart images: plotly figures of :mod:`roadmap.charts` rendered by kaleido 1.5 with Debian's
  Chromium (``BROWSER_PATH`` if set, else ``/usr/bin/chromium``, else ``chromium`` on ``PATH``);
  kaleido never downloads a browser here, and MathJax is off (no network). One
  :class:`ImageRenderer` (one browser, one tab) serves all images of an export.

**Programme status** (red / amber / green, slide 2 and the report's summary), from the EBIOS RM
target levels of the Risks sheet and the plan:

* red: at least one risk with a target level stays above it at the end of the plan;
* amber: every such risk reaches its target at the end of the plan, but measures are deferred
  or blocked (the programme will not be finished in the horizon);
* green: every risk reaches its target and every measure fits the horizon.

**Heat maps**: risks at (likelihood, severity); "now" places each risk at its residual
likelihood ``likelihood × Π(1 − e·c)`` rounded up to a whole level
(:func:`roadmap.risk.residual_likelihood`), severity unchanged.

**Trajectory in the deck**: one point per week, so that the plans share categories: the value
on the morning of each Monday of the horizon (the total residual at the end of the day before),
then at the end of the horizon's last day. The first optimised point is therefore
``analysis.risk.now`` and the last ``analysis.risk.end_of_plan``.

**Formula neutralisation** (OWASP CSV injection): a text cell beginning with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return could run as a formula when the file is opened.
:func:`neutralise` prefixes such a text with an apostrophe for CSV. In XLSX, such a text is
stored as a text cell with Excel's quote prefix (the apostrophe Excel itself shows in the
formula bar), so that it never turns into a formula, even when edited, and the plan still
re-imports to the same titles. Numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import logging
import math
import os
import re
import shutil
import threading
import unicodedata
import zipfile
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import openpyxl
import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, XPos, YPos
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Inches, Pt
from xlsxwriter import Workbook as XlsxWorkbook

from roadmap.analysis import Analysis, ProgrammeStatus, programme_status
from roadmap.charts import (
    HEAT_COLOURS,
    HEAT_TEXT,
    OKABE_ITO,
    SCENARIO_COLOURS,
    burnup,
    burnup_figure,
    chart_text,
    domain_progress,
    domain_progress_figure,
    gantt_figure,
    heat_map_figure,
    sprint_load,
    sprint_load_figure,
    trajectory_figure,
)
from roadmap.errors import ExportError, NotASpreadsheetError
from roadmap.importing.columns import PLAN_EXPORT_HEADERS, SheetLayout, measures_layout
from roadmap.importing.tables import read_tables
from roadmap.importing.values import is_formula_like, neutralise, normalize
from roadmap.models import Roadmap
from roadmap.planning.schedule import DeferredMeasure
from roadmap.risk import (
    LEVEL_LABELS,
    baseline_finish,
    completions_at,
    heat_map,
    risk_table,
    total_residual,
)
from roadmap.wording import SENTENCES, crashing_text, deferral_text

Lang = Literal["fr", "en"]

# --------------------------------------------------------------------------------------------
# Texts

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
        "crash_lead": "Pour tout terminer en {weeks} semaines, il faudrait un renfort par sprint de :",
        "crash_team": "{team} : +{extra}\u00a0j.h",
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
        "crash_lead": "To finish everything in {weeks} weeks, the teams need extra person-days per sprint:",
        "crash_team": "{team}: +{extra} person-days",
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


# --------------------------------------------------------------------------------------------
# Figures shared by every export


def weekly_trajectory(analysis: Analysis) -> pd.DataFrame:
    """Total residual risk once a week under the 3-year baseline, the naive and the optimised plan.

    Points: the morning of each Monday of the horizon (the total at the end of the day before,
    so the first point is today's status), then the end of the horizon's last day.

    Returns:
        DataFrame with columns ``date`` (datetime64), ``baseline``, ``naive`` and ``optimised``
        (float, Σ residual scores, 1–16 per risk on 4×4 scales); one row per point.
    """
    roadmap, plan = analysis.roadmap, analysis.plan
    finishes = {
        "baseline": _baseline_finish(analysis),
        "naive": analysis.naive.finish_dates(),
        "optimised": plan.finish_dates(),
    }
    points: list[tuple[dt.date, dt.date]] = []
    day = plan.start
    while day <= plan.end:
        points.append((day, day - dt.timedelta(days=1)))
        day += dt.timedelta(days=7)
    points.append((plan.end, plan.end))
    rows = [
        {"date": pd.Timestamp(label), **{name: total_residual(roadmap, at, f) for name, f in finishes.items()}}
        for label, at in points
    ]
    return pd.DataFrame(rows, columns=["date", "baseline", "naive", "optimised"])


def _baseline_finish(analysis: Analysis) -> dict[str, dt.date]:
    return baseline_finish(analysis.roadmap, start=analysis.plan.start)


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
        weeks = round(((plan.end - plan.start).days + 1) / 7)
        needs = {team: extra for team, extra in crash.extra_person_days_per_sprint.items() if extra > 0}
        if needs:
            items.append((text["crash_lead"].format(weeks=weeks), 0, True))
            items.extend(
                (text["crash_team"].format(team=team, extra=_number(extra, lang)), 1, False)
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


# --------------------------------------------------------------------------------------------
# File names, neutralisation, tables


def export_filename(analysis: Analysis, kind: str, ext: str, *, today: dt.date | None = None) -> str:
    """``rempart_<hospital>_<date>_<kind>.<ext>``, ASCII only.

    Example: ``rempart_centre-hospitalier-de-rivebelle_2026-11-30_deck.pptx``; the hospital part
    is left out when the workbook names none.

    Args:
        kind: what the file holds (``deck``, ``report``, ``plan``, a chart or table name).
        ext: extension without the dot.
        today: the export date (default today).
    """
    day = (today or dt.date.today()).isoformat()
    parts = ["rempart", _slug(analysis.roadmap.settings.establishment), day, _slug(kind)]
    return "_".join(p for p in parts if p) + "." + _slug(ext)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def tables(analysis: Analysis, *, lang: str = "fr") -> dict[str, pd.DataFrame]:
    """Every table of the exports, with headers in ``lang``.

    Returns:
        Name → DataFrame:

        * ``measures``: one row per measure (workbook order): ID, title, domain, team,
          priority, status, effort and remaining effort (person-days), sprint (Int64), planned
          start and end (datetime64), deferral reason.
        * ``deferred``: ID, title, team, priority, reason, detail.
        * ``risks``: :func:`roadmap.risk.risk_table` (scores 1–16, levels, target).
        * ``trajectory``: :func:`weekly_trajectory` (Σ residual scores).
        * ``domains``: :func:`roadmap.charts.domain_progress` (person-days, counts).
        * ``burnup``: :func:`roadmap.charts.burnup` (person-days).
        * ``sprint_load``: :func:`roadmap.charts.sprint_load` (person-days).
        * ``heat_map_inherent`` and ``heat_map_now``: :func:`roadmap.risk.heat_map`.
        * ``comparison``: cumulative exposure (risk-days) and measures done by the horizon,
          per plan.
    """
    code = _lang(lang)
    fr = code == "fr"
    roadmap, plan = analysis.roadmap, analysis.plan
    chart = chart_text(code)
    schedule = {s.id: s for s in plan.scheduled}
    deferred = {d.id: d for d in plan.deferred}
    text = _TEXT[code]
    measures = pd.DataFrame(
        [
            {
                text["id"]: m.id,
                text["measure"]: m.title,
                "Domaine" if fr else "Domain": m.domain,
                text["team"]: m.team,
                "Priorité" if fr else "Priority": str(m.priority),
                text["status_col"]: _STATUSES[code][m.status],
                "Charge (j.h)" if fr else "Effort (person-days)": m.effort_days,
                "Reste (j.h)" if fr else "Remaining (person-days)": m.remaining_effort,
                PLAN_EXPORT_HEADERS["sprint"][0 if fr else 1]: schedule[m.id].sprint if m.id in schedule else None,
                PLAN_EXPORT_HEADERS["start"][0 if fr else 1]: pd.Timestamp(schedule[m.id].start)
                if m.id in schedule
                else pd.NaT,
                PLAN_EXPORT_HEADERS["end"][0 if fr else 1]: pd.Timestamp(schedule[m.id].end)
                if m.id in schedule
                else pd.NaT,
                PLAN_EXPORT_HEADERS["reason"][0 if fr else 1]: deferral_text(deferred[m.id], roadmap, plan, lang=code)
                if m.id in deferred
                else "",
            }
            for m in roadmap.measures
        ]
    )
    measures = measures.astype({PLAN_EXPORT_HEADERS["sprint"][0 if fr else 1]: "Int64"})
    deferred_frame = pd.DataFrame(
        [
            {
                text["id"]: d.id,
                text["measure"]: roadmap.measure_by_id[d.id].title,
                text["team"]: d.team,
                "Priorité" if fr else "Priority": str(roadmap.measure_by_id[d.id].priority),
                text["reason"]: _REASONS[code][d.reason],
                "Détail" if fr else "Detail": deferral_text(d, roadmap, plan, lang=code),
            }
            for d in plan.deferred
        ],
        columns=[
            text["id"],
            text["measure"],
            text["team"],
            "Priorité" if fr else "Priority",
            text["reason"],
            "Détail" if fr else "Detail",
        ],
    )
    risks = risk_table(roadmap, horizon_end=plan.end, plan_finish=plan.finish_dates(), lang=code).rename(
        columns=_RISK_COLUMNS[code]
    )
    trajectory = weekly_trajectory(analysis).rename(
        columns={"date": chart["date"], **{k: chart[k] for k in ("baseline", "naive", "optimised")}}
    )
    domains = domain_progress(roadmap, plan).rename(columns=_DOMAIN_COLUMNS[code])
    burn = burnup(roadmap, plan).rename(columns=_BURNUP_COLUMNS[code])
    load = sprint_load(plan).rename(columns=_LOAD_COLUMNS[code])
    heat_columns = _HEAT_COLUMNS[code]
    done = analysis.done_by_horizon
    comparison = pd.DataFrame(
        [
            {
                "Plan": chart[key] if key != "optimised" else chart["optimised"],
                "Exposition cumulée (risque·jours)" if fr else "Cumulative exposure (risk-days)": analysis.exposure[
                    key
                ],
                "Mesures faites à la fin de l’horizon" if fr else "Measures done by the horizon": done[key],
            }
            for key in ("optimised", "greedy", "naive", "baseline")
        ]
    )
    return {
        "measures": measures,
        "deferred": deferred_frame,
        "risks": risks,
        "trajectory": trajectory,
        "domains": domains,
        "burnup": burn,
        "sprint_load": load,
        "heat_map_inherent": heat_map(roadmap).rename(columns=heat_columns),
        "heat_map_now": heat_map(roadmap, completions_at(roadmap, None)).rename(columns=heat_columns),
        "comparison": comparison,
    }


_RISK_COLUMNS = {
    "fr": {
        "id": "ID",
        "scenario": "Scénario",
        "likelihood": "Vraisemblance",
        "severity": "Gravité",
        "inherent": "Score initial",
        "now": "Score actuel",
        "end_of_plan": "Score en fin de plan",
        "level_now": "Niveau actuel",
        "level_end": "Niveau en fin de plan",
        "target": "Niveau cible",
        "above_target": "Au-dessus de la cible",
    },
    "en": {
        "id": "ID",
        "scenario": "Scenario",
        "likelihood": "Likelihood",
        "severity": "Severity",
        "inherent": "Inherent score",
        "now": "Score now",
        "end_of_plan": "Score at the end of the plan",
        "level_now": "Level now",
        "level_end": "Level at the end of the plan",
        "target": "Target level",
        "above_target": "Above target",
    },
}
_DOMAIN_COLUMNS = {
    "fr": {
        "domain": "Domaine",
        "done": "Réalisé (j.h)",
        "planned": "Planifié (j.h)",
        "deferred": "Reporté (j.h)",
        "measures": "Mesures",
        "measures_done": "Mesures faites",
    },
    "en": {
        "domain": "Domain",
        "done": "Done (person-days)",
        "planned": "Planned (person-days)",
        "deferred": "Deferred (person-days)",
        "measures": "Measures",
        "measures_done": "Measures done",
    },
}
_BURNUP_COLUMNS = {
    "fr": {"sprint": "Sprint", "date": "Date", "done": "Réalisé + planifié (j.h)", "scope": "Charge totale (j.h)"},
    "en": {
        "sprint": "Sprint",
        "date": "Date",
        "done": "Done + planned (person-days)",
        "scope": "Total effort (person-days)",
    },
}
_LOAD_COLUMNS = {
    "fr": {"sprint": "Sprint", "team": "Équipe", "busy": "Charge planifiée (j.h)", "capacity": "Capacité (j.h)"},
    "en": {
        "sprint": "Sprint",
        "team": "Team",
        "busy": "Planned effort (person-days)",
        "capacity": "Capacity (person-days)",
    },
}
_HEAT_COLUMNS = {
    "fr": {
        "likelihood": "Vraisemblance",
        "severity": "Gravité",
        "level": "Niveau (0–3)",
        "count": "Risques",
        "risks": "ID des risques",
    },
    "en": {
        "likelihood": "Likelihood",
        "severity": "Severity",
        "level": "Level (0–3)",
        "count": "Risks",
        "risks": "Risk IDs",
    },
}


def _cells_for_output(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, formula-like text neutralised; numbers untouched."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV: UTF-8 with a byte-order mark (Excel then reads accents right), comma
    separator, dot decimals, ISO dates, formula-like text neutralised (:func:`neutralise`)."""
    return _cells_for_output(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_json(frame: pd.DataFrame) -> bytes:
    """A table as a UTF-8 JSON array of objects (one per row, keys = headers, ISO dates, ``null``
    for missing values)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out.to_json(orient="records", force_ascii=False, indent=2).encode("utf-8")


def archive(files: Mapping[str, bytes]) -> bytes:
    """A ZIP archive of ``files`` (name → bytes), for a single download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in files.items():
            bundle.writestr(name, data)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Chart images (kaleido)

_T = TypeVar("_T")


def browser_path() -> str:
    """The Chromium that renders chart images: ``BROWSER_PATH`` when set, else Debian's
    ``/usr/bin/chromium``, else ``chromium``/``chromium-browser`` on ``PATH``.

    Raises:
        ExportError: none is found.
    """
    candidates = [os.environ.get("BROWSER_PATH", ""), "/usr/bin/chromium"]
    candidates += [shutil.which(name) or "" for name in ("chromium", "chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ExportError(
        "chart images need Chromium, which is not installed: run scripts/install-system-deps.sh "
        "(apt-get install chromium) or set BROWSER_PATH to a Chrome or Chromium executable"
    )


def _quiet_ignored_browser_messages(record: logging.LogRecord) -> bool:
    """choreographer logs, with a full traceback, a Chromium message it cannot decode and then
    ignores (it happens when the browser closes); a person would take it for a crash."""
    return not str(record.msg).startswith("JSONError decoding message")


class ImageRenderer:
    """One headless Chromium, driven by kaleido, that renders plotly figures to PNG or SVG.

    Starting the browser takes a few seconds; each image afterwards a fraction of a second, so
    one renderer serves every image of an export (and the app may keep one for its lifetime).
    The browser runs in a private event loop on a daemon thread; :meth:`render` is thread-safe.
    Use it as a context manager, or call :meth:`close`.

    Raises:
        ExportError: Chromium is missing or does not start.
    """

    def __init__(self, *, timeout: float = 60.0) -> None:
        import kaleido  # imported here: it starts nothing, but pulls in choreographer and logistro

        path = browser_path()
        pipe_log = logging.getLogger("choreographer.channels.pipe")
        if _quiet_ignored_browser_messages not in pipe_log.filters:
            pipe_log.addFilter(_quiet_ignored_browser_messages)
        self._timeout = timeout
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="rempart-kaleido", daemon=True)
        self._thread.start()

        async def open_browser() -> Any:
            browser = kaleido.Kaleido(n=1, timeout=timeout, mathjax=False, path=path)
            await browser.open()
            return browser

        try:
            self._kaleido = self._call(open_browser())
        except ExportError:
            self._stop_loop()
            raise

    def _call(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        from kaleido.errors import KaleidoError

        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=self._timeout + 10)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ExportError(f"chart rendering took more than {self._timeout + 10:g} s; try again") from None
        except (KaleidoError, RuntimeError, OSError, ValueError, TypeError) as exc:
            raise ExportError(f"Chromium could not render a chart ({type(exc).__name__}: {exc})") from exc

    def render(self, figure: go.Figure, *, fmt: str = "png", width: int = 1100, scale: float = 2.0) -> bytes:
        """The figure as PNG or SVG bytes.

        Args:
            fmt: ``png`` or ``svg``.
            width: in CSS pixels; the height is the figure's own (``layout.height``, else 480).
            scale: pixel density of a PNG (2 = sharp on paper and on high-DPI screens).
        """
        if fmt not in ("png", "svg"):
            raise ExportError(f"unknown image format {fmt!r}: use png or svg")
        height = int(figure.layout.height or 480)
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        with self._lock:
            return bytes(self._call(self._kaleido.calc_fig(figure, opts=opts)))

    def close(self) -> None:
        """Close the browser and stop the event loop (idempotent)."""
        if not self._thread.is_alive():
            return
        try:
            self._call(self._kaleido.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def __enter__(self) -> ImageRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _renderer(given: ImageRenderer | None) -> Iterator[ImageRenderer]:
    if given is not None:
        yield given
        return
    with ImageRenderer() as renderer:
        yield renderer


def chart_figures(analysis: Analysis, *, lang: str = "fr") -> dict[str, go.Figure]:
    """Every chart of :mod:`roadmap.charts` for this analysis, by name: ``trajectory`` (3-year
    baseline, naive and optimised plans), ``domain_progress``, ``burnup``, ``sprint_load``,
    ``gantt``, ``heat_map_inherent`` and ``heat_map_now``."""
    code = _lang(lang)
    roadmap, plan = analysis.roadmap, analysis.plan
    shown = analysis.trajectory[analysis.trajectory["scenario"] != "greedy"]
    return {
        "trajectory": trajectory_figure(shown, lang=code),
        "domain_progress": domain_progress_figure(roadmap, plan, lang=code),
        "burnup": burnup_figure(roadmap, plan, lang=code),
        "sprint_load": sprint_load_figure(plan, lang=code),
        "gantt": gantt_figure(roadmap, plan, lang=code),
        "heat_map_inherent": heat_map_figure(heat_map(roadmap), when="inherent", lang=code),
        "heat_map_now": heat_map_figure(heat_map(roadmap, completions_at(roadmap, None)), when="now", lang=code),
    }


def chart_images(
    analysis: Analysis,
    *,
    lang: str = "fr",
    fmt: str = "png",
    today: dt.date | None = None,
    renderer: ImageRenderer | None = None,
) -> dict[str, bytes]:
    """Every chart (:func:`chart_figures`) as an image.

    Args:
        fmt: ``png`` (1100 px wide at scale 2) or ``svg``.
        today: the date in the file names (default today).
        renderer: a running :class:`ImageRenderer` to reuse; default one for this call.

    Returns:
        File name (:func:`export_filename`, kind = the chart's name) → image bytes.

    Raises:
        ExportError: Chromium is missing or fails.
    """
    figures = chart_figures(analysis, lang=lang)
    with _renderer(renderer) as images:
        return {
            export_filename(analysis, name, fmt, today=today): images.render(figure, fmt=fmt)
            for name, figure in figures.items()
        }


# --------------------------------------------------------------------------------------------
# PPTX deck

_NAVY = RGBColor(0x1F, 0x3A, 0x5F)
_GREY = RGBColor(0x59, 0x59, 0x59)
_LIGHT = RGBColor(0xF2, 0xF4, 0xF7)
_WHITE = RGBColor(0xFF, 0xFF, 0xFF)
_BLACK = RGBColor(0, 0, 0)
_STATUS_FILL = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00"}
"""Okabe–Ito green, orange and vermillion; the status is also written as a word."""
_FONT = "Arial"
_SLIDE_W, _SLIDE_H = 13.333, 7.5  # inches, 16:9
_MARGIN = 0.5
_CONTENT_TOP = 1.3
_CONTENT_BOTTOM = 6.95
_BODY = 16
_TABLE = 14
_TABLE_TOP = 1.2
_TABLE_BUDGET = _CONTENT_BOTTOM - _TABLE_TOP - 0.5
"""Inches left for the body rows of a full-slide table (its header row takes 0.45 in)."""
_CHAR_EM = 0.52
"""Average width of a character of French text in Arial, in em (measured: 0.51), for wrapping
estimates."""


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _lines(text: str, width_in: float, size_pt: float) -> int:
    """Lines a text takes in a column ``width_in`` inches wide (estimate, per paragraph)."""
    per_line = max(1, int(width_in * 72 / (size_pt * _CHAR_EM)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _row_height(row: Sequence[str], widths: Sequence[float], size: float) -> float:
    """Height in inches of a table row: lines 1.2 × the font size apart plus the cell margins
    (0.04 in top and bottom), as PowerPoint and LibreOffice render Arial; 0.16 in of each
    column goes to its side margins."""
    lines = max(_lines(text, width - 0.16, size) for text, width in zip(row, widths, strict=True))
    return lines * size * 1.2 / 72 + 0.08


def _paginate(rows: Sequence[Sequence[str]], widths: Sequence[float], size: float, budget: float) -> list[list[Any]]:
    pages: list[list[Any]] = []
    page: list[Any] = []
    used = 0.0
    for row in rows:
        height = _row_height(row, widths, size)
        if page and used + height > budget:
            pages.append(page)
            page, used = [], 0.0
        page.append(row)
        used += height
    if page or not pages:
        pages.append(page)
    return pages


class _TextSafeWorkbookWriter(CategoryWorkbookWriter):  # type: ignore[misc]
    """python-pptx's writer of a chart's embedded workbook, with XlsxWriter's
    ``strings_to_formulas`` off: a domain or team named ``=HYPERLINK(…)`` stays text when the
    board's staff open the chart data in Excel."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Any, Any]]:
        workbook = XlsxWorkbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _ChartData(CategoryChartData):  # type: ignore[misc]
    """Category chart data whose embedded workbook never turns text into formulas."""

    @property
    def _workbook_writer(self) -> _TextSafeWorkbookWriter:
        return _TextSafeWorkbookWriter(self)


class _Deck:
    """A 16:9 presentation laid out by hand on the blank layout."""

    def __init__(self, lang: Lang, hospital: str, day: dt.date) -> None:
        self.lang = lang
        self.text = _TEXT[lang]
        self.prs = Presentation()
        self.prs.slide_width = Inches(_SLIDE_W)
        self.prs.slide_height = Inches(_SLIDE_H)
        self.footer = self.text["footer"].format(hospital=hospital, date=_day(day, lang))
        self.prs.core_properties.title = f"{hospital} — {self.text['subtitle']}"
        self.prs.core_properties.author = "Rempart"
        self.prs.core_properties.language = "fr-FR" if lang == "fr" else "en-GB"

    def blank(self) -> Slide:
        return self.prs.slides.add_slide(self.prs.slide_layouts[6])

    def slide(self, title: str, notes: str = "") -> Slide:
        """A content slide: navy title bar, footer with the page number, speaker notes."""
        slide = self.blank()
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, self.prs.slide_width, Inches(1.0))
        bar.fill.solid()
        bar.fill.fore_color.rgb = _NAVY
        bar.line.fill.background()
        bar.shadow.inherit = False
        self.text_box(slide, _MARGIN, 0.12, _SLIDE_W - 2 * _MARGIN, 0.8, title, size=28, bold=True, colour=_WHITE)
        bar_text = slide.shapes[-1]
        bar_text.name = "Title"
        number = len(self.prs.slides)
        self.text_box(slide, _MARGIN, 7.05, 10, 0.35, self.footer, size=11, colour=_GREY)
        self.text_box(slide, _SLIDE_W - _MARGIN - 1.5, 7.05, 1.5, 0.35, str(number), size=11, colour=_GREY)
        slide.shapes[-1].text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        return slide

    def text_box(
        self,
        slide: Slide,
        left: float,
        top: float,
        width: float,
        height: float,
        paragraphs: str | Sequence[str | tuple[str, float, bool]],
        *,
        size: float = _BODY,
        bold: bool = False,
        colour: RGBColor = _BLACK,
        align: PP_ALIGN | None = None,
        anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
        space_after: float = 0,
    ) -> None:
        """A text box; ``paragraphs`` are texts or (text, size, bold) triples."""
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = anchor
        frame.margin_left = frame.margin_right = Inches(0.05)
        items = [paragraphs] if isinstance(paragraphs, str) else list(paragraphs)
        for n, item in enumerate(items):
            text, item_size, item_bold = (item, size, bold) if isinstance(item, str) else item
            paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            if align is not None:
                paragraph.alignment = align
            paragraph.space_after = Pt(space_after)
            run = paragraph.add_run()
            run.text = text
            run.font.size = Pt(item_size)
            run.font.bold = item_bold
            run.font.name = _FONT
            run.font.color.rgb = colour

    def table(
        self,
        slide: Slide,
        left: float,
        top: float,
        widths: Sequence[float],
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        size: float = _TABLE,
        fills: Mapping[tuple[int, int], tuple[str, str]] | None = None,
        align: Sequence[PP_ALIGN] | None = None,
        row_height: float = 0.0,
    ) -> None:
        """A table: navy header, light banding; ``fills`` maps (row, column) of the body to a
        (fill, text colour) pair overriding the banding."""
        fills = fills or {}
        shape = slide.shapes.add_table(
            len(rows) + 1,
            len(widths),
            Inches(left),
            Inches(top),
            Inches(sum(widths)),
            Inches(0.4 * (len(rows) + 1)),
        )
        table = shape.table
        table.first_row = True
        table.horz_banding = False
        for n, width in enumerate(widths):
            table.columns[n].width = Inches(width)
        for r, values in enumerate([header, *rows]):
            # a row height is a minimum: PowerPoint and LibreOffice grow rows to fit their text
            table.rows[r].height = Inches(max(row_height, size * 1.2 / 72 + 0.08) if r else 0.45)
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.margin_left = cell.margin_right = Inches(0.08)
                cell.margin_top = cell.margin_bottom = Inches(0.04)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                fill, ink = (
                    (_NAVY, _WHITE)
                    if r == 0
                    else tuple(_rgb(x) for x in fills[(r - 1, c)])
                    if (r - 1, c) in fills
                    else (_LIGHT if r % 2 == 0 else _WHITE, _BLACK)
                )
                cell.fill.solid()
                cell.fill.fore_color.rgb = fill
                frame = cell.text_frame
                frame.word_wrap = True
                for k, line in enumerate(str(value).split("\n")):
                    paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
                    if align is not None:
                        paragraph.alignment = align[c]
                    run = paragraph.add_run()
                    run.text = line
                    run.font.size = Pt(size + 2 if r and fills and k == 0 and len(str(value).split("\n")) > 1 else size)
                    run.font.bold = r == 0 or (bool(fills) and k == 0 and "\n" in str(value))
                    run.font.name = _FONT
                    run.font.color.rgb = ink

    def chart(
        self,
        slide: Slide,
        kind: Any,
        left: float,
        top: float,
        width: float,
        height: float,
        data: CategoryChartData,
        *,
        colours: Sequence[str],
        value_title: str = "",
        legend: bool = True,
        number_format: str = "0",
    ) -> Chart:
        """A native chart with Arial 14 pt text, a bottom legend and the series colours given."""
        frame = slide.shapes.add_chart(kind, Inches(left), Inches(top), Inches(width), Inches(height), data)
        chart = frame.chart
        chart.font.size = Pt(14)
        chart.font.name = _FONT
        chart.has_legend = legend
        if legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(14)
        value_axis = chart.value_axis
        value_axis.has_major_gridlines = True
        value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xD9, 0xD9)
        value_axis.tick_labels.number_format = number_format
        value_axis.tick_labels.number_format_is_linked = False
        if value_title:
            value_axis.has_title = True
            value_axis.axis_title.text_frame.text = value_title
            title_run = value_axis.axis_title.text_frame.paragraphs[0].runs[0]
            title_run.font.size = Pt(14)
            title_run.font.bold = False
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        for series, colour in zip(chart.series, colours, strict=False):
            fmt = series.format
            if kind in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS):
                fmt.line.color.rgb = _rgb(colour)
                fmt.line.width = Pt(3)
                series.smooth = False
            else:
                fmt.fill.solid()
                fmt.fill.fore_color.rgb = _rgb(colour)
        return chart


def build_deck(analysis: Analysis, *, lang: str = "fr", today: dt.date | None = None) -> bytes:
    """The board deck: a 16:9 PPTX with native, editable charts (PRODUCT.md §7).

    Slides: title; executive summary (status and three key figures); residual-risk trajectory
    (line chart, weekly points of :func:`weekly_trajectory`); progress (stacked bars of
    :func:`roadmap.charts.domain_progress` and the burn-up of :func:`roadmap.charts.burnup`);
    heat maps before / now (tables); sprint plan (stacked columns of
    :func:`roadmap.charts.sprint_load` and a table per team); decisions needed; deferred or
    blocked measures (as many slides as needed); appendix: the measure list, about 15 rows a
    slide. Chart slides carry the chart's one-line reading in their speaker notes.

    Args:
        lang: ``fr`` or ``en``.
        today: the date on the title slide and in the footers (default today).

    Returns:
        The ``.pptx`` file's bytes.

    Raises:
        ExportError: unknown language.
    """
    code = _lang(lang)
    day = today or dt.date.today()
    roadmap = analysis.roadmap
    hospital = _hospital(roadmap, code)
    deck = _Deck(code, hospital, day)
    readings = _readings(analysis, code)
    _title_slide(deck, hospital, day)
    _summary_slide(deck, analysis)
    _trajectory_slide(deck, analysis, readings["trajectory"])
    _progress_slide(deck, analysis, readings["domains"] + " " + readings["burnup"])
    _heat_slide(deck, analysis, readings["heat"])
    _sprint_slide(deck, analysis, readings["sprints"])
    _decisions_slide(deck, analysis)
    _deferred_slides(deck, analysis)
    _appendix_slides(deck, analysis)
    buffer = io.BytesIO()
    deck.prs.save(buffer)
    return buffer.getvalue()


def _title_slide(deck: _Deck, hospital: str, day: dt.date) -> None:
    slide = deck.blank()
    background = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, deck.prs.slide_width, deck.prs.slide_height)
    background.fill.solid()
    background.fill.fore_color.rgb = _NAVY
    background.line.fill.background()
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(1.0), Inches(4.3), Inches(2.0), Inches(0.08))
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(OKABE_ITO[1])
    band.line.fill.background()
    deck.text_box(slide, 1.0, 1.9, 11.3, 1.5, hospital, size=40, bold=True, colour=_WHITE, anchor=MSO_ANCHOR.BOTTOM)
    slide.shapes[-1].name = "Title"
    deck.text_box(slide, 1.0, 3.5, 11.3, 0.7, deck.text["subtitle"], size=28, colour=_WHITE)
    deck.text_box(slide, 1.0, 4.6, 11.3, 0.6, _day(day, deck.lang, "long"), size=20, colour=_WHITE)


def _summary_slide(deck: _Deck, analysis: Analysis) -> None:
    text, lang = deck.text, deck.lang
    plan, risk = analysis.plan, analysis.risk
    status = programme_status(analysis)
    slide = deck.slide(text["summary"])
    box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(_MARGIN), Inches(1.4), Inches(3.6), Inches(2.3))
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(_STATUS_FILL[status.colour])
    box.line.fill.background()
    box.shadow.inherit = False
    deck.text_box(
        slide,
        _MARGIN,
        1.4,
        3.6,
        2.3,
        [(text["status"], 16, False), (text[status.colour], 40, True)],
        align=PP_ALIGN.CENTER,
        anchor=MSO_ANCHOR.MIDDLE,
    )
    why = {
        "green": text["why_green"],
        "amber": text["why_amber"].format(n=len(status.deferred)),
        "red": text["why_red"].format(n=len(status.above_target), ids=", ".join(status.above_target)),
    }[status.colour]
    horizon = text["horizon"].format(
        start=_day(plan.start, lang), end=_day(plan.end, lang), sprints=len(plan.sprints), days=len(plan.days)
    )
    deck.text_box(
        slide,
        4.4,
        1.4,
        _SLIDE_W - 4.4 - _MARGIN,
        2.3,
        [(why, 20, True), (horizon, 16, False), (text["rule"], 14, False)],
        space_after=8,
    )
    blocked = len(status.blocked)
    cards = [
        (
            text["fig_risk"],
            _number(risk.now, lang),
            text["fig_risk_detail"].format(inherent=_number(risk.inherent, lang), end=_number(risk.end_of_plan, lang)),
        ),
        (
            text["fig_done"],
            f"{analysis.measures_done} / {analysis.measures_counted}",
            text["fig_done_detail"].format(pct=_percent(analysis.effort_done_share, lang)),
        ),
        (
            text["fig_deferred"],
            str(len(plan.deferred)),
            text["fig_deferred_detail"].format(blocked=blocked),
        ),
    ]
    width = (_SLIDE_W - 2 * _MARGIN - 2 * 0.3) / 3
    for n, (label, value, detail) in enumerate(cards):
        left = _MARGIN + n * (width + 0.3)
        card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(4.1), Inches(width), Inches(2.6))
        card.fill.solid()
        card.fill.fore_color.rgb = _LIGHT
        card.line.color.rgb = RGBColor(0xD0, 0xD5, 0xDD)
        card.shadow.inherit = False
        deck.text_box(
            slide,
            left + 0.15,
            4.2,
            width - 0.3,
            2.4,
            [(label, 18, False), (value, 44, True), (detail, 16, False)],
            colour=_NAVY,
            space_after=4,
        )


def _trajectory_slide(deck: _Deck, analysis: Analysis, reading: str) -> None:
    text = deck.text
    chart_labels = chart_text(deck.lang)
    weekly = weekly_trajectory(analysis)
    data = _ChartData(number_format="0.0")
    data.categories = [d.date() for d in weekly["date"]]
    data.categories.number_format = "dd/mm"
    for key in ("baseline", "naive", "optimised"):
        data.add_series(chart_labels[key], [round(float(v), 4) for v in weekly[key]])
    slide = deck.slide(text["trajectory"], notes=reading)
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE,
        _MARGIN,
        _CONTENT_TOP,
        _SLIDE_W - 2 * _MARGIN,
        4.7,
        data,
        colours=[SCENARIO_COLOURS[k] for k in ("baseline", "naive", "optimised")],
        value_title=text["trajectory_axis"],
    )
    chart.value_axis.minimum_scale = 0
    chart.series[1].format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    axis = chart.category_axis
    axis.tick_labels.number_format = "dd/mm"
    axis.tick_labels.number_format_is_linked = False
    _weekly_ticks(axis)
    deck.text_box(slide, _MARGIN, 6.05, _SLIDE_W - 2 * _MARGIN, 0.9, [reading, (text["trajectory_note"], 14, False)])


def _weekly_ticks(axis: Any) -> None:
    """One label a week on a date axis (PowerPoint's default is crowded daily labels)."""
    element = axis._element
    base = element.find(qn("c:baseTimeUnit"))
    for tag, value in (("c:majorTimeUnit", "days"), ("c:majorUnit", "7")):
        child = OxmlElement(tag)
        child.set("val", value)
        if base is not None:
            base.addnext(child)
        else:
            element.append(child)


def _progress_slide(deck: _Deck, analysis: Analysis, reading: str) -> None:
    text = deck.text
    chart_labels = chart_text(deck.lang)
    roadmap, plan = analysis.roadmap, analysis.plan
    domains = domain_progress(roadmap, plan)
    slide = deck.slide(text["progress"], notes=reading)
    data = _ChartData(number_format="0.0")
    data.categories = list(domains["domain"])
    for key in ("done", "planned", "deferred"):
        data.add_series(chart_labels[key], [round(float(v), 4) for v in domains[key]])
    half = (_SLIDE_W - 2 * _MARGIN - 0.3) / 2
    deck.text_box(slide, _MARGIN, 1.15, half, 0.45, text["domains"], size=18, bold=True, colour=_NAVY)
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.BAR_STACKED,
        _MARGIN,
        1.6,
        half,
        4.5,
        data,
        colours=[OKABE_ITO[2], OKABE_ITO[0], OKABE_ITO[1]],
    )
    chart.category_axis.reverse_order = True
    # the value axis crosses the reversed categories at their maximum, i.e. stays at the bottom
    chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
    chart.plots[0].gap_width = 40
    chart.plots[0].overlap = 100
    burn = burnup(roadmap, plan)
    data = _ChartData(number_format="0.0")
    data.categories = [chart_labels["start"] if n == 0 else f"S{n}" for n in burn["sprint"]]
    data.add_series(chart_labels["burnup_done"], [round(float(v), 4) for v in burn["done"]])
    data.add_series(chart_labels["burnup_scope"], [round(float(v), 4) for v in burn["scope"]])
    left = _MARGIN + half + 0.3
    deck.text_box(slide, left, 1.15, half, 0.45, text["burnup"], size=18, bold=True, colour=_NAVY)
    chart = deck.chart(slide, XL_CHART_TYPE.LINE_MARKERS, left, 1.6, half, 4.5, data, colours=[OKABE_ITO[0], "#555555"])
    chart.value_axis.minimum_scale = 0
    chart.series[1].format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    chart.series[1].format.line.width = Pt(2)
    deck.text_box(slide, _MARGIN, 6.2, _SLIDE_W - 2 * _MARGIN, 0.8, reading, size=14)


def _heat_slide(deck: _Deck, analysis: Analysis, reading: str) -> None:
    text = deck.text
    roadmap = analysis.roadmap
    slide = deck.slide(text["heat"], notes=reading)
    widths = [0.7] + [1.3] * roadmap.settings.severity_scale
    gap = _SLIDE_W - 2 * _MARGIN - 2 * sum(widths)
    for n, (title, cells) in enumerate(
        (
            (text["heat_before"], heat_map(roadmap)),
            (text["heat_now"], heat_map(roadmap, completions_at(roadmap, None))),
        )
    ):
        left = _MARGIN + n * (sum(widths) + gap)
        deck.text_box(slide, left, 1.15, sum(widths), 0.45, title, size=18, bold=True, colour=_NAVY)
        header = [""] + [f"G{g}" for g in range(1, roadmap.settings.severity_scale + 1)]
        rows: list[list[str]] = []
        fills: dict[tuple[int, int], tuple[str, str]] = {}
        for r, likelihood in enumerate(range(roadmap.settings.likelihood_scale, 0, -1)):
            row = [f"V{likelihood}"]
            for c, cell in enumerate(cells[cells["likelihood"] == likelihood].to_dict("records"), start=1):
                count, level = int(cell["count"]), int(cell["level"])
                row.append(f"{count}\n{cell['risks']}" if count else "")
                fills[(r, c)] = (HEAT_COLOURS[level], HEAT_TEXT[level])
            fills[(r, 0)] = ("#1F3A5F", "#FFFFFF")
            rows.append(row)
        deck.table(
            slide,
            left,
            1.65,
            widths,
            header,
            rows,
            fills=fills,
            align=[PP_ALIGN.CENTER] * len(widths),
            row_height=0.8,
        )
    names = LEVEL_LABELS[deck.lang]
    for level, name in enumerate(names):
        left = _MARGIN + level * 1.9
        swatch = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(6.05), Inches(0.3), Inches(0.3))
        swatch.fill.solid()
        swatch.fill.fore_color.rgb = _rgb(HEAT_COLOURS[level])
        swatch.line.color.rgb = _GREY
        deck.text_box(slide, left + 0.35, 6.0, 1.5, 0.4, name, size=14)
    deck.text_box(slide, 8.1, 5.95, _SLIDE_W - 8.1 - _MARGIN, 0.5, text["heat_scales"], size=14)
    deck.text_box(slide, _MARGIN, 6.45, _SLIDE_W - 2 * _MARGIN, 0.55, text["heat_method"], size=14)


def _sprint_slide(deck: _Deck, analysis: Analysis, reading: str) -> None:
    text, lang = deck.text, deck.lang
    plan = analysis.plan
    load = sprint_load(plan)
    slide = deck.slide(text["sprints"], notes=reading)
    data = _ChartData(number_format="0.0")
    data.categories = [f"S{s.index} ({s.start:%d/%m})" for s in plan.sprints]
    teams = list(dict.fromkeys(load["team"]))
    for team in teams:
        data.add_series(team, [round(float(v), 4) for v in load.loc[load["team"] == team, "busy"]])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.COLUMN_STACKED,
        _MARGIN,
        _CONTENT_TOP,
        6.9,
        4.8,
        data,
        colours=[OKABE_ITO[n % len(OKABE_ITO)] for n in range(len(teams))],
        value_title=text["sprints_axis"],
    )
    chart.plots[0].gap_width = 50
    chart.plots[0].overlap = 100
    totals = load.groupby("team", sort=False)[["busy", "capacity"]].sum()
    rows = [
        [team, _number(float(row.busy), lang, 0), _number(float(row.capacity), lang, 0)]
        for team, row in totals.iterrows()
    ]
    deck.table(
        slide,
        7.63,
        _CONTENT_TOP + 0.2,
        [2.6, 1.3, 1.3],
        [text["team"], text["planned_pd"], text["capacity_pd"]],
        [[str(c) for c in r] for r in rows],
        align=[PP_ALIGN.LEFT, PP_ALIGN.RIGHT, PP_ALIGN.RIGHT],
    )
    deck.text_box(slide, _MARGIN, 6.2, _SLIDE_W - 2 * _MARGIN, 0.8, reading, size=14)


def _decisions_slide(deck: _Deck, analysis: Analysis) -> None:
    slide = deck.slide(deck.text["decisions"])
    items = _decision_items(analysis, deck.lang)
    size = 18 if sum(_lines(t, 11.5, 18) for t, _, _ in items) <= 14 else 16
    box = slide.shapes.add_textbox(
        Inches(_MARGIN), Inches(_CONTENT_TOP), Inches(_SLIDE_W - 2 * _MARGIN), Inches(_CONTENT_BOTTOM - _CONTENT_TOP)
    )
    frame = box.text_frame
    frame.word_wrap = True
    for n, (line, level, bold) in enumerate(items):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        properties = paragraph._p.get_or_add_pPr()
        properties.set("marL", str(Inches(0.35 + 0.45 * level)))
        properties.set("indent", str(-Inches(0.3)))
        paragraph.space_before = Pt(10 if level == 0 and n else 2)
        run = paragraph.add_run()
        run.text = ("•" if level == 0 else "–") + "\t" + line
        run.font.size = Pt(size if level == 0 else size - 2)
        run.font.bold = bold
        run.font.name = _FONT


_DEFERRED_WIDTHS = (1.15, 5.5, 2.7, 2.98)
_APPENDIX_WIDTHS = (0.95, 5.75, 2.6, 1.1, 0.8, 1.13)
_APPENDIX_SIZE = 12
"""The appendix is reference material: 12 pt lets about 13 measures fit on a slide."""


def _deferred_slides(deck: _Deck, analysis: Analysis) -> None:
    text = deck.text
    roadmap, plan = analysis.roadmap, analysis.plan
    if not plan.deferred:
        return
    rows = [
        [d.id, roadmap.measure_by_id[d.id].title, d.team, _short_reason(d, roadmap, deck.lang)] for d in plan.deferred
    ]
    pages = _paginate(rows, _DEFERRED_WIDTHS, _TABLE, _TABLE_BUDGET)
    for n, page in enumerate(pages, start=1):
        title = text["deferred"] + (f" ({n}/{len(pages)})" if len(pages) > 1 else "")
        slide = deck.slide(title)
        deck.table(
            slide,
            _MARGIN,
            _TABLE_TOP,
            _DEFERRED_WIDTHS,
            [text["id"], text["measure"], text["team"], text["reason"]],
            page,
        )


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


def _appendix_slides(deck: _Deck, analysis: Analysis) -> None:
    text = deck.text
    rows = _appendix_rows(analysis, deck.lang)
    widths = _APPENDIX_WIDTHS
    pages = _paginate(rows, widths, _APPENDIX_SIZE, _TABLE_BUDGET)
    for n, page in enumerate(pages, start=1):
        slide = deck.slide(f"{text['appendix']} ({n}/{len(pages)})")
        deck.table(
            slide,
            _MARGIN,
            _TABLE_TOP,
            widths,
            [text["id"], text["measure"], text["team"], text["status_col"], text["sprint"], text["end"]],
            page,
            size=_APPENDIX_SIZE,
        )


def deck_outline(data: bytes) -> list[str]:
    """The title of each slide of a deck built by :func:`build_deck` (for previews).

    Raises:
        ExportError: the bytes are not a PPTX file.
    """
    try:
        prs = Presentation(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExportError(f"not a PPTX file ({exc})") from exc
    titles = []
    for slide in prs.slides:
        named = [s for s in slide.shapes if s.name == "Title" and s.has_text_frame]
        titles.append(named[0].text_frame.text if named else "")
    return titles


# --------------------------------------------------------------------------------------------
# PDF report

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)


def _font_files() -> tuple[Path, Path]:
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    raise ExportError(
        "the PDF report needs the DejaVu Sans font: install it with scripts/install-system-deps.sh "
        "(apt-get install fonts-dejavu-core)"
    )


def _rgb_tuple(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


class _Report(FPDF):
    """A4 portrait, DejaVu Sans, a running footer with the page number."""

    def __init__(self, footer: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer
        regular, bold = _font_files()
        self.add_font("DejaVu", "", str(regular))
        self.add_font("DejaVu", "B", str(bold))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_font("DejaVu", size=10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(89, 89, 89)
        self.cell(0, 5, f"{self.footer_text} — {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 15) -> None:
        self.set_font("DejaVu", "B", size)
        self.set_text_color(31, 58, 95)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_font("DejaVu", size=10)
        self.ln(2)

    def paragraph(self, text: str, size: float = 10, bold: bool = False, indent: float = 0) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", size=10)
        self.ln(1.5)

    def picture(self, png: bytes, *, width: float = 180) -> None:
        self.image(io.BytesIO(png), w=width, x=self.l_margin + (self.epw - width) / 2)
        self.ln(2)

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        size: float = 8.5,
        fills: Mapping[tuple[int, int], tuple[str, str]] | None = None,
        align: str | Sequence[str] = "LEFT",
        min_row_height: float | None = None,
    ) -> None:
        fills = fills or {}
        self.set_font("DejaVu", size=size)
        self.set_fill_color(255, 255, 255)  # fpdf2 gives unbanded cells the current fill colour
        heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=(31, 58, 95))
        with self.table(
            col_widths=tuple(widths),
            width=sum(widths),
            align="LEFT",
            text_align=align if isinstance(align, str) else tuple(align),
            line_height=size * 0.5,
            headings_style=heading,
            cell_fill_color=(242, 244, 247),
            cell_fill_mode=TableCellFillMode.ROWS,
            repeat_headings=1,
            padding=1.2,
            min_row_height=min_row_height,
        ) as table:
            head = table.row()
            for value in header:
                head.cell(value)
            for r, values in enumerate(rows):
                row = table.row()
                for c, value in enumerate(values):
                    if (r, c) in fills:
                        fill, ink = fills[(r, c)]
                        row.cell(value, style=FontFace(color=_rgb_tuple(ink), fill_color=_rgb_tuple(fill)))
                    else:
                        row.cell(value)
        self.set_font("DejaVu", size=10)
        self.ln(3)


def build_pdf(
    analysis: Analysis, *, lang: str = "fr", today: dt.date | None = None, renderer: ImageRenderer | None = None
) -> bytes:
    """The PDF report: the deck's content on A4 portrait pages.

    Summary (status, key figures, decisions), residual-risk trajectory, progress by domain and
    burn-up, heat maps before / now (tables), sprint plan (team load, Gantt chart), deferred or
    blocked measures, appendix with every measure. Charts are PNG images of
    :mod:`roadmap.charts` figures rendered by one :class:`ImageRenderer`.

    Args:
        lang: ``fr`` or ``en``.
        today: the date of the report (default today).
        renderer: a running renderer to reuse; by default one is started for this report.

    Returns:
        The ``.pdf`` file's bytes.

    Raises:
        ExportError: unknown language, the DejaVu font or Chromium is missing, a chart fails.
    """
    code = _lang(lang)
    text = _TEXT[code]
    day = today or dt.date.today()
    roadmap, plan = analysis.roadmap, analysis.plan
    hospital = _hospital(roadmap, code)
    readings = _readings(analysis, code)
    figures = chart_figures(analysis, lang=code)
    names = ("trajectory", "domain_progress", "burnup", "sprint_load", "gantt")
    for name in names:  # the report gives each chart a heading, and its reading as text
        figures[name].update_layout(title=None, margin={"t": 30}, font={"size": 15})
    figures["gantt"].update_yaxes(tickfont={"size": 11})
    with _renderer(renderer) as images:
        png = {name: images.render(figures[name], width=900) for name in names}
    pdf = _Report(text["footer"].format(hospital=hospital, date=_day(day, code)))
    pdf.set_title(f"{hospital} — {text['subtitle']}")
    pdf.set_author("Rempart")
    pdf.set_lang("fr-FR" if code == "fr" else "en-GB")
    pdf.set_creation_date(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC))
    pdf.add_page()
    _pdf_summary(pdf, analysis, code, hospital, day)

    pdf.add_page()
    pdf.heading(text["trajectory"])
    pdf.picture(png["trajectory"])
    pdf.paragraph(readings["trajectory"] + " " + text["trajectory_note"])
    pdf.heading(text["domains"], 13)
    pdf.picture(png["domain_progress"], width=170)
    pdf.paragraph(readings["domains"])

    pdf.add_page()
    pdf.heading(text["burnup"], 13)
    pdf.picture(png["burnup"])
    pdf.paragraph(readings["burnup"])
    pdf.heading(text["heat"], 13)
    _pdf_heat_maps(pdf, roadmap, code)
    pdf.paragraph(readings["heat"])
    pdf.paragraph(text["heat_scales"] + " " + text["heat_method"], size=9)

    pdf.add_page()
    pdf.heading(text["sprints"])
    pdf.picture(png["sprint_load"])
    pdf.paragraph(readings["sprints"])
    load = sprint_load(plan).groupby("team", sort=False)[["busy", "capacity"]].sum()
    pdf.grid(
        [text["team"], text["planned_pd"], text["capacity_pd"]],
        [
            [str(team), _number(float(row.busy), code, 0), _number(float(row.capacity), code, 0)]
            for team, row in load.iterrows()
        ],
        [70, 35, 35],
        size=10,
        align=("LEFT", "RIGHT", "RIGHT"),
    )
    pdf.add_page()
    pdf.heading(chart_text(code)["gantt"], 13)
    pdf.picture(png["gantt"])

    if plan.deferred:
        pdf.add_page()
        pdf.heading(text["deferred"])
        pdf.grid(
            [text["id"], text["measure"], text["team"], text["reason"]],
            [
                [d.id, roadmap.measure_by_id[d.id].title, d.team, deferral_text(d, roadmap, plan, lang=code)]
                for d in plan.deferred
            ],
            [18, 62, 38, 62],
        )
    pdf.add_page()
    pdf.heading(text["appendix"])
    pdf.grid(
        [text["id"], text["measure"], text["team"], text["status_col"], text["sprint"], text["end"]],
        _appendix_rows(analysis, code),
        [17, 71, 36, 22, 13, 21],
    )
    return bytes(pdf.output())


def _pdf_summary(pdf: _Report, analysis: Analysis, lang: Lang, hospital: str, day: dt.date) -> None:
    """Page 1: title, status, key figures, decisions."""
    text = _TEXT[lang]
    plan, risk = analysis.plan, analysis.risk
    pdf.set_font("DejaVu", "B", 22)
    pdf.set_text_color(31, 58, 95)
    pdf.multi_cell(0, 10, hospital, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 14)
    pdf.multi_cell(0, 7, text["subtitle"], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 11)
    pdf.set_text_color(89, 89, 89)
    pdf.cell(0, 7, _day(day, lang, "long"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    status = programme_status(analysis)
    pdf.heading(text["summary"])
    top = pdf.get_y()
    pdf.set_fill_color(*_rgb_tuple(_STATUS_FILL[status.colour]))
    pdf.rect(pdf.l_margin, top, 45, 22, style="F")
    pdf.set_fill_color(255, 255, 255)
    pdf.set_xy(pdf.l_margin, top + 3)
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(45, 5, text["status"], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(45, 10, text[status.colour], align="C")
    why = {
        "green": text["why_green"],
        "amber": text["why_amber"].format(n=len(status.deferred)),
        "red": text["why_red"].format(n=len(status.above_target), ids=", ".join(status.above_target)),
    }[status.colour]
    pdf.set_xy(pdf.l_margin + 50, top)
    pdf.set_font("DejaVu", "B", 10.5)
    pdf.multi_cell(pdf.epw - 50, 5, why, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    horizon = text["horizon"].format(
        start=_day(plan.start, lang), end=_day(plan.end, lang), sprints=len(plan.sprints), days=len(plan.days)
    )
    pdf.multi_cell(pdf.epw - 50, 4.5, horizon + " " + text["rule"], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + 22) + 5)
    pdf.grid(
        [text["fig_risk"], text["fig_done"], text["fig_deferred"]],
        [
            [
                _number(risk.now, lang),
                f"{analysis.measures_done} / {analysis.measures_counted}",
                str(len(plan.deferred)),
            ],
            [
                text["fig_risk_detail"].format(
                    inherent=_number(risk.inherent, lang), end=_number(risk.end_of_plan, lang)
                ),
                text["fig_done_detail"].format(pct=_percent(analysis.effort_done_share, lang)),
                text["fig_deferred_detail"].format(blocked=len(status.blocked)),
            ],
        ],
        [60, 60, 60],
        size=10,
        align="CENTER",
    )
    pdf.heading(text["decisions"], 13)
    for line, level, bold in _decision_items(analysis, lang):
        pdf.paragraph(("• " if level == 0 else "– ") + line, bold=bold, indent=6 * level)


def _pdf_heat_maps(pdf: _Report, roadmap: Roadmap, lang: Lang) -> None:
    text = _TEXT[lang]
    settings = roadmap.settings
    for title, cells in (
        (text["heat_before"], heat_map(roadmap)),
        (text["heat_now"], heat_map(roadmap, completions_at(roadmap, None))),
    ):
        pdf.paragraph(title, size=11, bold=True)
        rows, fills = [], {}
        for r, likelihood in enumerate(range(settings.likelihood_scale, 0, -1)):
            row = [f"V{likelihood}"]
            fills[(r, 0)] = ("#1F3A5F", "#FFFFFF")
            for c, cell in enumerate(cells[cells["likelihood"] == likelihood].to_dict("records"), start=1):
                count, level = int(cell["count"]), int(cell["level"])
                row.append(f"{count}\n{cell['risks']}" if count else "")
                fills[(r, c)] = (HEAT_COLOURS[level], HEAT_TEXT[level])
            rows.append(row)
        header = [""] + [f"G{g}" for g in range(1, settings.severity_scale + 1)]
        pdf.grid(
            header,
            rows,
            [14] + [36] * settings.severity_scale,
            size=9,
            fills=fills,
            align="CENTER",
            min_row_height=11,
        )


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF written by :func:`build_pdf` (counts its page objects; for previews)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


# --------------------------------------------------------------------------------------------
# XLSX plan


def plan_extension(filename: str) -> str:
    """Extension of the plan export for a source workbook: ``xlsm`` for ``.xlsm`` (macros kept,
    never run), else ``xlsx``."""
    return "xlsm" if filename.lower().endswith(".xlsm") else "xlsx"


def build_plan_xlsx(analysis: Analysis, source: bytes, *, filename: str) -> bytes:
    """The source workbook with the plan added to its Measures sheet.

    Four columns go at the right of the header row — planned sprint, planned start, planned end
    (the last working day) and deferral reason (:data:`roadmap.importing.columns.PLAN_EXPORT_HEADERS`,
    in English when the sheet's title header is English) — and are filled for each measure row;
    an earlier export's columns are found by their header and overwritten. Everything else is
    kept: other columns, sheets, styles, widths, data validations, filters and frozen panes
    (openpyxl round trip; pictures and charts inside the workbook are not kept by openpyxl).
    A ``.csv`` or ``.ods`` source is rewritten as a new ``.xlsx`` holding its values. The result
    re-imports with :func:`roadmap.importing.load.load_workbook` to the same measures, the new columns
    landing in :attr:`roadmap.models.Measure.extra`. Formula-like texts are stored as quoted text
    (see the module docstring).

    Args:
        source: the bytes of the workbook the analysis was computed from.
        filename: its name (for the format).

    Returns:
        The new workbook's bytes (``.xlsm`` when the source is, see :func:`plan_extension`).

    Raises:
        ExportError: the source has no Measures sheet or cannot be rewritten.
        NotASpreadsheetError: the source is not a spreadsheet.
    """
    tables_ = read_tables(source, filename=filename)
    layout = measures_layout(tables_)
    if layout is None:
        raise ExportError(f"'{filename}' has no sheet of measures with an ID and a title column")
    book = _open_for_writing(source, filename, tables_)
    sheet = book[layout.sheet]
    english = normalize(layout.headers[layout.columns["title"]]) in ("measure", "title")
    columns = _export_columns(sheet, layout, english=english)
    plan, roadmap = analysis.plan, analysis.roadmap
    schedule = {s.id: s for s in plan.scheduled}
    deferred = {d.id: d for d in plan.deferred}
    date_format = _date_format(sheet, layout) or ("YYYY-MM-DD" if english else "DD/MM/YYYY")
    for row, ident in layout.ids:
        placed, left_out = schedule.get(ident), deferred.get(ident)
        values: dict[str, object] = {
            "sprint": placed.sprint if placed else None,
            "start": placed.start if placed else None,
            "end": placed.end if placed else None,
            "reason": deferral_text(left_out, roadmap, plan, lang="en" if english else "fr")
            if left_out and ident in roadmap.measure_by_id
            else None,
        }
        for key, column in columns.items():
            cell = sheet.cell(row=row, column=column)
            _write(cell, values[key])
            if key in ("start", "end"):
                cell.number_format = date_format
    _widen_filter(sheet, layout, max(columns.values()))
    for worksheet in book.worksheets:
        for line in worksheet.iter_rows():
            for cell in line:
                if is_formula_like(cell.value) and cell.data_type == "s":
                    cell.quotePrefix = True
    buffer = io.BytesIO()
    try:
        book.save(buffer)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise ExportError(f"the plan cannot be written into '{filename}' ({exc})") from exc
    return buffer.getvalue()


def _open_for_writing(source: bytes, filename: str, tables_: Mapping[str, Any]) -> openpyxl.Workbook:
    suffix = Path(filename).suffix.lower()
    if source[:4] == b"PK\x03\x04" and suffix not in (".ods", ".xlsb"):
        try:
            return openpyxl.load_workbook(io.BytesIO(source), keep_vba=suffix == ".xlsm", rich_text=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
            if suffix in (".xlsx", ".xlsm"):
                raise ExportError(
                    f"'{filename}' cannot be opened for writing ({exc}); open it in Excel or LibreOffice and save it "
                    "again as .xlsx"
                ) from exc
    if not tables_:
        raise NotASpreadsheetError(f"'{filename}' has no sheet")
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in tables_.items():
        sheet = book.create_sheet(name[:31])
        for r, cells in enumerate(rows, start=1):
            for c, value in enumerate(cells, start=1):
                if value not in (None, ""):
                    _write(sheet.cell(row=r, column=c), value)
    return book


def _write(cell: Cell | MergedCell, value: object) -> None:
    """Write a value; text stays text even when it looks like a formula (quote prefix)."""
    cell.value = value  # type: ignore[assignment]
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    if isinstance(value, dt.datetime | dt.date):
        cell.number_format = "DD/MM/YYYY"


def _export_columns(sheet: Any, layout: SheetLayout, *, english: bool) -> dict[str, int]:
    """1-based column of each export field: an earlier export's, else new ones at the right."""
    known = {normalize(h): key for key, pair in PLAN_EXPORT_HEADERS.items() for h in pair}
    columns: dict[str, int] = {}
    for index, header in enumerate(layout.headers):
        key = known.get(normalize(header))
        if key and key not in columns:
            columns[key] = index + 1
    model = sheet.cell(row=layout.header_row, column=layout.columns["title"] + 1)
    next_free = layout.width + 1
    widths = {"sprint": 12, "start": 14, "end": 14, "reason": 60}
    for key, pair in PLAN_EXPORT_HEADERS.items():
        if key in columns:
            continue
        columns[key] = next_free
        next_free += 1
        header = sheet.cell(row=layout.header_row, column=columns[key])
        _write(header, pair[1] if english else pair[0])
        if model.has_style:
            header._style = model._style  # copy font, fill, border, alignment of a header cell
        sheet.column_dimensions[get_column_letter(columns[key])].width = widths[key]
    reason = columns["reason"]
    for row, _ in layout.ids:
        sheet.cell(row=row, column=reason).alignment = Alignment(wrap_text=False, vertical="top")
    return columns


def _date_format(sheet: Any, layout: SheetLayout) -> str | None:
    """The number format of the sheet's first date cell in a date column, to match it."""
    for field in ("baseline_start", "baseline_end", "due_date", "done_date"):
        if field in layout.columns:
            for row, _ in layout.ids:
                cell = sheet.cell(row=row, column=layout.columns[field] + 1)
                if cell.is_date:
                    return str(cell.number_format)
    return None


def _widen_filter(sheet: Any, layout: SheetLayout, last_column: int) -> None:
    """Stretch an autofilter that starts on the header row over the new columns."""
    ref = sheet.auto_filter.ref
    if not ref:
        return
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", ref)
    if match and int(match.group(2)) == layout.header_row:
        sheet.auto_filter.ref = f"{match.group(1)}{match.group(2)}:{get_column_letter(last_column)}{match.group(4)}"


__all__ = [
    "ImageRenderer",
    "ProgrammeStatus",
    "archive",
    "browser_path",
    "build_deck",
    "build_pdf",
    "build_plan_xlsx",
    "chart_figures",
    "chart_images",
    "crashing_text",
    "deck_outline",
    "deferral_text",
    "export_filename",
    "is_formula_like",
    "neutralise",
    "pdf_page_count",
    "plan_extension",
    "programme_status",
    "tables",
    "to_csv",
    "to_json",
    "weekly_trajectory",
]
