"""The house's shape: no import cycle between the project's modules, no module too long, and the
domain package never imports Streamlit.

Read from the source with :mod:`ast` (nothing is imported): every ``import x`` and ``from x import
y`` of ``roadmap/`` and ``app_pages/``, relative ones resolved, at module level or inside a
function; an import under ``if TYPE_CHECKING:`` never runs and does not count.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("roadmap", "app_pages")
MAX_LINES = {"roadmap": 600, "app_pages": 400}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {
    _module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _imports_of(child))
            continue
        yield from _imports_of(node)


def _imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    elif not (isinstance(node, ast.If) and _is_type_checking(node)):
        yield from _imports(node)


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The project's modules an import statement names."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        # ``from package import module`` names the module; ``from module import name`` the module
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
    for name in names:
        while name and name not in MODULES:  # ``import roadmap.x.y`` where y is a name: its module
            name = name.rpartition(".")[0]
        if name:
            yield name


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = {t for node in _imports(tree) for t in _targets(module, path, node)} - {module}
    return graph


def test_the_graph_is_read():
    graph = _graph()
    assert "roadmap.importing.load" in graph["roadmap"]
    assert "roadmap.importing.tables" in graph["roadmap.importing.load"]
    assert "roadmap.exports" in graph["roadmap.cli"]  # imported inside a function: it counts too


def test_no_import_cycle_between_the_projects_modules():
    try:
        graphlib.TopologicalSorter(_graph()).prepare()
    except graphlib.CycleError as exc:
        pytest.fail("import cycle: " + " -> ".join(exc.args[1]))


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_is_too_long(package):
    limit = MAX_LINES[package]
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / package).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > limit
    }
    assert not long, f"over {limit} lines: {long}"


def test_the_domain_package_never_imports_streamlit():
    graph = {module: targets for module, targets in _graph().items() if module.split(".")[0] == "roadmap"}
    for module in graph:
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "streamlit" for a in node.names), module
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                assert (node.module or "").split(".")[0] != "streamlit", module
    assert not any(t.startswith("app_pages") for targets in graph.values() for t in targets)
