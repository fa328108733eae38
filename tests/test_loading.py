"""The loader: the §4 format in French and English, and one broken workbook per defect."""

import datetime as dt

import pytest
from conftest import CORPUS, MEASURE_HEADERS, RISK_HEADERS, SAMPLE, measure, small_sheets, workbook_bytes

from roadmap.errors import InvalidWorkbookError, NotASpreadsheetError, WorkbookError
from roadmap.importing.load import load_roadmap, load_workbook
from roadmap.models import Priority, Status


def test_small_workbook_loads_without_issue(small_workbook):
    result = load_workbook(small_workbook, filename="small.xlsx")
    assert result.issues == ()
    roadmap = result.roadmap
    assert [m.id for m in roadmap.measures] == ["M1", "M2", "M3", "M4"]
    m4 = roadmap.measure_by_id["M4"]
    assert (m4.status, m4.progress, m4.max_crew, m4.remaining_effort) == (Status.IN_PROGRESS, 50.0, 2, 5.0)
    assert roadmap.measure_by_id["M2"].depends_on == ("M1",)
    assert roadmap.measure_by_id["M3"].status is Status.DONE and roadmap.measure_by_id["M3"].progress == 100
    r1, r2 = roadmap.risks
    assert (r1.likelihood, r1.severity, r1.target_level) == (4, 3, 1)
    assert (r2.inherent, r2.target_level) == (12, 0)
    reseau = roadmap.team_by_name["Réseau"]
    assert reseau.daily_capacity == pytest.approx(2 * 1.0 + 5 / 5)
    assert roadmap.team_by_name["Systèmes"].availability == 0.5
    assert roadmap.settings.start_date == dt.date(2026, 11, 30)
    assert result.sheets == {"Mesures": "measures", "Risques": "risks", "Équipes": "teams", "Paramètres": "settings"}


def test_english_headers_and_sheet_names():
    sheets = {
        "Measures": [
            [
                "Ref",
                "Title",
                "Team",
                "Effort (person-days)",
                "Status",
                "Progress (%)",
                "Priority",
                "Depends on",
                "Mitigates",
            ],
            [1.1, "Enforce MFA", "Ops", "3 d", "In progress", 0.5, "High", None, "R1:0.5"],
            [2, "Patch VPN", "Ops", 2, "To do", None, "P1", "1.1", "R1"],
        ],
        "Risks": [["ID", "Scenario", "Likelihood", "Severity"], ["R1", "Phishing", 4, 4]],
        "Teams": [["Team", "FTE", "Availability (%)"], ["Ops", 2, 0.5]],
    }
    result = load_workbook(workbook_bytes(sheets), filename="en.xlsx")
    assert result.ok, result.issues
    ids = [m.id for m in result.roadmap.measures]
    assert ids == ["1.1", "2"]  # numeric IDs stay as people wrote them
    first, second = result.roadmap.measures
    assert first.effort_days == 3 and first.progress == 50 and first.priority is Priority.P2
    assert second.depends_on == ("1.1",)
    assert [i.message for i in result.issues] == ["no effectiveness given for R1; 0.5 assumed"]


def test_csv_with_semicolons_and_cp1252():
    text = "ID;Mesure;Équipe;Charge (j.h);Statut\r\nA1;Activer la MFA;Sys;1,5;À faire\r\n"
    result = load_workbook(text.encode("cp1252"), filename="mesures.csv")
    (m,) = result.roadmap.measures
    assert (m.id, m.title, m.effort_days) == ("A1", "Activer la MFA", 1.5)
    assert any("no Teams sheet" in i.message for i in result.issues)


def _issues(rows, **changes):
    sheets = small_sheets(rows)
    sheets.update(changes)
    result = load_workbook(workbook_bytes(sheets), filename="broken.xlsx")
    return [(i.severity, i.sheet, i.row, i.column, i.message) for i in result.issues]


