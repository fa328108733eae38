"""Concurrent sessions (AppTest, in threads) on the bundled sample: none sees an exception.

The browser load test with timings and memory is ``benchmarks/load_app.py``; this one only checks
that 20 sessions sharing the caches and the history store at once all run cleanly.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from conftest import ROOT
from streamlit.testing.v1 import AppTest

SESSIONS = 20
PAGES = ["app_pages/plan.py", "app_pages/risks.py", "app_pages/data.py"]


def _session(number: int) -> list[str]:
    """The dashboard then one other page; the exceptions seen, as text."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
    seen = [f"session {number}, dashboard: {e.message}" for e in app.exception]
    if not seen:
        app.switch_page(PAGES[number % len(PAGES)]).run()
        seen += [f"session {number}, {PAGES[number % len(PAGES)]}: {e.message}" for e in app.exception]
    if not seen and not app.title:
        seen.append(f"session {number}: nothing rendered")
    return seen


def test_twenty_concurrent_sessions_run_without_exception():
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(_session, range(SESSIONS)))
    assert [problem for problems in results for problem in problems] == []
