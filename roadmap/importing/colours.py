"""A status given by the rows' colours only, read rather than lost.

Many action plans say where each measure stands by colouring its row — green done, orange under
way, red late — with no status column. The readers see values, not colours, so every such measure
would be read as *to do* without a word. When the measures table of an .xlsx/.xlsm has no status
column, :func:`status_from_colours` reads the fill colours of its rows (in the parser's worker:
:func:`roadmap.importing.isolation.fills_in_worker`) and, when they look like a code, reads them as
the status column: each colour a value whose meaning the column mapping asks once.
"""

from __future__ import annotations

import colorsys
import itertools
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from roadmap.i18n import N_, NP_
from roadmap.importing.columns import Table
from roadmap.importing.guards import MAX_ROWS
from roadmap.importing.isolation import fills_in_worker
from roadmap.importing.issues import IssueCollector

SAMPLE_ROWS = 1000
"""Data rows whose colours are read (the first ones): enough to see a code, cheap on a large sheet."""


def colour_code(colours: Sequence[str | None]) -> list[tuple[str, int]]:
    """The colours of a column of rows when they look like a code, most frequent first, with their
    number of rows; ``[]`` when they do not.

    A code: at least 5 rows, at least two colours (no fill counts as one) each on 5 % of the rows or
    more, the coloured rows at least 10 % of them (not a few highlights), and not banded (a colour
    that changes on 80 % of the rows or more is a table style's zebra stripes, not a meaning).

    Args:
        colours: each row's fill colour, ``None`` for no fill, in the rows' order.
    """
    count = len(colours)
    if count < 5:
        return []
    frequent = [(c, n) for c, n in Counter(colours).most_common() if n >= 0.05 * count]
    coloured = sum(1 for c in colours if c is not None)
    changes = sum(a != b for a, b in itertools.pairwise(colours))
    if len(frequent) < 2 or coloured < max(3, 0.1 * count) or changes >= 0.8 * (count - 1):
        return []
    return [(c, n) for c, n in frequent if c is not None]


COLOUR_HEADER = "Couleur / Colour"
"""The header of the status column read from the rows' colours (in both languages: it is a column
name in the user's file's messages, not an interface text)."""


def status_from_colours(data: bytes, filename: str, table: Table, issues: IssueCollector) -> None:
    """When a measures table of an .xlsx/.xlsm has no status column and its rows are colour-coded
    (:func:`colour_code`), read the colours as its status column: each row's colour (``#00B050``)
    in a column :data:`COLOUR_HEADER` added after the file's own, read as the status field. A
    colour is a value outside the status vocabulary, so it is listed once with its number of rows
    and read as to do until the column mapping gives it its meaning (``{"#00B050": "done"}``,
    remembered with the mapping); uncoloured rows are to do. One warning says so, with the first
    rows of each colour.

    The colours are read in the parser's worker (:func:`roadmap.importing.isolation.fills_in_worker`):
    the rows of the first :data:`SAMPLE_ROWS` decide whether they are a code, then every row's is read.
    """
    if "status" in table.columns or not table.rows or Path(filename).suffix.lower() == ".ods":
        return
    if data[:4] != b"PK\x03\x04":  # .xls/.xlsb: no fill colours read
        return
    rows = [row for row, _ in table.rows]
    width = len(table.headers)

    def fills(first: int, last: int) -> dict[int, str]:
        return fills_in_worker(data, sheet=table.sheet, first=first, last=last, width=width, max_rows=MAX_ROWS)

    sample = rows[:SAMPLE_ROWS]
    colours = fills(sample[0], sample[-1])
    code = colour_code([colours.get(row) for row in sample])
    if not code:
        return
    if len(rows) > len(sample):
        colours.update(fills(sample[-1] + 1, rows[-1]))
    index = max(width, *(len(cells) for _, cells in table.rows))
    for row, cells in table.rows:
        cells.extend([None] * (index - len(cells)))
        cells.append(_shown(colours[row]) if row in colours else None)
    table.headers.extend([""] * (index - width))
    table.headers.append(COLOUR_HEADER)
    table.added = index + 1 - width
    table.columns["status"] = index
    examples = "; ".join(
        f"{_shown(colour)}: " + ", ".join(str(row) for row in [r for r in sample if colours.get(r) == colour][:3])
        for colour, _ in code[:4]
    )
    issues.add(
        "warning",
        NP_(
            "no status column, but the rows are coloured ({count} colour on {rows} rows): the colour is read "
            "as the status, to do until you say what it means (colour: first rows — {examples})",
            "no status column, but the rows are coloured ({count} colours on {rows} rows): the colours are "
            "read as the status, to do until you say what each means (colour: first rows — {examples})",
        ),
        sheet=table.sheet,
        row=table.header_row,
        hint=N_(
            "give each colour its meaning in the value table of the column mapping (Données page), or add a "
            "column Statut (À faire, En cours, Fait, Bloqué, Abandonné)"
        ),
        params={"count": len(code), "rows": sum(n for _, n in code), "examples": examples},
    )


def _shown(colour: str) -> str:
    """An ARGB colour as the user can tell it apart in a table: a coloured square of its hue and
    ``#RRGGBB`` (``FF00B050`` → ``🟩 #00B050``)."""
    rgb = colour[-6:]
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, light, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.2 or light > 0.93 or light < 0.1:  # grey, near white, near black
        square = "⬜" if light >= 0.5 else "⬛"
    else:
        degrees = hue * 360
        square = next(s for limit, s in _HUES if degrees < limit)
        if square == "🟧" and light < 0.35:
            square = "🟫"
    return f"{square} #{rgb}"


_HUES = ((15, "🟥"), (50, "🟧"), (70, "🟨"), (170, "🟩"), (260, "🟦"), (345, "🟪"), (361, "🟥"))
"""Upper hue bound (degrees) → the coloured square shown for a colour of that hue (Excel's standard
Orange, FFC000, is at 45°)."""
