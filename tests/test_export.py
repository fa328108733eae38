"""Board exports (roadmap.exports): the deck reopened with python-pptx, the deck and the report
rendered to PNG, the XLSX plan round trip, formula neutralisation, the CLI.

Rendering needs LibreOffice (``soffice``) and ``pdftoppm``; images need Debian's chromium. A
developer's machine without them skips those tests with the reason; in CI (``CI`` set) their
absence is a failure (``scripts/install-system-deps.sh`` installs them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import MEASURE_HEADERS, SAMPLE, measure, small_sheets, workbook_bytes
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from roadmap import analyse_roadmap, load_roadmap, load_workbook
from roadmap import exports as export
from roadmap.analysis import forecast_analysis
from roadmap.charts import (
    burn_up_figure,
    burnup,
    domain_progress,
    domain_progress_figure,
    sprint_load,
    trajectory_figure,
)
from roadmap.cli import main
from roadmap.errors import ExportError
from roadmap.exports.images import chart_figures
from roadmap.exports.text import _TEXT
from roadmap.forecast_text import add_forecast_band
from roadmap.gantt import gantt_figure
from roadmap.i18n import OFFICE_DATE_FORMATS, format_day, format_days, format_short_day

TODAY = dt.date(2026, 11, 30)
CHROMIUM = Path("/usr/bin/chromium")


def _need(*tools: str) -> None:
    """Skip (fail in CI) when a system tool the test needs is missing."""
    missing = [t for t in tools if (shutil.which(t) is None and not Path(t).exists())]
    if missing:
        message = f"{', '.join(missing)} not installed (run scripts/install-system-deps.sh)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def analysis():
    roadmap, _ = load_roadmap(SAMPLE)
    return analyse_roadmap(roadmap, time_limit=2, crashing=True)


@pytest.fixture(scope="module")
def deck(analysis) -> bytes:
    return export.build_deck(analysis, lang="fr", today=TODAY)


@pytest.fixture(scope="module")
def report(analysis) -> bytes:
    _need(str(CHROMIUM))
    return export.build_pdf(analysis, lang="fr", today=TODAY)


def _charts(prs):
    return [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]


def _slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


# -------------------------------------------------------------------------------------------
# Deck


def test_deck_is_16_9_with_the_board_slides_in_order(analysis, deck):
    prs = Presentation(io.BytesIO(deck))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    titles = export.deck_outline(deck)
    assert titles[:9] == [
        "Centre hospitalier de Rivebelle",
        "Synthèse",
        "Trajectoire du risque résiduel",
        "Avancement",
        "Cartes des risques : avant, aujourd’hui, en fin de plan",
        "Plan de sprints : charge par équipe",
        "Plan de sprints par équipe",
        "Décisions nécessaires",
        "Tiendrons-nous l’horizon ?",
    ]
    deferred = [t for t in titles if t.startswith("Mesures reportées ou bloquées")]
    appendix = [t for t in titles if t.startswith("Annexe — liste des mesures")]
    assert len(titles) == 9 + len(deferred) + len(appendix)
    assert deferred and appendix and appendix[-1].endswith(f"({len(appendix)}/{len(appendix)})")
    assert "Programme de sécurisation — point d’avancement" in _slide_text(prs.slides[0])
    assert "30 novembre 2026" in _slide_text(prs.slides[0])
    # every deferred measure once in the deferred tables; every measure once in the appendix
    body = {t: slide for t, slide in zip(titles, prs.slides, strict=True)}
    deferred_ids = [row.cells[0].text for t in deferred for row in list(_table(body[t]).rows)[1:]]
    assert deferred_ids == [d.id for d in analysis.plan.deferred]
    listed = [row.cells[0].text for t in appendix for row in list(_table(body[t]).rows)[1:]]
    assert listed == [m.id for m in analysis.roadmap.measures]
    assert all(len(_table(body[t]).rows) <= 17 for t in appendix)  # about 15 rows a slide


def _table(slide):
    return next(shape.table for shape in slide.shapes if shape.has_table)


def test_summary_slide_has_status_and_the_three_key_figures(analysis, deck):
    text = _slide_text(Presentation(io.BytesIO(deck)).slides[1])
    status = export.programme_status(analysis)
    assert status.colour == "amber"  # deferred measures, but every risk reaches its target
    assert "ORANGE" in text
    end = f"{analysis.risk.end_of_plan:.1f}".replace(".", ",")  # the optimised plan's, computed
    assert "117,4" in text and "149" in text and end in text  # now, inherent, end of plan
    assert f"{analysis.measures_done} / {analysis.measures_counted}" in text
    blocked = len(status.blocked)
    assert str(len(analysis.plan.deferred)) in text and f"dont {blocked} bloquée{'s' if blocked > 1 else ''}" in text


def test_chart_series_are_the_planner_and_risk_figures(analysis, deck):
    prs = Presentation(io.BytesIO(deck))
    trajectory, domains, burn, load, _forecast = _charts(prs)
    risk = analysis.risk
    series = {s.name: s.values for s in trajectory.plots[0].series}
    optimised = series["Plan compressé (optimisé)"]
    assert optimised[0] == pytest.approx(risk.now, abs=1e-3)
    assert optimised[-1] == pytest.approx(risk.end_of_plan, abs=1e-3)
    assert series["Plan initial sur 3 ans"][-1] == pytest.approx(risk.baseline_at_horizon, abs=1e-3)
    weekly = export.weekly_trajectory(analysis)
    assert len(optimised) == len(weekly) == 14  # 13 Mondays and the end of the horizon
    assert list(series["Compression naïve"]) == pytest.approx(list(weekly["naive"]), abs=1e-3)
    assert list(optimised) == sorted(optimised, reverse=True)  # the plan only lowers the risk

    expected = domain_progress(analysis.roadmap, analysis.plan)
    assert list(domains.plots[0].categories) == list(expected["domain"])
    for s, key in zip(domains.plots[0].series, ("done", "planned", "deferred"), strict=True):
        assert list(s.values) == pytest.approx(list(expected[key]), abs=1e-3)

    cumulative = burnup(analysis.roadmap, analysis.plan)
    assert list(burn.plots[0].series[0].values) == pytest.approx(list(cumulative["done"]), abs=1e-3)
    assert burn.plots[0].series[1].values[0] == pytest.approx(cumulative["scope"].iloc[0])

    planned = analysis.sprint_effort()
    assert len(load.plots[0].categories) == len(analysis.plan.sprints)
    for s in load.plots[0].series:
        assert list(s.values) == pytest.approx(list(planned.loc[planned["team"] == s.name, "planned"]), abs=1e-3)
    # the planned effort, the same figure as the domains' "planned" bars (not the whole days booked)
    assert sum(sum(s.values) for s in load.plots[0].series) == pytest.approx(expected["planned"].sum(), abs=1e-2)
    booked = sprint_load(analysis.plan)["busy"].sum()
    assert booked >= expected["planned"].sum()  # booking rounds each measure up to whole days


def test_chart_slides_carry_their_reading_in_the_speaker_notes(analysis, deck):
    prs = Presentation(io.BytesIO(deck))
    for index in (2, 3, 4, 5):  # trajectory, progress, heat maps, sprint plan
        notes = prs.slides[index].notes_slide.notes_text_frame.text
        assert len(notes) > 40, index
    end = f"{analysis.risk.end_of_plan:.1f}".replace(".", ",")
    assert prs.slides[2].notes_slide.notes_text_frame.text.startswith(
        f"Le plan compressé ramène le risque résiduel de 117,4 à {end}"
    )


SLASHED_DATE = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b(?!\))")
"""A date written ``21/12/2026`` or ``21/12`` (not a page count such as ``(1/7)``)."""


def _day_of(value: object) -> dt.date:
    return pd.Timestamp(value).date()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_charts_write_dates_as_the_tables_do(analysis, lang):
    """Issue 18, one date style: every chart's date axis is labelled by the app's formatting layer
    (``30 nov. 2026``, ``14 déc.``; ``30 Nov 2026`` in English), not by a d3 format (``%d/%m/%Y``,
    English month names), and every date in a hover label is the tables' ``21 déc. 2026``."""
    figures = chart_figures(analysis, lang=lang)
    band = forecast_analysis(analysis, simulations=20).band
    figures["band"] = add_forecast_band(trajectory_figure(analysis.trajectory, lang=lang), band, lang=lang)
    history = pd.DataFrame(
        {"date": pd.to_datetime(["2026-11-30", "2026-12-07", "2026-12-14"]), "pv": [0.0, 5, 10], "ev": [0.0, None, 8]}
    )
    figures["burn_up"] = burn_up_figure(history, lang=lang)
    today = dt.date(2026, 12, 21)
    figures["gantt"] = gantt_figure(analysis.roadmap, analysis.plan, lang=lang, today=today)
    dated = set()
    for name, figure in figures.items():
        for key, axis in figure.layout.to_plotly_json().items():
            if key.startswith(("xaxis", "yaxis")):
                assert "%" not in str(axis.get("tickformat", "")), (name, key)
                if axis.get("type") == "date":
                    dated.add(name)
                    ticks = [_day_of(v) for v in axis["tickvals"]]
                    assert list(axis["ticktext"]) == format_days(ticks, lang), (name, key)
                    assert 2 <= len(ticks) <= 7, (name, key)
        for trace in figure.data:
            template = trace.hovertemplate or ""
            assert "%{x|" not in template and "%{y|" not in template, (name, trace.name)
            if name in dated and "%{customdata}" in template and trace.x is not None and len(trace.x):
                assert list(trace.customdata) == [format_day(_day_of(x), lang) for x in trace.x], (name, trace.name)
    assert dated == {"trajectory", "band", "burn_up", "gantt"}
    bars = [t for t in figures["gantt"].data if t.type == "bar"]
    starts = {row[2] for bar in bars for row in bar.customdata}
    assert {format_day(s.start, lang) for s in analysis.plan.scheduled} == starts
    words = "Au" if lang == "fr" else "As of"
    assert f"{words} {format_day(today, lang)}" in [a.text for a in figures["gantt"].layout.annotations]
    assert any(d in str(figures["trajectory"].to_json()) for d in ("nov.", "Nov"))


