"""``roadmap.__all__`` lists every public name the package exports, and nothing imports Streamlit."""

import pathlib

import roadmap


def test_all_is_complete_and_sorted():
    public = {name for name in dir(roadmap) if not name.startswith("_")}
    modules = {
        "accounts",
        "analysis",
        "charts",
        "cli",
        "errors",
        "export",
        "i18n",
        "loading",
        "mapping",
        "models",
        "optimise",
        "progress",
        "risk",
        "roles",
        "schedule",
        "store",
        "template",
        "values",
        "wording",
        "writeback",
    }
    assert set(roadmap.__all__) == public - modules
    assert roadmap.__all__ == sorted(roadmap.__all__)


def test_domain_package_never_imports_streamlit():
    for path in pathlib.Path(roadmap.__file__).parent.glob("*.py"):
        assert "import streamlit" not in path.read_text(encoding="utf-8"), path.name
