"""Earned value against a frozen plan, computed by hand (PMBOK: PV, EV, SPI, forecast end)."""

import datetime as dt
import math

import pytest

from roadmap.models import Measure, Mitigation, Risk, Roadmap, Status
from roadmap.progress import (
    actual_residual,
    burn_up,
    compare_sources,
    earned_at_freeze,
    earned_value,
    forecast_end,
    late_measures,
    planned_value,
    progress_report,
    schedule_performance,
)
from roadmap.security.roles import SYSTEM
from roadmap.store.snapshots import FrozenPlan, PlannedMeasure, Snapshot, SnapshotMeasure

D = dt.date
MON = D(2026, 11, 30)

# Calendar "" = Monday–Friday, no public holidays. Planned at the freeze:
#   A 10 person-days, nothing done, planned Mon 30/11 → Fri 04/12 (5 working days)
#   B  4 person-days, 50 % done (2 left), planned Mon 07/12 → Tue 08/12 (2 working days)
#   C  6 person-days, done before the freeze (not scheduled)
#   D  8 person-days, deferred (not scheduled)
# EV₀ = 0 + 2 + 6 + 0 = 8 person-days.
PLAN = FrozenPlan(
    id=1,
    source="CH",
    frozen_at=dt.datetime(2026, 11, 30, 8),
    frozen_by="Directeur",
    options={"start": "2026-11-30", "end": "2026-12-13", "calendar": ""},
    measures=(
        PlannedMeasure("A", "T", MON, D(2026, 12, 4), 1, 10, 10),
        PlannedMeasure("B", "T", D(2026, 12, 7), D(2026, 12, 8), 1, 4, 2),
        PlannedMeasure("C", "T", None, None, None, 6, 0),
        PlannedMeasure("D", "T", None, None, None, 8, 8),
    ),
)


def _roadmap(states):
    return Roadmap(
        measures=tuple(
            Measure(
                id=ident,
                title=ident,
                effort_days=effort,
                status=status,
                progress=progress,
                mitigates=(Mitigation(risk_id="R1", effectiveness=0.5),) if ident == "A" else (),
            )
            for ident, effort, status, progress in states
        ),
        risks=(Risk(id="R1", likelihood=4, severity=3),),
    )


def _snapshot(ident, day, states):
    return Snapshot(
        id=ident,
        source="CH",
        taken_at=day,
        content_hash=str(ident),
        recorded_at=dt.datetime(2026, 1, 1),
        measures=tuple(SnapshotMeasure(i, s, p, None, e, "T") for i, e, s, p in states),
        roadmap=_roadmap(states),
    )


WEEK1 = _snapshot(
    1,
    D(2026, 12, 2),
    [
        ("A", 10, Status.IN_PROGRESS, 40),
        ("B", 4, Status.IN_PROGRESS, 50),
        ("C", 6, Status.DONE, 100),
        ("D", 8, Status.NOT_STARTED, 0),
    ],
)
WEEK2 = _snapshot(
    2,
    D(2026, 12, 9),
    [
        ("A", 10, Status.DONE, 100),
        ("B", 4, Status.IN_PROGRESS, 75),
        ("C", 6, Status.DONE, 100),
        ("D", 8, Status.CANCELLED, 0),
    ],
)


@pytest.mark.parametrize(
    ("day", "pv"),
    [
        (D(2026, 11, 29), 8),  # before the start: only EV₀
        (MON, 8),  # a snapshot of day t is compared with the work planned before t
        (D(2026, 12, 1), 8 + 10 * 1 / 5),
        (D(2026, 12, 3), 8 + 10 * 3 / 5),  # 14
        (D(2026, 12, 4), 8 + 10 * 4 / 5),
        (D(2026, 12, 5), 18),  # Saturday: A is done in the plan
        (D(2026, 12, 7), 18),
        (D(2026, 12, 8), 18 + 2 * 1 / 2),
        (D(2026, 12, 9), 20),
        (D(2026, 12, 31), 20),  # D was deferred: never planned
    ],
)
def test_planned_value_is_linear_over_the_planned_working_days_before_the_day(day, pv):
    assert planned_value(PLAN, day) == pytest.approx(pv)


def test_earned_value_spi_and_forecast_by_hand():
    assert earned_at_freeze(PLAN) == 8
    assert earned_value(PLAN, None) == 8
    assert earned_value(PLAN, WEEK1) == pytest.approx(4 + 2 + 6 + 0)  # 12
    assert earned_value(PLAN, WEEK2) == pytest.approx(10 + 3 + 6 + 0)  # 19: cancelled D earns nothing
    spi = schedule_performance(12, 14)
    assert spi == pytest.approx(6 / 7)
    # planned duration 30/11 → 08/12 = 9 days; 9 / (6/7) = 10.5 → 11 days from 30/11 = 10/12
    assert forecast_end(PLAN, spi) == D(2026, 12, 10)
    assert forecast_end(PLAN, 1.0) == D(2026, 12, 8)
    assert forecast_end(PLAN, None) is None and forecast_end(PLAN, 0.0) is None
    assert schedule_performance(0, 0) is None


def test_late_measures():
    assert late_measures(PLAN, WEEK1, D(2026, 12, 4)) == []  # A ends on 04/12: not passed yet
    assert late_measures(PLAN, WEEK1, D(2026, 12, 5)) == ["A"]
    assert late_measures(PLAN, WEEK2, D(2026, 12, 9)) == ["B"]  # A done; B planned to end 08/12
    assert late_measures(PLAN, None, D(2026, 12, 9)) == ["A", "B"]  # state at the freeze


