"""Compliance and risk files built in memory, in the layouts public ones use (issue 15): an ISO 27001
gap assessment, a statement of applicability in three languages, a risk register, an HDS requirement
catalogue in French, an OWASP SAMM assessment, a filled FedRAMP POA&M, Nessus and OpenVAS exports.

The layouts follow what public templates and tools show (headers, vocabularies, preamble and guidance
rows, section rows, totals); the contents are invented. Each builder returns a :class:`GrcFile`: the
bytes, a file name, and the plan a reader should get from it with no mapping. Shared by
``tests/test_grc_files.py`` and ``benchmarks/grc_coverage.py``; none is a copy of a real file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from conftest import workbook_bytes

from roadmap.models import Priority, Status

D = dt.date


@dataclass(frozen=True)
class Expected:
    """One measure a reader should get: its ID and title, and the fields that the file gives."""

    id: str
    title: str
    status: Status = Status.NOT_STARTED
    priority: Priority | None = None  # None: the file gives none (any)
    owner: str | None = None
    due: dt.date | None = None


@dataclass(frozen=True)
class GrcFile:
    kind: str
    filename: str
    data: bytes
    measures: tuple[Expected, ...]
    skipped: dict[int, str] = field(default_factory=dict)  # Excel row -> a word of the reason
    sheet: str | None = None  # the sheet the measures are read from


def _csv(rows: Sequence[Sequence[Any]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


P1, P2, P3, P4 = Priority.P1, Priority.P2, Priority.P3, Priority.P4
TODO, WIP, DONE, CANCELLED = Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.CANCELLED


def iso_gap_assessment() -> GrcFile:
    """ISO/IEC 27001:2022 gap assessment: a title and an organisation block, Annex A themes as section
    rows, control IDs ``5.1``, the control's name and its objective, a status per control, an owner,
    a target date and a % complete; a summary under a blank row."""
    head = [
        "Control No.",
        "Control",
        "Control objective",
        "Implementation status",
        "Owner",
        "Target date",
        "% complete",
    ]
    rows: list[list[Any]] = [
        ["ISO/IEC 27001:2022 Gap Assessment"],
        ["Organisation:", "Hôpital de Rivebelle"],
        ["Assessment date:", D(2027, 1, 11)],
        [],
        head,
        ["5 Organizational controls"],
        [
            "5.1",
            "Policies for information security",
            "To ensure the policies are defined, approved and communicated.",
            "Implemented",
            "CISO",
            D(2027, 1, 31),
            1,
        ],
        [
            "5.2",
            "Information security roles and responsibilities",
            "To establish a defined structure of roles.",
            "Partially implemented",
            "CISO",
            D(2027, 3, 31),
            0.5,
        ],
        [
            "5.7",
            "Threat intelligence",
            "To provide awareness of the threat environment.",
            "Not implemented",
            "SOC lead",
            D(2027, 6, 30),
            0,
        ],
        ["6 People controls"],
        [
            "6.3",
            "Information security awareness, education and training",
            "To ensure staff are aware of their duties.",
            "Partially implemented",
            "HR manager",
            D(2027, 4, 30),
            0.25,
        ],
        ["7 Physical controls"],
        [
            "7.4",
            "Physical security monitoring",
            "To detect and deter unauthorized physical access.",
            "Not applicable",
            "Facilities",
            None,
            None,
        ],
        ["8 Technological controls"],
        [
            "8.7",
            "Protection against malware",
            "To ensure information is protected against malware.",
            "Implemented",
            "IT operations",
            D(2027, 1, 31),
            1,
        ],
        [
            "8.8",
            "Management of technical vulnerabilities",
            "To prevent exploitation of technical vulnerabilities.",
            "Not implemented",
            "IT operations",
            D(2027, 5, 15),
            0,
        ],
        [],
        ["Summary"],
        ["Implemented", 2],
        ["Partially implemented", 2],
        ["Not implemented", 2],
    ]
    measures = (
        Expected("5.1", "Policies for information security", DONE, None, "CISO", D(2027, 1, 31)),
        Expected("5.2", "Information security roles and responsibilities", WIP, None, "CISO", D(2027, 3, 31)),
        Expected("5.7", "Threat intelligence", TODO, None, "SOC lead", D(2027, 6, 30)),
        Expected(
            "6.3", "Information security awareness, education and training", WIP, None, "HR manager", D(2027, 4, 30)
        ),
        Expected("7.4", "Physical security monitoring", CANCELLED, None, "Facilities"),
        Expected("8.7", "Protection against malware", DONE, None, "IT operations", D(2027, 1, 31)),
        Expected("8.8", "Management of technical vulnerabilities", TODO, None, "IT operations", D(2027, 5, 15)),
    )
    skipped = {6: "section", 10: "section", 12: "section", 14: "section"}
    return GrcFile(
        "iso27001 gap assessment",
        "gap_assessment.xlsx",
        workbook_bytes({"Gap Assessment": rows}),
        measures,
        skipped,
        "Gap Assessment",
    )


def statement_of_applicability() -> GrcFile:
    """ISO/IEC 27001:2013 statement of applicability in three languages, one sheet each, after an
    instructions sheet; Annex A IDs ``A.5.1.1``; ``Applicable`` Yes/No with a justification; an
    implementation status; a row of merged headers over the table."""
    rows_en: list[list[Any]] = [
        ["Statement of Applicability — ISO/IEC 27001:2013 Annex A"],
        ["Version 1.2", None, None, "Approved by: CISO"],
        [],
        [
            "Control ID",
            "Control name",
            "Control objective",
            "Applicable (Yes/No)",
            "Justification for inclusion/exclusion",
            "Implementation status",
            "Control owner",
        ],
        [
            "A.5.1.1",
            "Policies for information security",
            "A set of policies shall be defined and approved.",
            "Yes",
            "Required by risk assessment",
            "Implemented",
            "CISO",
        ],
        [
            "A.6.2.1",
            "Mobile device policy",
            "A policy and supporting measures shall be adopted.",
            "Yes",
            "Staff use tablets in wards",
            "Partially implemented",
            "IT operations",
        ],
        [
            "A.9.4.2",
            "Secure log-on procedures",
            "Access shall be controlled by a secure log-on procedure.",
            "Yes",
            "Risk R-04",
            "Not implemented",
            "IT operations",
        ],
        [
            "A.14.2.7",
            "Outsourced development",
            "The organization shall supervise outsourced development.",
            "No",
            "No outsourced development",
            None,
            None,
        ],
        [
            "A.11.1.6",
            "Delivery and loading areas",
            "Access points such as delivery areas shall be controlled.",
            "No",
            "No delivery area in scope",
            None,
            None,
        ],
    ]
    rows_fr = [
        ["Déclaration d'applicabilité — ISO/IEC 27001:2013 Annexe A"],
        [],
        ["Réf.", "Mesure", "Objectif", "Applicable (Oui/Non)", "Justification", "État de mise en œuvre", "Responsable"],
        [
            "A.5.1.1",
            "Politiques de sécurité de l'information",
            "Un ensemble de politiques doit être défini.",
            "Oui",
            "Analyse de risques",
            "Mis en œuvre",
            "RSSI",
        ],
        [
            "A.6.2.1",
            "Politique en matière d'appareils mobiles",
            "Une politique doit être adoptée.",
            "Oui",
            "Tablettes",
            "Partiellement mis en œuvre",
            "Exploitation",
        ],
    ]
    rows_de = [
        ["Erklärung zur Anwendbarkeit"],
        [],
        ["Nr.", "Maßnahme", "Ziel", "Anwendbar (Ja/Nein)", "Begründung", "Umsetzungsstatus", "Verantwortlich"],
        [
            "A.5.1.1",
            "Informationssicherheitsrichtlinien",
            "Richtlinien sind festzulegen.",
            "Ja",
            "Risiko",
            "Umgesetzt",
            "ISB",
        ],
    ]
    instructions = [
        ["How to use this workbook"],
        ["Fill one sheet per language; the English sheet is the reference."],
        ["Applicable: Yes when the control is selected, No when excluded (give the justification)."],
    ]
    measures = (
        Expected("A.5.1.1", "Policies for information security", DONE, None, "CISO"),
        Expected("A.6.2.1", "Mobile device policy", WIP, None, "IT operations"),
        Expected("A.9.4.2", "Secure log-on procedures", TODO, None, "IT operations"),
        Expected("A.14.2.7", "Outsourced development", CANCELLED),
        Expected("A.11.1.6", "Delivery and loading areas", CANCELLED),
    )
    data = workbook_bytes({"Instructions": instructions, "SoA EN": rows_en, "SoA FR": rows_fr, "SoA DE": rows_de})
    return GrcFile("iso27001 statement of applicability", "soa.xlsx", data, measures, {}, "SoA EN")


def risk_register() -> GrcFile:
    """ISO 27005 / NIST risk register: a title row, the scales in a legend row, likelihood and impact
    1–5, an inherent score (their product), a treatment decision and plan, a risk owner, a due date, a
    residual score and a status Open / In progress / Closed / Accepted; a totals row."""
    head = [
        "Risk ID",
        "Risk Description",
        "Asset",
        "Threat",
        "Vulnerability",
        "Likelihood (1-5)",
        "Impact (1-5)",
        "Inherent Risk Score",
        "Treatment",
        "Treatment Plan",
        "Risk Owner",
        "Due Date",
        "Residual Risk Score",
        "Status",
    ]
    rows: list[list[Any]] = [
        ["Information Security Risk Register"],
        ["Scale: 1 = Rare / Negligible … 5 = Almost certain / Severe; score = likelihood × impact"],
        [],
        head,
        [
            "RSK-001",
            "Ransomware encrypts the patient record servers",
            "EHR servers",
            "Ransomware",
            "Unpatched servers",
            4,
            5,
            20,
            "Mitigate",
            "Patch monthly and isolate backups offline",
            "IT Manager",
            D(2027, 3, 31),
            8,
            "Open",
        ],
        [
            "RSK-002",
            "Phishing leads to theft of staff credentials",
            "Mailboxes",
            "Phishing",
            "No MFA on webmail",
            4,
            4,
            16,
            "Mitigate",
            "Enable MFA on webmail",
            "CISO",
            D(2027, 2, 28),
            4,
            "In progress",
        ],
        [
            "RSK-003",
            "Loss of a laptop exposes patient data",
            "Laptops",
            "Theft",
            "Disks not encrypted",
            3,
            3,
            9,
            "Mitigate",
            "Encrypt laptop disks",
            "Desktop lead",
            D(2027, 4, 30),
            3,
            "Closed",
        ],
        [
            "RSK-004",
            "Supplier remote access is misused",
            "VPN",
            "Insider",
            "Shared supplier accounts",
            2,
            4,
            8,
            "Mitigate",
            "Named supplier accounts with MFA",
            "Network lead",
            D(2027, 6, 30),
            4,
            "Open",
        ],
        [
            "RSK-005",
            "Legacy imaging system cannot be patched",
            "PACS",
            "Exploit",
            "Unsupported OS",
            2,
            2,
            4,
            "Accept",
            "Accepted by the board until replacement",
            "CIO",
            None,
            4,
            "Accepted",
        ],
        [],
        ["Total", None, None, None, None, None, None, "=SUM(H5:H9)"],
    ]
    measures = (
        Expected("RSK-001", "Ransomware encrypts the patient record servers", TODO, P1, "IT Manager", D(2027, 3, 31)),
        Expected("RSK-002", "Phishing leads to theft of staff credentials", WIP, P2, "CISO", D(2027, 2, 28)),
        Expected("RSK-003", "Loss of a laptop exposes patient data", DONE, P3, "Desktop lead", D(2027, 4, 30)),
        Expected("RSK-004", "Supplier remote access is misused", TODO, P3, "Network lead", D(2027, 6, 30)),
        Expected("RSK-005", "Legacy imaging system cannot be patched", CANCELLED, P4, "CIO"),
    )
    return GrcFile(
        "risk register",
        "risk_register.xlsx",
        workbook_bytes({"Risk Register": rows}),
        measures,
        {11: "totals"},
        "Risk Register",
    )


def hds_catalogue() -> GrcFile:
    """HDS (Hébergeur de Données de Santé) requirement catalogue in French: a banner, chapters as
    section rows, ``Référence`` / ``Exigence`` / ``Applicabilité`` / ``Conformité`` (Conforme, Non
    conforme, Partiellement conforme, N/A), a plan d'action, a responsable, an échéance (dd/mm/yyyy
    text)."""
    head = [
        "Chapitre",
        "Référence",
        "Exigence",
        "Applicabilité",
        "Conformité",
        "Plan d'action",
        "Responsable",
        "Échéance",
    ]
    rows: list[list[Any]] = [
        ["Référentiel de certification HDS — grille d'auto-évaluation"],
        ["Établissement : CH de Rivebelle", None, None, None, "Version : 2.0"],
        [],
        head,
        ["Chapitre 1 — Exigences relatives au contrat"],
        [
            "1",
            "HDS-1.1",
            "Le contrat précise la localisation des données de santé hébergées.",
            "Applicable",
            "Conforme",
            None,
            "DPO",
            None,
        ],
        [
            "1",
            "HDS-1.2",
            "Le contrat décrit les modalités de réversibilité des données.",
            "Applicable",
            "Partiellement conforme",
            "Rédiger l'annexe de réversibilité",
            "Juriste",
            "30/04/2027",
        ],
        ["Chapitre 2 — Exigences de sécurité"],
        [
            "2",
            "HDS-2.1",
            "L'hébergeur chiffre les sauvegardes des données de santé.",
            "Applicable",
            "Non conforme",
            "Activer le chiffrement des sauvegardes",
            "Exploitation",
            "31/03/2027",
        ],
        [
            "2",
            "HDS-2.2",
            "Les accès d'administration sont tracés et revus chaque trimestre.",
            "Applicable",
            "Non conforme",
            "Mettre en place la revue trimestrielle",
            "RSSI",
            "30/06/2027",
        ],
        [
            "2",
            "HDS-2.3",
            "L'hébergement physique est réalisé dans un centre certifié.",
            "Non applicable",
            "N/A",
            None,
            None,
            None,
        ],
    ]
    measures = (
        Expected("HDS-1.1", "Le contrat précise la localisation des données de santé hébergées.", DONE, None, "DPO"),
        Expected(
            "HDS-1.2",
            "Le contrat décrit les modalités de réversibilité des données.",
            WIP,
            None,
            "Juriste",
            D(2027, 4, 30),
        ),
        Expected(
            "HDS-2.1",
            "L'hébergeur chiffre les sauvegardes des données de santé.",
            TODO,
            None,
            "Exploitation",
            D(2027, 3, 31),
        ),
        Expected(
            "HDS-2.2",
            "Les accès d'administration sont tracés et revus chaque trimestre.",
            TODO,
            None,
            "RSSI",
            D(2027, 6, 30),
        ),
        Expected("HDS-2.3", "L'hébergement physique est réalisé dans un centre certifié.", CANCELLED),
    )
    return GrcFile(
        "HDS requirement catalogue (fr)",
        "hds_exigences.xlsx",
        workbook_bytes({"Exigences": rows}),
        measures,
        {5: "section", 8: "section"},
        "Exigences",
    )


SAMM_ANSWERS = (
    "No",
    "Yes, for some applications",
    "Yes, for at least half of the applications",
    "Yes, for most or all of the applications",
)


def samm_assessment() -> GrcFile:
    """OWASP SAMM v2 interview sheet: a banner and an organisation block, business function and
    security practice written once per group (merged cells), a stream letter, a maturity level, the
    question and its answer from the model's answer set; a score column."""
    head = ["Business Function", "Security Practice", "Stream", "Maturity", "Question", "Answer", "Score"]
    questions = [
        (
            "Governance",
            "Strategy & Metrics",
            "A",
            1,
            "Do you understand the enterprise-wide risk appetite for your applications?",
            SAMM_ANSWERS[3],
            1,
        ),
        (
            None,
            None,
            "B",
            1,
            "Do you use a set of metrics to measure the effectiveness of the security program?",
            SAMM_ANSWERS[1],
            0.25,
        ),
        (
            None,
            "Policy & Compliance",
            "A",
            1,
            "Do you have and apply a common set of policies for application security?",
            SAMM_ANSWERS[0],
            0,
        ),
        (
            "Design",
            "Threat Assessment",
            "A",
            1,
            "Do you classify applications according to business risk based on a simple questionnaire?",
            SAMM_ANSWERS[2],
            0.5,
        ),
        (
            None,
            None,
            "B",
            1,
            "Do you identify and manage architectural design flaws with threat modeling?",
            SAMM_ANSWERS[0],
            0,
        ),
        (
            "Verification",
            "Security Testing",
            "A",
            1,
            "Do you scan applications with automated security testing tools?",
            SAMM_ANSWERS[3],
            1,
        ),
    ]
    rows: list[list[Any]] = [
        ["SAMM Assessment Interview"],
        ["Organization", "CH Rivebelle"],
        ["Scope", "Patient portal"],
        [],
        head,
        *[list(q) for q in questions],
    ]
    statuses = [DONE, WIP, TODO, WIP, TODO, DONE]
    measures = tuple(Expected("", q[4], s) for q, s in zip(questions, statuses, strict=True))
    merges = {"SAMM Interview": ["A6:A8", "B6:B7", "A9:A10", "B9:B10"]}
    return GrcFile(
        "OWASP SAMM assessment",
        "samm.xlsx",
        workbook_bytes({"SAMM Interview": rows}, merged=merges),
        measures,
        {},
        "SAMM Interview",
    )


