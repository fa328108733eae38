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
import struct
import zipfile

import pytest
from conftest import CORPUS, small_sheets, workbook_bytes
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from mutants import Seed, feed, mutate

from roadmap.errors import NotASpreadsheetError
from roadmap.loading import load_workbook
from roadmap.mapping import inspect_workbook

FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in {".xlsx", ".xlsm", ".ods", ".csv"})


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
