"""Exports of GLPI, Jira and MS Project / ProjectLibre (issue 16), French and English: recognised from
their headers with no mapping, every measure read as the tool meant it, the plan runs, write-back refused.

The exports are built here by ``scripts/build_tool_samples.py`` from the tools' documented formats
(the same builders write ``data/samples/``); :data:`MEASURES` there is what each export means.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from roadmap import compress_plan, load_workbook
from roadmap.errors import CellValueError, WorkbookError
from roadmap.importing.durations import parse_duration
from roadmap.importing.rows import DEFAULT_EFFORT_BY_PRIORITY
from roadmap.importing.tables import read_tables
from roadmap.importing.tools import recognise_export
from roadmap.importing.tools.common import parse_tool_date
from roadmap.importing.values import parse_effort
from roadmap.models import Priority
from roadmap.writeback import MeasureEdit, apply_edits

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("build_tool_samples", ROOT / "scripts" / "build_tool_samples.py")
assert _spec is not None and _spec.loader is not None
samples = importlib.util.module_from_spec(_spec)
sys.modules["build_tool_samples"] = samples
_spec.loader.exec_module(samples)

EXPORTS = {  # file name → (tool, language, the tool's ID of each measure)
    "glpi_tickets_fr.csv": ("glpi", "fr", samples.GLPI_IDS),
    "glpi_tickets_en.csv": ("glpi", "en", samples.GLPI_IDS),
    "jira_en.csv": ("jira", "en", samples.JIRA_IDS),
    "jira_fr.csv": ("jira", "fr", samples.JIRA_IDS),
    "msproject_fr.xlsx": ("msproject", "fr", samples.msproject_ids()),
    "msproject_en.xlsx": ("msproject", "en", samples.msproject_ids()),
}


def _load(name: str):  # type: ignore[no-untyped-def]
    return load_workbook(samples.SAMPLES[name](), filename=name)


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_export_is_read_as_the_tool_meant_it(name: str) -> None:
    tool, lang, ids = EXPORTS[name]
    result = _load(name)
    assert result.source is not None and (result.source.tool, result.source.language) == (tool, lang)
    assert result.errors == [], [i.describe() for i in result.errors]
    by_id = result.roadmap.measure_by_id
    assert sorted(by_id) == sorted(ids.values())  # every measure, and nothing else (epics, summaries, milestones)
    for sample in samples.MEASURES:
        measure = by_id[ids[sample.key]]
        assert measure.title == (sample.title_fr if lang == "fr" else sample.title_en)
        assert measure.status == sample.status
        assert measure.team == sample.team
        assert measure.priority == sample.priority
        assert measure.due_date == sample.due
        assert measure.domain == (sample.domain_fr if lang == "fr" else sample.domain_en)
        if tool == "glpi":  # a ticket has no effort nor prerequisite: the default of its priority
            assert measure.effort_days == DEFAULT_EFFORT_BY_PRIORITY[Priority(sample.priority)]
            assert measure.depends_on == ()
        else:
            assert measure.effort_days == pytest.approx(sample.effort, rel=0.01)
            assert measure.progress == pytest.approx(sample.progress, abs=0.5)
            assert set(measure.depends_on) == {ids[k] for k in sample.depends_on}
            assert len(measure.depends_on) == len(set(measure.depends_on))
    plan = compress_plan(result.roadmap, start=dt.date(2026, 11, 30))
    assert {s.id for s in plan.scheduled} | {d.id for d in plan.deferred} == {
        m.id for m in result.roadmap.measures if m.is_open
    }
    assert plan.scheduled


@pytest.mark.parametrize("name", list(EXPORTS))
def test_the_samples_in_data_are_the_builders_output(name: str) -> None:
    """``python scripts/build_tool_samples.py`` after changing the builders. The .xlsx bytes depend on
    whether openpyxl serialises with lxml (set when it is first imported): their cells are compared."""
    committed, built = (ROOT / "data" / "samples" / name).read_bytes(), samples.SAMPLES[name]()
    if name.endswith(".csv"):
        assert committed == built
    else:
        assert read_tables(committed, filename=name) == read_tables(built, filename=name)


@pytest.mark.parametrize("name", list(EXPORTS))
def test_write_back_into_an_export_is_refused(name: str) -> None:
    result = _load(name)
    first = result.roadmap.measures[0]
    with pytest.raises(WorkbookError, match=r"is an export of .*Rempart does not write into it"):
        apply_edits(samples.SAMPLES[name](), [MeasureEdit(first.id, progress=50.0)], filename=name)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_glpi_ids_dates_statuses_and_technicians(lang: str) -> None:
    result = _load(f"glpi_tickets_{lang}.csv")
    assert result.source is not None
    texts = [c.text("en") for c in result.source.conversions]
    assert any("5\u00a0731\u00a0920' → 5731920" in t for t in texts)
    first = result.roadmap.measure_by_id["5731920"]
    assert first.owner == "Durand Claire, Martin Paul"  # the quoted multi-line cell
    assert any("default effort of their priority" in i.message for i in result.issues)
    french = [c.text("fr") for c in result.source.conversions]
    assert any(t.startswith("statuts lus « en cours »") for t in french)


def test_glpi_majeure_is_above_tres_haute_and_several_groups_name_the_first() -> None:
    data = (
        "\ufeffID;Titre;Statut;Priorité;Attribué à - Groupe de techniciens;Date d'échéance\r\n"
        '12;Patch Exchange;Résolu;Majeure;"Messagerie\nSystèmes";03-04-2027 17:00\r\n'
        "13;Revue des accès;En attente;Très basse;Systèmes;\r\n"
    ).encode()
    result = load_workbook(data, filename="glpi.csv")
    assert result.ok
    first, second = result.roadmap.measures
    assert (first.priority, first.status, first.team, first.due_date) == (
        "P1",
        "done",
        "Messagerie",
        dt.date(2027, 4, 3),
    )
    assert (second.priority, second.status) == ("P4", "not_started")
    assert any("several groups in one cell" in i.message and i.row == 2 for i in result.issues)


def test_glpi_project_tasks() -> None:
    data = (
        "ID;Nom;Projet;Statut;Date de début planifiée;Date de fin planifiée;Durée planifiée;Pourcentage effectué\r\n"
        "1;Segmenter le réseau biomédical;Réseau;En cours;01-12-2026 08:00;15-12-2026 18:00;2 semaines;30 %\r\n"
    ).encode()
    result = load_workbook(data, filename="glpi_taches.csv")
    assert result.source is not None and result.source.kind == "project tasks"
    (measure,) = result.roadmap.measures
    assert (measure.domain, measure.effort_days, measure.progress, measure.status) == ("Réseau", 10, 30, "in_progress")
    assert measure.baseline_start == dt.date(2026, 12, 1)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_jira_links_epics_subtasks_and_repeated_columns(lang: str) -> None:
    result = _load(f"jira_{lang}.csv")
    by_id = result.roadmap.measure_by_id
    assert by_id["SEC-17"].depends_on == ("SEC-10", "SEC-11")  # outward on SEC-10 and inward on SEC-17: once
    assert by_id["SEC-11"].team == "Messagerie"  # a sub-task takes its parent's team
    assert by_id["SEC-14"].team == "Réseau"  # no Team: the first component
    labels = "Étiquettes" if lang == "fr" else "Labels"
    assert by_id["SEC-10"].extra[labels] == "care, hardening"  # repeated columns: every value kept
    skipped = [i for i in result.issues if i.template.startswith("row skipped: epic")]
    assert len(skipped) == 5
    converted = " ".join(c.text("fr") for c in result.source.conversions) if result.source else ""
    assert "estimations Jira en secondes → j.h à 8 h par jour" in converted


def test_jira_working_day_length_and_links_outside_the_export() -> None:
    header = "Summary,Issue key,Issue id,Issue Type,Status,Original Estimate,Remaining Estimate,"
    header += "Outward issue link (Blocks),Due Date\n"
    data = (header + "Patch VPN,SEC-1,1,Task,In Progress,25200,12600,SEC-99,01/Mar/27 9:00 AM\n").encode()
    seven = load_workbook(data, filename="jira.csv", jira_day_hours=7)
    (measure,) = seven.roadmap.measures
    assert (measure.effort_days, measure.progress, measure.due_date) == (1.0, 50.0, dt.date(2027, 3, 1))
    assert measure.depends_on == ()
    assert any("SEC-99" in i.message and i.severity == "warning" for i in seven.issues)
    assert load_workbook(data, filename="jira.csv").roadmap.measures[0].effort_days == pytest.approx(7 / 8)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_msproject_types_lags_summaries_and_milestones(lang: str) -> None:
    result = _load(f"msproject_{lang}.xlsx")
    warnings = {i.value: i.message for i in result.issues if i.template.startswith("predecessor")}
    lag, start, finish = ("5FD+2 j", "8DD", "6FF") if lang == "fr" else ("5FS+2 days", "8SS", "6FF")
    assert set(warnings) == {lag, start, finish}
    assert "lag of +2" in warnings[lag] and "of type" not in warnings[lag]  # FD is finish-to-start: only the lag
    assert "of type SS" in warnings[start] or "of type DD" in warnings[start]
    summaries = [i for i in result.issues if i.template.startswith("row skipped: summary task")]
    assert [i.row for i in summaries] == [2, 5, 8, 11, 13]
    assert any(i.template.startswith("row skipped: milestone") for i in result.issues)
    assert any("marked '?'" in i.message for i in result.issues)
    assert result.source is not None
    if lang == "fr":
        assert "Durée « 1 sem. » → 5 jours ouvrés" in [c.text("fr") for c in result.source.conversions]


def test_msproject_indentation_gives_the_outline_when_there_is_no_level_column() -> None:
    data = (
        b"ID,Name,Duration,Predecessors,% Complete\n"
        b"1,Directory,10 days,,0%\n2,   Tier the admin accounts,1 mo,,0%\n3,   Clean GPOs,3 days?,2SS+1 day,0%\n"
    )
    result = load_workbook(data, filename="plan.csv")
    assert result.ok
    assert [(m.id, m.title, m.domain, m.effort_days) for m in result.roadmap.measures] == [
        ("2", "Tier the admin accounts", "Directory", 20.0),
        ("3", "Clean GPOs", "Directory", 3.0),
    ]
    assert result.roadmap.measure_by_id["3"].depends_on == ("2",)


def test_a_workbook_of_rempart_is_no_tool_export() -> None:
    tables = read_tables((ROOT / "data" / "sample" / "rivebelle.xlsx").read_bytes(), filename="rivebelle.xlsx")
    assert recognise_export(tables) is None


@pytest.mark.parametrize(
    ("text", "days", "estimated"),
    [
        ("2 jours", 2, False),
        ("1 sem.", 5, False),
        ("2 sem.", 10, False),
        ("3 j?", 3, True),
        ("1,5 j", 1.5, False),
        ("0.5 w", 2.5, False),
        ("16 h", 2, False),
        ("1 mo", 20, False),
        ("1 jour 4 heures", 1.5, False),
        ("one week", 5, False),
        ("two days", 2, False),
        ("deux semaines", 10, False),
        ("within the same day", 1, False),
        ("une demi-journée", 0.5, False),
        (3, 3, False),
    ],
)
def test_parse_duration(text: object, days: float, estimated: bool) -> None:
    assert parse_duration(text) == (days, estimated)


@pytest.mark.parametrize("text", ["", "sem.", "2 foo", "jours", "2 3 j", "one"])
def test_parse_duration_refuses_what_has_no_amount_and_unit(text: str) -> None:
    with pytest.raises(CellValueError):
        parse_duration(text)


def test_efforts_in_words_use_the_same_parser() -> None:
    assert parse_effort("one week") == 5
    assert parse_effort("deux semaines") == 10
    assert parse_effort("14 heures", day_hours=7) == 2


@pytest.mark.parametrize(
    ("text", "day_first", "date"),
    [
        ("07-03-2027 17:00", True, dt.date(2027, 3, 7)),
        ("01/Mar/27 9:00 AM", True, dt.date(2027, 3, 1)),
        ("15/janv./27", True, dt.date(2027, 1, 15)),
        ("lun. 30/11/26", True, dt.date(2026, 11, 30)),
        ("Mon 11/30/26", False, dt.date(2026, 11, 30)),
        ("2027-01-15 17:00", True, dt.date(2027, 1, 15)),
    ],
)
def test_the_tools_dates(text: str, day_first: bool, date: dt.date) -> None:
    assert parse_tool_date(text, day_first=day_first) == date


@pytest.mark.parametrize("name", ["msproject_fr.xlsx", "jira_en.csv"])
def test_the_data_page_names_the_tool_and_refuses_to_write_back(monkeypatch, tmp_path, name: str) -> None:
    from streamlit.testing.v1 import AppTest

    from app_pages import context

    export = tmp_path / name
    export.write_bytes(samples.SAMPLES[name]())
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(context, "SAMPLE", export)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not app.exception and not app.error
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    tool = "MS Project / ProjectLibre" if name.startswith("msproject") else "Jira"
    infos = [re.sub(r"\\(.)", r"\1", i.value) for i in app.info]  # Markdown escapes of the file's text removed
    assert any(f"Export de **{tool}**" in i and "sans correspondance de colonnes" in i for i in infos)
    assert any("Rempart n’y écrit pas" in i for i in infos)  # the write-back is refused, in French
    with pytest.raises(KeyError):
        app.button(key="save_edits")


def test_the_cli_says_which_tool_and_exits_0(capsys) -> None:  # type: ignore[no-untyped-def]
    from roadmap.cli import main

    assert main(["validate", str(ROOT / "data" / "samples" / "glpi_tickets_en.csv")]) == 0
    out = capsys.readouterr().out
    assert "an export of GLPI (tickets), read with no column mapping" in out
    assert "statuses read as in progress: Processing (assigned)" in out
