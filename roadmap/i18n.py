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
from pathlib import Path

from babel import dates, numbers

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


def format_day(value: dt.date, lang: str) -> str:
    """A date in the language's medium format: ``30 nov. 2026`` (fr), ``30 Nov 2026`` (en).

    Args:
        value: the date.
        lang: ``"fr"`` or ``"en"``; anything else gives French.

    Returns:
        The formatted date.
    """
    return str(dates.format_date(value, format="medium", locale=_LOCALES[_language(lang)]))
