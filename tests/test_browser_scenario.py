"""Real browser (Debian's Chromium, Playwright) on a fresh server and data folder: the director
starts from the recommended reinforcement on the Plan page, saves it as a scenario, picks it on the
Exports page and downloads the deck, whose slide text (python-pptx) compares it with the plan.

Screenshots go to ``artifacts/screenshots/`` (look at them).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from pptx import Presentation
from serving import ALL_CHARTS_DRAWN, running_app

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(os.environ.get("REMPART_SHOTS", ROOT / "artifacts" / "screenshots"))

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (scripts/install-system-deps.sh)", pytrace=False)
    pytest.skip("Debian's chromium is not installed (run scripts/install-system-deps.sh)", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

expect.set_options(timeout=120_000)


@pytest.fixture(scope="module")
def page() -> Iterator[tuple[Page, str]]:
    with (
        tempfile.TemporaryDirectory(prefix="rempart-scenario-") as data_dir,
        running_app(data_dir=data_dir) as app,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR", accept_downloads=True)
        tab = context.new_page()
        tab.set_default_timeout(120_000)
        yield tab, app.url
        browser.close()


def _settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=120_000)
    page.wait_for_timeout(500)


def _choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def _slide_texts(deck: bytes) -> list[str]:
    texts = []
    for slide in Presentation(io.BytesIO(deck)).slides:
        parts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        parts += [c.text for s in slide.shapes if s.has_table for row in s.table.rows for c in row.cells]
        texts.append("\n".join(parts))
    return texts


def test_a_saved_scenario_is_in_the_deck(page: tuple[Page, str]) -> None:
    tab, url = page
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.goto(f"{url}/plan")
    expect(tab.get_by_role("heading", name="Scénarios de capacité")).to_be_visible()
    _settle(tab)
    _choose(tab, "Partir de", "Renfort recommandé (ce qu’il faudrait)")
    expect(tab.get_by_text("Mesures qui entrent dans l’horizon", exact=False)).to_be_visible()
    _settle(tab)
    tab.get_by_text("Mesures qui entrent dans l’horizon", exact=False).scroll_into_view_if_needed()
    tab.screenshot(path=SHOTS / "plan-scenario.png")
    tab.get_by_role("button", name="Enregistrer le scénario").click()
    expect(tab.get_by_text("choisissez-le au-dessus du Gantt", exact=False)).to_be_visible()
    choice = tab.get_by_text("Scénario Renfort recommandé", exact=True)
    expect(choice).to_be_visible()
    choice.click()
    expect(tab.get_by_text("Le Gantt montre le scénario", exact=False)).to_be_visible()
    _settle(tab)
    tab.get_by_text("Le Gantt montre le scénario", exact=False).scroll_into_view_if_needed()
    tab.screenshot(path=SHOTS / "plan-scenario-gantt.png")
    assert not tab.get_by_test_id("stException").count()

    tab.get_by_test_id("stSidebarNav").get_by_text("Exports", exact=True).click()
    expect(tab.get_by_role("heading", name="Exports", exact=True)).to_be_visible()
    _choose(tab, "Diapositive de scénario", "Renfort recommandé")
    # The pick reruns the page, which gives the button a new deferred callable (a new file id each
    # run, the old one dropped when the run ends): a click before the rerun has finished downloads
    # the deck without the scenario, or nothing. A person clicks once the page has settled.
    _settle(tab)
    tab.screenshot(path=SHOTS / "exports-scenario-picked.png")
    button = tab.get_by_role("button", name="Télécharger", exact=False).first  # one click: built on it
    expect(button).to_be_visible()
    with tab.expect_download() as download:
        button.click(no_wait_after=True)  # a download, not a navigation
    deck = Path(download.value.path()).read_bytes()
    expect(tab.get_by_text("Renfort recommandé\u00a0» et plan actuel", exact=False)).to_be_visible()  # outline
    tab.screenshot(path=SHOTS / "exports-scenario.png")
    texts = _slide_texts(deck)
    (slide,) = [t for t in texts if "Scénario «\u00a0Renfort recommandé\u00a0» et plan actuel" in t]
    assert "Plan actuel" in slide and "Mesures reportées" in slide and "Exposition cumulée" in slide
    assert "Mesures qui entrent dans l’horizon" in slide
    assert not tab.get_by_test_id("stException").count()