@pytest.mark.parametrize(("lang", "unnamed"), [("fr", "Sans domaine"), ("en", "No domain")])
def test_measures_without_a_domain_are_named_in_words(lang, unnamed):
    """A workbook with no domain column (a risk register) has one row of progress by domain, named in
    the reader's language, not a dash; with some domains, it comes last."""
    rows = [measure("M1", domain=""), measure("M2", domain=""), measure("M3", domain="Messagerie")]
    sheets = small_sheets(rows)
    analysis = analyse_roadmap(load_workbook(workbook_bytes(sheets)).roadmap, time_limit=1, crashing=False)
    frame = domain_progress(analysis.roadmap, analysis.plan, lang=lang)
    assert list(frame["domain"]) == ["Messagerie", unnamed]
    assert list(frame["measures"]) == [1, 2]
    sheets["Mesures"] = [[c for n, c in enumerate(row) if n != 2] for row in sheets["Mesures"]]
    assert "Domaine" not in sheets["Mesures"][0]
    analysis = analyse_roadmap(load_workbook(workbook_bytes(sheets)).roadmap, time_limit=1, crashing=False)
    figure = domain_progress_figure(analysis.roadmap, analysis.plan, lang=lang)
    assert {tuple(trace.y) for trace in figure.data} == {(unnamed,)}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_deck_dates_read_as_the_app_writes_them(analysis, deck, lang):
    """The deck's dates are the app's: ``30 nov. 2026`` in sentences and the footer, ``S1`` over
    ``30 nov.`` under the sprint columns, date axes in the deck's language (never ``21/12/2026``,
    ``dd/mm``)."""
    data = deck if lang == "fr" else export.build_deck(analysis, lang="en", today=TODAY)
    prs = Presentation(io.BytesIO(data))
    plan = analysis.plan
    texts = [_slide_text(slide) for slide in prs.slides]
    for n, text in enumerate(texts):
        assert not SLASHED_DATE.findall(text), (n, SLASHED_DATE.findall(text))
    assert format_day(plan.start, lang) in texts[1] and format_day(plan.end, lang) in texts[1]
    footers = [shape.text_frame.text for shape in prs.slides[1].shapes if shape.has_text_frame]
    assert any(t.startswith("Rempart") and t.endswith(format_day(TODAY, lang)) for t in footers)
    load = _charts(prs)[3]
    assert list(load.plots[0].categories) == [f"S{s.index}\n{format_short_day(s.start, lang)}" for s in plan.sprints]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("ppt/charts/chart")]
    dated = [xml for xml in parts if "<c:dateAx>" in xml]
    assert len(dated) >= 2  # the trajectory and the forecast
    for xml in parts:
        assert "dd/mm" not in xml
    for xml in dated:
        assert f'formatCode="{OFFICE_DATE_FORMATS[lang]}"' in xml
    appendix = next(n for n, t in enumerate(export.deck_outline(data)) if t.startswith(("Annexe", "Appendix")))
    rows = [(row.cells[0].text, row.cells[5].text) for row in list(_table(prs.slides[appendix]).rows)[1:]]
    placed = {s.id: s.end for s in plan.scheduled}
    shown = [(ident, end) for ident, end in rows if ident in placed]
    assert shown and all(end == format_day(placed[ident], lang) for ident, end in shown)


