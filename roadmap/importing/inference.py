"""What a table's content says when its headers do not: the columns of a measures table found from
their values, and the rows under a header that are not measures.

:func:`infer_columns` looks at the cells of the columns no header named: the title is the column of
long, mostly distinct text; the status the column whose values are mostly status words; the
priority the same with priority words; dates and efforts need a hint in the header as well (a
column of dates alone could be a detection date, a column of numbers a port). :func:`sort_rows`
takes out of a table the rows that are not measures (totals, sections and summary tasks, rows
without a title, stray cells) with their reason, and gives each section's title as the domain of
the rows under it. Both are pure: :mod:`roadmap.importing.load` reports what they found.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from roadmap.errors import CellValueError
from roadmap.importing.synonyms import IMPACT_HEADERS, LIKELIHOOD_HEADERS
from roadmap.importing.values import (
    is_blank,
    normalize,
    parse_date,
    parse_effort,
    parse_number,
    parse_priority,
    parse_status,
    to_text,
)

SAMPLE_ROWS = 300
"""Data rows looked at to infer a column (the first ones): enough to judge, bounded in time."""

_DATE_HINTS = {
    "baseline_start": ("debut", "start", "inicio", "beginn", "commencement", "from", "du"),
    "baseline_end": ("fin", "end", "finish", "fim", "ende", "au", "to"),
    "due_date": ("echeance", "due", "target", "cible", "limite", "objectif", "prevue", "planned", "scheduled"),
    "done_date": ("realisation", "completed", "closed", "cloture", "done", "resolved", "resolution", "fait"),
}
"""Header words that say which date a column of dates holds."""

_WEAK_WORDS = frozenset({"n a", "na", "ok", "none", "yes", "no", "oui", "non", "ja", "nein", "sim", "nao", "si", "x"})
"""Values that say too little to make a column a status column (``N/A`` in a column of dates)."""

_RISK_WORDS = LIKELIHOOD_HEADERS | IMPACT_HEADERS
"""Header words of a risk's likelihood or impact: words like High in them rate one side of a risk, not
the measure's priority (:class:`roadmap.importing.grc.Assessment` combines the two)."""

_DATE_WORDS = frozenset({"date", "dates", "fecha", "data", "datum", "jour", "day", "when", "quand", "le"})

_EFFORT_HINTS = (
    "h",
    "heures",
    "hours",
    "jours",
    "days",
    "j",
    "jh",
    "charge",
    "estimate",
    "estimation",
    "temps",
    "effort",
    "esfuerzo",
    "esforco",
    "aufwand",
    "workload",
)

TOTAL_WORDS = frozenset(
    {
        "total",
        "totals",
        "totaux",
        "total general",
        "grand total",
        "sous total",
        "subtotal",
        "sub total",
        "sum",
        "somme",
        "summe",
        "gesamt",
        "suma",
        "soma",
    }
)
"""Normalised first cells of a totals row."""

_TOTAL_HEADS = frozenset({"total", "totals", "totaux", "subtotal", "sum", "somme", "summe", "gesamt", "suma", "soma"})


def _texts(values: Sequence[Any]) -> list[str]:
    return [to_text(v) for v in values if not is_blank(v)]


def _share(values: Sequence[Any], parser: Any) -> float:
    """The share of ``values`` that ``parser`` reads without a :class:`CellValueError`."""
    if not values:
        return 0.0
    ok = 0
    for value in values:
        try:
            parser(value)
        except CellValueError:
            continue
        ok += 1
    return ok / len(values)


