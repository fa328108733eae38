"""Load test: N concurrent browser sessions (default 20) against ``streamlit run app.py`` on 127.0.0.1.

One Chromium (Debian's, driven by Playwright), one browser context per session, all started at
once. Each session opens the dashboard, waits until the script has finished (no status widget,
the three charts drawn), then opens the Plan, Risques and Données pages the same way. Counted per
session: Streamlit exception blocks (``stException``), JavaScript page errors, timeouts; the time
to the first full render of the dashboard. Sampled every 0.5 s from /proc: the resident memory of
the server process tree and of the browser's (summed RSS overstates Chromium, whose processes share
pages, so its proportional set size, PSS, is given too), the server's own peak (VmHWM) and its CPU
time.

Bounded: each step waits at most ``--step-timeout`` seconds, the whole run ``--deadline`` seconds,
then everything is stopped (browser closed, server terminated). Only 127.0.0.1 is contacted.

Run: ``.venv/bin/python benchmarks/load_app.py --sessions 20``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from serving import ALL_CHARTS_DRAWN, running_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGES = [("Plan", "Plan de sprints"), ("Risques", "Risques"), ("Données", "Données")]


@dataclass
class Session:
    """What one browser session saw."""

    number: int
    first_render: float | None = None
    pages: int = 0
    exceptions: int = 0
    page_errors: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Memory from /proc


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _descendants(pid: int, tree: dict[int, list[int]]) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, []))
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size: each shared page divided among the processes that map it."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and of its waited-for children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _is_chromium(pid: int) -> bool:
    try:
        return b"chromium" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False


class MemorySampler(threading.Thread):
    """Peak summed VmRSS of the server's process tree and of the browser's, and the server's VmHWM."""

    def __init__(self, server_pid: int) -> None:
        super().__init__(daemon=True)
        self.server_pid = server_pid
        self.server_peak_kb = 0
        self.server_hwm_kb = 0
        self.browser_peak_kb = 0
        self.browser_pss_kb = 0
        self.browser_processes = 0
        self.server_cpu = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(0.5)

    def sample(self) -> None:
        tree = _children()
        server = _descendants(self.server_pid, tree)
        self.server_peak_kb = max(self.server_peak_kb, sum(_status_kb(p, "VmRSS") for p in server))
        self.server_hwm_kb = max([self.server_hwm_kb, *(_status_kb(p, "VmHWM") for p in server)])
        browser = [p for p in _descendants(os.getpid(), tree) if p not in server and _is_chromium(p)]
        self.browser_processes = max(self.browser_processes, len(browser))
        self.browser_peak_kb = max(self.browser_peak_kb, sum(_status_kb(p, "VmRSS") for p in browser))
        self.browser_pss_kb = max(self.browser_pss_kb, sum(_pss_kb(p) for p in browser))
        self.server_cpu = max(self.server_cpu, sum(_cpu_seconds(p) for p in server))


# --------------------------------------------------------------------------------------------
# Server and sessions


async def _settled(page, timeout_ms: float) -> None:  # type: ignore[no-untyped-def]
    """The script has finished and every chart is drawn."""
    from playwright.async_api import expect

    await expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout_ms)
    await page.wait_for_function(ALL_CHARTS_DRAWN, timeout=timeout_ms)


