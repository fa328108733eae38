"""Safe output (issue 8): text from a workbook is drawn as literal text in every figure and export,
never as HTML or Markdown that could inject a link or a script.

The workbook below puts HTML and Markdown in a measure ID and title, a team, a domain, a risk ID and
name and the establishment. Plotly draws a subset of HTML (``<a href>``, ``<b>``, ``<br>``…) in every
string of a figure, so each figure's JSON must hold the escaped forms (``&lt;a …``) only, while its
visible text (entities decoded, as plotly draws it) still reads as typed.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import shutil
import string
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import measure, small_sheets, workbook_bytes
from pptx import Presentation

from roadmap import analyse_roadmap, load_workbook
from roadmap import exports as export
from roadmap.analysis import Analysis
from roadmap.charts import (
    burn_up_figure,
    burnup_figure,
    domain_progress_figure,
    heat_map_figure,
    plotly_text,
    sprint_load_figure,
    trajectory_figure,
)
from roadmap.gantt import gantt_figure
from roadmap.risk import completions_at, heat_map
from roadmap.wording import markdown_text

TODAY = dt.date(2026, 11, 30)
CHROMIUM = Path("/usr/bin/chromium")

LINK = '<a href="https://evil.example/x">click</a>'
BOLD = "<b>bold</b>"
SCRIPT = "<script>alert(1)</script>"
MD_LINK = "[link](https://evil.example)"
MD_IMAGE = "![img](https://evil.example/p.png)"

RAW = ("<a ", "<a>", BOLD, "<script", "</script")
"""Markup that must never reach a figure unescaped (our own labels use ``<b>n</b>`` on heat maps
and ``<br>``, never these)."""

MEASURE_ID = f"M1{BOLD}"
TITLE = f"Titre {LINK} {SCRIPT} {MD_IMAGE}"
TEAM = f"Systèmes {BOLD} {MD_LINK}"
DOMAIN = f"Domaine {SCRIPT} {LINK} {MD_LINK}"
RISK_ID = f"R1{BOLD}"
RISK_NAME = f"Scénario {LINK} {MD_IMAGE}"
ESTABLISHMENT = f"CH {LINK} {BOLD} {MD_LINK}"


def hostile_sheets() -> dict[str, list[list[Any]]]:
    """:func:`small_sheets` with HTML and Markdown in every kind of workbook text."""
    sheets = small_sheets(
        [
            measure(MEASURE_ID, TITLE, team=TEAM, domain=DOMAIN, effort=4, mitigates=f"{RISK_ID}:0.5"),
            measure("M2", f"Suite {BOLD}", team=TEAM, domain=DOMAIN, effort=3, depends=MEASURE_ID, status="En cours"),
            measure("M3", "Réseau", team="Réseau", effort=3, mitigates="R2:0.6", status="Fait"),
        ]
    )
    sheets["Risques"][1][:2] = [RISK_ID, RISK_NAME]
    sheets["Équipes"][1][0] = TEAM
    sheets["Paramètres"].append(["Établissement", ESTABLISHMENT])
    return sheets


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    roadmap = load_workbook(workbook_bytes(hostile_sheets())).roadmap
    assert roadmap.measures[0].id == MEASURE_ID and roadmap.measures[0].title == TITLE
    assert roadmap.risks[0].scenario == RISK_NAME and roadmap.settings.establishment == ESTABLISHMENT
    return analyse_roadmap(roadmap, time_limit=1, crashing=False)


def _strings(node: Any) -> Iterator[str]:
    """Every string anywhere in a figure's JSON (keys excluded)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _strings(value)
    elif hasattr(node, "tolist"):  # numpy arrays (customdata, categories)
        yield from _strings(node.tolist())


def _figures(analysis: Analysis) -> dict[str, go.Figure]:
    """Every builder of roadmap.charts, and every figure of ``export.chart_figures``."""
    roadmap, plan = analysis.roadmap, analysis.plan
    days = pd.date_range(plan.start, plan.end)
    earned = pd.DataFrame({"date": days, "pv": range(len(days)), "ev": [1.0] + [float("nan")] * (len(days) - 1)})
    figures = {
        "trajectory": trajectory_figure(analysis.trajectory),
        "gantt": gantt_figure(roadmap, plan, lang="en"),
        "domain_progress": domain_progress_figure(roadmap, plan),
        "burnup": burnup_figure(roadmap, plan),
        "sprint_load": sprint_load_figure(plan),
        "heat_map_inherent": heat_map_figure(heat_map(roadmap), when="inherent"),
        "heat_map_now": heat_map_figure(heat_map(roadmap, completions_at(roadmap, None))),
        "burn_up": burn_up_figure(earned),  # dates and numbers only
    }
    for name, figure in export.chart_figures(analysis, lang="fr").items():
        figures[f"export_{name}"] = figure
    return figures


def test_plotly_text_escapes_markup_once_and_leaves_plain_text():
    assert plotly_text(LINK) == '&lt;a href="https://evil.example/x"&gt;click&lt;/a&gt;'
    assert plotly_text("R&D <b>") == "R&amp;D &lt;b&gt;"
    assert plotly_text(MD_LINK) == MD_LINK  # Markdown means nothing to plotly
    assert plotly_text("Hameçonnage — 50 %") == "Hameçonnage — 50 %"
    assert plotly_text(12) == "12"


