"""Trackers in other layouts read with no hand mapping (issue 15): headers in five languages, columns
found from their content, values outside the vocabulary once per value, efforts in hours, rows that
are not measures skipped with their reason, sheets that are not read never blocking, and what is
missing assumed and named. Every workbook is built here; none is a copy of a real file."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import workbook_bytes

from roadmap import compress_plan
from roadmap.importing.checks import DEFAULT_TEAM
from roadmap.importing.columns import MEASURE_COLUMNS, match_field
from roadmap.importing.load import load_workbook
from roadmap.models import Priority, Status


def _load(rows, name="Feuil1", **sheets):
    return load_workbook(workbook_bytes({name: rows, **sheets}), filename="tracker.xlsx")


def _messages(result):
    return [i.message for i in result.issues]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Tâche", "title"),
        ("Summary", "title"),
        ("Name", "title"),
        ("Título", "title"),
        ("Control", "title"),
        ("Maßnahme", "title"),
        ("Intitulé de la mesure *", "title"),
        ("Acteur", "owner"),
        ("Responsável", "owner"),
        ("Risk Owner", "owner"),
        ("Estado", "status"),
        ("Statut de la mesure au 1er janvier.", "status"),
        ("Statuts", "status"),  # rapidfuzz: a plural
        ("Priorite", "priority"),
        ("Prioridad", "priority"),
        ("Priorität", "priority"),
        ("Charge (h)", "effort_days"),
        ("Aufwand\n(Stunden)", "effort_days"),
        ("Task #", "id"),
        ("N° de la mesure", "id"),
        ("Thématique", "domain"),
        ("Fecha de inicio", "baseline_start"),
        ("Scheduled\nCompletion Date", "due_date"),
        ("Couleur préférée", None),
        ("DNS Name", None),
    ],
)
def test_headers_in_five_languages_name_their_field(header, field):
    assert match_field(header, MEASURE_COLUMNS) == field


def test_a_spanish_tracker_gives_a_plan_with_no_mapping():
    rows = [
        ["Plan de acción 2027"],
        [],
        ["Código", "Título", "Responsable", "Estado", "Prioridad", "Esfuerzo (h)"],
        ["A-1", "Activar MFA en el correo", "RSSI", "Cerrado", "Alta", 14],
        ["A-2", "Segmentar la red de equipos biomédicos", "Redes", "En curso", "Media", 35],
        ["A-3", "Probar la restauración de copias", "Sistemas", "Pendiente", "Baja", 7],
    ]
    result = _load(rows, name="Hoja1")
    assert result.ok, result.errors
    assert result.sheets == {"Hoja1": "measures"}
    by_id = result.roadmap.measure_by_id
    assert [m.id for m in result.roadmap.measures] == ["A-1", "A-2", "A-3"]
    assert (by_id["A-1"].status, by_id["A-1"].priority, by_id["A-1"].effort_days) == (Status.DONE, Priority.P2, 2)
    assert (by_id["A-2"].status, by_id["A-2"].priority, by_id["A-2"].effort_days) == (
        Status.IN_PROGRESS,
        Priority.P3,
        5,
    )
    assert (by_id["A-3"].status, by_id["A-3"].priority, by_id["A-3"].owner) == (
        Status.NOT_STARTED,
        Priority.P4,
        "Sistemas",
    )
    assert any("are in hours: converted to person-days at 7 h a day" in m for m in _messages(result))
    plan = compress_plan(result.roadmap, start=dt.date(2027, 1, 4))
    assert {s.id for s in plan.scheduled} == {"A-2", "A-3"}  # A-1 is done


def test_hours_use_the_working_day_of_the_settings():
    rows = [["Mesure", "Charge (heures)"], ["Chiffrer les sauvegardes", 16]]
    settings = [["Paramètre", "Valeur"], ["Heures par jour", 8]]
    result = _load(rows, name="Mesures", Paramètres=settings)
    assert result.roadmap.settings.day_hours == 8
    assert result.roadmap.measures[0].effort_days == 2
    (note,) = [i for i in result.issues if "in hours" in i.message]
    assert (note.severity, note.row, note.column) == ("warning", 1, "Charge (heures)")
    assert "8 h a day" in note.message


def test_grc_and_ticketing_statuses_and_priorities_are_known():
    statuses = ["Fully Implemented", "Not Applicable", "Open", "Fechado", "erledigt", "Partially Implemented", "New"]
    priorities = ["High", "Low", "Medium", "Alta", "hoch", "Baja", "Critical"]
    rows = [["ID", "Control", "Status", "Priority"]]
    rows += [
        [f"C{n}", f"Control number {n} of the policy", s, p]
        for n, (s, p) in enumerate(zip(statuses, priorities, strict=True))
    ]
    result = _load(rows, name="Controls")
    assert result.ok and not [i for i in result.issues if "unknown" in i.message]
    got = [(m.status, m.priority) for m in result.roadmap.measures]
    assert got == [
        (Status.DONE, Priority.P2),
        (Status.CANCELLED, Priority.P4),
        (Status.NOT_STARTED, Priority.P3),
        (Status.DONE, Priority.P2),
        (Status.DONE, Priority.P2),
        (Status.IN_PROGRESS, Priority.P4),
        (Status.NOT_STARTED, Priority.P1),
    ]


def test_unknown_values_give_one_warning_per_distinct_value_and_column_never_one_error_per_row():
    rows = [["ID", "Mesure", "Statut", "Priorité"]]
    rows += [[f"M{n}", f"Mesure numéro {n}", "Presque" if n % 3 else "Bientôt", "Énorme"] for n in range(60)]
    result = _load(rows, name="Mesures")
    assert result.ok, result.errors
    unknown = [i for i in result.issues if i.message.startswith("unknown")]
    assert [(i.severity, i.column, i.value, i.row) for i in unknown] == [
        ("warning", "Statut", "Bientôt", 2),
        ("warning", "Priorité", "Énorme", 2),
        ("warning", "Statut", "Presque", 3),
    ]
    assert unknown[2].message == "unknown status 'Presque' in 40 rows (rows 3, 4, 6, 7, 9 …): read as to do"
    assert "column 'Statut'" in unknown[2].hint and "Données" in unknown[2].hint
    assert unknown[1].message.startswith("unknown priority 'Énorme' in 60 rows")
    assert {m.status for m in result.roadmap.measures} == {Status.NOT_STARTED}
    assert {m.priority for m in result.roadmap.measures} == {Priority.P3}
    french = unknown[2].text("fr")[0]
    assert french.startswith("statut inconnu « Presque » dans 40 lignes")


def test_columns_are_inferred_from_their_content_when_headers_say_nothing():
    titles = [
        "Activer l'authentification forte sur le webmail",
        "Retirer les droits d'administration locaux",
        "Isoler les sauvegardes hors ligne",
        "Fermer les ports RDP exposés sur internet",
    ]
    rows = [["Col1", "Col2", "Col3", "Col4"]]
    rows += [
        [f"X{n}", t, s, n + 2]
        for n, (t, s) in enumerate(zip(titles, ["Fait", "En cours", "À faire", "Fait"], strict=True))
    ]
    result = _load(rows)
    assert result.ok, result.errors
    assert [m.title for m in result.roadmap.measures] == titles
    assert [m.status for m in result.roadmap.measures][:3] == [Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED]
    inferred = [(i.column, i.message) for i in result.issues if "from its content" in i.message]
    assert inferred == [
        ("Col2", "column 'Col2' read as 'Measure (title)' from its content"),
        ("Col3", "column 'Col3' read as 'Status' from its content"),
    ]
    hints = [i.hint for i in result.issues if "from its content" in i.message]
    assert "Mesure / Measure" in hints[0] and "Statut / Status" in hints[1], hints  # the format's own headers


def test_a_column_of_dates_with_n_a_is_not_read_as_a_status():
    rows = [["Plugin", "Plugin Name", "Patch Publication Date"]]
    rows += [[n, f"Weak cipher suite number {n} supported", "N/A"] for n in range(5)]
    result = _load(rows)
    assert result.ok and {m.status for m in result.roadmap.measures} == {Status.NOT_STARTED}


def test_totals_rows_are_skipped_and_named():
    rows = [
        ["ID", "Mesure", "Charge (j.h)"],
        ["M1", "Activer la MFA", 3],
        ["M2", "Durcir l'annuaire", 38],
        ["Total", None, 41],
        [None, "Somme", 41],
    ]
    result = _load(rows, name="Mesures")
    assert result.ok, result.errors
    assert [m.id for m in result.roadmap.measures] == ["M1", "M2"]
    skipped = [(i.row, i.message) for i in result.issues if "totals row" in i.message]
    assert skipped == [(4, "row skipped: a totals row, not a measure"), (5, "row skipped: a totals row, not a measure")]


def test_a_totals_row_without_a_title_does_not_block_the_import():
    rows = [["ID", "Mesure", "Charge (h)"], ["1", "Patcher le VPN", 7], [None, None, 7]]
    result = _load(rows, name="Mesures")
    assert result.ok and len(result.roadmap.measures) == 1
    assert [(i.row, i.message) for i in result.issues if "no title" in i.message] == [(3, "row skipped: no title")]


def test_section_rows_become_the_domain_of_the_rows_under_them():
    rows = [
        ["ID", "Mesure", "Équipe", "Charge (j.h)", "Statut"],
        ["Messagerie"],
        ["M1", "Activer DMARC", "Systèmes", 2, "À faire"],
        ["M2", "Filtrer les pièces jointes", "Systèmes", 3, "À faire"],
        ["Annuaire"],
        ["M3", "Réduire les comptes à privilèges", "Systèmes", 5, "En cours"],
    ]
    result = _load(rows, name="Mesures")
    assert result.ok, result.errors
    assert [(m.id, m.domain) for m in result.roadmap.measures] == [
        ("M1", "Messagerie"),
        ("M2", "Messagerie"),
        ("M3", "Annuaire"),
    ]
    sections = [(i.row, i.value) for i in result.issues if "section title" in i.message]
    assert sections == [(2, "Messagerie"), (5, "Annuaire")]


def test_summary_tasks_of_a_work_breakdown_become_domains():
    rows = [
        ["Task #", "Task", "Responsibility"],
        [1, "Prepare the assessment", None],
        [1.1, "  Write the plan", "CSP"],
        [1.2, "  Review the plan", "Agency"],
        [2, "Remediate", None],
        ["2.1", "  Patch the servers", "CSP"],
    ]
    result = _load(rows, name="WBS")
    assert result.ok, result.errors
    assert [(m.id, m.domain, m.owner) for m in result.roadmap.measures] == [
        ("1.1", "Prepare the assessment", "CSP"),
        ("1.2", "Prepare the assessment", "Agency"),
        ("2.1", "Remediate", "CSP"),
    ]
    assert [i.row for i in result.issues if "summary task" in i.message] == [2, 5]


def test_a_second_header_row_under_merged_group_headers_completes_the_header():
    rows = [
        ["ID", "Mesure", "Planning", None, "Suivi"],
        [None, None, "Début prévu", "Fin prévue", "Statut"],
        ["M1", "Activer la MFA", dt.date(2027, 1, 4), dt.date(2027, 1, 29), "En cours"],
    ]
    result = _load(rows, name="Mesures")
    assert result.ok, result.errors
    (m,) = result.roadmap.measures
    assert (m.baseline_start, m.baseline_end, m.status) == (
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 29),
        Status.IN_PROGRESS,
    )
    assert [(i.row, i.message) for i in result.issues if "second row of the header" in i.message] == [
        (2, "row read as the second row of the header (under merged group headers)")
    ]


def test_repeated_header_rows_and_stray_cells_are_skipped():
    rows = [
        ["ID", "Mesure", "Statut"],
        ["M1", "Activer la MFA", "Fait"],
        ["ID", "Mesure", "Statut"],
        ["M2", "Chiffrer les postes", "À faire"],
        [None, None, None, None, None, None, None, None, "voir annexe"],
    ]
    result = _load(rows, name="Mesures")
    assert [m.id for m in result.roadmap.measures] == ["M1", "M2"]
    reasons = {i.row: i.message for i in result.issues if i.message.startswith("row skipped")}
    assert reasons == {
        3: "row skipped: repeated header",
        5: "row skipped: a value alone on its row, right of the table",
    }


def test_a_sheet_that_is_not_read_never_blocks_the_one_that_is():
    register = [["Likely?", None, None, "Heat"], ["x", None, None, "y"]]  # several small tables, no header
    gap = [
        ["Control", "Owner", "Status"],
        ["Review firewall rules monthly", "Network team", "Open"],
        ["Encrypt laptops of the staff", "Desktop team", "Closed"],
    ]
    result = load_workbook(workbook_bytes({"Risk Register": register, "Control Gap": gap}), filename="gap.xlsx")
    assert result.ok, result.errors
    assert result.sheets == {"Risk Register": None, "Control Gap": "measures"}
    assert len(result.roadmap.measures) == 2
    (note,) = [i for i in result.issues if i.sheet == "Risk Register"]
    assert note.severity == "warning" and note.message.startswith("sheet not read: no header row")


def test_what_is_missing_is_assumed_and_named():
    rows = [["Mesure", "Priorité"], ["Activer la MFA", "P1"], ["Former les agents", "P4"], ["Inventorier", None]]
    result = _load(rows)
    assert result.ok, result.errors
    assert [(m.team, m.status, m.effort_days) for m in result.roadmap.measures] == [
        (DEFAULT_TEAM, Status.NOT_STARTED, 8.0),
        (DEFAULT_TEAM, Status.NOT_STARTED, 2.0),
        (DEFAULT_TEAM, Status.NOT_STARTED, 3.0),
    ]
    assert [t.name for t in result.roadmap.teams] == [DEFAULT_TEAM]
    messages = _messages(result)
    assert "3 measures name no team: they are given to one default team 'Équipe par défaut' of 1 FTE" in messages
    (effort,) = [m for m in messages if m.startswith("no effort column")]
    assert "3 measures" in effort and "P1 8, P2 5, P3 3, P4 2" in effort and "estimate" in effort
    assert not any(m.startswith("no effort given") for m in messages)  # one note, not one per row
    plan = compress_plan(result.roadmap, start=dt.date(2027, 1, 4))
    assert len(plan.scheduled) + len(plan.deferred) == 3


def test_a_csv_with_a_preamble_and_portuguese_headers():
    text = (
        "Relatório de ações,,\n"
        "Gerado em 2027-01-04,,\n"
        "Título,Responsável,Situação\n"
        "Ativar MFA no correio eletrónico,TI,Fechado\n"
        "Rever as contas de administrador,TI,Em andamento\n"
    )
    result = load_workbook(text.encode(), filename="acoes.csv")
    assert result.ok, result.errors
    assert [(m.owner, m.status) for m in result.roadmap.measures] == [("TI", Status.DONE), ("TI", Status.IN_PROGRESS)]


def test_the_word_example_inside_an_address_does_not_make_an_example_row():
    from roadmap.importing.inference import is_example

    assert is_example("M1", "Mesure EXEMPLE") and is_example("EX-EXEMPLE", "Durcir l'AD")
    assert not is_example("M1", "Bloquer https://evil.example/x dans le proxy")
    assert not is_example("M1", "Filtrer les mails de relais.exemple.fr")


def test_a_column_of_control_codes_is_the_id_and_the_names_beside_it_the_titles():
    """An ISO 27001:2022 statement of applicability: ``Control`` holds A.5.1…, ``Control title`` the
    names; the theme rows (A.5 over A.5.1) are the domains of the controls under them."""
    rows = [["Statement of Applicability"], [], ["Control", "Control title", "Implementation status", "Owner"]]
    names = {
        "A.5": [("A.5.1", "Policies for information security"), ("A.5.2", "Information security roles")],
        "A.8": [("A.8.1", "User end point devices"), ("A.8.2", "Privileged access rights")],
    }
    for theme, controls in names.items():
        rows.append([theme, "Organizational controls" if theme == "A.5" else "Technological controls"])
        rows += [[code, name, "Implemented on Some Systems", "IT Ops"] for code, name in controls]
    result = _load(rows)
    assert result.ok, result.errors
    measures = result.roadmap.measures
    assert [(m.id, m.title) for m in measures] == [c for controls in names.values() for c in controls]
    assert [m.domain for m in measures] == ["Organizational controls"] * 2 + ["Technological controls"] * 2
    assert {m.status for m in measures} == {Status.IN_PROGRESS}


@pytest.mark.parametrize(
    ("header", "hours"),
    [("Charge (j/h)", False), ("Charge (h.j)", False), ("Charge jours/homme", False), ("Charge (h)", True)],
)
def test_a_person_day_notation_with_an_h_is_not_hours(header, hours):
    rows = [["Réf", "Action", header]] + [[f"A{n}", f"Mettre en place la mesure {n}", 14] for n in range(3)]
    result = _load(rows)
    assert result.ok, result.errors
    assert {m.effort_days for m in result.roadmap.measures} == {2.0 if hours else 14.0}


def test_gendered_and_assessment_status_words_are_read():
    words = {
        "Finalizada": Status.DONE,
        "Completada": Status.DONE,
        "Concluída": Status.DONE,
        "Retrasada": Status.IN_PROGRESS,
        "Implemented on Most Systems": Status.IN_PROGRESS,
        "Implemented on All Systems": Status.DONE,
        "Reporté": Status.NOT_STARTED,
    }
    rows = [["ID", "Acción", "Estado"]] + [[f"A{n}", f"Revisar el control número {n}", w] for n, w in enumerate(words)]
    result = _load(rows)
    assert result.ok, result.errors
    assert [m.status for m in result.roadmap.measures] == list(words.values())
    assert not [i for i in result.issues if "unknown status" in i.message]
