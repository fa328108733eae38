"""The server's warm-up (app_pages.warmup): it fills the very cache entries the first dashboard
reads, so the dashboard after it computes nothing and shows the same figures as without it."""

import threading

import pytest
import streamlit as st
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from app_pages import context, forecasting, solving, warmup
from roadmap.planning.solved import BackgroundSolves


@pytest.fixture
def no_background_solve(monkeypatch, tmp_path):
    """Caches empty, a data folder of its own, and no full solve: the plan stays the fast one
    (a full solve finishing between two runs would change the figures)."""
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(BackgroundSolves, "submit", lambda self, key, solve: None)
    monkeypatch.setattr(BackgroundSolves, "running", lambda self, key: True)  # "still solving"
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _dashboard() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _charts(app: AppTest) -> list[str]:
    return [chart.proto.spec for chart in app.get("plotly_chart")]


def test_the_dashboard_after_the_warm_up_computes_nothing_and_shows_the_same(no_background_solve, monkeypatch):
    cold = _dashboard()
    st.cache_data.clear()
    st.cache_resource.clear()
    warmup._sample_dashboard()

    def not_in_the_page(name):
        def refuse(*args, **kwargs):
            if threading.current_thread().name == "ScriptRunner.scriptThread":
                raise AssertionError(f"{name} computed by the page after the warm-up")

        return refuse

    for module, name in [
        (solving, "analyse_roadmap"),
        (forecasting, "forecast_analysis"),
        (context, "open_store"),
        (context, "record_snapshot"),
    ]:
        monkeypatch.setattr(module, name, not_in_the_page(name))
    monkeypatch.setattr(solving, "load_workbook", not_in_the_page("load_workbook"))
    warm = _dashboard()
    assert [m.value for m in warm.metric] == [m.value for m in cold.metric]
    assert len(_charts(warm)) == 4 and _charts(warm) == _charts(cold)
    assert [i.value for i in warm.info] == [i.value for i in cold.info]  # the provisional notice, the verdict


def test_without_a_streamlit_runtime_the_warm_up_only_imports(monkeypatch):
    monkeypatch.setattr(warmup, "RUNTIME_WAIT", 0.0)
    called = []
    monkeypatch.setattr(warmup, "_sample_dashboard", lambda: called.append(True))
    assert warmup.warm_up() is False and not called


def test_an_unreadable_configured_workbook_is_left_to_the_page(no_background_solve, monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("REMPART_WORKBOOK", str(tmp_path / "missing.xlsx"))
    warmup._sample_dashboard()  # no traceback: logged, the page says it in the reader's language
    assert "cannot be read" in caplog.text
    assert not (tmp_path / "rempart.db").exists()  # nothing opened, no sample history seeded
