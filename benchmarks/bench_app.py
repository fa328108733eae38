"""Benchmark of the app on the sample, in a real browser (``streamlit run`` + Debian's Chromium),
page by page, French and English.

- **cold, fresh folder**: a new server process on an empty data folder (no solved plan on disk, no
  history yet), the dashboard opened as soon as the server answers its health check: seconds until
  it is fully drawn (script finished, every chart drawn), then until the refined plan has replaced
  the provisional one (the full solve in the background). Each is given twice: from the server
  *accepting connections* (health check answered, the browser's ``goto``) and from the *process
  start* (``streamlit run``, which includes the server's own start and its warm-up,
  :mod:`app_pages.warmup`, that runs from the process start on);
- **cold, restarted server**: the same, once that server is stopped, with a new process on the same
  data folder (the solved plan and the history on disk are kept);
- **warm, new session**: the dashboard opened again in a new browser session of the same server;
- **warm, per page**: in that session, each page chosen in the navigation, ``--rounds`` times,
  until its title is on screen, the script has finished and every chart is drawn (median, max);
- **server rerun**: the dashboard script alone, warm cache (AppTest, in process; no browser).

Targets (issue 18, 2 cores): first dashboard <= 3 s cold, every page <= 1.5 s warm. The machine's
load average is printed with the figures: they mean little on a loaded machine.

Run: ``.venv/bin/python benchmarks/bench_app.py`` (``--rounds 3``, ``--skip-rerun``)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from serving import ALL_CHARTS_DRAWN, App, running_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TITLE = "Centre hospitalier de Rivebelle"
PAGES = {
    "fr": [
        ("Tableau de bord", TITLE),
        ("Plan", "Plan de sprints"),
        ("Risques", "Risques"),
        ("Données", "Données"),
        ("Historique", "Historique"),
        ("Exports", "Exports"),
    ],
    "en": [
        ("Dashboard", TITLE),
        ("Plan", "Sprint plan"),
        ("Risks", "Risks"),
        ("Data", "Data"),
        ("History", "History"),
        ("Exports", "Exports"),
    ],
}
"""(navigation link, title of the page) by language, in the navigation's order."""

DRAWN = (
    "(title) => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === title)"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    f" && ({ALL_CHARTS_DRAWN})()"
)
REFINED = "() => !document.body.innerText.includes('hourglass_top')"


def warm_reruns(runs: int = 5) -> list[float]:
    """Seconds of a dashboard rerun with a warm cache, in process (no browser)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()  # fills the cache
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - began)
    return times


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def browser_timings(rounds: int) -> dict[str, float | list[float]]:
    """The cold (fresh folder, then restarted server), new-session and per-page timings
    (seconds), keyed ``fresh_*``, ``restart_*`` (:func:`_open_cold`), ``new_session_<lang>`` and
    ``<lang>/<page>`` (a list, one per round)."""
    from playwright.sync_api import sync_playwright

    found: dict[str, float | list[float]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="rempart-bench-") as data_dir,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        with running_app(data_dir=data_dir) as app:
            _open_cold(browser, app, found, "fresh")
            for lang, pages in PAGES.items():
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                began = time.perf_counter()
                page.goto(f"{app.url}/?lang={lang}")
                page.wait_for_function(DRAWN, arg=TITLE, timeout=300_000, polling=100)
                found[f"new_session_{lang}"] = time.perf_counter() - began
                for _round in range(rounds + 1):  # the first round warms each page's own caches
                    for link, title in [*pages[1:], pages[0]]:
                        began = time.perf_counter()
                        page.get_by_test_id("stSidebarNav").get_by_text(link, exact=True).click()
                        page.wait_for_function(DRAWN, arg=title, timeout=300_000, polling=50)
                        if _round:
                            times = found.setdefault(f"{lang}/{link}", [])
                            assert isinstance(times, list)
                            times.append(time.perf_counter() - began)
                page.close()
        with running_app(data_dir=data_dir) as app:  # the same folder: solved plan and history kept
            _open_cold(browser, app, found, "restart")
        browser.close()
    return found


def _open_cold(browser: Any, app: App, found: dict[str, float | list[float]], prefix: str) -> None:
    """Open the dashboard of a server just started and record, in seconds, ``<prefix>_startup``
    (process start to health check), ``<prefix>_drawn`` and ``<prefix>_refined`` (from the health
    check: the server accepting connections) and the same two ``…_from_start`` (from the process
    start)."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    found[f"{prefix}_startup"] = app.healthy - app.started
    page.goto(app.url)
    page.wait_for_function(DRAWN, arg=TITLE, timeout=300_000, polling=100)
    drawn = time.perf_counter()
    page.wait_for_function(REFINED, timeout=300_000, polling=200)
    page.wait_for_function(DRAWN, arg=TITLE, timeout=300_000, polling=100)
    refined = time.perf_counter()
    for name, moment in (("drawn", drawn), ("refined", refined)):
        found[f"{prefix}_{name}"] = moment - app.healthy
        found[f"{prefix}_{name}_from_start"] = moment - app.started
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured visits of each page (after one warm-up)")
    parser.add_argument("--skip-rerun", action="store_true", help="no in-process rerun timing")
    args = parser.parse_args()
    os.environ["REMPART_DATA_DIR"] = tempfile.mkdtemp(prefix="rempart-bench-")  # never the user's history
    os.environ.pop("REMPART_DATABASE_URL", None)
    print(f"before: {_load()}")
    found = browser_timings(args.rounds)
    colds = (("fresh", "cold server, fresh data folder"), ("restart", "cold server, restarted, folder kept"))
    for prefix, what in colds:
        print(f"{what}: server answers {found[f'{prefix}_startup']:.1f} s after the process start")
        for name, label in (("drawn", "first dashboard fully drawn"), ("refined", "refined plan on screen")):
            print(
                f"  {label}: {found[f'{prefix}_{name}']:.1f} s from accepting connections"
                f" (target <= 3 s), {found[f'{prefix}_{name}_from_start']:.1f} s from the process start"
            )
    for lang in PAGES:
        print(f"warm server, dashboard in a new session ({lang}): {found[f'new_session_{lang}']:.2f} s")
    print("warm, per page (median / max of the rounds; target <= 1.5 s):")
    for key, times in found.items():
        if isinstance(times, list):
            print(f"  {key:<22} {statistics.median(times):5.2f} / {max(times):5.2f} s")
    if not args.skip_rerun:
        reruns = warm_reruns()
        print(
            f"dashboard script rerun, warm cache, in process: median {statistics.median(reruns):.2f} s "
            f"(min {min(reruns):.2f}, max {max(reruns):.2f}, {len(reruns)} runs)"
        )
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