BROKEN = [
    pytest.param(
        [measure("M1", status="Presque")],
        ("warning", "Mesures", 2, "Statut", "unknown status 'Presque' in 1 row (row 2): read as to do"),
        id="status",
    ),
    pytest.param(
        [measure("M1", effort="beaucoup")],
        ("error", "Mesures", 2, "Charge (j.h)", "expected an effort in person-days"),
        id="effort",
    ),
    pytest.param(
        [measure("M1", effort=None, priority="P1")],
        ("warning", "Mesures", 2, "Charge (j.h)", "no effort given; 8 person-days assumed for a P1 measure"),
        id="effort-missing",
    ),
    pytest.param(
        [measure("M1", progress=140)],
        ("error", "Mesures", 2, "Avancement (%)", "expected a percentage between 0 and 100"),
        id="progress",
    ),
    pytest.param([measure("M1", team="Inconnue")], ("error", "Mesures", 2, "Équipe", "unknown team"), id="team"),
    pytest.param(
        [measure("M1", depends="M9")],
        ("error", "Mesures", 2, "Dépend de", "unknown prerequisite M9"),
        id="prerequisite",
    ),
    pytest.param(
        [measure("M1", mitigates="R9:0.5")], ("error", "Mesures", 2, "Risques traités", "unknown risk R9"), id="risk"
    ),
    pytest.param(
        [measure("M1"), measure("M1")],
        ("error", "Mesures", 3, "ID", "duplicate ID; first used on row 2"),
        id="duplicate",
    ),
    pytest.param(
        [measure(None, "Sans identifiant")], ("error", "Mesures", 2, "ID", "this measure has no ID"), id="no-id"
    ),
    pytest.param(
        [measure("M1", end="31/02/2027")], ("error", "Mesures", 2, "Fin prévue", "this date does not exist"), id="date"
    ),
    pytest.param(
        [measure("M1", end="03/04/2027")],
        (
            "warning",
            "Mesures",
            1,
            "Fin prévue",
            "dates written nn/nn/yyyy whose order (day/month) cannot be told from the column; they are read "
            "day first (31/03/2027)",
        ),
        id="ambiguous-date",
    ),
    pytest.param(
        [measure("M1", crew=0)], ("error", "Mesures", 2, "Personnes max", "expected a whole number ≥ 1"), id="crew"
    ),
]


@pytest.mark.parametrize(("rows", "expected"), BROKEN)
def test_one_broken_workbook_per_defect(rows, expected):
    assert _issues(rows) == [expected]


def test_dependency_cycle_names_the_whole_cycle():
    rows = [measure("A", depends="C"), measure("B", depends="A"), measure("C", depends="B"), measure("D")]
    (issue,) = _issues(rows)
    assert issue[:4] == ("error", "Mesures", 2, "Dépend de")
    assert issue[4].startswith("dependency cycle: ")
    assert set(issue[4].removeprefix("dependency cycle: ").split(" → ")) == {"A", "B", "C"}


def test_every_problem_is_reported_at_once():
    rows = [measure("M1", status="?", effort="x"), measure("M2", team="Z", depends="M7")]
    assert len(_issues(rows)) == 4


def test_bad_risk_scale_names_the_cell():
    risks = [["ID", "Scénario", "Vraisemblance", "Gravité"], ["R1", "x", 7, "G2"], ["R2", "y", "V2", None]]
    issues = _issues([measure("M1", mitigates="R2:0.5")], Risques=risks)
    assert ("error", "Risques", 2, "Vraisemblance", "likelihood 7 is outside the scale 1–4") in issues
    assert ("error", "Risques", 3, "Gravité", "this risk has no severity") in issues


def test_header_below_title_rows_is_found():
    sheets = small_sheets()
    sheets["Mesures"] = [["Plan de sécurisation 2027"], [], *sheets["Mesures"]]
    result = load_workbook(workbook_bytes(sheets), filename="t.xlsx")
    assert result.ok and result.roadmap.measures[0].row == 4


def test_unknown_columns_are_kept():
    sheets = small_sheets()
    sheets["Mesures"] = [
        [*MEASURE_HEADERS, "Ticket GLPI"],
        *[[*r, f"T{n}"] for n, r in enumerate(sheets["Mesures"][1:])],
    ]
    result = load_workbook(workbook_bytes(sheets), filename="t.xlsx")
    assert result.roadmap.measures[0].extra == {"Ticket GLPI": "T0"}


def test_no_measures_sheet_says_what_to_do():
    result = load_workbook(workbook_bytes({"Feuil1": [["Nom", "Prénom"], ["a", "b"]]}), filename="x.xlsx")
    assert not result.ok
    assert "no sheet of measures" in result.errors[0].message
    assert result.sheets == {"Feuil1": None}


def test_renamed_binary_is_not_a_spreadsheet():
    with pytest.raises(NotASpreadsheetError, match="not a spreadsheet"):
        load_workbook(b"\x89PNG\r\n\x1a\n" + bytes(200), filename="photo.xlsx")
    with pytest.raises(NotASpreadsheetError):
        load_workbook(b"PK\x03\x04 truncated zip", filename="broken.xlsx")


def test_missing_file_is_a_workbook_error(tmp_path):
    with pytest.raises(WorkbookError, match="cannot read"):
        load_workbook(tmp_path / "absent.xlsx")


