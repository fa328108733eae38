"""The importer's issues in French and English: every message and hint built by the loader and
the cell parsers is a translated template with its placeholders filled, and the Données page
shows the validation report in the interface's language."""

from __future__ import annotations

import pytest
from conftest import CORPUS, ROOT, measure, shown, small_sheets, workbook_bytes
from streamlit.testing.v1 import AppTest
from test_i18n import IMPORTER, KEYWORDS, _catalogue
from test_loading import BROKEN

from roadmap.errors import CellValueError
from roadmap.importing.load import condense_issues, load_workbook
from roadmap.importing.values import (
    parse_bool,
    parse_date,
    parse_effort,
    parse_int,
    parse_level_name,
    parse_mitigations,
    parse_number,
    parse_percent,
    parse_priority,
    parse_quarter,
    parse_scale_level,
    parse_status,
)
from roadmap.models import Issue


def _with(**changes):
    sheets = small_sheets([measure("M1"), measure("M2", depends="M1")])
    sheets.update(changes)
    return sheets


EXTRA_WORKBOOKS = {
    "cycle": small_sheets([measure("M1", depends="M2"), measure("M2", depends="M1")]),
    "no-title": small_sheets([[None if n == 1 else cell for n, cell in enumerate(measure("M1"))]]),
    "no-team": small_sheets([measure("M1", team=None)]),
    "mitigation": small_sheets([measure("M1", mitigates="R1; R2:1.5; :0.3")]),
    "risks": _with(
        Risques=[
            ["ID", "Scénario", "Vraisemblance", "Gravité"],
            ["R1", "a", "V9", "Grave"],
            ["R1", "b", 3, "G7"],
            [None, "c", 2, 2],
            ["R3", "d", None, "Peut-être"],
            ["R4", "e", 2.5, 2],
        ]
    ),
    "teams": _with(
        Équipes=[
            ["Équipe", "ETP", "Disponibilité (%)", "Renfort (j.h/semaine)"],
            ["Systèmes", 0, 1, 0],
            [None, 1, 1, 0],
            ["Réseau", 1, 1, -3],
            ["Réseau", 1, 1, 0],
        ]
    ),
    "settings": _with(
        Paramètres=[
            ["Paramètre", "Valeur"],
            ["Horizon (semaines)", 400],
            ["Durée du sprint (semaines)", 20],
            ["Calendrier", "Atlantide"],
            ["Couleur préférée", "bleu"],
            ["Date de début", "bientôt"],
        ]
    ),
    "no-teams-sheet": {name: rows for name, rows in small_sheets([measure("M1")]).items() if name != "Équipes"},
    "no-risks-sheet": {
        name: rows for name, rows in small_sheets([measure("M1", mitigates=None)]).items() if name != "Risques"
    },
    "no-measures-sheet": {"Feuil1": [["Nom", "Adresse"], ["a", "b"]]},
    "empty-measures": {"Mesures": [["ID", "Mesure", "Équipe"]]},
    "repeated-header": small_sheets([measure("M1"), ["ID", "Mesure", "Équipe"]]),
    "ignored-sheet": _with(Notes=[["Quelque chose"]]),
    "many-errors": small_sheets([measure(f"M{n}", status="Presque") for n in range(30)]),
}


def _workbooks():
    for param in BROKEN:
        (rows, _expected), name = param.values, param.id
        yield f"loading-{name}", workbook_bytes(small_sheets(rows)), "broken.xlsx"
    for name, sheets in EXTRA_WORKBOOKS.items():
        yield name, workbook_bytes(sheets), "broken.xlsx"
    for path in sorted(CORPUS.glob("*.*")):
        if path.suffix in {".xlsx", ".csv", ".ods"}:
            yield f"corpus-{path.name}", path.read_bytes(), path.name


WORKBOOKS = list(_workbooks())

BAD_CELLS = [
    (parse_number, True),
    (parse_number, float("inf")),
    (parse_number, "trois"),
    (parse_effort, "beaucoup"),
    (parse_effort, "1.2.3 j"),
    (parse_effort, 0),
    (parse_effort, 1e9),
    (parse_int, 0.5),
    (parse_percent, 140),
    (parse_date, 12),
    (parse_date, "31/02/2027"),
    (parse_date, "bientôt"),
    (parse_quarter, "2027"),
    (parse_status, "Presque"),
    (parse_priority, "P9"),
    (parse_mitigations, ":0.5"),
    (parse_mitigations, "R1:1.5"),
    (parse_mitigations, "R1:abc %"),
    (parse_mitigations, "R1:0"),
    (parse_bool, "peut-être"),
    (parse_level_name, "énorme"),
    (lambda v: parse_scale_level(v, kind="likelihood"), "2,5"),
    (lambda v: parse_scale_level(v, kind="severity"), "-1"),
    (lambda v: parse_scale_level(v, kind="likelihood"), "bof"),
    (lambda v: parse_scale_level(v, kind="severity"), "bof"),
    (lambda v: parse_scale_level(v, kind="likelihood"), 7),
    (lambda v: parse_scale_level(v, kind="severity"), 7),
]


