"""Hypothesis: mutants of the real corpus files (../shared/corpus) are read or refused with the
project's own error — never another exception.

The mutators (``tests/mutants.py``) damage the raw bytes, and for .xlsx/.ods also one XML part
inside the zip, re-zipped with valid CRCs so that the mutation reaches the parsers. Few examples per
file (the run stays well under a minute on 2 cores), derandomised so that CI is reproducible;
``benchmarks/fuzz_corpus.py`` runs thousands. The regression tests under it hold the minimal
mutant of each escape found, built in the test.
"""

from __future__ import annotations

import io
import random
import struct
import subprocess
import sys
import zipfile

import pytest
from conftest import CORPUS, ROOT, small_sheets, workbook_bytes
from hostile_files import small_members, zip_of
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from mutants import Seed, feed, mutate

from roadmap.errors import NotASpreadsheetError
from roadmap.importing.load import load_workbook
from roadmap.importing.mapping import inspect_workbook

FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in {".xlsx", ".xlsm", ".ods", ".csv"})
SEEDS = sorted((ROOT / "tests" / "fuzz_seeds").iterdir())
FORMATS = {".xlsx", ".xlsm", ".ods", ".xls", ".xlsb", ".csv"}
SEED_MUTANTS = {".csv": 15}
"""Mutants per seed file in the suite: 40, but 15 of each of the 4 CSV dialects (a CSV mutant takes
0.2 s: 260 mutants in all); ``benchmarks/fuzz_corpus.py`` runs 20,000."""


def test_there_is_a_seed_of_every_format():
    assert {p.suffix for p in SEEDS} == FORMATS


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_mutants_of_every_format_are_read_or_refused_clearly(path):
    """The sample in every format (``scripts/build_fuzz_seeds.py``), mutated in its bytes and its
    structure (``tests/format_mutants.py``). Mutant ``i`` is the benchmark's mutant ``i`` under
    ``--seed 0``: ``benchmarks/fuzz_corpus.py --seed 0 --replay NAME:i`` replays a failure."""
    seed = Seed.from_path(path)
    for index in range(SEED_MUTANTS.get(path.suffix, 40)):
        data, what = mutate(seed, random.Random(f"0:{path.name}:{index}"))
        try:
            outcome = feed(data, path.name)
        except Exception as exc:  # the failure names the mutant to replay
            raise AssertionError(f"{path.name}:{index} ({what}) escaped: {exc!r}") from exc
        assert outcome in ("read", "refused")


def _examples(size: int) -> int:
    """Fewer mutants of the big files: one full read of the 870 kB POA&M takes about 3 s."""
    return 3 if size > 500_000 else 6 if size > 150_000 else 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_mutants_are_read_or_refused_clearly(path):
    seed = Seed.from_path(path)

    @settings(
        max_examples=_examples(len(seed.data)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.randoms(use_true_random=False))
    def check(rng):
        data, what = mutate(seed, rng)
        note(f"{path.name}: {what} ({len(data)} bytes)")
        assert feed(data, path.name) in ("read", "refused")

    check()


# --------------------------------------------------------------------------------------------
# Regressions: the minimal mutant of each escape the fuzzing found


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def test_bytes_cut_out_before_the_directory_are_a_damaged_archive():
    """Found: ``ValueError: negative seek value`` from zipfile when bytes are deleted before the
    central directory, whose offsets then point before the start of the file."""
    data = workbook_bytes(small_sheets())
    sheet = next(info for info, _ in _members(data) if info.filename.startswith("xl/worksheets/"))
    mutant = data[:4] + data[4 + sheet.header_offset + 100 :]  # the sheet's offset is now 100 bytes before 0
    with pytest.raises(NotASpreadsheetError, match=r"cut\.xlsx' is damaged .*points outside the file"):
        load_workbook(mutant, filename="cut.xlsx")
    with pytest.raises(NotASpreadsheetError):
        inspect_workbook(mutant, filename="cut.xlsx")


def test_an_encrypted_member_is_a_clear_error():
    """A worksheet whose flag says 'encrypted' (one bit in the central directory): zipfile raises
    ``RuntimeError``, which must become the project's error."""
    data = bytearray(workbook_bytes(small_sheets()))
    for position in _central_entries(bytes(data)):
        data[position + 8] |= 1  # general-purpose bit 0: encrypted
    with pytest.raises(NotASpreadsheetError, match="password"):
        load_workbook(bytes(data), filename="locked.xlsx")


def _central_entries(data: bytes) -> list[int]:
    """Offsets of the central directory entries of the worksheets."""
    found = []
    start = data.find(b"PK\x01\x02")
    while start != -1:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length].startswith(b"xl/worksheets/"):
            found.append(start)
        start = data.find(b"PK\x01\x02", start + 4)
    return found


def test_a_forged_shared_string_count_is_refused_before_the_reader_reserves_memory(tmp_path):
    """Found: ``uniqueCount="4294967297"`` in xl/sharedStrings.xml made the reader reserve 103 GB and
    abort the whole process (a Rust allocation failure, no exception: the app would go down). Run in
    a child process, so that a regression fails this test instead of killing pytest."""
    members = small_members()
    members["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="4294967297">'
        b"<si><t>Mesure M1</t></si></sst>"
    )
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        b'<c r="B2" t="inlineStr"><is><t>Mesure M1</t></is></c>', b'<c r="B2" t="s"><v>0</v></c>'
    )
    path = tmp_path / "count.xlsx"
    path.write_bytes(zip_of(members))
    run = subprocess.run(
        [sys.executable, "-m", "roadmap", "validate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr[-500:]
    assert run.stderr.startswith("error: 'count.xlsx': part xl/sharedStrings.xml announces 4,294,967,297 texts")
    assert "Traceback" not in run.stderr


def test_an_honest_shared_string_count_is_read():
    members = small_members()
    members["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>Mesure partag\xc3\xa9e</t></si></sst>"
    )
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        b'<c r="B2" t="inlineStr"><is><t>Mesure M1</t></is></c>', b'<c r="B2" t="s"><v>0</v></c>'
    )
    result = load_workbook(zip_of(members), filename="shared.xlsx")
    assert result.roadmap.measures[0].title == "Mesure partagée"


@pytest.mark.parametrize(
    ("seed_file", "index"),
    [
        ("rivebelle.xlsx", 1501),  # a member's zip version 14.8: NotImplementedError from zipfile
        ("rivebelle.ods", 1571),
        ("rivebelle.ods", 723),
        ("rivebelle.xlsb", 2643),
        ("rivebelle.xlsb", 838),
        ("rivebelle.xls", 1860),  # a mapped column past the header row's last cell: IndexError
    ],
)
def test_the_escapes_of_the_20000_mutant_campaign_are_read_or_refused(seed_file, index):
    """The six escapes of ``benchmarks/fuzz_corpus.py --mutants 20000 --seed 19``, rebuilt from
    their seed and index: read or refused with the project's own error."""
    source = Seed.from_path(ROOT / "tests" / "fuzz_seeds" / seed_file)
    data, _what = mutate(source, random.Random(f"19:{source.name}:{index}"))
    assert feed(data, source.name) in {"read", "refused"}
