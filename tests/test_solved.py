"""Solved plans kept by input content (a restart or a second user never waits for a solve done
before), checked before use; the fast plan shown at once; solves run once in the background."""

import json
import threading
import time

import pytest
from conftest import SAMPLE
from test_schedule import assert_valid_plan

from roadmap import load_roadmap
from roadmap.analysis import analyse_roadmap, analysis_key
from roadmap.models import Team
from roadmap.planning import optimise
from roadmap.planning.problem import build_problem
from roadmap.planning.schedule import list_schedule
from roadmap.planning.solved import BackgroundSolves, PlanCache, feasible_starts, solve_key

LIMIT = 2.0


@pytest.fixture(scope="module")
def sample():
    roadmap, _issues = load_roadmap(SAMPLE)
    return roadmap


def _key(roadmap, **changes):
    options = {"start": "", "horizon_weeks": 13, "sprint_weeks": 2, "time_limit": LIMIT, "crashing": True}
    return solve_key(roadmap, **(options | changes))


def test_the_key_is_stable_and_changes_with_every_input(sample):
    key = _key(sample)
    assert key == _key(sample) and len(key) == 64
    first = sample.measures[0]
    changed_effort = sample.model_copy(
        update={"measures": (first.model_copy(update={"effort_days": first.effort_days + 1}), *sample.measures[1:])}
    )
    team = sample.teams[0]
    changed_team = sample.model_copy(update={"teams": (Team(name=team.name, fte=team.fte + 1), *sample.teams[1:])})
    others = {
        _key(changed_effort),
        _key(changed_team),
        _key(sample, start="2027-01-04"),
        _key(sample, horizon_weeks=12),
        _key(sample, sprint_weeks=3),
        _key(sample, time_limit=LIMIT + 1),
        _key(sample, crashing=False),
    }
    assert key not in others and len(others) == 7


def test_a_solve_done_once_is_not_run_again_and_gives_the_same_analysis(sample, tmp_path, monkeypatch):
    cache = PlanCache(tmp_path / "plans")
    solved = analyse_roadmap(sample, time_limit=LIMIT, cache=cache)
    (stored,) = (tmp_path / "plans").glob("*.json")
    assert stored.stat().st_mode & 0o777 == 0o600, "readable by the server's account only"

    def no_solve(*args, **kwargs):
        raise AssertionError("the cached solve should have been used")

    monkeypatch.setattr("roadmap.analysis.optimise_plan", no_solve)
    monkeypatch.setattr("roadmap.analysis.crash_plan", no_solve)
    monkeypatch.setattr("roadmap.analysis.quick_plan", no_solve)
    for quick in (False, True):  # the fast path takes the full solve too when it is there
        again = analyse_roadmap(sample, time_limit=LIMIT, cache=PlanCache(tmp_path / "plans"), quick=quick)
        assert again.plan == solved.plan and again.greedy == solved.greedy and again.naive == solved.naive
        assert again.solver == solved.solver and again.crashing == solved.crashing
        assert again.exposure == solved.exposure and again.risk == solved.risk
        assert again.trajectory.equals(solved.trajectory)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: "{ not json",
        lambda data: json.dumps({**data, "starts": "everything"}),
        lambda data: json.dumps({**data, "starts": {**data["starts"], "NOT-A-MEASURE": 0}}),
        lambda data: json.dumps({**data, "starts": dict.fromkeys(data["starts"], 0)}),  # all on day 0: overloaded
        lambda data: json.dumps({k: v for k, v in data.items() if k != "solver"}),
    ],
    ids=["not-json", "wrong-type", "unknown-measure", "over-capacity", "missing-field"],
)
def test_a_damaged_or_foreign_cache_file_is_ignored_and_the_plan_solved_again(sample, tmp_path, damage):
    cache = PlanCache(tmp_path)
    solved = analyse_roadmap(sample, time_limit=LIMIT, crashing=False, cache=cache)
    (stored,) = tmp_path.glob("*.json")
    stored.write_text(damage(json.loads(stored.read_text())))
    key = analysis_key(sample, None, None, None, time_limit=LIMIT, crashing=False)
    assert cache.get(key, build_problem(sample)) is None
    again = analyse_roadmap(sample, time_limit=LIMIT, crashing=False, cache=cache)
    assert again.plan == solved.plan
    assert cache.get(key, build_problem(sample)) is not None, "the good solve is kept again"


