"""The Streamlit app on the bundled sample (AppTest): every page runs without exception."""

import json
import re

import pytest
from conftest import ROOT, measure, run_bound_to, shown, small_sheets, workbook_bytes
from streamlit.testing.v1 import AppTest

from roadmap.security.roles import local_actor

PAGES = ["app_pages/dashboard.py", "app_pages/plan.py", "app_pages/data.py", "app_pages/exports.py"]


def figure(cell: str) -> float:
    """A number as a table shows it in French (``3\u202f010``, ``4,3``) read back."""
    return float(cell.replace("\u202f", "").replace("\xa0", "").replace(",", "."))


def plain(markdown: str) -> str:
    """Markdown source as the reader sees it: backslash escapes of outside text removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def test_dashboard_opens_on_the_sample():
    app = _app().run()
    assert not app.exception
    assert app.title[0].value == "Centre hospitalier de Rivebelle"
    labels = [m.label for m in app.metric]
    assert labels[:3] == ["Mesures réalisées", "Charge réalisée", "Risque résiduel actuel"]
    assert app.metric[0].value.split(" / ")[0].isdigit()
    assert app.get("plotly_chart") and len(app.get("plotly_chart")) == 4
    assert app.date_input(key="start").value.isoformat() == "2026-11-30"


def test_dashboard_tracks_the_history_late_and_blocked_measures(monkeypatch, tmp_path):
    """With the sample's history (four weekly snapshots, a frozen plan), the dashboard shows the
    actual residual risk, earned value against planned value, what is late and what is blocked."""
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    app = _app().run()
    assert not app.exception
    # what the dashboard must show, recomputed from the database it wrote (the frozen plan is the
    # fast plan of the first snapshot)
    from sqlalchemy import create_engine

    from roadmap.models import Status
    from roadmap.progress import progress_report, snapshot_at
    from roadmap.store.snapshots import latest_frozen_plan, snapshots, sources

    engine = create_engine(f"sqlite:///{tmp_path / 'rempart.db'}")
    (source,) = sources(engine)
    frozen = latest_frozen_plan(engine, source)
    assert frozen is not None
    history = snapshots(engine, source)
    report = progress_report(frozen, history)
    engine.dispose()
    current = snapshot_at(history, report.as_of)
    assert current is not None
    blocked_then = sorted(m.id for m in current.measures if m.status is Status.BLOCKED)
    assert report.late and report.spi is not None and 0 < report.spi < 1  # the history shows slippage
    cards = {m.label: m.value for m in app.metric}
    assert float(cards["Performance des délais (SPI)"].replace(",", ".")) == pytest.approx(report.spi, abs=0.005)
    # late and blocked on the same day, the history's (as the History page says), dated on screen
    assert cards["Mesures en retard"] == str(len(report.late)) and cards["Mesures bloquées"] == str(len(blocked_then))
    assert cards["Au-dessus de la cible"] == "0"
    assert any(c.value.startswith("D’après l’historique de") and "21 déc. 2026" in c.value for c in app.caption)
    assert any(c.value.startswith("D’après le classeur affiché") and "30 nov. 2026" in c.value for c in app.caption)
    assert any("L’historique est plus récent que le classeur affiché" in i.value for i in app.info)
    spi = f"SPI {report.spi:.2f}".replace(".", ",")
    assert any("Par rapport au plan figé" in w.value and spi in w.value for w in app.warning)
    traces = [t.get("name") for t in json.loads(app.get("plotly_chart")[0].proto.spec)["data"]]
    assert "Réalisé" in traces, "the actual residual risk from the snapshots is on the trajectory"
    late = next(shown(d) for d in app.dataframe if "Fin prévue" in d.value.columns)
    assert sorted(late["ID"]) == sorted(report.late)
    blocked = next(shown(d) for d in app.dataframe if "Note" in d.value.columns)
    assert sorted(blocked["ID"]) == blocked_then and "APP-02" in blocked_then


@pytest.mark.parametrize("page", PAGES[1:])
def test_other_pages_run(page):
    app = _app().run()
    app.switch_page(page).run()
    assert not app.exception


def test_sidebar_options_replan():
    app = _app().run()
    before = app.metric[3].value
    app.number_input(key="horizon").set_value(4).run()
    assert not app.exception
    assert app.metric[3].value != before  # a 4-week plan ends with more residual risk


def test_workbook_with_blocking_issues_shows_them_instead_of_a_plan(monkeypatch, tmp_path):
    from app_pages import context

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook_bytes(small_sheets([measure("M1", effort="beaucoup")])))
    monkeypatch.setattr(context, "SAMPLE", broken)
    app = _app().run()
    assert not app.exception
    assert app.error[0].value == "Le classeur a 1 problème bloquant."
    assert app.dataframe[0].value["Problème"].tolist() == ["charge en jours-homme attendue"]


def test_plan_page_compares_plans_and_says_what_it_would_take():
    app = _app().run()
    app.switch_page("app_pages/plan.py").run()
    assert not app.exception
    comparison = next(shown(d) for d in app.dataframe if "Plan" in d.value.columns)
    assert comparison["Plan"].tolist()[0].startswith("Plan compressé")
    exposure = [figure(e) for e in comparison["Exposition cumulée (risque·jours)"]]
    assert exposure[0] <= exposure[1] < exposure[2] < exposure[3]  # optimised ≤ greedy < naive < 3-year plan
    assert any("Pour tout terminer en 13 semaines" in m.value for m in app.markdown)


def test_mapping_step_imports_a_tracker_in_another_layout(monkeypatch, tmp_path):
    from conftest import CORPUS

    from app_pages import context

    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(context, "SAMPLE", CORPUS / "fedramp_agency_wbs.xlsx")
    app = _app().run()
    # the work breakdown gives a plan with no hand mapping (issue 15): its 38 rows less the 7
    # summary tasks, whose titles become the domain of the rows under them
    assert not app.exception and not app.error
    assert app.metric[0].value == "0 / 31"
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    assert app.selectbox(key="map_sheet").value == "LowModerateHigh WBS"
    app.text_input(key="map_team").input("Équipe projet")
    app.number_input(key="map_effort").set_value(5.0)
    app.button(key="map_apply").click().run()
    assert not app.exception
    sheets = next(shown(d) for d in app.dataframe if "Lue comme" in d.value.columns)
    assert sheets["Lue comme"].tolist() == ["Mesures"]
    assert _remembered(tmp_path), "the confirmed mapping is remembered"
    app.switch_page("app_pages/dashboard.py").run()
    assert not app.exception
    assert app.metric[0].value == "0 / 31"


def test_the_mapping_step_asks_once_per_value_outside_the_vocabulary_and_remembers_it(monkeypatch, tmp_path):
    from app_pages import context

    rows = [["Réf", "Action à mener", "Statut", "Équipe", "Charge (j.h)"]]
    rows += [[f"A{n}", f"Mettre en place la mesure {n}", "Waived" if n % 2 else "Fait", "Sys", 2] for n in range(6)]
    tracker = tmp_path / "valeurs.xlsx"
    tracker.write_bytes(workbook_bytes({"Plan": rows}))
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(context, "SAMPLE", tracker)
    app = _app().run()
    assert not app.exception  # the dashboard points to the fix
    pointer = "**1 statut hors du vocabulaire** (3 mesures) est lu « à faire »"
    assert any(w.value.startswith(pointer) for w in app.warning)
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    assert any("Valeurs de la colonne « Statut » hors du vocabulaire" in m.value for m in app.markdown)
    issues = next(shown(d) for d in app.dataframe if "Problème" in d.value.columns)
    assert issues["Problème"].str.startswith("statut inconnu « Waived » dans 3 lignes").sum() == 1
    app.button(key="map_apply").click().run()  # confirmed as shown: Waived read as to do
    assert not app.exception
    issues = next(shown(d) for d in app.dataframe if "Problème" in d.value.columns)
    assert not issues["Problème"].str.startswith("statut inconnu").any()
    (saved,) = _remembered(tmp_path)
    assert saved["values"] == {"status": {"Waived": "not_started"}}


def _remembered(folder) -> list[dict]:
    """The mappings remembered in the history database of ``folder``."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"sqlite:///{folder / 'rempart.db'}")
    with engine.connect() as connection:
        rows = connection.execute(sqlalchemy.text("SELECT mapping FROM column_mappings")).scalars().all()
    engine.dispose()
    return [json.loads(row) if isinstance(row, str) else row for row in rows]