def _assert_translated(issue: Issue) -> None:
    assert issue.template, f"no template: {issue.message!r}"
    assert issue.text("en") == (issue.message, issue.hint), "English is the text the CLI prints"
    for english, french in zip(issue.text("en"), issue.text("fr"), strict=True):
        if english:
            assert french != english, f"not translated: {english!r}"
            assert "{" not in french, f"placeholder left: {french!r}"


def _issues(data: bytes, filename: str) -> list[Issue]:
    result = load_workbook(data, filename=filename)
    return [*result.issues, *condense_issues(result.issues)]


def test_the_broken_workbooks_give_many_kinds_of_issue():
    templates = {issue.template for _, data, filename in WORKBOOKS for issue in _issues(data, filename)}
    assert len(templates) >= 35, sorted(templates)


@pytest.mark.parametrize(("name", "data", "filename"), WORKBOOKS, ids=[w[0] for w in WORKBOOKS])
def test_every_issue_has_a_french_text_with_its_placeholders_filled(name, data, filename):
    issues = _issues(data, filename)
    assert issues, f"{name} gives no issue"
    for issue in issues:
        _assert_translated(issue)


@pytest.mark.parametrize(("parser", "raw"), BAD_CELLS)
def test_every_cell_error_is_a_translated_template(parser, raw):
    with pytest.raises(CellValueError) as caught:
        parser(raw)
    error = caught.value
    _assert_translated(
        Issue(
            severity="error",
            message=error.message,
            hint=error.hint,
            template=error.template,
            hint_template=error.hint_template,
            params=error.params,
        )
    )


def test_every_importer_template_has_a_french_text_unlike_the_english():
    from babel.messages.extract import extract_from_file

    catalogue = _catalogue("fr")
    templates = {m[1] for path in IMPORTER for m in extract_from_file("python", ROOT / path, keywords=KEYWORDS)}
    assert len(templates) > 100
    same = [t for t in templates if catalogue.get(t).string == t]
    assert set(same) <= {"ID"}  # a field's label written the same in French


def test_issue_text_and_describe_in_both_languages():
    result = load_workbook(workbook_bytes(small_sheets([measure("M1", depends="M9")])), filename="b.xlsx")
    (issue,) = result.issues
    assert issue.text("fr") == ("prérequis M9 inconnu", "indiquez l’identifiant d’une autre mesure")
    assert issue.describe() == (
        "[error] sheet 'Mesures', row 2, column 'Dépend de': unknown prerequisite M9 (value: 'M9')"
        " — use the ID of another measure"
    )
    assert issue.describe("fr") == (
        "[erreur] feuille « Mesures », ligne 2, colonne « Dépend de » : prérequis M9 inconnu"
        " (valeur : 'M9') — indiquez l’identifiant d’une autre mesure"
    )
    plain = Issue(severity="warning", message="made in code", hint="nothing")
    assert plain.text("fr") == ("made in code", "nothing")


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)


@pytest.mark.parametrize(
    ("lang", "columns", "expected"),
    [
        (
            "fr",
            ("Problème", "Correction"),
            ("charge en jours-homme attendue", "saisissez un nombre de jours comme 3, 1,5, 3 j ou 2 sem"),
        ),
        ("en", ("Problem", "Fix"), ("expected an effort in person-days", "type a number of days such as 3, 1,5, 3 j")),
    ],
)
def test_the_data_page_reports_issues_in_the_interface_language(monkeypatch, tmp_path, lang, columns, expected):
    from app_pages import context

    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REMPART_DATABASE_URL", raising=False)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook_bytes(small_sheets([measure("M1", effort="beaucoup")])))
    monkeypatch.setattr(context, "SAMPLE", broken)
    app = _app().run()
    if lang != "fr":
        app.radio(key="lang").set_value(lang).run()
    else:
        assert app.radio(key="lang").value == "fr", "French by default"
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    report = next(shown(d) for d in app.dataframe if columns[0] in d.value.columns)
    problem, fix = report[columns[0]].tolist(), report[columns[1]].tolist()
    assert problem == [expected[0]]
    assert fix[0].startswith(expected[1])
