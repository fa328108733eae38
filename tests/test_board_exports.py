"""The board's deck and report tell the whole truth: the status takes the progress against the
frozen plan into account, a slide and a report section show it, the deck's figures are the CLI's,
and every slide and page renders without text running out of its place.

Uses the sample and its history (``data/sample/history/``, the plan frozen on its first Monday).
Rendering needs LibreOffice (``soffice``), ``pdftoppm``, ``pdftotext`` and ``pdfimages``; a
developer's machine without them skips those tests, CI fails (``scripts/install-system-deps.sh``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from pptx import Presentation
from pptx.util import Emu
from test_export import CHROMIUM, _deck_as_pdf, _need, _pages_as_png, _slide_text

from roadmap import analyse_roadmap, cli, load_roadmap
from roadmap import exports as export
from roadmap.analysis import programme_status
from roadmap.exports.plan_slides import lanes, progress_points
from roadmap.exports.slides import _lines
from roadmap.exports.text import _TEXT
from roadmap.i18n import format_day, format_short_day
from roadmap.progress import progress_report
from roadmap.security.roles import SYSTEM
from roadmap.store.database import open_store
from roadmap.store.snapshots import content_hash, freeze_plan, record_snapshot, snapshots

TODAY = dt.date(2026, 12, 21)
HISTORY = ROOT / "data" / "sample" / "history"


@pytest.fixture(scope="module")
def analysis():
    roadmap, _ = load_roadmap(SAMPLE)
    return analyse_roadmap(roadmap, time_limit=2, crashing=True)


@pytest.fixture(scope="module")
def history_db(tmp_path_factory) -> str:
    """The sample's four snapshots in a SQLite store, the plan of the first frozen on its day."""
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.db'}"
    engine = open_store(url)
    for path in sorted(HISTORY.glob("rivebelle-*.xlsx")):
        data = path.read_bytes()
        roadmap, _ = load_roadmap(data, filename=path.name)
        day = dt.date.fromisoformat(path.stem.removeprefix("rivebelle-"))
        record_snapshot(
            engine, "Centre hospitalier de Rivebelle", roadmap, taken_at=day, content_hash=content_hash(data), by=SYSTEM
        )
    first = snapshots(engine, "Centre hospitalier de Rivebelle")[0]
    frozen = analyse_roadmap(first.roadmap, time_limit=2, crashing=False)
    freeze_plan(engine, "Centre hospitalier de Rivebelle", frozen, by=SYSTEM, at=dt.datetime(2026, 11, 30, 8))
    return url


@pytest.fixture(scope="module")
def progress(history_db):
    from roadmap.store.snapshots import latest_frozen_plan

    engine = open_store(history_db)
    plan = latest_frozen_plan(engine, "Centre hospitalier de Rivebelle")
    return progress_report(plan, snapshots(engine, "Centre hospitalier de Rivebelle"))


@pytest.fixture(scope="module")
def deck(analysis, progress) -> bytes:
    return export.build_deck(analysis, lang="fr", today=TODAY, progress=progress)


def _fr(value: float, digits: int = 1) -> str:
    """A number as the French deck writes it (decimal comma, no trailing zero)."""
    text = f"{round(value, digits):.{digits}f}".rstrip("0").rstrip(".") if digits else f"{round(value):.0f}"
    return text.replace(".", ",")


def _fr_int(value: float) -> str:
    """A whole number as Babel writes it in French (narrow no-break space between thousands)."""
    return f"{round(value):,}".replace(",", "\u202f")


# -------------------------------------------------------------------------------------------
# The status rule