def test_risks_page_heat_maps_and_traceability():
    app = _app().run()
    app.switch_page("app_pages/risks.py").run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 4  # three heat maps and a trajectory
    table = next(shown(d) for d in app.dataframe if "above_target" in d.value.columns)
    inherent, now, end = ([figure(c) for c in table[name]] for name in ("inherent", "now", "end_of_plan"))
    assert len(table) == 14 and all(e <= n <= i for i, n, e in zip(inherent, now, end, strict=True))
    app.selectbox(key="risk_choice").set_value("R02").run()
    assert not app.exception


def test_exports_page_offers_each_export_in_one_click(monkeypatch, tmp_path):
    """One download button per export, named as the file will be, and nothing built before a click
    (the button's data is a callable); the builder gives the deck and the tables' archive."""
    import datetime as dt
    import io
    import zipfile

    from app_pages.export_files import build, payload
    from roadmap import exports

    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))  # the sample's history, recorded afresh
    app = _app().run()
    app.switch_page("app_pages/exports.py").run()
    assert not app.exception
    assert not [b.key for b in app.button if b.key and b.key.startswith("build_")], "no “Prepare” step"
    labels = [b.proto.label for b in app.get("download_button")]
    assert len(labels) == 7 and labels[0].startswith("Télécharger rempart_centre-hospitalier-de-rivebelle_")
    assert labels[0].endswith("_deck.pptx") and labels[5].endswith("_csv.zip") and labels[3].endswith("_png.zip")
    context = app.session_state["context"]
    today = dt.date(2026, 11, 30)
    deck = payload(build("pptx", "fr", context.data, context.name, ("t",), today, context.analysis))
    assert exports.deck_outline(deck)[:3] == [
        "Centre hospitalier de Rivebelle",
        "Synthèse",
        "Trajectoire du risque résiduel",
    ]
    tables = payload(build("csv", "fr", context.data, context.name, ("t",), today, context.analysis))
    assert len(zipfile.ZipFile(io.BytesIO(tables)).namelist()) == 10


