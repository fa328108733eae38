"""The PDF report.

* PDF: fpdf2. It is pure Python (WeasyPrint needs Pango and Cairo, xhtml2pdf drags ReportLab
  and html5lib), embeds and subsets a TrueType font — DejaVu Sans (Debian ``fonts-dejavu-core``)
  for French accents, ``’``, ``«»`` and ``→`` —, has tables that break across pages with
  repeated headings, and takes PNG images from memory. A report builds in well under a second
  apart from the chart images.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, XPos, YPos
from PIL import Image

from roadmap.analysis import Analysis, forecast_analysis, programme_status
from roadmap.charts import (
    HEAT_COLOURS,
    HEAT_TEXT,
    burn_up_figure,
    chart_text,
)
from roadmap.errors import ExportError
from roadmap.exports.forecast_slide import critical_rows, risk_rows
from roadmap.exports.forecast_slide import words as forecast_words
from roadmap.exports.images import ImageRenderer, _renderer, chart_figures
from roadmap.exports.slides import _STATUS_FILL
from roadmap.exports.text import (
    _STATUSES,
    _TEXT,
    Lang,
    _appendix_rows,
    _day,
    _decision_items,
    _hospital,
    _lang,
    _number,
    _percent,
    _readings,
    _status_why,
    _used,
    progress_words,
    say,
)
from roadmap.forecast_text import add_forecast_band, verdict_text
from roadmap.planning.forecast import Forecast
from roadmap.progress import ProgressReport
from roadmap.risk import (
    completions_at,
    heat_map,
)
from roadmap.wording import deferral_text

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

    def picture(self, png: bytes, *, width: float = 180, room_after: float = 0) -> None:
        """``png`` centred, ``width`` mm wide, or narrower (aspect kept) when it would not fit on the
        page above ``room_after`` mm kept for what follows it (its reading): a tall chart, such as the
        Gantt of a long plan, never leaves its heading alone on a page. Below 60 % of ``width`` it
        goes to the next page instead."""
        with Image.open(io.BytesIO(png)) as image:
            ratio = image.height / image.width
        room = self.page_break_trigger - self.y - room_after - 2
        if room < 0.6 * width * ratio and self.y > self.t_margin + 40:  # something above it: a new page
            self.add_page()
            room = self.page_break_trigger - self.y - room_after - 2
        width = max(40.0, min(width, room / ratio))
        self.image(io.BytesIO(png), w=width, x=self.l_margin + (self.epw - width) / 2)
        self.ln(2)

    def keep_together(self, draw: Callable[[FPDF], None]) -> None:
        """Draw ``draw``'s block where the page is, or at the top of the next page when it would
        not fit in what is left (a dry run first, fpdf2's ``offset_rendering``), so that no page
        carries a lone line of it."""
        with self.offset_rendering() as dry:
            draw(dry)  # type: ignore[arg-type]  # the recorder stands for the report
        if dry.page_break_triggered:
            self.add_page()
        draw(self)

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
    analysis: Analysis,
    *,
    lang: str = "fr",
    today: dt.date | None = None,
    renderer: ImageRenderer | None = None,
    forecast: Forecast | None = None,
    progress: ProgressReport | None = None,
) -> bytes:
    """The PDF report: the deck's content on A4 portrait pages.

    Summary (status, key figures, decisions), with ``progress`` the progress against the frozen
    plan (SPI, earned and planned value, forecast end, late measures, the burn-up of
    :func:`roadmap.charts.burn_up_figure`), residual-risk trajectory, progress by domain and
    burn-up, heat maps before / now (tables), sprint plan (team load, Gantt chart), deferred or
    blocked measures, appendix with every measure. Charts are PNG images of
    :mod:`roadmap.charts` figures rendered by one :class:`ImageRenderer`.

    Args:
        lang: ``fr`` or ``en``.
        today: the date of the report (default today).
        renderer: a running renderer to reuse; by default one is started for this report.
        forecast: the plan's Monte Carlo forecast (default: computed); its P10–P90 band is drawn
            on the trajectory and its verdict, criticality and risks follow it.
        progress: earned value against the frozen plan (:func:`roadmap.progress.progress_report`);
            ``None`` when no plan is frozen. The status follows :func:`roadmap.analysis.programme_status`.

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
    names: tuple[str, ...] = ("trajectory", "domain_progress", "burnup", "sprint_load", "gantt")
    for name in names:  # the report gives each chart a heading, and its reading as text
        figures[name].update_layout(title=None, margin={"t": 30}, font={"size": 15})
    figures["gantt"].update_yaxes(tickfont={"size": 11})
    if progress is not None:
        figures["progress"] = burn_up_figure(progress.burn_up, lang=code)
        figures["progress"].update_layout(title=None, margin={"t": 30}, font={"size": 15}, height=420)
        names = (*names, "progress")
    outlook = forecast or forecast_analysis(analysis)
    add_forecast_band(figures["trajectory"], outlook.band, lang=code)
    with _renderer(renderer) as images:
        png = {name: images.render(figures[name], width=900) for name in names}
    pdf = _Report(text["footer"].format(hospital=hospital, date=_day(day, code)))
    pdf.set_title(f"{hospital} — {text['subtitle']}")
    pdf.set_author("Rempart")
    pdf.set_lang("fr-FR" if code == "fr" else "en-GB")
    pdf.set_creation_date(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC))
    pdf.add_page()
    _pdf_summary(pdf, analysis, code, hospital, day, progress)
    if progress is not None:
        pdf.add_page()
        _pdf_progress(pdf, analysis, progress, png["progress"], code)

    pdf.add_page()
    pdf.heading(text["trajectory"])
    pdf.picture(png["trajectory"])
    pdf.paragraph(readings["trajectory"] + " " + text["trajectory_note"])
    pdf.keep_together(lambda report: _pdf_forecast(report, analysis, outlook, code))  # type: ignore[arg-type]
    pdf.add_page()
    pdf.heading(text["domains"], 13)
    pdf.picture(png["domain_progress"], width=170)
    pdf.paragraph(readings["domains"])
    pdf.heading(text["burnup"], 13)
    pdf.picture(png["burnup"], width=170)
    pdf.paragraph(readings["burnup"])
    pdf.add_page()
    pdf.heading(text["heat"], 13)
    _pdf_heat_maps(pdf, analysis, code)
    pdf.paragraph(readings["heat"])
    pdf.paragraph(text["heat_scales"] + " " + text["heat_method"], size=9)

    pdf.add_page()
    pdf.heading(text["sprints"])
    pdf.picture(png["sprint_load"])
    pdf.paragraph(readings["sprints"])
    pdf.grid(
        [text["team"], text["planned_pd"], text["capacity_pd"], text["used_pct"]],
        [
            [team, _number(row["planned"], code, 0), _number(row["capacity"], code, 0), _used(row, code)]
            for team, row in analysis.effort()["teams"].items()
        ],
        [70, 35, 35, 25],
        size=10,
        align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
    )
    pdf.add_page()
    pdf.heading(chart_text(code)["gantt"], 13)
    pdf.picture(png["gantt"], room_after=15)
    pdf.paragraph(readings["gantt"])

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
        [17, 66, 36, 22, 13, 26],
    )
    return bytes(pdf.output())


