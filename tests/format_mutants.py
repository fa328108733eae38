"""Structural mutators, one family per format, for ``tests/mutants.py`` (issue 19, point 3).

The raw-byte mutators of ``mutants.py`` mostly break a CRC or a header and stop at the first check;
these keep the container valid and change what the readers interpret:

* Office Open XML and ODS parts: an element duplicated (a ``<row>``, a ``<c>``, an ``<si>``, a
  ``<table:table-row>``), deleted, or its cell type changed (``t="s"`` on a number, ``t="d"`` on a
  text, ``office:value-type`` swapped); ODS rows and cells given repeat counts (``1000`` to
  ``2**31``), rows repeated many times over;
* .xlsb parts (BIFF12 records: a 1–2 byte type and a 1–4 byte size, both 7-bit varints): a record
  deleted, duplicated, moved, its size field forged, its payload's integers set to edge values;
* .xls (BIFF8 records in the OLE ``Workbook`` stream: 2-byte type, 2-byte length), mutated in place
  so that the compound document stays readable: a length forged, a type changed, a record's payload
  integers (row, column, string lengths, SST counts) set to edge values, two records of equal size
  swapped;
* CSV: quotes unbalanced or doubled, a cell quoted around delimiters and new lines, the text
  re-encoded (UTF-16 with or without BOM, Latin-1, CP1252, a BOM in the middle), line endings
  changed, the delimiter changed, a row made very wide or a cell very long.
"""

from __future__ import annotations

import random
import re
import struct
from collections.abc import Callable
from itertools import islice

Mutator = Callable[[bytes, random.Random], bytes]

# ------------------------------------------------------------------------------------------------
# XML parts (xlsx, xlsm, ods)

_ELEMENTS = re.compile(
    rb"<((?:\w+:)?(?:row|c|si|table-row|table-cell|covered-table-cell|sheet|definedName|mergeCell|col))\b"
    rb"[^>]*?(?:/>|>.*?</\1>)",
    re.S,
)
_CELL_TYPES = [b"s", b"n", b"b", b"e", b"str", b"inlineStr", b"d"]
_ODS_TYPES = [b"float", b"string", b"date", b"time", b"boolean", b"percentage", b"currency", b""]
_REPEATS = [b"2", b"1000", b"65536", b"1048576", b"16384", b"250001", b"100000000", b"2147483648", b"0", b"-5"]


def _elements(data: bytes, rng: random.Random) -> list[re.Match[bytes]]:
    start = rng.randrange(len(data) + 1) if data else 0
    return list(islice(_ELEMENTS.finditer(data, start), 100)) or list(islice(_ELEMENTS.finditer(data), 100))


def duplicate_element(data: bytes, rng: random.Random) -> bytes:
    """An element (a row, a cell, a shared string…) repeated 1 to 2,000 times in place."""
    found = _elements(data, rng)
    if not found:
        return data
    match = rng.choice(found)
    times = rng.choice([1, 2, 10, 2000])
    return data[: match.end()] + match.group(0) * times + data[match.end() :]


def delete_element(data: bytes, rng: random.Random) -> bytes:
    """An element removed whole (the XML stays well-formed)."""
    found = _elements(data, rng)
    if not found:
        return data
    match = rng.choice(found)
    return data[: match.start()] + data[match.end() :]


def swap_elements(data: bytes, rng: random.Random) -> bytes:
    """Two elements exchanged (rows out of order, a cell before the one to its left)."""
    found = _elements(data, rng)
    if len(found) < 2:
        return data
    first, second = sorted(rng.sample(found, 2), key=lambda m: m.start())
    if first.end() > second.start():
        return data
    return (
        data[: first.start()]
        + second.group(0)
        + data[first.end() : second.start()]
        + first.group(0)
        + data[second.end() :]
    )


def change_cell_type(data: bytes, rng: random.Random) -> bytes:
    """A cell's type changed: ``t="…"`` in xlsx (added when missing), ``office:value-type`` in ODS."""
    ods = list(re.finditer(rb'office:value-type="([^"]*)"', data))
    cells = list(re.finditer(rb"<c\b([^>]*?)(/?)>", data))
    if ods and (not cells or rng.random() < 0.5):
        match = rng.choice(ods[:500])
        return data[: match.start(1)] + rng.choice(_ODS_TYPES) + data[match.end(1) :]
    if not cells:
        return data
    match = rng.choice(cells[:500])
    attributes = re.sub(rb'\st="[^"]*"', b"", match.group(1))
    cell = b"<c" + attributes + b' t="' + rng.choice(_CELL_TYPES) + b'"' + match.group(2) + b">"
    return data[: match.start()] + cell + data[match.end() :]


