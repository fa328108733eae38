"""The board deck: a 16:9 PPTX, slide by slide.

* Deck: python-pptx, on a blank presentation set to 13.333 × 7.5 in (16:9) and laid out here
  (the default template is 4:3). Charts are native PowerPoint charts (line, stacked bar, stacked
  column) whose data the board's staff can edit; heat maps are tables with coloured cells.
  Text is Arial (LibreOffice renders it with the metric-compatible Liberation Sans).

**Heat maps**: risks at (likelihood, severity); "now" places each risk at its residual
likelihood ``likelihood × Π(1 − e·c)`` rounded up to a whole level
(:func:`roadmap.risk.residual_likelihood`), severity unchanged.

**Trajectory in the deck**: one point per week, so that the plans share categories: the value
on the morning of each Monday of the horizon (the total residual at the end of the day before),
then at the end of the horizon's last day. The first optimised point is therefore
``analysis.risk.now`` and the last ``analysis.risk.end_of_plan``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Inches, Pt

from roadmap.analysis import Analysis, forecast_analysis, programme_status
from roadmap.charts import (
    HEAT_COLOURS,
    HEAT_TEXT,
    OKABE_ITO,
    SCENARIO_COLOURS,
    burnup,
    chart_text,
    domain_progress,
)
from roadmap.errors import ExportError
from roadmap.exports.forecast_slide import forecast_slide
from roadmap.exports.frames import weekly_trajectory
from roadmap.exports.plan_slides import gantt_slide, progress_slide
from roadmap.exports.scenario_slide import scenario_slide
from roadmap.exports.slides import (
    _CONTENT_BOTTOM,
    _CONTENT_TOP,
    _FONT,
    _GREY,
    _LIGHT,
    _MARGIN,
    _NAVY,
    _SLIDE_W,
    _STATUS_FILL,
    _TABLE,
    _TABLE_BUDGET,
    _TABLE_TOP,
    _WHITE,
    _ChartData,
    _Deck,
    _lines,
    _paginate,
    _rgb,
    fortnightly_ticks,
)
from roadmap.exports.text import (
    _appendix_rows,
    _day,
    _decision_items,
    _hospital,
    _lang,
    _number,
    _percent,
    _readings,
    _short_reason,
    _status_why,
    _used,
    say,
)
from roadmap.i18n import OFFICE_DATE_FORMATS, format_short_day
from roadmap.planning.forecast import Forecast
from roadmap.progress import ProgressReport
from roadmap.risk import (
    LEVEL_LABELS,
    completions_at,
    heat_map,
)
from roadmap.scenarios import ScenarioPlan


def build_deck(
    analysis: Analysis,
    *,
    lang: str = "fr",
    today: dt.date | None = None,
    forecast: Forecast | None = None,
    progress: ProgressReport | None = None,
    scenario: ScenarioPlan | None = None,
) -> bytes:
    """The board deck: a 16:9 PPTX with native, editable charts (PRODUCT.md §7).

    Slides: title; executive summary (status, :func:`roadmap.analysis.programme_status` with the
    progress report, and three key figures); with ``progress``, progress against the frozen plan
    (SPI, earned value, forecast end, late measures: :func:`roadmap.exports.plan_slides.progress_slide`);
    residual-risk trajectory
    (line chart, weekly points of :func:`weekly_trajectory`); progress (stacked bars of
    :func:`roadmap.charts.domain_progress` and the burn-up of :func:`roadmap.charts.burnup`);
    heat maps before / now / end of plan (tables); sprint plan (stacked columns of
    :meth:`roadmap.analysis.Analysis.sprint_effort` and a table per team); the sprint Gantt
    (:func:`roadmap.exports.plan_slides.gantt_slide`); decisions needed; the forecast ("will we make it?": Monte
    Carlo verdict, P10–P90 band, criticality, risks: :mod:`roadmap.exports.forecast_slide`); deferred or
    blocked measures (as many slides as needed); appendix: the measure list, about 15 rows a
    slide. Chart slides carry the chart's one-line reading in their speaker notes.

    Args:
        lang: ``fr`` or ``en``.
        today: the date on the title slide and in the footers (default today).
        forecast: the plan's forecast (default: computed, :func:`roadmap.analysis.forecast_analysis`).
        progress: earned value against the frozen plan (:func:`roadmap.progress.progress_report`),
            ``None`` when no plan is frozen (no progress slide; the status then rests on the plan).
        scenario: a capacity scenario to compare with the plan, on a slide after the decisions
            (:mod:`roadmap.exports.scenario_slide`); none by default.

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
    _summary_slide(deck, analysis, progress)
    if progress is not None:
        progress_slide(deck, analysis, progress)
    _trajectory_slide(deck, analysis, readings["trajectory"])
    _progress_slide(deck, analysis, readings["domains"] + " " + readings["burnup"])
    _heat_slide(deck, analysis, readings["heat"])
    _sprint_slide(deck, analysis, readings["sprints"])
    gantt_slide(deck, analysis, readings["gantt"])
    _decisions_slide(deck, analysis)
    if scenario is not None:
        scenario_slide(deck, analysis, scenario)
    forecast_slide(deck, analysis, forecast or forecast_analysis(analysis))
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