def _pdf_forecast(pdf: _Report, analysis: Analysis, forecast: Forecast, lang: Lang) -> None:
    """The forecast: the verdict, the measures that most often delay the end, the risks least
    sure to reach their target (:mod:`roadmap.exports.forecast_slide`)."""
    words = forecast_words(lang)
    pdf.heading(str(words["title"]), 13)
    pdf.paragraph(verdict_text(forecast, lang=lang, scheduled=len(analysis.plan.scheduled)))
    rows = critical_rows(forecast, lang=lang)
    if rows:
        pdf.paragraph(str(words["critical"]), bold=True)
        pdf.grid(list(words["header"]), rows, [40, 40, 30], size=10, align=("LEFT", "LEFT", "RIGHT"))
    risks = risk_rows(forecast, lang=lang)
    if risks:
        pdf.paragraph(str(words["risks"]), bold=True)
        pdf.grid(list(words["risk_header"]), risks, [40, 40], size=10, align=("LEFT", "RIGHT"))
    pdf.paragraph(str(words["note"]).format(runs=_number(forecast.simulations, lang, 0)), size=9)


def _pdf_progress(pdf: _Report, analysis: Analysis, report: ProgressReport, chart: bytes, lang: Lang) -> None:
    """Progress against the frozen plan: the four figures, the burn-up, the late measures."""
    text = _TEXT[lang]
    pdf.heading(text["progress_title"])
    words = progress_words(report, lang)
    spi, end, forecast = words["spi"], words["end"], words["forecast"]
    pdf.grid(
        [text["ev_spi"], text["ev_values"], text["ev_forecast"], text["ev_late"]],
        [
            [spi, _number(report.ev, lang, 0), forecast, str(len(report.late))],
            [
                text["ev_spi_detail"].format(date=_day(report.as_of, lang)),
                text["ev_values_detail"].format(pv=_number(report.pv, lang, 0)),
                text["ev_forecast_detail"].format(end=end),
                text["ev_late_detail"],
            ],
        ],
        [45, 45, 45, 45],
        size=10,
        align="CENTER",
    )
    pdf.paragraph(words["reading"])
    pdf.heading(text["ev_chart"], 12)
    pdf.picture(chart, width=170)
    pdf.heading(text["ev_late_table"], 12)
    if report.late:
        measures = analysis.roadmap.measure_by_id
        rows = []
        for ident in report.late:
            measure = measures.get(ident)
            state = "" if measure is None else _STATUSES[lang][measure.status]
            if measure is not None and measure.is_open and measure.progress:
                state = f"{_number(measure.progress, lang, 0)}\u00a0%"
            rows.append([ident, measure.title if measure else "", measure.team if measure else "", state])
        pdf.grid([text["id"], text["measure"], text["team"], text["status_col"]], rows, [18, 100, 40, 22])
    else:
        pdf.paragraph(text["ev_none_late"])
    pdf.paragraph(text["ev_method"], size=9)


