"""The session's language in the pages: gettext ``_``, ``ngettext`` and ``pgettext`` in the language of
the sidebar's switch, numbers and dates in its locale, the labels of statuses, deferral reasons and
fields, and :func:`md` for outside text placed in Markdown.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from roadmap import (
    LANGUAGES,
    format_day,
    format_number,
    format_percent,
    translation,
)
from roadmap.i18n import format_cell, format_moment, format_size
from roadmap.importing.checks import FIELD_LABELS
from roadmap.wording import markdown_text

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
"""Each language in its own words, for the switch in the sidebar (not translated)."""


def md(value: object) -> str:
    """Text from outside (a workbook, a file name, an error quoting a cell, a user's name) made safe
    to place in Markdown: shown as typed, never as a link, an image or formatting."""
    return markdown_text(str(value))


def language() -> str:
    """The session's language: ``"fr"`` (default) or ``"en"``, from the sidebar switch (``lang``)."""
    lang = st.session_state.get("lang", LANGUAGES[0])
    return lang if lang in LANGUAGES else LANGUAGES[0]


def _(message: str) -> str:
    """``message`` (an English msgid) in the session's language."""
    return translation(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the session's language."""
    return translation(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the session's language, told apart from the same English words by ``context``."""
    return translation(language()).pgettext(context, message)


def language_switch() -> str:
    """The language switch of the sidebar (key ``lang``, French by default, ``?lang=en`` honoured on
    the first load); returns the language chosen, so that the navigation can be titled in it."""
    if "lang" not in st.session_state:
        asked = st.query_params.get("lang", LANGUAGES[0]).strip().lower()
        st.session_state["lang"] = asked if asked in LANGUAGES else LANGUAGES[0]
    with st.sidebar:
        st.radio(_("Language"), LANGUAGES, format_func=LANGUAGE_NAMES.__getitem__, key="lang", horizontal=True)
    return language()


def reasons() -> dict[str, str]:
    """Why a measure is deferred (:class:`roadmap.DeferReason`), as short labels in the session's language."""
    return {
        "capacity": _("Not enough capacity"),
        "prerequisite": _("Waits on a prerequisite"),
        "blocked": pgettext("deferral reason", "Blocked"),
        "too_long": _("Too long for the horizon"),
    }


def statuses() -> dict[str, str]:
    """The measure statuses (:class:`roadmap.Status` values) as labels in the session's language."""
    return {
        "not_started": _("To do"),
        "in_progress": _("In progress"),
        "done": _("Done"),
        "blocked": pgettext("measure status", "Blocked"),
        "cancelled": _("Cancelled"),
    }


def number(value: float, digits: int = 1) -> str:
    """A number in the session's language: ``1 234,5`` (fr), ``1,234.5`` (en)."""
    return format_number(value, language(), digits)


def percent(share: float) -> str:
    """A 0–1 share as a percentage in the session's language: ``42 %`` (fr), ``42%`` (en)."""
    return format_percent(share, language())


def size(value: int) -> str:
    """A file size (bytes) in the session's language: ``18,7 Ko`` (fr), ``18.7 KB`` (en)."""
    return format_size(value, language())


def day(value: dt.date) -> str:
    """A date in the session's language: ``30 nov. 2026`` (fr), ``30 Nov 2026`` (en)."""
    return format_day(value, language())


def moment(value: dt.datetime) -> str:
    """A date and time in the session's language: ``3 déc. 2026 12:49`` (fr), ``3 Dec 2026 12:49`` (en)."""
    return format_moment(value, language())


def cell(value: object, digits: int = 1) -> str:
    """A table cell in the session's language (:func:`roadmap.i18n.format_cell`): dates, numbers,
    ``""`` for a missing value."""
    return format_cell(value, language(), digits)


def field_labels() -> dict[str, str]:
    """Labels of the measure fields in the session's language, for the column mapping step."""
    return {name: _(label) for name, label in FIELD_LABELS.items()}
