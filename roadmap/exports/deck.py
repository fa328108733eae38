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

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
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
    sprint_load,
)
from roadmap.errors import ExportError
from roadmap.exports.forecast_slide import forecast_slide
from roadmap.exports.frames import weekly_trajectory
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
    weekly_ticks,
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
)
from roadmap.planning.forecast import Forecast
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
    scenario: ScenarioPlan | None = None,
) -> bytes:
    """The board deck: a 16:9 PPTX with native, editable charts (PRODUCT.md §7).

    Slides: title; executive summary (status and three key figures); residual-risk trajectory
    (line chart, weekly points of :func:`weekly_trajectory`); progress (stacked bars of
    :func:`roadmap.charts.domain_progress` and the burn-up of :func:`roadmap.charts.burnup`);
    heat maps before / now (tables); sprint plan (stacked columns of
    :func:`roadmap.charts.sprint_load` and a table per team); decisions needed; the forecast ("will we make it?": Monte
    Carlo verdict, P10–P90 band, criticality, risks: :mod:`roadmap.exports.forecast_slide`); deferred or
    blocked measures (as many slides as needed); appendix: the measure list, about 15 rows a
    slide. Chart slides carry the chart's one-line reading in their speaker notes.

    Args:
        lang: ``fr`` or ``en``.
        today: the date on the title slide and in the footers (default today).
        forecast: the plan's forecast (default: computed, :func:`roadmap.analysis.forecast_analysis`).
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
    _summary_slide(deck, analysis)
    _trajectory_slide(deck, analysis, readings["trajectory"])
    _progress_slide(deck, analysis, readings["domains"] + " " + readings["burnup"])
    _heat_slide(deck, analysis, readings["heat"])
    _sprint_slide(deck, analysis, readings["sprints"])
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
    weekly_ticks(axis)
    deck.text_box(slide, _MARGIN, 6.05, _SLIDE_W - 2 * _MARGIN, 0.9, [reading, (text["trajectory_note"], 14, False)])


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
