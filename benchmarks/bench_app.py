"""Benchmark of the app on the sample: a dashboard rerun with a warm cache (AppTest, in process),
and the first full render in a real browser (streamlit run + Debian's Chromium, until every chart
is drawn).

Run: ``.venv/bin/python benchmarks/bench_app.py``
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from serving import ALL_CHARTS_DRAWN, running_app  # noqa: E402


def warm_reruns(runs: int = 5) -> list[float]:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()  # fills the cache
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - began)
    return times


def first_render() -> float:
    """Seconds from opening the dashboard to every chart drawn, on a fresh server and data folder."""
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="rempart-bench-") as data_dir,
        running_app(data_dir=data_dir) as app,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 2400})
        began = time.perf_counter()
        page.goto(app.url)
        page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=180_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=180_000)
        page.wait_for_function(ALL_CHARTS_DRAWN, timeout=180_000)
        seconds = time.perf_counter() - began
        browser.close()
        return seconds


def main() -> None:
    os.environ["REMPART_DATA_DIR"] = tempfile.mkdtemp(prefix="rempart-bench-")  # never the user's history
    os.environ.pop("REMPART_DATABASE_URL", None)
    reruns = warm_reruns()
    print(
        f"dashboard rerun, warm cache: median {statistics.median(reruns):.2f} s (min {min(reruns):.2f}, "
        f"max {max(reruns):.2f}, {len(reruns)} runs)"
    )
    print(f"first full render in Chromium (cold cache, CP-SAT solve included): {first_render():.1f} s")


if __name__ == "__main__":
    main()
