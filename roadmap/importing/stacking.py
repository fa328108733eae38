"""Tables stacked one under another on a sheet: a second header row further down, after blank rows or
a banner (a phase or section title alone on its row).

The header of a table may start any row that follows a *gap* (:func:`header_rows_after_gaps`): the top
of the sheet, a blank row, or a banner. :func:`stack_tables` takes the header chosen by
:func:`roadmap.importing.columns.find_table` and looks at the header-like rows after the other gaps:

* one that names the same fields (the measures of *Phase 2* under their own header) continues the
  table: its header row is skipped as a repeat, its rows are read with its own columns (put back in the
  chosen header's positions when the order differs), and its banner becomes the domain of its measures
  (:func:`roadmap.importing.inference.sort_rows` reads a banner as a section row). The banner over the
  first table is its domain too when a later table has one (phases, not a sheet title);
* one that names other fields (a legend of statuses, a summary of figures) ends the table: the rows
  from its gap down are not read, and the note says where it is.

The same shape as :func:`roadmap.importing.columns._table_block` for tables side by side; pure, on
rows of raw cells; the column matcher is passed in (no import of :mod:`~roadmap.importing.columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from roadmap.importing.values import is_blank, to_text

Rows = list[list[Any]]
ColumnMatcher = Callable[[Sequence[Any]], dict[str, int]]


@dataclass(frozen=True)
class Stack:
    """What :func:`stack_tables` found around the chosen header (Excel rows, 1-based).

    Attributes:
        headers: the header row of each table of measures read as one (the chosen one first).
        banners: header row → the banner over it carried as the domain of its measures.
        others: the header rows of the tables of other fields, not read (above or below).
        last_row: the last row read (the row above the first table of other fields below), or ``None``
            when the table runs to the end of the sheet.
        added: field → 0-based column given to a field a later table of measures has and the chosen
            one not (right of the chosen header; its header cell written there).
    """

    headers: tuple[int, ...]
    banners: Mapping[int, str]
    others: tuple[int, ...]
    last_row: int | None
    added: Mapping[str, int] = field(default_factory=dict)


def _filled(cells: Sequence[Any]) -> int:
    """Cells holding a value (calamine gives ``""`` for an empty cell; ``count`` runs in C)."""
    return len(cells) - cells.count("") - cells.count(None)


def header_rows_after_gaps(rows: Rows, *, start: int = 0, limit: int = 1_000) -> list[int]:
    """The 0-based indexes from ``start`` on of the rows with two filled cells or more that follow a
    gap: the top of the sheet, a blank row, or a row with one filled cell (a banner); the first
    ``limit`` of them (a sheet of sections has one per section)."""
    found = []
    gap = start == 0 or (start <= len(rows) and _filled(rows[start - 1]) <= 1)
    for index in range(start, len(rows)):
        filled = _filled(rows[index])
        if filled >= 2 and gap:
            found.append(index)
            if len(found) >= limit:
                break
        gap = filled <= 1
    return found


def _all_text(cells: Sequence[Any]) -> int:
    """The number of filled cells when all are texts and none a number (a header's look), else 0."""
    texts = [c for c in cells if not is_blank(c)]
    if not all(isinstance(c, str) and not c.strip().replace(".", "", 1).replace(",", "", 1).isdigit() for c in texts):
        return 0
    return len(texts)


def _header_like(cells: Sequence[Any], match: ColumnMatcher) -> dict[str, int] | None:
    """The fields a row names when it looks like a header: text cells only, none a number, naming two
    fields or more, or one when it has two cells (``Statut | Signification``); else ``None``."""
    texts = _all_text(cells)
    if texts < 2:
        return None
    named = match(cells)
    return named if len(named) >= 2 or 2 * len(named) >= texts > 0 else None


def _banner(rows: Rows, index: int) -> str:
    """The text alone on its row right above ``index`` (blank rows between allowed, 3 rows up at most)."""
    for above in range(index - 1, max(index - 4, -1), -1):
        filled = [c for c in rows[above] if not is_blank(c)]
        if len(filled) == 1 and isinstance(filled[0], str):
            return to_text(filled[0])
        if filled:
            return ""
    return ""


def _gap_start(rows: Rows, index: int) -> int:
    """The first row of the gap (blank rows and banners) above ``index``."""
    while index > 0 and _filled(rows[index - 1]) <= 1:
        index -= 1
    return index


def stack_tables(rows: Rows, index: int, columns: Mapping[str, int], match: ColumnMatcher) -> tuple[Rows, Stack | None]:
    """The rows of the table whose header is ``rows[index]`` when tables are stacked on the sheet.

    Args:
        rows: the sheet's rows (0-based list; cells by column).
        index: the 0-based header row chosen.
        columns: field → 0-based column of that header (the fields named, before inference).
        match: a header row's cells → the fields they name (field → 0-based column).

    Returns:
        ``(rows, stack)``: the rows to read (a copy, with the continuations' headers made repeats of the
        chosen one, their cells moved to its columns, and the rows from a table of other fields down
        cut), and what was found; ``(rows, None)`` unchanged when the sheet holds one table.
    """
    if not columns:
        return rows, None
    fields = set(columns)
    same: list[tuple[int, dict[str, int]]] = []
    others: list[int] = []
    end: int | None = None
    for other in header_rows_after_gaps(rows):
        if other == index or (end is not None and other > end):
            continue
        if other < index:  # above the header read: any row of texts with rows under it is a table's header
            if _all_text(rows[other]) >= 2 and other + 1 < index and _filled(rows[other + 1]) >= 2:
                others.append(other)
            continue
        named = _header_like(rows[other], match)
        if named is None:
            continue
        if "title" in named and "title" in fields and len(named) >= 2:  # measures, maybe with other fields
            same.append((other, named))
        else:  # a table of other fields: the rows from its gap down are not read
            others.append(other)
            end = _gap_start(rows, other)
    if not same and not others:
        return rows, None
    original = rows
    rows = list(rows[:end] if end is not None else rows)
    banners: dict[int, str] = {}
    # the fields a later table of measures has and the chosen one not: new columns right of its header
    header = list(rows[index])
    added: dict[str, int] = {}
    for other, named in same:
        for name, at in named.items():
            if name not in fields and name not in added:
                added[name] = max(len(header), max(columns.values()) + 1)
                header += [None] * (added[name] - len(header)) + [rows[other][at]]
    rows[index] = header
    places = {**columns, **added}
    repeats = True  # every other header the same cells as the chosen one (a repeated header, nothing more)
    for position, (other, named) in enumerate(same):
        stop = same[position + 1][0] if position + 1 < len(same) else len(rows)
        moved = {name: named[name] for name in set(places) & set(named)}
        if any(places[name] != at for name, at in moved.items()):  # another column order: cells moved back
            width = max(places.values()) + 1
            for row in range(other + 1, stop):
                cells = rows[row]
                if _filled(cells) > 1:
                    placed: list[Any] = [None] * width
                    for name, at in moved.items():
                        placed[places[name]] = cells[at] if at < len(cells) else None
                    rows[row] = placed
        repeats = repeats and not added and [to_text(c) for c in rows[other]] == [to_text(c) for c in rows[index]]
        rows[other] = list(rows[index])  # read as a repeated header
        if banner := _banner(rows, other):
            banners[other + 1] = banner
    if banners and (first := _banner(rows, index)):
        banners[index + 1] = first
    if repeats and not banners and not others:
        return original, None
    return rows, Stack(
        added=added,
        headers=(index + 1, *(other + 1 for other, _ in same)),
        banners=banners,
        others=tuple(other + 1 for other in others),
        last_row=end if end is not None else None,
    )
