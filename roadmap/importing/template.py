"""A blank workbook in Rempart's format (PRODUCT.md §4), to download and fill in.

:func:`build_template` writes the four sheets with their headers in French or English, one example
row each, a help sheet describing every column, and drop-down lists (data validation) for the
status, the priority and the team (the team list follows the Teams sheet). The example measure says
it is one (ID ``EXEMPLE-01``, title ``Exemple : …``), so that the loader skips it
(:func:`roadmap.importing.inference.is_example`) and plans only the rows the hospital writes.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

_HEADERS: dict[str, dict[str, Any]] = {
    "fr": {
        "sheets": ("Mesures", "Risques", "Équipes", "Paramètres", "Aide"),
        "measures": [
            "ID",
            "Mesure",
            "Domaine",
            "Équipe",
            "Responsable",
            "Charge (j.h)",
            "Personnes max",
            "Statut",
            "Avancement (%)",
            "Priorité",
            "Début prévu",
            "Fin prévue",
            "Trimestre prévu",
            "Dépend de",
            "Risques traités",
            "Référentiel",
            "Échéance",
            "Date de réalisation",
            "Sprint imposé",
            "Commentaire",
            "Charge min (j.h)",
            "Charge max (j.h)",
        ],
        "risks": ["ID", "Scénario", "Vraisemblance", "Gravité", "Niveau cible"],
        "teams": ["Équipe", "ETP", "Disponibilité (%)", "Renfort (j.h/semaine)"],
        "settings": ["Paramètre", "Valeur"],
        "statuses": ["À faire", "En cours", "Fait", "Bloqué", "Abandonné"],
        "levels": ["Faible", "Modéré", "Élevé", "Critique"],
        "likelihood": ["V1 - Peu vraisemblable", "V2 - Vraisemblable", "V3 - Très vraisemblable", "V4 - Quasi certain"],
        "severity": ["G1 - Mineure", "G2 - Significative", "G3 - Grave", "G4 - Critique"],
        "example": [
            "EXEMPLE-01",
            "Exemple : imposer l’authentification multifacteur sur la messagerie",
            "Messagerie",
            "Systèmes",
            "RSSI",
            5,
            2,
            "À faire",
            0,
            "P1",
            dt.date(2027, 1, 4),
            dt.date(2027, 3, 31),
            None,
            None,
            "R01:0.6",
            "ANSSI 11 ; CaRE D3",
            None,
            None,
            None,
            "",
            4,
            8,
        ],
        "risk": ["R01", "Intrusion par hameçonnage", "V4 - Quasi certain", "G4 - Critique", "Modéré"],
        "team": ["Systèmes", 3, 60, 0],
        "params": [
            ("Établissement", "Centre hospitalier"),
            ("Date de début du programme", None),
            ("Horizon (semaines)", 13),
            ("Durée du sprint (semaines)", 2),
            ("Calendrier", "France"),
            ("Échelle de vraisemblance", "1-4"),
            ("Échelle de gravité", "1-4"),
            ("Crédit partiel en cours", "Non"),
        ],
        "help_header": ["Feuille", "Colonne", "Contenu"],
    },
    "en": {
        "sheets": ("Measures", "Risks", "Teams", "Settings", "Help"),
        "measures": [
            "ID",
            "Measure",
            "Domain",
            "Team",
            "Owner",
            "Effort (person-days)",
            "Max people",
            "Status",
            "Progress (%)",
            "Priority",
            "Planned start",
            "Planned end",
            "Planned quarter",
            "Depends on",
            "Mitigates",
            "References",
            "Due date",
            "Completed on",
            "Fixed sprint",
            "Notes",
            "Effort min (person-days)",
            "Effort max (person-days)",
        ],
        "risks": ["ID", "Scenario", "Likelihood", "Severity", "Target level"],
        "teams": ["Team", "FTE", "Availability (%)", "Reinforcement (person-days per week)"],
        "settings": ["Setting", "Value"],
        "statuses": ["To do", "In progress", "Done", "Blocked", "Cancelled"],
        "levels": ["Low", "Moderate", "High", "Critical"],
        "likelihood": ["1", "2", "3", "4"],
        "severity": ["1", "2", "3", "4"],
        "example": [
            "EXAMPLE-01",
            "Example: enforce multi-factor authentication on e-mail",
            "E-mail",
            "Systems",
            "CISO",
            5,
            2,
            "To do",
            0,
            "P1",
            dt.date(2027, 1, 4),
            dt.date(2027, 3, 31),
            None,
            None,
            "R01:0.6",
            "HHS CPG Multifactor Authentication",
            None,
            None,
            None,
            "",
            4,
            8,
        ],
        "risk": ["R01", "Phishing-led intrusion", "4", "4", "Moderate"],
        "team": ["Systems", 3, 60, 0],
        "params": [
            ("Establishment", "Hospital"),
            ("Programme start date", None),
            ("Horizon (weeks)", 13),
            ("Sprint length (weeks)", 2),
            ("Calendar", "FR"),
            ("Likelihood scale", "1-4"),
            ("Severity scale", "1-4"),
            ("Partial credit", "No"),
        ],
        "help_header": ["Sheet", "Column", "What to write"],
    },
}

_THREE_POINT = 2
"""The template's last two Measures columns: the optional three-point efforts of the forecast."""

MEASURE_HEADERS: dict[str, tuple[str, ...]] = {
    lang: tuple(text["measures"][:-_THREE_POINT]) for lang, text in _HEADERS.items()
}
"""The Measures sheet's headers of the format (PRODUCT.md §4), in French and English, in order;
the template adds the optional ``Charge min (j.h)`` / ``Charge max (j.h)`` after them
(:data:`THREE_POINT_HEADERS`)."""