def fedramp_poam() -> GrcFile:
    """A filled FedRAMP POA&M (Rev. 5 layout): a title, a system block, the header on row 5 with its
    guidance row and its type row under it, the template's example row, then the open items; the
    adjusted risk rating (else the original) gives the priority; a false positive is cancelled."""
    head = [
        "POAM ID",
        "Controls",
        "Weakness Name",
        "Weakness Description",
        "Weakness Detector Source",
        "Weakness Source Identifier",
        "Asset Identifier",
        "Point of Contact",
        "Resources Required",
        "Overall Remediation Plan",
        "Original Detection Date",
        "Scheduled Completion Date",
        "Planned Milestones",
        "Milestone Changes",
        "Status Date",
        "Vendor Dependency",
        "Last Vendor Check-in Date",
        "Vendor Dependent Product Name",
        "Original Risk Rating",
        "Adjusted Risk Rating",
        "Risk Adjustment",
        "False Positive",
        "Operational Requirement",
        "Deviation Rationale",
        "Supporting Documents",
        "Comments",
    ]
    guidance = [
        "Unique identifier for each POAM Item",
        "Applicable 800-53 Control(s)",
        "Name of the weakness as provided by the scanner or otherwise summarizing the weakness",
        "Description of the weakness and other information",
        "The scanner name or other source that detected the vulnerability",
        "Vulnerability identifier (Plugin ID) as provided by scanner",
        "Identifier Specified in the Inventory",
        "Person Responsible for implementing this task",
        "Specify resources needed beyond current resources to mitigate task",
        "General overview of the remediation plan",
        "Date the weakness was first identified",
        "Permanent Column\nDate of intended completion",
        "List of proposed Milestones",
        "Any alterations, status updates, or additions to the milestones",
        "Date POA&M item was last changed or closed",
        "Whether or not this item is vendor dependent.",
        "Date of last vendor check-in, if applicable",
        "Name of the product that is dependent upon the vendor",
        "Provide the Original Risk Rating from the scanner",
        "Provide the Adjusted Risk Rating as approved by the CIO",
        "Whether there was a Risk Adjustment",
        "Whether this weakness should be considered a False Positive",
        "Whether this weakness should be considered an Operational Requirement",
        "Information about the Deviation",
        "List any supporting documents",
        "Additional information",
    ]
    types = [
        "Unique Identifier",
        "Control Number",
        "Text",
        "Text",
        "[Nessus, Qualys, etc]",
        "Identifier",
        "Identifier (port/protocol)",
        "Text",
        "Text",
        "Text",
        "Date",
        "Date",
        "(##) xxxx-xx-xx: Milestone",
        "(##) New/Update/Complete xxxx-xx-xx : Description",
        "Date",
        "Yes, No",
        "Date",
        "Product Name",
        "Low, Moderate, High",
        "Low, Moderate, High, N/A",
        "Yes, No, Pending",
        "Yes, No, Pending",
        "Yes, No, Pending",
        "Deviation Type : Rationale",
        "Document Type : Document Name",
        "Text",
    ]

    def item(
        ident: str, control: str, name: str, poc: str, due: dt.date, original: str, adjusted: Any, false_positive: str
    ) -> list[Any]:
        return [
            ident,
            control,
            name,
            f"{name} on the listed assets.",
            "Nessus",
            10000 + len(ident) * 7,
            "10.0.0.5 (443/tcp)",
            poc,
            "None",
            f"Remediate: {name.lower()}",
            D(2026, 11, 2),
            due,
            "(1) 2027-01-15: Patch in test\n\n(2) 2027-02-01: Patch in production",
            None,
            D(2026, 12, 1),
            "No",
            None,
            None,
            original,
            adjusted,
            "Yes" if adjusted else "No",
            false_positive,
            "No",
            None,
            None,
            None,
        ]

    rows: list[list[Any]] = [
        ["FedRAMP® Plan of Action and Milestones (POA&M)"],
        ["CSP", "System Name", "Impact Level", "POAM Date"],
        ["Rivebelle Cloud", "Patient Portal", "Moderate", D(2026, 12, 1)],
        [],
        head,
        guidance,
        types,
        [
            "V-1Example",
            "AC-1",
            "Open port on Example Firewall",
            "Unprovisioned port left open on example firewall",
            "Nessus",
            12345,
            "172.246.15.3 (80/TCP)",
            "John Doe - Example CSP",
            "Implement a technical solution.",
            D(2014, 5, 5),
            D(2014, 8, 3),
            None,
            None,
            D(2014, 8, 5),
            "Yes",
            D(2014, 8, 5),
            "Example Firewall",
            "High",
            "Moderate",
            "Yes",
            "No",
            "Pending",
            None,
            None,
            None,
            None,
        ],
        item(
            "V-0001",
            "RA-5",
            "OpenSSL vulnerable to buffer overflow",
            "Jane Roe - Ops",
            D(2027, 1, 31),
            "High",
            None,
            "No",
        ),
        item("V-0002", "SC-8", "TLS 1.0 protocol detection", "Jane Roe - Ops", D(2027, 4, 30), "Moderate", "Low", "No"),
        item("V-0003", "SI-2", "Apache Tomcat outdated version", "Max Doe - Web", D(2027, 3, 31), "High", "High", "No"),
        item("V-0004", "CM-6", "SSH weak MAC algorithms enabled", "Max Doe - Web", D(2027, 4, 30), "Low", None, "Yes"),
    ]
    measures = (
        Expected("V-0001", "OpenSSL vulnerable to buffer overflow", TODO, P2, "Jane Roe - Ops", D(2027, 1, 31)),
        Expected("V-0002", "TLS 1.0 protocol detection", TODO, P4, "Jane Roe - Ops", D(2027, 4, 30)),
        Expected("V-0003", "Apache Tomcat outdated version", TODO, P2, "Max Doe - Web", D(2027, 3, 31)),
        Expected("V-0004", "SSH weak MAC algorithms enabled", CANCELLED, P4, "Max Doe - Web", D(2027, 4, 30)),
    )
    closed = [rows[0], rows[1], rows[2], [], head]
    data = workbook_bytes({"Open POA&M Items": rows, "Closed POA&M Items": closed})
    return GrcFile(
        "FedRAMP POA&M (filled)", "poam.xlsx", data, measures, {6: "", 7: "", 8: "example"}, "Open POA&M Items"
    )


