"""French and English: the gettext catalogues are complete and compiled, the formatters follow the
locale, and every page runs in both languages with the interface in the chosen one."""

from __future__ import annotations

import datetime as dt
import io
import re
import string

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from roadmap import LANGUAGES, format_day, format_number, format_percent, translation
from roadmap.chart_axes import date_axis, date_ticks
from roadmap.i18n import DOMAIN, LOCALE_DIR, OFFICE_DATE_FORMATS, format_days, format_short_day, format_size

PAGES = [
    "app_pages/dashboard.py",
    "app_pages/plan.py",
    "app_pages/risks.py",
    "app_pages/data.py",
    "app_pages/history.py",
    "app_pages/exports.py",
    "app_pages/accounts.py",
]
FRENCH = re.compile(r"[éèêàâùûçôîÉÀ’«»]")
"""Characters that only French text of the interface has (the sample's data is French too)."""


IMPORTER = [
    "roadmap/models.py",
    "roadmap/importing/values.py",
    "roadmap/importing/rows.py",
    "roadmap/importing/cells.py",
    "roadmap/importing/sheets.py",
    "roadmap/importing/checks.py",
    "roadmap/importing/colours.py",
    "roadmap/importing/load.py",
    "roadmap/importing/durations.py",
    "roadmap/importing/tools/common.py",
    "roadmap/importing/tools/glpi.py",
    "roadmap/importing/tools/jira.py",
    "roadmap/importing/tools/msproject.py",
    "roadmap/editing.py",
]
"""The importer's modules, whose issue messages are marked ``N_("…")`` (``make i18n``: ``-k N_``), and
the checks of an edit before it is saved."""
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def _extracted() -> dict[tuple[str | None, str], tuple[str, ...]]:
    """Every message of app.py, app_pages/ and the importer, by (context, msgid): its forms
    (singular, plural)."""
    found = [m for path in ["app.py", *IMPORTER] for m in extract_from_file("python", ROOT / path, keywords=KEYWORDS)]
    found += [m[1:] for m in extract_from_dir(ROOT / "app_pages", method_map=[("**.py", "python")])]
    messages = {}
    for _lineno, message, _comments, context in found:
        forms = (message,) if isinstance(message, str) else tuple(message)
        messages[(context, forms[0])] = forms
    return messages


def _catalogue(lang: str):
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as po:
        return read_po(po, locale=lang)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_interface_has_messages_to_translate():
    messages = _extracted()
    assert len(messages) > 200
    assert (None, "Dashboard") in messages and ("measure status", "Blocked") in messages
    assert (None, "unknown status") in messages and (None, "unknown prerequisite {id}") in messages


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_in_the_catalogue(lang):
    catalogue = _catalogue(lang)
    missing = [key for key in _extracted() if catalogue.get(key[1], context=key[0]) is None]
    assert not missing, f"run `make i18n`: {missing}"


