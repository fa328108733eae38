"""Durations as people and planning tools write them → working days: the one parser of durations.

:func:`parse_duration` reads an amount with its unit (``2 jours``, ``1 sem.``, ``3,5 j``, ``16 h``,
``1 mo``, ``2 days?``), compound amounts (``1 jour 4 heures``) and durations in words (``one week``,
``two days``, ``deux semaines``, ``within the same day``, ``une demi-journée``), in French and English,
and in Spanish, Portuguese and German (``2 semanas``, ``medio día``, ``um mês``, ``zwei Wochen``, ``3 PT``
Personentage, ``80 man-hours``). It is used by the
effort cells of any workbook (:func:`roadmap.importing.values.parse_effort`, for the texts its units
do not cover) and by the MS Project / ProjectLibre and GLPI exports
(:mod:`roadmap.importing.tools`).

Units, in working days (MS Project's defaults, PMBOK's working time): a day (``j``, ``d``) is 1; a
week (``sem``, ``w``) :data:`WEEK_DAYS` (5); a month (``mo``, ``ms``, ``mois``) :data:`MONTH_DAYS` (20); an
hour (``h``) ``1 / day_hours`` and a minute (``m``, ``min``) ``1 / (60 × day_hours)``. Elapsed units of
MS Project (``ed``/``je`` calendar days, 5 working days in 7; ``ew``/``se`` calendar weeks, 5 working
days). A trailing ``?`` is MS Project's mark of an estimated duration: the amount
is read and :attr:`Duration.estimated` is set. This module imports nothing of the importer, so that
:mod:`roadmap.importing.values` can use it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from roadmap.errors import CellValueError
from roadmap.i18n import N_

WEEK_DAYS = 5.0
"""Working days in a week."""

MONTH_DAYS = 20.0
"""Working days in a month (MS Project's default: 20 days of 8 hours)."""

ELAPSED_DAY = 5.0 / 7.0
"""Working days in one elapsed (calendar) day."""


class Duration(NamedTuple):
    """A duration read by :func:`parse_duration`.

    Attributes:
        days: working days (> 0 unless the text says 0, such as a milestone's ``0 j``).
        estimated: the text ends with ``?`` (MS Project's estimated duration).
    """

    days: float
    estimated: bool


_UNITS: dict[str, float | None] = {  # unit word (normalised) → working days; None: an hour
    **dict.fromkeys(("j", "jr", "jrs", "jour", "jours", "journee", "journees", "d", "day", "days", "jo"), 1.0),
    **dict.fromkeys(("jh", "j h", "pd", "md", "man day", "man days", "person day", "person days"), 1.0),
    **dict.fromkeys(("dia", "dias", "jornada", "jornadas", "tag", "tage", "tagen", "pt", "personentag"), 1.0),
    **dict.fromkeys(("personentage", "arbeitstag", "arbeitstage", "dias habiles", "dias uteis"), 1.0),
    **dict.fromkeys(("sem", "sems", "semaine", "semaines", "w", "wk", "wks", "week", "weeks"), WEEK_DAYS),
    **dict.fromkeys(("semana", "semanas", "woche", "wochen"), WEEK_DAYS),
    **dict.fromkeys(("mo", "mos", "mon", "mons", "mois", "month", "months", "ms"), MONTH_DAYS),
    **dict.fromkeys(("mes", "meses", "monat", "monate", "monaten"), MONTH_DAYS),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "heure", "heures", "eh", "he"), None),
    **dict.fromkeys(("hora", "horas", "stunde", "stunden", "std", "man hour", "man hours", "manhours"), None),
    **dict.fromkeys(("person hour", "person hours", "work hours", "labor hours", "labour hours"), None),
    **dict.fromkeys(("ed", "eday", "edays", "jc", "je", "jours calendaires"), ELAPSED_DAY),
    **dict.fromkeys(("ew", "eweek", "eweeks", "se", "sc"), WEEK_DAYS),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "mn", "minuto", "minutos", "minuten"), -1.0),
}

_NUMBER_WORDS = {
    **dict.fromkeys(("a", "an", "one", "un", "une", "uno", "una", "um", "uma", "ein", "eine", "einen", "einem"), 1.0),
    **dict.fromkeys(("two", "deux", "dos", "dois", "duas", "zwei"), 2.0),
    **dict.fromkeys(("three", "trois", "tres", "drei"), 3.0),
    **dict.fromkeys(("four", "quatre", "cuatro", "quatro", "vier"), 4.0),
    **dict.fromkeys(("five", "cinq", "cinco", "funf"), 5.0),
    **dict.fromkeys(("six", "seis", "sechs"), 6.0),
    **dict.fromkeys(("seven", "sept", "siete", "sete", "sieben"), 7.0),
    **dict.fromkeys(("eight", "huit", "ocho", "oito", "acht"), 8.0),
    **dict.fromkeys(("nine", "neuf", "nueve", "nove", "neun"), 9.0),
    **dict.fromkeys(("ten", "dix", "diez", "dez", "zehn"), 10.0),
    **dict.fromkeys(("twelve", "douze", "doce", "doze", "zwolf"), 12.0),
    **dict.fromkeys(("fifteen", "quinze", "quince"), 15.0),
    **dict.fromkeys(("twenty", "vingt", "veinte", "vinte", "zwanzig"), 20.0),
    **dict.fromkeys(("half a", "half", "demi", "une demi", "un demi", "medio", "media", "meio", "meia"), 0.5),
    **dict.fromkeys(("halb", "halbe", "halben", "einen halben", "ein halber", "eine halbe"), 0.5),
    **dict.fromkeys(("a couple of", "couple of"), 2.0),
    **dict.fromkeys(("a few", "few", "quelques"), 3.0),
}