def repeat_ods(data: bytes, rng: random.Random) -> bytes:
    """An ODS row or cell given a repeat count (added, or its count replaced), from 2 to 2**31."""
    tags = list(re.finditer(rb"<table:(table-row|table-cell|covered-table-cell|table-column)\b", data))
    if not tags:
        return data
    match = rng.choice(tags[:2000])
    kind = match.group(1)
    attribute = b"table:number-rows-repeated" if kind == b"table-row" else b"table:number-columns-repeated"
    end = data.index(b">", match.end())
    head = re.sub(rb"\s" + re.escape(attribute) + rb'="[^"]*"', b"", data[match.start() : end])
    return data[: match.start()] + head + b" " + attribute + b'="' + rng.choice(_REPEATS) + b'"' + data[end:]


XML_STRUCTURE: tuple[Mutator, ...] = (duplicate_element, delete_element, swap_elements, change_cell_type)
ODS_STRUCTURE: tuple[Mutator, ...] = (*XML_STRUCTURE, repeat_ods, repeat_ods)

# ------------------------------------------------------------------------------------------------
# BIFF12 (xlsb parts)

_EDGE_INTS = [0, 1, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x10000, 1_048_575, 1_048_576, 0x7FFFFFFF, 0xFFFFFFFF]


def _varint(data: bytes, position: int, most: int) -> tuple[int, int] | None:
    value = shift = 0
    for index in range(most):
        if position + index >= len(data):
            return None
        byte = data[position + index]
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position + index + 1
    return None


def _encode_varint(value: int, most: int) -> bytes:
    out = bytearray()
    for _ in range(most):
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            break
    return bytes(out)


def biff12_records(data: bytes) -> list[tuple[int, bytes]] | None:
    """The records of a BIFF12 part as (type, payload), or ``None`` when it does not parse whole."""
    records, position = [], 0
    while position < len(data):
        kind = _varint(data, position, 2)
        if kind is None:
            return None
        size = _varint(data, kind[1], 4)
        if size is None or size[1] + size[0] > len(data):
            return None
        records.append((kind[0], data[size[1] : size[1] + size[0]]))
        position = size[1] + size[0]
    return records


def _biff12(records: list[tuple[int, bytes]]) -> bytes:
    return b"".join(_encode_varint(kind, 2) + _encode_varint(len(payload), 4) + payload for kind, payload in records)


def _edge_int_payload(payload: bytes, rng: random.Random) -> bytes:
    if len(payload) < 4:
        return payload
    at = rng.randrange(len(payload) - 3)
    return payload[:at] + struct.pack("<I", rng.choice(_EDGE_INTS)) + payload[at + 4 :]


def mutate_biff12(data: bytes, rng: random.Random) -> bytes:
    """One record-level mutation of a BIFF12 part (see the module's docstring)."""
    records = biff12_records(data)
    if not records:
        return data
    index = rng.randrange(len(records))
    choice = rng.randrange(6)
    if choice == 0:
        del records[index]
    elif choice == 1:
        records[index:index] = [records[index]] * rng.choice([1, 5, 500])
    elif choice == 2:
        records.insert(rng.randrange(len(records) + 1), records.pop(index))
    elif choice == 3:
        kind, payload = records[index]
        records[index] = (kind, _edge_int_payload(payload, rng))
    elif choice == 4:
        kind, payload = records[index]
        records[index] = (rng.choice([kind ^ 1, rng.randrange(0x4000), 0]), payload)
    else:  # a forged size: the record claims more or fewer bytes than it holds
        out = _biff12(records[:index])
        kind, payload = records[index]
        forged = rng.choice([0, max(len(payload) - 1, 0), len(payload) + 1, 0x0FFFFFFF])
        tail = _biff12(records[index + 1 :])
        return out + _encode_varint(kind, 2) + _encode_varint(forged, 4) + payload + tail
    return _biff12(records)


# ------------------------------------------------------------------------------------------------
# BIFF8 (xls), in place

_BOF = b"\x09\x08"


