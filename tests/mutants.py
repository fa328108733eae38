"""Mutants of real spreadsheets, shared by ``tests/test_fuzz_corpus.py`` and ``benchmarks/fuzz_corpus.py``.

A mutant is a corpus file with one to three mutations, chosen by a :class:`random.Random` (a seeded
one in the benchmark, Hypothesis's ``st.randoms()`` in the test, so that failures shrink and
replay). Two families:

* raw bytes: bit flips, overwrites with interesting bytes, truncation at any point, insertion and
  deletion of runs — what a damaged download or disk gives; in a zip this mostly breaks a CRC;
* inside a zip member (.xlsx/.ods): one XML part (sheet, shared strings, workbook, relationships,
  content.xml…) is decompressed, mutated (the raw mutations above, plus attribute values such as
  ``r="…"``, ``t="…"`` or ``number-columns-repeated="…"`` replaced by edge values) and the
  archive rebuilt with valid CRCs, so that the mutation reaches the XML and cell parsers.

Then :func:`feed` gives the mutant to every importer entry point and tells whether it was read,
refused with a :class:`~roadmap.errors.RoadmapError`, or escaped with another exception.
"""

from __future__ import annotations

import contextlib
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from format_mutants import ODS_STRUCTURE, XML_STRUCTURE, mutate_biff8, mutate_biff12, mutate_csv

from roadmap.errors import RoadmapError
from roadmap.importing.load import load_roadmap, load_workbook
from roadmap.importing.mapping import inspect_workbook, suggested_mapping

INTERESTING_BYTES = [b"\x00", b"\xff", b"<", b">", b"&", b'"', b"'", b"\n", b";", b",", b"=", b"9", b"-", b"\xc3"]
EDGE_VALUES = [
    b"",
    b"0",
    b"-1",
    b"1e308",
    b"NaN",
    b"99999999999999999999",
    b"4294967297",
    b"1048577",
    b"XFD1048576",
    # issue 21: positions past Excel's limits, and their neighbours
    b"A99999999",
    b"99999999",
    b"XFD2000000",
    b"XFE1",
    b"&#65;99999999",
    b"A1:XFD1048576",
    b"A1:B1048577",
    b"1048576",
    b"A0",
    b"ZZZZ1",
    b"A-1",
    b"s",
    b"e",
    b"n",
    b"b",
    b"d",
    b"str",
    b"inlineStr",
    b"float",
    b"date",
    b"percentage",
    b"boolean",
    b"time",
    b"PT25H",
    b"&amp;",
    b"&#0;",
    b"&undefined;",
    b"x" * 300,
    "é\u202e".encode(),
]
ATTRIBUTES = re.compile(
    rb"(?:\b(?:r|t|s|sheetId|r:id|Id|Target|name|ref|sqref|spans|count|uniqueCount|"
    rb"table:number-columns-repeated|table:number-rows-repeated|table:number-columns-spanned|"
    rb'office:value-type|office:value|office:date-value|table:name|table:formula))="([^"]*)"'
)
TEXT_NODES = re.compile(rb"<(?:v|t|text:p|f)>([^<]*)<")

Mutator = Callable[[bytes, random.Random], bytes]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _position(data: bytes, rng: random.Random) -> int:
    return rng.randrange(len(data) + 1)


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    """One to eight bits flipped at random places."""
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        index = rng.randrange(len(out))
        out[index] ^= 1 << rng.randrange(8)
    return bytes(out)


def overwrite(data: bytes, rng: random.Random) -> bytes:
    """A run of 1–16 bytes overwritten with random or interesting bytes."""
    if not data:
        return data
    start = rng.randrange(len(data))
    size = rng.randint(1, 16)
    if rng.random() < 0.5:
        run = bytes(rng.randrange(256) for _ in range(size))
    else:
        run = b"".join(rng.choice(INTERESTING_BYTES) for _ in range(size))
    return data[:start] + run[: len(data) - start] + data[start + len(run) :]


def truncate(data: bytes, rng: random.Random) -> bytes:
    """The file cut at any point (empty included)."""
    return data[: _position(data, rng)]


def insert_run(data: bytes, rng: random.Random) -> bytes:
    """A run inserted: random bytes, interesting bytes, or a copy of another part of the file."""
    where = _position(data, rng)
    choice = rng.random()
    if choice < 0.4 and data:
        start = rng.randrange(len(data))
        run = data[start : start + rng.randint(1, 4096)]
    elif choice < 0.7:
        run = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    else:
        run = rng.choice(INTERESTING_BYTES) * rng.randint(1, 64)
    return data[:where] + run + data[where:]


def delete_run(data: bytes, rng: random.Random) -> bytes:
    """A run of 1 to 4,096 bytes deleted."""
    if not data:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 4096) :]


def edge_value(data: bytes, rng: random.Random) -> bytes:
    """An XML attribute value or text node (cell reference, type, repeat count, value) replaced
    by an edge value (empty, negative, huge, wrong type, entity reference…)."""
    pattern = ATTRIBUTES if rng.random() < 0.7 else TEXT_NODES
    matches = list(pattern.finditer(data, rng.randrange(len(data) + 1)) if data else [])[:200]
    if not matches:
        matches = list(pattern.finditer(data))[:200]
    if not matches:
        return overwrite(data, rng)
    match = rng.choice(matches)
    return data[: match.start(1)] + rng.choice(EDGE_VALUES) + data[match.end(1) :]