def nessus_csv() -> GrcFile:
    """Nessus CSV export (``Plugin ID,CVE,CVSS,Risk,Host,…``): one row per plugin and host, so a plugin
    found on two hosts is two rows with the same Plugin ID; Risk None for informational plugins."""
    head = [
        "Plugin ID",
        "CVE",
        "CVSS",
        "Risk",
        "Host",
        "Protocol",
        "Port",
        "Name",
        "Synopsis",
        "Description",
        "Solution",
        "See Also",
        "Plugin Output",
    ]
    rows: list[list[Any]] = [
        head,
        [
            "97833",
            "CVE-2017-0143",
            "10.0",
            "Critical",
            "10.1.1.5",
            "tcp",
            "445",
            "MS17-010: Security Update for Microsoft Windows SMB Server",
            "The remote Windows host is affected by multiple vulnerabilities.",
            "The remote host is missing an update.",
            "Apply the update from Microsoft.",
            "",
            "",
        ],
        [
            "97833",
            "CVE-2017-0144",
            "10.0",
            "Critical",
            "10.1.1.6",
            "tcp",
            "445",
            "MS17-010: Security Update for Microsoft Windows SMB Server",
            "The remote Windows host is affected by multiple vulnerabilities.",
            "The remote host is missing an update.",
            "Apply the update from Microsoft.",
            "",
            "",
        ],
        [
            "42873",
            "CVE-2016-2183",
            "5.0",
            "Medium",
            "10.1.1.7",
            "tcp",
            "443",
            "SSL Medium Strength Cipher Suites Supported (SWEET32)",
            "The remote service supports the use of medium strength SSL ciphers.",
            "The remote host supports ciphers.",
            "Reconfigure the affected application.",
            "",
            "",
        ],
        [
            "57608",
            "",
            "5.0",
            "Medium",
            "10.1.1.5",
            "tcp",
            "445",
            "SMB Signing not required",
            "Signing is not required on the remote SMB server.",
            "Signing is not required.",
            "Enforce message signing in the host's configuration.",
            "",
            "",
        ],
        [
            "10114",
            "CVE-1999-0524",
            "2.1",
            "Low",
            "10.1.1.8",
            "icmp",
            "0",
            "ICMP Timestamp Request Remote Date Disclosure",
            "It is possible to determine the exact time set on the remote host.",
            "The remote host answers.",
            "Filter out the ICMP timestamp requests.",
            "",
            "",
        ],
        [
            "19506",
            "",
            "",
            "None",
            "10.1.1.5",
            "tcp",
            "0",
            "Nessus Scan Information",
            "This plugin displays information about the Nessus scan.",
            "This plugin displays information.",
            "n/a",
            "",
            "",
        ],
        [
            "156032",
            "CVE-2021-44228",
            "10.0",
            "Critical",
            "10.1.1.9",
            "tcp",
            "8080",
            "Apache Log4j Remote Code Execution (Log4Shell)",
            "A logging library is affected by RCE.",
            "The version of Log4j is affected.",
            "Upgrade to Apache Log4j version 2.15.0 or later.",
            "",
            "",
        ],
        [
            "104743",
            "",
            "6.1",
            "High",
            "10.1.1.7",
            "tcp",
            "443",
            "TLS Version 1.0 Protocol Detection",
            "The remote service encrypts traffic using an older version of TLS.",
            "The remote service accepts TLS 1.0.",
            "Enable support for TLS 1.2 and 1.3.",
            "",
            "",
        ],
    ]
    measures = (
        Expected("97833", "MS17-010: Security Update for Microsoft Windows SMB Server", TODO, P1),
        Expected("97833-2", "MS17-010: Security Update for Microsoft Windows SMB Server", TODO, P1),
        Expected("42873", "SSL Medium Strength Cipher Suites Supported (SWEET32)", TODO, P3),
        Expected("57608", "SMB Signing not required", TODO, P3),
        Expected("10114", "ICMP Timestamp Request Remote Date Disclosure", TODO, P4),
        Expected("156032", "Apache Log4j Remote Code Execution (Log4Shell)", TODO, P1),
        Expected("104743", "TLS Version 1.0 Protocol Detection", TODO, P2),
    )
    # Risk None: an informational finding, nothing to fix
    return GrcFile("Nessus CSV export", "nessus_scan.csv", _csv(rows), measures, {7: "informational"}, None)