def test_the_english_heat_maps_use_english_scale_codes(analysis):
    """L1–L4 / S1–S4 in English (V/G are the French EBIOS RM codes), on the slide and in its key."""
    prs = Presentation(io.BytesIO(export.build_deck(analysis, lang="en", today=TODAY)))
    (slide,) = [s for s in prs.slides if sum(shape.has_table for shape in s.shapes) == 3]
    for table in (shape.table for shape in slide.shapes if shape.has_table):
        assert [c.text for c in table.rows[0].cells] == ["", "S1", "S2", "S3", "S4"]
        assert [table.cell(r, 0).text for r in range(1, 5)] == ["L4", "L3", "L2", "L1"]


def test_heat_maps_place_every_risk_once_with_coloured_cells(analysis, deck):
    slide = Presentation(io.BytesIO(deck)).slides[4]
    tables = [shape.table for shape in slide.shapes if shape.has_table]
    assert len(tables) == 3  # before, now, end of plan
    ids = sorted(r.id for r in analysis.roadmap.risks)
    for table in tables:
        assert [c.text for c in table.rows[0].cells] == ["", "G1", "G2", "G3", "G4"]
        assert [table.cell(r, 0).text for r in range(1, 5)] == ["V4", "V3", "V2", "V1"]
        found, counted = [], 0
        for r in range(1, 5):
            for c in range(1, 5):
                lines = table.cell(r, c).text.split("\n")
                if lines != [""]:
                    listed = ", ".join(lines[1:]).split(", ")
                    more = int(listed.pop()[1:]) if listed[-1].startswith("+") else 0
                    assert int(lines[0]) == len(listed) + more and len(lines) <= 4  # two IDs a line, three lines
                    found += listed
                    counted += int(lines[0])
        assert counted == len(ids) and len(found) == len(set(found)) and set(found) <= set(ids)
    # R01 (V4 × G3) is down to V2 now: MSG-01 (done, effectiveness 0.6) leaves 4 × 0.4 = 1.6 → 2
    assert "R01" in tables[0].cell(1, 3).text and "R01" in tables[1].cell(3, 3).text
    fills = {str(tables[0].cell(r, c).fill.fore_color.rgb) for r in range(1, 5) for c in range(1, 5)}
    assert len(fills) == 4  # the four levels