def test_status_takes_the_schedule_slip_into_account(analysis, progress):
    # the sample's history: behind its frozen plan, late measures, a forecast end after the plan's
    assert progress.spi is not None and 0.8 <= progress.spi < 0.95 and progress.late
    assert progress.forecast_end > progress.plan_end
    status = programme_status(analysis, progress)
    assert status.colour == "amber" and status.slipping
    assert status.reasons == ("deferred", "spi_amber", "forecast_late", "late")
    assert (status.spi, status.forecast_end, status.late) == (progress.spi, progress.forecast_end, progress.late)
    assert programme_status(analysis).reasons == ("deferred",)  # no history: the plan alone

    on_time = dataclasses.replace(progress, spi=1.0, forecast_end=progress.plan_end, late=())
    fits = dataclasses.replace(analysis, plan=dataclasses.replace(analysis.plan, deferred=()))
    assert programme_status(fits, on_time).colour == "green"
    assert programme_status(fits, dataclasses.replace(on_time, spi=0.94)).reasons == ("spi_amber",)
    assert programme_status(fits, dataclasses.replace(on_time, late=("AD-01",))).colour == "amber"
    later = progress.plan_end + dt.timedelta(days=1)
    assert programme_status(fits, dataclasses.replace(on_time, forecast_end=later)).reasons == ("forecast_late",)
    red = programme_status(fits, dataclasses.replace(on_time, spi=0.79))
    assert red.colour == "red" and red.reasons == ("spi_red",)
    assert programme_status(fits, dataclasses.replace(on_time, spi=0.8)).colour == "amber"  # 0.80 itself is amber


# -------------------------------------------------------------------------------------------
# The progress slide and report section


def test_summary_and_progress_slide_tell_the_slip(analysis, progress, deck):
    prs = Presentation(io.BytesIO(deck))
    titles = export.deck_outline(deck)
    assert titles[1:4] == ["Synthèse", "Avancement par rapport au plan figé", "Trajectoire du risque résiduel"]
    spi = _fr(progress.spi, 2)
    forecast = format_day(progress.forecast_end, "fr")
    summary = _slide_text(prs.slides[1])
    assert "ORANGE" in summary and f"SPI {spi}" in summary and forecast in summary
    assert f"{len(progress.late)} mesures en retard" in summary and "SPI est sous 0,80" in summary  # the rule

    slide = prs.slides[2]
    text = _slide_text(slide)
    assert spi in text and forecast in text and format_day(progress.plan_end, "fr") in text
    assert _fr_int(progress.ev) in text and _fr_int(progress.pv) in text
    late_ids = [row.cells[0].text for row in list(next(s.table for s in slide.shapes if s.has_table).rows)[1:]]
    assert late_ids == list(progress.late[:6])
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    planned, earned = (list(s.values) for s in chart.plots[0].series)
    points = progress_points(progress)
    assert planned == pytest.approx(list(points["pv"]), abs=0.01)
    snapshots_ev = [v for v in earned if v is not None]
    assert snapshots_ev == pytest.approx(list(progress.burn_up["ev"].dropna()), abs=0.01)
    assert snapshots_ev[-1] == pytest.approx(progress.ev, abs=0.01)  # as of the last snapshot
    assert "SPI" in slide.notes_slide.notes_text_frame.text


def test_deck_without_history_has_no_progress_slide(analysis):
    titles = export.deck_outline(export.build_deck(analysis, lang="fr", today=TODAY))
    assert "Avancement par rapport au plan figé" not in titles


def test_gantt_places_every_scheduled_measure_once_without_overlap(analysis, deck):
    prs = Presentation(io.BytesIO(deck))
    slide = prs.slides[export.deck_outline(deck).index("Plan de sprints par équipe")]
    bars = [s for s in slide.shapes if s.name.startswith("Gantt ")]
    assert sorted(b.name.removeprefix("Gantt ") for b in bars) == sorted(s.id for s in analysis.plan.scheduled)
    for a in bars:  # bars on the same lane never overlap
        for b in bars:
            if a is not b and a.top == b.top:
                assert a.left + a.width <= b.left or b.left + b.width <= a.left, (a.name, b.name)
    placed = lanes(analysis.plan.scheduled)
    for team, lane, measure in placed:
        same = [m for t, n, m in placed if t == team and n == lane and m is not measure]
        assert all(m.end < measure.start or measure.end < m.start for m in same)


# -------------------------------------------------------------------------------------------
# One source: the deck says what the CLI says


def _cli(monkeypatch, capsys, analysis, *args: str) -> str:
    monkeypatch.setattr(cli, "analyse_roadmap", lambda *a, **k: analysis)  # the same plan for both commands
    capsys.readouterr()
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out


