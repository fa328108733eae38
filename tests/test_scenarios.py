"""Capacity scenarios: the model, the comparison with today's plan (person-days, FTE, cost,
risk-days saved, measures and risks brought in), the wording, the store and the deck slide."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pptx import Presentation

from roadmap import analyse_roadmap
from roadmap.errors import PlanningError
from roadmap.models import Measure, Mitigation, Risk, Roadmap, Settings, Team
from roadmap.planning.optimise import crash_plan
from roadmap.scenarios import (
    Scenario,
    ScenarioPlan,
    TeamCapacity,
    apply_scenario,
    compare_scenario,
    plan_figures,
    recommended_scenario,
)
from roadmap.security.roles import Actor, Role
from roadmap.store.audit import audit_log
from roadmap.store.database import RempartSettings, downgrade_database, open_store, upgrade_database
from roadmap.store.scenarios import delete_scenario, save_scenario, saved_scenarios
from roadmap.wording import comparison_rows, crashing_text, fte_note, scenario_text

START = dt.date(2027, 1, 4)  # a Monday; no French public holiday in the next 4 weeks
DIRECTOR = Actor("directrice", Role.VIEWER, "oidc")


def _measure(ident: str, effort: float, *, team: str = "Réseau", risk: str = "R1") -> Measure:
    return Measure(
        id=ident,
        title=ident,
        team=team,
        effort_days=effort,
        mitigates=(Mitigation(risk_id=risk, effectiveness=0.5),),
    )


def _roadmap() -> Roadmap:
    """Two teams of one person for 4 weeks (20 working days): the network team has 30 person-days
    of work, so 10 are deferred; 5 person-days a week more (+1 FTE) fit them all."""
    return Roadmap(
        measures=(
            _measure("A", 10),
            _measure("B", 10),
            _measure("C", 10, risk="R2"),
            _measure("D", 5, team="Postes"),
        ),
        risks=(
            Risk(id="R1", likelihood=4, severity=4, target_level=2),
            Risk(id="R2", likelihood=4, severity=4, target_level=2),
        ),
        teams=(Team(name="Réseau", fte=1.0), Team(name="Postes", fte=1.0)),
        settings=Settings(start_date=START, horizon_weeks=4, sprint_weeks=2, calendar="FR"),
    )


@pytest.fixture(scope="module")
def today():
    return analyse_roadmap(_roadmap(), time_limit=1)


@pytest.fixture(scope="module")
def reinforced():
    scenario = Scenario("Prestataire réseau", (TeamCapacity("Réseau", 1.0, 1.0, 5.0),), {"Réseau": 600.0})
    return ScenarioPlan(scenario, analyse_roadmap(apply_scenario(_roadmap(), scenario), time_limit=1))


def test_a_scenario_needs_a_name_and_round_trips_through_json():
    with pytest.raises(PlanningError, match="name of 1 to 100"):
        Scenario("   ")
    with pytest.raises(PlanningError, match="negative"):
        Scenario("x", daily_rates={"Réseau": -1})
    scenario = Scenario("  Renfort   ARS ", (TeamCapacity("Réseau", 2.0, 0.5, 3.5),), {"Réseau": 650.0})
    assert scenario.name == "Renfort ARS"
    assert Scenario.from_json(json.loads(json.dumps(scenario.to_json()))) == scenario
    with pytest.raises(PlanningError, match="not a scenario"):
        Scenario.from_json({"teams": []})


def test_apply_scenario_changes_only_the_named_teams():
    roadmap = apply_scenario(_roadmap(), Scenario("x", (TeamCapacity("Réseau", 2.0, 0.5, 5.0),)))
    network, desktops = roadmap.teams
    assert (network.fte, network.availability, network.reinforcement) == (2.0, 0.5, 5.0)
    assert network.daily_capacity == pytest.approx(2.0)
    assert desktops == _roadmap().teams[1]
    with pytest.raises(PlanningError, match="availability"):
        apply_scenario(_roadmap(), Scenario("x", (TeamCapacity("Réseau", 1.0, 1.5, 0.0),)))


def test_the_comparison_counts_person_days_fte_cost_and_what_the_capacity_buys(today, reinforced):
    comparison = reinforced.compare(today)
    # +5 person-days a week is +1 person-day per working day: 20 working days, 20 person-days, 1 FTE
    assert comparison.working_days == len(today.plan.days) == 20
    (network,) = comparison.teams
    assert (network.team, network.per_week, network.person_days, network.fte) == ("Réseau", 5.0, 20.0, 1.0)
    assert network.cost == pytest.approx(20 * 600) and comparison.cost == pytest.approx(12_000)
    assert comparison.fte == pytest.approx(1.0)
    # today's plan defers one of the network measures; the scenario schedules everything
    assert len(comparison.plan.deferred) == 1 and comparison.scenario.deferred == ()
    assert comparison.brought_in == comparison.plan.deferred and comparison.pushed_out == ()
    assert comparison.risk_days_saved == pytest.approx(
        today.exposure["optimised"] - reinforced.analysis.exposure["optimised"]
    )
    assert comparison.risk_days_saved > 0
    assert comparison.plan == plan_figures(today)
    assert comparison.scenario.finish == max(s.end for s in reinforced.analysis.plan.scheduled)


def test_no_daily_rate_means_no_cost(today, reinforced):
    comparison = compare_scenario(today, reinforced.analysis, name="sans taux")
    assert comparison.cost is None and all(t.cost is None for t in comparison.teams)
    rows = comparison_rows(comparison, lang="fr")
    assert not any("Coût" in label for label, _plan, _scenario in rows)
    assert "€" not in scenario_text(comparison, reinforced.analysis, lang="fr")


def test_a_scenario_is_compared_on_the_same_horizon_only(today, reinforced):
    longer = analyse_roadmap(_roadmap(), horizon_weeks=6, time_limit=1)
    with pytest.raises(PlanningError, match="same horizon"):
        compare_scenario(today, longer, name="x")


def test_the_comparison_table_and_sentence_say_the_same_figures(today, reinforced):
    comparison = reinforced.compare(today)
    rows = {label: (ours, theirs) for label, ours, theirs in comparison_rows(comparison, lang="fr")}
    assert rows["Mesures reportées"] == ("1", "0")
    assert rows["Capacité ajoutée (j.h sur l’horizon)"] == ("0", "+20")
    assert rows["Capacité ajoutée (ETP sur l’horizon)"] == ("0", "+1")
    assert rows["Coût (équipes ayant un taux journalier)"][1] == "12\u202f000\u00a0€"
    ours, theirs = rows["Risques à leur cible en fin de plan"]
    assert ours == f"{len(comparison.plan.at_target)} sur 2" and theirs == f"{len(comparison.scenario.at_target)} sur 2"
    text = scenario_text(comparison, reinforced.analysis, lang="fr")
    saved = round(comparison.risk_days_saved)
    assert f"épargne {saved}\u00a0risque·jours" in text
    assert "ajoute 20\u00a0j.h sur l’horizon (1\u00a0ETP, 12\u202f000\u00a0€ sur l’horizon)" in text
    assert f"entrent dans l’horizon\u00a0: {comparison.brought_in[0]}" in text
    assert "sans renfort" not in text.lower()  # the scenario's capacity is not today's
    assert "toutes les mesures non bloquées tiennent en 4 semaines" in text
    english = scenario_text(comparison, reinforced.analysis, lang="en")
    assert f"saves {saved} risk-days" in english and "€12,000" in english


def test_what_it_would_take_is_in_person_days_per_week_with_fte_and_cost(today):
    # 30 person-days in 20 working days, each measure worked by one person (a team of 1 FTE): two
    # at once take a second person, +1 person-day a working day = 5 a week = 10 a 2-week sprint
    assert today.reinforcement_per_week == {"Réseau": 5.0, "Postes": 0.0}
    assert today.crashing is not None and today.crashing.extra_person_days_per_sprint["Réseau"] == 10.0
    text = crashing_text(today, lang="fr")
    assert "«\u00a0Réseau\u00a0» +5\u00a0j.h/semaine (1\u00a0ETP)" in text
    assert "par sprint" not in text and "€" not in text
    priced = crashing_text(today, lang="fr", daily_rates={"Réseau": 500})
    assert "(1\u00a0ETP, 10\u202f000\u00a0€ sur l’horizon)" in priced  # 5 / 5 × 20 days × 500 €
    assert "20 jours ouvrés" in fte_note(today, lang="fr") and "FR" in fte_note(today, lang="fr")
    assert today.to_json()["crashing"]["extra_person_days_per_week"] == {"Réseau": 5.0, "Postes": 0.0}


def test_the_recommended_scenario_brings_every_measure_inside(today):
    scenario = recommended_scenario(today, name="Renfort recommandé")
    assert scenario is not None
    assert scenario.teams == (TeamCapacity("Réseau", 1.0, 1.0, 5.0),)
    solved = analyse_roadmap(apply_scenario(_roadmap(), scenario), time_limit=1)
    assert solved.plan.deferred == ()
    # …and then says so with its own capacity, not "without reinforcement"
    comparison = compare_scenario(today, solved, name=scenario.name)
    assert "tiennent en 4 semaines" in scenario_text(comparison, solved, lang="fr")


def test_crashing_is_the_same_on_every_run_and_for_the_fast_and_full_plans():
    """The director's figure cannot depend on the machine's load: crashing counts re-plannings."""
    from benchmarks.hospitals import hospital

    roadmap = hospital(120, seed=3)
    first = crash_plan(roadmap, time_limit=0.01)  # a tiny limit changes nothing any more
    assert crash_plan(roadmap, time_limit=60) == first
    quick = analyse_roadmap(roadmap, quick=True)
    assert quick.crashing == first


def test_daily_rates_come_from_the_settings(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REMPART_DAILY_RATES", raising=False)
    assert RempartSettings().daily_rates == {}
    (tmp_path / "rempart.toml").write_text('[daily_rates]\n"Réseau et sécurité" = 650\n', encoding="utf-8")
    assert RempartSettings().daily_rates == {"Réseau et sécurité": 650.0}
    monkeypatch.setenv("REMPART_DAILY_RATES", '{"Postes": 480, "Réseau et sécurité": 700}')
    # pydantic-settings merges the sources team by team; the environment wins
    assert RempartSettings().daily_rates == {"Postes": 480.0, "Réseau et sécurité": 700.0}


def test_scenarios_are_saved_replaced_listed_and_deleted_with_an_audit_trail(store_url):
    engine = open_store(store_url)
    first = Scenario("Renfort ARS", (TeamCapacity("Réseau", 1.0, 1.0, 5.0),))
    saved = save_scenario(engine, "CH A", first, by=DIRECTOR)  # a director (viewer) may keep a what-if
    assert saved.saved_by == "directrice" and saved.scenario == first
    second = Scenario("Renfort ARS", (TeamCapacity("Réseau", 2.0, 1.0, 0.0),), {"Réseau": 600.0})
    save_scenario(engine, "CH A", second, by=DIRECTOR)
    save_scenario(engine, "CH A", Scenario("Autre"), by=DIRECTOR)
    save_scenario(engine, "CH B", Scenario("Ailleurs"), by=DIRECTOR)
    assert [s.scenario for s in saved_scenarios(engine, "CH A")] == [Scenario("Autre"), second]
    assert saved_scenarios(engine, "inconnu") == []
    replaced = next(e for e in audit_log(engine) if e.action == "save_scenario" and e.target == "CH A / Renfort ARS")
    assert json.loads(replaced.old or "") == first.to_json() and json.loads(replaced.new or "") == second.to_json()
    assert delete_scenario(engine, "CH A", "Renfort ARS", by=DIRECTOR)
    assert not delete_scenario(engine, "CH A", "Renfort ARS", by=DIRECTOR)
    assert [s.scenario.name for s in saved_scenarios(engine, "CH A")] == ["Autre"]
    entry = audit_log(engine)[0]
    assert (entry.who, entry.action, entry.target, entry.new) == (
        "directrice",
        "delete_scenario",
        "CH A / Renfort ARS",
        None,
    )
    assert json.loads(entry.old or "") == second.to_json()
    engine.dispose()


def test_the_scenarios_table_comes_and_goes_with_its_migration(store_url):
    open_store(store_url).dispose()
    downgrade_database(store_url, revision="0004")
    import sqlalchemy

    engine = sqlalchemy.create_engine(store_url)
    assert "scenarios" not in sqlalchemy.inspect(engine).get_table_names()
    engine.dispose()
    upgrade_database(store_url)
    engine = open_store(store_url)
    save_scenario(engine, "CH A", Scenario("x"), by=DIRECTOR)
    assert [s.scenario.name for s in saved_scenarios(engine, "CH A")] == ["x"]
    engine.dispose()


def _slide_texts(deck: bytes) -> list[str]:
    texts = []
    for slide in Presentation(io.BytesIO(deck)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        texts.append("\n".join(parts))
    return texts


def test_the_deck_has_a_slide_comparing_the_scenario_with_the_plan(today, reinforced):
    from roadmap.exports import build_deck

    plain = _slide_texts(build_deck(today, lang="fr", today=START))
    deck = build_deck(today, lang="fr", today=START, scenario=reinforced)
    texts = _slide_texts(deck)
    assert len(texts) == len(plain) + 1
    (slide,) = [t for t in texts if "Scénario «\u00a0Prestataire réseau\u00a0» et plan actuel" in t]
    comparison = reinforced.compare(today)
    for label, ours, theirs in comparison_rows(comparison, lang="fr"):
        assert label in slide and ours in slide and theirs in slide
    assert scenario_text(comparison, reinforced.analysis, lang="fr") in slide
    assert not any("Prestataire réseau" in t for t in plain)


def test_a_long_scenario_name_is_shortened_in_the_slide_title_only():
    from roadmap.exports.scenario_slide import TITLE_NAME, scenario_title

    name = "Renfort du GHT et d’un prestataire pour le réseau, les postes et les applications"
    title = scenario_title(name, "fr")
    assert title.startswith("Scénario «\u00a0Renfort du GHT") and "…\u00a0» et plan actuel" in title
    assert len(title) < len(name) and name[:TITLE_NAME] in scenario_title(name[:TITLE_NAME], "en")


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [("1\u202f650", "fr", 1650.0), ("650,5", "fr", 650.5), ("1 650 €", "fr", 1650.0), ("1,650.5", "en", 1650.5)],
)
def test_amounts_are_read_and_written_in_the_locale(text, lang, value):
    from roadmap.i18n import format_cost, parse_number

    assert parse_number(text, lang) == value
    assert format_cost(value, "fr") == format_cost(round(value), "fr")
    with pytest.raises(ValueError):
        parse_number("six cents", lang)
