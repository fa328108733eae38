"""The README's screenshots, ``docs/screenshots/*.png``, taken again from the app as it is: Debian's
Chromium (Playwright) at 1440 px wide, French first, on the sample with its history, on a fresh
data folder (so that nothing of the user's own history shows).

- ``dashboard.png``, ``plan.png``, ``risques.png``, ``donnees.png``, ``historique.png``,
  ``exports.png``: each page in French, 1440x2400;
- ``dashboard-en.png``: the dashboard in English;
- ``upload.png``: the dashboard after uploading a corpus workbook with no risk register
  (``../shared/corpus/acme_health_risk_register.xlsx``);
- ``signin.png``: the sign-in form once a local account exists, 1440x900.

Run: ``.venv/bin/python scripts/take_screenshots.py [--out docs/screenshots]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from serving import ALL_CHARTS_DRAWN, running_app  # noqa: E402

PAGES = [
    ("Tableau de bord", "dashboard.png"),
    ("Plan", "plan.png"),
    ("Risques", "risques.png"),
    ("Données", "donnees.png"),
    ("Historique", "historique.png"),
    ("Exports", "exports.png"),
]
UPLOAD = ROOT.parent / "shared" / "corpus" / "acme_health_risk_register.xlsx"
SETTLED = (
    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " && !document.body.innerText.includes('hourglass_top')"
)


def _settle(page, charts: bool = True) -> None:  # type: ignore[no-untyped-def]
    page.bring_to_front()  # a page in the background is not painted
    page.wait_for_timeout(600)
    if charts:
        page.wait_for_selector(".js-plotly-plot", timeout=300_000)
    page.wait_for_function(SETTLED, timeout=300_000, polling=300)
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=120_000)
    page.wait_for_timeout(1200)  # the grids' canvases


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rempart-shots-") as data_dir:
        os.environ.pop("REMPART_DATABASE_URL", None)
        with running_app(data_dir=data_dir) as app, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="fr-FR")
            page.goto(app.url)
            _settle(page)
            for link, name in PAGES:
                page.get_by_test_id("stSidebarNav").get_by_text(link, exact=True).click()
                _settle(page, charts=name not in ("donnees.png", "exports.png"))
                page.screenshot(path=out / name)
            english = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="en-GB")
            english.goto(f"{app.url}/?lang=en")
            _settle(english)
            english.screenshot(path=out / "dashboard-en.png")
            page.get_by_test_id("stSidebarNav").get_by_text("Tableau de bord", exact=True).click()
            _settle(page)
            page.locator("input[type=file]").set_input_files(str(UPLOAD))
            page.get_by_text(UPLOAD.name).first.wait_for()
            _settle(page)
            page.screenshot(path=out / "upload.png")
            browser.close()
        subprocess.run(
            [sys.executable, "-m", "roadmap", "user", "add", "directrice", "--role", "viewer", "--password-stdin"],
            input="un long mot de passe pour la directrice\n",
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "REMPART_DATA_DIR": data_dir},
            capture_output=True,
        )
        with running_app(data_dir=data_dir) as app, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="fr-FR")
            page.goto(app.url)
            page.locator("input[type=password]").wait_for(timeout=120_000)
            _settle(page, charts=False)
            page.screenshot(path=out / "signin.png")
            browser.close()


if __name__ == "__main__":
    main()
