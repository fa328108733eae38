"""Chart images of :mod:`roadmap.charts`, rendered to PNG or SVG.

* Chart images: plotly figures of :mod:`roadmap.charts` rendered by kaleido 1.5 with Debian's
  Chromium (``BROWSER_PATH`` if set, else ``/usr/bin/chromium``, else ``chromium`` on ``PATH``);
  kaleido never downloads a browser here, and MathJax is off (no network). One
  :class:`ImageRenderer` (one browser, one tab) serves all images of an export.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import logging
import os
import shutil
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import plotly.graph_objects as go

from roadmap.analysis import Analysis
from roadmap.charts import (
    burnup_figure,
    domain_progress_figure,
    heat_map_figure,
    sprint_load_figure,
    trajectory_figure,
)
from roadmap.errors import ExportError
from roadmap.exports.frames import export_filename
from roadmap.exports.text import _lang
from roadmap.gantt import gantt_figure
from roadmap.risk import (
    completions_at,
    heat_map,
)

_T = TypeVar("_T")


def browser_path() -> str:
    """The Chromium that renders chart images: ``BROWSER_PATH`` when set, else Debian's
    ``/usr/bin/chromium``, else ``chromium``/``chromium-browser`` on ``PATH``.

    Raises:
        ExportError: none is found.
    """
    candidates = [os.environ.get("BROWSER_PATH", ""), "/usr/bin/chromium"]
    candidates += [shutil.which(name) or "" for name in ("chromium", "chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ExportError(
        "chart images need Chromium, which is not installed: run scripts/install-system-deps.sh "
        "(apt-get install chromium) or set BROWSER_PATH to a Chrome or Chromium executable"
    )


def _quiet_ignored_browser_messages(record: logging.LogRecord) -> bool:
    """choreographer logs, with a full traceback, a Chromium message it cannot decode and then
    ignores (it happens when the browser closes); a person would take it for a crash."""
    return not str(record.msg).startswith("JSONError decoding message")


class ImageRenderer:
    """One headless Chromium, driven by kaleido, that renders plotly figures to PNG or SVG.

    Starting the browser takes a few seconds; each image afterwards a fraction of a second, so
    one renderer serves every image of an export (and the app may keep one for its lifetime).
    The browser runs in a private event loop on a daemon thread; :meth:`render` is thread-safe.
    Use it as a context manager, or call :meth:`close`.

    Raises:
        ExportError: Chromium is missing or does not start.
    """

    def __init__(self, *, timeout: float = 60.0) -> None:
        import kaleido  # imported here: it starts nothing, but pulls in choreographer and logistro

        path = browser_path()
        pipe_log = logging.getLogger("choreographer.channels.pipe")
        if _quiet_ignored_browser_messages not in pipe_log.filters:
            pipe_log.addFilter(_quiet_ignored_browser_messages)
        self._timeout = timeout
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="rempart-kaleido", daemon=True)
        self._thread.start()

        async def open_browser() -> Any:
            browser = kaleido.Kaleido(n=1, timeout=timeout, mathjax=False, path=path)
            await browser.open()
            return browser

        try:
            self._kaleido = self._call(open_browser())
        except ExportError:
            self._stop_loop()
            raise

    def _call(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        from kaleido.errors import KaleidoError

        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=self._timeout + 10)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ExportError(f"chart rendering took more than {self._timeout + 10:g} s; try again") from None
        except (KaleidoError, RuntimeError, OSError, ValueError, TypeError) as exc:
            raise ExportError(f"Chromium could not render a chart ({type(exc).__name__}: {exc})") from exc

    def render(self, figure: go.Figure, *, fmt: str = "png", width: int = 1100, scale: float = 2.0) -> bytes:
        """The figure as PNG or SVG bytes.

        Args:
            fmt: ``png`` or ``svg``.
            width: in CSS pixels; the height is the figure's own (``layout.height``, else 480).
            scale: pixel density of a PNG (2 = sharp on paper and on high-DPI screens).
        """
        if fmt not in ("png", "svg"):
            raise ExportError(f"unknown image format {fmt!r}: use png or svg")
        height = int(figure.layout.height or 480)
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        with self._lock:
            return bytes(self._call(self._kaleido.calc_fig(figure, opts=opts)))

    def close(self) -> None:
        """Close the browser and stop the event loop (idempotent)."""
        if not self._thread.is_alive():
            return
        try:
            self._call(self._kaleido.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def __enter__(self) -> ImageRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _renderer(given: ImageRenderer | None) -> Iterator[ImageRenderer]:
    if given is not None:
        yield given
        return
    with ImageRenderer() as renderer:
        yield renderer


def chart_figures(analysis: Analysis, *, lang: str = "fr") -> dict[str, go.Figure]:
    """Every chart of :mod:`roadmap.charts` for this analysis, by name: ``trajectory`` (3-year
    baseline, naive and optimised plans), ``domain_progress``, ``burnup``, ``sprint_load`` (the
    planned effort of :meth:`~roadmap.analysis.Analysis.sprint_effort`, the deck's figure),
    ``gantt``, ``heat_map_inherent`` and ``heat_map_now``."""
    code = _lang(lang)
    roadmap, plan = analysis.roadmap, analysis.plan
    shown = analysis.trajectory[analysis.trajectory["scenario"] != "greedy"]
    return {
        "trajectory": trajectory_figure(shown, lang=code),
        "domain_progress": domain_progress_figure(roadmap, plan, lang=code),
        "burnup": burnup_figure(roadmap, plan, lang=code),
        "sprint_load": sprint_load_figure(
            plan, lang=code, load=analysis.sprint_effort().rename(columns={"planned": "busy"})
        ),
        "gantt": gantt_figure(roadmap, plan, lang=code),
        "heat_map_inherent": heat_map_figure(heat_map(roadmap), when="inherent", lang=code),
        "heat_map_now": heat_map_figure(heat_map(roadmap, completions_at(roadmap, None)), when="now", lang=code),
    }


def chart_images(
    analysis: Analysis,
    *,
    lang: str = "fr",
    fmt: str = "png",
    today: dt.date | None = None,
    renderer: ImageRenderer | None = None,
) -> dict[str, bytes]:
    """Every chart (:func:`chart_figures`) as an image.

    Args:
        fmt: ``png`` (1100 px wide at scale 2) or ``svg``.
        today: the date in the file names (default today).
        renderer: a running :class:`ImageRenderer` to reuse; default one for this call.

    Returns:
        File name (:func:`export_filename`, kind = the chart's name) → image bytes.

    Raises:
        ExportError: Chromium is missing or fails.
    """
    figures = chart_figures(analysis, lang=lang)
    with _renderer(renderer) as images:
        return {
            export_filename(analysis, name, fmt, today=today): images.render(figure, fmt=fmt)
            for name, figure in figures.items()
        }
