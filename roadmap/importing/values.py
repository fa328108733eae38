"""Parsers for the cell values found in hardening workbooks.

Each parser takes a raw cell value as a spreadsheet reader returns it (``str``, ``int``,
``float``, ``bool``, ``datetime.date``/``datetime.datetime`` or ``None``) and returns a clean
Python value, or raises :class:`roadmap.errors.CellValueError` with a message and a fix hint.
They never guess silently: where a value is ambiguous the caller is told.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable

from roadmap.errors import CellValueError
from roadmap.i18n import N_
from roadmap.importing.durations import parse_duration
from roadmap.importing.periods import parse_named_date, parse_period
from roadmap.importing.vocabulary import PRIORITY_WORDS, STATUS_WORDS
from roadmap.models import Priority, Status

EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system (serial 1 is 1900-01-01, counting the fictitious 29 Feb 1900)."""

_SERIAL_RANGE = (20_000, 80_000)  # 1954-10-03 … 2119-01-11: anything else is not a plan date


def normalize(text: object) -> str:
    """Lower-case, accent-free, punctuation-free form used to match headers and labels.

    ``"Charge (j.h)"`` → ``"charge j h"``; ``"Équipe "`` → ``"equipe"``. Texts are remembered (the
    same status or priority is written on thousands of rows).
    """
    if isinstance(text, str):
        return _normalize_text(text)
    return _normalize(text)


@functools.lru_cache(maxsize=32_768)
def _normalize_text(text: str) -> str:
    return _normalize(text)


