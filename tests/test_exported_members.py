"""``roadmap.__all__`` lists every public name the package exports, and nothing imports Streamlit."""

import pathlib

import roadmap


def test_all_is_complete_and_sorted():
    public = {name for name in dir(roadmap) if not name.startswith("_")}
    modules = {
        "analysis",
        "chart_axes",
        "charts",
        "cli",
        "deferral",
        "editing",
        "errors",
        "exports",
        "forecast_text",
        "gantt",
        "i18n",
        "importing",
        "models",
        "planning",
        "progress",
        "risk",
        "scenarios",
        "security",
        "store",
        "wording",
        "writeback",
    }
    assert set(roadmap.__all__) == public - modules
    assert roadmap.__all__ == sorted(roadmap.__all__)


def test_domain_package_never_imports_streamlit():
    for path in pathlib.Path(roadmap.__file__).parent.rglob("*.py"):
        assert "import streamlit" not in path.read_text(encoding="utf-8"), path.name
