"""The Plan page's capacity scenarios (AppTest, on the sample): start from the recommended
reinforcement, compare it with today's plan, save it, show it on the Gantt, put it in the deck."""

from __future__ import annotations

import json
import re
import time

import pytest
from conftest import ROOT
from sqlalchemy import create_engine
from streamlit.testing.v1 import AppTest

from roadmap.store.audit import audit_log
from roadmap.store.scenarios import saved_scenarios


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture
def plan_page(monkeypatch, tmp_path):
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REMPART_DATABASE_URL", raising=False)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    app.switch_page("app_pages/plan.py").run()
    assert not app.exception
    return app


def _comparison(app: AppTest):
    return next(d.value for d in app.dataframe if "Indicateur" in d.value.columns)


def _texts(app: AppTest) -> list[str]:
    return [plain(m.value) for m in app.markdown]


def test_one_unit_for_what_it_would_take_and_the_editor(plan_page):
    text = next(t for t in _texts(plan_page) if t.startswith("Pour tout terminer"))
    assert "j.h/semaine" in text and "ETP)" in text and "par sprint" not in text
    assert any("jours ouvrés de l’horizon" in plain(c.value) for c in plan_page.caption)
    assert not any("€" in t for t in _texts(plan_page))  # no daily rate set: no cost
    columns = plan_page.get("arrow_data_frame")  # the editor's grid
    assert columns is not None
    assert plan_page.selectbox(key="scenario_pick").options[:2] == [
        "Capacité actuelle",
        "Renfort recommandé (ce qu’il faudrait)",
    ]


def _provisional(app: AppTest) -> bool:
    """A fast plan is on screen: today's (the notice) or the scenario's (the comparison's caption)."""
    return any("Plan provisoire" in i.value for i in app.info) or any(
        "Pendant l’optimisation du scénario" in c.value for c in app.caption
    )


def _bars(app: AppTest) -> int:
    """Measures drawn on the Gantt (its last chart): one bar per measure, bar traces by team (the
    other traces mark late measures and prerequisites)."""
    traces = json.loads(app.get("plotly_chart")[-1].proto.spec)["data"]
    return sum(len(t["y"][1]) for t in traces if t.get("type") == "bar")


def test_the_recommended_reinforcement_is_compared_saved_shown_and_exported(plan_page, tmp_path):
    app = plan_page
    before = next(t for t in _texts(app) if t.startswith("Pour tout terminer"))
    app.selectbox(key="scenario_pick").set_value("\x00recommended").run()
    # what it would take (and the horizon today's capacity needs) is today's, whatever the scenario
    assert next(t for t in _texts(app) if t.startswith("Pour tout terminer")) == before
    assert not app.exception
    table = _comparison(app)
    assert list(table.columns) == ["Indicateur", "Plan actuel", "Renfort recommandé"]
    rows = dict(zip(table["Indicateur"], table["Renfort recommandé"], strict=True))
    assert rows["Mesures reportées"] == "2"  # only the two blocked measures stay out
    sentence = next(t for t in _texts(app) if t.startswith("«\u00a0Renfort recommandé\u00a0» ajoute"))
    assert "sans renfort" not in sentence.lower()
    assert "risque·jours" in sentence and "Mesures qui entrent dans l’horizon" in sentence
    assert "Avec cette capacité, toutes les mesures non bloquées tiennent en 13 semaines." in sentence
    # once refined (what the page's poll waits for), the same input gives the same figures
    began = time.monotonic()
    while _provisional(app) and time.monotonic() - began < 180:
        time.sleep(0.5)
        app.run()
    assert not _provisional(app)
    refined = _comparison(app)
    app.run()
    assert _comparison(app).equals(refined)
    assert refined["Renfort recommandé"][2] == "2"

    app.button(key="scenario_save").click().run()
    assert not app.exception
    assert any("Renfort recommandé" in s.value and "enregistré" in s.value for s in app.success)
    engine = create_engine(f"sqlite:///{tmp_path / 'rempart.db'}")
    (saved,) = saved_scenarios(engine, "Centre hospitalier de Rivebelle")
    assert saved.scenario.name == "Renfort recommandé" and saved.saved_by
    assert audit_log(engine)[0].action == "save_scenario"
    engine.dispose()

    selector = app.get("button_group")[0]
    assert selector.proto.label == "Plan affiché"
    options = [o.content for o in selector.proto.options]
    assert options == ["Plan actuel", "Scénario Renfort recommandé"]
    bars_today = _bars(app)
    app.session_state["gantt_plan"] = "Scénario Renfort recommandé"
    app.run()
    assert not app.exception
    assert any("Le Gantt montre le scénario" in c.value for c in app.caption)
    # the scenario schedules every measure but the two blocked ones: more bars than today's plan
    assert _bars(app) == bars_today + int(refined["Plan actuel"][2]) - 2

    app.switch_page("app_pages/exports.py").run()
    assert app.selectbox(key="deck_scenario").options == ["Aucun scénario", "Renfort recommandé"]
    app.selectbox(key="deck_scenario").set_value("Renfort recommandé").run()
    assert not app.exception  # the scenario is solved for its slide; the deck is built on the download click
    assert app.get("download_button")[0].proto.label.endswith("_deck.pptx")  # (its slide: test_browser_scenario)


def test_a_daily_rate_in_the_settings_gives_the_cost(monkeypatch, tmp_path):
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REMPART_DAILY_RATES", '{"Réseau et sécurité": 650}')
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    app.switch_page("app_pages/plan.py").run()
    assert not app.exception
    text = next(t for t in _texts(app) if t.startswith("Pour tout terminer"))
    # the network team's recommendation only: FTE × working days of the horizon × 650 €
    assert re.search(
        r"«\u00a0Réseau et sécurité\u00a0» \+[\d,]+\u00a0j\.h/semaine \([\d,]+\u00a0ETP, [\d\u202f]+\u00a0€ sur", text
    )
    assert text.count("€") == 1
    rows = dict(zip(_comparison(app)["Indicateur"], _comparison(app)["Renfort recommandé"], strict=True))
    assert rows["Coût (équipes ayant un taux journalier)"].endswith("\u00a0€")
