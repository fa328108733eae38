"""Compliance and risk files read with no hand mapping (issue 15): ISO 27001 gap assessments and
statements of applicability, risk registers, an HDS catalogue, OWASP SAMM, NIST CSF, a FedRAMP POA&M,
scanner exports. The workbooks are built in ``grc_workbooks.py`` in the layouts public ones use; none
is a copy of a real file."""

from __future__ import annotations

import pytest
from conftest import workbook_bytes
from grc_workbooks import (
    BUILDERS,
    differences,
    fedramp_poam,
    iso_gap_assessment,
    nessus_csv,
    openvas_csv,
    risk_register,
    statement_of_applicability,
)

from roadmap.importing.grc import risk_priority
from roadmap.importing.load import load_workbook
from roadmap.importing.values import parse_status
from roadmap.models import Priority, Status


def _load(file):
    return load_workbook(file.data, filename=file.filename)


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_each_kind_gives_the_right_plan_with_no_mapping(build):
    file = build()
    assert differences(file, _load(file)) == []


def test_a_negative_applicability_or_a_false_positive_cancels_the_measure_and_says_so():
    result = _load(statement_of_applicability())
    (note,) = [i for i in result.issues if "out of scope" in i.message]
    assert note.message == (
        "2 measures are out of scope by column 'Applicable (Yes/No)' (not applicable, or a false positive): "
        "read as cancelled (rows 8, 9)"
    )
    assert (note.sheet, note.row) == ("SoA EN", 8)
    poam = _load(fedramp_poam())
    cancelled = [m.id for m in poam.roadmap.measures if m.status is Status.CANCELLED]
    assert cancelled == ["V-0004"]  # False Positive: Yes
    assert any("by column 'False Positive'" in i.message for i in poam.issues)


def test_a_risk_register_alone_is_the_plan_and_its_scores_give_the_priorities():
    result = _load(risk_register())
    assert result.sheets == {"Risk Register": "measures"}
    assert [m.priority for m in result.roadmap.measures] == [
        Priority.P1,  # 20 of 25
        Priority.P2,  # 16
        Priority.P3,  # 9
        Priority.P3,  # 8
        Priority.P4,  # 4
    ]
    (note,) = [i for i in result.issues if "from the risk" in i.message]
    assert note.message.startswith("no priority column: 5 measures take their priority from the risk")
    assert note.column == "Inherent Risk Score"
    assert [(i.row, i.message) for i in result.issues if "totals" in i.message] == [
        (11, "row skipped: a totals row, not a measure")
    ]


def test_likelihood_times_impact_gives_the_priority_when_there_is_no_score():
    rows = [
        ["Risk ID", "Risk Description", "Likelihood", "Impact", "Risk Owner", "Status"],
        ["R1", "Ransomware on the imaging servers", 5, 5, "CIO", "Open"],
        ["R2", "Laptop theft in the wards", 3, 2, "CIO", "Open"],
        ["R3", "Defacement of the public website", 1, 2, "Web lead", "Open"],
    ]
    result = load_workbook(workbook_bytes({"Risks": rows}), filename="risks.xlsx")
    assert result.ok, result.errors
    assert [m.priority for m in result.roadmap.measures] == [Priority.P1, Priority.P3, Priority.P4]


def test_rempart_risks_sheet_alone_is_not_read_as_measures():
    rows = [["ID", "Scénario", "Vraisemblance", "Gravité", "Niveau cible"], ["R1", "Rançongiciel sur le DPI", 3, 4, 2]]
    result = load_workbook(workbook_bytes({"Risques": rows}), filename="risques.xlsx")
    assert result.sheets == {"Risques": "risks"}
    assert not result.ok and result.errors[0].message.startswith("no sheet of measures")


def test_the_adjusted_risk_rating_wins_over_the_original_where_filled():
    result = _load(fedramp_poam())
    by_id = result.roadmap.measure_by_id
    assert (by_id["V-0001"].priority, by_id["V-0002"].priority) == (Priority.P2, Priority.P4)  # High; Moderate → Low


def test_risk_bands_of_a_five_by_five_matrix():
    assert [risk_priority(score / 25) for score in (25, 20, 19, 13, 12, 6, 5, 1)] == [
        Priority.P1,
        Priority.P1,
        Priority.P2,
        Priority.P2,
        Priority.P3,
        Priority.P3,
        Priority.P4,
        Priority.P4,
    ]


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("No", Status.NOT_STARTED),
        ("Yes, for some applications", Status.IN_PROGRESS),
        ("Yes, for at least half of the applications", Status.IN_PROGRESS),
        ("Yes, for most or all of the applications", Status.DONE),
        ("Yes, we did it once", Status.IN_PROGRESS),
        ("Oui, totalement", Status.DONE),
        ("Partiellement conforme", Status.IN_PROGRESS),
        ("Non conforme", Status.NOT_STARTED),
        ("Accepté", Status.CANCELLED),
    ],
)
def test_graded_answers_and_compliance_words(answer, status):
    assert parse_status(answer) is status


def test_a_finding_on_several_hosts_is_one_measure_per_host_and_said_once():
    result = _load(nessus_csv())
    assert [m.id for m in result.roadmap.measures][:2] == ["97833", "97833-2"]
    (note,) = [i for i in result.issues if "repeat" in i.message]
    assert note.severity == "warning" and note.row == 3 and note.message.endswith("ID 97833-2")


def test_an_id_column_with_one_value_is_not_the_id():
    result = _load(openvas_csv())
    assert len({m.id for m in result.roadmap.measures}) == 3  # the fourth finding is informational (Log)
    (note,) = [i for i in result.issues if "same value" in i.message]
    assert note.message.startswith("column 'Task ID' holds the same value 'task-1' on every row")


def test_a_summary_block_of_counts_under_the_table_is_not_read():
    result = _load(iso_gap_assessment())
    assert [m.id for m in result.roadmap.measures][-1] == "8.8"
    skipped = {i.row: i.message for i in result.issues if i.message.startswith("row skipped")}
    assert [skipped[r] for r in (19, 20, 21)] == ["row skipped: no title"] * 3
    assert skipped[6].startswith("row skipped: section title '5 Organizational controls'")
    domains = {m.id: m.domain for m in result.roadmap.measures}
    assert (domains["5.1"], domains["8.8"]) == ("5 Organizational controls", "8 Technological controls")


def test_a_yes_no_applicability_column_is_never_taken_for_the_status():
    rows = [
        ["Nr.", "Maßnahme", "Anwendbar", "Verantwortlich"],
        ["A.5.1", "Richtlinien festlegen und freigeben", "Ja", "ISB"],
        ["A.5.2", "Rollen und Verantwortlichkeiten festlegen", "Nein", "ISB"],
        ["A.5.3", "Aufgabentrennung sicherstellen", "Ja", "IT"],
    ]
    result = load_workbook(workbook_bytes({"SoA": rows}), filename="soa_de.xlsx")
    assert result.ok, result.errors
    assert "Anwendbar" not in result.columns
    assert [m.status for m in result.roadmap.measures] == [Status.NOT_STARTED, Status.CANCELLED, Status.NOT_STARTED]