def infer_columns(headers: Sequence[str], data: Sequence[Sequence[Any]], columns: Mapping[str, int]) -> dict[str, int]:
    """Fields found from the content of the columns that no header named.

    Args:
        headers: the header text of each column (``""`` when blank).
        data: the data rows (cells by column index); the first :data:`SAMPLE_ROWS` are read.
        columns: the fields already found (field → 0-based column index); never changed.

    Returns:
        The fields found, field → 0-based column index (only fields missing from ``columns``).
    """
    sample = list(data[:SAMPLE_ROWS])
    if not sample:
        return {}
    width = max((len(r) for r in sample), default=0)
    taken = set(columns.values())
    found: dict[str, int] = {}
    free = [i for i in range(width) if i not in taken]

    def values(index: int) -> list[Any]:
        return [r[index] for r in sample if index < len(r) and not is_blank(r[index])]

    if "title" not in columns:
        for index in free:
            filled = values(index)
            texts = [t for t in _texts(filled) if not _is_number(t)]
            if len(filled) < max(1, 0.6 * len(sample)) or len(texts) < 0.9 * len(filled):
                continue
            mean = statistics.fmean(len(t) for t in texts)
            distinct = len({normalize(t) for t in texts}) / len(texts)
            wordy = sum(" " in t and _letters(t) for t in texts) >= 0.8 * len(texts)
            if distinct >= 0.8 and 10 <= mean <= 200 and wordy and _share(filled[:50], parse_date) < 0.5:
                found["title"] = index
                break
    for name, parser in (("status", parse_status), ("priority", parse_priority)):
        if name in columns:
            continue
        for index in free:
            filled = [v for v in values(index) if normalize(v) not in _WEAK_WORDS]
            header = set(normalize(headers[index] if index < len(headers) else "").split())
            if index in found.values() or len(filled) < 0.3 * len(sample) or header & (_DATE_WORDS | _RISK_WORDS):
                continue
            if all(_is_number(t) for t in _texts(filled)):  # 1, 2, 3: a level, a count, a port…
                continue
            if _share(filled, parser) >= 0.6:
                if name == "status" or len(filled) == len(sample):
                    found[name] = index
                    break
                if name not in found or len(filled) > len(values(found[name])):  # the fullest of per-level columns
                    found[name] = index
    for index in free:
        if index in found.values():
            continue
        words = set(normalize(headers[index] if index < len(headers) else "").split())
        filled = values(index)
        if not words or len(filled) < 0.3 * len(sample):
            continue
        for name, hints in _DATE_HINTS.items():
            if name not in columns and name not in found and words & set(hints):
                if _share(filled, parse_date) >= 0.8:
                    found[name] = index
                break
        effort = "effort_days" not in columns and "effort_days" not in found and words & set(_EFFORT_HINTS)
        if effort and _share(filled, parse_number) >= 0.8 and all(0 < _number(v) <= 10_000 for v in filled):
            found["effort_days"] = index
        elif effort and not all(_is_number(t) for t in _texts(filled)) and _share(filled, parse_effort) >= 0.8:
            found["effort_days"] = index  # amounts with their unit or in words: 2 days, une semaine
    return found


def _letters(text: str) -> bool:
    """True when at least half the characters of ``text`` other than spaces are letters (a
    sentence, not a date, a time or an address)."""
    plain = text.replace(" ", "")
    return sum(c.isalpha() for c in plain) * 2 >= len(plain)


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except CellValueError:
        return False
    return True


def _number(value: Any) -> float:
    try:
        return parse_number(value)
    except CellValueError:
        return 0.0


_OUTLINE = re.compile(r"^([A-Za-z]{1,3}\.?)?\d+(\.\d+)*$")
"""An outline ID: ``2``, ``2.1``, ``1.1.1``, or a control's ``A.5`` over ``A.5.1`` (ISO 27001 Annex A)."""

_EXAMPLE_WORDS = "exemple|example|ejemplo|exemplo|beispiel|esempio"
_EXAMPLE_ID = re.compile(_EXAMPLE_WORDS)
_EXAMPLE_TITLE = re.compile(
    rf"(?<![a-z])(?<!par )(?<!for )(?<!por )(?<!zum )(?<!per )({_EXAMPLE_WORDS})(?![a-z])|^e g "
)


def is_example(ident: str, title: str) -> bool:
    """True for the example row of a template: its ID holds the word example (``V-1Example``,
    ``EX-EXEMPLE``), or its title does as a word (``Mesure EXEMPLE``, ``Example: enable MFA``), in
    FR/EN/ES/PT/DE/IT, not as ``par exemple`` / ``for example`` nor inside a web or mail address;
    or its title starts with ``e.g.``."""
    if not _EXAMPLE_HINT.search(ident) and not _EXAMPLE_HINT.search(title):  # most rows: no normalising
        return False
    title = _ADDRESS.sub(" ", title)  # ``https://example.org``, ``mail.example.fr``: an address, not a mark
    return bool(_EXAMPLE_ID.search(normalize(ident)) or _EXAMPLE_TITLE.search(normalize(title)))


_ADDRESS = re.compile(r"\S+://\S+|\S*\w\.(?:example|exemple)\b\S*|\S*\b(?:example|exemple)\.\w\S*", re.IGNORECASE)


_EXAMPLE_HINT = re.compile(r"(?i)ex[eaé]mpl|ejempl|beispiel|esempi|e\.\s?g\b|^e g ")