def test_deck_numbers_equal_the_cli(analysis, history_db, monkeypatch, capsys, tmp_path):
    data = json.loads(_cli(monkeypatch, capsys, analysis, "plan", str(SAMPLE), "--json", "--simulations", "50"))
    report = json.loads(_cli(monkeypatch, capsys, analysis, "progress", "--db", history_db, "--json"))
    written = _cli(
        monkeypatch,
        capsys,
        analysis,
        "export",
        str(SAMPLE),
        "--format",
        "pptx",
        "--out",
        str(tmp_path),
        "--db",
        history_db,
    )
    deck = Path(written.strip()).read_bytes()
    prs = Presentation(io.BytesIO(deck))
    text = {title: _slide_text(slide) for title, slide in zip(export.deck_outline(deck), prs.slides, strict=True)}
    summary = text["Synthèse"]
    risk = data["risk"]
    assert f"{_fr(risk['now'])}\n" in summary + "\n" and f"initial\u00a0: {_fr(risk['inherent'])}" in summary
    assert f"fin de plan\u00a0: {_fr(risk['end_of_plan'])}" in summary
    assert f"{data['done']} / {data['measures'] - data['cancelled']}" in summary
    assert re.search(rf"Mesures reportées\n{data['deferred']}\n", summary)
    start, end = (format_day(dt.date.fromisoformat(data[k]), "fr") for k in ("start", "end"))
    assert f"du {start} au {end} : {len(data['sprints'])} sprints, {data['working_days']} jours ouvrés" in summary
    assert f"SPI {_fr(report['spi'], 2)}" in summary
    assert format_day(dt.date.fromisoformat(report["forecast_end"]), "fr") in summary

    effort = data["effort"]
    domains = text["Avancement"]
    planned, deferred = _fr_int(effort["planned"]), _fr_int(effort["deferred"])
    assert f"{planned} jours-homme sont planifiés dans l’horizon et {deferred} reportés" in domains
    sprints = text["Plan de sprints : charge par équipe"]
    used = round(100 * effort["planned"] / effort["capacity"])
    assert f"{planned} jours-homme planifiés sur {len(data['sprints'])} sprints, pour une capacité de " in sprints
    assert f"{_fr_int(effort['capacity'])} jours-homme ({used}\u00a0% utilisés)" in sprints
    for team, figures in effort["teams"].items():  # the table repeats each team's planned effort and capacity
        share = round(100 * figures["planned"] / figures["capacity"])
        assert f"{team}\n{_fr_int(figures['planned'])}\n{_fr_int(figures['capacity'])}\n{share}\u00a0%" in sprints

    decisions = text["Décisions nécessaires"]
    for team, extra in data["crashing"]["extra_person_days_per_week"].items():  # the one unit: per week
        if extra > 0:
            share = round(100 * effort["teams"][team]["planned"] / effort["teams"][team]["capacity"])
            assert (
                f"{team} : +{_fr(extra)}\u00a0j.h/semaine ({_fr(extra / 5)}\u00a0ETP ; "
                f"{share}\u00a0% de sa capacité déjà planifiée)"
            ) in decisions
    assert f"il faudrait {_fr(data['crashing']['horizon_weeks_needed'])} semaines" in decisions

    progress_text = text["Avancement par rapport au plan figé"]
    assert _fr(report["spi"], 2) in progress_text and str(len(report["late"])) in progress_text
    assert f"{_fr_int(report['ev'])}\u00a0j.h acquis pour {_fr_int(report['pv'])}\u00a0j.h planifiés" in progress_text


def test_effort_is_one_figure_everywhere(analysis):
    effort = analysis.effort()
    planned = analysis.sprint_effort()
    assert planned["planned"].sum() == pytest.approx(effort["planned"], abs=1e-6)
    assert sum(t["planned"] for t in effort["teams"].values()) == pytest.approx(effort["planned"], abs=1e-6)
    assert effort["done"] + effort["planned"] + effort["deferred"] == pytest.approx(effort["total"], abs=1e-6)
    assert analysis.to_json()["effort"]["planned"] == round(effort["planned"], 2)


# -------------------------------------------------------------------------------------------
# Rendering: every slide and page, with nothing a board would notice


