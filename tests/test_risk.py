"""Residual-risk formulas against hand-computed cases (PRODUCT.md §5)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.models import Measure, Mitigation, Risk, Roadmap, Settings, Status, Team
from roadmap.risk import baseline_finish, exposure, level_of_score, residual_scores, total_residual


def _roadmap(*measures: Measure, partial: bool = False) -> Roadmap:
    risks = (Risk(id="R1", likelihood=4, severity=3), Risk(id="R2", likelihood=3, severity=4))
    return Roadmap(
        measures=measures, risks=risks, teams=(Team(name="T", fte=1),), settings=Settings(partial_credit=partial)
    )


def _m(ident, *links, status=Status.NOT_STARTED, progress=0.0, end=None):
    return Measure(
        id=ident,
        title=ident,
        team="T",
        effort_days=5,
        status=status,
        progress=progress,
        baseline_end=end,
        mitigates=tuple(Mitigation(risk_id=r, effectiveness=e) for r, e in links),
    )


def test_inherent_and_residual_by_hand():
    # R1 = 4×3 = 12; R2 = 3×4 = 12. M1 done mitigates R1 at 0.5 → 6; M2 not done: nothing.
    roadmap = _roadmap(_m("M1", ("R1", 0.5), status=Status.DONE), _m("M2", ("R2", 0.6)))
    assert residual_scores(roadmap, {"M1": 1.0}) == {"R1": 6.0, "R2": 12.0}
    assert total_residual(roadmap) == 18.0


def test_residual_multiplies_the_measures_of_a_risk():
    # 12 × (1 − 0.5) × (1 − 0.4) = 3.6
    roadmap = _roadmap(_m("M1", ("R1", 0.5), status=Status.DONE), _m("M2", ("R1", 0.4), status=Status.DONE))
    assert total_residual(roadmap) == pytest.approx(3.6 + 12)


def test_partial_credit_counts_progress_only_when_enabled():
    measures = (_m("M1", ("R1", 0.5), status=Status.IN_PROGRESS, progress=50),)
    assert total_residual(_roadmap(*measures)) == 24.0
    # 12 × (1 − 0.5 × 0.5) = 9
    assert total_residual(_roadmap(*measures, partial=True)) == pytest.approx(9 + 12)


def test_cancelled_measures_do_not_mitigate():
    roadmap = _roadmap(_m("M1", ("R1", 0.5), status=Status.CANCELLED))
    assert total_residual(roadmap, dt.date(2027, 1, 1), {"M1": dt.date(2026, 12, 1)}) == 24.0


def test_planned_finish_counts_from_its_day():
    roadmap = _roadmap(_m("M1", ("R1", 0.5)))
    finish = {"M1": dt.date(2026, 12, 10)}
    assert total_residual(roadmap, dt.date(2026, 12, 9), finish) == 24.0
    assert total_residual(roadmap, dt.date(2026, 12, 10), finish) == 18.0


def test_exposure_in_risk_days_by_hand():
    # 10 days: days 1–4 at 24 (4 days), the measure ends on day 5 → days 5–10 at 18 (6 days).
    roadmap = _roadmap(_m("M1", ("R1", 0.5)))
    start = dt.date(2026, 12, 1)
    value = exposure(roadmap, start=start, end=start + dt.timedelta(days=9), finish={"M1": start + dt.timedelta(4)})
    assert value == 4 * 24 + 6 * 18


def test_baseline_uses_quarter_end_and_clamps_to_start():
    m1 = _m("M1", ("R1", 0.5), end=dt.date(2026, 1, 1))
    m2 = Measure(id="M2", title="x", team="T", effort_days=1, baseline_quarter="2027-Q1")
    finish = baseline_finish(_roadmap(m1, m2), start=dt.date(2026, 11, 30))
    assert finish == {"M1": dt.date(2026, 11, 30), "M2": dt.date(2027, 3, 31)}


@pytest.mark.parametrize(("score", "level"), [(1, 0), (2, 0), (3, 1), (4, 1), (6, 2), (8, 2), (9, 3), (16, 3)])
def test_levels_of_the_default_matrix(score, level):
    assert level_of_score(score) == level


@given(
    st.lists(st.tuples(st.sampled_from(["R1", "R2"]), st.floats(0.01, 1.0)), max_size=8),
    st.lists(st.floats(0, 1), min_size=8, max_size=8),
)
def test_residual_never_exceeds_inherent_nor_goes_negative(links, completions):
    measures = tuple(_m(f"M{n}", link) for n, link in enumerate(links))
    roadmap = _roadmap(*measures)
    scores = residual_scores(roadmap, {f"M{n}": completions[n] for n in range(len(links))})
    for risk in roadmap.risks:
        assert 0 <= scores[risk.id] <= risk.inherent


def test_heat_map_places_residual_likelihood_rounded_up():
    from roadmap.risk import heat_map

    # R1: likelihood 4 × (1 − 0.5) = 2 → row V2; R2: 3 × (1 − 0.6) = 1.2 → row V2; severity unchanged
    roadmap = _roadmap(_m("M1", ("R1", 0.5), status=Status.DONE), _m("M2", ("R2", 0.6), status=Status.DONE))
    cells = heat_map(roadmap, {"M1": 1.0, "M2": 1.0}).set_index(["likelihood", "severity"])
    assert cells.loc[(2, 3), "risks"] == "R1" and cells.loc[(2, 4), "risks"] == "R2"
    assert cells["count"].sum() == 2 and len(cells) == 16
    inherent = heat_map(roadmap).set_index(["likelihood", "severity"])
    assert inherent.loc[(4, 3), "risks"] == "R1" and inherent.loc[(3, 4), "risks"] == "R2"