def openvas_csv() -> GrcFile:
    """OpenVAS / Greenbone CSV results export (``IP,Hostname,Port,Port Protocol,CVSS,Severity,…,NVT
    Name,Summary,…``), severity High / Medium / Low / Log."""
    head = [
        "IP",
        "Hostname",
        "Port",
        "Port Protocol",
        "CVSS",
        "Severity",
        "Solution Type",
        "NVT Name",
        "Summary",
        "Specific Result",
        "NVT OID",
        "CVEs",
        "Task ID",
        "Task Name",
        "Timestamp",
        "Result ID",
        "Impact",
        "Solution",
    ]
    findings = [
        (
            "10.2.0.4",
            "srv-web",
            "443",
            "tcp",
            "7.5",
            "High",
            "VendorFix",
            "OpenSSL: Denial of Service Vulnerability",
            "OpenSSL is prone to a denial of service vulnerability.",
            "1.3.6.1.4.1.25623.1.0.10001",
            "Update OpenSSL.",
        ),
        (
            "10.2.0.4",
            "srv-web",
            "22",
            "tcp",
            "5.3",
            "Medium",
            "Mitigation",
            "Weak Key Exchange Algorithms Supported (SSH)",
            "The remote SSH server is configured to allow weak key exchange algorithms.",
            "1.3.6.1.4.1.25623.1.0.10002",
            "Disable the weak KEX algorithms.",
        ),
        (
            "10.2.0.7",
            "srv-db",
            "3306",
            "tcp",
            "2.6",
            "Low",
            "Mitigation",
            "TCP timestamps",
            "The remote host implements TCP timestamps.",
            "1.3.6.1.4.1.25623.1.0.10003",
            "Disable TCP timestamps.",
        ),
        (
            "10.2.0.7",
            "srv-db",
            "general",
            "tcp",
            "0.0",
            "Log",
            "",
            "OS Detection Consolidation and Reporting",
            "This script consolidates the OS information.",
            "1.3.6.1.4.1.25623.1.0.10004",
            "",
        ),
    ]
    rows: list[list[Any]] = [head]
    for n, (ip, host, port, proto, cvss, sev, sol_type, name, summary, oid, solution) in enumerate(findings):
        rows.append(
            [
                ip,
                host,
                port,
                proto,
                cvss,
                sev,
                sol_type,
                name,
                summary,
                "",
                oid,
                "",
                "task-1",
                "Weekly scan",
                "2027-01-04T10:00:00Z",
                f"r-{n + 1:04d}",
                "",
                solution,
            ]
        )
    measures = (
        Expected("", "OpenSSL: Denial of Service Vulnerability", TODO, P2),
        Expected("", "Weak Key Exchange Algorithms Supported (SSH)", TODO, P3),
        Expected("", "TCP timestamps", TODO, P4),
    )
    # severity Log: an informational finding, nothing to fix
    return GrcFile("OpenVAS CSV export", "openvas_report.csv", _csv(rows), measures, {5: "informational"}, None)