def test_progress_report_by_hand():
    report = progress_report(PLAN, [WEEK2, WEEK1], as_of=D(2026, 12, 5))  # uses WEEK1 (02/12)
    assert (report.pv, report.ev) == (pytest.approx(18), pytest.approx(12))
    assert report.spi == pytest.approx(12 / 18) and report.late == ("A",)
    # 9 / (2/3) = 13.5 → 14 days from 30/11 = 13/12
    assert report.forecast_end == D(2026, 12, 13)
    latest = progress_report(PLAN, [WEEK1, WEEK2])  # as of the latest snapshot, 09/12
    assert latest.as_of == D(2026, 12, 9) and latest.snapshots == 2
    assert latest.spi == pytest.approx(19 / 20)
    assert latest.to_json() == {
        "snapshots": 2,
        "as_of": "2026-12-09",
        "pv": 20.0,
        "ev": 19.0,
        "spi": 0.95,
        "forecast_end": "2026-12-09",  # 9 / 0.95 = 9.47 → 10 days from 30/11 = 09/12
        "late": ["B"],
        "residual_actual": [{"date": "2026-12-02", "total": 12.0}, {"date": "2026-12-09", "total": 6.0}],
    }


def test_burn_up_and_actual_residual():
    table = burn_up(PLAN, [WEEK1, WEEK2])
    assert list(table.columns) == ["date", "pv", "ev"]
    assert table["date"].iloc[0].date() == MON and table["date"].iloc[-1].date() == D(2026, 12, 13)
    assert table["pv"].is_monotonic_increasing and table["pv"].iloc[-1] == pytest.approx(20)
    assert table.dropna()["ev"].tolist() == pytest.approx([12, 19])
    # R1: 4 × 3 = 12; A done halves its likelihood: 12 × (1 − 0.5) = 6
    residual = actual_residual([WEEK2, WEEK1], until=D(2026, 12, 5))
    assert residual["total"].tolist() == [12.0]


def test_no_plan_work_gives_no_spi():
    empty = FrozenPlan(1, "CH", dt.datetime(2026, 1, 1), "x", {"start": "2026-11-30", "end": "2026-12-13"}, ())
    report = progress_report(empty, [])
    assert report.pv == 0 and report.spi is None and report.forecast_end is None and report.as_of == MON


def test_sample_history_is_reproducible_and_tells_a_late_programme(tmp_path):
    # built in a fresh process: openpyxl picks its XML writer when first imported, and the build
    # (scripts/build_sample.py) asks for the standard one to stay byte-identical
    import subprocess
    import sys

    from conftest import ROOT

    from roadmap import analyse_roadmap, load_roadmap
    from roadmap.store.database import open_store
    from roadmap.store.snapshots import content_hash, freeze_plan, record_snapshot, snapshots

    code = (
        "import sys, pathlib; sys.path.insert(0, 'scripts'); import build_history; "
        "build_history.build(pathlib.Path(sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, check=True)
    history = ROOT / "data" / "sample" / "history"
    rebuilt = sorted(tmp_path.glob("rivebelle-*.xlsx"))
    assert [p.name for p in rebuilt] == sorted(p.name for p in history.glob("rivebelle-*.xlsx"))
    for path in rebuilt:
        assert path.read_bytes() == (history / path.name).read_bytes(), f"{path.name}: run scripts/build_history.py"

    engine = open_store(f"sqlite:///{tmp_path / 'history.db'}")
    for path in sorted(history.glob("rivebelle-*.xlsx")):
        data = path.read_bytes()
        roadmap, _ = load_roadmap(data, filename=path.name)
        day = D.fromisoformat(path.stem.removeprefix("rivebelle-"))
        assert record_snapshot(engine, "CH", roadmap, taken_at=day, content_hash=content_hash(data), by=SYSTEM)
    first = snapshots(engine, "CH")[0]
    plan = freeze_plan(
        engine, "CH", analyse_roadmap(first.roadmap, time_limit=2, crashing=False), by=SYSTEM, at=dt.datetime.now()
    )
    report = progress_report(plan, snapshots(engine, "CH"))
    assert report.as_of == D(2026, 12, 21) and report.snapshots == 4
    assert 0.6 < report.spi < 1 and report.forecast_end > plan.end and report.late
    earned = report.burn_up.dropna()["ev"].tolist()
    assert len(earned) == 4 and earned == sorted(earned)
    residual = report.residual_actual["total"].tolist()
    assert len(residual) == 4 and residual == sorted(residual, reverse=True)


def test_compare_sources_rolls_up_a_hospital_group():
    table = compare_sources([("CH A", PLAN, [WEEK1, WEEK2]), ("CH B", None, [WEEK1]), ("CH C", None, [])])
    assert table["source"].tolist() == ["CH A", "CH B", "CH C"]
    a = table.iloc[0]
    assert (a.snapshots, a.as_of, a.pv, a.ev, a.spi, a.late, a.residual) == (2, D(2026, 12, 9), 20, 19, 0.95, 1, 6)
    assert math.isnan(table.iloc[1].spi) and table.iloc[1].residual == 12 and math.isnan(table.iloc[2].residual)


def test_burn_up_figure_has_a_title_units_and_a_reading():
    from roadmap.charts import burn_up_figure

    fig = burn_up_figure(burn_up(PLAN, [WEEK1, WEEK2]), lang="fr")
    assert [t.name for t in fig.data] == ["Valeur planifiée (plan figé)", "Valeur acquise (instantanés)"]
    assert fig.layout.yaxis.title.text == "Charge cumulée (jours-homme)"
    reading = "Au 9 déc. 2026 : 19\u00a0j.h acquis pour 20\u00a0j.h planifiés (SPI 0,95)."
    assert fig.layout.title.subtitle.text == reading