_PHRASES = {
    "within the same day": 1.0,
    "same day": 1.0,
    "in the day": 1.0,
    "dans la journee": 1.0,
    "le jour meme": 1.0,
    "dans la meme journee": 1.0,
    "une demi journee": 0.5,
    "demi journee": 0.5,
    "half a day": 0.5,
    "half day": 0.5,
    "une journee": 1.0,
    "medio dia": 0.5,
    "media jornada": 0.5,
    "meio dia": 0.5,
    "meia jornada": 0.5,
    "halber tag": 0.5,
    "ein halber tag": 0.5,
    "einen halben tag": 0.5,
    "el mismo dia": 1.0,
    "no mesmo dia": 1.0,
    "am selben tag": 1.0,
}
"""Whole phrases (normalised) and their working days."""

_FILLER = (
    "within",
    "in",
    "about",
    "around",
    "approx",
    "approximately",
    "environ",
    "en",
    "sous",
    "under",
    "de",
    "ca",
    "circa",
    "etwa",
    "aprox",
    "aproximadamente",
    "cerca de",
    "unos",
    "unas",
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", plain)  # dots of abbreviations go, decimal marks stay
    return " ".join(re.sub(r"[^0-9a-z.,]+", " ", plain).split())


def parse_duration(value: object, *, day_hours: float = 8.0) -> Duration:
    """A duration in working days, from a number (days) or a text with its unit or in words.

    Examples: ``2`` → 2; ``"2 jours"``, ``"2 j"``, ``"2 days"`` → 2; ``"1 sem."``, ``"one week"``,
    ``"une semaine"`` → 5; ``"deux semaines"`` → 10; ``"1,5 j"`` → 1.5; ``"16 h"`` → 2 (8-hour days);
    ``"1 mo"`` → 20; ``"3 j?"`` → 3, estimated; ``"1 jour 4 heures"`` → 1.5; ``"within the same
    day"`` → 1; ``"une demi-journée"`` → 0.5.

    Args:
        value: the cell (``int``/``float`` are days; text as above).
        day_hours: hours in a working day, for hours and minutes (8 for MS Project and Jira, whose
            defaults they are; the workbook's ``day_hours`` setting, 7 by default, elsewhere).

    Returns:
        A :class:`Duration` (working days, estimated or not).

    Raises:
        CellValueError: no amount with a known unit.
    """
    if isinstance(value, bool):
        raise _unreadable()
    if isinstance(value, int | float):
        if value != value or value < 0:  # NaN or negative
            raise _unreadable()
        return Duration(float(value), False)
    raw = str(value).strip()
    estimated = raw.endswith("?")
    text = _plain(raw.rstrip("?").strip())
    if not text:
        raise _unreadable()
    if text in _PHRASES:
        return Duration(_PHRASES[text], estimated)
    words = text.split(" ")
    while words and words[0] in _FILLER:
        words = words[1:]
    text = " ".join(words)
    if text in _PHRASES:
        return Duration(_PHRASES[text], estimated)
    total, position = 0.0, 0
    compact = re.sub(r"(\d)([a-z])", r"\1 \2", text)
    tokens = compact.split(" ")
    found = False
    while position < len(tokens):
        amount, position = _amount(tokens, position)
        if amount is not None and len(tokens) == 1 and tokens[0][0].isdigit():
            return Duration(amount, estimated)  # a number alone: days
        if amount is None or position >= len(tokens):
            raise _unreadable()
        unit, position = _unit(tokens, position)
        if unit is None:
            raise _unreadable()
        per = _UNITS[unit]
        factor = 1 / day_hours if per is None else (1 / (60 * day_hours) if per == -1.0 else per)
        total += amount * factor
        found = True
        while position < len(tokens) and tokens[position] in ("et", "and", "plus"):
            position += 1
    if not found:
        raise _unreadable()
    return Duration(total, estimated)


def _amount(tokens: list[str], position: int) -> tuple[float | None, int]:
    """The amount at ``tokens[position]`` (a number, or one or two number words) and the next position."""
    token = tokens[position]
    if re.fullmatch(r"\d+(?:,\d+)?|\d*,\d+", token) or re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token.replace(",", ".")), position + 1
    for width in (3, 2, 1):
        phrase = " ".join(tokens[position : position + width])
        if phrase in _NUMBER_WORDS and position + width <= len(tokens):
            return _NUMBER_WORDS[phrase], position + width
    return None, position


def _unit(tokens: list[str], position: int) -> tuple[str | None, int]:
    for width in (2, 1):
        phrase = " ".join(tokens[position : position + width])
        if phrase in _UNITS and position + width <= len(tokens):
            return phrase, position + width
    return None, position


def _unreadable() -> CellValueError:
    return CellValueError(
        N_("expected a duration"), N_("type an amount with its unit, such as 3 j, 2 sem., 16 h or two weeks")
    )
