"""``validate`` on every real spreadsheet of ../shared/corpus: a clear answer, never a traceback."""

import subprocess
import sys

import pytest
from conftest import CORPUS, ROOT

from roadmap.importing.load import load_workbook

FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in {".xlsx", ".xlsm", ".ods", ".csv"})


def test_the_corpus_is_there():
    assert len(FILES) >= 10, f"expected the shared corpus in {CORPUS}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_validate_gives_a_clear_answer(path):
    run = subprocess.run(
        [sys.executable, "-m", "roadmap", "validate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert "Traceback" not in run.stderr + run.stdout
    assert run.returncode in (0, 1)
    assert f"{path.name}:" in run.stdout  # the summary line
    result = load_workbook(path)
    if not result.roadmap.measures:
        assert run.returncode == 1
        assert any(
            text in run.stdout
            for text in ("no sheet of measures", "no header row", "has no data rows", "looks like an empty template")
        )
    for issue in result.issues:
        assert issue.message and (issue.sheet is None or issue.sheet in result.sheets)