BUILDERS: tuple[Callable[[], GrcFile], ...] = (
    iso_gap_assessment,
    statement_of_applicability,
    risk_register,
    hds_catalogue,
    samm_assessment,
    fedramp_poam,
    nessus_csv,
    openvas_csv,
)
"""Every kind of compliance and risk file built here."""


def differences(file: GrcFile, result: Any) -> list[str]:
    """What a reader got wrong on ``file`` (``result``: a :class:`roadmap.importing.load.LoadResult`),
    as short lines; empty when the plan is right. An expected ID of ``""`` accepts any ID."""
    if not result.ok:
        return [f"not ok: {[i.message for i in result.errors][:2]}"]
    got = list(result.roadmap.measures)
    wrong: list[str] = []
    if len(got) != len(file.measures):
        wrong.append(f"{len(got)} measures read, {len(file.measures)} expected: {[m.title[:30] for m in got]}")
    for want, measure in zip(file.measures, got, strict=False):
        if want.id and measure.id != want.id:
            wrong.append(f"id {measure.id!r} != {want.id!r}")
        if measure.title != want.title:
            wrong.append(f"title {measure.title!r} != {want.title!r}")
        if measure.status != want.status:
            wrong.append(f"{want.title[:25]}: status {measure.status} != {want.status}")
        if want.priority is not None and measure.priority != want.priority:
            wrong.append(f"{want.title[:25]}: priority {measure.priority} != {want.priority}")
        if want.owner is not None and (measure.owner or "") != want.owner:
            wrong.append(f"{want.title[:25]}: owner {measure.owner!r} != {want.owner!r}")
        if want.due is not None and measure.due_date != want.due:
            wrong.append(f"{want.title[:25]}: due {measure.due_date} != {want.due}")
    if file.sheet is not None and result.sheets.get(file.sheet) != "measures":
        wrong.append(f"sheets {dict(result.sheets)}")
    skipped = {i.row: i.message for i in result.issues if i.message.startswith("row skipped") or "section" in i.message}
    for row, word in file.skipped.items():
        if row not in skipped or word not in skipped[row]:
            wrong.append(f"row {row} not named as skipped ({word}): {skipped.get(row)}")
    return wrong