def test_every_figure_draws_workbook_text_literally(analysis):
    figures = _figures(analysis)
    assert {"gantt", "domain_progress", "sprint_load", "heat_map_now", "export_gantt"} <= set(figures)
    for name, figure in figures.items():
        strings = list(_strings(figure.to_plotly_json()))
        raw = [s for s in strings if any(r in s for r in RAW)]
        assert not raw, f"{name} holds workbook markup unescaped: {raw[:3]}"
        assert not [s for s in strings if "&amp;lt;" in s], f"{name} escapes twice"
    # what plotly draws (entities decoded) still reads as the workbook has it
    for name, expected in {
        "gantt": (MEASURE_ID, TITLE, TEAM),
        "export_gantt": (MEASURE_ID, TITLE, TEAM),
        "domain_progress": (DOMAIN,),
        "export_domain_progress": (DOMAIN,),
        "sprint_load": (TEAM,),
        "export_sprint_load": (TEAM,),
        "heat_map_inherent": (RISK_ID,),
        "export_heat_map_now": (RISK_ID,),
    }.items():
        visible = "\n".join(html.unescape(s) for s in _strings(figures[name].to_plotly_json()))
        for value in expected:
            assert value in visible, f"{name} lost {value!r}"


def test_heat_map_keeps_its_own_markup(analysis):
    figure = heat_map_figure(heat_map(analysis.roadmap), when="inherent")
    texts = [a.text for a in figure.layout.annotations]
    assert f"<b>1</b><br>{plotly_text(RISK_ID)}" in texts  # our bold count, then the escaped IDs


def test_gantt_hover_inserts_escaped_values(analysis):
    figure = gantt_figure(analysis.roadmap, analysis.plan)
    trace = next(t for t in figure.data if t.name == plotly_text(TEAM))
    assert "%{customdata[0]}" in trace.hovertemplate and "%{y}" in trace.hovertemplate
    assert plotly_text(TITLE) in [row[0] for row in trace.customdata]
    assert plotly_text(MEASURE_ID) in list(trace.y[1])
    assert all(isinstance(row[1], int) or hasattr(row[1], "item") for row in trace.customdata)  # sprint: a number


def test_svg_image_shows_the_markup_as_characters(analysis):
    if not CHROMIUM.exists():
        message = "chromium not installed (run scripts/install-system-deps.sh)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    figure = gantt_figure(analysis.roadmap, analysis.plan)
    with export.ImageRenderer() as renderer:
        svg = renderer.render(figure, fmt="svg").decode("utf-8")
    # plotly writes the characters as references (&#60;b&#62;), which draw "<" and ">": read the text back
    texts = ["".join(node.itertext()) for node in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert MEASURE_ID in texts  # the tick label, drawn as typed
    assert any(TEAM in t for t in texts)
    assert "font-weight:bold" not in svg.replace(" ", "")  # no bold tspan
    assert "<a " not in svg  # no link element


def _need(*tools: str) -> None:
    """Skip (fail in CI) when a system tool the test needs is missing."""
    missing = [t for t in tools if shutil.which(t) is None and not Path(t).exists()]
    if missing:
        message = f"{', '.join(missing)} not installed (run scripts/install-system-deps.sh)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def test_deck_keeps_workbook_text_as_plain_text(analysis):
    prs = Presentation(io.BytesIO(export.build_deck(analysis, lang="fr", today=TODAY)))
    frames = [shape.text_frame for slide in prs.slides for shape in slide.shapes if shape.has_text_frame]
    frames += [
        cell.text_frame
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    runs = [run for frame in frames for paragraph in frame.paragraphs for run in paragraph.runs]
    text = "\n".join(run.text for run in runs)
    assert ESTABLISHMENT in text and TITLE in text  # as typed
    assert not any(run.hyperlink.address for run in runs)  # no link came from the workbook
    assert export.deck_outline(export.build_deck(analysis, lang="fr", today=TODAY))[0] == ESTABLISHMENT


def test_pdf_keeps_workbook_text_as_plain_text(analysis):
    _need(str(CHROMIUM), "pdftotext")
    report = export.build_pdf(analysis, lang="fr", today=TODAY)
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=report, capture_output=True, check=True).stdout
    assert ESTABLISHMENT in " ".join(text.decode().split())  # neither Markdown nor HTML was interpreted
    packed = "".join(text.decode().split())  # table cells wrap: compare without the white space
    for value in (MEASURE_ID, TITLE, TEAM):
        assert "".join(value.split()) in packed
    assert b"/URI" not in report  # no link annotation (fpdf2 makes one for a Markdown [x](url))


def test_markdown_text_escapes_every_markdown_construct():
    value = f"{ESTABLISHMENT} {SCRIPT} {MD_IMAGE} **x** # h $x$ :red[x] www.evil.example 50 %"
    escaped = markdown_text(value)
    assert escaped.replace("\\", "") == value.replace("\\", "")  # same characters, each punctuation escaped
    bare = re.sub(r"\\.", "", escaped)  # what is left once every escaped character is taken out
    assert not any(c in string.punctuation for c in bare)  # no [ ] ( ) ! < > * # $ : left to build a link or markup
    assert markdown_text("Systèmes — Hameçonnage 2026") == "Systèmes — Hameçonnage 2026"  # letters, digits kept
    assert markdown_text("a\\b") == "a\\\\b"  # a backslash of the workbook stays one
