"""Concurrent sessions (AppTest, in threads) on the bundled sample: none sees an exception.

The browser load test with timings and memory is ``benchmarks/load_app.py``; this one only checks
that 20 sessions running at once in one process (sharing the caches and the history store, as the
sessions of one ``streamlit run`` server do) all run cleanly.

AppTest is written for one run at a time: each run installs a mock ``Runtime`` singleton and
removes it when done (``Runtime._instance = None``), and patches ``config.get_option``. The fixture
below keeps a mock runtime answering between those swaps and holds the config patch for the whole
test, so that one session finishing does not pull the runtime from under the others. Each AppTest
run also has its own script cache, so pages are compiled concurrently, which trips a CPython 3.11
race in the AST converter ("AST constructor recursion depth mismatch"); the real server shares one
cache whose lock serialises compilation, and the fixture does the same across caches.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import MagicMock

import pytest
from conftest import ROOT
from streamlit import config
from streamlit.runtime import Runtime
from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import build_mock_config_get_option

SESSIONS = 20
PAGES = ["app_pages/plan.py", "app_pages/risks.py", "app_pages/data.py"]


@pytest.fixture
def shared_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    fallback = MagicMock(spec=Runtime)
    fallback.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    fallback.cache_storage_manager = MemoryCacheStorageManager()
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: cls._instance or fallback))
    monkeypatch.setattr(Runtime, "exists", classmethod(lambda cls: True))
    monkeypatch.setattr(config, "get_option", build_mock_config_get_option({"global.appTest": True}))
    compiling = threading.Lock()
    get_bytecode = ScriptCache.get_bytecode

    def serialised(cache: ScriptCache, script_path: str) -> object:
        with compiling:
            return get_bytecode(cache, script_path)

    monkeypatch.setattr(ScriptCache, "get_bytecode", serialised)
    yield
    Runtime._instance = None


def _session(number: int) -> list[str]:
    """The dashboard then one other page; the exceptions seen, as text."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
    seen = [f"session {number}, dashboard: {e.message}" for e in app.exception]
    if not seen and not app.title:
        seen.append(f"session {number}: the dashboard has no title")
    page = PAGES[number % len(PAGES)]
    app.switch_page(page).run()
    seen += [f"session {number}, {page}: {e.message}" for e in app.exception]
    return seen


@pytest.mark.usefixtures("shared_runtime")
def test_twenty_concurrent_sessions_run_without_exception():
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(_session, range(SESSIONS)))
    assert [problem for problems in results for problem in problems] == []