def test_load_roadmap_raises_with_every_issue():
    with pytest.raises(InvalidWorkbookError) as info:
        load_roadmap(workbook_bytes(small_sheets([measure("M1", effort="?")])), filename="x.xlsx")
    assert len(info.value.issues) == 1


def test_sample_workbook_is_clean_and_large_enough():
    result = load_workbook(SAMPLE)
    assert result.errors == []
    roadmap = result.roadmap
    assert len(roadmap.measures) >= 60 and len(roadmap.risks) >= 10 and len(roadmap.teams) >= 4
    assert len({m.domain for m in roadmap.measures}) >= 8
    statuses = {m.status for m in roadmap.measures}
    assert {Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED} <= statuses


def test_committed_sample_is_the_build_of_its_csv_sources(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "rebuilt.xlsx"
    subprocess.run([sys.executable, "scripts/build_sample.py", "--out", str(out)], cwd=ROOT, check=True)
    assert out.read_bytes() == SAMPLE.read_bytes(), "run `make sample` and commit data/sample/rivebelle.xlsx"


def test_formulas_without_saved_values_are_reported_with_their_cells():
    sheets = small_sheets()
    sheets["Mesures"][2][4] = "=2*3"  # the effort of M2, as a script writes it: formula, no saved value
    result = load_workbook(workbook_bytes(sheets), filename="scripted.xlsx")
    (issue,) = [i for i in result.issues if "formulas without a saved value" in i.message]
    assert issue.sheet == "Mesures" and "E3" in issue.message and "save it" in issue.hint


def test_formulas_with_saved_values_are_not_reported():
    result = load_workbook(CORPUS / "fedramp_poam_rev5.xlsx")  # 4,000 formulas whose saved result is ""
    assert not [i for i in result.issues if "formulas without a saved value" in i.message]


def test_teams_without_availability_column_are_fully_available():
    sheets = small_sheets()
    sheets["Équipes"] = [["Équipe", "ETP"], ["Systèmes", 2], ["Réseau", 1]]
    result = load_workbook(workbook_bytes(sheets), filename="x.xlsx")
    assert result.ok and result.roadmap.team_by_name["Systèmes"].availability == 1.0


def test_data_rows_longer_than_the_header_keep_their_extra_cells():
    sheets = small_sheets()
    sheets["Mesures"][1] = [*sheets["Mesures"][1], "hors en-tête"]
    result = load_workbook(workbook_bytes(sheets), filename="x.xlsx")
    assert result.roadmap.measures[0].extra == {"N": "hors en-tête"}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("Horizon (semaines)", 500, "the horizon must be 1 to 156 weeks"),
        ("Calendrier", "Mars", "unknown calendar 'MARS'"),
        ("Durée du sprint (semaines)", 0, "the sprint length must be 1 to 12 weeks"),
    ],
)
def test_settings_out_of_range_name_the_cell(key, value, message):
    sheets = small_sheets()
    sheets["Paramètres"] = [["Paramètre", "Valeur"], [key, value]]
    (issue,) = load_workbook(workbook_bytes(sheets), filename="x.xlsx").errors
    assert (issue.sheet, issue.row, issue.column, issue.message) == ("Paramètres", 2, "Valeur", message)


def test_an_empty_file_says_so():
    for data, name in (
        (b"", "vide.csv"),
        (b"\xef\xbb\xbf\r\n\r\n", "bom.csv"),
        (workbook_bytes({"Feuil1": []}), "v.xlsx"),
    ):
        (issue,) = load_workbook(data, filename=name).errors
        assert issue.message == f"'{name}' is empty: no cell holds a value"


def test_a_column_given_twice_is_reported():
    sheets = small_sheets()
    sheets["Mesures"] = [[*MEASURE_HEADERS, "Charge (j.h)"], *[[*r, 99] for r in sheets["Mesures"][1:]]]
    result = load_workbook(workbook_bytes(sheets), filename="x.xlsx")
    (issue,) = [i for i in result.issues if "appears twice" in i.message]
    assert (issue.row, issue.column) == (1, "Charge (j.h)") and "column E is read, column N" in issue.message
    assert result.roadmap.measures[0].effort_days == 4


def test_a_team_with_a_bad_fte_is_reported_once():
    sheets = small_sheets()
    sheets["Équipes"][1] = ["Systèmes", "deux", 50, 0]
    errors = load_workbook(workbook_bytes(sheets), filename="x.xlsx").errors
    assert [(i.sheet, i.column) for i in errors] == [("Équipes", "ETP")]