def registre_des_risques_csv() -> GrcFile:
    """A French risk register exported as CSV (``;``, decimal commas): likelihood and severity in words
    (Faible / Moyenne / Élevée / Critique), no score, a treatment plan, a propriétaire du risque, an
    échéance dd/mm/yyyy, statuses Ouvert / En cours / Clos / Accepté."""
    head = [
        "ID risque",
        "Description du risque",
        "Vraisemblance",
        "Gravité",
        "Traitement",
        "Plan de traitement",
        "Propriétaire du risque",
        "Échéance",
        "Statut",
    ]
    rows = [
        ["Registre des risques SI — CH de Rivebelle", "", "", "", "", "", "", "", ""],
        head,
        [
            "R1",
            "Chiffrement des serveurs du DPI par un rançongiciel",
            "Élevée",
            "Critique",
            "Réduire",
            "Sauvegardes hors ligne",
            "DSI",
            "31/03/2027",
            "Ouvert",
        ],
        [
            "R2",
            "Vol d'identifiants par hameçonnage",
            "Élevée",
            "Moyenne",
            "Réduire",
            "MFA sur la messagerie",
            "RSSI",
            "28/02/2027",
            "En cours",
        ],
        [
            "R3",
            "Indisponibilité du réseau des urgences",
            "Faible",
            "Élevée",
            "Réduire",
            "Lien de secours",
            "Réseaux",
            "30/06/2027",
            "Clos",
        ],
        [
            "R4",
            "Fuite de données par un prestataire",
            "Faible",
            "Faible",
            "Accepter",
            "Clause contractuelle",
            "DPO",
            "",
            "Accepté",
        ],
    ]
    measures = (
        Expected("R1", "Chiffrement des serveurs du DPI par un rançongiciel", TODO, P1, "DSI", D(2027, 3, 31)),
        Expected("R2", "Vol d'identifiants par hameçonnage", WIP, P2, "RSSI", D(2027, 2, 28)),
        Expected("R3", "Indisponibilité du réseau des urgences", DONE, P3, "Réseaux", D(2027, 6, 30)),
        Expected("R4", "Fuite de données par un prestataire", CANCELLED, P4, "DPO"),
    )
    return GrcFile("risk register (fr, csv)", "registre_risques.csv", _csv(rows, ";"), measures, {}, None)


def nist_csf_assessment() -> GrcFile:
    """NIST CSF 2.0 profile assessment: the function and the category written once per group (merged
    cells), the subcategory ID (``PR.AA-01``) and its text, a current and a target tier 1–4, a status
    and an owner; a blank row then a legend of the tiers under the table."""
    head = [
        "Function",
        "Category",
        "Subcategory ID",
        "Subcategory",
        "Current Tier",
        "Target Tier",
        "Status",
        "Owner",
        "Due date",
    ]
    rows: list[list[Any]] = [
        ["NIST Cybersecurity Framework 2.0 — Current and Target Profile"],
        [],
        head,
        [
            "PROTECT (PR)",
            "Identity Management, Authentication, and Access Control (PR.AA)",
            "PR.AA-01",
            "Identities and credentials for authorized users are managed by the organization",
            2,
            3,
            "In Progress",
            "IAM team",
            D(2027, 5, 31),
        ],
        [
            None,
            None,
            "PR.AA-03",
            "Users, services, and hardware are authenticated",
            1,
            3,
            "Not Started",
            "IAM team",
            D(2027, 6, 30),
        ],
        [
            None,
            "Data Security (PR.DS)",
            "PR.DS-01",
            "The confidentiality, integrity, and availability of data-at-rest are protected",
            3,
            3,
            "Complete",
            "Infrastructure",
            D(2027, 1, 31),
        ],
        [
            "DETECT (DE)",
            "Continuous Monitoring (DE.CM)",
            "DE.CM-01",
            "Networks and network services are monitored to find potentially adverse events",
            1,
            3,
            "Not Started",
            "SOC",
            D(2027, 9, 30),
        ],
        [],
        ["Tier", "Meaning"],
        [1, "Partial"],
        [2, "Risk Informed"],
        [3, "Repeatable"],
        [4, "Adaptive"],
    ]
    measures = (
        Expected(
            "PR.AA-01",
            "Identities and credentials for authorized users are managed by the organization",
            WIP,
            None,
            "IAM team",
            D(2027, 5, 31),
        ),
        Expected("PR.AA-03", "Users, services, and hardware are authenticated", TODO, None, "IAM team", D(2027, 6, 30)),
        Expected(
            "PR.DS-01",
            "The confidentiality, integrity, and availability of data-at-rest are protected",
            DONE,
            None,
            "Infrastructure",
            D(2027, 1, 31),
        ),
        Expected(
            "DE.CM-01",
            "Networks and network services are monitored to find potentially adverse events",
            TODO,
            None,
            "SOC",
            D(2027, 9, 30),
        ),
    )
    merges = {"CSF Profile": ["A4:A6", "B4:B5"]}
    return GrcFile(
        "NIST CSF assessment",
        "csf_profile.xlsx",
        workbook_bytes({"CSF Profile": rows}, merged=merges),
        measures,
        {},
        "CSF Profile",
    )


BUILDERS += (registre_des_risques_csv, nist_csf_assessment)