RAW_MUTATORS: tuple[Mutator, ...] = (flip_bits, overwrite, truncate, insert_run, delete_run)
XML_MUTATORS: tuple[Mutator, ...] = (*RAW_MUTATORS, edge_value, edge_value, edge_value)


@dataclass(frozen=True)
class Seed:
    """A corpus file ready to mutate: its bytes and, for a zip, its members in order."""

    name: str
    data: bytes
    members: tuple[tuple[zipfile.ZipInfo, bytes], ...] = ()

    @classmethod
    def from_path(cls, path: Path) -> Seed:
        """Read the file once (members decompressed once, not per mutant)."""
        data = path.read_bytes()
        members: tuple[tuple[zipfile.ZipInfo, bytes], ...] = ()
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = tuple((info, archive.read(info)) for info in archive.infolist())
        return cls(path.name, data, members)

    def parsed_members(self) -> list[int]:
        """Indexes of the members a reader parses: XML parts and, in an .xlsb, the BIFF12 ``.bin``
        parts (the sheets counted twice)."""
        chosen = []
        for index, (info, _) in enumerate(self.members):
            if info.filename.endswith((".xml", ".rels", ".bin")) and "vbaProject" not in info.filename:
                chosen.append(index)
                if "worksheets/" in info.filename or info.filename in (
                    "content.xml",
                    "xl/sharedStrings.xml",
                    "xl/sharedStrings.bin",
                ):
                    chosen.append(index)
        return chosen

    def xml_members(self) -> list[int]:
        """Indexes of the members a reader parses (XML parts), the sheets counted twice."""
        chosen = []
        for index, (info, _) in enumerate(self.members):
            if info.filename.endswith((".xml", ".rels")):
                chosen.append(index)
                if "worksheets/" in info.filename or info.filename in ("content.xml", "xl/sharedStrings.xml"):
                    chosen.append(index)
        return chosen


def rezip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    """An archive with these members in this order, valid CRCs, stored/deflated as before."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, content in members:
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            archive.writestr(copy, content, compress_type=info.compress_type, compresslevel=1)
    return buffer.getvalue()


def _structure_mutators(filename: str) -> tuple[Mutator, ...]:
    """The structural mutators of a zip member (``format_mutants``), by what the member holds."""
    if filename.endswith(".bin"):
        return (mutate_biff12, mutate_biff12, mutate_biff12)
    if filename == "content.xml":
        return ODS_STRUCTURE
    return XML_STRUCTURE


def mutate(seed: Seed, rng: random.Random) -> tuple[bytes, str]:
    """One mutant of ``seed`` and a short description of what was done (for the report).

    A zip (.xlsx, .xlsm, .xlsb, .ods): three times in four, one member a reader parses is mutated
    (bytes, attribute values, or its structure: elements, cell types, ODS repeats, BIFF12 records)
    and the archive rebuilt; an .xls: BIFF8 records in place, or bytes; a CSV: its quoting,
    encoding, line endings, delimiter or shape, or bytes.
    """
    steps = rng.randint(1, 3)
    targets = seed.parsed_members()
    if targets and rng.random() < 0.75:
        index = rng.choice(targets)
        info, content = seed.members[index]
        mutators = (*(XML_MUTATORS if not info.filename.endswith(".bin") else RAW_MUTATORS),)
        mutators += _structure_mutators(info.filename) * 2
        names = []
        for _ in range(steps):
            mutator = rng.choice(mutators)
            content = mutator(content, rng)
            names.append(mutator.__name__)
        members = list(seed.members)
        members[index] = (info, content)
        return rezip(members), f"{info.filename}: {', '.join(names)}"
    data = seed.data
    names = []
    special: tuple[Mutator, ...] = ()
    if data[:8] == OLE_MAGIC:
        special = (mutate_biff8,)
    elif seed.name.lower().endswith((".csv", ".tsv", ".txt")):
        special = (mutate_csv,)
    mutators = (*RAW_MUTATORS, *(special * 6))
    for _ in range(steps):
        mutator = rng.choice(mutators)
        data = mutator(data, rng)
        names.append(mutator.__name__)
    return data, "bytes: " + ", ".join(names)


def feed(data: bytes, filename: str) -> str:
    """Give the bytes to every importer entry point as the app and the CLI do.

    ``load_workbook``, ``inspect_workbook`` then, when the inspection suggests a mapping,
    ``load_roadmap`` with it.

    Returns:
        ``"read"`` when ``load_workbook`` returned (with or without issues), ``"refused"`` when it
        raised a :class:`RoadmapError`.

    Raises:
        Exception: anything else any entry point raised: an escape.
    """
    try:
        load_workbook(data, filename=filename)
        outcome = "read"
    except RoadmapError:
        outcome = "refused"
    try:
        inspection = inspect_workbook(data, filename=filename)
    except RoadmapError:
        return outcome
    mapping = suggested_mapping(inspection)
    if mapping is not None:
        with contextlib.suppress(RoadmapError):
            load_roadmap(data, filename=filename, mapping=mapping)
    return outcome
