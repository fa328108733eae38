"""Every page, read as a person reads it: Debian's Chromium walks the six pages in French and in
English, on the sample and on three workbooks of ``../shared/corpus/`` (read with the automatic
mapping), and the rendered text and table cells hold nothing internal: no ISO date, no ``None``,
no ``(s)`` plural, no field or action code, no decimal point in French, no unspaced thousands, no
French scale code in English, the uploader in the page's language.

Screenshots of each page go to ``artifacts/screenshots/walk/`` (look at them). Skipped, with the
reason, only when Chromium is absent on a developer's machine; in CI its absence is a failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT
from serving import ALL_CHARTS_DRAWN, running_app

from roadmap.importing.columns import MEASURE_COLUMNS
from roadmap.importing.load import load_workbook

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "artifacts" / "screenshots" / "walk"

PAGES = {
    "fr": ("Tableau de bord", "Plan", "Risques", "Données", "Historique", "Exports"),
    "en": ("Dashboard", "Plan", "Risks", "Data", "History", "Exports"),
}
"""The pages in the order of the navigation, by language."""

CORPUS_FILES = ("acme_health_risk_register.xlsx", "fedramp_agency_wbs.xlsx", "rgaa_grille_audit_fr.ods")
"""Three corpus workbooks that load with the automatic mapping: an English risk register with no
Risks sheet (10 measures), an English work breakdown (31) and a French audit grid in .ods (106)."""

INTERNAL_CODES = sorted(
    {name for name in MEASURE_COLUMNS if "_" in name}
    | {"not_started", "in_progress", "too_long", "freeze_plan", "user_add", "login_failed", "password_reset"}
)
"""Code names that mean nothing to a reader: fields, statuses, deferral reasons, audit actions."""

CHECKS: dict[str, tuple[tuple[str, str], ...]] = {
    "both": (
        ("ISO date", r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])"),
        ("date with slashes", r"(?<![\w/])\d{1,2}/\d{1,2}/\d{2,4}(?![\w/])"),
        ("None", r"\bNone\b"),
        ("lazy plural", r"[A-Za-zÀ-ÿ]\((?:s|e|es|x)\)"),
        ("field or action code", r"\b(?:" + "|".join(INTERNAL_CODES) + r")\b"),
        ("field code in brackets", r"\((?:title|team|domain|owner|status|priority|progress|notes|id)\)"),
        ("unspaced thousands", r"(?<![\w.,:/#-])(?!(?:19|20)\d\d(?!\d))\d{4,}(?![\w.,:/-])"),
        ("uploader in English", r"\b(?:Upload|\d+MB per file|Drag and drop)\b"),
    ),
    "fr": (
        ("decimal point in French", r"(?<![\w.,-])\d+\.\d+(?![\w.])"),
        ("English in French", r"\bBlank template\b"),
    ),
    "en": (("French scale code in English", r"\b[VG][1-4]\b"),),
}
"""What must not be on screen: (what, pattern) by language (``both`` for every language)."""


SIZE = {"fr": '"\\d+,\\d\u00a0Ko"', "en": '"\\d+\\.\\d\u00a0KB"'}
"""The loaded file's size as the uploader must show it (the ``content`` of its ``::after``)."""


def workbook_words(path: Path) -> list[str]:
    """The workbook's own text as the app shows it, longest first: IDs (a work breakdown numbers its
    measures ``4.5``), titles, notes, domains, teams, owners, references, sheet and column names,
    the values quoted by the issues; shown as typed, so not the app's formatting to check."""
    result = load_workbook(path)
    words = {
        text
        for m in result.roadmap.measures
        for text in (m.id, m.title, m.notes, m.domain, m.team, m.owner, m.references, *m.depends_on)
    }
    words |= {r.scenario for r in result.roadmap.risks} | set(result.sheets) | set(result.columns)
    words |= {i.value for i in result.issues if i.value} | {result.roadmap.settings.establishment or ""}
    return sorted((w for w in words if w and w.strip()), key=len, reverse=True)