def _text_boxes_fit(prs) -> list[str]:
    """Text boxes whose text needs more lines than their height holds (estimate of slides._lines,
    lines 1.2 × the font size apart, 0.1 in of margins)."""
    problems = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if not shape.has_text_frame or shape.has_chart or not shape.text_frame.text.strip():
                continue
            if shape.name.startswith("Gantt "):
                continue
            width = Emu(shape.width).inches - 0.1
            needed = 0.1
            for paragraph in shape.text_frame.paragraphs:
                size = max((r.font.size.pt for r in paragraph.runs if r.font.size), default=18)
                needed += _lines(paragraph.text or " ", width, size) * size * 1.2 / 72
            if needed > Emu(shape.height).inches + 0.05:  # main's 2-line chart title over its plot: +0.25 in
                problems.append(f"slide {number}: {shape.text_frame.text[:50]!r} needs {needed:.2f} in")
    return problems


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of each word on a page, in points (pdftotext -bbox)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, html)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_slide_renders_inside_its_place(analysis, progress, lang, tmp_path):
    _need("soffice", "pdftoppm", "pdftotext")
    data = export.build_deck(analysis, lang=lang, today=TODAY, progress=progress)
    prs = Presentation(io.BytesIO(data))
    assert _text_boxes_fit(prs) == []
    pdf = _deck_as_pdf(data, tmp_path)
    titles = export.deck_outline(data)
    assert len(_pages_as_png(pdf.read_bytes(), tmp_path, "deck")) == len(titles)
    footer = set(f"Rempart — Centre hospitalier de Rivebelle — {format_day(TODAY, lang)}".split()) | {
        str(n) for n in range(100)
    }
    for page in range(1, len(titles) + 1):
        words = _words(pdf, page)
        assert words, page
        for x0, y0, x1, y1, word in words:  # 13.333 × 7.5 in = 960 × 540 pt
            assert x0 >= 0 and y0 >= 0 and x1 <= 960.5 and y1 <= 540.5, (page, word)
            if y1 > 7.0 * 72:  # the footer band: nothing else runs into it
                assert word in footer, (page, word)
    progress_page = titles.index("Avancement" if lang == "fr" else "Progress") + 1
    shown = " ".join(w for *_, w in _words(pdf, progress_page))
    for domain in {m.domain for m in analysis.roadmap.measures if m.domain}:
        for word in domain.split():  # every domain is labelled, not one in two
            assert word in shown.split(), (domain, word)
    assert ("Départ" if lang == "fr" else "Start") in shown.split()  # not broken inside the word
    # the date axes as LibreOffice draws them: the months in the deck's language, never dd/mm
    page = titles.index(_TEXT[lang]["trajectory"]) + 1
    trajectory = " ".join(w for *_, w in _words(pdf, page))
    assert format_short_day(analysis.plan.start, lang) in trajectory, trajectory
    assert not re.search(r"\b\d\d/\d\d\b", trajectory)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_report_page_carries_more_than_an_orphan_line(analysis, progress, lang, tmp_path):
    _need(str(CHROMIUM), "pdftoppm", "pdftotext", "pdfimages")
    data = export.build_pdf(analysis, lang=lang, today=TODAY, progress=progress)
    pages = _pages_as_png(data, tmp_path, "report")
    assert len(pages) == export.pdf_page_count(data)
    pdf = tmp_path / "report.pdf"
    for page in range(1, len(pages) + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        body = [line for line in text.splitlines() if line.strip() and "Rempart —" not in line]
        images = subprocess.run(
            ["pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf)],
            capture_output=True,
            check=True,
            text=True,
        ).stdout.splitlines()[2:]
        assert len(body) >= 2 and (len(body) >= 6 or images), f"page {page}: {body}"
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    heading = "Avancement par rapport au plan figé" if lang == "fr" else "Progress against the frozen plan"
    assert heading in text and all(ident in text for ident in progress.late)
    spi = _fr(progress.spi, 2) if lang == "fr" else f"{progress.spi:.2f}"
    assert f"SPI {spi}" in text


def test_a_programme_well_behind_its_plan_is_red_and_the_summary_still_fits(analysis, progress):
    behind = dataclasses.replace(progress, spi=0.7)
    for lang, word, sentence in (
        ("fr", "ROUGE", "Retard important sur le plan figé : SPI 0,7"),
        ("en", "RED", "Well behind the frozen plan: SPI 0.7"),
    ):
        prs = Presentation(io.BytesIO(export.build_deck(analysis, lang=lang, today=TODAY, progress=behind)))
        summary = _slide_text(prs.slides[1])
        assert word in summary and sentence in summary
        assert _text_boxes_fit(prs) == []