def test_english_deck_has_english_labels(analysis):
    data = export.build_deck(analysis, lang="en", today=TODAY)
    titles = export.deck_outline(data)
    assert titles[1:9] == [
        "Executive summary",
        "Residual-risk trajectory",
        "Progress",
        "Risk maps: before, now, at the end of the plan",
        "Sprint plan: effort by team",
        "Sprint plan by team",
        "Decisions needed",
        "Will we make it?",
    ]
    prs = Presentation(io.BytesIO(data))
    text = "\n".join(_slide_text(s) for s in list(prs.slides)[:8])
    for french in ("Synthèse", "Réalisé", "Planifié", "semaines", "Équipe", "j.h", "aujourd’hui"):
        assert french not in text, french
    assert "AMBER" in text and "30 November 2026" in text
    assert [s.name for s in _charts(prs)[0].plots[0].series] == [
        "Original 3-year plan",
        "Naive compression",
        "Compressed plan (optimised)",
    ]


def test_unknown_language_is_an_export_error(analysis):
    with pytest.raises(ExportError, match="unknown language"):
        export.build_deck(analysis, lang="de")


# -------------------------------------------------------------------------------------------
# Rendering: not blank, and saved for a person to look at


def _pages_as_png(pdf: bytes, tmp_path: Path, stem: str) -> list[Path]:
    (tmp_path / f"{stem}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(tmp_path / f"{stem}.pdf"), str(tmp_path / stem)],
        check=True,
        timeout=120,
    )
    return sorted(tmp_path.glob(f"{stem}-*.png"))


