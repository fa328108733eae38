"""Benchmark of a capacity-scenario change on the sample, against the full solve.

What the Plan page does on each change of the scenario editor (:mod:`app_pages.scenarios`): the
fast plan of the scenario's roadmap with crashing (``analyse_roadmap(quick=True)``), the
comparison with today's fast plan (computed once, then cached) and its words. The full solve
(``analyse_roadmap`` with the sidebar's default 5 s) then runs in the background; it is timed here
for comparison. Each change is a new reinforcement, so nothing is reused from the one before.
Also: the same on the Plan page itself (AppTest, in process: pick a saved scenario not solved
before and rerun), which adds Streamlit's work and the background solves competing for the cores.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_scenario.py``
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roadmap import analyse_roadmap, load_roadmap  # noqa: E402
from roadmap.scenarios import Scenario, TeamCapacity, apply_scenario, compare_scenario  # noqa: E402
from roadmap.wording import comparison_rows, scenario_text  # noqa: E402

SAMPLE = ROOT / "data" / "sample" / "rivebelle.xlsx"


def scenario_changes(runs: int = 8) -> tuple[list[float], float, float]:
    """Seconds per scenario change (fast plan + comparison + words), the full solve of one
    scenario, and the full solve's crashing figures equal to the fast one's (1.0) or not (0.0)."""
    roadmap, _issues = load_roadmap(SAMPLE)
    today = analyse_roadmap(roadmap, time_limit=5, quick=True)  # cached by the page after the first change
    times = []
    network = roadmap.team_by_name["Réseau et sécurité"]
    scenario = Scenario("x")
    for k in range(runs):
        scenario = Scenario(
            f"+{k + 1}", (TeamCapacity(network.name, network.fte, network.availability, network.reinforcement + k + 1),)
        )
        began = time.perf_counter()
        solved = analyse_roadmap(apply_scenario(roadmap, scenario), time_limit=5, quick=True)
        comparison = compare_scenario(today, solved, name=scenario.name)
        scenario_text(comparison, solved, lang="fr")
        comparison_rows(comparison, lang="fr")
        times.append(time.perf_counter() - began)
    began = time.perf_counter()
    full = analyse_roadmap(apply_scenario(roadmap, scenario), time_limit=5)
    full_seconds = time.perf_counter() - began
    same = float(full.crashing == solved.crashing)
    return times, full_seconds, same


def _refining(app: object) -> bool:
    return any("Plan provisoire" in i.value for i in app.info) or any(  # type: ignore[attr-defined]
        "Pendant l’optimisation du scénario" in c.value
        for c in app.caption  # type: ignore[attr-defined]
    )


def page_change(*, settled: bool) -> float:
    """Seconds of the Plan page's rerun after picking a saved scenario not solved before (AppTest);
    ``settled``: once the background solves of the first view are done (else at once, while they
    compete with the rerun for the interpreter)."""
    from streamlit.testing.v1 import AppTest

    from roadmap.security.roles import SYSTEM
    from roadmap.store.database import open_store
    from roadmap.store.scenarios import save_scenario

    with tempfile.TemporaryDirectory(prefix="rempart-bench-") as data_dir:
        os.environ["REMPART_DATA_DIR"] = data_dir
        roadmap, _issues = load_roadmap(SAMPLE)
        network = roadmap.team_by_name["Réseau et sécurité"]
        engine = open_store(f"sqlite:///{Path(data_dir) / 'rempart.db'}")
        extra = 3 if settled else 4  # two scenarios: the page's caches are the process's
        figures = TeamCapacity(network.name, network.fte, network.availability, network.reinforcement + extra)
        save_scenario(engine, roadmap.settings.establishment, Scenario("bench", (figures,)), by=SYSTEM)
        engine.dispose()
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
        app.switch_page("app_pages/plan.py").run()
        while settled and _refining(app):
            time.sleep(0.5)
            app.run()
        began = time.perf_counter()
        app.selectbox(key="scenario_pick").set_value("bench").run()
        seconds = time.perf_counter() - began
        assert not app.exception, app.exception
        return seconds


def main() -> None:
    times, full, same = scenario_changes()
    print(f"scenario change (fast plan + comparison), {len(times)} changes:")
    print(f"  median {statistics.median(times):.2f} s, max {max(times):.2f} s")
    print(f"full solve of the same scenario (time limit 5 s): {full:.2f} s")
    print(f"crashing figures of the fast and the full solve equal: {bool(same)}")
    print("Plan page rerun after picking a scenario not solved before (AppTest):")
    print(f"  with the first view's background solves done: {page_change(settled=True):.2f} s")
    print(f"  while they still run: {page_change(settled=False):.2f} s")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