def test_refuses_to_serve_beyond_localhost_without_login():
    app = run_bound_to(_app(), "0.0.0.0")
    assert not app.exception
    assert "0.0.0.0" in app.error[0].value and "user add" in app.error[0].value
    assert not app.title and not app.metric  # nothing of the hospital's data is shown


def test_history_page_shows_the_sample_history_and_freezes_the_plan(monkeypatch, tmp_path):
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REMPART_DATABASE_URL", raising=False)
    app = _app().run()
    app.switch_page("app_pages/history.py").run()
    assert not app.exception
    assert (tmp_path / "rempart.db").exists(), "the default database is created in REMPART_DATA_DIR"
    assert app.selectbox(key="history_source").value == "Centre hospitalier de Rivebelle"

    def table(column):
        return next(shown(d) for d in app.dataframe if column in d.value.columns)

    shots = table("Empreinte")
    assert shots["Date"].tolist() == ["21 déc. 2026", "14 déc. 2026", "7 déc. 2026", "30 nov. 2026"]
    labels = [m.label for m in app.metric]
    assert labels == [
        "Valeur planifiée, PV (j.h)",
        "Valeur acquise, EV (j.h)",
        "SPI",
        "Fin prévisionnelle",
        "Mesures en retard",
    ]
    assert 0 < float(app.metric[2].value.replace(",", ".")) < 1  # the sample history runs behind its plan
    assert len(app.get("plotly_chart")) == 2
    assert not table("Fin prévue").empty
    audit = table("Action")
    actions = audit["Action"].tolist()
    assert actions.count("Instantané enregistré") == 4 and actions.count("Plan figé") == 1
    app.button(key="freeze").click().run()
    assert not app.exception
    who = local_actor().name  # no login configured: the person at this computer
    assert any(f"Plan figé : version 2, par {who}" in plain(s.value) for s in app.success)
    assert "version 2" in app.caption[0].value and who in app.caption[0].value
    assert table("Action")["Action"].tolist()[0] == "Plan figé"


def test_history_page_says_the_audit_log_is_intact_or_raises_the_alarm(monkeypatch, tmp_path):
    import sqlalchemy

    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REMPART_DATABASE_URL", raising=False)
    app = _app().run()
    app.switch_page("app_pages/history.py").run()
    assert not app.exception
    verdict = next(s.value for s in app.success if "journal intègre" in s.value)
    count = int(re.search(r"\((\d+) entrées vérifiées\)", verdict).group(1))
    assert verdict == f"journal intègre ✓ ({count} entrées vérifiées)" and count >= 5
    app.radio(key="lang").set_value("en").run()
    assert any(s.value == f"Audit log intact ✓ ({count} entries verified)" for s in app.success)
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'rempart.db'}")
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("UPDATE audit_log SET who = 'personne' WHERE id = 2"))
    engine.dispose()
    app.radio(key="lang").set_value("fr").run()
    assert not app.exception
    alarm = next(e.value for e in app.error if "NON intègre" in e.value)
    assert "l’entrée n° 2 (" in alarm and "ne se vérifie pas" in alarm and "RSSI" in alarm
    assert not any("journal intègre" in s.value for s in app.success)


