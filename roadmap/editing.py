"""The IT team's edits reviewed before they are written: the change list, completed and checked.

The Données page's grid gives the measures whose status, progress or completion date the user
changed (:class:`roadmap.writeback.MeasureEdit`). :func:`review_edits` turns them into the list of
changes the user reads before saving, one per measure and field (old → new), and:

- completes what a status says: a measure marked done is at 100 % and gets a completion date (the
  injected ``today``, editable in the grid), one no longer done loses its completion date; these
  changes are marked ``automatic``;
- leaves out the changes the user dropped (by :attr:`ProposedChange.key`);
- checks each measure as it would be once written: progress given and within 0–100, a done measure at
  100 %, no completion date on a measure not done nor in the future (errors: nothing is saved while
  one remains), and warns of what is legal but likely a slip: progress at 100 on a measure not
  done, progress that falls (a keystroke lost in the grid turns 40 into 0), a done measure with no
  completion date.

The rules mirror the importer's consistency warnings (:mod:`roadmap.importing.rows`), so that what
is saved reads back without them. Pure Python, no Streamlit: the page renders the review.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

from roadmap.i18n import N_, format_day, format_number, translation
from roadmap.models import Measure, Roadmap, Status
from roadmap.writeback import MeasureEdit

Field = Literal["status", "progress", "done_date"]
Value = Status | float | dt.date | None
"""A field's value: a status, a progress in percent (0–100), a completion date; ``None`` is empty."""

FIELDS: tuple[Field, ...] = ("status", "progress", "done_date")