def _assert_not_blank(path: Path) -> None:
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is None or len(colours) > 20, f"{path.name} is blank"


def _deck_as_pdf(deck: bytes, tmp_path: Path) -> Path:
    """``deck`` converted by LibreOffice to ``tmp_path/deck.pdf`` (its own profile folder)."""
    source = tmp_path / "deck.pptx"
    source.write_bytes(deck)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return tmp_path / "deck.pdf"


def test_deck_renders_to_pages_that_are_not_blank(deck, tmp_path):
    _need("soffice", "pdftoppm")
    pages = _pages_as_png(_deck_as_pdf(deck, tmp_path).read_bytes(), tmp_path, "deck")
    assert len(pages) == len(export.deck_outline(deck))
    for page in pages:
        _assert_not_blank(page)


def test_report_renders_to_pages_that_are_not_blank(analysis, report, tmp_path):
    _need("pdftoppm", "pdftotext")
    pages = _pages_as_png(report, tmp_path, "report")
    assert len(pages) == export.pdf_page_count(report) >= 8
    for page in pages:
        _assert_not_blank(page)
    text = subprocess.run(["pdftotext", "-", "-"], input=report, capture_output=True, check=True).stdout.decode()
    for heading in (
        "Synthèse",
        "Trajectoire du risque résiduel",
        "Décisions nécessaires",
        "Annexe — liste des mesures",
    ):
        assert heading in text
    assert "ORANGE" in text and "MSG-01" in text and "FOU-06" in text
    # one date style: the app's (issue 18), never 21/12/2026
    dates = SLASHED_DATE.findall(re.sub(r"— \d+/\d+\n", "", text))  # not the page numbers
    assert not dates, dates[:5]
    assert format_day(TODAY, "fr") in text and format_day(analysis.plan.start, "fr") in text


def test_chart_images_cover_every_chart_in_png_and_svg(analysis):
    _need(str(CHROMIUM))
    with export.ImageRenderer() as renderer:
        png = export.chart_images(analysis, lang="en", fmt="png", today=TODAY, renderer=renderer)
        svg = export.chart_images(analysis, lang="en", fmt="svg", today=TODAY, renderer=renderer)
    names = ["trajectory", "domain-progress", "burnup", "sprint-load", "gantt", "heat-map-inherent", "heat-map-now"]
    assert list(png) == [f"rempart_centre-hospitalier-de-rivebelle_2026-11-30_{n}.png" for n in names]
    assert all(data.startswith(b"\x89PNG") for data in png.values())
    assert all(b"<svg" in data[:200] for data in svg.values())
    with Image.open(io.BytesIO(png[next(iter(png))])) as image:
        assert image.width == 2200  # 1100 CSS pixels at scale 2


