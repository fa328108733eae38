"""The change list reviewed before a save: completed from the statuses, checked, droppable."""

import datetime as dt

import pytest
from conftest import SAMPLE

from roadmap.editing import review_edits
from roadmap.importing.load import load_workbook
from roadmap.models import Status
from roadmap.writeback import MeasureEdit, apply_edits

TODAY = dt.date(2026, 12, 3)
ROADMAP = load_workbook(SAMPLE.read_bytes(), filename=SAMPLE.name).roadmap


def _table(review):
    return [(c.measure_id, c.field, c.old, c.new, c.automatic) for c in review.changes]


def _problems(review, lang="en"):
    return [(c.measure_id, c.field, p.severity, p.text(lang)) for c in review.changes for p in c.problems]


def test_marking_a_measure_done_sets_100_and_todays_date():
    assert ROADMAP.measure_by_id["MSG-02"].progress == 40
    review = review_edits(ROADMAP, [MeasureEdit("MSG-02", status=Status.DONE)], today=TODAY)
    assert _table(review) == [
        ("MSG-02", "status", Status.IN_PROGRESS, Status.DONE, False),
        ("MSG-02", "progress", 40.0, 100.0, True),
        ("MSG-02", "done_date", None, TODAY, True),
    ]
    assert not review.blocking and _problems(review) == []
    (edit,) = review.edits()
    assert (edit.status, edit.progress, edit.done_date) == (Status.DONE, 100.0, TODAY)


def test_the_date_typed_in_the_grid_wins_over_today():
    typed = dt.date(2026, 11, 27)
    review = review_edits(ROADMAP, [MeasureEdit("MSG-02", status=Status.DONE, done_date=typed)], today=TODAY)
    assert [c.new for c in review.changes if c.field == "done_date"] == [typed]
    assert not review.blocking


def test_done_at_80_is_refused():
    review = review_edits(ROADMAP, [MeasureEdit("MSG-02", status=Status.DONE, progress=80)], today=TODAY)
    assert review.blocking
    assert _problems(review, "fr") == [
        (
            "MSG-02",
            "progress",
            "error",
            "une mesure faite est achevée, mais son avancement est de 80 : tapez 100, ou changez le statut",
        )
    ]


def test_a_progress_that_falls_to_zero_is_shown_and_can_be_dropped():
    """The grid swallowed a keystroke: 40 became 0. The review says so; dropped, nothing is written."""
    edits = [MeasureEdit("MSG-02", progress=0), MeasureEdit("AD-03", progress=70)]
    review = review_edits(ROADMAP, edits, today=TODAY)
    assert _problems(review) == [
        ("MSG-02", "progress", "warning", "progress falls from 40 to 0: if a keystroke was lost, drop this change")
    ]
    assert not review.blocking  # legal, and shown
    kept = review_edits(ROADMAP, edits, today=TODAY, dropped={"MSG-02:progress"})
    assert _table(kept) == [("AD-03", "progress", 60.0, 70.0, False)]
    assert [c.key for c in kept.dropped] == ["MSG-02:progress"]
    assert [e.measure_id for e in kept.edits()] == ["AD-03"]


@pytest.mark.parametrize(
    ("edit", "severity", "field", "message"),
    [
        (MeasureEdit("AD-03", progress=140), "error", "progress", "progress 140 is outside 0 to 100"),
        (
            MeasureEdit("AD-03", progress=100),
            "warning",
            "progress",  # the status does not change: the problem goes on the changed field
            "progress 100 on a measure not done: set the status to Done if finished",
        ),
        (
            MeasureEdit("AD-03", done_date=dt.date(2026, 12, 1)),
            "error",
            "done_date",
            "a completion date on a measure not done: empty the date, or set the status to Done",
        ),
        (
            MeasureEdit("AD-03", status=Status.DONE, done_date=dt.date(2026, 12, 24)),
            "error",
            "done_date",
            "the completion date 24 Dec 2026 is in the future",
        ),
    ],
    ids=["out-of-range", "100-not-done", "date-not-done", "future-date"],
)
def test_each_inconsistent_edit_is_named(edit, severity, field, message):
    review = review_edits(ROADMAP, [edit], today=TODAY)
    assert ("AD-03", field, severity, message) in _problems(review)
    assert review.blocking == (severity == "error")


def test_a_measure_reopened_loses_its_completion_date():
    assert ROADMAP.measure_by_id["MSG-01"].done_date == dt.date(2026, 11, 13)
    review = review_edits(ROADMAP, [MeasureEdit("MSG-01", status=Status.IN_PROGRESS, progress=90)], today=TODAY)
    assert ("MSG-01", "done_date", dt.date(2026, 11, 13), None, True) in _table(review)
    assert not review.blocking
    (edit,) = review.edits()
    assert edit.clear_done_date and edit.done_date is None
    updated, changes = apply_edits(SAMPLE.read_bytes(), [edit], filename=SAMPLE.name)
    assert {c.field for c in changes} == {"status", "progress", "done_date"}
    reread = load_workbook(updated, filename=SAMPLE.name)
    after = reread.roadmap.measure_by_id["MSG-01"]
    assert (after.status, after.progress, after.done_date) == (Status.IN_PROGRESS, 90, None)
    assert not [i for i in reread.issues if i.row == ROADMAP.measure_by_id["MSG-01"].row]


def test_dropping_the_automatic_date_leaves_a_warning():
    review = review_edits(
        ROADMAP, [MeasureEdit("MSG-02", status=Status.DONE)], today=TODAY, dropped={"MSG-02:done_date"}
    )
    assert ("MSG-02", "status", "warning", "a done measure with no completion date: give the date it was done") in (
        _problems(review)
    )


def test_no_completion_column_no_automatic_date():
    review = review_edits(
        ROADMAP, [MeasureEdit("MSG-02", status=Status.DONE)], today=TODAY, columns={"status", "progress"}
    )
    assert [c.field for c in review.changes] == ["status", "progress"]
    assert not _problems(review)


def test_what_the_review_saves_reads_back_without_warnings():
    review = review_edits(ROADMAP, [MeasureEdit("MSG-02", status=Status.DONE)], today=TODAY)
    updated, _changes = apply_edits(SAMPLE.read_bytes(), review.edits(), filename=SAMPLE.name)
    reread = load_workbook(updated, filename=SAMPLE.name)
    assert reread.roadmap.measure_by_id["MSG-02"].done_date == TODAY
    assert not reread.issues


def test_an_emptied_progress_cell_is_refused():
    review = review_edits(ROADMAP, [MeasureEdit("MSG-02", progress=float("nan"))], today=TODAY)
    assert review.blocking
    assert [p.text("en") for c in review.changes for p in c.problems] == [
        "the progress is empty: type a number from 0 to 100"
    ]


def test_a_done_measure_lowered_is_refused_once():
    """Done at 100, typed 80: one blocking problem, not also a warning that the progress falls."""
    review = review_edits(ROADMAP, [MeasureEdit("AD-01", progress=80)], today=TODAY)
    assert [(p.severity, c.field) for c in review.changes for p in c.problems] == [("error", "progress")]
