"""Real browser: Debian's Chromium, driven by Playwright, against ``streamlit run`` on 127.0.0.1.

Screenshots go to ``artifacts/screenshots/`` (look at them). Skipped, with the reason, only when
Chromium is absent on a developer's machine; in CI (``CI`` set) its absence is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, small_sheets, workbook_bytes
from serving import ALL_CHARTS_DRAWN, running_app

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "artifacts" / "screenshots"

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (scripts/install-system-deps.sh)", pytrace=False)
    pytest.skip("Debian's chromium is not installed (run scripts/install-system-deps.sh)", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

expect.set_options(timeout=90_000)  # the first render waits for the plan


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_app() as app:
        yield app.url


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page
        browser.close()


def _settle(page: Page) -> None:
    """Wait until the script has finished and every chart is drawn."""
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=90_000)
    page.wait_for_timeout(500)  # let the grid canvases paint


def test_dashboard_in_the_browser(server: str, page: Page) -> None:
    page.goto(server)
    expect(page.get_by_role("heading", name="Centre hospitalier de Rivebelle")).to_be_visible()
    expect(page.get_by_text("Mesures réalisées")).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(4)
    _settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "dashboard.png", full_page=True)
    assert not page.get_by_test_id("stException").count()


@pytest.mark.parametrize(
    ("link", "heading"),
    [("Plan", "Plan de sprints"), ("Risques", "Risques"), ("Données", "Données"), ("Historique", "Historique")],
)
def test_other_pages_in_the_browser(server: str, page: Page, link: str, heading: str) -> None:
    page.goto(server)
    page.get_by_test_id("stSidebarNav").get_by_text(link, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    if link == "Historique":  # the first opening seeds the sample's history (a plan solve)
        expect(page.get_by_text("Valeur acquise, EV (j.h)")).to_be_visible(timeout=120_000)
    _settle(page)
    page.screenshot(path=SHOTS / f"{link.lower().replace('é', 'e')}.png", full_page=True)
    assert not page.get_by_test_id("stException").count()


def test_upload_another_workbook(server: str, page: Page, tmp_path: Path) -> None:
    path = tmp_path / "petit-hopital.xlsx"
    path.write_bytes(workbook_bytes(small_sheets()))
    page.goto(server)
    expect(page.get_by_text("Mesures réalisées")).to_be_visible()
    page.locator("input[type=file]").set_input_files(str(path))
    expect(page.get_by_text("petit-hopital.xlsx").first).to_be_visible()
    expect(page.get_by_role("heading", name="Programme de sécurisation")).to_be_visible()
    expect(page.get_by_text("1 / 4")).to_be_visible()
    expect(page.get_by_text("3 mesures planifiées en 7 sprints")).to_be_visible()  # the Gantt was redrawn
    _settle(page)
    page.screenshot(path=SHOTS / "upload.png", full_page=True)


def test_switch_to_english_in_the_browser(server: str, page: Page) -> None:
    page.goto(server)
    expect(page.get_by_text("Mesures réalisées")).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.get_by_text("Measures done")).to_be_visible()
    expect(page.get_by_role("heading", name="Deferred measures: a decision is needed")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Dashboard", exact=True)).to_be_visible()
    expect(page.get_by_text("Mesures réalisées")).to_have_count(0)
    _settle(page)
    page.screenshot(path=SHOTS / "dashboard-en.png", full_page=True)
    assert not page.get_by_test_id("stException").count()
    page.get_by_test_id("stSidebarNav").get_by_text("Risks", exact=True).click()
    expect(page.get_by_role("heading", name="Risk by risk")).to_be_visible()
    _settle(page)
    page.screenshot(path=SHOTS / "risks-en.png", full_page=True)


def test_english_from_the_address(server: str, page: Page) -> None:
    page.goto(f"{server}/plan?lang=en")
    expect(page.get_by_role("heading", name="Sprint plan", exact=True)).to_be_visible()
    expect(page.get_by_text("What it would take to finish everything")).to_be_visible()
    _settle(page)
    page.screenshot(path=SHOTS / "plan-en.png", full_page=True)
    assert not page.get_by_test_id("stException").count()


@pytest.mark.parametrize(
    ("address", "verdict", "runs", "risk", "band"),
    [
        (
            "",
            "de chances de tout terminer au",
            "(1\u202f000 simulations Monte Carlo du plan ;",
            "probabilité de finir à son niveau cible ou en dessous :",
            "Prévision P10–P90",
        ),
        (
            "/?lang=en",
            "chance of finishing everything by",
            "(1,000 Monte Carlo runs of the plan;",
            "probability of ending at or under its target level:",
            "Forecast P10–P90",
        ),
    ],
    ids=["fr", "en"],
)
def test_forecast_verdict_in_the_browser(
    server: str, page: Page, address: str, verdict: str, runs: str, risk: str, band: str
) -> None:
    """The Monte Carlo verdict on the dashboard as a director reads it: the runs counted with the
    locale's thousands separator, what a risk's percentage is, why a chance shows as 0 %, and the
    P10–P90 band in the residual-risk chart's legend."""
    page.goto(server + address)
    sentence = page.get_by_text(verdict)
    expect(sentence).to_be_visible()
    _settle(page)
    text = sentence.inner_text()
    if text.startswith("0"):  # the sample's plan: 0 %, and why, in the headline itself
        assert ("même sans aléa" in text) if address == "" else ("even with no uncertainty" in text)
    # how it is made, folded under the headline: the runs and what a risk's percentage is
    page.get_by_text("Comment cette prévision est calculée" if address == "" else "How this forecast is made").click()
    details = page.get_by_test_id("stExpanderDetails").filter(has_text=runs)
    expect(details).to_be_visible()
    assert risk in details.inner_text()
    expect(page.locator(".js-plotly-plot").get_by_text(band)).to_be_visible()
    page.screenshot(path=SHOTS / f"forecast-{'en' if address else 'fr'}.png", full_page=True)
    assert not page.get_by_test_id("stException").count()
