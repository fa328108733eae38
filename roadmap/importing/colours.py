"""A status given by the rows' colours only, said rather than lost.

Many action plans say where each measure stands by colouring its row — green done, orange under
way, red late — with no status column. The readers see values, not colours, so every such measure
would be read as *to do* without a word. When the measures table of an .xlsx/.xlsm has no status
column, :func:`report_status_colours` reads the fill colours of its rows (in the parser's worker:
:func:`roadmap.importing.isolation.fills_in_worker`) and, when they look like a code, warns once,
with the rows of each colour, and says how to give the status.
"""

from __future__ import annotations

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


def report_status_colours(data: bytes, filename: str, table: Table, issues: IssueCollector) -> None:
    """Warn when the rows of a measures table without a status column are colour-coded
    (:func:`colour_code`): one warning naming the colours and rows, their status read as to do."""
    if "status" in table.columns or not table.rows or Path(filename).suffix.lower() == ".ods":
        return
    if data[:4] != b"PK\x03\x04":  # .xls/.xlsb: no fill colours read
        return
    rows = [row for row, _ in table.rows[:SAMPLE_ROWS]]
    fills = fills_in_worker(
        data, sheet=table.sheet, first=rows[0], last=rows[-1], width=len(table.headers), max_rows=MAX_ROWS
    )
    code = colour_code([fills.get(row) for row in rows])
    if not code:
        return
    examples = "; ".join(
        f"{_shown(colour)}: " + ", ".join(str(row) for row in [r for r in rows if fills.get(r) == colour][:3])
        for colour, _ in code[:4]
    )
    issues.add(
        "warning",
        NP_(
            "the rows are coloured ({count} colour on {rows} rows) and there is no status column: if the "
            "colour says where each measure stands, Rempart cannot read it, and every measure is read as "
            "to do (colour: first rows — {examples})",
            "the rows are coloured ({count} colours on {rows} rows) and there is no status column: if the "
            "colours say where each measure stands, Rempart cannot read them, and every measure is read as "
            "to do (colour: first rows — {examples})",
        ),
        sheet=table.sheet,
        row=table.header_row,
        hint=N_(
            "add a column Statut (À faire, En cours, Fait, Bloqué, Abandonné) and fill it from the colours, "
            "or ignore this note if the colours mean something else"
        ),
        params={"count": len(code), "rows": sum(n for _, n in code), "examples": examples},
    )


def _shown(colour: str) -> str:
    """An opaque ARGB colour as ``#RRGGBB`` (``FF00B050`` → ``#00B050``); theme and indexed colours as read."""
    return "#" + colour[2:] if len(colour) == 8 and colour.startswith("FF") else colour
