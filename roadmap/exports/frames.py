"""The export tables (:func:`tables`) as CSV, JSON and ZIP, and the export files' names.

**Formula neutralisation** (OWASP CSV injection): a text cell beginning with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return could run as a formula when the file is opened.
:func:`neutralise` prefixes such a text with an apostrophe for CSV. In XLSX, such a text is
stored as a text cell with Excel's quote prefix (the apostrophe Excel itself shows in the
formula bar), so that it never turns into a formula, even when edited, and the plan still
re-imports to the same titles. Numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping

import pandas as pd

from roadmap.analysis import Analysis
from roadmap.charts import (
    burnup,
    chart_text,
    domain_progress,
    sprint_load,
)
from roadmap.exports.text import _REASONS, _STATUSES, _TEXT, _lang
from roadmap.importing.columns import PLAN_EXPORT_HEADERS
from roadmap.importing.values import neutralise
from roadmap.risk import (
    baseline_finish,
    completions_at,
    heat_map,
    risk_table,
    total_residual,
)
from roadmap.wording import deferral_text


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
    domains = domain_progress(roadmap, plan, lang=code).rename(columns=_DOMAIN_COLUMNS[code])
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
