"""Write-back into the original workbook: only the edited cells change, safely."""

import datetime as dt
import io
import os
import stat
import subprocess
import sys

import openpyxl
import pytest
from conftest import SAMPLE

from roadmap.errors import ConcurrentEditError, WorkbookError
from roadmap.importing.load import load_workbook
from roadmap.models import Status
from roadmap.security.roles import Actor, Role
from roadmap.writeback import MeasureEdit, apply_edits, fingerprint, write_back

EDITOR = Actor("rssi", Role.EDITOR, "password")


def _sheet_values(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_an_edit_reaches_the_workbook_and_nothing_else_changes():
    original = SAMPLE.read_bytes()
    edits = [
        MeasureEdit("AD-02", status=Status.DONE, progress=100, done_date=dt.date(2026, 12, 4)),
        MeasureEdit("MSG-03", progress=40),
    ]
    updated, changes = apply_edits(original, edits, filename="rivebelle.xlsx")
    assert {(c.measure_id, c.field) for c in changes} == {
        ("AD-02", "status"),
        ("AD-02", "progress"),
        ("AD-02", "done_date"),
        ("MSG-03", "progress"),
    }
    after = load_workbook(updated, filename="rivebelle.xlsx").roadmap.measure_by_id
    assert after["AD-02"].status is Status.DONE and after["AD-02"].done_date == dt.date(2026, 12, 4)
    assert after["MSG-03"].progress == 40
    before_values, after_values = _sheet_values(original), _sheet_values(updated)
    assert before_values.keys() == after_values.keys()
    for name in before_values:
        if name != "Mesures":
            assert before_values[name] == after_values[name]
    old_rows, new_rows = before_values["Mesures"], after_values["Mesures"]
    differing = {
        (r, c) for r, (a, b) in enumerate(zip(old_rows, new_rows, strict=True)) for c in range(len(a)) if a[c] != b[c]
    }
    assert len(differing) == 4  # the four cells, and only them
    book_before, book_after = openpyxl.load_workbook(io.BytesIO(original)), openpyxl.load_workbook(io.BytesIO(updated))
    for old, new in zip(book_before["Mesures"]["A1":"T3"], book_after["Mesures"]["A1":"T3"], strict=True):
        for a, b in zip(old, new, strict=True):
            assert repr((a.font, a.fill, a.border, a.number_format)) == repr(
                (b.font, b.fill, b.border, b.number_format)
            )
    assert len(book_after["Mesures"].data_validations.dataValidation) == len(
        book_before["Mesures"].data_validations.dataValidation
    )


def test_write_back_is_atomic_with_a_backup(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    changes = write_back(
        path,
        [MeasureEdit("MSG-03", progress=55)],
        expected=fingerprint(path.read_bytes()),
        by=EDITOR,
        backup_dir=tmp_path / "backups",
    )
    assert len(changes) == 1 and changes[0].cell.startswith("Mesures!")
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.read_bytes() == SAMPLE.read_bytes()
    assert load_workbook(path).roadmap.measure_by_id["MSG-03"].progress == 55
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_second_editor_is_refused_and_nothing_is_overwritten(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    seen_by_both = fingerprint(path.read_bytes())
    write_back(path, [MeasureEdit("MSG-03", progress=55)], expected=seen_by_both, by=EDITOR)
    first_saved = path.read_bytes()
    with pytest.raises(ConcurrentEditError, match="changed on disk"):
        write_back(path, [MeasureEdit("MSG-03", progress=10)], expected=seen_by_both, by=EDITOR)
    assert path.read_bytes() == first_saved


def test_a_process_killed_mid_write_leaves_the_old_file(tmp_path):
    """Kill the writer just before the rename: the workbook on disk is the old one, intact."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    code = (
        "import os, sys, pathlib\n"
        "import roadmap.writeback as w\n"
        "from roadmap.security.roles import SYSTEM\n"
        "os.replace = lambda *a: os.kill(os.getpid(), 9)\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "w.write_back(p, [w.MeasureEdit('MSG-03', progress=55)], expected=w.fingerprint(p.read_bytes()), by=SYSTEM)\n"
    )
    run = subprocess.run([sys.executable, "-c", code, str(path)], cwd=SAMPLE.parent.parent.parent, check=False)
    assert run.returncode == -9
    assert path.read_bytes() == SAMPLE.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".bak")]  # the backup was made first
    assert load_workbook(path).ok


def test_unknown_measure_and_csv_are_clear_errors():
    with pytest.raises(WorkbookError, match="ZZZ-99 is not in sheet"):
        apply_edits(SAMPLE.read_bytes(), [MeasureEdit("ZZZ-99", progress=1)], filename="x.xlsx")
    with pytest.raises(WorkbookError, match=r"\.xlsx or \.xlsm"):
        apply_edits(b"ID,Mesure\n", [MeasureEdit("A", progress=1)], filename="x.csv")


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o640, 0o600])
def test_a_save_keeps_the_files_mode_and_backups_are_no_more_readable(tmp_path, mode):
    """A shared-drive workbook readable by colleagues stays so after a save (``mkstemp`` makes
    ``-rw-------``), and its backup is readable by no one who cannot read the file."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    path.chmod(mode)
    write_back(path, [MeasureEdit("MSG-03", progress=55)], expected=fingerprint(path.read_bytes()), by=EDITOR)
    write_back(path, [MeasureEdit("MSG-03", progress=60)], expected=fingerprint(path.read_bytes()), by=EDITOR)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    backups = sorted(tmp_path.glob("plan.xlsx.*.bak"))
    assert len(backups) == 2
    for backup in backups:
        assert stat.S_IMODE(backup.stat().st_mode) & ~mode == 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root may give a file away")
def test_a_save_keeps_the_files_owner_and_group(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    os.chown(path, 4321, 4322)
    write_back(path, [MeasureEdit("MSG-03", progress=55)], expected=fingerprint(path.read_bytes()), by=EDITOR)
    (backup,) = tmp_path.glob("plan.xlsx.*.bak")
    for written in (path, backup):
        assert (written.stat().st_uid, written.stat().st_gid) == (4321, 4322)


def test_a_process_that_may_not_give_the_file_away_still_saves(tmp_path, monkeypatch):
    """Not root and not in the file's group: ``chown`` is refused, the save goes on with the mode kept."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    path.chmod(0o644)
    calls = []

    def refuse(target, uid, gid):
        calls.append((uid, gid))
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refuse)
    write_back(path, [MeasureEdit("MSG-03", progress=55)], expected=fingerprint(path.read_bytes()), by=EDITOR)
    assert load_workbook(path).roadmap.measure_by_id["MSG-03"].progress == 55
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert calls and calls[-1][0] == -1  # the group alone was tried after the owner was refused