def test_a_status_its_progress_or_completion_date_contradicts_is_a_warning():
    """Done at 80 %, at 100 % but not done, a completion date on a measure in progress: each a
    warning naming the sheet, row and column, with a hint, in French too."""
    from roadmap.writeback import MeasureEdit, apply_edits

    edits = [
        MeasureEdit("MSG-02", status=Status.DONE, progress=80),
        MeasureEdit("AD-03", progress=100),
        MeasureEdit("SAV-01", done_date=dt.date(2026, 11, 20)),
    ]
    data, _changes = apply_edits(SAMPLE.read_bytes(), edits, filename=SAMPLE.name)
    result = load_workbook(data, filename=SAMPLE.name)
    rows = {m.id: m.row for m in result.roadmap.measures}
    found = {(i.severity, i.sheet, i.row, i.column, i.text("fr")) for i in result.issues}
    assert found == {
        (
            "warning",
            "Mesures",
            rows["MSG-02"],
            "Avancement (%)",
            (
                "statut « Fait » mais avancement à 80 : mesure comptée comme réalisée, à 100",
                "tapez 100 dans l’avancement si la mesure est terminée, ou changez son statut",
            ),
        ),
        (
            "warning",
            "Mesures",
            rows["AD-03"],
            "Statut",
            (
                "avancement à 100 % mais statut autre que « Fait » : mesure comptée comme non réalisée",
                "passez le statut à « Fait » si la mesure est terminée",
            ),
        ),
        (
            "warning",
            "Mesures",
            rows["SAV-01"],
            "Date de réalisation",
            (
                "date de réalisation (2026-11-20) sur une mesure dont le statut n’est pas « Fait » : "
                "mesure comptée comme non réalisée",
                "passez le statut à « Fait » si la mesure est terminée, sinon videz la date",
            ),
        ),
    }
    assert result.ok  # warnings, not blocking


def _five_point_register(settings_rows=()):
    sheets = small_sheets()
    sheets["Risques"] = [RISK_HEADERS, *([f"R{n}", f"Scénario {n}", n, 6 - n, ""] for n in range(1, 6))]
    sheets["Paramètres"] = [*sheets["Paramètres"], *settings_rows]
    return load_workbook(workbook_bytes(sheets), filename="risques-5.xlsx")


def test_a_five_point_risk_register_is_read_on_a_1_to_5_scale_said_once():
    """Levels up to 5 with no scale in the Settings: read on 1–5 (not 5 errors and a refused
    import), one warning per scale; the heat maps and scores follow the settings' scale."""
    result = _five_point_register()
    assert result.ok, [i.message for i in result.issues if i.severity == "error"]
    settings = result.roadmap.settings
    assert (settings.likelihood_scale, settings.severity_scale) == (5, 5)
    assert [(r.likelihood, r.severity) for r in result.roadmap.risks] == [(n, 6 - n) for n in range(1, 6)]
    notes = [i for i in result.issues if "read on a scale of 1 to 5" in i.message]
    assert [i.column for i in notes] == ["Vraisemblance", "Gravité"]
    assert "Échelle de vraisemblance" in notes[0].text("fr")[1]


def test_a_scale_set_in_the_settings_is_kept_and_a_level_above_it_refused():
    result = _five_point_register([["Échelle de vraisemblance", 4]])
    assert result.roadmap.settings.likelihood_scale == 4 and result.roadmap.settings.severity_scale == 5
    assert any(i.message == "likelihood 5 is outside the scale 1–4" for i in result.issues if i.severity == "error")


def test_links_without_effectiveness_on_every_row_are_one_warning_naming_the_rows():
    """A column of bare risk IDs (``R1; R2`` on each row): one warning for all the links, not one per
    link (a few are still named one by one, at their cell)."""
    rows = [measure(f"M{n}", mitigates="R1; R2") for n in range(1, 6)]
    sheets = small_sheets(rows)
    result = load_workbook(workbook_bytes(sheets), filename="liens.xlsx")
    notes = [i for i in result.issues if i.message.startswith("no effectiveness given")]
    assert [i.message for i in notes] == [
        "no effectiveness given for 10 links to risks (rows 2, 3, 4, 5, 6); 0.5 assumed for each"
    ]
    assert notes[0].row == 2 and notes[0].column == "Risques traités"
    assert notes[0].text("fr")[0].startswith("aucune efficacité donnée pour 10 liens vers des risques (lignes 2, 3")
    assert all(len(m.mitigates) == 2 and m.mitigates[0].effectiveness == 0.5 for m in result.roadmap.measures)
