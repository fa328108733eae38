"""The tables of the Données page's progress editing (helpers, not a page): the grid's edits, the
change list to review before a save, and the cells written after it, in the session's language."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pandas as pd

from app_pages.translation import _, day, field_labels, language, number, statuses
from roadmap import (
    Status,
)
from roadmap.editing import EditReview, ProposedChange, Value
from roadmap.writeback import CellChange, MeasureEdit

EDITOR_DATE_FORMAT = {"fr": "DD/MM/YYYY", "en": "D MMM YYYY"}
"""The editable grid's date format by language (momentJS, which the grid formats in English): ``13/11/2026``
in French, as typed; ``13 Nov 2026`` in English, as the read-only tables write it."""


def edits_from_table(before: pd.DataFrame, after: pd.DataFrame) -> list[MeasureEdit]:
    """The measures whose status, progress or done date the user changed in the data editor
    (columns ``ID``, status, progress (%) and completed on, named and labelled in the session's language:
    ``Statut``, ``Avancement (%)``, ``Date de réalisation`` in French). An emptied progress cell is
    ``nan`` (refused by :func:`roadmap.editing.review_edits`); an emptied date clears the date."""
    status_of = {label: Status(key) for key, label in statuses().items()}
    status_col, progress_col, done_col = _("Status"), _("Progress (%)"), _("Completed on")
    edits = []
    for (_row, old), (_same, new) in zip(before.iterrows(), after.iterrows(), strict=True):
        status = status_of[new[status_col]] if new[status_col] != old[status_col] else None
        new_progress = math.nan if pd.isna(new[progress_col]) else float(new[progress_col])
        progress = new_progress if new_progress != old[progress_col] else None
        old_done, new_done = _day(old[done_col]), _day(new[done_col])
        done = new_done if new_done != old_done else None
        clear = old_done is not None and new_done is None
        if status is not None or progress is not None or done is not None or clear:
            edits.append(
                MeasureEdit(str(new[_("ID")]), status=status, progress=progress, done_date=done, clear_done_date=clear)
            )
    return edits


def _day(value: object) -> dt.date | None:
    """A grid cell's date: ``None`` for an empty cell (``None``, ``NaT``), a date for a timestamp."""
    if value is None or pd.isna(value):  # NaT is a datetime too
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def shown_value(value: Value) -> str:
    """A field's value as the change list shows it: a status's label, ``40 %``, a date, ``—`` when empty."""
    if value is None:
        return "—"
    if isinstance(value, Status):
        return statuses()[value.value]
    if isinstance(value, dt.date):
        return day(value)
    if math.isnan(value):
        return "—"
    return f"{number(value)} %"


def change_label(change: ProposedChange) -> str:
    """One change on one line: ``MSG-02 · Avancement (%) : 40 % → 0 %``."""
    return _("{id} · {field}: {old} → {new}").format(
        id=change.measure_id,
        field=field_labels()[change.field],
        old=shown_value(change.old),
        new=shown_value(change.new),
    )


def changes_frame(review: EditReview) -> pd.DataFrame:
    """The changes a save would write, one row per measure and field: ID, measure, field, before,
    after, set by (the user, or Rempart from the status), check (the problems, blocking ones first)."""
    lang = language()

    def check(change: ProposedChange) -> str:
        ordered = sorted(change.problems, key=lambda p: p.severity != "error")
        return " ; ".join(
            (_("Blocking: {problem}") if p.severity == "error" else _("To check: {problem}")).format(
                problem=p.text(lang)
            )
            for p in ordered
        )

    return pd.DataFrame(
        [
            (
                c.measure_id,
                c.title,
                field_labels()[c.field],
                shown_value(c.old),
                shown_value(c.new),
                _("Rempart, from the status") if c.automatic else _("you"),
                check(c) or "✓",
            )
            for c in review.changes
        ],
        columns=[_("ID"), _("Measure"), _("Field"), _("Before"), _("After"), _("Set by"), _("Check")],
    )


def problem_lines(review: EditReview) -> list[tuple[str, str]]:
    """Each problem of the change list in full, blocking ones first: (severity, ``<change>: <problem>``)."""
    lang = language()
    lines = [(p.severity, f"{change_label(c)} — {p.text(lang)}") for c in review.changes for p in c.problems]
    return sorted(lines, key=lambda line: line[0] != "error")


def written_frame(cells: Sequence[CellChange], review: EditReview) -> pd.DataFrame:
    """The cells a save wrote: sheet, cell, ID, measure, field, before, after (values as the change
    list shows them when the review has them, else as written in the cell)."""
    by_key = {(c.measure_id, c.field): c for c in review.changes}

    def values(cell: CellChange) -> tuple[str, str]:
        change = by_key.get((cell.measure_id, cell.field))
        return (shown_value(change.old), shown_value(change.new)) if change else (cell.old, cell.new)

    rows = []
    for written in cells:
        sheet, _sep, coordinate = written.cell.rpartition("!")
        change = by_key.get((written.measure_id, written.field))
        rows.append(
            (
                sheet,
                coordinate,
                written.measure_id,
                change.title if change else "",
                field_labels()[written.field],
                *values(written),
            )
        )
    return pd.DataFrame(
        rows, columns=[_("Sheet"), _("Cell"), _("ID"), _("Measure"), _("Field"), _("Before"), _("After")]
    )
