"""The edit loop in the app (AppTest): edit → change list → save → the plan follows, at once.

The grid is a canvas AppTest cannot type into: ``edits_from_table`` stands in for the user's
edits (the browser test, tests/test_edit_loop_browser.py, types into the real grid)."""

import datetime as dt
import re

import pytest
from conftest import ROOT, SAMPLE
from streamlit.testing.v1 import AppTest

from roadmap.importing.load import load_workbook
from roadmap.models import Status
from roadmap.writeback import MeasureEdit

TODAY = dt.date(2026, 12, 3)


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture
def edit(monkeypatch, tmp_path):
    """Set the edits the grid gives (a list, changed by the test), on a private history, today fixed."""
    from app_pages import context, edit_tables

    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REMPART_WORKBOOK", raising=False)
    monkeypatch.setattr(context, "today", lambda: TODAY)
    edits: list[MeasureEdit] = []
    monkeypatch.setattr(edit_tables, "edits_from_table", lambda before, after: list(edits))
    return edits


def _changes(app: AppTest):
    return next(d.value for d in app.dataframe if "Saisi par" in d.value.columns)


def test_an_uploaded_workbook_saved_replaces_the_one_in_use(edit):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.file_uploader(key="upload").upload("mon-plan.xlsx", SAMPLE.read_bytes()).run()
    assert not app.exception
    done_before = app.metric[0].value
    app.switch_page("app_pages/data.py").run()
    edit.append(MeasureEdit("MSG-02", status=Status.DONE))
    app.run()
    changes = _changes(app)
    assert changes[["ID", "Champ", "Avant", "Après", "Saisi par"]].values.tolist() == [
        ["MSG-02", "Statut", "En cours", "Fait", "vous"],
        ["MSG-02", "Avancement (%)", "40 %", "100 %", "Rempart, d’après le statut"],
        ["MSG-02", "Date de réalisation", "—", "3 déc. 2026", "Rempart, d’après le statut"],
    ]
    assert set(changes["Contrôle"]) == {"✓"}
    app.button(key="save_edits").click().run()
    assert not app.exception
    assert any("3 cellules écrites dans mon-plan.xlsx" in plain(s.value) for s in app.success)
    written = next(d.value for d in app.dataframe if "Cellule" in d.value.columns)
    assert written[["Feuille", "ID", "Champ", "Avant", "Après"]].values.tolist() == [
        ["Mesures", "MSG-02", "Statut", "En cours", "Fait"],
        ["Mesures", "MSG-02", "Avancement (%)", "40 %", "100 %"],
        ["Mesures", "MSG-02", "Date de réalisation", "—", "3 déc. 2026"],
    ]
    copy = app.session_state["saved_copies"]
    ((data, name),) = copy.values()
    saved = load_workbook(data, filename=name).roadmap.measure_by_id["MSG-02"]
    assert (saved.status, saved.done_date) == (Status.DONE, TODAY)
    assert app.get("download_button")  # the updated copy, to take home
    edit.clear()
    app.switch_page("app_pages/dashboard.py").run()  # the plan follows without a new upload
    assert not app.exception
    before, total = (int(x) for x in done_before.split(" / "))
    assert app.metric[0].value == f"{before + 1} / {total}"
    # an upload's copy enters the history only from the Data page's button, as any upload
    assert any("Pas enregistré dans l’historique" in plain(c.value) for c in app.sidebar.caption)


def test_a_progress_that_fell_to_zero_is_shown_and_left_out(edit, tmp_path, monkeypatch):
    """A keystroke lost in the grid turned 40 into 0: the change list says so, the user leaves the
    change out, and only the other change is written."""
    shared = tmp_path / "rivebelle.xlsx"
    shared.write_bytes(SAMPLE.read_bytes())
    monkeypatch.setenv("REMPART_WORKBOOK", str(shared))
    edit += [MeasureEdit("MSG-02", progress=0), MeasureEdit("AD-03", progress=70)]
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.switch_page("app_pages/data.py").run()
    changes = _changes(app)
    assert changes.loc[changes["ID"] == "MSG-02", "Contrôle"].tolist() == [
        "À vérifier : l’avancement baisse de 40 à 0 : si une frappe s’est perdue, écartez cette modification"
    ]
    drop = app.multiselect(key="drop_changes_0")
    assert drop.options == ["MSG-02 · Avancement (%) : 40 % → 0 %", "AD-03 · Avancement (%) : 60 % → 70 %"]
    drop.select("MSG-02:progress").run()
    assert _changes(app)["ID"].tolist() == ["AD-03"]
    app.button(key="save_edits").click().run()
    assert not app.exception
    after = load_workbook(shared).roadmap.measure_by_id
    assert (after["MSG-02"].progress, after["AD-03"].progress) == (40, 70)


def test_a_blocking_change_cannot_be_saved(edit, tmp_path, monkeypatch):
    shared = tmp_path / "rivebelle.xlsx"
    shared.write_bytes(SAMPLE.read_bytes())
    monkeypatch.setenv("REMPART_WORKBOOK", str(shared))
    edit.append(MeasureEdit("MSG-02", status=Status.DONE, progress=80))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.switch_page("app_pages/data.py").run()
    assert app.button(key="save_edits").disabled
    assert any("« Bloquant » ne peut pas être enregistrée" in e.value for e in app.error)
    assert any(v.startswith("Bloquant : une mesure faite est achevée") for v in _changes(app)["Contrôle"])
    assert shared.read_bytes() == SAMPLE.read_bytes()