async def run_session(browser, url: str, session: Session, step_timeout: float) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import expect

    timeout_ms = step_timeout * 1000
    context = await browser.new_context(viewport={"width": 1440, "height": 1800}, locale="fr-FR")
    try:
        page = await context.new_page()
        page.set_default_timeout(timeout_ms)
        page.on("pageerror", lambda error: session.page_errors.append(str(error)[:200]))
        step = "dashboard"
        try:
            began = time.perf_counter()
            await page.goto(url)
            await expect(page.get_by_role("heading", name="Centre hospitalier de Rivebelle")).to_be_visible(
                timeout=timeout_ms
            )
            await page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=timeout_ms)
            await _settled(page, timeout_ms)
            session.first_render = time.perf_counter() - began
            session.exceptions += await page.get_by_test_id("stException").count()
            session.pages += 1
            for link, heading in PAGES:
                step = link
                await page.get_by_test_id("stSidebarNav").get_by_text(link, exact=True).click()
                await expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=timeout_ms)
                await _settled(page, timeout_ms)
                session.exceptions += await page.get_by_test_id("stException").count()
                session.pages += 1
        except (TimeoutError, PlaywrightError, AssertionError) as exc:
            session.timeouts.append(f"{step}: {str(exc).splitlines()[0][:160]}")
    finally:
        await context.close()


async def run_sessions(url: str, count: int, step_timeout: float, deadline: float) -> tuple[list[Session], bool]:
    """All sessions at once in one browser; ``True`` when the deadline stopped them."""
    from playwright.async_api import async_playwright

    sessions = [Session(n) for n in range(count)]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
            ],
        )
        try:
            tasks = [asyncio.create_task(run_session(browser, url, s, step_timeout)) for s in sessions]
            done, pending = await asyncio.wait(tasks, timeout=deadline)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for task in done:
                if task.exception() is not None:
                    sessions[tasks.index(task)].timeouts.append(f"crashed: {task.exception()!r}"[:200])
        finally:
            await browser.close()
    return sessions, bool(pending)


def main(argv: list[str] | None = None) -> int:
    """Run the load test and print the figures; exit 1 on any error or timeout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--step-timeout", type=float, default=300, help="seconds for one page to settle")
    parser.add_argument("--deadline", type=float, default=900, help="seconds for the whole run")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rempart-load-") as data_dir, running_app(data_dir=data_dir) as app:
        startup = time.perf_counter() - began
        sampler = MemorySampler(app.process.pid)
        sampler.start()
        try:
            began = time.perf_counter()
            sessions, stopped = asyncio.run(run_sessions(app.url, args.sessions, args.step_timeout, args.deadline))
            elapsed = time.perf_counter() - began
        finally:
            sampler.sample()
            sampler.stop.set()
    renders = [s.first_render for s in sessions if s.first_render is not None]
    exceptions = sum(s.exceptions for s in sessions)
    page_errors = sum(len(s.page_errors) for s in sessions)
    timeouts = sum(len(s.timeouts) for s in sessions)
    print(f"{args.sessions} concurrent sessions, {os.cpu_count()} CPU(s); server started in {startup:.1f} s")
    print(
        f"pages settled: {sum(s.pages for s in sessions)} / {args.sessions * (1 + len(PAGES))}; "
        f"Streamlit exceptions: {exceptions}; page errors: {page_errors}; timeouts: {timeouts}"
        + ("; STOPPED BY THE DEADLINE" if stopped else "")
    )
    if renders:
        print(
            f"first full render of the dashboard: median {statistics.median(renders):.1f} s, "
            f"max {max(renders):.1f} s, min {min(renders):.1f} s ({len(renders)} sessions)"
        )
    print(f"whole run {elapsed:.0f} s")
    print(
        f"server memory: peak RSS of its process tree {sampler.server_peak_kb / 1024:.0f} MB, "
        f"peak VmHWM of one process {sampler.server_hwm_kb / 1024:.0f} MB; server CPU time {sampler.server_cpu:.0f} s"
    )
    print(
        f"browser memory: peak summed PSS {sampler.browser_pss_kb / 1024:.0f} MB (summed RSS "
        f"{sampler.browser_peak_kb / 1024:.0f} MB) over up to {sampler.browser_processes} Chromium processes"
    )
    for session in sessions:
        for problem in session.timeouts + session.page_errors:
            print(f"session {session.number}: {problem}")
    return 1 if exceptions or page_errors or timeouts or stopped else 0


if __name__ == "__main__":
    sys.exit(main())
