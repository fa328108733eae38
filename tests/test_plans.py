# ruff: noqa: E501  (the built files: one row per line, as in the exports)
"""Action plans, work breakdowns and ticket exports read with no hand mapping (issue 15).

Each workbook is built here in the layout public files of its kind show (Jira's CSV export headers with
repeated ``Labels`` / ``Sprint`` columns and ``09/Oct/25 1:42 PM`` dates; GLPI's semicolon CSV with
``Attribué à - Technicien``; MS Project's task table exported to Excel; French action plans with
banners, merged group headers and totals; ES/PT/DE trackers); none is a copy of a real file. For each,
:func:`roadmap.load_workbook` with no mapping must give the right measures (rows, title, status,
priority, owner, effort in person-days, due date, prerequisites) and name every row it skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from conftest import workbook_bytes

from roadmap import load_workbook
from roadmap.importing.load import LoadResult
from roadmap.models import Priority, Status

D = dt.date
NS, IP, DONE, BLOCKED, CANCELLED = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.DONE,
    Status.BLOCKED,
    Status.CANCELLED,
)
P1, P2, P3, P4 = Priority.P1, Priority.P2, Priority.P3, Priority.P4


def _csv(rows: Sequence[Sequence[Any]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _check(
    result: LoadResult,
    expected: Sequence[Mapping[str, Any]],
    skipped: Mapping[int, str] = {},
) -> None:
    """Every expected measure, in file order, with the fields given; nothing else; the rows skipped
    named with their reason (row → start of the message)."""
    assert result.errors == [], [i.describe() for i in result.errors]
    measures = result.roadmap.measures
    got = [(m.row, m.title) for m in measures]
    assert [m.title for m in measures] == [e["title"] for e in expected], got
    for measure, fields in zip(measures, expected, strict=True):
        for name, value in fields.items():
            if name == "team_any":
                assert measure.team, measure
                continue
            actual = getattr(measure, name)
            if isinstance(value, float):
                assert actual == pytest.approx(value), (measure.title, name, actual)
            else:
                assert actual == value, (measure.title, name, actual)
    notes = {i.row: i.message for i in result.issues if i.message.startswith("row skipped")}
    for row, start in skipped.items():
        assert row in notes and notes[row].startswith(start), (row, notes)
    unexplained = set(notes) - set(skipped)
    assert not unexplained, {r: notes[r] for r in unexplained}


def _messages(result: LoadResult) -> str:
    return "\n".join(i.message for i in result.issues)


# --- French action plans ---------------------------------------------------------------------------


def test_a_french_action_plan_with_banners_group_headers_phases_and_totals() -> None:
    rows: list[list[Any]] = [
        ["Plan d'action sécurité du SI — Centre hospitalier, version du 06/01/2025"],
        [],
        ["Identification", None, None, "Pilotage", None, None, "Suivi", None, None, None],
        [
            "N°",
            "Action",
            "Description",
            "Pilote",
            "Échéance",
            "Priorité",
            "État",
            "Avancement (%)",
            "Charge (h)",
            "Commentaires",
        ],
        ["Phase 1 – Gouvernance"],
        [
            1,
            "Nommer un RSSI",
            "Lettre de mission signée par la direction",
            "Directeur",
            D(2025, 3, 31),
            "P1",
            "Terminé",
            1,
            14,
            "",
        ],
        [
            2,
            "Rédiger la PSSI",
            "Politique validée en comité de direction",
            "RSSI",
            D(2025, 6, 30),
            "P1",
            "En cours",
            0.5,
            35,
            "",
        ],
        [
            3,
            "Cartographier les applications",
            "Inventaire des applications métiers",
            "DSI",
            D(2025, 9, 30),
            "P2",
            "À faire",
            0,
            70,
            "voir annexe",
        ],
        ["Phase 2 – Technique"],
        [
            4,
            "Déployer l'authentification multifacteur",
            "VPN et messagerie",
            "Équipe infra",
            D(2025, 10, 31),
            "P1",
            "En cours",
            0.25,
            105,
            "",
        ],
        [
            5,
            "Segmenter le réseau biomédical",
            "VLAN dédiés",
            "Équipe réseau",
            D(2026, 3, 31),
            "P2",
            "Reporté",
            0,
            140,
            "budget 2026",
        ],
        [
            6,
            "Supprimer les comptes génériques",
            "Revue des comptes",
            "Équipe infra",
            D(2025, 12, 31),
            "P3",
            "Abandonné",
            0,
            7,
            "",
        ],
        [None, "Total", None, None, None, None, None, None, "=SUM(I6:I13)", None],
    ]
    result = load_workbook(
        workbook_bytes({"Plan d'action": rows}, merged={"Plan d'action": ["A3:C3", "D3:F3", "G3:J3"]}),
        filename="plan.xlsx",
    )
    _check(
        result,
        [
            {
                "id": "1",
                "title": "Nommer un RSSI",
                "status": DONE,
                "priority": P1,
                "owner": "Directeur",
                "effort_days": 2.0,
                "due_date": D(2025, 3, 31),
                "domain": "Phase 1 – Gouvernance",
            },
            {"id": "2", "title": "Rédiger la PSSI", "status": IP, "progress": 50.0, "effort_days": 5.0},
            {"id": "3", "title": "Cartographier les applications", "status": NS, "priority": P2, "effort_days": 10.0},
            {
                "id": "4",
                "title": "Déployer l'authentification multifacteur",
                "status": IP,
                "effort_days": 15.0,
                "domain": "Phase 2 – Technique",
            },
            {"id": "5", "title": "Segmenter le réseau biomédical", "status": NS, "effort_days": 20.0},
            {
                "id": "6",
                "title": "Supprimer les comptes génériques",
                "status": CANCELLED,
                "priority": P3,
                "effort_days": 1.0,
            },
        ],
        {5: "row skipped: section title", 9: "row skipped: section title", 13: "row skipped: a totals row"},
    )
    assert "7 h" in _messages(result) or "7\u202fh" in _messages(result)  # the conversion shown


def test_a_french_action_plan_without_ids_in_a_semicolon_csv() -> None:
    rows = [
        [
            "Actions à mener",
            "Porteur",
            "Date cible",
            "Avancement (%)",
            "Statut",
            "Priorité",
            "Charge (jours)",
            "Commentaires",
        ],
        [
            "Mettre à jour les postes sous Windows 10",
            "Service informatique",
            "30/06/2025",
            "20",
            "En cours",
            "Haute",
            "12",
            "",
        ],
        [
            "Former les agents au hameçonnage",
            "Ressources humaines",
            "15/09/2025",
            "0",
            "À faire",
            "Moyenne",
            "4",
            "2 sessions",
        ],
        [
            "Tester la restauration des sauvegardes",
            "Service informatique",
            "31/03/2025",
            "100",
            "Terminé",
            "Haute",
            "2",
            "",
        ],
        [
            "Chiffrer les portables des médecins",
            "Service informatique",
            "31/12/2025",
            "0",
            "Non démarré",
            "Basse",
            "6",
            "",
        ],
    ]
    result = load_workbook(_csv(rows, delimiter=";", encoding="cp1252"), filename="plan_actions.csv")
    _check(
        result,
        [
            {
                "title": "Mettre à jour les postes sous Windows 10",
                "status": IP,
                "priority": P2,
                "owner": "Service informatique",
                "due_date": D(2025, 6, 30),
                "effort_days": 12.0,
            },
            {"title": "Former les agents au hameçonnage", "status": NS, "priority": P3, "effort_days": 4.0},
            {"title": "Tester la restauration des sauvegardes", "status": DONE, "priority": P2},
            {"title": "Chiffrer les portables des médecins", "status": NS, "priority": P4},
        ],
    )


# --- a security programme's work breakdown ---------------------------------------------------------


def test_a_work_breakdown_with_summary_tasks_is_planned_once_without_their_sums() -> None:
    rows = [
        ["WBS", "Task Name", "Owner", "Start", "Finish", "Effort (days)", "Predecessors"],
        ["1", "Governance", "", D(2025, 1, 6), D(2025, 3, 28), 13, ""],
        ["1.1", "  Appoint the security officer", "CIO", D(2025, 1, 6), D(2025, 1, 17), 3, ""],
        ["1.2", "  Write the security policy", "CISO", D(2025, 1, 20), D(2025, 3, 28), 10, "1.1"],
        ["2", "Identity", "", D(2025, 2, 3), D(2025, 6, 27), 25, ""],
        ["2.1", "  Single sign-on", "", D(2025, 2, 3), D(2025, 4, 25), 15, ""],
        ["2.1.1", "    Choose the SSO product", "IAM team", D(2025, 2, 3), D(2025, 2, 28), 5, "1.2"],
        ["2.1.2", "    Roll out SSO to clinical apps", "IAM team", D(2025, 3, 3), D(2025, 4, 25), 10, "2.1.1"],
        [
            "2.2",
            "  Multi-factor authentication for remote access",
            "Network team",
            D(2025, 5, 5),
            D(2025, 6, 27),
            10,
            "2.1.2",
        ],
        ["", "Total", "", "", "", 38, ""],
    ]
    result = load_workbook(workbook_bytes({"WBS": rows}), filename="programme.xlsx")
    _check(
        result,
        [
            {
                "id": "1.1",
                "title": "Appoint the security officer",
                "domain": "Governance",
                "effort_days": 3.0,
                "owner": "CIO",
            },
            {"id": "1.2", "title": "Write the security policy", "effort_days": 10.0, "depends_on": ("1.1",)},
            {"id": "2.1.1", "title": "Choose the SSO product", "domain": "Single sign-on", "depends_on": ("1.2",)},
            {"id": "2.1.2", "title": "Roll out SSO to clinical apps", "effort_days": 10.0},
            {"id": "2.2", "title": "Multi-factor authentication for remote access", "domain": "Identity"},
        ],
        {
            2: "row skipped: summary task",
            5: "row skipped: summary task",
            6: "row skipped: summary task",
            10: "row skipped: a totals row",
        },
    )
    assert sum(m.effort_days for m in result.roadmap.measures) == pytest.approx(38.0)


# --- Jira -----------------------------------------------------------------------------------------

JIRA_HEADER = [
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Assignee", "Reporter",
    "Created", "Updated", "Due date", "Original Estimate", "Time Spent", "Σ Original Estimate",
    "Labels", "Labels", "Sprint", "Sprint", "Custom field (Story Points)",
]  # fmt: skip
JIRA_ROWS = [
    ["Enforce MFA on the VPN", "SEC-1", "10001", "Task", "In Progress", "High", "Jane Doe", "Bob Bek", "09/Oct/25 1:42 PM", "10/Oct/25 9:05 AM", "31/Dec/25", "57600", "28800", "57600", "iam", "vpn", "SEC Sprint 1", "SEC Sprint 2", "5"],
    ["Patch the PACS servers", "SEC-2", "10002", "Story", "To Do", "Highest", "Ali Kim", "Bob Bek", "11/Oct/25 8:00 AM", "11/Oct/25 8:00 AM", "", "144000", "", "144000", "patching", "", "SEC Sprint 2", "", "8"],
    ["Review admin accounts", "SEC-3", "10003", "Task", "Done", "Medium", "Jane Doe", "Bob Bek", "12/Oct/25 3:10 PM", "20/Oct/25 5:00 PM", "", "28800", "28800", "28800", "iam", "", "SEC Sprint 1", "", "2"],
]  # fmt: skip


def _jira_expected(day: float) -> list[dict[str, Any]]:
    return [
        {
            "id": "SEC-1",
            "title": "Enforce MFA on the VPN",
            "status": IP,
            "priority": P2,
            "owner": "Jane Doe",
            "effort_days": 57600 / 3600 / day,
            "due_date": D(2025, 12, 31),
        },
        {
            "id": "SEC-2",
            "title": "Patch the PACS servers",
            "status": NS,
            "priority": P1,
            "effort_days": 144000 / 3600 / day,
        },
        {"id": "SEC-3", "title": "Review admin accounts", "status": DONE, "effort_days": 28800 / 3600 / day},
    ]


def test_a_jira_csv_export() -> None:
    result = load_workbook(_csv([JIRA_HEADER, *JIRA_ROWS]), filename="Jira.csv")
    assert result.source is not None and result.source.tool == "jira"
    _check(result, _jira_expected(8.0))


def test_a_jira_export_saved_as_xlsx_with_french_headers() -> None:
    header = [
        "Résumé", "Clé de ticket", "ID de ticket", "Type de ticket", "État", "Priorité", "Responsable", "Rapporteur",
        "Création", "Mise à jour", "Date d'échéance", "Estimation originale", "Temps consacré", "Σ Estimation originale",
        "Étiquettes", "Étiquettes", "Sprint", "Sprint", "Champ personnalisé (Story Points)",
    ]  # fmt: skip
    statuses = {"In Progress": "En cours", "To Do": "À faire", "Done": "Terminé(e)"}
    rows = [[*r[:4], statuses[r[4]], *r[5:]] for r in JIRA_ROWS]
    result = load_workbook(workbook_bytes({"Jira": [header, *rows]}), filename="export_jira.xlsx")
    assert result.source is not None and result.source.tool == "jira"
    _check(result, _jira_expected(8.0))


def test_a_jira_export_of_a_filter_without_the_issue_type_column() -> None:
    header = ["Issue key", "Summary", "Status", "Priority", "Assignee", "Due date", "Original Estimate"]
    rows = [[r[1], r[0], r[4], r[5], r[6], r[10], r[11]] for r in JIRA_ROWS]
    result = load_workbook(_csv([header, *rows]), filename="filter.csv")
    assert result.source is not None and result.source.tool == "jira"
    _check(result, _jira_expected(8.0))


# --- GLPI -----------------------------------------------------------------------------------------

GLPI_HEADER = [
    "ID", "Titre", "Entité", "Statut", "Date d'ouverture", "Dernière modification", "Priorité", "Demandeur - Demandeur",
    "Attribué à - Technicien", "Attribué à - Groupe de techniciens", "Catégorie", "Date d'échéance", "Durée totale",
]  # fmt: skip
GLPI_ROWS = [
    ["5 732 943", "Renouveler le certificat du portail patient", "CH > DSI", "En cours (Attribué)", "2025-01-15 09:30", "2025-01-16 10:00", "Haute", "Martin Paul", "Durand Marie", "Réseau", "Sécurité > Certificats", "2025-02-15 18:00", "2 heures"],
    ["5 732 950", "Désactiver SMBv1 sur les serveurs", "CH > DSI", "Nouveau", "2025-01-16 11:00", "2025-01-16 11:00", "Très haute", "Martin Paul", "", "Systèmes", "Sécurité > Durcissement", "", ""],
    ["5 733 001", "Mettre à jour l'antivirus des postes", "CH > DSI", "Clos", "2025-01-17 08:15", "2025-01-20 16:00", "Moyenne", "Leroy Anne", "Petit Luc", "Postes de travail", "Sécurité > Antivirus", "", "1 jour 3 heures"],
]  # fmt: skip
GLPI_EXPECTED = [
    {
        "title": "Renouveler le certificat du portail patient",
        "status": IP,
        "owner": "Durand Marie",
        "due_date": D(2025, 2, 15),
    },
    {"title": "Désactiver SMBv1 sur les serveurs", "status": NS},
    {"title": "Mettre à jour l'antivirus des postes", "status": DONE, "owner": "Petit Luc"},
]


def test_a_glpi_ticket_export_in_a_semicolon_csv() -> None:
    result = load_workbook(_csv([GLPI_HEADER, *GLPI_ROWS], delimiter=";", encoding="utf-8-sig"), filename="glpi.csv")
    assert result.source is not None and result.source.tool == "glpi"
    _check(result, GLPI_EXPECTED)
    assert [m.priority for m in result.roadmap.measures][:2] == [P2, P1]


def test_a_glpi_export_saved_asworkbook_bytes() -> None:
    result = load_workbook(workbook_bytes({"Tickets": [GLPI_HEADER, *GLPI_ROWS]}), filename="tickets.xlsx")
    assert result.source is not None and result.source.tool == "glpi"
    _check(result, GLPI_EXPECTED)


# --- MS Project -----------------------------------------------------------------------------------


def test_an_ms_project_task_table_exported_to_excel_in_french() -> None:
    header = [
        "N°",
        "Mode Tâche",
        "Nom de la tâche",
        "Durée",
        "Début",
        "Fin",
        "Prédécesseurs",
        "Noms ressources",
        "% achevé",
        "Niveau hiérarchique",
    ]
    rows = [
        header,
        [
            1,
            "Planifié automatiquement",
            "Programme de sécurité",
            "40 jours",
            "lun 03/02/25",
            "ven 28/03/25",
            "",
            "",
            "10%",
            1,
        ],
        [
            2,
            "Planifié automatiquement",
            "Audit des comptes",
            "5 jours",
            "lun 03/02/25",
            "ven 07/02/25",
            "",
            "Équipe AD",
            "100%",
            2,
        ],
        [
            3,
            "Planifié automatiquement",
            "Durcissement des serveurs",
            "3 sem.",
            "lun 10/02/25",
            "ven 28/02/25",
            "2",
            "Équipe systèmes",
            "0%",
            2,
        ],
        [
            4,
            "Planifié automatiquement",
            "Recette",
            "2 jours",
            "lun 03/03/25",
            "mar 04/03/25",
            "3FD+2 jours",
            "Équipe systèmes",
            "0%",
            2,
        ],
    ]
    result = load_workbook(workbook_bytes({"Tâches": rows}), filename="projet.xlsx")
    assert result.source is not None and result.source.tool == "msproject"
    _check(
        result,
        [
            {"id": "2", "title": "Audit des comptes", "status": DONE, "effort_days": 5.0, "team": "Équipe AD"},
            {"id": "3", "title": "Durcissement des serveurs", "effort_days": 15.0, "depends_on": ("2",)},
            {"id": "4", "title": "Recette", "effort_days": 2.0, "depends_on": ("3",)},
        ],
        {2: "row skipped: summary task"},
    )


def test_an_ms_project_csv_in_english() -> None:
    header = [
        "ID",
        "Name",
        "Duration",
        "Start",
        "Finish",
        "Predecessors",
        "Resource Names",
        "% Complete",
        "Outline Level",
    ]
    rows = [
        header,
        ["1", "Hardening", "15 days", "Mon 2/3/25", "Fri 2/21/25", "", "", "0%", "1"],
        ["2", "Disable legacy protocols", "2 wks", "Mon 2/3/25", "Fri 2/14/25", "", "Infra", "50%", "2"],
        ["3", "Deploy EDR", "1 mon", "Mon 2/17/25", "Fri 3/14/25", "2", "Security", "0%", "2"],
    ]
    result = load_workbook(_csv(rows), filename="project.csv")
    assert result.source is not None and result.source.tool == "msproject"
    _check(
        result,
        [
            {"id": "2", "title": "Disable legacy protocols", "status": IP, "effort_days": 10.0},
            {"id": "3", "title": "Deploy EDR", "effort_days": 20.0, "depends_on": ("2",)},
        ],
        {2: "row skipped: summary task"},
    )


# --- Spanish, Portuguese, German ------------------------------------------------------------------


def test_a_spanish_action_plan() -> None:
    rows = [
        ["Nº", "Acción", "Responsable", "Fecha límite", "Estado", "Prioridad"],
        [1, "Actualizar el cortafuegos perimetral", "Equipo de redes", D(2025, 5, 31), "En curso", "Alta"],
        [2, "Revisar los permisos de los usuarios", "Seguridad", D(2025, 7, 15), "Pendiente", "Media"],
        [3, "Cifrar las copias de seguridad", "Sistemas", D(2025, 3, 1), "Completado", "Baja"],
    ]
    result = load_workbook(workbook_bytes({"Plan": rows}), filename="plan_accion.xlsx")
    _check(
        result,
        [
            {
                "id": "1",
                "title": "Actualizar el cortafuegos perimetral",
                "status": IP,
                "priority": P2,
                "owner": "Equipo de redes",
                "due_date": D(2025, 5, 31),
            },
            {"id": "2", "title": "Revisar los permisos de los usuarios", "status": NS},
            {"id": "3", "title": "Cifrar las copias de seguridad", "status": DONE},
        ],
    )


def test_a_portuguese_action_plan() -> None:
    rows = [
        ["Ação", "Responsável", "Prazo", "Situação"],
        ["Atualizar o antivírus das estações", "TI", "30/06/2025", "Em andamento"],
        ["Implementar autenticação em dois fatores", "Segurança", "31/08/2025", "Pendente"],
        ["Desativar contas inativas", "TI", "15/03/2025", "Concluído"],
        ["Trocar o servidor de e-mail antigo", "TI", "01/02/2025", "Fechado"],
    ]
    result = load_workbook(_csv(rows), filename="plano_de_acao.csv")
    _check(
        result,
        [
            {"title": "Atualizar o antivírus das estações", "status": IP, "owner": "TI", "due_date": D(2025, 6, 30)},
            {"title": "Implementar autenticação em dois fatores", "status": NS},
            {"title": "Desativar contas inativas", "status": DONE},
            {"title": "Trocar o servidor de e-mail antigo", "status": DONE},
        ],
    )


def test_a_german_action_plan() -> None:
    rows = [
        ["Nr.", "Maßnahme", "Verantwortlich", "Termin", "Status", "Aufwand (Stunden)"],
        ["M-01", "Firewall-Regeln überprüfen", "Netzwerkteam", D(2025, 4, 30), "In Bearbeitung", 14],
        ["M-02", "Notfallhandbuch erstellen", "ISB", D(2025, 9, 30), "Offen", 21],
        ["M-03", "Alte Konten löschen", "IT-Betrieb", D(2025, 2, 28), "Erledigt", 7],
    ]
    result = load_workbook(workbook_bytes({"Maßnahmenplan": rows}), filename="massnahmen.xlsx")
    _check(
        result,
        [
            {
                "id": "M-01",
                "title": "Firewall-Regeln überprüfen",
                "status": IP,
                "owner": "Netzwerkteam",
                "due_date": D(2025, 4, 30),
                "effort_days": 2.0,
            },
            {"id": "M-02", "title": "Notfallhandbuch erstellen", "status": NS, "effort_days": 3.0},
            {"id": "M-03", "title": "Alte Konten löschen", "status": DONE, "effort_days": 1.0},
        ],
    )


# --- a catalogue whose only identifying column is an ID --------------------------------------------


def test_a_catalogue_of_ids_and_levels_gives_a_first_plan_with_the_id_as_title() -> None:
    header = [
        "REF",
        "ORGA/SI",
        "Statut initial",
        "Basique",
        "Modéré",
        "Avancé",
        "Données : +",
        "Dispo : +",
        "EXT : SaaS",
    ]
    rows = [
        header,
        ["RECENSEMENT.1", "ORGA, SI", "Présente", "Indispensable", "Indispensable", "Indispensable", "", "", "Projet"],
        ["RECENSEMENT.2", "SI", "Présente", "Recommandation", "Indispensable", "Indispensable", "", "", "Mixte"],
        ["CONFORMITE.1", "ORGA, SI", "Absente", "", "Indispensable", "Indispensable", "Retirée", "", "Projet"],
        ["PSSI.5", "ORGA, SI", "Présente", "", "Recommandation", "Recommandation", "", "", "Projet"],
        ["CONTRAT.1", "SI", "Présente", "", "", "Recommandation", "", "", "Presta"],
    ]
    result = load_workbook(_csv(rows), filename="catalogue.csv")
    _check(
        result,
        [
            {"id": "RECENSEMENT.1", "title": "RECENSEMENT.1", "priority": P1, "status": NS},
            {"id": "RECENSEMENT.2", "title": "RECENSEMENT.2", "priority": P1},
            {"id": "CONFORMITE.1", "title": "CONFORMITE.1", "priority": P1},
            {"id": "PSSI.5", "title": "PSSI.5", "priority": P2},
            {"id": "CONTRAT.1", "title": "CONTRAT.1", "priority": P2},
        ],
    )
    (note,) = [i for i in result.issues if "used as its title" in i.message]
    assert note.column == "REF" and "column mapping" in (note.hint or "")


# --- a second table of measures on the same sheet ---------------------------------------------------


def test_a_second_table_of_measures_with_other_fields_is_read_and_its_cells_named() -> None:
    rows: list[list[Any]] = [
        ["ID", "Mesure", "Statut", "Équipe", "Charge (j.h)"],
        ["A1", "Activer la journalisation des pare-feu", "À faire", "Réseau", 3],
        ["A2", "Chiffrer les sauvegardes", "En cours", "Systèmes", 5],
        [],
        ["Mesures organisationnelles"],
        ["Réf.", "Action", "Pilote", "Échéance"],
        ["O1", "Sensibiliser les internes", "RSSI", D(2025, 6, 30)],
        ["O2", "Signer la charte informatique", "DRH", D(2025, 9, 30)],
        [],
        ["Statut", "Signification"],
        ["À faire", "non commencée"],
        ["En cours", "commencée"],
    ]
    result = load_workbook(workbook_bytes({"Plan": rows}), filename="plan.xlsx")
    _check(
        result,
        [
            {"id": "A1", "title": "Activer la journalisation des pare-feu", "team": "Réseau", "effort_days": 3.0},
            {"id": "A2", "title": "Chiffrer les sauvegardes", "status": IP},
            {
                "id": "O1",
                "title": "Sensibiliser les internes",
                "owner": "RSSI",
                "due_date": D(2025, 6, 30),
                "domain": "Mesures organisationnelles",
            },
            {"id": "O2", "title": "Signer la charte informatique", "owner": "DRH"},
        ],
        {5: "row skipped: section title", 6: "row skipped: repeated header"},
    )
    text = _messages(result)
    assert "2 tables of measures one under another (headers on rows 1, 6)" in text, text
    assert "(headers on rows 10): the measures are read from rows 1 to 8 only" in text, text  # the legend ends them