def test_every_french_entry_is_translated_and_not_fuzzy():
    catalogue = _catalogue("fr")
    for context, msgid in _extracted():
        entry = catalogue.get(msgid, context=context)
        assert not entry.fuzzy, f"fuzzy: {msgid!r}"
        forms = (entry.string,) if isinstance(entry.string, str) else entry.string
        assert all(forms), f"untranslated: {msgid!r}"
        assert all(_fields(form) == _fields(msgid) for form in forms), f"placeholders differ: {msgid!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_committed_mo_files_are_compiled_from_the_po_files(lang):
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue(lang))
    committed = (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes()
    assert committed == compiled.getvalue(), "run `make i18n` and commit the .mo files"


def test_translation_loads_the_catalogues_and_falls_back_to_french():
    assert translation("fr").gettext("Dashboard") == "Tableau de bord"
    assert translation("en").gettext("Dashboard") == "Dashboard"
    assert translation("de").gettext("Dashboard") == "Tableau de bord"
    assert translation("fr") is translation("fr")  # cached
    blocking = "The workbook has {count} blocking problem.", "The workbook has {count} blocking problems."
    assert translation("fr").ngettext(*blocking, 1) == "Le classeur a {count} problème bloquant."
    assert translation("fr").ngettext(*blocking, 3) == "Le classeur a {count} problèmes bloquants."
    assert translation("en").ngettext(*blocking, 3) == blocking[1]
    assert translation("fr").pgettext("measure status", "Blocked") == "Bloqué"
    assert translation("fr").pgettext("deferral reason", "Blocked") == "Bloquée"


def _spaces(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_numbers_percentages_and_dates_follow_the_locale():
    assert _spaces(format_number(1234.54, "fr")) == "1 234,5"
    assert format_number(1234.54, "en") == "1,234.5"
    assert format_number(2.0, "en", 0) == "2"
    assert _spaces(format_percent(0.42, "fr")) == "42 %"
    assert format_percent(0.42, "en") == "42%"
    assert format_day(dt.date(2026, 11, 30), "fr") == "30 nov. 2026"
    assert format_day(dt.date(2026, 11, 30), "en") == "30 Nov 2026"
    assert format_day(dt.date(2026, 11, 30), "xx") == "30 nov. 2026"
    assert format_day(dt.date(2026, 11, 30), "fr", style="long") == "30 novembre 2026"


def test_a_day_without_its_year_and_tick_labels_keep_the_tables_style():
    """One date style (issue 18): the charts' and the deck's short labels are the tables' medium date
    without its year, the year written on the first label and where it changes; never ``21/12``."""
    assert format_short_day(dt.date(2026, 12, 21), "fr") == "21 déc."
    assert format_short_day(dt.date(2026, 12, 21), "en") == "21 Dec"
    sprints = [dt.date(2026, 11, 30) + dt.timedelta(days=14 * n) for n in range(5)]
    assert format_days(sprints, "fr") == ["30 nov. 2026", "14 déc.", "28 déc.", "11 janv. 2027", "25 janv."]
    assert format_days(sprints, "en") == ["30 Nov 2026", "14 Dec", "28 Dec", "11 Jan 2027", "25 Jan"]
    assert OFFICE_DATE_FORMATS == {"fr": "[$-40C]d mmm", "en": "[$-809]d mmm"}  # months named in the deck's language


@pytest.mark.parametrize(
    ("first", "last", "most", "expected"),
    [
        # the default 13-week horizon, from a Monday: every two sprints; six weeks with room for 4: every sprint
        (dt.date(2026, 11, 30), dt.date(2027, 2, 28), 6, ["2026-11-30", "2026-12-28", "2027-01-25", "2027-02-22"]),
        (dt.date(2026, 11, 30), dt.date(2027, 1, 10), 4, ["2026-11-30", "2026-12-14", "2026-12-28"]),
        # weeks start on the first Monday of the axis
        (dt.date(2026, 12, 2), dt.date(2026, 12, 23), 6, ["2026-12-07", "2026-12-14", "2026-12-21"]),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 3), 6, ["2026-12-01", "2026-12-02", "2026-12-03"]),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 1), 6, ["2026-12-01"]),
        # three years: first days of quarters, then half-years
        (
            dt.date(2024, 1, 15),
            dt.date(2025, 6, 30),
            6,
            ["2024-04-01", "2024-07-01", "2024-10-01", "2025-01-01", "2025-04-01"],
        ),
        (
            dt.date(2024, 1, 15),
            dt.date(2026, 12, 31),
            6,
            ["2024-07-01", "2025-01-01", "2025-07-01", "2026-01-01", "2026-07-01"],
        ),
    ],
)
def test_date_ticks_fit_the_axis(first, last, most, expected):
    assert [d.isoformat() for d in date_ticks(first, last, most=most)] == expected
    assert [d.isoformat() for d in date_ticks(last, first, most=most)] == expected


def test_a_date_axis_carries_its_labels_as_text():
    axis = date_axis([dt.date(2026, 12, 28), None, dt.date(2026, 11, 30), dt.date(2027, 2, 28)], "fr")
    assert axis["tickmode"] == "array" and axis["type"] == "date"
    assert axis["ticktext"] == ["30 nov. 2026", "28 déc.", "25 janv. 2027", "22 févr."]
    assert [t.date() for t in axis["tickvals"]] == date_ticks(dt.date(2026, 11, 30), dt.date(2027, 2, 28))
    assert date_axis([None], "en") == {}