def test_an_uploaded_workbook_becomes_a_snapshot_once_confirmed_and_appears_in_the_group(monkeypatch, tmp_path):
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    app = _app().run()
    app.file_uploader(key="upload").upload("petit-hopital.xlsx", workbook_bytes(small_sheets())).run()
    assert not app.exception
    assert any("Pas enregistré dans l’historique" in c.value for c in app.sidebar.caption)
    app.switch_page("app_pages/data.py").run()
    app.button(key="save_snapshot").click().run()
    assert not app.exception
    assert any("instantané du" in s.value and "« petit-hopital »" in plain(s.value) for s in app.success)
    app.switch_page("app_pages/history.py").run()
    assert not app.exception
    assert app.selectbox(key="history_source").value == "petit-hopital"
    group = next(shown(d) for d in app.dataframe if "Établissement" in d.value.columns)
    assert sorted(group["Établissement"]) == ["Centre hospitalier de Rivebelle", "petit-hopital"]
    assert group.set_index("Établissement").loc["petit-hopital", "Instantanés"] == "1"
    assert any("n’a pas encore de plan figé" in i.value for i in app.info)
    app.button(key="freeze").click().run()  # freeze the uploaded workbook's plan: its progress shows
    assert not app.exception and app.metric[2].label == "SPI"


def test_data_page_offers_progress_editing_on_a_configured_workbook(monkeypatch, tmp_path):
    from conftest import SAMPLE

    shared = tmp_path / "partage" / "rivebelle.xlsx"
    shared.parent.mkdir()
    shared.write_bytes(SAMPLE.read_bytes())
    monkeypatch.setenv("REMPART_WORKBOOK", str(shared))
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path / "data"))
    app = _app().run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    assert app.button(key="save_edits").disabled  # nothing edited yet
    assert any(str(shared) in plain(c.value) for c in app.caption)


def test_saving_edits_writes_the_configured_workbook_and_the_audit_log(monkeypatch, tmp_path):
    from conftest import SAMPLE

    from app_pages import edit_tables
    from roadmap.importing.load import load_workbook
    from roadmap.store.audit import audit_log
    from roadmap.store.database import open_store
    from roadmap.writeback import MeasureEdit

    shared = tmp_path / "rivebelle.xlsx"
    shared.write_bytes(SAMPLE.read_bytes())
    monkeypatch.setenv("REMPART_WORKBOOK", str(shared))
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path / "data"))
    # the grid is a canvas AppTest cannot type into: stand in for the user's edit
    monkeypatch.setattr(edit_tables, "edits_from_table", lambda before, after: [MeasureEdit("MSG-03", progress=55)])
    app = _app().run()
    app.switch_page("app_pages/data.py").run()
    app.button(key="save_edits").click().run()
    assert not app.exception
    assert any("1 cellule écrite dans rivebelle.xlsx" in plain(s.value) for s in app.success)
    assert load_workbook(shared).roadmap.measure_by_id["MSG-03"].progress == 55
    assert list((tmp_path / "sauvegardes").glob("rivebelle.xlsx.*.bak"))
    entries = audit_log(open_store())
    (entry,) = [e for e in entries if e.action == "edit"]
    assert entry.new == "55" and "MSG-03" in entry.target
    assert entries[0].action == "snapshot"  # the written workbook entered the history
    written = next(shown(d) for d in app.dataframe if "Cellule" in d.value.columns)
    assert written.to_dict("records") == [
        {
            "Feuille": "Mesures",
            "Cellule": written["Cellule"][0],
            "ID": "MSG-03",
            "Mesure": written["Mesure"][0],
            "Champ": "Avancement (%)",
            "Avant": "0 %",
            "Après": "55 %",
        }
    ]
    assert written["Cellule"][0].startswith("I")


