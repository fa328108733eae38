"""``streamlit run app.py`` on 127.0.0.1 for the browser tests and the benchmarks (one way to start
and stop it, shared by tests/test_browser.py, benchmarks/bench_app.py and benchmarks/load_app.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ALL_CHARTS_DRAWN = (
    "() => document.querySelectorAll('.js-plotly-plot').length"
    " === document.querySelectorAll('[data-testid=\"stPlotlyChart\"]').length"
)
"""A page function true once every chart element has its plotly drawing (counted together: charts
appear while the page settles)."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class App:
    """A running app: its server process, its address, and when (``time.perf_counter()``) the
    process was started and first answered its health check."""

    process: subprocess.Popen[bytes]
    url: str
    started: float = 0.0
    healthy: float = 0.0


@contextmanager
def running_app(*, data_dir: str | None = None, startup_seconds: float = 60) -> Iterator[App]:
    """Serve the app on a free port of 127.0.0.1 until the block ends, then stop it.

    Args:
        data_dir: ``REMPART_DATA_DIR`` of the server (default: this process's), its database then
            taken from there (``REMPART_DATABASE_URL`` is cleared).

    Raises:
        RuntimeError: the server is not healthy within ``startup_seconds``; the message ends with
            the tail of its standard error.
    """
    port = free_port()
    env = dict(os.environ)
    if data_dir is not None:
        env["REMPART_DATA_DIR"] = data_dir
        env.pop("REMPART_DATABASE_URL", None)
    command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a busy server never blocks on it
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            deadline = time.monotonic() + startup_seconds
            while not _healthy(url):
                if time.monotonic() > deadline or process.poll() is not None:
                    errors.seek(0)
                    raise RuntimeError("streamlit did not start: " + errors.read()[-2000:].decode(errors="replace"))
                time.sleep(0.1)
            yield App(process, url, started, time.perf_counter())
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False
