"""The IT team's import (issue 18): a mapping without a title refused, remembered mappings said and
forgotten, the template's example row skipped, ignored sheets grouped, snapshots recorded on
confirmation and deletable, the fix pointed to; and the plan read at a glance (Gantt, deferred
summary, late tables, one-click exports)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import openpyxl
import pytest
import sqlalchemy
from conftest import CORPUS, ROOT, measure, shown, small_sheets, workbook_bytes
from streamlit.testing.v1 import AppTest

from roadmap import analyse_roadmap, load_workbook
from roadmap.deferral import MONTH_DAYS, deferred_summary
from roadmap.errors import PermissionDeniedError, StoreError
from roadmap.gantt import LATE_COLOUR, gantt_figure, late_measures
from roadmap.i18n import format_day
from roadmap.importing.load import SHEET_IGNORED, ignored_sheets
from roadmap.importing.mapping import ColumnMapping, missing_fields
from roadmap.importing.template import build_template
from roadmap.risk import total_residual
from roadmap.security.roles import Actor, Role
from roadmap.store.audit import audit_log
from roadmap.store.database import open_store
from roadmap.store.mappings import forget, recall, remember
from roadmap.store.snapshots import delete_snapshot, record_snapshot, snapshots, sources

EDITOR = Actor("dsi", Role.EDITOR, "password")
VIEWER = Actor("directeur", Role.VIEWER, "password")


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


# --- domain --------------------------------------------------------------------------------------


def test_a_mapping_without_a_title_column_gives_one_error_not_one_per_row():
    rows = [["Réf", "Libellé", "Équipe"]] + [[f"A{n}", f"Action {n}", "Sys"] for n in range(40)]
    mapping = ColumnMapping(sheet="Plan", header_row=1, columns={"Réf": "id", "Équipe": "team"})
    assert missing_fields(mapping) == ["title"]
    result = load_workbook(workbook_bytes({"Plan": rows}), filename="plan.xlsx", mapping=mapping)
    assert len(result.errors) == 1
    message, hint = result.errors[0].text("fr")
    assert message == "la correspondance ne lit aucune colonne comme « Mesure (intitulé) », champ obligatoire"
    assert "correspondance des colonnes" in hint
    assert result.errors[0].text("en")[0] == "the mapping reads no column as 'Measure (title)', a required field"
    assert not missing_fields(mapping.model_copy(update={"columns": {"Libellé": "title"}}))


def test_a_remembered_mapping_says_when_and_is_forgotten_with_an_audit_entry(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    headers = ["Réf", "Action à mener", "Statut"]
    mapping = ColumnMapping(sheet="Plan", header_row=1, columns={"Réf": "id", "Action à mener": "title"})
    with pytest.raises(PermissionDeniedError):
        remember(engine, mapping, headers, by=VIEWER)
    saved = remember(engine, mapping, headers, by=EDITOR)
    again = recall(engine, [" réf", "Action à mener", "Statut"])  # same headers, spacing and case aside
    assert again is not None and again.mapping == mapping and again.saved_at == saved.saved_at
    assert recall(engine, ["Other"]) is None
    with pytest.raises(PermissionDeniedError):
        forget(engine, saved.fingerprint, by=VIEWER)
    assert forget(engine, saved.fingerprint, by=EDITOR) is True
    assert recall(engine, headers) is None
    assert forget(engine, saved.fingerprint, by=EDITOR) is False  # nothing left: nothing logged
    actions = [(e.action, e.who) for e in audit_log(engine)]
    assert actions[:2] == [("forget_mapping", "dsi"), ("remember_mapping", "dsi")]
    assert "Action à mener" in audit_log(engine)[0].old


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_bundled_template_filled_with_one_row_plans_that_row_only(lang):
    book = openpyxl.load_workbook(io.BytesIO(build_template(lang=lang)))
    sheet = book.worksheets[0]
    example = [c.value for c in sheet[2]]
    mine = ["SAV-01", "Sauvegardes hors ligne", "Sauvegarde", example[3], "RSSI", 8, 1, example[7], 0, "P1"]
    sheet.append(mine + [None] * (len(example) - len(mine)))
    buffer = io.BytesIO()
    book.save(buffer)
    result = load_workbook(buffer.getvalue(), filename=f"filled-{lang}.xlsx")
    assert result.errors == [], result.errors
    assert [m.id for m in result.roadmap.measures] == ["SAV-01"], "the example row is not a measure"
    assert any("example row" in i.message for i in result.issues)


def test_ignored_sheets_are_set_apart_in_workbook_order():
    result = load_workbook((CORPUS / "rgaa_grille_audit_fr.ods").read_bytes(), filename="rgaa.ods")
    kept, ignored = ignored_sheets(result.issues)
    assert len(ignored) == sum(i.template == SHEET_IGNORED for i in result.issues) >= 20
    assert not any(i.template == SHEET_IGNORED for i in kept) and len(kept) == len(result.issues) - len(ignored)
    order = [s for s in result.sheets if s in ignored]
    assert ignored == order


def test_a_snapshot_is_deleted_by_an_editor_only_and_the_audit_log_says_so(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    result = load_workbook(workbook_bytes(small_sheets()), filename="petit.xlsx")
    first = record_snapshot(engine, "petit", result.roadmap, taken_at=dt.date(2026, 11, 2), content_hash="a", by=EDITOR)
    trial = record_snapshot(engine, "petit", result.roadmap, taken_at=dt.date(2026, 11, 9), content_hash="b", by=EDITOR)
    assert first is not None and trial is not None
    with pytest.raises(PermissionDeniedError):
        delete_snapshot(engine, "petit", trial.id, by=VIEWER)
    with pytest.raises(StoreError, match="no snapshot"):
        delete_snapshot(engine, "other", trial.id, by=EDITOR)
    gone = delete_snapshot(engine, "petit", trial.id, by=EDITOR)
    assert gone.taken_at == dt.date(2026, 11, 9)
    assert [s.id for s in snapshots(engine, "petit")] == [first.id]
    entry = audit_log(engine)[0]
    assert (entry.action, entry.who, entry.target, entry.old) == ("delete_snapshot", "dsi", "petit", "2026-11-09 b")
    record_snapshot(engine, "essai", result.roadmap, taken_at=dt.date(2026, 11, 9), content_hash="c", by=EDITOR)
    (alone,) = snapshots(engine, "essai")
    delete_snapshot(engine, "essai", alone.id, by=EDITOR)
    assert sources(engine) == ["petit"], "a source left empty is gone from the establishments"


@pytest.fixture(scope="module")
def tight():
    """The sample on 6 weeks: many measures deferred."""
    result = load_workbook((ROOT / "data" / "sample" / "rivebelle.xlsx").read_bytes(), filename="rivebelle.xlsx")
    return analyse_roadmap(result.roadmap, horizon_weeks=6, time_limit=2, crashing=False)


def test_the_deferred_summary_counts_the_work_and_the_risk_left(tight):
    roadmap, plan = tight.roadmap, tight.plan
    summary = deferred_summary(roadmap, plan)
    assert summary.count == len(plan.deferred) > 10 and len(summary.top) == 10
    by_id = roadmap.measure_by_id
    assert summary.person_days == pytest.approx(sum(by_id[d.id].remaining_effort for d in plan.deferred))
    finish = plan.finish_dates()
    everything = {**finish, **{d.id: plan.end for d in plan.deferred}}
    left = total_residual(roadmap, plan.end, finish) - total_residual(roadmap, plan.end, everything)
    assert summary.risk_points == pytest.approx(left) and left > 0
    assert summary.risk_days_per_month == pytest.approx(left * MONTH_DAYS)
    best = summary.top.iloc[0]
    alone = total_residual(roadmap, plan.end, finish) - total_residual(roadmap, plan.end, {**finish, best.id: plan.end})
    assert best.risk_points == pytest.approx(alone)
    assert list(summary.top["risk_points"]) == sorted(summary.top["risk_points"], reverse=True)


def test_the_gantt_names_bars_marks_status_lateness_today_and_prerequisites(tight):
    roadmap, plan = tight.roadmap, tight.plan
    behind = plan.scheduled[0].id
    today = plan.start + dt.timedelta(days=10)
    figure = gantt_figure(roadmap, plan, lang="fr", today=today, late=[behind, "NOT-PLANNED"])
    assert late_measures(roadmap, plan, [behind, "NOT-PLANNED"]) >= {behind}
    bars = [t for t in figure.data if t.type == "bar"]
    outlined = {
        ident for t in bars for ident, colour in zip(t.y[1], t.marker.line.color, strict=True) if colour == LATE_COLOUR
    }
    assert behind in outlined
    hatched = {ident for t in bars for ident, shape in zip(t.y[1], t.marker.pattern.shape, strict=True) if shape}
    in_progress = {s.id for s in plan.scheduled if str(roadmap.measure_by_id[s.id].status) == "in_progress"}
    assert hatched == in_progress and in_progress
    words = [text for t in figure.data if t.type == "scatter" for text in t.text]
    assert len(words) == len(plan.scheduled)
    assert any(w.startswith("⚠ ") for w in words)
    assert "Prérequis" in bars[0].hovertemplate and "%{customdata[0]}" in bars[0].hovertemplate
    lines = [s for s in figure.layout.shapes if s.type == "line"]
    assert [pd_day(s.x0) for s in lines] == [today]
    assert any(a.text == f"Au {format_day(today, 'fr')}" for a in figure.layout.annotations)
    scheduled = {s.id for s in plan.scheduled}
    pairs = sum(p in scheduled for i in scheduled for p in roadmap.measure_by_id[i].depends_on)
    assert sum(bool(a.showarrow) for a in figure.layout.annotations) == pairs > 0
    assert not [s for s in gantt_figure(roadmap, plan).layout.shapes if s.type == "line"], "no date, no line"


def plain(markdown: str) -> str:
    """Markdown source as the reader sees it: backslash escapes of outside text removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def pd_day(value: object) -> dt.date:
    import pandas as pd

    return pd.Timestamp(value).date()