def _pdf_summary(
    pdf: _Report, analysis: Analysis, lang: Lang, hospital: str, day: dt.date, progress: ProgressReport | None
) -> None:
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
    status = programme_status(analysis, progress)
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
    why = " ".join(_status_why(status, lang))
    pdf.set_xy(pdf.l_margin + 50, top)
    pdf.set_font("DejaVu", "B", 10.5)
    pdf.multi_cell(pdf.epw - 50, 5, why, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    horizon = text["horizon"].format(
        start=_day(plan.start, lang),
        end=_day(plan.end, lang),
        sprints=say("n_sprints", len(plan.sprints), lang),
        days=len(plan.days),
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
                say("fig_deferred_detail", len(status.blocked), lang, blocked=len(status.blocked)),
            ],
        ],
        [60, 60, 60],
        size=10,
        align="CENTER",
    )
    pdf.heading(text["decisions"], 13)
    for line, level, bold in _decision_items(analysis, lang):
        pdf.paragraph(("• " if level == 0 else "– ") + line, bold=bold, indent=6 * level)


def _pdf_heat_maps(pdf: _Report, analysis: Analysis, lang: Lang) -> None:
    text = _TEXT[lang]
    codes = chart_text(lang)["scale_codes"]  # V/G in French (EBIOS RM), L/S in English
    likely, severe = codes[0], codes[1]
    roadmap, plan = analysis.roadmap, analysis.plan
    settings = roadmap.settings
    for title, cells in (
        (text["heat_before"], heat_map(roadmap)),
        (text["heat_now"], heat_map(roadmap, completions_at(roadmap, None))),
        (text["heat_end"], heat_map(roadmap, completions_at(roadmap, plan.end, plan.finish_dates()))),
    ):
        pdf.paragraph(title, size=11, bold=True)
        rows, fills = [], {}
        for r, likelihood in enumerate(range(settings.likelihood_scale, 0, -1)):
            row = [f"{likely}{likelihood}"]
            fills[(r, 0)] = ("#1F3A5F", "#FFFFFF")
            for c, cell in enumerate(cells[cells["likelihood"] == likelihood].to_dict("records"), start=1):
                count, level = int(cell["count"]), int(cell["level"])
                row.append(f"{count}\n{cell['risks']}" if count else "")
                fills[(r, c)] = (HEAT_COLOURS[level], HEAT_TEXT[level])
            rows.append(row)
        header = [""] + [f"{severe}{g}" for g in range(1, settings.severity_scale + 1)]
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
