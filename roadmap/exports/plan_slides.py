"""Two slides of the board deck drawn with native python-pptx shapes and charts:

* **progress against the frozen plan**: SPI, earned and planned value, SPI-based forecast end and
  late measures (figures of :func:`roadmap.progress.progress_report`, rules in
  :mod:`roadmap.progress`), a line chart of planned value (every Monday of the frozen plan, then its
  last day) against earned value (one point per snapshot), the late measures;
* **sprint Gantt**: each scheduled measure as a bar from its first to its last planned day, on
  one lane per team (a team's measures that overlap in time take lanes of their own, first fit in
  start order), the sprints as alternating bands; a bar wide enough carries its ID.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Inches, Pt

from roadmap.analysis import Analysis
from roadmap.charts import OKABE_ITO, chart_text
from roadmap.exports.slides import (
    _BLACK,
    _CONTENT_TOP,
    _FONT,
    _GREY,
    _LIGHT,
    _MARGIN,
    _NAVY,
    _SLIDE_W,
    _STATUS_FILL,
    _WHITE,
    _ChartData,
    _Deck,
    _rgb,
    fortnightly_ticks,
)
from roadmap.exports.text import _STATUSES, _day, _number, progress_words, say
from roadmap.i18n import OFFICE_DATE_FORMATS, format_short_day
from roadmap.planning.plan import ScheduledMeasure
from roadmap.progress import ProgressReport

LATE_ROWS = 6
"""Late measures listed on the progress slide; the others are counted."""

_CHART_W = 6.5
"""Inches of the progress slide's chart; the late measures take the rest of the width."""


def progress_points(report: ProgressReport) -> pd.DataFrame:
    """The progress chart's points: each Monday from the plan's start (every 7 days), the frozen
    plan's last day and every snapshot's day, with the planned value there and the earned value on
    the snapshots' days.

    Returns:
        DataFrame with columns ``date`` (datetime64), ``pv`` and ``ev`` (person-days, NaN where no
        snapshot), oldest first.
    """
    burn = report.burn_up
    first = burn["date"].iloc[0]
    weekly = (burn["date"] - first).dt.days % 7 == 0
    keep = weekly | burn["ev"].notna() | (burn["date"] == burn["date"].iloc[-1])
    points: pd.DataFrame = burn.loc[keep, ["date", "pv", "ev"]].reset_index(drop=True)
    return points


def progress_slide(deck: _Deck, analysis: Analysis, report: ProgressReport) -> None:
    """Add the slide of progress against the frozen plan (module doc); its reading in the notes."""
    text, lang = deck.text, deck.lang
    words = progress_words(report, lang)
    spi, end, reading = words["spi"], words["end"], words["reading"]
    slide = deck.slide(text["progress_title"], notes=reading + " " + text["ev_method"])
    behind = report.spi is not None and report.spi < 0.95
    cards = [
        (text["ev_spi"], spi, text["ev_spi_detail"].format(date=_day(report.as_of, lang)), behind),
        (
            text["ev_values"],
            _number(report.ev, lang, 0),
            text["ev_values_detail"].format(pv=_number(report.pv, lang, 0)),
            False,
        ),
        (
            text["ev_forecast"],
            _day(report.forecast_end, lang) if report.forecast_end else "—",
            text["ev_forecast_detail"].format(end=end),
            bool(report.forecast_end and report.plan_end and report.forecast_end > report.plan_end),
        ),
        (text["ev_late"], str(len(report.late)), text["ev_late_detail"], bool(report.late)),
    ]
    gap = 0.25
    width = (_SLIDE_W - 2 * _MARGIN - 3 * gap) / 4
    for n, (label, value, detail, alert) in enumerate(cards):
        left = _MARGIN + n * (width + gap)
        card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(1.2), Inches(width), Inches(1.6))
        card.fill.solid()
        card.fill.fore_color.rgb = _LIGHT
        card.line.color.rgb = _rgb(_STATUS_FILL["amber"]) if alert else RGBColor(0xD0, 0xD5, 0xDD)
        card.line.width = Pt(3 if alert else 1)
        card.shadow.inherit = False
        deck.text_box(
            slide,
            left + 0.1,
            1.25,
            width - 0.2,
            1.5,
            [(label, 14, False), (value, 26, True), (detail, 12, False)],
            colour=_NAVY,
            space_after=2,
        )
    _progress_chart(deck, slide, report)
    _late_table(deck, slide, analysis, report)
    deck.text_box(
        slide, _MARGIN, 6.0, _SLIDE_W - 2 * _MARGIN, 0.95, [(reading, 14, False), (text["ev_method"], 11, False)]
    )


