"""The spreadsheet parser's process: python-calamine behind a memory and time limit.

Run by :mod:`roadmap.importing.isolation` as ``python -I <this file> <memory bytes>``, never imported by the
app: it imports the standard library and python-calamine only (openpyxl too, for a request of fill
colours), so that it starts in a few tens of milliseconds and a bug in a parser (a Rust allocation
abort, an endless loop) ends this process and nothing else. The limit on its address space
(``RLIMIT_AS``) turns an allocation of 35 GB into a failed allocation here — an abort of this
process, seen by the parent as a worker that died.

Protocol, on stdin/stdout, one request at a time: the parent writes an 8-byte big-endian length and
the file's bytes; the worker answers an 8-byte length and a pickle of either
``("ok", {sheet: rows}, [hidden sheet names])`` — rows as lists of ``str``/``float``/``int``/``bool``/``datetime.date``/
``datetime.datetime``/``datetime.time``/``datetime.timedelta``/``None``, trailing empty cells and
rows dropped, column A first — or ``("too_many_rows", sheet)`` or ``("unreadable", message)``.
A request whose bytes start with :data:`FILLS` asks for the fill colours of some rows of one
sheet of an .xlsx/.xlsm instead (:func:`fills`): ``FILLS``, a JSON line ``{"sheet", "first", "last",
"width"}``, then the file's bytes; the answer is ``("fills", {row: colour})``. The parent
unpickles with a restricted unpickler that accepts those types only.
"""

from __future__ import annotations

import colorsys
import io
import json
import pickle
import resource
import struct
import sys
import zipfile
from collections.abc import Iterable
from typing import Any

_HEADER = struct.Struct(">Q")
FILLS = b"FILLS\n"
"""The start of a request for fill colours (a workbook starts with ``PK`` or an OLE signature)."""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def trimmed(rows: Iterable[list[Any]]) -> list[list[Any]]:
    """Rows without their trailing empty cells, and without trailing empty rows (a used range of
    16,384 columns or a million formatted rows costs nothing more than its content)."""
    kept: list[list[Any]] = []
    last_filled = 0
    for row in rows:
        end = len(row)
        while end and _blank(row[end - 1]):
            end -= 1
        kept.append(list(row[:end]))
        if end:
            last_filled = len(kept)
    return kept[:last_filled]


def parse(data: bytes, max_rows: int) -> tuple[Any, ...]:
    """Every sheet's rows, or the reason they cannot be had (see the module's protocol)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        tables = {}
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            # iter_rows starts at row 1 but at the first used column: put column A back
            pad = [None] * (sheet.start[1] if sheet.start else 0)
            filled = sheet.height > max_rows and sum(any(not _blank(c) for c in r) for r in sheet.iter_rows())
            if filled and filled > max_rows:
                return "too_many_rows", name
            tables[name] = trimmed(pad + row for row in sheet.iter_rows())
        hidden = [m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible]
        return "ok", tables, hidden
    except (CalamineError, ValueError, OSError, EOFError) as exc:
        return "unreadable", str(exc)[:300]


def fills(data: bytes, sheet: str, first: int, last: int, width: int) -> tuple[Any, ...]:
    """The fill colour of rows ``first``–``last`` (1-based) of ``sheet``: for each row, the solid
    fill of its first filled cell among columns 1–``width`` that has one, as opaque ARGB
    (``"FF00B050"``) — a theme colour resolved through the workbook's theme and its tint, an indexed
    one through Excel's palette — white and rows without any left out. Read by openpyxl (imported
    here, on the first such request only: the parse itself never needs it)."""
    import openpyxl  # a library of the app's environment: the parent runs this file with its interpreter
    from openpyxl.styles.colors import COLOR_INDEX

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        theme = _theme_colours(book.loaded_theme)
        colours: dict[int, str] = {}
        for number, row in enumerate(
            book[sheet].iter_rows(min_row=first, max_row=last, max_col=max(width, 1)), start=first
        ):
            for cell in row:
                fill = getattr(cell, "fill", None)
                if _blank(getattr(cell, "value", None)) or fill is None or fill.fill_type != "solid":
                    continue
                colour, argb = fill.fgColor, ""
                if colour.type == "rgb" and isinstance(colour.rgb, str):
                    argb = "FF" + colour.rgb[-6:].upper()
                elif colour.type == "theme" and isinstance(colour.theme, int) and colour.theme < len(theme):
                    argb = _tinted(theme[colour.theme], float(colour.tint or 0))
                elif colour.type == "indexed" and isinstance(colour.indexed, int) and colour.indexed < 56:
                    argb = "FF" + COLOR_INDEX[colour.indexed][-6:]
                if argb and argb != "FFFFFFFF":
                    colours[number] = argb
                    break
        return "fills", colours
    except (KeyError, ValueError, TypeError, OSError, EOFError, zipfile.BadZipFile) as exc:
        return "unreadable", str(exc)[:300]


_SCHEME = ("lt1", "dk1", "lt2", "dk2", *(f"accent{n}" for n in range(1, 7)), "hlink", "folHlink")
"""The theme's colours in the order of a cell's ``theme`` index (Excel swaps the first two pairs)."""


def _theme_colours(theme: bytes | None) -> list[str]:
    """The RGB (``"4472C4"``) of each theme colour index, ``""`` for one the theme lacks."""
    if not theme:
        return []
    from xml.etree import ElementTree  # the guards refused any DTD or entity in the file's parts

    main = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    try:
        scheme = ElementTree.fromstring(theme).find(f"{main}themeElements/{main}clrScheme")
    except ElementTree.ParseError:
        return []
    colours = []
    for name in _SCHEME:
        node = scheme.find(f"{main}{name}") if scheme is not None else None
        value = (node[0].get("lastClr") or node[0].get("val") or "") if node is not None and len(node) else ""
        colours.append(value.upper() if len(value) == 6 else "")
    return colours


def _tinted(rgb: str, tint: float) -> str:
    """``rgb`` lightened (``tint`` > 0) or darkened (< 0) as Excel does, in HLS (ECMA-376 §18.8.19), as ARGB."""
    if len(rgb) != 6:
        return ""
    hue, light, saturation = colorsys.rgb_to_hls(*(int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4)))
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    return "FF" + "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(hue, light, saturation))


def _dumps(answer: tuple[Any, ...]) -> bytes:
    """The answer pickled without the memo: plain rows hold no shared or cyclic reference, and
    remembering each of their 100,000s of cells made pickling a quarter slower and unpickling
    two to three times slower (benchmarks/bench_import.py)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(answer)
    return buffer.getvalue()


def _read_exactly(stream: Any, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def main() -> None:
    memory, max_rows = int(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = _read_exactly(inbox, _HEADER.size)
        if header is None:
            return
        data = _read_exactly(inbox, _HEADER.unpack(header)[0])
        if data is None:
            return
        try:
            if data.startswith(FILLS):
                request, _, data = data[len(FILLS) :].partition(b"\n")
                answer = _dumps(fills(data, **json.loads(request)))
            else:
                answer = _dumps(parse(data, max_rows))
        except MemoryError:
            answer = pickle.dumps(("unreadable", "the file needs more memory than a workbook may take"))
        outbox.write(_HEADER.pack(len(answer)) + answer)
        outbox.flush()


if __name__ == "__main__":
    main()