# -------------------------------------------------------------------------------------------
# XLSX plan


def _sheet_values(book: openpyxl.Workbook) -> dict[str, list[tuple]]:
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}


def test_plan_xlsx_reimports_to_the_same_measures(analysis):
    source = SAMPLE.read_bytes()
    data = export.build_plan_xlsx(analysis, source, filename=SAMPLE.name)
    again = load_workbook(data, filename="plan.xlsx")
    assert again.ok and not again.issues
    before, after = analysis.roadmap, again.roadmap
    assert [m.model_dump(exclude={"extra"}) for m in after.measures] == [
        m.model_dump(exclude={"extra"}) for m in before.measures
    ]
    assert (after.risks, after.teams, after.settings) == (before.risks, before.teams, before.settings)
    placed = {s.id: s for s in analysis.plan.scheduled}
    for m in after.measures:
        assert m.extra.get("Sprint planifié") == (str(placed[m.id].sprint) if m.id in placed else None)
        assert m.extra.get("Fin planifiée") == (placed[m.id].end.isoformat() if m.id in placed else None)
        assert ("Raison du report" in m.extra) == (m.id in {d.id for d in analysis.plan.deferred})
    # every other sheet, and every original cell of the measures sheet, unchanged
    original = openpyxl.load_workbook(io.BytesIO(source))
    written = openpyxl.load_workbook(io.BytesIO(data))
    assert written.sheetnames == original.sheetnames
    old, new = _sheet_values(original), _sheet_values(written)
    for name in original.sheetnames:
        if name != "Mesures":
            assert new[name] == old[name]
    width = original["Mesures"].max_column
    assert [row[:width] for row in new["Mesures"]] == old["Mesures"]
    sheet = written["Mesures"]
    assert [c.value for c in sheet[1]][width:] == [
        "Sprint planifié",
        "Début planifié",
        "Fin planifiée",
        "Raison du report",
        "Pourquoi ?",
    ]
    assert sheet.cell(row=1, column=width + 1).font.b == original["Mesures"]["A1"].font.b
    assert len(sheet.data_validations.dataValidation) == len(original["Mesures"].data_validations.dataValidation)
    assert sheet.freeze_panes == original["Mesures"].freeze_panes
    assert sheet.auto_filter.ref.endswith(f"{openpyxl.utils.get_column_letter(width + 5)}80")


def test_plan_xlsx_export_of_an_export_overwrites_its_columns(analysis):
    first = export.build_plan_xlsx(analysis, SAMPLE.read_bytes(), filename=SAMPLE.name)
    second = export.build_plan_xlsx(analysis, first, filename="plan.xlsx")
    assert _sheet_values(openpyxl.load_workbook(io.BytesIO(second))) == _sheet_values(
        openpyxl.load_workbook(io.BytesIO(first))
    )


