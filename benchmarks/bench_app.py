"""Benchmark of the app on the sample: a dashboard rerun with a warm cache (AppTest, in process),
and the first full render in a real browser (streamlit run + Debian's Chromium, until every chart
is drawn).

Run: ``.venv/bin/python benchmarks/bench_app.py``
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def warm_reruns(runs: int = 5) -> list[float]:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()  # fills the cache
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - began)
    return times


def first_render() -> float:
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            page = browser.new_page(viewport={"width": 1440, "height": 2400})
            began = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}")
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=180_000)
            seconds = time.perf_counter() - began
            browser.close()
            return seconds
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    reruns = warm_reruns()
    print(
        f"dashboard rerun, warm cache: median {statistics.median(reruns):.2f} s (min {min(reruns):.2f}, "
        f"max {max(reruns):.2f}, {len(reruns)} runs)"
    )
    print(f"first full render in Chromium (cold cache, CP-SAT solve included): {first_render():.1f} s")


if __name__ == "__main__":
    main()