def test_feasible_starts_checks_window_prerequisites_and_capacity(sample):
    problem = build_problem(sample)
    starts = list_schedule(problem)
    assert feasible_starts(problem, starts)
    job = next(j for j in problem.jobs.values() if j.depends and j.depends[0] in starts and j.id in starts)
    assert not feasible_starts(problem, {**starts, job.id: starts[job.depends[0]]}), "starts with its prerequisite"
    assert not feasible_starts(problem, {k: v for k, v in starts.items() if k != job.depends[0]}), "unplaced prereq"
    assert not feasible_starts(problem, {**starts, job.id: len(problem.days)}), "past the horizon"


def test_a_cache_that_cannot_be_written_only_costs_a_solve(sample, tmp_path):
    blocker = tmp_path / "plans"
    blocker.write_text("a file where the folder should be")
    analysis = analyse_roadmap(sample, time_limit=LIMIT, crashing=False, cache=PlanCache(blocker))
    assert analysis.plan.scheduled


def test_the_cache_keeps_its_newest_entries(sample, tmp_path):
    cache = PlanCache(tmp_path, max_entries=2)
    for weeks in (10, 11, 12):
        analyse_roadmap(sample, horizon_weeks=weeks, time_limit=0.5, crashing=False, cache=cache)
        time.sleep(0.01)
    assert len(list(tmp_path.glob("*.json"))) == 2
    assert analysis_key(sample, None, 12, None, time_limit=0.5, crashing=False) in cache
    assert analysis_key(sample, None, 10, None, time_limit=0.5, crashing=False) not in cache


def test_the_fast_plan_is_valid_provisional_and_never_worse_than_greedy(sample):
    fast = analyse_roadmap(sample, time_limit=LIMIT, quick=True)
    full = analyse_roadmap(sample, time_limit=LIMIT)
    assert_valid_plan(sample, fast.plan)
    assert fast.solver.provisional and fast.solver.exposure_lower_bound is None
    assert fast.to_json()["solver"]["provisional"] is True and full.to_json()["solver"]["provisional"] is False
    assert full.exposure["optimised"] <= fast.exposure["optimised"] <= fast.exposure["greedy"] + 1e-9
    assert fast.crashing is not None and fast.crashing.status == full.crashing.status
    assert fast.solver.seconds < full.solver.seconds


def test_quick_plan_on_an_empty_problem_is_trivially_optimal(sample):
    empty = sample.model_copy(update={"measures": (), "risks": ()})
    _greedy, plan, report = optimise.quick_plan(build_problem(empty))
    assert plan.scheduled == () and report.status == "OPTIMAL" and report.provisional


def test_background_solves_run_once_per_key_and_keep_failures():
    runs: list[str] = []
    gate = threading.Event()

    def solve(name: str) -> str:
        gate.wait(5)
        runs.append(name)
        return name.upper()

    background: BackgroundSolves[str] = BackgroundSolves(keep=1)
    background.submit("a", lambda: solve("a"))
    background.submit("a", lambda: solve("a-again"))
    assert background.running("a") and background.result("a") is None
    gate.set()
    while background.running("a"):
        time.sleep(0.01)
    assert background.result("a") == "A" and runs == ["a"]
    background.submit("a", lambda: solve("a-third"))  # finished: not run again
    background.submit("boom", lambda: 1 / 0)
    while background.running("boom"):
        time.sleep(0.01)
    for _ in range(2):
        with pytest.raises(ZeroDivisionError):
            background.result("boom")
    assert runs == ["a"]
    assert not background.running("never") and background.result("never") is None