@dataclass(frozen=True)
class EditProblem:
    """What is wrong, or worth a second look, with a change.

    Attributes:
        severity: ``error`` stops the save; ``warning`` is shown and the save may go on.
        template: the English message, an :func:`N_` msgid with ``{placeholders}``.
        params: placeholder → value (a number, a date or text), formatted in the reader's language.
    """

    severity: Literal["error", "warning"]
    template: str
    params: tuple[tuple[str, float | dt.date | str], ...] = ()

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``"fr"`` or ``"en"``), numbers and dates in its locale."""

        def shown(value: float | dt.date | str) -> str:
            if isinstance(value, dt.date):
                return format_day(value, lang)
            if isinstance(value, float | int):
                return format_number(value, lang)
            return value

        return translation(lang).gettext(self.template).format(**{k: shown(v) for k, v in self.params})


@dataclass(frozen=True)
class ProposedChange:
    """One field of one measure as the save would write it.

    Attributes:
        old: the value as loaded; new: the value to write (``None`` empties the cell).
        automatic: set by Rempart from the status (done → 100 % and today's date), not typed.
        problems: what the checks found on the measure, attached to the field they concern.
    """

    measure_id: str
    title: str
    field: Field
    old: Value
    new: Value
    automatic: bool = False
    problems: tuple[EditProblem, ...] = ()

    @property
    def key(self) -> str:
        """``<measure>:<field>``, what :func:`review_edits` takes to drop this change."""
        return f"{self.measure_id}:{self.field}"


@dataclass(frozen=True)
class EditReview:
    """The changes to write (``changes``, checked) and those the user dropped (``dropped``)."""

    changes: tuple[ProposedChange, ...]
    dropped: tuple[ProposedChange, ...] = field(default=())

    @property
    def blocking(self) -> bool:
        """True when an error remains: nothing may be saved."""
        return any(p.severity == "error" for c in self.changes for p in c.problems)

    def edits(self) -> list[MeasureEdit]:
        """The kept changes as write-back edits, one per measure, in the order of the changes."""
        by_measure: dict[str, dict[str, Value]] = {}
        for change in self.changes:
            by_measure.setdefault(change.measure_id, {})[change.field] = change.new
        edits = []
        for ident, values in by_measure.items():
            done = values.get("done_date")
            status, progress = values.get("status"), values.get("progress")
            edits.append(
                MeasureEdit(
                    ident,
                    status=status if isinstance(status, Status) else None,
                    progress=float(progress) if isinstance(progress, float | int) else None,
                    done_date=done if isinstance(done, dt.date) else None,
                    clear_done_date="done_date" in values and done is None,
                )
            )
        return edits


def review_edits(
    roadmap: Roadmap,
    edits: Sequence[MeasureEdit],
    *,
    today: dt.date,
    dropped: Collection[str] = (),
    columns: Collection[str] = FIELDS,
) -> EditReview:
    """The change list of ``edits`` on ``roadmap``, completed from the statuses and checked.

    Args:
        roadmap: the workbook as loaded (the ``old`` values).
        edits: the user's edits, as read from the grid; a measure not in ``roadmap`` is left to
            :func:`roadmap.writeback.apply_edits` to refuse.
        today: the completion date given to a measure marked done without one (injected clock),
            and the latest completion date accepted.
        dropped: keys (:attr:`ProposedChange.key`) of the changes the user left out.
        columns: the fields the workbook has a column for (:attr:`roadmap.LoadResult.columns`'
            values); a field without one is never completed automatically.

    Returns:
        The review: kept changes with their problems (measure by measure, then status, progress,
        completion date), and the dropped ones.
    """
    kept: list[ProposedChange] = []
    left_out: list[ProposedChange] = []
    for edit in edits:
        measure = roadmap.measure_by_id.get(edit.measure_id)
        if measure is None:
            continue
        proposed = [c for c in _proposed(measure, edit, today, columns) if c.old != c.new]
        left_out += [c for c in proposed if c.key in dropped]
        mine = [c for c in proposed if c.key not in dropped]
        kept += _checked(measure, mine, today, columns)
    return EditReview(tuple(kept), tuple(left_out))


def _proposed(measure: Measure, edit: MeasureEdit, today: dt.date, columns: Collection[str]) -> list[ProposedChange]:
    """The user's fields, and what the status implies for the fields the user left alone."""
    status, progress = edit.status, edit.progress
    done: dt.date | None = edit.done_date
    typed = {"status": status is not None, "progress": progress is not None}
    typed["done_date"] = done is not None or edit.clear_done_date
    if not typed["done_date"]:
        done = measure.done_date
    automatic: set[Field] = set()
    if status is Status.DONE and measure.status is not Status.DONE:  # done: complete, and dated
        if progress is None and "progress" in columns:
            progress = 100.0
            automatic.add("progress")
        if done is None and "done_date" in columns:
            done = today
            automatic.add("done_date")
    elif status not in (None, Status.DONE) and measure.done_date is not None and not typed["done_date"]:
        done = None  # no longer done: no completion date
        automatic.add("done_date")
    values: dict[Field, Value] = {"status": status, "progress": progress, "done_date": done}
    return [
        ProposedChange(measure.id, measure.title, name, _value(measure, name), values[name], name in automatic)
        for name in FIELDS
        if typed[name] or name in automatic
    ]


def _value(measure: Measure, name: Field) -> Value:
    value: Value = getattr(measure, name)
    return value


def _checked(
    measure: Measure, changes: list[ProposedChange], today: dt.date, columns: Collection[str]
) -> list[ProposedChange]:
    """``changes`` with the problems of the measure as they would leave it."""
    if not changes:
        return []
    after: dict[str, Value] = {name: _value(measure, name) for name in FIELDS}
    after.update({c.field: c.new for c in changes})
    status, progress, done = after["status"], after["progress"], after["done_date"]
    found: list[tuple[Field, EditProblem]] = []
    if isinstance(progress, float) and math.isnan(progress):  # a cell emptied in the grid
        found.append(("progress", EditProblem("error", N_("the progress is empty: type a number from 0 to 100"))))
    elif isinstance(progress, float | int) and not 0 <= progress <= 100:
        found.append(
            ("progress", EditProblem("error", N_("progress {progress} is outside 0 to 100"), (("progress", progress),)))
        )
    elif status is Status.DONE and isinstance(progress, float | int) and progress < 100:
        found.append(
            (
                "progress",
                EditProblem(
                    "error",
                    N_("a done measure is complete, but its progress is {progress}: type 100, or change the status"),
                    (("progress", progress),),
                ),
            )
        )
    elif status not in (Status.DONE, Status.CANCELLED) and progress == 100:
        found.append(
            (
                "status",
                EditProblem("warning", N_("progress 100 on a measure not done: set the status to Done if finished")),
            )
        )
    old_progress = measure.progress
    refused = any(name == "progress" and p.severity == "error" for name, p in found)  # said once is enough
    if (
        not refused
        and isinstance(progress, float | int)
        and 0 <= progress < old_progress
        and status is not Status.CANCELLED
    ):
        found.append(
            (
                "progress",
                EditProblem(
                    "warning",
                    N_("progress falls from {old} to {new}: if a keystroke was lost, drop this change"),
                    (("old", old_progress), ("new", progress)),
                ),
            )
        )
    if isinstance(done, dt.date) and status is not Status.DONE:
        found.append(
            (
                "done_date",
                EditProblem(
                    "error",
                    N_("a completion date on a measure not done: empty the date, or set the status to Done"),
                ),
            )
        )
    if isinstance(done, dt.date) and done > today:
        found.append(
            (
                "done_date",
                EditProblem("error", N_("the completion date {date} is in the future"), (("date", done),)),
            )
        )
    if status is Status.DONE and done is None and "done_date" in columns:
        found.append(
            (
                "done_date",
                EditProblem("warning", N_("a done measure with no completion date: give the date it was done")),
            )
        )
    fields = {c.field for c in changes}
    problems: dict[str, list[EditProblem]] = {}
    for name, problem in found:  # on the field concerned when it changes, else on the measure's first change
        problems.setdefault(name if name in fields else changes[0].field, []).append(problem)
    return [
        ProposedChange(c.measure_id, c.title, c.field, c.old, c.new, c.automatic, tuple(problems.get(c.field, ())))
        for c in changes
    ]