def sort_rows(
    rows: Sequence[tuple[int, list[Any]]], columns: Mapping[str, int], width: int
) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, str, str]], dict[int, str]]:
    """Take the rows that are not measures out of a table's data rows.

    Not measures, with the reason given:

    * ``totals row``: a cell reads Total, Sum, Somme… and there is no title, or the title is that word,
      or a short title without an ID starts with it (``Summe Aufwand``, ``Total heures``);
    * ``section row``: a text alone on its row (in a table whose rows fill 3 cells or more), within
      the table's columns; or a title with no ID, on a row sparser than most, above a row with an ID,
      in a table whose IDs are mostly filled (a CIS control over its safeguards); its text becomes
      the domain of the rows under it;
    * ``summary task``: a row whose ID (outline numbers ``2``, ``2.1``) is the parent of the next
      row's ID (``2.1``, ``2.1.1``); its title becomes the domain of the rows under it;
    * ``stray cell``: a value alone on its row, right of the table's columns;
    * ``note under the table``: a text alone on its row below the last measure (a legend, a source);
    * ``example row``: the example row of a template (:func:`is_example`);
    * ``informational finding``: a scanner's finding rated None / Info / Informational / Log in the
      priority column (Nessus, OpenVAS, Qualys level 1 aside): a fact about a host, nothing to fix;
    * ``no title``: any other row without a title, or whose title is a bare number in a column of
      texts (the counts of a summary block under the table).

    Args:
        rows: ``(excel_row, cells)`` under the header.
        columns: field → 0-based column index (``title`` needed for the checks on titles).
        width: the table's number of columns (header width).

    Returns:
        ``(measures' rows, [(excel_row, reason, value shown)], {excel_row: domain carried})``.
    """
    title, ident, domain = columns.get("title"), columns.get("id"), columns.get("domain")
    rating = columns.get("priority")
    filled = [  # the filled cells' indexes (is_blank inlined: a cell of every row)
        [i for i, c in enumerate(cells) if c is not None and not (isinstance(c, str) and not c.strip())]
        for _, cells in rows
    ]
    spread = [len(f) for f in filled if len(f) > 1]  # rows of one cell (sections, banners) left out:
    typical = statistics.median(spread) if spread else 0  # many sections must not hide themselves
    titles = [_cell(cells, title) for _, cells in rows]
    numeric = [bool(t) and t[0] in _NUMBER_START and _is_number(t) for t in titles]
    texts = sum(bool(t) for t in titles) - sum(numeric)
    numbers_are_not_titles = texts > sum(numeric)  # the counts of a summary under a column of titles
    kept: list[tuple[int, list[Any]]] = []
    skipped: list[tuple[int, str, str]] = []
    domains: dict[int, str] = {}
    section = ""
    grouped = domain is not None and sum(bool(_cell(c, domain)) for _, c in rows) < 0.5 * len(rows)
    group = ""  # a sparse domain column is written once per group (merged cells): carried down
    parents: list[tuple[str, str]] = []  # (outline ID, title) of the summary tasks above
    ids = [_cell(cells, ident) for _, cells in rows]
    with_ids = ident is not None and sum(map(bool, ids)) >= 0.6 * len(ids)
    for position, ((row, cells), used) in enumerate(zip(rows, filled, strict=True)):
        text = titles[position]
        if numeric[position] and numbers_are_not_titles:
            skipped.append((row, "no title", text))
            continue
        if not text or normalize(text) in TOTAL_WORDS or (not ids[position] and _total_title(text)):
            heads = [normalize(cells[i]) for i in used[:2]]
            is_total = any(h in TOTAL_WORDS or h.split(" ")[0] in _TOTAL_HEADS for h in heads if h)
        else:
            is_total = False
        if is_total:
            skipped.append((row, "totals row", to_text(cells[used[0]])))
            continue
        if len(used) == 1 and typical >= 3:
            lone = to_text(cells[used[0]])
            if used[0] >= width:
                skipped.append((row, "stray cell", lone))
            elif not _is_number(lone) and not lone.startswith("="):
                section = lone
                parents = []
                skipped.append((row, "section row", lone))
            else:
                skipped.append((row, "no title", lone))
            continue
        outline = ids[position]
        if text and is_example(outline, text):
            skipped.append((row, "example row", text))
            continue
        if outline and _OUTLINE.match(outline) and text:
            parents = [(p, t) for p, t in parents if outline.startswith(p + ".")]
            following = ids[position + 1] if position + 1 < len(ids) else ""
            if following.startswith(outline + "."):
                parents.append((outline, text))
                skipped.append((row, "summary task", text))
                continue
        if not text:
            skipped.append((row, "no title", to_text(cells[used[0]]) if used else ""))
            continue
        if rating is not None and normalize(_cell(cells, rating)) in _INFORMATIONAL:
            skipped.append((row, "informational finding", text))
            continue
        following = ids[position + 1] if position + 1 < len(ids) else ""
        if with_ids and not outline and following and len(used) < typical:  # a control over its safeguards
            section, parents = text, []
            skipped.append((row, "section row", text))
            continue
        if grouped and _cell(cells, domain):
            group = _cell(cells, domain)
        carried = parents[-1][1] if parents else (group if grouped and group else section)
        if carried and (domain is None or not _cell(cells, domain)):
            domains[row] = carried
        kept.append((row, cells))
    last = kept[-1][0] if kept else 0  # a section with no measure under it is a note under the table
    skipped = [
        (row, "note under the table" if why == "section row" and row > last else why, value)
        for row, why, value in skipped
    ]
    return kept, skipped, domains


_NUMBER_START = frozenset("0123456789-+.,")

_INFORMATIONAL = frozenset({"none", "info", "informational", "log"})
"""Normalised ratings of a scanner's informational findings (Nessus ``Risk: None``, OpenVAS ``Log``)."""


def _total_title(text: str) -> bool:
    """A title (of a row without an ID) that labels a totals row: three words at most, the first a
    totals word (``Summe Aufwand``, ``Total heures``)."""
    words = normalize(text).split(" ")
    return len(words) <= 3 and words[0] in _TOTAL_HEADS


def _cell(cells: Sequence[Any], index: int | None) -> str:
    return to_text(cells[index]) if index is not None and index < len(cells) else ""