# --- the app -------------------------------------------------------------------------------------


def test_blocking_problems_point_to_the_default_team_field_and_the_mapping_opens(monkeypatch, tmp_path):
    from app_pages import context

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook_bytes(small_sheets([measure("M1", effort="beaucoup")])))
    monkeypatch.setattr(context, "SAMPLE", broken)
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    app = _app().run()
    assert not app.exception
    assert any("**Équipe par défaut (cellules vides)**" in i.value for i in app.info)
    (link,) = app.get("page_link")
    assert link.proto.page == "data" and link.proto.label == "Ouvrir la correspondance des colonnes"
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    mapping = next(e for e in app.expander if e.label.startswith("Correspondance des colonnes"))
    assert mapping.proto.expanded, "the column mapping opens on a workbook with blocking problems"
    assert app.text_input(key="map_team").label == "Équipe par défaut (cellules vides)"


def test_a_mapping_without_a_title_is_refused_in_the_app(monkeypatch, tmp_path):
    from app_pages import context

    # bare numbers as the IDs: not taken as the titles either (an ID-only catalogue's IDs would be)
    rows = [["Réf", "Zorglub", "Équipe"]] + [[n + 1, n * 3, "Sys"] for n in range(30)]
    tracker = tmp_path / "sans-titre.xlsx"
    tracker.write_bytes(workbook_bytes({"Plan": rows}))
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(context, "SAMPLE", tracker)
    app = _app().run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    app.button(key="map_apply").click().run()
    assert not app.exception
    refusal = [e.value for e in app.error if e.value.startswith("Correspondance non appliquée")]
    assert refusal == [
        "Correspondance non appliquée : aucune colonne n’est lue comme « Mesure (intitulé) », "
        "champ obligatoire. Choisissez sa colonne."
    ]
    assert not app.session_state["mappings"], "nothing applied"
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'rempart.db'}")
    with engine.connect() as connection:
        assert connection.execute(sqlalchemy.text("SELECT count(*) FROM column_mappings")).scalar() == 0
    engine.dispose()


