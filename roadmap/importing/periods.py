"""Dates as action plans write them when they are not a day: a period (``T2 2025``, ``Q3-2025``,
``S2 2025``, ``H1 2026``, ``fin 2025``, ``end of 2025``, ``juin 2025``, ``mar/2025``, ``03/2025``)
and dates with a month name (``30-Jun-2025``, ``3 mars 2027``, ``15. März 2025``, ``30 de junio de
2025``), in French, English, Spanish, Portuguese and German.

:func:`parse_period` gives the first and last day of a period; :func:`parse_named_date` a day. Both
return ``None`` for any other text. This module imports nothing of the importer, so that
:mod:`roadmap.importing.values` can use it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from functools import cache

from babel import dates as babel_dates

LANGUAGES = ("en", "fr", "es", "pt", "de")
"""The languages whose month names are read."""


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


@cache
def month_names() -> dict[str, int]:
    """Month names and abbreviations (normalised, accent-free) of :data:`LANGUAGES` → 1–12, from
    Babel's CLDR data, plus the usual short forms (``sept``, ``fev``, ``juil``, ``mrz``)."""
    names: dict[str, int] = {}
    for locale in LANGUAGES:
        for width in ("abbreviated", "wide"):
            for context in ("format", "stand-alone"):
                for month, label in babel_dates.get_month_names(width, context, locale=locale).items():
                    names.setdefault(_plain(label), month)
    names.update({"sept": 9, "fev": 2, "juil": 7, "juill": 7, "dec": 12, "aou": 8, "mrz": 3, "set": 9})
    return names


_YEAR = r"(?P<y>(?:19|20|21)\d\d)"
_PART = r"[\s/\-.]*"
_QUARTER = (
    re.compile(rf"^(?:t|q|trim|trimestre|quarter|quartal)\s*(?P<n>[1-4]){_PART}{_YEAR}$"),
    re.compile(rf"^{_YEAR}{_PART}(?:t|q)\s*(?P<n>[1-4])$"),
    re.compile(
        rf"^(?P<n>[1-4])\s*(?:er|e|eme|st|nd|rd|th|o|a|\.)?\s*(?:t|q|trim|trimestre|quarter|quartal){_PART}{_YEAR}$"
    ),
)
_HALF = (
    re.compile(rf"^(?:s|h|semestre|half|halbjahr|hj)\s*(?P<n>[12]){_PART}{_YEAR}$"),
    re.compile(rf"^{_YEAR}{_PART}(?:s|h)\s*(?P<n>[12])$"),
    re.compile(rf"^(?P<n>[12])\s*(?:er|e|eme|st|nd|o|\.)?\s*(?:s|h|semestre|half|halbjahr|hj){_PART}{_YEAR}$"),
)
_YEAR_END = re.compile(
    rf"^(?:fin|fin d|fin de|fin de l annee|end|end of|end of year|by end of|year end|ende|ende des jahres|final de"
    rf"|fim de|final do|fin del|ano|annee|year|jahr)?\s*(?:l annee\s*|year\s*)?{_YEAR}$"
)
_MONTH_YEAR = re.compile(
    rf"^(?:fin|end|end of|ende|fim de|final de|fin de)?\s*(?P<m>[a-z]{{3,10}})(?: de| of)?\s*{_YEAR}$"
)
_NUMERIC_MONTH = re.compile(
    r"^(?:(?P<m>0?[1-9]|1[0-2])[/.\-](?P<y>(?:19|20|21)\d\d)|(?P<y2>(?:19|20|21)\d\d)-(?P<m2>0[1-9]|1[0-2]))$"
)


_DAY = re.compile(r"^\s*(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})")
"""A day's date (``31/03/2025``, ``2025-03-31``): never a period, told at once."""


def parse_period(value: object) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a period written as text, else ``None``.

    Quarters ``T2 2025``, ``Q3-2025``, ``2025-Q3``, ``2e trimestre 2025``; halves ``S2 2025``,
    ``H1 2026``, ``2025 H2``; years ``2025``, ``fin 2025``, ``end of 2025``; months ``juin 2025``,
    ``mar/2025``, ``Sept. 2025``, ``03/2025``. A number is never a period (``2025`` as a number is an
    Excel serial, not a year).
    """
    if not isinstance(value, str) or len(value) > 40 or _DAY.match(value):
        return None
    text = value.strip()
    numeric = _NUMERIC_MONTH.match(text)
    key = _plain(text)
    if not key:
        return None
    for pattern in _QUARTER:
        if match := pattern.match(key):
            year, quarter = int(match.group("y")), int(match.group("n"))
            return _months(year, 3 * quarter - 2, 3 * quarter)
    for pattern in _HALF:
        if match := pattern.match(key):
            year, half = int(match.group("y")), int(match.group("n"))
            return _months(year, 6 * half - 5, 6 * half)
    if numeric:
        year = int(numeric.group("y") or numeric.group("y2"))
        month = int(numeric.group("m") or numeric.group("m2"))
        return _months(year, month, month)
    if (match := _MONTH_YEAR.match(key)) and (named := month_names().get(match.group("m"))):
        return _months(int(match.group("y")), named, named)
    if match := _YEAR_END.match(key):
        return dt.date(int(match.group("y")), 1, 1), dt.date(int(match.group("y")), 12, 31)
    return None


def _months(year: int, first: int, last: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


_NAMED = re.compile(r"^(?P<d>\d{1,2})\s*(?:de\s+)?(?P<m>[a-z]{3,10})\s*(?:de\s+)?(?P<y>\d{4}|\d{2})(?:\s|$)")


def parse_named_date(value: object) -> dt.date | None:
    """A day written with its month's name, day first: ``30-Jun-2025``, ``30 juin 2025``,
    ``15. März 2025``, ``30 de junio de 2025``, ``14-Feb-25`` (two-digit years are 20yy), a time after it
    dropped; ``None`` for any other text.

    Raises:
        ValueError: the day does not exist in that month (``31-Feb-2025``).
    """
    if not isinstance(value, str) or len(value) > 40:
        return None
    match = _NAMED.match(_plain(value))
    if not match or (month := month_names().get(match.group("m"))) is None:
        return None
    year = int(match.group("y"))
    return dt.date(year + 2000 if year < 100 else year, month, int(match.group("d")))