def test_plan_xlsx_headers_follow_an_english_sheet():
    english = ["ID", "Measure", "Domain", "Team", "Effort (person-days)", "Status", "Depends on", "Fixed sprint"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Measures"
    for row in (
        english,
        ["M1", "Do it", "Directory", "IT", 2, "To do", None, None],
        ["M2", "Then", "", "IT", 1, "", "M1", 1],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    source = buffer.getvalue()
    result = analyse_roadmap(load_workbook(source).roadmap, start=TODAY, time_limit=1, crashing=False)
    written = openpyxl.load_workbook(io.BytesIO(export.build_plan_xlsx(result, source, filename="m.xlsx")))
    assert [c.value for c in written["Measures"][1]][len(english) :] == [
        "Scheduled sprint",
        "Scheduled start",
        "Scheduled end",
        "Deferral reason",
        "Why?",
    ]
    again = load_workbook(export.build_plan_xlsx(result, source, filename="m.xlsx")).roadmap
    assert [m.fixed_sprint for m in again.measures] == [None, 1]  # "Scheduled sprint" is not a fixed sprint


def test_plan_xlsx_needs_a_measures_sheet(analysis):
    book = openpyxl.Workbook()
    book.active.append(["nothing", "here"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ExportError, match="no sheet of measures"):
        export.build_plan_xlsx(analysis, buffer.getvalue(), filename="other.xlsx")


# -------------------------------------------------------------------------------------------
# Neutralisation

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3"]


def _hostile_workbook() -> bytes:
    """Four measures titled like formulas (stored as text, as a person typing '=… would), one of
    them in a domain named like a formula."""
    sheets = small_sheets(
        [
            measure(f"H{n}", title, effort=2, mitigates="R1:0.5", domain=HOSTILE[0] if n == 1 else "Annuaire")
            for n, title in enumerate(HOSTILE, start=1)
        ]
    )
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hostile():
    source = _hostile_workbook()
    roadmap = load_workbook(source).roadmap
    assert [m.title for m in roadmap.measures] == HOSTILE
    return source, analyse_roadmap(roadmap, time_limit=1, crashing=False)


def test_neutralise_only_touches_formula_like_text():
    assert [export.neutralise(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert export.neutralise("\tcmd") == "'\tcmd" and export.neutralise("\rcmd") == "'\rcmd"
    assert [export.neutralise(v) for v in (-2, 3.5, None, "Plain", "a=b", dt.date(2026, 1, 1))] == [
        -2,
        3.5,
        None,
        "Plain",
        "a=b",
        dt.date(2026, 1, 1),
    ]


def test_csv_exports_neutralise_formulas_and_keep_numbers(hostile):
    _, result = hostile
    tables = export.tables(result, lang="fr")
    text = export.to_csv(tables["measures"]).decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert frame["Mesure"].tolist() == ["'" + v for v in HOSTILE]
    assert frame["Domaine"].tolist()[0] == "'" + HOSTILE[0]
    assert frame["Charge (j.h)"].tolist() == ["2.0"] * 4  # numbers stay numbers
    domains = pd.read_csv(io.BytesIO(export.to_csv(tables["domains"])), encoding="utf-8-sig", dtype=str)
    assert domains["Domaine"].tolist() == ["'" + HOSTILE[0], "Annuaire"]
    assert not any(line.startswith(("=", "+", "-", "@")) for line in text.splitlines())
    records = pd.read_json(io.BytesIO(export.to_json(tables["measures"])))
    assert records["Mesure"].tolist() == HOSTILE  # JSON is data, not a spreadsheet: kept as is


def test_xlsx_export_stores_formula_like_text_as_quoted_text(hostile):
    source, result = hostile
    data = export.build_plan_xlsx(result, source, filename="hostile.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Mesures"]
    title = MEASURE_HEADERS.index("Mesure") + 1
    cells = [sheet.cell(row=r, column=title) for r in range(2, 6)]
    assert [c.value for c in cells] == HOSTILE
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)  # Excel shows '=… and never evaluates it
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert [m.title for m in load_workbook(data).roadmap.measures] == HOSTILE  # round trip unchanged


def test_deck_shows_formula_like_text_as_plain_text(hostile):
    _, result = hostile
    data = export.build_deck(result, lang="fr", today=TODAY)
    prs = Presentation(io.BytesIO(data))
    text = "\n".join(_slide_text(s) for s in prs.slides)
    for value in HOSTILE:
        assert value in text
    # the charts' embedded workbooks (what "Edit data" opens in Excel) hold text, not formulas
    for chart in _charts(prs):
        blob = chart.part.chart_workbook.xlsx_part.blob
        book = openpyxl.load_workbook(io.BytesIO(blob))
        assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    domain_chart = _charts(prs)[1]
    assert HOSTILE[0] in list(domain_chart.plots[0].categories)


# -------------------------------------------------------------------------------------------
# File names, CLI


def test_export_filename_is_ascii_with_hospital_and_date(analysis):
    assert (
        export.export_filename(analysis, "deck", "pptx", today=TODAY)
        == "rempart_centre-hospitalier-de-rivebelle_2026-11-30_deck.pptx"
    )
    nameless = analysis.roadmap.replace(settings=analysis.roadmap.settings.model_copy(update={"establishment": ""}))
    other = dataclasses.replace(analysis, roadmap=nameless)
    assert export.export_filename(other, "heat_map_now", "png", today=TODAY) == "rempart_2026-11-30_heat-map-now.png"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("pptx", ["deck.pptx"]),
        ("pdf", ["report.pdf"]),
        ("xlsx", ["plan.xlsx"]),
        ("png", ["trajectory.png", "heat-map-now.png"]),
        ("svg", ["gantt.svg"]),
        ("csv", ["measures.csv", "deferred.csv", "risks.csv"]),
        ("json", ["trajectory.json"]),
    ],
)
def test_cli_export_writes_each_format(fmt, expected, tmp_path, capsys):
    if fmt in ("pdf", "png", "svg"):
        _need(str(CHROMIUM))
    out = tmp_path / "exports"
    code = main(["export", str(SAMPLE), "--format", fmt, "--out", str(out), "--time-limit", "1", "--no-crashing"])
    assert code == 0
    printed = capsys.readouterr().out.split()
    written = sorted(p.name for p in out.iterdir())
    assert sorted(Path(p).name for p in printed) == written
    today = dt.date.today().isoformat()
    for suffix in expected:
        assert f"rempart_centre-hospitalier-de-rivebelle_{today}_{suffix}" in written
    if fmt == "xlsx":
        assert load_workbook(out / written[0]).ok
    if fmt == "pptx":
        assert zipfile.is_zipfile(out / written[0])


def test_cli_export_errors_are_messages_not_tracebacks(tmp_path, capsys):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert main(["export", str(SAMPLE), "--format", "csv", "--out", str(blocked), "--time-limit", "1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write") and "Traceback" not in err
    with pytest.raises(SystemExit) as exc:
        main(["export", str(SAMPLE), "--format", "docx", "--out", str(tmp_path)])
    assert exc.value.code == 2


def test_french_and_english_texts_have_the_same_keys():
    assert set(_TEXT["fr"]) == set(_TEXT["en"])


def test_crashing_sentence_in_french_and_english(analysis):
    french = export.crashing_text(analysis, lang="fr")
    # one unit everywhere: person-days per week (the Équipes sheet's), with the FTE it makes
    assert french.startswith(
        "Pour tout terminer en 13 semaines, il faudrait : «\u00a0Systèmes et annuaire\u00a0» +5\u00a0j.h/semaine "
        "(1\u00a0ETP)"
    )
    assert "Sans renfort, il faudrait 19 semaines." in french and french.endswith("APP-02, FOU-05.")
    english = export.crashing_text(analysis, lang="en")
    assert english.startswith(
        "To finish everything in 13 weeks, it would take: “Systèmes et annuaire” +5 person-days/week (1 FTE)"
    )
    assert "With today's capacity, it takes 19 weeks." in english


def test_plan_xlsx_from_a_csv_source_is_a_new_workbook_that_reimports():
    source = (SAMPLE.parent / "src" / "measures.csv").read_bytes()
    roadmap = load_workbook(source, filename="measures.csv").roadmap
    result = analyse_roadmap(roadmap, start=TODAY, time_limit=1, crashing=False)
    again = load_workbook(export.build_plan_xlsx(result, source, filename="measures.csv"), filename="plan.xlsx")
    assert [m.model_dump(exclude={"extra"}) for m in again.roadmap.measures] == [
        m.model_dump(exclude={"extra"}) for m in roadmap.measures
    ]
    assert sum("Sprint planifié" in m.extra for m in again.roadmap.measures) == len(result.plan.scheduled)
