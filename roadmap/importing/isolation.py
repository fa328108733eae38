"""Parse spreadsheets in a separate process with memory and time limits (SECURITY.md).

The guards of :mod:`roadmap.importing.guards` refuse every construction known to make a reader allocate by
position or expand a bomb, before any parser runs. This module is the second wall, for what a guard
misses: python-calamine runs in a worker process (:mod:`roadmap.importing.parse_worker`) whose address space
is limited to :data:`MEMORY_BYTES` and whose answer is awaited :data:`TIME_SECONDS` at most. A worker
that aborts (a Rust allocation failure), is killed by the kernel, or overruns its time costs the
user one clear message (:class:`~roadmap.errors.UnsafeFileError`); the app, and every other user's
session, go on.

Workers are kept warm (started once, reused) so that the isolation costs a pipe round trip and a
pickle, not a process start, per file; a worker that has parsed a large file is retired, so that
its memory goes back to the system. The answer is unpickled with :class:`_PlainUnpickler`, which
builds containers, numbers, texts and :mod:`datetime` values only: a worker compromised by a file
cannot make the app run code through it. Safe to call from several threads (Streamlit sessions).

At most :data:`PARSE_SLOTS` files are parsed at once, server-wide (a semaphore): a user who uploads
twenty large files at once gets a queue, not twenty processes, and the others' files wait at most
:data:`PARSE_WAIT_SECONDS` for a slot before they are told the server is busy
(:class:`~roadmap.errors.ServerBusyError`) rather than left hanging.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from roadmap.errors import NotASpreadsheetError, ServerBusyError, UnsafeFileError
from roadmap.importing.parse_worker import FILLS

MEMORY_BYTES = int(os.environ.get("REMPART_PARSE_MEMORY_MB", "1024")) * 2**20
"""Address space a parser process may use (``REMPART_PARSE_MEMORY_MB``, default 1 GiB)."""
TIME_SECONDS = float(os.environ.get("REMPART_PARSE_SECONDS", "30"))
"""Longest parse of one file (``REMPART_PARSE_SECONDS``, default 30 s)."""
PARSE_SLOTS = max(1, int(os.environ.get("REMPART_PARSE_SLOTS", "2")))
"""Files parsed at the same time, server-wide (``REMPART_PARSE_SLOTS``, default 2: the cores of a
small server; each parse may take :data:`MEMORY_BYTES`)."""
PARSE_WAIT_SECONDS = float(os.environ.get("REMPART_PARSE_WAIT_SECONDS", "20"))
"""Longest wait for a free slot before :class:`~roadmap.errors.ServerBusyError`
(``REMPART_PARSE_WAIT_SECONDS``, default 20 s)."""
RETIRE_AFTER_BYTES = 2_000_000
"""A worker that has parsed a file larger than this is stopped rather than reused."""
_IDLE_WORKERS = 2

_HEADER = struct.Struct(">Q")
_WORKER = Path(__file__).with_name("parse_worker.py")
_DATETIME_TYPES = {"date": dt.date, "datetime": dt.datetime, "time": dt.time, "timedelta": dt.timedelta}


class SheetTables(dict[str, list[list[Any]]]):
    """Sheet name → rows (as :func:`parse_in_worker` and :func:`roadmap.importing.tables.read_tables`
    give them), and what the reader noticed on the way.

    Attributes:
        hidden: the sheets hidden in the file (Excel's Hide, or very hidden by a macro).
        without_formulas: the sheets of an .xlsx/.xlsm the guards found without any formula (no need
            to look there for formulas whose value was never saved).
        notes: what a text file's reader repaired, as ``(kind, row, value)``: ``"unclosed quote"``
            (the 1-based row where a quote opened and never closed; the quote is read as a plain
            character), ``"decimal comma"`` (a row whose unquoted decimal comma split a number in two
            cells; joined back), ``"shifted cells"`` (a row with more cells than the others, not repaired).
    """

    hidden: tuple[str, ...] = ()
    notes: tuple[tuple[str, int, str], ...] = ()
    without_formulas: frozenset[str] = frozenset()


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data only: any class but the :mod:`datetime` ones is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in _DATETIME_TYPES:
            return _DATETIME_TYPES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


class _Worker:
    """One parser process and its pipes."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(_WORKER), str(MEMORY_BYTES), str(max_rows)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )

    def send(self, data: bytes) -> bool:
        """Hand ``data`` to the worker, which starts parsing it; ``False`` if it is already dead."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(_HEADER.pack(len(data)))
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return False
        return True

    def answer(self, deadline: float) -> tuple[Any, ...] | None:
        """The answer to the data :meth:`send` gave, or ``None`` if the worker died or overran
        ``deadline`` (then it is killed)."""
        assert self.process.stdout is not None
        try:
            header = self._read(_HEADER.size, deadline)
            body = self._read(_HEADER.unpack(header)[0], deadline) if header is not None else None
        except (BrokenPipeError, OSError):
            body = None
        if body is None:
            self.stop()
            return None
        answer: tuple[Any, ...] = _PlainUnpickler(io.BytesIO(body)).load()
        return answer

    def _read(self, size: int, deadline: float) -> bytes | None:
        assert self.process.stdout is not None
        fd, chunks, left = self.process.stdout.fileno(), [], size
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


_idle: list[_Worker] = []
_lock = threading.Lock()
_slots = threading.BoundedSemaphore(PARSE_SLOTS)


def _take(max_rows: int) -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive() and worker.max_rows == max_rows:
                return worker
            worker.stop()
    return _Worker(max_rows)


def _give_back(worker: _Worker) -> None:
    with _lock:
        if len(_idle) < _IDLE_WORKERS:
            _idle.append(worker)
            return
    worker.stop()


def parse_in_worker(
    data: bytes, *, filename: str, max_rows: int, check: Callable[[], None] | None = None
) -> SheetTables:
    """Every sheet of a binary spreadsheet (.xlsx/.xlsm/.xlsb/.xls/.ods) as rows of raw values,
    parsed by python-calamine in a worker process under :data:`MEMORY_BYTES` and :data:`TIME_SECONDS`.

    ``check`` (the guards of :mod:`roadmap.importing.guards`) runs in this process while the worker
    parses, and its refusal wins: the worker is then killed and its answer never read. This is safe
    because nothing of the file reaches this process before ``check`` has passed: meanwhile the parse
    can cost at most the worker's own limits (:data:`MEMORY_BYTES` of address space, one core) for as
    long as ``check`` takes, and the number of such workers is bounded by :data:`PARSE_SLOTS`.

    Returns:
        Sheet name → rows (lists of ``str``/``float``/``int``/``bool``/``date``/``datetime``/
        ``time``/``timedelta``/``None``), column A first, trailing empty cells and rows dropped;
        :attr:`SheetTables.hidden` names the hidden sheets.

    Raises:
        UnsafeFileError: the parser ran out of memory or time, or died, on this file; or a sheet has
            more than ``max_rows`` rows of data.
        NotASpreadsheetError: the parser could not read the file.
        ServerBusyError: no parser slot came free within :data:`PARSE_WAIT_SECONDS`.
        WorkbookError: whatever ``check`` raises (it wins over the parser's answer).
    """
    if not _slots.acquire(timeout=PARSE_WAIT_SECONDS):
        raise ServerBusyError(
            f"the server is busy reading other files ({PARSE_SLOTS} at a time): '{filename}' waited "
            f"{PARSE_WAIT_SECONDS:g} s; try again in a moment"
        )
    try:
        answer = _parse_alone(data, filename, max_rows, check)
    finally:
        _slots.release()
    kind, payload, *more = answer
    if kind == "ok":
        tables = SheetTables(payload)
        tables.hidden = tuple(str(name) for name in more[0]) if more else ()
        return tables
    if kind == "too_many_rows":
        raise UnsafeFileError(
            f"sheet '{payload}' of '{filename}' has more than {max_rows:,} rows of data; "
            "keep one row per measure (a few thousand at most)"
        )
    raise NotASpreadsheetError(
        f"'{filename}' cannot be read as a spreadsheet ({payload}). Open it in Excel or LibreOffice and save it "
        "again as .xlsx"
    )


def fills_in_worker(data: bytes, *, sheet: str, first: int, last: int, width: int, max_rows: int) -> dict[int, str]:
    """The fill colour of rows ``first``–``last`` of ``sheet`` of an .xlsx/.xlsm whose guards have
    passed, read in a worker as the parse is (:func:`roadmap.importing.parse_worker.fills`): row →
    opaque ARGB colour (``"FF00B050"``; theme and indexed colours resolved), uncoloured rows left out.
    ``max_rows`` is the parse's (a worker started for it is reused).

    A colour is never a reason to fail: ``{}`` when the worker cannot read them, dies, overruns
    :data:`TIME_SECONDS` or no parser slot comes free within :data:`PARSE_WAIT_SECONDS`.
    """
    if not _slots.acquire(timeout=PARSE_WAIT_SECONDS):
        return {}
    request = json.dumps({"sheet": sheet, "first": first, "last": last, "width": width}).encode()
    try:
        worker = _take(max_rows)
        sent = worker.send(FILLS + request + b"\n" + data)
        answer = worker.answer(time.monotonic() + TIME_SECONDS) if sent else None
        if answer is None or len(data) > RETIRE_AFTER_BYTES:
            worker.stop()
        else:
            _give_back(worker)
    finally:
        _slots.release()
    if answer is None or answer[0] != "fills":
        return {}
    return {int(row): str(colour) for row, colour in answer[1].items()}


def _parse_alone(data: bytes, filename: str, max_rows: int, check: Callable[[], None] | None = None) -> tuple[Any, ...]:
    """A worker's answer for ``data`` (the caller holds a slot), ``check`` run while it parses; the
    worker is given back or retired, or killed when ``check`` raises."""
    worker = _take(max_rows)
    deadline = time.monotonic() + TIME_SECONDS
    sent = worker.send(data)
    passed = check is None
    try:
        if check is not None:
            check()
            passed = True
    finally:
        if not passed:
            worker.stop()  # the parse of a refused file is never read
    answer = worker.answer(deadline) if sent else None
    if answer is None:
        worker.stop()  # already stopped when it died or overran; not yet when the data could not be sent
        raise UnsafeFileError(
            f"'{filename}' could not be read within the limits a workbook may take "
            f"({MEMORY_BYTES // 2**20:,} MB of memory, {TIME_SECONDS:g} s): it may be damaged or built to exhaust "
            "the server. Open it in Excel or LibreOffice, delete the cells far from the table (Ctrl+End shows "
            "the last one) and save it again"
        )
    if len(data) > RETIRE_AFTER_BYTES:
        worker.stop()
    else:
        _give_back(worker)
    return answer


def stop_workers() -> None:
    """Stop the idle workers (tests, and an orderly shutdown)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.stop()