def _summary_slide(deck: _Deck, analysis: Analysis, progress: ProgressReport | None) -> None:
    text, lang = deck.text, deck.lang
    plan, risk = analysis.plan, analysis.risk
    status = programme_status(analysis, progress)
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
    why = _status_why(status, lang)
    horizon = text["horizon"].format(
        start=_day(plan.start, lang),
        end=_day(plan.end, lang),
        sprints=say("n_sprints", len(plan.sprints), lang),
        days=len(plan.days),
    )
    width = _SLIDE_W - 4.4 - _MARGIN
    size = 18 if sum(_lines(line, width, 18) for line in why) <= 4 else 16
    deck.text_box(
        slide,
        4.4,
        1.3,
        width,
        2.5,
        [*((line, size, True) for line in why), (horizon, 14, False), (text["rule"], 12, False)],
        space_after=6,
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
            say("fig_deferred_detail", blocked, lang, blocked=blocked),
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
    data.categories.number_format = OFFICE_DATE_FORMATS[deck.lang]
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
    fortnightly_ticks(chart.category_axis, deck.lang)
    deck.text_box(slide, _MARGIN, 6.05, _SLIDE_W - 2 * _MARGIN, 0.9, [reading, (text["trajectory_note"], 14, False)])


def _chart_title(deck: _Deck, slide: Slide, left: float, top: float, width: float, title: str) -> float:
    """A chart's title above it, 16 pt bold; returns where the chart starts (the title may wrap)."""
    height = _lines(title, width - 0.1, 16) * 16 * 1.2 / 72 + 0.1
    deck.text_box(slide, left, top, width, height, title, size=16, bold=True, colour=_NAVY)
    return top + height + 0.05


def _every_label(axis: Any, size: float) -> None:
    """Show every category label of ``axis`` (LibreOffice and PowerPoint skip some when crowded)
    at ``size`` points, on one line (a label never breaks inside a word)."""
    axis.tick_labels.font.size = Pt(size)
    element = axis._element
    after = element.find(qn("c:noMultiLvlLbl"))
    for tag in ("c:tickLblSkip", "c:tickMarkSkip"):  # their place in CT_CatAx: before noMultiLvlLbl
        child = OxmlElement(tag)
        child.set("val", "1")
        if after is not None:
            after.addprevious(child)
        else:
            element.append(child)
    body = element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    body.set("wrap", "none")


def _progress_slide(deck: _Deck, analysis: Analysis, reading: str) -> None:
    text = deck.text
    chart_labels = chart_text(deck.lang)
    roadmap, plan = analysis.roadmap, analysis.plan
    domains = domain_progress(roadmap, plan, lang=deck.lang)
    slide = deck.slide(text["progress"], notes=reading)
    data = _ChartData(number_format="0.0")
    data.categories = list(domains["domain"])
    for key in ("done", "planned", "deferred"):
        data.add_series(chart_labels[key], [round(float(v), 4) for v in domains[key]])
    left_w = 6.6
    right_w = _SLIDE_W - 2 * _MARGIN - 0.3 - left_w
    bottom = 6.1
    top = _chart_title(deck, slide, _MARGIN, 1.15, left_w, text["domains"])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.BAR_STACKED,
        _MARGIN,
        top,
        left_w,
        bottom - top,
        data,
        colours=[OKABE_ITO[2], OKABE_ITO[0], OKABE_ITO[1]],
    )
    chart.category_axis.reverse_order = True
    _every_label(chart.category_axis, 11 if len(domains) > 8 else 12)
    # the value axis crosses the reversed categories at their maximum, i.e. stays at the bottom
    chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
    chart.plots[0].gap_width = 40
    chart.plots[0].overlap = 100
    burn = burnup(roadmap, plan)
    data = _ChartData(number_format="0.0")
    data.categories = [chart_labels["start"] if n == 0 else f"S{n}" for n in burn["sprint"]]
    data.add_series(chart_labels["burnup_done"], [round(float(v), 4) for v in burn["done"]])
    data.add_series(chart_labels["burnup_scope"], [round(float(v), 4) for v in burn["scope"]])
    left = _MARGIN + left_w + 0.3
    top = _chart_title(deck, slide, left, 1.15, right_w, text["burnup"])
    chart = deck.chart(
        slide, XL_CHART_TYPE.LINE_MARKERS, left, top, right_w, bottom - top, data, colours=[OKABE_ITO[0], "#555555"]
    )
    _every_label(chart.category_axis, 11)
    chart.value_axis.minimum_scale = 0
    chart.series[1].format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    chart.series[1].format.line.width = Pt(2)
    deck.text_box(slide, _MARGIN, 6.2, _SLIDE_W - 2 * _MARGIN, 0.8, reading, size=14)