def _progress_chart(deck: _Deck, slide: Slide, report: ProgressReport) -> None:
    text = deck.text
    points = progress_points(report)
    data = _ChartData(number_format="0.0")
    data.categories = [d.date() for d in points["date"]]
    data.categories.number_format = OFFICE_DATE_FORMATS[deck.lang]
    data.add_series(text["ev_pv"], [round(float(v), 2) for v in points["pv"]])
    data.add_series(text["ev_ev"], [None if pd.isna(v) else round(float(v), 2) for v in points["ev"]])
    top = 2.95
    deck.text_box(slide, _MARGIN, top, _CHART_W, 0.35, text["ev_chart"], size=14, bold=True, colour=_NAVY)
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE_MARKERS,
        _MARGIN,
        top + 0.35,
        _CHART_W,
        2.65,
        data,
        colours=["#555555", OKABE_ITO[0]],
    )
    chart.font.size = Pt(12)
    chart.legend.font.size = Pt(12)
    chart.value_axis.minimum_scale = 0
    planned = chart.series[0]
    planned.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    planned.format.line.width = Pt(2)
    planned.marker.style = XL_MARKER_STYLE.NONE
    earned = chart.series[1]
    earned.marker.style = XL_MARKER_STYLE.CIRCLE
    earned.marker.size = 8
    earned.marker.format.fill.solid()
    earned.marker.format.fill.fore_color.rgb = _rgb(OKABE_ITO[0])
    # earned value exists on the snapshots' days only: join its points across the other days
    blanks = OxmlElement("c:dispBlanksAs")
    blanks.set("val", "span")
    chart_element = chart._chartSpace.find(qn("c:chart"))
    chart_element.find(qn("c:plotVisOnly")).addnext(blanks)
    fortnightly_ticks(chart.category_axis, deck.lang)


def _late_table(deck: _Deck, slide: Slide, analysis: Analysis, report: ProgressReport) -> None:
    text, lang = deck.text, deck.lang
    left = _MARGIN + _CHART_W + 0.3
    width = _SLIDE_W - _MARGIN - left
    deck.text_box(slide, left, 2.95, width, 0.35, text["ev_late_table"], size=14, bold=True, colour=_NAVY)
    if not report.late:
        deck.text_box(slide, left, 3.35, width, 0.4, text["ev_none_late"], size=14)
        return
    measures = analysis.roadmap.measure_by_id
    rows = []
    for ident in report.late[:LATE_ROWS]:
        measure = measures.get(ident)
        if measure is None:
            rows.append([ident, "", ""])
            continue
        title = measure.title if len(measure.title) <= 40 else measure.title[:39].rstrip() + "…"
        state = _STATUSES[lang][measure.status]
        if measure.is_open and measure.progress:
            state = f"{_number(measure.progress, lang, 0)}\u00a0%"
        rows.append([ident, title, state])
    columns = [0.85, width - 0.85 - 1.05, 1.05]
    deck.table(slide, left, 3.35, columns, [text["id"], text["measure"], text["status_col"]], rows, size=11)
    if len(report.late) > LATE_ROWS:
        more = say("ev_more", len(report.late) - LATE_ROWS, lang)
        deck.text_box(slide, left, 3.35 + 0.45 + 0.3 * len(rows) + 0.05, width, 0.3, more, size=11, colour=_GREY)


_GANTT_LEFT = 2.6
"""Inches left of the Gantt's time axis: the team names."""


def lanes(scheduled: Sequence[ScheduledMeasure]) -> list[tuple[str, int, ScheduledMeasure]]:
    """(team, lane, measure) for each scheduled measure: within a team, measures in start order take
    the first lane whose last bar ended before they start (first fit); teams in plan order."""
    teams = list(dict.fromkeys(s.team for s in scheduled))
    placed = []
    for team in teams:
        ends: list[dt.date] = []
        for measure in sorted((s for s in scheduled if s.team == team), key=lambda s: (s.start, s.end, s.id)):
            lane = next((n for n, end in enumerate(ends) if end < measure.start), len(ends))
            if lane == len(ends):
                ends.append(measure.end)
            else:
                ends[lane] = measure.end
            placed.append((team, lane, measure))
    return placed