def _normalize(text: object) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def is_blank(value: object) -> bool:
    """True for ``None``, empty or whitespace-only text."""
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value: object) -> str:
    """Text of a cell as a person reads it: ``1.0`` → ``"1"``, ``1.1`` → ``"1.1"``, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def shorten(value: object, limit: int = 60) -> str:
    """:func:`to_text`, cut to ``limit`` characters with an ellipsis."""
    text = to_text(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)?(?:[.,](\d+))?$")


def _plain_number(text: str) -> float:
    """``"1,5"`` → 1.5, ``"1 200"`` → 1200.0; raises ``ValueError`` for anything else."""
    compact = text.strip()
    match = _NUMBER.match(compact)
    if not match or not (match.group(1) or match.group(2)):
        raise ValueError(text)
    return float(re.sub(r"[ \u00a0\u202f]", "", compact).replace(",", "."))


_EFFORT_UNITS = {
    "": 1.0,
    "j": 1.0,
    "jh": 1.0,
    "j h": 1.0,
    "jour": 1.0,
    "jours": 1.0,
    "d": 1.0,
    "day": 1.0,
    "days": 1.0,
    "pd": 1.0,
    "sem": 5.0,
    "semaine": 5.0,
    "semaines": 5.0,
    "w": 5.0,
    "wk": 5.0,
    "week": 5.0,
    "weeks": 5.0,
    "mois": 20.0,
    "month": 20.0,
    "months": 20.0,
}


_HOUR_UNITS = {"h", "hr", "hrs", "heure", "heures", "hour", "hours", "hora", "horas", "std", "stunden"}


def parse_number(value: object) -> float:
    """A plain number: ``3``, ``1.5``, ``"1,5"``, ``"1 200"``.

    Raises:
        CellValueError: not a number.
    """
    if isinstance(value, bool):
        raise CellValueError(N_("expected a number, found TRUE/FALSE"), N_("type a number"))
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise CellValueError(N_("expected a number"), N_("type a number"))
        return float(value)
    try:
        return _plain_number(to_text(value))
    except ValueError:
        raise CellValueError(N_("expected a number"), N_("type a number such as 3 or 1,5")) from None


def parse_effort(value: object, *, in_hours: bool = False, day_hours: float = 7.0) -> float:
    """Effort in person-days, > 0: ``3``, ``"1,5"``, ``"3 j"``, ``"2 sem"`` (5 days a week), ``"14 h"``,
    and durations in words (``one week``, ``deux semaines``: :func:`roadmap.importing.durations.parse_duration`).

    Units: days (``j``, ``j.h``, ``jours``, ``d``), weeks (``sem``, ``w``) = 5 person-days,
    months (``mois``) = 20 person-days, hours (``h``, ``heures``, ``hours``) = 1/``day_hours``
    person-day.

    Args:
        in_hours: a number without a unit is hours (the column's header says so: ``Charge (h)``).
        day_hours: hours in a working day (the ``day_hours`` setting, 7 by default).

    Raises:
        CellValueError: not a positive amount.
    """
    hour = 1 / day_hours
    if isinstance(value, str):
        match = re.match(r"^\s*([0-9][0-9 .,\u00a0]*?)\s*([a-zA-Z. ]*)\s*$", value)
        unit = normalize(match.group(2)) if match else None
        if not match or (unit not in _EFFORT_UNITS and unit not in _HOUR_UNITS):
            return _effort_in_words(value, day_hours)
        factor = hour if unit in _HOUR_UNITS or (in_hours and unit == "") else _EFFORT_UNITS[unit or ""]
        try:
            amount = _plain_number(match.group(1)) * factor
        except ValueError:
            raise CellValueError(
                N_("expected an effort in person-days"), N_("type a number of days such as 3, 1,5, 3 j or 2 sem")
            ) from None
    else:
        amount = parse_number(value) * (hour if in_hours else 1.0)
    if amount <= 0:
        raise CellValueError(N_("effort must be more than 0 person-days"), N_("type the estimated effort"))
    if amount > MAX_EFFORT_DAYS:
        raise CellValueError(
            N_("effort above {limit} person-days"),
            N_("split the measure into smaller ones, or check the unit"),
            params={"limit": f"{MAX_EFFORT_DAYS:,}"},
        )
    return amount


def _effort_in_words(value: str, day_hours: float) -> float:
    """An effort the units above do not cover, read by :func:`roadmap.importing.durations.parse_duration`
    (``one week``, ``deux semaines``, ``within the same day``, ``1 jour 4 heures``)."""
    try:
        amount = parse_duration(value, day_hours=day_hours).days
    except CellValueError:
        raise CellValueError(
            N_("expected an effort in person-days"), N_("type a number of days such as 3, 1,5, 3 j or 2 sem")
        ) from None
    if amount <= 0:
        raise CellValueError(N_("effort must be more than 0 person-days"), N_("type the estimated effort"))
    if amount > MAX_EFFORT_DAYS:
        raise CellValueError(
            N_("effort above {limit} person-days"),
            N_("split the measure into smaller ones, or check the unit"),
            params={"limit": f"{MAX_EFFORT_DAYS:,}"},
        )
    return amount


MAX_EFFORT_DAYS = 10_000
"""Largest effort of one measure (person-days): about 40 person-years."""


def parse_int(value: object, *, minimum: int = 1) -> int:
    """A whole number ≥ ``minimum`` (``2``, ``2.0``, ``"2"``).

    Raises:
        CellValueError: not a whole number, or too small.
    """
    number = parse_number(value)
    if not number.is_integer() or number < minimum:
        raise CellValueError(
            N_("expected a whole number ≥ {minimum}"),
            N_("type a whole number such as {minimum}"),
            params={"minimum": minimum},
        )
    return int(number)


def parse_percent(value: object) -> float:
    """A percentage on 0–100: ``50``, ``"50 %"``, ``"50%"``, and fractions ``0.5`` → 50.

    A number between 0 and 1 without a ``%`` sign is read as a fraction, as Excel stores cells
    formatted as percentages (so ``1`` means 100 %).

    Raises:
        CellValueError: not a percentage between 0 and 100.
    """
    text = to_text(value)
    if text.endswith("%"):
        number = parse_number(text[:-1])
    else:
        number = parse_number(value)
        if 0 <= number <= 1:
            number *= 100
    if not 0 <= number <= 100:
        raise CellValueError(N_("expected a percentage between 0 and 100"), N_("type a value such as 50 or 50 %"))
    return number


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_MONTH_NAME = re.compile(r"^[A-Za-z]{3,9}\.? \d{1,2},? \d{4}")


def detect_day_first(values: Iterable[object]) -> bool | None:
    """Whether the ``nn/nn/yyyy`` texts of a column are day-first.

    Returns:
        ``True`` when some first number is above 12 (31/03/2025), ``False`` when some second
        number is (03/31/2025), ``None`` when no text decides it (only dates like 03/04/2025,
        or no such text at all). A column with both orders also returns ``None``.
    """
    day_first = month_first = False
    for value in values:
        match = _DMY.match(value.strip()) if isinstance(value, str) else None
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            day_first |= first > 12
            month_first |= second > 12
    if day_first == month_first:
        return None
    return day_first


def parse_date(value: object, *, day_first: bool = True, period_end: bool = True) -> dt.date:
    """A calendar date from an Excel date, an Excel serial number or text.

    Accepts real date cells, serial numbers (1954–2119), ISO ``2025-03-31``, ``31/03/2025``
    (``day_first``; ``03/31/2025`` when false), ``Feb 03, 2026 07:00 AM``, month names
    (``30-Jun-2025``, ``3 mars 2027``: :func:`roadmap.importing.periods.parse_named_date`) and periods
    (``T2 2025``, ``S2 2025``, ``fin 2025``, ``juin 2025``: :func:`roadmap.importing.periods.parse_period`),
    read as their last day (``period_end``) or their first. Times are dropped.

    Raises:
        CellValueError: not a date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellValueError(N_("expected a date, found a number"), N_("type a date such as 31/03/2027"))
    text = to_text(value)
    try:
        if match := _ISO.match(text):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _DMY.match(text):
            first, second, year = (int(g) for g in match.groups())
            day, month = (first, second) if day_first else (second, first)
            return dt.date(year, month, day)
        if _MONTH_NAME.match(text):
            head = re.sub(r"\.", "", text)
            for fmt in ("%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y"):
                try:
                    return dt.datetime.strptime(" ".join(head.split()[:3]), fmt).date()
                except ValueError:
                    continue
        if (named := parse_named_date(text)) is not None:
            return named
    except ValueError:
        raise CellValueError(N_("this date does not exist"), N_("check the day and the month")) from None
    if (period := parse_period(text)) is not None:
        return period[1] if period_end else period[0]
    raise CellValueError(N_("expected a date"), N_("type a date such as 31/03/2027 or 2027-03-31"))


_QUARTER = (
    re.compile(r"^(?P<y>\d{4})\s*[-/ ]?\s*[TQ](?P<q>[1-4])$"),
    re.compile(r"^[TQ](?P<q>[1-4])\s*[-/ ]?\s*(?P<y>\d{4})$"),
)


def parse_quarter(value: object) -> str:
    """A quarter as ``YYYY-Qn``: accepts ``2024-T3``, ``T3 2024``, ``Q3 2024``, ``2024 Q3``.

    Raises:
        CellValueError: not a quarter.
    """
    text = to_text(value).upper()
    for pattern in _QUARTER:
        if (match := pattern.match(text)) and 1900 <= int(match.group("y")) <= 2200:
            return f"{match.group('y')}-Q{match.group('q')}"
    raise CellValueError(N_("expected a quarter"), N_("type a quarter such as 2027-T3 or T3 2027"))


_STATUS_LOOKUP = {normalize(label): status for status, labels in STATUS_WORDS.items() for label in labels}


def parse_status(value: object) -> Status:
    """A status from French or English labels (``À faire``, ``En cours``, ``Fait``, ``OK``…).

    Raises:
        CellValueError: unknown label.
    """
    key = normalize(to_text(value))
    status = _STATUS_LOOKUP.get(key)
    if status is None:
        status = _graded_answer(key)
    if status is None:
        raise CellValueError(
            N_("unknown status"), N_("use À faire, En cours, Fait, Bloqué or Abandonné (or the English terms)")
        )
    return status


_GRADED_YES = re.compile(r"^(yes|oui|si|sim|ja)\b")
_GRADED_FULL = re.compile(
    r"\b(most or all|all of|always|at least annually|fully|completely|la plupart ou tous|toutes?|entierement"
    r"|totalement|todos?|alle|vollstandig)\b"
)


def _graded_answer(key: str) -> Status | None:
    """The status an assessment's graded answer gives (normalised): ``Yes, for most or all of the
    applications`` → done, ``Yes, for some applications`` / ``…at least half…`` → in progress, the
    answer sets of OWASP SAMM v2 (``model/answer_sets``) and of maturity questionnaires like it;
    ``None`` for any other text."""
    if not _GRADED_YES.match(key) or key in _STATUS_LOOKUP:
        return None
    return Status.DONE if _GRADED_FULL.search(key) else Status.IN_PROGRESS


_PRIORITY_LOOKUP = {normalize(label): p for p, labels in PRIORITY_WORDS.items() for label in labels}


_RANKED = re.compile(r"^(\d)\s*[-–:.)]\s*(\S.*)$")
"""A rank and its label, as ServiceNow and ITSM tools write priorities: ``1 - Critical``, ``3 - Moderate``."""


def parse_priority(value: object) -> Priority:
    """A priority P1–P4 (P1 highest) from ``P1``, ``1``, ``Haute``, ``High``…, and a rank with its label
    (``2 - High``, ``5 - Planning``: the label when known, else the rank, 5 and beyond P4).

    Raises:
        CellValueError: unknown label.
    """
    text = to_text(value)
    priority = _PRIORITY_LOOKUP.get(normalize(text))
    if priority is None and (ranked := _RANKED.match(text.strip())):
        rank, label = int(ranked.group(1)), normalize(ranked.group(2))
        priority = _PRIORITY_LOOKUP.get(label) or (Priority(f"P{min(rank, 4)}") if rank >= 1 else None)
    if priority is None:
        raise CellValueError(N_("unknown priority"), N_("use P1, P2, P3 or P4 (P1 highest)"))
    return priority


def parse_id_list(value: object) -> tuple[str, ...]:
    """IDs separated by ``,``, ``;`` or new lines, in order, without duplicates."""
    parts = re.split(r"[,;\n\r]+", to_text(value))
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def parse_mitigations(value: object) -> tuple[tuple[str, float | None], ...]:
    """``"R01:0.6; R03"`` → ``(("R01", 0.6), ("R03", None))``.

    Effectiveness may be written ``0.6``, ``0,6``, ``60 %`` or ``60``; ``None`` when absent.

    Raises:
        CellValueError: an effectiveness outside (0, 1] or unreadable.
    """
    result: dict[str, float | None] = {}
    for part in re.split(r"[;\n\r]+|,(?!\d)", to_text(value)):
        if not part.strip():
            continue
        risk_id, _, raw = part.partition(":") if ":" in part else part.partition("=")
        if not risk_id.strip():
            raise CellValueError(
                N_("a risk ID is missing before {text}"),
                N_("write RISK:EFFECTIVENESS such as R01:0.6"),
                params={"text": repr(part.strip())},
            )
        effectiveness: float | None = None
        if raw.strip():
            if "%" not in raw:
                try:
                    number = parse_number(raw.strip())
                except CellValueError:
                    number = 0.5
                if 1 < number < 10:  # 1.5 or 2: neither a share (≤ 1) nor a plausible percentage
                    raise CellValueError(
                        N_("effectiveness {effectiveness} for {risk} is above 1"),
                        N_("write a share of 0 to 1 (0.6) or a percentage (60 %)"),
                        params={"effectiveness": raw.strip(), "risk": risk_id.strip()},
                    )
            try:
                effectiveness = parse_percent(raw.strip()) / 100
            except CellValueError:
                raise CellValueError(
                    N_("unreadable effectiveness for {risk}"),
                    N_("write RISK:EFFECTIVENESS such as R01:0.6"),
                    params={"risk": risk_id.strip()},
                ) from None
            if effectiveness <= 0:
                raise CellValueError(
                    N_("effectiveness for {risk} must be more than 0"),
                    N_("use a value in (0, 1] such as 0.6"),
                    params={"risk": risk_id.strip()},
                )
        result[risk_id.strip()] = effectiveness
    return tuple(result.items())


_TRUE = {"x", "oui", "o", "yes", "y", "true", "vrai", "1", "on", "actif"}
_FALSE = {"", "non", "n", "no", "false", "faux", "0", "off", "inactif"}


def parse_bool(value: object) -> bool:
    """``x``, ``Oui``, ``Yes``, ``TRUE``, ``1`` → True; empty, ``Non``, ``No``, ``0`` → False.

    Raises:
        CellValueError: anything else.
    """
    if isinstance(value, bool):
        return value
    key = normalize(to_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellValueError(N_("expected yes or no"), N_("type Oui or Non (Yes or No)"))


_SCALE_LABELS = {
    "likelihood": {
        1: ("peu vraisemblable", "minimal", "unlikely", "improbable", "rare"),
        2: ("vraisemblable", "significative", "possible", "likely"),
        3: ("tres vraisemblable", "forte", "very likely", "probable", "highly likely"),
        4: ("quasi certain", "quasi certaine", "maximale", "almost certain", "certain"),
    },
    "severity": {
        1: ("mineure", "minor", "negligeable", "negligible", "faible", "low"),
        2: ("significative", "significant", "moderate", "moderee", "limitee"),
        3: ("grave", "serious", "major", "majeure", "importante", "high"),
        4: ("critique", "critical", "catastrophique", "catastrophic", "severe"),
    },
}
_SCALE_PREFIX = {"likelihood": "vpl", "severity": "gis"}


def parse_scale_level(value: object, *, kind: str, scale: int = 4) -> int:
    """A likelihood or severity level, 1 … ``scale``.

    Accepts numbers (``3``), EBIOS RM codes with or without labels (``V3``, ``V3 - Très
    vraisemblable``, ``G4 Critique``), and the EBIOS RM labels alone on the default 4-level
    scale.

    Args:
        kind: ``"likelihood"`` or ``"severity"``.
        scale: top of the scale (4 for EBIOS RM, 3 or 5 for other methods).

    Raises:
        CellValueError: unreadable, or outside 1 … ``scale``.
    """
    raw = to_text(value).strip()
    likelihood = kind == "likelihood"
    if re.match(r"^-|^\d+[.,]\d*[1-9]", raw):  # -1, 2.5: not a level (2.0 is)
        raise CellValueError(
            N_("likelihood {level} is not a whole level")
            if likelihood
            else N_("severity {level} is not a whole level"),
            N_("type a level from 1 to {scale}"),
            params={"level": raw, "scale": scale},
        )
    text = normalize(raw)
    level: int | None = None
    if match := re.match(rf"^[{_SCALE_PREFIX[kind]}]?\s?(\d+)(?:\s|$)", text):
        level = int(match.group(1))
    elif scale == 4:
        level = next((n for n, labels in _SCALE_LABELS[kind].items() if text in labels), None)
    if level is None:
        raise CellValueError(
            N_("unreadable likelihood") if likelihood else N_("unreadable severity"),
            N_("type a level from 1 to {scale}, or V1 … V4")
            if likelihood
            else N_("type a level from 1 to {scale}, or G1 … G4"),
            params={"scale": scale},
        )
    if not 1 <= level <= scale:
        raise CellValueError(
            N_("likelihood {level} is outside the scale 1–{scale}")
            if likelihood
            else N_("severity {level} is outside the scale 1–{scale}"),
            N_("use 1 … {scale}, or declare the scale in the Settings sheet"),
            params={"level": level, "scale": scale},
        )
    return level


_LEVEL_NAMES = {
    0: ("faible", "low", "bas", "acceptable", "negligeable"),
    1: ("modere", "moderee", "moyen", "moyenne", "medium", "moderate"),
    2: ("eleve", "elevee", "high", "important", "fort"),
    3: ("critique", "critical", "tres eleve", "very high", "majeur"),
}
_LEVEL_LOOKUP = {label: level for level, labels in _LEVEL_NAMES.items() for label in labels}


def parse_level_name(value: object) -> int:
    """A risk level name → its index: Faible/Low 0, Modéré/Moderate 1, Élevé/High 2, Critique 3.

    Raises:
        CellValueError: unknown name.
    """
    level = _LEVEL_LOOKUP.get(normalize(to_text(value)))
    if level is None:
        raise CellValueError(N_("unknown risk level"), N_("use Faible, Modéré, Élevé or Critique"))
    return level


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """True for a text a spreadsheet could take for a formula (starts with ``= + - @``, tab or CR)."""
    return isinstance(value, str) and value.startswith(_FORMULA_STARTS)


def neutralise(value: object) -> object:
    """The value to write in a CSV cell: formula-like text gets a leading ``'``; anything else
    (numbers, dates, other text, ``None``) is returned unchanged (OWASP CSV injection)."""
    return "'" + value if is_formula_like(value) else value  # type: ignore[operator]


def generated_id(title: str, taken: set[str]) -> str:
    """A stable ID for a measure that has none: ``M-`` and 6 hex digits of the SHA-1 of its
    normalised title (``-2``, ``-3``… for repeated titles), added to ``taken``."""
    base = "M-" + hashlib.sha1(normalize(title).encode()).hexdigest()[:6].upper()
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    taken.add(ident)
    return ident