def _heat_cell(count: int, risks: str) -> str:
    """A heat-map cell: the count, then the risk IDs two per line on three lines at most."""
    if not count:
        return ""
    ids = [r for r in risks.split(", ") if r]
    shown, rest = (ids, []) if len(ids) <= 6 else (ids[:5], ids[5:])
    lines = [", ".join(shown[i : i + 2]) for i in range(0, len(shown), 2)]
    if rest:
        lines[-1] += f", +{len(rest)}"
    return "\n".join([str(count), *lines])


def _heat_slide(deck: _Deck, analysis: Analysis, reading: str) -> None:
    text = deck.text
    roadmap, plan = analysis.roadmap, analysis.plan
    slide = deck.slide(text["heat"], notes=reading)
    gap = 0.3
    severity = roadmap.settings.severity_scale
    codes = chart_text(deck.lang)["scale_codes"]  # V/G in French (EBIOS RM), L/S in English
    likely, severe = codes[0], codes[1]
    cell = (_SLIDE_W - 2 * _MARGIN - 2 * gap - 3 * 0.45) / (3 * severity)
    widths = [0.45] + [cell] * severity
    maps = (
        (text["heat_before"], heat_map(roadmap)),
        (text["heat_now"], heat_map(roadmap, completions_at(roadmap, None))),
        (text["heat_end"], heat_map(roadmap, completions_at(roadmap, plan.end, plan.finish_dates()))),
    )
    for n, (title, cells) in enumerate(maps):
        left = _MARGIN + n * (sum(widths) + gap)
        deck.text_box(slide, left, 1.15, sum(widths), 0.4, title, size=15, bold=True, colour=_NAVY)
        header = [""] + [f"{severe}{g}" for g in range(1, severity + 1)]
        rows: list[list[str]] = []
        fills: dict[tuple[int, int], tuple[str, str]] = {}
        for r, likelihood in enumerate(range(roadmap.settings.likelihood_scale, 0, -1)):
            row = [f"{likely}{likelihood}"]
            for c, item in enumerate(cells[cells["likelihood"] == likelihood].to_dict("records"), start=1):
                level = int(item["level"])
                row.append(_heat_cell(int(item["count"]), str(item["risks"])))
                fills[(r, c)] = (HEAT_COLOURS[level], HEAT_TEXT[level])
            fills[(r, 0)] = ("#1F3A5F", "#FFFFFF")
            rows.append(row)
        deck.table(
            slide,
            left,
            1.6,
            widths,
            header,
            rows,
            size=11,
            fills=fills,
            align=[PP_ALIGN.CENTER] * len(widths),
            row_height=0.85,
        )
    names = LEVEL_LABELS[deck.lang]
    for level, name in enumerate(names):
        left = _MARGIN + level * 1.9
        swatch = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(5.7), Inches(0.3), Inches(0.3))
        swatch.fill.solid()
        swatch.fill.fore_color.rgb = _rgb(HEAT_COLOURS[level])
        swatch.line.color.rgb = _GREY
        deck.text_box(slide, left + 0.35, 5.65, 1.5, 0.4, name, size=14)
    deck.text_box(slide, 8.1, 5.65, _SLIDE_W - 8.1 - _MARGIN, 0.5, text["heat_scales"], size=12)
    deck.text_box(
        slide, _MARGIN, 6.2, _SLIDE_W - 2 * _MARGIN, 0.8, [reading, (text["heat_method"], 12, False)], size=14
    )


def _sprint_slide(deck: _Deck, analysis: Analysis, reading: str) -> None:
    text, lang = deck.text, deck.lang
    plan = analysis.plan
    load = analysis.sprint_effort()
    slide = deck.slide(text["sprints"], notes=reading)
    data = _ChartData(number_format="0.0")
    data.categories = [f"S{s.index}\n{format_short_day(s.start, lang)}" for s in plan.sprints]
    teams = list(dict.fromkeys(load["team"]))
    for team in teams:
        data.add_series(team, [round(float(v), 4) for v in load.loc[load["team"] == team, "planned"]])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.COLUMN_STACKED,
        _MARGIN,
        _CONTENT_TOP,
        6.3,
        4.8,
        data,
        colours=[OKABE_ITO[n % len(OKABE_ITO)] for n in range(len(teams))],
        value_title=text["sprints_axis"],
    )
    _every_label(chart.category_axis, 11)
    chart.plots[0].gap_width = 50
    chart.plots[0].overlap = 100
    effort = analysis.effort()["teams"]
    rows = [
        [team, _number(figures["planned"], lang, 0), _number(figures["capacity"], lang, 0), _used(figures, lang)]
        for team, figures in effort.items()
    ]
    deck.table(
        slide,
        7.0,
        _CONTENT_TOP + 0.2,
        [2.45, 1.25, 1.25, 0.88],
        [text["team"], text["planned_pd"], text["capacity_pd"], text["used_pct"]],
        [[str(c) for c in r] for r in rows],
        align=[PP_ALIGN.LEFT, PP_ALIGN.RIGHT, PP_ALIGN.RIGHT, PP_ALIGN.RIGHT],
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


_APPENDIX_WIDTHS = (0.95, 5.35, 2.6, 1.1, 0.8, 1.53)


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
