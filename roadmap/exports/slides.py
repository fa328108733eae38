"""How a slide is drawn with python-pptx: colours, sizes, text that fits, paginated tables and
native charts (:class:`_Deck`).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Inches, Pt
from xlsxwriter import Workbook as XlsxWorkbook

from roadmap.exports.text import _TEXT, Lang, _day
from roadmap.i18n import OFFICE_DATE_FORMATS

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


def fortnightly_ticks(axis: Any, lang: str) -> None:
    """One label every two weeks (a sprint's length) on a date axis, written as the app writes a
    day without its year (:data:`roadmap.i18n.OFFICE_DATE_FORMATS`: ``21 déc.``, ``21 Dec`` in
    ``lang``; weekly labels of that width touch on a full-width chart); PowerPoint's default is
    crowded daily labels in the workbook's long date format."""
    axis.tick_labels.number_format = OFFICE_DATE_FORMATS["fr" if lang == "fr" else "en"]
    axis.tick_labels.number_format_is_linked = False
    element = axis._element
    base = element.find(qn("c:baseTimeUnit"))
    for tag, value in (("c:majorTimeUnit", "days"), ("c:majorUnit", "14")):
        child = OxmlElement(tag)
        child.set("val", value)
        if base is not None:
            base.addnext(child)
        else:
            element.append(child)