def problems(text: str, lang: str, quoted: Sequence[str] = ()) -> list[str]:
    """What on a screen's text breaks :data:`CHECKS` in ``lang``: ``what: «…context…»`` per match;
    the workbook's own words (``quoted``, :func:`workbook_words`) are taken out first."""
    for words in quoted:
        text = text.replace(words, "«…»")
    found = []
    for what, pattern in (*CHECKS["both"], *CHECKS[lang]):
        for match in re.finditer(pattern, text):
            start, end = max(0, match.start() - 40), match.end() + 40
            found.append(f"{what}: «{text[start:end]}»".replace("\n", " ⏎ "))
    return found


def test_the_checks_catch_what_the_issue_saw():
    """The patterns find each fault reported in issue 18, and pass the same text written right."""
    seen = (
        "Fin planifiée 2026-12-17 · Avant None · 11 risque(s) sur 14 · Mesure (title) · effort_days · "
        "freeze_plan · exposition 10390 · efficacité 0.10 · Upload · 20MB per file · Blank template (English) · "
        "28/02/2027"
    )
    assert len(problems(seen, "fr")) == 12
    assert problems("Heat map V1 × G4", "en") and not problems("Carte V1 × G4", "fr")
    right = (
        "Fin planifiée 17 déc. 2026 · 11 risques sur 14 · Mesure (intitulé) · exposition 10\u202f390 · "
        "efficacité 10 % · 0,5 · Parcourir · 20 Mo au plus par fichier · 30 nov. 2026 · Temps de calcul max (s)"
    )
    assert problems(right, "fr") == []
    assert problems("Mesure 4.5 du 2024-01-31", "fr") and not problems(
        "Mesure 4.5 du 2024-01-31", "fr", ["4.5 du 2024-01-31"]
    )


if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (scripts/install-system-deps.sh)", pytrace=False)
    pytest.skip("Debian's chromium is not installed (run scripts/install-system-deps.sh)", allow_module_level=True)

import pyarrow as pa  # noqa: E402
from playwright.sync_api import Browser, Page, WebSocket, expect, sync_playwright  # noqa: E402
from streamlit.proto.Dataframe_pb2 import Dataframe  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

READ_ONLY = Dataframe.EditingMode.READ_ONLY


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(data_dir=str(tmp_path_factory.mktemp("rempart-screens"))) as app:
        yield app.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def settle(page: Page) -> None:
    """Wait until the script has finished, the plan is no longer the provisional one and every
    chart is drawn."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.body.innerText.includes('hourglass_top')",
        timeout=240_000,
        polling=500,
    )
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=120_000)
    page.wait_for_timeout(700)  # let the grid canvases and their cells settle


EDITORS = (
    "[class*='st-key-edit_measures_'], [class*='st-key-scenario_teams_'], .st-key-map_columns, "
    "[class*='st-key-map_values_']"
)
"""The editable tables: inputs, like the date and number inputs, whose cells the grid exposes in
its own raw form (ISO dates) to a screen reader; their display formats are set in the pages."""


MISSING = {"nan", "None", "NaT", "<NA>"}
"""What ``DataFrame.astype(str)`` writes for a missing value in a Styler's display values; the grid
draws the ``placeholder`` (empty) instead."""


def drawn_cells(frames: list[bytes]) -> list[str]:
    """The cells the read-only grids draw, from the app's messages (``frames``, the websocket's
    binary frames): a Styler's display value where the table has them (the grid draws it, while its
    accessibility text is the raw value: ``1234.5``, ``2026-12-17 00:00:00``), else the value as text."""
    texts = []
    for payload in frames:
        message = ForwardMsg.FromString(payload)
        if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
            continue
        element = message.delta.new_element
        if element.WhichOneof("type") != "dataframe" or element.dataframe.editing_mode != READ_ONLY:
            continue
        arrow = element.dataframe.arrow_data
        shown = arrow.styler.display_values or arrow.data
        table = pa.ipc.open_stream(shown).read_all().to_pandas()
        texts += [str(v) for v in table.to_numpy().ravel() if v is not None and str(v) not in MISSING]
    return texts


def screen_text(page: Page, frames: list[bytes]) -> str:
    """What a person reads: the app's text (sidebar and page, charts' text included), the read-only
    grids' column headers and every cell they draw (:func:`drawn_cells`), one a line."""
    body = page.locator('[data-testid="stAppViewContainer"]').inner_text()
    headers = page.eval_on_selector_all(
        "[role=columnheader]",
        f"cells => cells.filter(c => !c.closest({EDITORS!r})).map(c => c.innerText).join('\\n')",
    )
    return "\n".join([body, headers, *drawn_cells(frames)])


