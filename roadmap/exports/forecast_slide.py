"""The board deck's and the report's forecast: "will we make it?" — the Monte Carlo verdict, the
residual-risk trajectory with its P10–P90 band (weekly points, as the trajectory slide), the
measures that most often drive the end (criticality index) and the risks least sure to reach
their target. Figures from :func:`roadmap.analysis.forecast_analysis`; words from
:mod:`roadmap.forecast_text`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_LINE_DASH_STYLE

from roadmap.analysis import Analysis
from roadmap.charts import SCENARIO_COLOURS
from roadmap.exports.frames import weekly_trajectory
from roadmap.exports.slides import _CONTENT_TOP, _MARGIN, _SLIDE_W, _ChartData, _Deck, fortnightly_ticks
from roadmap.forecast_text import SENTENCES, late_reason, verdict_text
from roadmap.i18n import OFFICE_DATE_FORMATS, format_day, format_number, format_percent
from roadmap.planning.forecast import Forecast

CRITICAL_ROWS = 5
"""Measures listed on the slide: the most critical first."""

_WORDS: dict[str, dict[str, Any]] = {
    "fr": {
        "title": "Tiendrons-nous l’horizon ?",
        "axis": "Risque résiduel total",
        "plan": "Plan compressé",
        "critical": "Mesures qui retardent le plus souvent la fin",
        "header": ("ID", "P80 fin", "Critique"),
        "risks": "Risques les moins sûrs d’atteindre leur cible",
        "risk_header": ("Risque", "À sa cible ou en dessous à la fin"),
        "all_risks": "Tous les risques finissent à leur cible ou en dessous dans {p} des simulations.",
        "note": "Simulation de {runs} déroulés du plan (même ordre, mêmes sprints, durées tirées au hasard : "
        "−20\u202f%\u2009/\u2009+50\u202f% à faire, −10\u202f%\u2009/\u2009+25\u202f% en cours, ou les charges "
        "min/max du classeur).",
    },
    "en": {
        "title": "Will we make it?",
        "axis": "Total residual risk",
        "plan": "Compressed plan",
        "critical": "Measures that most often delay the end",
        "header": ("ID", "P80 end", "Critical"),
        "risks": "Risks least sure to reach their target",
        "risk_header": ("Risk", "At or under its target at the end"),
        "all_risks": "Every risk ends at or under its target in {p} of the runs.",
        "note": "{runs} simulated runs of the plan (same order, same sprints, random durations: "
        "−20%/+50% to do, −10%/+25% in progress, or the workbook's min/max efforts).",
    },
}


def words(lang: str) -> dict[str, Any]:
    """The slide's and the report section's fixed words in ``lang``."""
    return _WORDS["fr" if lang == "fr" else "en"]


def weekly_band(analysis: Analysis, forecast: Forecast) -> pd.DataFrame:
    """The plan's weekly trajectory points (:func:`roadmap.exports.frames.weekly_trajectory`) with
    the forecast's ``p10``, ``p50`` and ``p90`` at the same instants (the total at the end of the
    day before each Monday; today's total before the first day)."""
    weekly = weekly_trajectory(analysis)[["date", "optimised"]].copy()
    band = forecast.band.set_index(forecast.band["date"].dt.date)
    start = analysis.plan.start
    for column in ("p10", "p50", "p90"):
        values = []
        for n, when in enumerate(weekly["date"]):
            day = when.date()
            at = day if n == len(weekly) - 1 else day - dt.timedelta(days=1)
            values.append(float(band.loc[at, column]) if at >= start else float(weekly["optimised"].iloc[0]))
        weekly[column] = values
    return weekly


def critical_rows(forecast: Forecast, *, lang: str) -> list[list[str]]:
    """ID, P80 end and criticality (percent) of the measures that most often drive the end."""
    top = forecast.measures.sort_values(["criticality", "id"], ascending=[False, True]).head(CRITICAL_ROWS)
    shares = top["criticality"].to_numpy(dtype=float)
    return [
        [str(ident), format_day(end, lang), format_percent(float(share), lang)]
        for ident, end, share in zip(top["id"], top["p80"], shares, strict=True)
        if share > 0
    ]