def gantt_slide(deck: _Deck, analysis: Analysis, reading: str) -> None:
    """Add the sprint Gantt (module doc): native rectangles, one colour per team."""
    text = deck.text
    plan = analysis.plan
    slide = deck.slide(chart_text(deck.lang)["gantt"], notes=reading)
    if not plan.scheduled:
        deck.text_box(slide, _MARGIN, _CONTENT_TOP, 10, 0.5, text["decision_none"])
        return
    placed = lanes(plan.scheduled)
    teams = list(dict.fromkeys(team for team, _, _ in placed))
    lane_count = {team: 1 + max(lane for t, lane, _ in placed if t == team) for team in teams}
    total_lanes = sum(lane_count.values())
    top, bottom = 1.65, 6.25
    lane_h = min(0.5, (bottom - top - 0.06 * len(teams)) / total_lanes)
    x0, x1 = _MARGIN + _GANTT_LEFT, _SLIDE_W - _MARGIN
    days = (plan.end - plan.start).days + 1
    per_day = (x1 - x0) / days

    def x(day: dt.date) -> float:
        return x0 + (day - plan.start).days * per_day

    height = sum(lane_count.values()) * lane_h + 0.06 * len(teams)
    for sprint in plan.sprints:
        left, right = x(sprint.start), x(min(sprint.end, plan.end) + dt.timedelta(days=1))
        if sprint.index % 2 == 1:
            band = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(right - left), Inches(height)
            )
            band.fill.solid()
            band.fill.fore_color.rgb = RGBColor(0xEE, 0xEF, 0xF2)
            band.line.fill.background()
            band.shadow.inherit = False
        label = [(f"S{sprint.index}", 12, True), (format_short_day(sprint.start, deck.lang), 11, False)]
        deck.text_box(slide, left, 1.05, right - left, 0.6, label, align=PP_ALIGN.CENTER, colour=_GREY)
    row_top = top
    for n, team in enumerate(teams):
        band_h = lane_count[team] * lane_h
        deck.text_box(
            slide, _MARGIN, row_top, _GANTT_LEFT - 0.1, band_h, team, size=12, bold=True, anchor=MSO_ANCHOR.MIDDLE
        )
        colour = OKABE_ITO[n % len(OKABE_ITO)]
        for _team, lane, measure in (p for p in placed if p[0] == team):
            left = x(measure.start)
            width = max(per_day, x(measure.end + dt.timedelta(days=1)) - left)
            bar = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE,
                Inches(left + 0.01),
                Inches(row_top + lane * lane_h + 0.03),
                Inches(width - 0.02),
                Inches(lane_h - 0.06),
            )
            bar.name = f"Gantt {measure.id}"
            bar.fill.solid()
            bar.fill.fore_color.rgb = _rgb(colour)
            bar.line.color.rgb = _WHITE
            bar.shadow.inherit = False
            size = 9 if lane_h < 0.3 else 10
            if width >= len(measure.id) * size * 0.62 / 72 + 0.08:
                frame = bar.text_frame
                frame.margin_left = frame.margin_right = Inches(0.02)
                frame.margin_top = frame.margin_bottom = 0
                frame.word_wrap = False
                paragraph = frame.paragraphs[0]
                paragraph.alignment = PP_ALIGN.CENTER
                run = paragraph.add_run()
                run.text = measure.id
                run.font.size = Pt(size)
                run.font.name = _FONT
                run.font.color.rgb = _WHITE if colour in ("#0072B2", "#D55E00", "#000000") else _BLACK
        row_top += band_h + 0.06
        if n < len(teams) - 1:
            line = slide.shapes.add_connector(
                1, Inches(_MARGIN), Inches(row_top - 0.03), Inches(x1), Inches(row_top - 0.03)
            )
            line.line.color.rgb = RGBColor(0xD0, 0xD5, 0xDD)
            line.line.width = Pt(0.75)
            line.shadow.inherit = False
    deck.text_box(slide, _MARGIN, 6.35, _SLIDE_W - 2 * _MARGIN, 0.6, reading, size=14)