def test_edits_from_the_table_are_the_changed_cells_only():
    import datetime as dt

    import pandas as pd

    from app_pages.edit_tables import edits_from_table
    from roadmap.models import Status

    before = pd.DataFrame(
        [
            {"ID": "A", "Statut": "À faire", "Avancement (%)": 0.0, "Date de réalisation": None},
            {"ID": "B", "Statut": "En cours", "Avancement (%)": 50.0, "Date de réalisation": None},
        ]
    )
    after = before.copy()
    after.loc[1, ["Statut", "Avancement (%)", "Date de réalisation"]] = ["Fait", 100.0, dt.date(2026, 12, 4)]
    (edit,) = edits_from_table(before, after)
    assert (edit.measure_id, edit.status, edit.progress, edit.done_date) == (
        "B",
        Status.DONE,
        100.0,
        dt.date(2026, 12, 4),
    )


def test_the_sample_history_never_enters_a_hospital_database(monkeypatch, tmp_path):
    """With a hospital's own workbook in use, the database keeps only its history (no fictional
    Rivebelle snapshots or frozen plan seeded into it)."""
    from roadmap.store.database import open_store
    from roadmap.store.snapshots import sources

    shared = tmp_path / "petit-hopital.xlsx"
    shared.write_bytes(workbook_bytes(small_sheets()))
    monkeypatch.setenv("REMPART_WORKBOOK", str(shared))
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path / "data"))
    app = _app().run()
    app.switch_page("app_pages/history.py").run()
    assert not app.exception
    assert sources(open_store()) == []


def test_an_upload_past_excels_last_row_is_refused_clearly_and_the_app_goes_on(monkeypatch, tmp_path):
    from hostile_files import HOSTILE

    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    far = next(h for h in HOSTILE if h.filename == "far.xlsx")
    app = _app().run()
    app.file_uploader(key="upload").upload(far.filename, far.build()).run()
    assert not app.exception
    shown = " ".join(e.value for e in app.error)
    assert "A99999999" in shown and "Mesures" in shown, shown
    other = _app().run()  # another session, on the same server
    assert not other.exception and other.title[0].value == "Centre hospitalier de Rivebelle"


def test_the_fast_plan_shows_at_once_and_the_refined_plan_replaces_it(monkeypatch, tmp_path):
    """A solve not done before: the fast plan at once with a notice, the full solve in the
    background, kept on disk; the next run shows the refined plan, and so does a new session."""
    import time

    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    app = _app().run()
    app.number_input(key="time_limit").set_value(7).run()  # options no other test has solved
    assert not app.exception
    app.switch_page("app_pages/plan.py").run()
    assert any("Plan provisoire" in i.value for i in app.info)
    assert any("Plan provisoire (calcul rapide)" in plain(c.value) for c in app.caption)
    began = time.monotonic()
    while any("Plan provisoire" in i.value for i in app.info) and time.monotonic() - began < 120:
        time.sleep(0.5)
        app.run()  # what the page's poll does every second in a browser
    assert not any("Plan provisoire" in i.value for i in app.info), "the refined plan replaces the fast one"
    assert list((tmp_path / "plans").glob("*.json")), "this solve, kept on disk (the baseline is the fast plan)"
    fresh = _app()  # a second user, or the same after a restart: the solve is on disk
    fresh.run()
    fresh.number_input(key="time_limit").set_value(7).run()
    fresh.switch_page("app_pages/plan.py").run()
    assert not any("Plan provisoire" in i.value for i in fresh.info)
    assert any(plain(c.value).startswith("Plan optimisé") for c in app.caption)


def test_measures_the_plan_ends_after_their_due_date_are_listed_beside_the_gantt(monkeypatch, tmp_path):
    """One truth: the measures the Gantt outlines as late because the plan ends after their due date
    are in the late table too (it said "Rien en retard ni bloqué" beside them)."""
    import datetime as dt

    from app_pages import context

    sheets = small_sheets()
    header, *rows = sheets["Mesures"]
    sheets["Mesures"] = [[*header, "Échéance"], *([*row, dt.date(2026, 12, 1)] for row in rows)]
    path = tmp_path / "echeances.xlsx"
    path.write_bytes(workbook_bytes(sheets))
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(context, "SAMPLE", path)
    app = _app().run()
    assert not app.exception
    assert any(c.value.startswith("Fin planifiée après l’échéance") for c in app.caption)
    overdue = next(shown(d) for d in app.dataframe if "Échéance" in d.value.columns)
    assert set(overdue["ID"]) and set(overdue["Échéance"]) == {"1 déc. 2026"}
    assert not any(i.value == "Rien en retard ni bloqué." for i in app.info)
