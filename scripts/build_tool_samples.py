"""Build the sample exports of GLPI, Jira and MS Project in ``data/samples/``, French and English.

The same eight hardening measures of the Centre hospitalier de Rivebelle (the fictional hospital of
``data/sample/``) written as each tool writes its export, from the tools' documented formats (no
real export is copied):

    glpi_tickets_fr.csv / _en.csv   GLPI ticket search export: ``;``, UTF-8 with BOM, CRLF, IDs with
                                     no-break-space thousands, dates ``15-01-2027 17:00``, statuses
                                     ``En cours (Attribué)``…, several technicians in one quoted cell
    jira_fr.csv / jira_en.csv       Jira "all fields" CSV: estimates in seconds, ``Blocks`` links both
                                     ways and repeated, epics, a sub-task, repeated Labels/Component/s
    msproject_fr.xlsx / _en.xlsx    MS Project "export to Excel" task table: summary tasks (outline
                                     level 1) over their tasks, durations with units, predecessors with
                                     types and lags, a milestone, resources, % complete

:data:`MEASURES` is what each export means; ``tests/test_import_tools.py`` checks that Rempart reads
every export back to it. The output is reproducible byte for byte.

Usage::

    python scripts/build_tool_samples.py              # writes data/samples/
    python scripts/build_tool_samples.py --out DIR
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_sample import workbook_bytes
from openpyxl import Workbook

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Sample:
    """One measure as the tools mean it (effort in person-days, progress 0–100, statuses as Rempart's)."""

    key: str
    title_fr: str
    title_en: str
    domain_fr: str
    domain_en: str
    team: str
    effort: float
    status: str
    progress: float
    priority: str
    depends_on: tuple[str, ...]
    due: dt.date


MEASURES = (
    Sample(
        "M1",
        "Activer l'authentification multifacteur sur la messagerie",
        "Enable multi-factor authentication on e-mail",
        "Messagerie",
        "E-mail",
        "Messagerie",
        5,
        "in_progress",
        40,
        "P1",
        (),
        dt.date(2027, 1, 15),
    ),
    Sample(
        "M2",
        "Bloquer les pièces jointes exécutables",
        "Block executable attachments",
        "Messagerie",
        "E-mail",
        "Messagerie",
        2,
        "not_started",
        0,
        "P2",
        ("M1",),
        dt.date(2027, 1, 29),
    ),
    Sample(
        "M3",
        "Désactiver les comptes à privilèges inutilisés",
        "Disable unused privileged accounts",
        "Annuaire",
        "Directory",
        "Systèmes",
        3,
        "done",
        100,
        "P1",
        (),
        dt.date(2026, 12, 18),
    ),
    Sample(
        "M4",
        "Mettre en place le tiering Active Directory",
        "Set up Active Directory tiering",
        "Annuaire",
        "Directory",
        "Systèmes",
        15,
        "not_started",
        0,
        "P1",
        ("M3",),
        dt.date(2027, 2, 26),
    ),
    Sample(
        "M5",
        "Fermer les services exposés inutiles",
        "Close needless exposed services",
        "Exposition internet",
        "Internet exposure",
        "Réseau",
        4,
        "in_progress",
        25,
        "P2",
        (),
        dt.date(2027, 1, 8),
    ),
    Sample(
        "M6",
        "Filtrer les flux sortants des serveurs",
        "Filter the servers' outbound traffic",
        "Exposition internet",
        "Internet exposure",
        "Réseau",
        6,
        "not_started",
        0,
        "P3",
        ("M5",),
        dt.date(2027, 2, 12),
    ),
    Sample(
        "M7",
        "Tester la restauration des sauvegardes hors ligne",
        "Test restoring the offline backups",
        "Sauvegardes et PRA",
        "Backups and recovery",
        "Systèmes",
        2.5,
        "not_started",
        0,
        "P2",
        ("M4", "M5"),
        dt.date(2027, 2, 19),
    ),
    Sample(
        "M8",
        "Déployer l'EDR sur les postes de travail",
        "Deploy EDR on workstations",
        "Postes de travail",
        "Workstations",
        "Postes",
        10,
        "not_started",
        0,
        "P4",
        ("M1", "M2"),
        dt.date(2027, 3, 5),
    ),
)
"""The measures every sample export means (GLPI's tickets carry no effort and no prerequisite)."""


def _csv(rows: Sequence[Sequence[object]], *, delimiter: str, bom: bool) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


# GLPI ------------------------------------------------------------------------------------------

_GLPI_STATUS = {
    "fr": {"in_progress": "En cours (Attribué)", "not_started": "Nouveau", "done": "Clos"},
    "en": {"in_progress": "Processing (assigned)", "not_started": "New", "done": "Closed"},
}
_GLPI_PRIORITY = {
    "fr": {"P1": "Très haute", "P2": "Haute", "P3": "Moyenne", "P4": "Basse"},
    "en": {"P1": "Very high", "P2": "High", "P3": "Medium", "P4": "Low"},
}
GLPI_IDS = {m.key: str(5_731_920 + n) for n, m in enumerate(MEASURES)}
"""The ticket ID of each measure in the GLPI samples."""


def glpi_tickets(lang: str) -> bytes:
    """A GLPI ticket export: ``;``, UTF-8 with BOM, CRLF, as GLPI's search engine writes it."""
    header = {
        "fr": ["ID", "Titre", "Entité", "Statut", "Date d'ouverture", "Dernière modification", "Priorité",
               "Demandeur - Demandeur", "Attribué à - Technicien", "Attribué à - Groupe de techniciens",
               "Catégorie", "Date d'échéance"],
        "en": ["ID", "Title", "Entity", "Status", "Opening date", "Last update", "Priority", "Requester - Requester",
               "Assigned to - Technician", "Assigned to - Technician group", "Category", "Time to resolve"],
    }[lang]  # fmt: skip
    rows: list[list[object]] = [header]
    for n, m in enumerate(MEASURES):
        ident = GLPI_IDS[m.key]
        shown = f"{ident[0]}\u00a0{ident[1:4]}\u00a0{ident[4:]}"
        status = _GLPI_STATUS[lang][m.status]
        if lang == "fr" and m.key == "M5":
            status = "En cours (Planifié)"
        if m.key == "M6":
            status = "En attente" if lang == "fr" else "Pending"
        opened, due = dt.datetime(2026, 11, 23, 9, 15 + n), dt.datetime.combine(m.due, dt.time(17, 0))
        fmt = "%d-%m-%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M"
        technicians = "Durand Claire\nMartin Paul" if n % 3 == 0 else "Bernard Luc"
        rows.append([
            shown, m.title_fr if lang == "fr" else m.title_en, "CH Rivebelle > DSI", status, opened.strftime(fmt),
            (opened + dt.timedelta(days=3)).strftime(fmt), _GLPI_PRIORITY[lang][m.priority], "RSSI", technicians,
            m.team, m.domain_fr if lang == "fr" else m.domain_en, due.strftime(fmt),
        ])  # fmt: skip
    return _csv(rows, delimiter=";", bom=True)


# Jira ------------------------------------------------------------------------------------------

JIRA_IDS = {m.key: f"SEC-{n + 10}" for n, m in enumerate(MEASURES)}
"""The issue key of each measure in the Jira samples."""
_SUBTASK_OF = {"M2": "M1"}
_ONLY_COMPONENT = {"M5"}  # no Team: the component is the team
_BLOCKS_OUTWARD = {"M1": ("M2", "M8"), "M3": ("M4",), "M5": ("M6", "M7")}
_BLOCKS_INWARD = {"M2": ("M1",), "M7": ("M4",), "M8": ("M2",)}
_MONTHS = {"fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]}


def _jira_date(value: dt.datetime, lang: str, *, time: bool) -> str:
    month = _MONTHS["fr"][value.month - 1] if lang == "fr" else value.strftime("%b")
    text = f"{value.day:02d}/{month}/{value.year % 100:02d}"
    return text + " " + value.strftime("%I:%M %p").lstrip("0") if time else text


def jira_issues(lang: str) -> bytes:
    """A Jira "Export CSV (all fields)": estimates in seconds, repeated columns, links both ways."""
    fr = lang == "fr"
    header = (
        ["Résumé", "Clé de ticket", "ID de ticket", "ID parent", "Type de ticket", "État", "Priorité", "Résolution",
         "Responsable", "Créé", "Date d'échéance", "Estimation originale", "Estimation restante", "Temps consacré",
         "Composants", "Composants", "Étiquettes", "Étiquettes", "Champ personnalisé (Team)",
         "Lien de ticket sortant (Blocks)", "Lien de ticket sortant (Blocks)", "Lien de ticket entrant (Blocks)"]
        if fr
        else ["Summary", "Issue key", "Issue id", "Parent id", "Issue Type", "Status", "Priority", "Resolution",
              "Assignee", "Created", "Due Date", "Original Estimate", "Remaining Estimate", "Time Spent",
              "Component/s", "Component/s", "Labels", "Labels", "Custom field (Team)",
              "Outward issue link (Blocks)", "Outward issue link (Blocks)", "Inward issue link (Blocks)"]
    )  # fmt: skip
    status = {
        "not_started": "À faire" if fr else "To Do",
        "in_progress": "En cours" if fr else "In Progress",
        "done": "Terminé(e)" if fr else "Done",
    }
    priority = {"P1": "La plus haute" if fr else "Highest", "P2": "Haute" if fr else "High",
                "P3": "Moyenne" if fr else "Medium", "P4": "Basse" if fr else "Low"}  # fmt: skip
    created = dt.datetime(2026, 11, 23, 9, 30)
    domains = list(dict.fromkeys(m.domain_fr if fr else m.domain_en for m in MEASURES))
    epic_ids = {d: 20_000 + n for n, d in enumerate(domains)}
    rows: list[list[object]] = [header]
    for d in domains:
        rows.append([d, f"SEC-{epic_ids[d] - 19_999}", epic_ids[d], "", "Épopée" if fr else "Epic",
                     status["in_progress"], priority["P2"], "", "RSSI", _jira_date(created, lang, time=True),
                     "", "", "", "", "", "", "", "", "", "", "", ""])  # fmt: skip
    issue_ids = {m.key: 10_100 + n for n, m in enumerate(MEASURES)}
    for m in MEASURES:
        domain = m.domain_fr if fr else m.domain_en
        original = round(m.effort * 8 * 3600)
        remaining = round(original * (1 - m.progress / 100))
        parent = issue_ids[_SUBTASK_OF[m.key]] if m.key in _SUBTASK_OF else epic_ids[domain]
        kind = ("Sous-tâche" if fr else "Sub-task") if m.key in _SUBTASK_OF else ("Tâche" if fr else "Task")
        outward = [JIRA_IDS[k] for k in _BLOCKS_OUTWARD.get(m.key, ())] + ["", ""]
        inward = [JIRA_IDS[k] for k in _BLOCKS_INWARD.get(m.key, ())] + [""]
        team = "" if m.key in _ONLY_COMPONENT or m.key in _SUBTASK_OF else m.team
        rows.append([
            m.title_fr if fr else m.title_en, JIRA_IDS[m.key], issue_ids[m.key], parent, kind, status[m.status],
            priority[m.priority], ("Terminé" if fr else "Done") if m.status == "done" else "", "Durand Claire",
            _jira_date(created, lang, time=True), _jira_date(dt.datetime.combine(m.due, dt.time()), lang, time=False),
            original, remaining, original - remaining, m.team if m.key in _ONLY_COMPONENT else "Sécurité", "CaRE",
            "care", "hardening", team, outward[0], outward[1], inward[0],
        ])  # fmt: skip
    return _csv(rows, delimiter=",", bom=False)


# MS Project ------------------------------------------------------------------------------------

_DURATIONS = {
    "fr": {"M1": "1 sem.", "M2": "2 jours", "M3": "3 j", "M4": "3 sem.", "M5": "4 jours?", "M6": "48 h",
           "M7": "2,5 j", "M8": "2 sem."},
    "en": {"M1": "1 wk", "M2": "2 days", "M3": "3 d", "M4": "3 wks", "M5": "4 days?", "M6": "48 hrs",
           "M7": "2.5 days", "M8": "2 wks"},
}  # fmt: skip


_MSP_PRIORITY = {"P1": 900, "P2": 700, "P3": 500, "P4": 300}


def msproject_ids() -> dict[str, str]:
    """The task N° of each measure in the MS Project samples (summary tasks take the numbers between)."""
    ids, n, domain = {}, 0, None
    for m in MEASURES:
        if m.domain_fr != domain:
            n, domain = n + 1, m.domain_fr
        n += 1
        ids[m.key] = str(n)
    return ids


def msproject_tasks(lang: str) -> bytes:
    """An MS Project task table exported to Excel (sheet ``Tâches`` / ``Task_Table1``)."""
    fr = lang == "fr"
    header = (
        ["N°", "Nom", "Durée", "Début", "Fin", "Prédécesseurs", "Niveau hiérarchique", "Noms ressources", "% achevé",
         "Échéance", "Priorité"]
        if fr
        else ["ID", "Name", "Duration", "Start", "Finish", "Predecessors", "Outline Level", "Resource Names",
              "% Complete", "Deadline", "Priority", "Work"]
    )  # fmt: skip
    ids = msproject_ids()
    summaries = {}
    predecessors = {
        "M2": ids["M1"],
        "M4": f"{ids['M3']}{'FD+2 j' if fr else 'FS+2 days'}",
        "M6": f"{ids['M5']}{'DD' if fr else 'SS'}",
        "M7": f"{ids['M4']}FF{';' if fr else ','}{ids['M5']}",
    }
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tâches" if fr else "Task_Table1"
    sheet.append(header)
    start, domain = dt.datetime(2026, 11, 30, 8), None
    for m in MEASURES:
        if m.domain_fr != domain:
            domain = m.domain_fr
            summaries[domain] = str(int(ids[m.key]) - 1)
            sheet.append([int(summaries[domain]), m.domain_fr if fr else m.domain_en, "", start, start, "", 1, "", 0,
                          "NA", 500])  # fmt: skip
        if m.key == "M8":
            predecessors["M8"] = summaries["Messagerie"]  # a summary task as predecessor: its tasks
        resource = {"M1": "Messagerie[50%]", "M4": "Systèmes;Prestataire AD" if fr else "Systèmes,Prestataire AD"}
        deadline: object = dt.datetime.combine(m.due, dt.time(17)) if fr else m.due.strftime("%m/%d/%y")
        row: list[object] = [int(ids[m.key]), m.title_fr if fr else m.title_en, _DURATIONS[lang][m.key], start,
                             start + dt.timedelta(days=7), predecessors.get(m.key, ""), 2,
                             resource.get(m.key, m.team), m.progress / 100 if fr else f"{m.progress:g}%", deadline,
                             _MSP_PRIORITY[m.priority]]  # fmt: skip
        if not fr:
            row[3] = start.strftime("%a %m/%d/%y")
            row[4] = (start + dt.timedelta(days=7)).strftime("%a %m/%d/%y")
            row.append(f"{m.effort * 8:g} hrs")
        sheet.append(row)
    last = len(MEASURES) + len(summaries) + 1
    sheet.append([last, "Fin du programme" if fr else "Programme end", "0 j" if fr else "0 days", start, start,
                  ids["M7"], 1, "", 0])  # fmt: skip
    return workbook_bytes(book)


SAMPLES: dict[str, Callable[[], bytes]] = {
    "glpi_tickets_fr.csv": lambda: glpi_tickets("fr"),
    "glpi_tickets_en.csv": lambda: glpi_tickets("en"),
    "jira_fr.csv": lambda: jira_issues("fr"),
    "jira_en.csv": lambda: jira_issues("en"),
    "msproject_fr.xlsx": lambda: msproject_tasks("fr"),
    "msproject_en.xlsx": lambda: msproject_tasks("en"),
}
"""File name in ``data/samples/`` → its builder."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "samples")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in SAMPLES.items():
        (args.out / name).write_bytes(build())
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
