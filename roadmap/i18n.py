"""The user interface's languages: gettext catalogues and locale formatting of numbers and dates.

The app's messages are written in English (the msgids) and translated through the catalogues
``roadmap/locales/<lang>/LC_MESSAGES/rempart.po``, compiled to ``rempart.mo`` by ``make i18n``
(``pybabel extract`` → ``update`` → ``compile``). French is the default language: an unknown
language gets the French catalogue. Pure Python: the Streamlit layer keeps the session's language
and asks this module for its translation and its formatters.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import math
import numbers as numbers_abc
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd
from babel import Locale, dates, numbers

LANGUAGES = ("fr", "en")
"""The languages of the interface, the default first."""

DOMAIN = "rempart"
"""The gettext domain: the catalogues' file name."""

LOCALE_DIR = Path(__file__).resolve().parent / "locales"
"""Where the catalogues live: ``<lang>/LC_MESSAGES/rempart.po`` and the compiled ``.mo``."""

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else LANGUAGES[0]


@functools.cache
def translation(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (``"fr"`` or ``"en"``), loaded once and cached.

    Args:
        lang: a language code; anything not in :data:`LANGUAGES` gives French.

    Returns:
        A :class:`gettext.GNUTranslations` read from ``locales/<lang>/LC_MESSAGES/rempart.mo``;
        messages it does not translate come back as their English msgid. A missing catalogue
        gives :class:`gettext.NullTranslations` (English msgids), never an error.
    """
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[_language(lang)], fallback=True)


def N_(template: str) -> str:
    """Mark ``template`` for extraction (``pybabel extract -k N_``) and return it unchanged.

    The importer (:mod:`roadmap.importing`, :mod:`roadmap.importing.values`) writes its messages in English
    with named ``{placeholders}``; the text is translated when it is shown
    (:meth:`roadmap.models.Issue.text`), not when it is built.
    """
    return template


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form for extraction (``pybabel extract -k NP_:1,2``) and return
    both forms; the issue that holds it picks one by its ``count`` (:meth:`roadmap.models.Issue.text`,
    gettext's ``ngettext`` in the user's language)."""
    return singular, plural


def format_number(value: float, lang: str, digits: int = 1) -> str:
    """A number rounded to ``digits`` decimals in the language's locale.

    Args:
        value: the number.
        lang: ``"fr"`` (fr_FR: ``1 234,5`` with a narrow no-break space) or ``"en"`` (en_GB:
            ``1,234.5``); anything else gives French.
        digits: decimals kept; trailing zeros are dropped (``2.0`` → ``2``).

    Returns:
        The formatted number.
    """
    return str(numbers.format_decimal(round(value, digits), locale=_LOCALES[_language(lang)]))


def format_percent(share: float, lang: str) -> str:
    """A 0–1 share as a whole percentage in the language's locale: ``42 %`` (fr), ``42%`` (en).

    Args:
        share: the share, from 0 to 1 (0.42 is 42 %).
        lang: ``"fr"`` or ``"en"``; anything else gives French.

    Returns:
        The formatted percentage.
    """
    return str(numbers.format_percent(share, locale=_LOCALES[_language(lang)]))


def parse_number(text: str, lang: str) -> float:
    """A number typed in the language's locale (``1 650,5`` fr, ``1,650.5`` en; a trailing ``€``
    and spaces allowed), by Babel's :func:`~babel.numbers.parse_decimal`.

    Raises:
        ValueError: ``text`` is not a number in that locale.
    """
    cleaned = text.strip().removesuffix("€").strip()
    return float(numbers.parse_decimal(cleaned, locale=_LOCALES[_language(lang)]))


def format_cost(value: float, lang: str) -> str:
    """An amount in euros, rounded to the euro, in the language's locale: ``12 345 €`` (fr),
    ``€12,345`` (en).

    Args:
        value: the amount, €.
        lang: ``"fr"`` or ``"en"``; anything else gives French.

    Returns:
        The formatted amount.
    """
    code = _language(lang)
    pattern = "¤#,##0" if code == "en" else "#,##0\u00a0¤"
    return str(
        numbers.format_currency(round(value), "EUR", locale=_LOCALES[code], format=pattern, currency_digits=False)
    )


_SIZE_UNITS = {"fr": ("o", "Ko", "Mo", "Go"), "en": ("B", "KB", "MB", "GB")}
"""File size units by language, as file managers write them (Windows' Explorer: ``Ko`` in French)."""


def format_size(size: int, lang: str) -> str:
    """A file size in decimal units (1 KB = 1 000 bytes, as Streamlit's uploader counts them), one
    decimal above a kilobyte, in the language's locale: ``18,7 Ko`` (fr), ``18.7 KB`` (en).

    Args:
        size: the size, bytes (0 or more).
        lang: ``"fr"`` or ``"en"``; anything else gives French.

    Returns:
        The size with its unit, a no-break space between them.
    """
    units = _SIZE_UNITS[_language(lang)]
    power = 0
    while power < len(units) - 1 and size >= 1000 ** (power + 1):
        power += 1
    return f"{format_number(size / 1000**power, lang, 1 if power else 0)}\u00a0{units[power]}"


def format_day(value: dt.date, lang: str, *, style: Literal["medium", "long"] = "medium") -> str:
    """A date in the language's medium format: ``30 nov. 2026`` (fr), ``30 Nov 2026`` (en), the one
    style of every screen, chart and export; ``style="long"`` for the date of a title page only
    (``30 novembre 2026``, ``30 November 2026``).

    Args:
        value: the date.
        lang: ``"fr"`` or ``"en"``; anything else gives French.
        style: Babel's ``medium`` (default) or ``long`` format.

    Returns:
        The formatted date.
    """
    return str(dates.format_date(value, format=style, locale=_LOCALES[_language(lang)]))


def format_short_day(value: dt.date, lang: str) -> str:
    """A date without its year, in the language's medium format (for labels where space is tight,
    such as a sprint's first day or a chart's ticks): ``21 déc.`` (fr), ``21 Dec`` (en).

    Args:
        value: the date.
        lang: ``"fr"`` or ``"en"``; anything else gives French.

    Returns:
        The formatted day and month (Babel's ``dMMM`` skeleton).
    """
    return str(dates.format_skeleton("dMMM", value, locale=_LOCALES[_language(lang)]))


def format_days(values: Iterable[dt.date], lang: str) -> list[str]:
    """Chart tick labels for dates in ascending order, in the language's medium format
    (:func:`format_day`), the year written only where the reader needs it: on the first date and
    on the first date of each new year, the others as :func:`format_short_day`
    (``30 nov. 2026``, ``14 déc.``, ``28 déc.``, ``11 janv. 2027``).

    Args:
        values: the dates, earliest first.
        lang: ``"fr"`` or ``"en"``; anything else gives French.

    Returns:
        One label per date.
    """
    labels: list[str] = []
    year: int | None = None
    for value in values:
        labels.append(format_day(value, lang) if value.year != year else format_short_day(value, lang))
        year = value.year
    return labels


OFFICE_DATE_FORMATS = {"fr": "[$-40C]d mmm", "en": "[$-809]d mmm"}
"""The number format of a date axis in PowerPoint and LibreOffice charts, by language: the day and
the abbreviated month as :func:`format_short_day` writes them (``21 déc.``, ``21 Dec``). The
``[$-40C]`` (fr-FR) and ``[$-809]`` (en-GB) locale codes name the months' language, so that the
deck does not follow the language of the computer that opens it."""


def format_moment(value: dt.datetime, lang: str) -> str:
    """A date and time (to the minute) in the language's format: ``3 déc. 2026 12:49`` (fr),
    ``3 Dec 2026 12:49`` (en); the time zone is the caller's (the store keeps UTC).

    Args:
        value: the moment.
        lang: ``"fr"`` or ``"en"``; anything else gives French.
    """
    locale = _LOCALES[_language(lang)]
    return f"{format_day(value.date(), lang)} {dates.format_time(value.time(), format='short', locale=locale)}"


def plural_form(count: float, lang: str) -> str:
    """The CLDR plural category of ``count`` in the language (Babel): ``"one"`` or ``"other"``
    (French: 0 and 1 are ``one``; English: only 1 is), to pick a sentence of :mod:`roadmap`'s own
    dictionaries, which gettext's ``ngettext`` does not see."""
    return str(Locale.parse(_LOCALES[_language(lang)]).plural_form(abs(count)))


def plural_text(texts: dict[str, str], key: str, count: float, lang: str) -> str:
    """The sentence ``key`` of one of :mod:`roadmap`'s own dictionaries for ``count``: ``key_one``
    when the language's plural rule (:func:`plural_form`) says "one" and the dictionary has it,
    else ``key``."""
    return texts.get(f"{key}_one", texts[key]) if plural_form(count, lang) == "one" else texts[key]


PLOTLY_SEPARATORS = {"fr": ",\u202f", "en": ".,"}
"""Plotly's decimal and thousands separators (``layout.separators``) by language: ``1 234,5`` (fr),
``1,234.5`` (en)."""


def format_cell(value: object, lang: str, digits: int = 1) -> str:
    """Any table cell as the screen shows it, in the language's formats: a date as
    :func:`format_day`, a date and time as :func:`format_moment`, a number as
    :func:`format_number` (``digits`` decimals, thousands grouped), a missing value (``None``,
    ``NaN``, ``NaT``) as ``""``, anything else as its text. Booleans are left to the caller
    (they are not numbers on screen).

    Args:
        value: the cell (a Python or pandas/numpy scalar).
        lang: ``"fr"`` or ``"en"``; anything else gives French.
        digits: decimals of a float; integers get none.
    """
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return format_day(value.date(), lang) if value.time() == dt.time(0) else format_moment(value, lang)
    if isinstance(value, dt.date):
        return format_day(value, lang)
    if isinstance(value, numbers_abc.Integral) and not isinstance(value, bool):
        return format_number(int(value), lang, 0)
    if isinstance(value, numbers_abc.Real) and not isinstance(value, bool):
        return format_number(float(value), lang, digits)
    return str(value)
