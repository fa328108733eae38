"""The IT team's edit loop in a real browser (Debian's Chromium driven by Playwright, against
``streamlit run``): a progress typed into the grid, the change list, the save, the confirmation,
and the dashboard's figure updated at once.

The server writes into a copy of the sample in a temporary folder (``REMPART_WORKBOOK``), never
into the bundled file. Screenshots go to ``artifacts/screenshots/`` (look at them). Skipped, with
the reason, only when Chromium is absent on a developer's machine; in CI its absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from serving import running_app

from roadmap import format_percent
from roadmap.importing.load import load_workbook
from roadmap.models import Roadmap, Status

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "artifacts" / "screenshots"

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (scripts/install-system-deps.sh)", pytrace=False)
    pytest.skip("Debian's chromium is not installed (run scripts/install-system-deps.sh)", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

expect.set_options(timeout=90_000)  # the first render waits for the plan

ROW_HEIGHT = 35
"""Height in pixels of a row of Streamlit's grid, its header row included (the default)."""


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the sample on a "shared drive", readable by colleagues."""
    path = tmp_path_factory.mktemp("partage") / "rivebelle.xlsx"
    shutil.copyfile(SAMPLE, path)
    path.chmod(0o644)
    return path


@pytest.fixture(scope="module")
def server(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REMPART_WORKBOOK", str(shared))
        with running_app(data_dir=str(tmp_path_factory.mktemp("donnees"))) as app:
            yield app.url


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(90_000)
        yield page
        browser.close()


def _settled(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=90_000)
    page.wait_for_timeout(500)  # let the grid canvases paint


def _effort_done(roadmap: Roadmap) -> str:
    """The dashboard's "Charge réalisée": done person-days over all, cancelled measures excepted."""
    counted = [m for m in roadmap.measures if m.status is not Status.CANCELLED]
    done = sum(m.effort_days - m.remaining_effort for m in counted)
    return format_percent(done / sum(m.effort_days for m in counted), "fr")


def test_a_progress_typed_saved_and_shown_on_the_dashboard(server: str, page: Page, shared: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    before = load_workbook(shared).roadmap
    page.goto(server)
    card = page.get_by_test_id("stMetric").filter(has_text="Charge réalisée")
    expect(card).to_contain_text(_effort_done(before))
    page.get_by_test_id("stSidebarNav").get_by_text("Données", exact=True).click()
    expect(page.get_by_role("heading", name="Mettre à jour l’avancement")).to_be_visible()
    _settled(page)
    grid = page.locator(".st-key-edit_measures_0")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    row = [m.id for m in before.measures].index("PDT-02")  # 14 person-days at 30 %: the share moves
    assert before.measure_by_id["PDT-02"].progress == 30
    # the first measure's ID cell, down to the measure's row (the grid scrolls), three cells right:
    # its progress; open the cell's editor and type over the value
    page.mouse.click(box["x"] + 30, box["y"] + ROW_HEIGHT * 1.5)
    page.wait_for_timeout(500)  # the grid takes the focus
    for key in ["ArrowDown"] * row + ["ArrowRight"] * 3:
        page.keyboard.press(key)
        page.wait_for_timeout(100)
    page.keyboard.press("Enter")
    cell = page.locator("#portal input")  # the grid's editor of the cell, over the canvas
    expect(cell).to_be_visible()
    expect(cell).to_have_value("30")
    cell.fill("95")
    cell.press("Enter")
    changes = page.locator(".st-key-change_list_0")
    expect(page.get_by_text("1 modification à enregistrer")).to_be_visible()
    expect(changes).to_be_visible()
    expect(changes).to_contain_text("PDT-02")
    expect(page.get_by_test_id("stAlertContentWarning")).to_have_count(0)  # 30 → 95: nothing to check
    _settled(page)
    changes.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "edit-changes.png")
    page.get_by_role("button", name="Enregistrer dans le classeur").click()
    confirmation = page.get_by_test_id("stAlertContentSuccess").filter(has_text="1 cellule écrite dans rivebelle.xlsx")
    expect(confirmation).to_be_visible()
    expect(page.locator(".st-key-saved_cells")).to_be_visible()
    _settled(page)
    page.locator(".st-key-saved_cells").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "edit-saved.png")
    after = load_workbook(shared).roadmap
    assert after.measure_by_id["PDT-02"].progress == 95
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644  # colleagues still read it
    assert _effort_done(after) != _effort_done(before)
    page.get_by_test_id("stSidebarNav").get_by_text("Tableau de bord", exact=True).click()
    expect(card).to_contain_text(_effort_done(after))
    _settled(page)
    page.screenshot(path=SHOTS / "edit-dashboard.png")
    assert not page.get_by_test_id("stException").count()