@pytest.mark.parametrize("workbook", ["sample", *CORPUS_FILES])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_reads_cleanly(server: str, browser: Browser, lang: str, workbook: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale=f"{lang}-FR")
    page = context.new_page()
    page.set_default_timeout(120_000)
    expect.set_options(timeout=120_000)
    frames: list[bytes] = []

    def listen(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(payload) if isinstance(payload, bytes) else None)

    page.on("websocket", listen)
    page.goto(f"{server}/?lang={lang}")
    settle(page)
    selector = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]'
    words = '"Parcourir"' if lang == "fr" else '"Browse"'
    # the uploader's words come from the page's style sheet, which may land after the first paint
    page.wait_for_function(
        "([selector, words]) => { const e = document.querySelector(selector);"
        " return e !== null && getComputedStyle(e, '::after').content === words; }",
        arg=[selector, words],
        timeout=30_000,
    )
    if workbook != "sample":
        page.locator("input[type=file]").set_input_files(str(CORPUS / workbook))
        expect(page.get_by_text(workbook).first).to_be_visible()
        settle(page)
        chip = "document.querySelector(\"[data-testid='stFileChipName'] + div\")"
        size = page.evaluate(f"() => getComputedStyle({chip}, '::after').content")
        assert re.fullmatch(SIZE[lang], size), f"the file's size reads {size}"
    found = {}
    quoted = workbook_words(CORPUS / workbook if workbook != "sample" else ROOT / "data" / "sample" / "rivebelle.xlsx")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name in PAGES[lang]:
        frames.clear()  # the tables of this page only
        page.get_by_test_id("stSidebarNav").get_by_text(name, exact=True).click()
        page.wait_for_timeout(500)  # the rerun starts
        settle(page)
        assert not page.get_by_test_id("stException").count(), f"{name}: an exception is on screen"
        page.screenshot(path=SHOTS / f"{Path(workbook).stem}-{lang}-{PAGES['en'][PAGES[lang].index(name)]}.png")
        found[name] = problems(screen_text(page, frames), lang, quoted)
    context.close()
    assert not any(found.values()), "\n".join(f"{name}: {p}" for name, ps in found.items() for p in ps)


def test_a_number_column_sorts_as_numbers_and_reads_in_french(server: str, browser: Browser) -> None:
    """The Plan page's comparison of plans, sorted by two clicks on « Exposition cumulée » (largest
    first): 10 390 (the original plan) before 3 537, 3 260 and 3 010 — as text, "3 537" would come
    first and "10 390" last — and the cells read ``10 390`` with a narrow no-break space."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(120_000)
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda socket: socket.on("framereceived", lambda p: frames.append(p) if isinstance(p, bytes) else None),
    )
    page.goto(f"{server}/?lang=fr")
    settle(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Plan", exact=True).click()
    settle(page)
    table = page.get_by_test_id("stDataFrame").first  # the comparison of plans
    expect(table.locator("[role=gridcell]")).to_have_count(12)  # 4 plans × 3 columns
    labels = "cells => cells.filter(c => c.getAttribute('aria-colindex') === '1').map(c => c.innerText)"
    headers = table.locator("[role=columnheader]").evaluate_all("cells => cells.map(c => c.innerText)")
    assert headers[1] == "Exposition cumulée (risque·jours)"
    box = table.bounding_box()  # the header is drawn on a canvas: click the middle of its second third
    assert box is not None
    for _click in range(2):  # ascending, then descending
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + 18)
        page.wait_for_timeout(800)
    assert table.locator("[role=gridcell]").evaluate_all(labels) == [
        "Plan initial sur 3 ans",
        "Compression naïve (ordre du plan initial)",
        "Compression gloutonne (risque par jour)",
        "Plan compressé (optimisé)",
    ]
    assert "10\u202f390" in drawn_cells(frames)
    context.close()