@pytest.mark.parametrize(
    ("size", "fr", "en"),
    [
        (512, "512 o", "512 B"),
        (18_700, "18,7 Ko", "18.7 KB"),
        (197_059, "197,1 Ko", "197.1 KB"),
        (2_500_000, "2,5 Mo", "2.5 MB"),
    ],
)
def test_a_file_size_reads_in_each_language(size, fr, en):
    """As Streamlit's uploader counts (1 KB = 1 000 bytes), with the language's decimal separator."""
    assert _spaces(format_size(size, "fr")) == fr
    assert _spaces(format_size(size, "en")) == en


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)


def _interface_texts(app: AppTest) -> list[str]:
    """What the interface itself says (not the workbook's data): headings, labels, column names."""
    texts = [e.value for e in (*app.header, *app.subheader)]
    texts += [e.value for e in app.title[1:]] if app.title else []  # the dashboard's title is the establishment
    texts += [m.label for m in app.metric]
    for kind in ("button", "selectbox", "multiselect", "number_input", "text_input", "date_input", "radio"):
        texts += [w.label for w in app.get(kind)]
    texts += [b.proto.label for b in app.get("download_button")]
    texts += [str(c) for d in app.dataframe for c in d.value.columns]
    return texts


@pytest.fixture
def data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REMPART_DATABASE_URL", raising=False)
    return tmp_path


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_both_languages(data_dir, page, lang):
    app = _app().run()
    app.radio(key="lang").set_value(lang).run()
    if page != PAGES[0]:
        app.switch_page(page).run()
    assert not app.exception
    assert app.title, "the page has a title"
    if lang == "en":
        french = [text for text in _interface_texts(app) if FRENCH.search(text)]
        assert not french, f"French left in English on {page}: {french}"


def test_english_interface_on_the_dashboard(data_dir):
    app = _app().run()
    assert app.radio(key="lang").value == "fr"
    assert app.radio(key="lang").label == "Langue"
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.radio(key="lang").label == "Language"
    assert app.number_input(key="horizon").label == "Horizon (weeks)"
    assert [h.value for h in app.sidebar.header] == ["Workbook", "Programme"]
    assert [m.label for m in app.metric][:3] == ["Measures done", "Effort done", "Residual risk now"]
    assert "%" in app.metric[1].value and " %" not in app.metric[1].value.replace("\u202f", " ")
    assert [h.value for h in app.subheader] == ["Late or blocked", "Deferred measures: a decision is needed"]
    assert app.caption[0].value.startswith("Compressed plan from 30 Nov 2026 to ")


def test_language_from_the_query_string_on_first_load(data_dir):
    app = _app()
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert app.radio(key="lang").value == "en"
    assert app.metric[0].label == "Measures done"
    app.switch_page("app_pages/plan.py").run()
    assert app.title[0].value == "Sprint plan"


def test_switching_language_keeps_the_options(data_dir):
    app = _app().run()
    app.number_input(key="horizon").set_value(4).run()
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.number_input(key="horizon").value == 4
    app.radio(key="lang").set_value("fr").run()
    assert app.number_input(key="horizon").value == 4
    assert app.metric[0].label == "Mesures réalisées"


def test_exports_follow_the_interface_language(data_dir):
    app = _app().run()
    app.radio(key="lang").set_value("en").run()
    app.switch_page("app_pages/exports.py").run()
    assert not app.exception
    assert app.get("button_group")[0].value == ["en"] or app.get("button_group")[0].value == "en"
    assert app.get("download_button")[0].proto.label.startswith("Download rempart_")  # one click, no "Prepare"
    from app_pages.export_files import build, payload
    from roadmap import exports

    context = app.session_state["context"]
    deck = payload(build("pptx", "en", context.data, context.name, ("en",), dt.date(2026, 11, 30), context.analysis))
    assert exports.deck_outline(deck)[1] == "Executive summary"
