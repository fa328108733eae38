"""Layouts of a second blind check (issue 15): due dates written as a period or with a month name,
efforts in Spanish, Portuguese and German words under qualified headers, ITSM states and ranked
priorities, compliance answers, a ServiceNow export whose dates are text, totals rows labelled in a
title cell. Every workbook is built here; none is a copy of a real file."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import workbook_bytes

from roadmap.importing.columns import MEASURE_COLUMNS, match_field
from roadmap.importing.load import load_workbook
from roadmap.importing.periods import parse_named_date, parse_period
from roadmap.importing.values import parse_date, parse_effort, parse_priority, parse_status
from roadmap.models import Priority, Status


def _load(rows, name="Plan", **sheets):
    return load_workbook(workbook_bytes({name: rows, **sheets}), filename="plan.xlsx")


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("T2 2025", dt.date(2025, 6, 30)),
        ("Q3-2025", dt.date(2025, 9, 30)),
        ("2025-Q4", dt.date(2025, 12, 31)),
        ("2e trimestre 2026", dt.date(2026, 6, 30)),
        ("S2 2025", dt.date(2025, 12, 31)),
        ("H1 2026", dt.date(2026, 6, 30)),
        ("fin 2025", dt.date(2025, 12, 31)),
        ("end of 2025", dt.date(2025, 12, 31)),
        ("juin 2025", dt.date(2025, 6, 30)),
        ("abr/2025", dt.date(2025, 4, 30)),
        ("Sept. 2025", dt.date(2025, 9, 30)),
        ("02/2024", dt.date(2024, 2, 29)),
    ],
)
def test_a_period_is_read_as_its_last_day_or_its_first(text, end):
    assert parse_date(text) == end
    assert parse_period(text)[1] == end
    assert parse_date(text, period_end=False) == parse_period(text)[0]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("30-Jun-2025", dt.date(2025, 6, 30)),
        ("14-Feb-25", dt.date(2025, 2, 14)),
        ("3 mars 2027", dt.date(2027, 3, 3)),
        ("15. März 2025", dt.date(2025, 3, 15)),
        ("30 de junio de 2025", dt.date(2025, 6, 30)),
    ],
)
def test_a_date_with_its_month_name_in_five_languages(text, day):
    assert parse_named_date(text) == day
    assert parse_date(text) == day


def test_not_periods():
    assert parse_period("TBD") is None and parse_period("Q5 2025") is None and parse_period(2025) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("2 semanas", 10),
        ("3 días", 3),
        ("1 mes", 20),
        ("medio día", 0.5),
        ("5 jornadas", 5),
        ("una semana", 5),
        ("um mês", 20),
        ("zwei Wochen", 10),
        ("3 Tage", 3),
        ("80 man-hours", 80 / 7),
    ],
)
def test_efforts_in_spanish_portuguese_and_german_words(text, days):
    assert parse_effort(text) == pytest.approx(days)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Est. effort", "effort_days"),
        ("Esfuerzo estimado", "effort_days"),
        ("Geschätzter Aufwand", "effort_days"),
        ("short_description", "title"),
        ("number", "id"),
        ("Lfd. Nr.", "id"),
        ("Conforme ?", "status"),
        ("Zieltermin", "due_date"),
        ("Umsetzungsgrad", "progress"),
    ],
)
def test_headers_of_real_trackers(header, field):
    assert match_field(header, MEASURE_COLUMNS) == field


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Scheduled", Status.NOT_STARTED),
        ("Assess", Status.NOT_STARTED),
        ("Implement", Status.IN_PROGRESS),
        ("Review", Status.IN_PROGRESS),
        ("Closed Complete", Status.DONE),
        ("Closed Skipped", Status.CANCELLED),
        ("in Umsetzung", Status.IN_PROGRESS),
        ("Descartado", Status.CANCELLED),
        ("No action required", Status.CANCELLED),
        ("Awaiting User Info", Status.BLOCKED),
    ],
)
def test_itsm_and_plan_statuses(value, status):
    assert parse_status(value) is status


@pytest.mark.parametrize(
    ("value", "priority"),
    [
        ("1 - Critical", Priority.P1),
        ("2 - High", Priority.P2),
        ("3 - Moderate", Priority.P3),
        ("5 - Planning", Priority.P4),
    ],
)
def test_ranked_priorities_of_itsm_tools(value, priority):
    assert parse_priority(value) is priority


def test_due_dates_as_periods_plan_and_are_reported_once():
    rows = [
        ["Plan d'actions SSI 2025"],
        [],
        ["N°", "Action", "Pilote", "Échéance", "Charge (j/h)", "Statut"],
        ["1.1", "Mettre à jour la PSSI", "RSSI", "T2 2025", 3, "En cours"],
        ["1.2", "Déployer la MFA sur le VPN", "DSN", dt.date(2025, 9, 30), 5, "Non démarré"],
        ["1.3", "Tester la restauration du DPI", "DSN", "fin 2026", 2, "Non démarré"],
        ["1.4", "Cloisonner le réseau biomédical", "DSN", "à définir", 8, "Non démarré"],
    ]
    result = _load(rows)
    assert result.ok, [i.message for i in result.errors]
    due = {m.id: m.due_date for m in result.roadmap.measures}
    assert due == {
        "1.1": dt.date(2025, 6, 30),
        "1.2": dt.date(2025, 9, 30),
        "1.3": dt.date(2026, 12, 31),
        "1.4": None,
    }
    periods = [i for i in result.issues if "are periods" in i.message]
    assert len(periods) == 1 and periods[0].message.startswith("2 dates of column 'Échéance'")
    (undated,) = [i for i in result.issues if i.row == 7 and i.column == "Échéance"]
    assert undated.severity == "warning" and "read without this date" in undated.message


def test_a_servicenow_export_reads_short_description_not_the_text_dates():
    rows = [["number", "sys_created_on", "short_description", "state", "priority", "assignment_group"]]
    states = ["New", "Assess", "Scheduled", "Implement", "Review", "Closed", "Canceled"]
    for i in range(14):
        rows.append(
            [
                f"CHG00{3000 + i}",
                f"2025-01-{i + 1:02d} 10:{i:02d}:00",
                f"Disable TLS 1.0 on server SRV-{i:02d}",
                states[i % len(states)],
                ["1 - Critical", "2 - High", "3 - Moderate", "4 - Low"][i % 4],
                "Windows Server Team",
            ]
        )
    result = load_workbook("\n".join(",".join(r) for r in rows).encode(), filename="change_request.csv")
    assert result.ok
    first = result.roadmap.measures[0]
    assert (first.id, first.title, first.priority) == ("CHG003000", "Disable TLS 1.0 on server SRV-00", Priority.P1)
    assert [m.status for m in result.roadmap.measures[:7]] == [
        Status.NOT_STARTED,
        Status.NOT_STARTED,
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        Status.IN_PROGRESS,
        Status.DONE,
        Status.CANCELLED,
    ]
    assert not result.unknown_values


def test_a_text_date_column_is_never_the_title():
    rows = [["Ref", "Logged", "Owner"]] + [[f"R{i}", f"2025-02-{i + 1:02d} 08:30:00", "IT"] for i in range(10)]
    result = _load(rows)
    assert result.columns.get("Logged") != "title"


def test_a_compliance_checklist_reads_its_answers_as_statuses():
    rows = [
        ["Autodiagnostic hygiène"],
        ["N°", "Mesure", "Conforme ?", "Charge estimée"],
        ["I - Sensibiliser et former"],
        [1, "Former les équipes opérationnelles à la SSI", "Oui", ""],
        [2, "Sensibiliser les utilisateurs aux bonnes pratiques", "Non", "2 jours"],
        [3, "Maîtriser les risques de l'infogérance", "Partiel", "1 semaine"],
        [4, "Identifier les serveurs les plus sensibles", "N/A", ""],
    ]
    result = _load(rows)
    assert [m.status for m in result.roadmap.measures] == [
        Status.DONE,
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        Status.CANCELLED,
    ]
    assert [m.effort_days for m in result.roadmap.measures][1:3] == [2, 5]


def test_an_effort_in_words_under_a_qualified_header():
    rows = [["ID", "Outcome", "Est. effort", "Action status"]]
    efforts = ["2 days", "1 week", "half a day", "3 weeks"]
    for i, effort in enumerate(efforts):
        rows.append([f"GV.OC-0{i + 1}", f"Stakeholders are understood, part {i}", effort, "Not started"])
    result = _load(rows)
    assert [m.effort_days for m in result.roadmap.measures] == [2, 5, 0.5, 15]


def test_a_totals_row_labelled_in_the_title_cell_is_no_section():
    rows = [
        ["Lfd. Nr.", "Maßnahme", "Aufwand (PT)", "Status"],
        [1, "Sicherheitsleitlinie verabschieden", 3, "offen"],
        [2, "ISB benennen", 1, "umgesetzt"],
        [3, "Notfallhandbuch erstellen", 8, "in Umsetzung"],
        [None, "Summe Aufwand", 12, None],
    ]
    result = _load(rows)
    assert len(result.roadmap.measures) == 3
    assert any(i.row == 5 and "totals row" in i.message for i in result.issues)
    assert result.roadmap.measures[2].status is Status.IN_PROGRESS


def test_a_5w2h_plan_reads_what_who_and_when():
    rows = [
        ["Plano de ação"],
        ["Nº", "O quê? (What)", "Por quê? (Why)", "Quando? (When)", "Quem? (Who)", "Quanto? (How much)", "Situação"],
        [1, "Nomear o encarregado de dados", "LGPD art. 41", "30/04/2025", "DPO", "R$ 0,00", "Em andamento"],
        [2, "Backup offline do sistema hospitalar", "Ransomware", "mar/2025", "TI", "R$ 15.000,00", "Concluído"],
    ]
    result = _load(rows)
    assert result.ok
    first, second = result.roadmap.measures
    assert (first.title, first.owner, first.due_date) == ("Nomear o encarregado de dados", "DPO", dt.date(2025, 4, 30))
    assert (second.due_date, second.status) == (dt.date(2025, 3, 31), Status.DONE)
    assert "Quanto? (How much)" not in result.columns  # money, not an effort


def test_a_risk_register_plans_its_treatment_measures():
    rows = [["ID Riesgo", "Amenaza / Riesgo", "Probabilidad (1-5)", "Impacto (1-5)", "Medida de tratamiento", "Estado"]]
    rows += [
        ["R-001", "Ransomware en servidores de historia clínica", 4, 5, "Copias de seguridad inmutables", "Pendiente"],
        [
            "R-002",
            "Robo de credenciales por phishing",
            3,
            4,
            "Doble factor de autenticación para el correo",
            "En curso",
        ],
    ]
    result = _load(rows)
    assert [m.title for m in result.roadmap.measures] == [
        "Copias de seguridad inmutables",
        "Doble factor de autenticación para el correo",
    ]


def test_two_different_headers_of_one_field_are_named_both():
    rows = [
        ["N°", "Mesure", "Conforme ?", "Action corrective"],
        [1, "Former les équipes opérationnelles", "Non", "Planifier une formation"],
        [2, "Sensibiliser les utilisateurs", "Oui", ""],
    ]
    result = _load(rows)
    (note,) = [i for i in result.issues if "same field" in i.message]
    assert note.message == (
        "the columns 'Mesure' and 'Action corrective' name the same field: column B is read, "
        "column D is kept as an extra column"
    )


def test_a_legend_under_the_last_measure_is_a_note_not_a_section():
    rows = [
        ["N°", "Domaine", "Action", "Pilote", "Statut"],
        ["1 - Gouvernance"],
        ["1.1", "Gouvernance", "Mettre à jour la PSSI", "RSSI", "En cours"],
        ["1.2", "Gouvernance", "Constituer le COSSI", "RSSI", "Terminé"],
        [],
        ["Légende statut : Non démarré / En cours / Terminé / Abandonné"],
    ]
    messages = {i.row: i.message for i in _load(rows).issues if i.row}
    assert messages[2].startswith("row skipped: section title '1 - Gouvernance'")
    assert messages[6].startswith("row skipped: a note under the table ('Légende statut")