def cis_controls_assessment() -> GrcFile:
    """CIS Controls v8 workbook: a control's row (its number, no safeguard, its title) above its
    safeguards (``1.1``, ``1.2``), asset type, security function, the implementation groups as ``x``,
    an implementation status."""
    head = [
        "CIS Control",
        "CIS Safeguard",
        "Asset Type",
        "Security Function",
        "Title",
        "Description",
        "IG1",
        "IG2",
        "IG3",
        "Implementation Status",
    ]
    rows: list[list[Any]] = [
        head,
        [
            1,
            None,
            None,
            None,
            "Inventory and Control of Enterprise Assets",
            "Actively manage all enterprise assets.",
            None,
            None,
            None,
            None,
        ],
        [
            1,
            1.1,
            "Devices",
            "Identify",
            "Establish and Maintain Detailed Enterprise Asset Inventory",
            "Establish and maintain an accurate inventory.",
            "x",
            "x",
            "x",
            "Implemented",
        ],
        [
            1,
            1.2,
            "Devices",
            "Respond",
            "Address Unauthorized Assets",
            "Ensure a process exists.",
            "x",
            "x",
            "x",
            "Partially Implemented",
        ],
        [
            2,
            None,
            None,
            None,
            "Inventory and Control of Software Assets",
            "Actively manage all software.",
            None,
            None,
            None,
            None,
        ],
        [
            2,
            2.1,
            "Applications",
            "Identify",
            "Establish and Maintain a Software Inventory",
            "Establish an inventory of software.",
            "x",
            "x",
            "x",
            "Not Implemented",
        ],
        [
            2,
            2.2,
            "Applications",
            "Identify",
            "Ensure Authorized Software is Currently Supported",
            "Ensure only supported software is designated.",
            "x",
            "x",
            "x",
            "Not Implemented",
        ],
    ]
    measures = (
        Expected("1.1", "Establish and Maintain Detailed Enterprise Asset Inventory", DONE),
        Expected("1.2", "Address Unauthorized Assets", WIP),
        Expected("2.1", "Establish and Maintain a Software Inventory", TODO),
        Expected("2.2", "Ensure Authorized Software is Currently Supported", TODO),
    )
    return GrcFile(
        "CIS Controls v8 assessment",
        "cis_v8.xlsx",
        workbook_bytes({"Controls V8": rows}),
        measures,
        {2: "section", 5: "section"},
        "Controls V8",
    )


def soa_2022_yes_no() -> GrcFile:
    """ISO/IEC 27001:2022 statement of applicability with Y/N answers: ``Annex A reference`` (``A.5.1``),
    ``Control title``, ``Selected (Y/N)``, a reason, ``Implemented?`` Yes / Partial / No."""
    rows: list[list[Any]] = [
        ["Statement of Applicability ISO 27001:2022"],
        [],
        ["Annex A reference", "Control title", "Selected (Y/N)", "Reason for selection", "Implemented?", "Evidence"],
        ["A.5.1", "Policies for information security", "Y", "Legal", "Yes", "POL-01"],
        ["A.5.2", "Information security roles and responsibilities", "Y", "Risk", "Partial", "RACI"],
        ["A.7.5", "Protecting against physical and environmental threats", "N", "Cloud hosted", None, None],
        ["A.8.9", "Configuration management", "Y", "Risk", "No", None],
    ]
    measures = (
        Expected("A.5.1", "Policies for information security", DONE),
        Expected("A.5.2", "Information security roles and responsibilities", WIP),
        Expected("A.7.5", "Protecting against physical and environmental threats", CANCELLED),
        Expected("A.8.9", "Configuration management", TODO),
    )
    return GrcFile("iso27001:2022 SoA (Y/N)", "soa_2022.xlsx", workbook_bytes({"SoA": rows}), measures, {}, "SoA")


def risk_register_in_words() -> GrcFile:
    """A risk register rating likelihood and impact High / Medium / Low, whose ``Risk Rating`` column
    holds formulas with no saved value (read as empty): the priority comes from likelihood × impact."""
    rows: list[list[Any]] = [
        ["Risk Register"],
        ["ID", "Risk", "Likelihood", "Impact", "Risk Rating", "Mitigation", "Owner", "Target Date", "Status"],
        [
            "1",
            "Ransomware attack on clinical systems",
            "High",
            "High",
            "=C3&D3",
            "Offline backups",
            "CIO",
            D(2027, 3, 1),
            "Open",
        ],
        [
            "2",
            "Loss of unencrypted USB keys",
            "Medium",
            "High",
            "=C4&D4",
            "Encrypt USB keys",
            "CISO",
            D(2027, 4, 1),
            "In Progress",
        ],
        [
            "3",
            "Website defacement",
            "Low",
            "Medium",
            "=C5&D5",
            "Web application firewall",
            "Web lead",
            D(2027, 5, 1),
            "Closed",
        ],
    ]
    measures = (
        Expected("1", "Offline backups", TODO, P1, "CIO", D(2027, 3, 1)),
        Expected("2", "Encrypt USB keys", WIP, P2, "CISO", D(2027, 4, 1)),
        Expected("3", "Web application firewall", DONE, P4, "Web lead", D(2027, 5, 1)),
    )
    return GrcFile(
        "risk register (words, formulas)",
        "risk_words.xlsx",
        workbook_bytes({"Register": rows}),
        measures,
        {},
        "Register",
    )


def anssi_hygiene_checklist() -> GrcFile:
    """The ANSSI hygiene guide's 42 measures kept as a checklist: chapters as section rows (``I -
    Sensibiliser et former``), ``N°``, ``Mesure``, ``Niveau`` (Standard / Renforcé), ``Statut``
    Appliquée / Partiellement appliquée / Non appliquée / Non applicable."""
    rows: list[list[Any]] = [
        ["Guide d'hygiène informatique — suivi des 42 mesures"],
        [],
        ["N°", "Mesure", "Niveau", "Statut", "Commentaire"],
        ["I - Sensibiliser et former"],
        [
            1,
            "Former les équipes opérationnelles à la sécurité des systèmes d'information",
            "Standard",
            "Partiellement appliquée",
            None,
        ],
        [2, "Sensibiliser les utilisateurs aux bonnes pratiques élémentaires", "Standard", "Appliquée", None],
        ["II - Connaître le système d'information"],
        [4, "Identifier les informations et serveurs les plus sensibles", "Standard", "Non appliquée", None],
        [5, "Disposer d'un inventaire exhaustif des comptes privilégiés", "Renforcé", "Non applicable", None],
    ]
    measures = (
        Expected("1", "Former les équipes opérationnelles à la sécurité des systèmes d'information", WIP),
        Expected("2", "Sensibiliser les utilisateurs aux bonnes pratiques élémentaires", DONE),
        Expected("4", "Identifier les informations et serveurs les plus sensibles", TODO),
        Expected("5", "Disposer d'un inventaire exhaustif des comptes privilégiés", CANCELLED),
    )
    return GrcFile(
        "ANSSI hygiene checklist (fr)",
        "anssi_42.xlsx",
        workbook_bytes({"Mesures": rows}),
        measures,
        {4: "section", 7: "section"},
        "Mesures",
    )