def test_a_remembered_mapping_is_said_with_its_date_and_can_be_forgotten(monkeypatch, tmp_path):
    from app_pages import context

    rows = [["Réf", "Action à mener", "Statut", "Équipe", "Charge (j.h)"]]
    rows += [[f"A{n}", f"Mettre en place la mesure {n}", "Waived" if n % 2 else "Fait", "Sys", 2] for n in range(6)]
    tracker = tmp_path / "valeurs.xlsx"
    tracker.write_bytes(workbook_bytes({"Plan": rows}))
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(context, "SAMPLE", tracker)
    app = _app().run()
    app.switch_page("app_pages/data.py").run()
    app.button(key="map_apply").click().run()  # remembered
    assert not app.exception
    later = _app().run()  # a new session: the same headers are read with the remembered mapping
    assert not later.exception
    assert any(c.value.startswith("Correspondance mémorisée le ") for c in later.sidebar.caption)
    later.switch_page("app_pages/data.py").run()
    said = next(i.value for i in later.info if i.value.startswith("Correspondance mémorisée le "))
    assert "appliquée (feuille « Plan », en-tête en ligne 1)" in said
    later.button(key="forget_mapping").click().run()
    assert not later.exception
    assert not any(c.value.startswith("Correspondance mémorisée") for c in later.sidebar.caption)
    engine = open_store(f"sqlite:///{tmp_path / 'rempart.db'}")
    assert [e.action for e in audit_log(engine)][:2] == ["forget_mapping", "remember_mapping"]