def risk_rows(forecast: Forecast, *, lang: str, count: int = 4) -> list[list[str]]:
    """The risks least sure to reach their target at the end, with that probability."""
    ranked = sorted(forecast.risk_target_probability.items(), key=lambda item: (item[1], item[0]))[:count]
    return [[risk, format_percent(p, lang)] for risk, p in ranked]


def forecast_slide(deck: _Deck, analysis: Analysis, forecast: Forecast) -> None:
    """Add the forecast slide: verdict, trajectory with its band (native line chart), criticality
    and risk tables; the full verdict in the speaker notes."""
    lang = deck.lang
    text = words(lang)
    slide = deck.slide(
        str(text["title"]), notes=verdict_text(forecast, lang=lang, scheduled=len(analysis.plan.scheduled))
    )
    headline: list[str | tuple[str, float, bool]] = [
        (verdict_text(forecast, lang=lang, details=False, reason=False), 22, True)
    ]
    if why := late_reason(forecast, lang=lang).strip():  # a 0 % chance: why, under the headline
        headline.append((why, 14, False))
    deck.text_box(slide, _MARGIN, _CONTENT_TOP - 0.2, _SLIDE_W - 2 * _MARGIN, 1.0, headline)
    weekly = weekly_band(analysis, forecast)
    data: CategoryChartData = _ChartData(number_format="0.0")
    data.categories = [d.date() for d in weekly["date"]]
    data.categories.number_format = OFFICE_DATE_FORMATS[deck.lang]
    band_words = SENTENCES["fr" if lang == "fr" else "en"]
    data.add_series(str(text["plan"]), [round(float(v), 3) for v in weekly["optimised"]])
    data.add_series("P10", [round(float(v), 3) for v in weekly["p10"]])
    data.add_series(band_words["band_median"], [round(float(v), 3) for v in weekly["p50"]])
    data.add_series("P90", [round(float(v), 3) for v in weekly["p90"]])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE,
        _MARGIN,
        _CONTENT_TOP + 0.9,
        7.6,
        4.1,
        data,
        colours=[SCENARIO_COLOURS["optimised"], "#56B4E9", "#0072B2", "#56B4E9"],
        value_title=str(text["axis"]),
    )
    chart.value_axis.minimum_scale = 0
    for n in (1, 2, 3):
        chart.series[n].format.line.dash_style = MSO_LINE_DASH_STYLE.DASH if n != 2 else MSO_LINE_DASH_STYLE.ROUND_DOT
    fortnightly_ticks(chart.category_axis, deck.lang)
    left = _MARGIN + 7.8
    width = _SLIDE_W - _MARGIN - left
    deck.text_box(slide, left, _CONTENT_TOP + 0.8, width, 0.6, str(text["critical"]), size=13, bold=True)
    rows = critical_rows(forecast, lang=lang)
    if rows:
        deck.table(slide, left, _CONTENT_TOP + 1.35, (1.3, 1.7, 1.4), list(text["header"]), rows, size=12)
    top = _CONTENT_TOP + 1.55 + 0.37 * (len(rows) + 1)
    risks = risk_rows(forecast, lang=lang, count=3)
    if risks:
        deck.text_box(slide, left, top, width, 0.6, str(text["risks"]), size=13, bold=True)
        least = min(forecast.risk_target_probability.values())
        if round(100 * least) == 100:  # a table of 100 % says nothing: one sentence
            all_risks = str(text["all_risks"]).format(p=format_percent(least, lang))
            deck.text_box(slide, left, top + 0.55, width, 0.6, all_risks, size=12)
        else:
            deck.table(slide, left, top + 0.55, (1.3, 3.1), list(text["risk_header"]), risks, size=12)
    runs = format_number(forecast.simulations, lang, 0)
    deck.text_box(slide, _MARGIN, 6.45, 7.6, 0.6, str(text["note"]).format(runs=runs), size=11)
