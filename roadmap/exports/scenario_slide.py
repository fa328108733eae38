"""The board deck's scenario slide: a saved capacity scenario beside today's plan — the
side-by-side table of :func:`roadmap.wording.comparison_rows` (the Plan page's, same figures),
the residual-risk trajectory of both plans (native line chart, weekly points of
:func:`roadmap.exports.frames.weekly_trajectory`) and what the scenario buys
(:func:`roadmap.wording.scenario_text`), also in the speaker notes.
"""

from __future__ import annotations

from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import PP_ALIGN

from roadmap.analysis import Analysis
from roadmap.charts import SCENARIO_COLOURS
from roadmap.exports.frames import weekly_trajectory
from roadmap.exports.slides import _CONTENT_TOP, _MARGIN, _SLIDE_W, _ChartData, _Deck, fortnightly_ticks
from roadmap.i18n import OFFICE_DATE_FORMATS
from roadmap.scenarios import ScenarioPlan
from roadmap.wording import comparison_header, comparison_rows, fte_note, scenario_text

_WORDS = {
    "fr": {"title": "Scénario «\u00a0{name}\u00a0» et plan actuel", "axis": "Risque résiduel total"},
    "en": {"title": "Scenario “{name}” and today's plan", "axis": "Total residual risk"},
}

_TABLE_WIDTHS = (3.6, 1.6, 1.8)

SCENARIO_COLOUR = "#D55E00"
"""The scenario's line: Okabe–Ito vermillion, dashed, beside the plan's blue (colour-blind safe)."""


TITLE_NAME = 40
"""Most characters of the scenario's name in the slide's title (one line at 28 pt); the table's
header has it whole."""


def scenario_title(name: str, lang: str) -> str:
    """The slide's title for the scenario ``name`` (shortened to :data:`TITLE_NAME` characters)."""
    short = name if len(name) <= TITLE_NAME else name[: TITLE_NAME - 1].rstrip() + "…"
    return _WORDS["fr" if lang == "fr" else "en"]["title"].format(name=short)


def scenario_slide(deck: _Deck, analysis: Analysis, scenario: ScenarioPlan) -> None:
    """Add the slide comparing ``scenario`` with today's plan (``analysis``)."""
    lang = deck.lang
    words = _WORDS["fr" if lang == "fr" else "en"]
    comparison = scenario.compare(analysis)
    sentence = scenario_text(comparison, scenario.analysis, lang=lang)
    note = fte_note(analysis, lang=lang)
    slide = deck.slide(scenario_title(comparison.name, lang), notes=f"{sentence}\n{note}")
    rows = comparison_rows(comparison, lang=lang)
    header = comparison_header(comparison, lang=lang)
    deck.table(
        slide,
        _MARGIN,
        _CONTENT_TOP,
        _TABLE_WIDTHS,
        header,
        rows,
        size=13,
        align=(PP_ALIGN.LEFT, PP_ALIGN.RIGHT, PP_ALIGN.RIGHT),
    )
    ours, theirs = weekly_trajectory(analysis), weekly_trajectory(scenario.analysis)
    data = _ChartData(number_format="0.0")
    data.categories = [d.date() for d in ours["date"]]
    data.categories.number_format = OFFICE_DATE_FORMATS[deck.lang]
    data.add_series(header[1], [round(float(v), 4) for v in ours["optimised"]])
    data.add_series(comparison.name, [round(float(v), 4) for v in theirs["optimised"]])
    left = _MARGIN + sum(_TABLE_WIDTHS) + 0.3
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE,
        left,
        _CONTENT_TOP,
        _SLIDE_W - _MARGIN - left,
        3.9,
        data,
        colours=[SCENARIO_COLOURS["optimised"], SCENARIO_COLOUR],
        value_title=words["axis"],
    )
    chart.value_axis.minimum_scale = 0
    chart.series[1].format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    fortnightly_ticks(chart.category_axis, deck.lang)
    deck.text_box(slide, _MARGIN, 5.2, _SLIDE_W - 2 * _MARGIN, 1.7, [sentence, (note, 12, False)], size=15)