def biff8_records(data: bytes) -> list[tuple[int, int, int]]:
    """(offset, type, length) of the records found by walking from each BOF of the ``Workbook``
    stream (contiguous as LibreOffice writes it); the walk stops at an implausible record."""
    found: list[tuple[int, int, int]] = []
    start = data.find(_BOF + b"\x10\x00")
    while start != -1:
        position = start
        while position + 4 <= len(data):
            kind, length = struct.unpack_from("<HH", data, position)
            if kind == 0 or length > 8224 or position + 4 + length > len(data):
                break
            found.append((position, kind, length))
            position += 4 + length
            if kind == 0x000A:  # EOF of a substream
                break
        start = data.find(_BOF + b"\x10\x00", max(position, start + 1))
    return found


def mutate_biff8(data: bytes, rng: random.Random) -> bytes:
    """One in-place, record-level mutation of an .xls file (see the module's docstring)."""
    records = biff8_records(data)
    if not records:
        return data
    out = bytearray(data)
    position, _kind, length = rng.choice(records)
    choice = rng.randrange(5)
    if choice == 0:  # a forged length
        struct.pack_into("<H", out, position + 2, rng.choice([0, 1, max(length - 1, 0), length + 1, 8224, 0xFFFF]))
    elif choice == 1:  # another type: an unknown record, a CONTINUE, a BOF, an EOF
        struct.pack_into(
            "<H", out, position, rng.choice([0x003C, 0x0809, 0x000A, 0x00FC, 0x0208, rng.randrange(0x10000)])
        )
    elif choice in (2, 3) and length >= 2:  # an integer of the payload: a row, a column, a count, a length
        at = position + 4 + rng.randrange(length - 1)
        wide = length - (at - position - 4) >= 4 and rng.random() < 0.5
        value = rng.choice(_EDGE_INTS)
        if wide:
            struct.pack_into("<I", out, at, value & 0xFFFFFFFF)
        else:
            struct.pack_into("<H", out, at, value & 0xFFFF)
    else:  # two records of the same size exchanged
        same = [r for r in records if r[2] == length and r[0] != position]
        if same:
            other = rng.choice(same)[0]
            size = 4 + length
            mine, theirs = bytes(out[position : position + size]), bytes(out[other : other + size])
            out[position : position + size], out[other : other + size] = theirs, mine
    return bytes(out)


# ------------------------------------------------------------------------------------------------
# CSV

_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-32"]


def _decoded(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8-sig", "replace")


def _encoding_of(data: bytes) -> str:
    return "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"


def mutate_csv(data: bytes, rng: random.Random) -> bytes:
    """One CSV-level mutation (quoting, encodings, line endings, delimiters, shapes)."""
    text = _decoded(data)
    lines = text.splitlines(keepends=True) or [""]
    index = rng.randrange(len(lines))
    choice = rng.randrange(9)
    encoding = _encoding_of(data)
    if choice == 0:  # an unbalanced quote
        where = rng.randrange(len(lines[index]) + 1)
        lines[index] = lines[index][:where] + '"' + lines[index][where:]
    elif choice == 1:  # a cell quoted around delimiters, quotes and new lines
        lines[index] = '"a,b;c\td\r\ne""f\n""' + rng.choice(['"', '",', '";', "", '"x']) + lines[index]
    elif choice == 2:  # re-encoded
        encoding = rng.choice(_ENCODINGS)
    elif choice == 3:  # line endings
        ending = rng.choice(["\r", "\n", "\r\n", "\r\r\n", "\u2028", "\x85"])
        lines = [line.rstrip("\r\n") + ending for line in lines]
    elif choice == 4:  # the delimiter changed in one line, or everywhere
        old, new = rng.choice([",", ";", "\t"]), rng.choice([",", ";", "\t", "|", " ", '"'])
        if rng.random() < 0.5:
            lines[index] = lines[index].replace(old, new)
        else:
            lines = [line.replace(old, new) for line in lines]
    elif choice == 5:  # a very wide row
        lines[index] = ";" * rng.choice([100, 5_000, 50_000]) + lines[index]
    elif choice == 6:  # a very long cell
        lines[index] = "x" * rng.choice([10_000, 300_000]) + lines[index]
    elif choice == 7:  # a BOM or a NUL in the middle
        lines[index] = rng.choice(["\ufeff", "\x00", "\ufffe", "\u202e"]) + lines[index]
    else:  # rows repeated
        lines[index:index] = [lines[index]] * rng.choice([2, 100, 1_000])
    return "".join(lines).encode(encoding, "replace")