THREE_POINT_HEADERS: dict[str, tuple[str, ...]] = {
    lang: tuple(text["measures"][-_THREE_POINT:]) for lang, text in _HEADERS.items()
}
"""The optional optimistic and pessimistic effort headers (the forecast's three-point estimates)."""

_HELP = {
    "fr": [
        "Identifiant unique, gardé comme texte (1.1 reste « 1.1 »).",
        "Intitulé de la mesure (obligatoire).",
        "Domaine (Messagerie, Annuaire, Exposition internet, Postes de travail, Sauvegardes et PRA…).",
        "Équipe qui réalise la mesure : un nom de la feuille Équipes.",
        "Rôle qui pilote la mesure (RSSI, DSI…), jamais un nom de personne.",
        "Charge en jours-homme : 3, 1,5, « 3 j », « 2 sem ». Vide : valeur par défaut selon la priorité.",
        "Nombre de personnes de l’équipe qui peuvent y travailler en même temps (1 par défaut).",
        "À faire, En cours, Fait, Bloqué, Abandonné.",
        "0 à 100 (ou 50 %).",
        "P1 (la plus haute) à P4.",
        "Début du plan initial pluriannuel (date).",
        "Fin du plan initial pluriannuel (date).",
        "Trimestre du plan initial si pas de dates : 2027-T3, T3 2027.",
        "ID des mesures préalables, séparés par ; ou ,.",
        "Risques traités et efficacité de 0 à 1 : « R01:0.6; R03:0.3 ».",
        "Références des référentiels (guide d’hygiène ANSSI, CaRE, MonServiceSécurisé, HHS CPG).",
        "Date limite (placée en priorité dans le plan).",
        "Date de réalisation effective.",
        "Numéro de sprint imposé (1, 2…).",
        "Commentaire libre (la raison d’un blocage, par exemple).",
        "Estimation optimiste de la charge (j.h), pour la prévision : vide = −20 % (−10 % en cours).",
        "Estimation pessimiste de la charge (j.h), pour la prévision : vide = +50 % (+25 % en cours).",
    ],
    "en": [
        'Unique ID, kept as text (1.1 stays "1.1").',
        "Title of the measure (required).",
        "Domain (E-mail, Directory, Internet exposure, Workstations, Backups and recovery…).",
        "Team doing the measure: a name from the Teams sheet.",
        "Role in charge (CISO, CIO…), never a person's name.",
        'Effort in person-days: 3, 1.5, "3 d", "2 w". Empty: a default by priority.',
        "How many people of the team can work on it at once (default 1).",
        "To do, In progress, Done, Blocked, Cancelled.",
        "0 to 100 (or 50 %).",
        "P1 (highest) to P4.",
        "Start in the original multi-year plan (date).",
        "End in the original multi-year plan (date).",
        "Quarter of the original plan when there are no dates: 2027-Q3.",
        "IDs of prerequisite measures, separated by ; or ,.",
        'Risks mitigated and effectiveness 0–1: "R01:0.6; R03:0.3".',
        "Framework references (ANSSI hygiene guide, CaRE, MonServiceSécurisé, HHS CPG).",
        "Deadline (placed first in the plan).",
        "Actual completion date.",
        "Imposed sprint number (1, 2…).",
        "Free notes (why a measure is blocked, for instance).",
        "Optimistic effort (person-days), for the forecast: empty = −20 % (−10 % in progress).",
        "Pessimistic effort (person-days), for the forecast: empty = +50 % (+25 % in progress).",
    ],
}

_BOLD = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="0072B2")


def build_template(*, lang: str = "fr") -> bytes:
    """The .xlsx template in French (``fr``) or English (``en``)."""
    text = _HEADERS.get(lang, _HEADERS["en"])
    measures_name, risks_name, teams_name, settings_name, help_name = text["sheets"]
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    measures = book.create_sheet(measures_name)
    _table(measures, text["measures"], [text["example"]])
    _table(book.create_sheet(risks_name), text["risks"], [text["risk"]])
    _table(book.create_sheet(teams_name), text["teams"], [text["team"]])
    _table(book.create_sheet(settings_name), text["settings"], [list(p) for p in text["params"]])
    help_sheet = book.create_sheet(help_name)
    _table(
        help_sheet,
        text["help_header"],
        [[measures_name, h, d] for h, d in zip(text["measures"], _HELP[lang if lang in _HELP else "en"], strict=True)],
    )
    help_sheet.column_dimensions["C"].width = 90
    for cell in measures["K"][1:] + measures["L"][1:] + measures["Q"][1:] + measures["R"][1:]:
        cell.number_format = "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"
    measures["A2"].number_format = "@"
    last = 1000
    lists = {
        "H": '"' + ",".join(text["statuses"]) + '"',
        "J": '"P1,P2,P3,P4"',
        "D": f"'{teams_name}'!$A$2:$A$200",
    }
    for column, formula in lists.items():
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{column}2:{column}{last}")
        measures.add_data_validation(validation)
    risks = book.worksheets[1]
    for column, values in (("C", text["likelihood"]), ("D", text["severity"]), ("E", text["levels"])):
        validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        validation.add(f"{column}2:{column}{last}")
        risks.add_data_validation(validation)
    book.properties.creator = "Rempart"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(sheet: Worksheet, headers: list[str], rows: list[list[Any]]) -> None:
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = _BOLD, _FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(header) + 4))
    sheet.freeze_panes = "A2"