def test_ignored_sheets_are_one_line_below_the_warnings(monkeypatch):
    from app_pages import context

    monkeypatch.setattr(context, "SAMPLE", CORPUS / "rgaa_grille_audit_fr.ods")
    app = _app().run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    issues = next(shown(d) for d in app.dataframe if "Problème" in d.value.columns)
    assert not issues["Problème"].str.startswith("feuille ignorée").any()
    (group,) = [e for e in app.expander if "feuilles ignorées :" in plain(e.label)]
    count, names = plain(group.label).split(" feuilles ignorées : ")
    assert int(count) >= 20 and names.startswith("Mode_d'emploi, ") and names.endswith(", …")
    assert not group.proto.expanded


def test_an_upload_enters_the_history_only_when_confirmed_and_a_snapshot_can_be_deleted(monkeypatch, tmp_path):
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    app = _app().run()
    app.file_uploader(key="upload").upload("essai.xlsx", workbook_bytes(small_sheets())).run()
    assert not app.exception
    engine = open_store(f"sqlite:///{tmp_path / 'rempart.db'}")
    assert not snapshots(engine, "essai"), "a trial import records nothing"
    app.switch_page("app_pages/data.py").run()
    app.button(key="save_snapshot").click().run()
    assert not app.exception
    (kept,) = snapshots(engine, "essai")
    app.button(key="save_snapshot").click().run()
    assert any("rien n’est ajouté" in s.value for s in app.success), "once per content"
    app.switch_page("app_pages/history.py").run()
    assert not app.exception and app.selectbox(key="history_source").value == "essai"
    assert app.button(key="delete_snapshot").disabled, "confirmed first"
    app.checkbox(key="delete_snapshot_sure").check().run()
    app.button(key="delete_snapshot").click().run()
    assert not app.exception
    assert not snapshots(engine, "essai")
    assert any(s.value.startswith("Instantané du ") and s.value.endswith(" supprimé.") for s in app.success)
    assert audit_log(engine)[0].action == "delete_snapshot" and audit_log(engine)[0].old.endswith(kept.content_hash)


def test_the_dashboard_summarises_deferred_measures_and_keeps_late_columns_in_view(monkeypatch, tmp_path):
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    app = _app().run()
    app.number_input(key="horizon").set_value(6).run()
    assert not app.exception
    top = next(d for d in app.dataframe if "Risque supprimé (points)" in d.value.columns)
    assert len(shown(top)) == 10
    assert all("," in v or v.isdigit() for v in shown(top)["Risque supprimé (points)"]), "French decimals"
    full = next(d for d in app.dataframe if "Détail" in d.value.columns)
    assert len(shown(full)) > 10
    (listing,) = [
        e for e in app.expander if plain(e.label) == f"Les {len(shown(full))} mesures reportées, avec la raison"
    ]
    assert not listing.proto.expanded, "the full list waits in a closed expander"
    assert any(m.value.startswith("**") and "mesures reportées**" in m.value for m in app.markdown)
    late = next(d for d in app.dataframe if "Jours de retard" in d.value.columns and "Statut" in d.value.columns)
    assert list(shown(late).columns[:5]) == ["ID", "Équipe", "Fin prévue", "Jours de retard", "Mesure"]
    assert all(int(days) > 0 for days in shown(late)["Jours de retard"] if days), "cells as the screen shows them"
    widths = {name: c.get("width") for name, c in json.loads(late.proto.columns).items()}
    assert widths["ID"] + widths["Équipe"] + widths["Fin prévue"] + widths["Jours de retard"] <= 400, "in view"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_data_page_lists_the_measures_with_effort_and_team_in_view(monkeypatch, tmp_path, lang):
    """Issue 18: on the Données page at 1440x900 (the table is 980 px wide beside the sidebar), the
    Mesures table's effort column was out of view behind a full-length title: the columns a reader
    needs come first, with widths that keep them in view."""
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    app = _app()
    app.session_state["lang"] = lang
    app.run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    names = {
        "fr": ["ID", "Mesure", "Statut", "Avancement (%)", "Charge (j.h)", "Équipe"],
        "en": ["ID", "Measure", "Status", "Progress (%)", "Effort (person-days)", "Team"],
    }[lang]
    table = next(d for d in app.dataframe if names[4] in d.value.columns)
    assert list(table.value.columns[:6]) == names
    widths = {name: c.get("width") for name, c in json.loads(table.proto.columns).items()}
    assert all(isinstance(widths.get(n), int) for n in names), widths
    assert sum(widths[n] for n in names) <= 960, "in view beside the sidebar"
    assert set(table.value.columns) == set(widths) - {"_index"}, "every column has its width"
    first = shown(table).iloc[0]
    assert first[names[4]] == "6" and first[names[3]] == "100"  # MSG-01: 6 person-days, done