BUILDERS += (cis_controls_assessment, soa_2022_yes_no, risk_register_in_words, anssi_hygiene_checklist)


def emass_poam() -> GrcFile:
    """A DoD eMASS POA&M export: the system block over the header, ``POA&M Item ID``, ``Control
    Vulnerability Description``, statuses Ongoing / Completed / Risk Accepted, a severity in words, a
    sparse ``Mitigations`` column (not the title)."""
    head = [
        "POA&M Item ID",
        "Control Vulnerability Description",
        "Security Control Number (NC/NA controls only)",
        "Office/Org",
        "Security Checks",
        "Resources Required",
        "Scheduled Completion Date",
        "Milestone with Completion Dates",
        "Milestone Changes",
        "Source Identifying Vulnerability",
        "Status",
        "Comments",
        "Raw Severity",
        "Devices Affected",
        "Mitigations",
        "Severity",
        "Relevance of Threat",
        "Likelihood",
        "Impact",
        "Impact Description",
        "Residual Risk Level",
        "Recommendations",
    ]
    rows: list[list[Any]] = [
        ["Date Exported:", "2027-01-04", None, "Exported By:", "J. Doe"],
        ["DoD Component:", "DHA", None, "System / Project Name:", "Patient Portal"],
        ["DoD IT Registration No.:", "12345", None, "System Type:", "IS Major Application"],
        [],
        head,
        [
            1,
            "The application does not enforce multifactor authentication for privileged users.",
            "IA-2(1)",
            "DHA/J6",
            "V-222524",
            "None",
            D(2027, 3, 31),
            "M1: enable MFA 2027-02-28",
            None,
            "ASD STIG",
            "Ongoing",
            None,
            "I",
            "app01",
            "VPN only",
            "High",
            "High",
            "Moderate",
            "High",
            "Account takeover",
            "Moderate",
            "Enable MFA",
        ],
        [
            2,
            "Audit records are not offloaded to a central log server at least weekly.",
            "AU-4(1)",
            "DHA/J6",
            "V-222512",
            "None",
            D(2027, 4, 30),
            "M1: forward logs",
            None,
            "ASD STIG",
            "Completed",
            None,
            "II",
            "app01",
            None,
            "Moderate",
            "Moderate",
            "Low",
            "Moderate",
            "Loss of evidence",
            "Low",
            "Forward logs",
        ],
        [
            3,
            "Session identifiers are not invalidated upon user logout.",
            "SC-23(1)",
            "DHA/J6",
            "V-222578",
            "None",
            D(2027, 5, 31),
            "M1: fix logout",
            None,
            "ASD STIG",
            "Risk Accepted",
            None,
            "III",
            "app01",
            None,
            "Low",
            "Low",
            "Low",
            "Low",
            "Session reuse",
            "Low",
            "Fix logout",
        ],
    ]
    measures = (
        Expected(
            "1",
            "The application does not enforce multifactor authentication for privileged users.",
            WIP,
            P2,
            due=D(2027, 3, 31),
        ),
        Expected(
            "2",
            "Audit records are not offloaded to a central log server at least weekly.",
            DONE,
            P3,
            due=D(2027, 4, 30),
        ),
        Expected("3", "Session identifiers are not invalidated upon user logout.", CANCELLED, P4, due=D(2027, 5, 31)),
    )
    return GrcFile("eMASS POA&M", "emass_poam.xlsx", workbook_bytes({"POA&M": rows}), measures, {}, "POA&M")


def qualys_scan_csv() -> GrcFile:
    """A Qualys scan results CSV: a preamble (scan title, launch date), then ``IP,DNS,…,QID,Title,Type,
    Severity,…`` with the severity 1–5 as a number (5 urgent): it gives the priority."""
    head = [
        "IP",
        "DNS",
        "NetBIOS",
        "OS",
        "IP Status",
        "QID",
        "Title",
        "Type",
        "Severity",
        "Port",
        "Protocol",
        "FQDN",
        "SSL",
        "CVE ID",
        "Vendor Reference",
        "CVSS Base",
        "Threat",
        "Impact",
        "Solution",
    ]
    rows = [
        ["Scan Results", "", "", ""],
        ["Launch Date", "01/04/2027 at 10:00:00", "", ""],
        [],
        head,
        [
            "10.0.0.5",
            "srv1",
            "SRV1",
            "Windows",
            "host scanned",
            "91234",
            "Microsoft Windows Security Update for January 2027",
            "Vuln",
            "5",
            "",
            "",
            "",
            "",
            "CVE-2027-0001",
            "KB1",
            "9.8",
            "An attacker could run code.",
            "Full compromise",
            "Apply the update.",
        ],
        [
            "10.0.0.5",
            "srv1",
            "SRV1",
            "Windows",
            "host scanned",
            "38173",
            "SSL Certificate - Signature Verification Failed",
            "Vuln",
            "2",
            "443",
            "tcp",
            "",
            "over ssl",
            "",
            "",
            "4.3",
            "The certificate is not trusted.",
            "Spoofing",
            "Use a trusted certificate.",
        ],
        [
            "10.0.0.6",
            "srv2",
            "SRV2",
            "Linux",
            "host scanned",
            "38173",
            "SSL Certificate - Signature Verification Failed",
            "Vuln",
            "2",
            "443",
            "tcp",
            "",
            "over ssl",
            "",
            "",
            "4.3",
            "The certificate is not trusted.",
            "Spoofing",
            "Use a trusted certificate.",
        ],
        [
            "10.0.0.6",
            "srv2",
            "SRV2",
            "Linux",
            "host scanned",
            "86763",
            "SSH Server Supports Weak Key Exchange",
            "Vuln",
            "3",
            "22",
            "tcp",
            "",
            "",
            "",
            "",
            "5.3",
            "Weak algorithms are enabled.",
            "Decryption",
            "Disable the weak algorithms.",
        ],
    ]
    measures = (
        Expected("91234", "Microsoft Windows Security Update for January 2027", TODO, P1),
        Expected("38173", "SSL Certificate - Signature Verification Failed", TODO, P3),
        Expected("38173-2", "SSL Certificate - Signature Verification Failed", TODO, P3),
        Expected("86763", "SSH Server Supports Weak Key Exchange", TODO, P2),
    )
    return GrcFile("Qualys scan CSV", "qualys_scan.csv", _csv(rows), measures, {}, None)


BUILDERS += (emass_poam, qualys_scan_csv)
