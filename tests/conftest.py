"""Shared fixtures: small workbooks built in memory, and the paths of the bundled sample and corpus."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "rivebelle.xlsx"
CORPUS = ROOT.parent / "shared" / "corpus"

MEASURE_HEADERS = [
    "ID",
    "Mesure",
    "Domaine",
    "Équipe",
    "Charge (j.h)",
    "Personnes max",
    "Statut",
    "Avancement (%)",
    "Priorité",
    "Fin prévue",
    "Dépend de",
    "Risques traités",
    "Sprint imposé",
]
RISK_HEADERS = ["ID", "Scénario", "Vraisemblance", "Gravité", "Niveau cible"]
TEAM_HEADERS = ["Équipe", "ETP", "Disponibilité (%)", "Renfort (j.h/semaine)"]


def shown(element: Any) -> Any:
    """An AppTest dataframe as the grid draws it: a Styler's display values (the text of each cell,
    ``""`` for a missing value; :func:`app_pages.grid.show_table`), else its values."""
    import pyarrow as pa

    display = element.proto.arrow_data.styler.display_values
    if not display:
        return element.value
    table = pa.ipc.open_stream(display).read_all().to_pandas()
    table.columns = element.value.columns
    return table.replace({"nan": "", "None": "", "NaT": "", "<NA>": ""}).reset_index(drop=True)


def workbook_bytes(
    sheets: Mapping[str, Sequence[Sequence[Any]]], *, merged: Mapping[str, Sequence[str]] | None = None
) -> bytes:
    """An .xlsx file with one sheet per entry (rows written as given, row 1 first), with the cell
    ranges of ``merged`` (sheet → ``["A3:C3", …]``) merged."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cells in (merged or {}).get(name, ()):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure(
    ident: str,
    title: str = "",
    *,
    team: str = "Systèmes",
    effort: Any = 5,
    crew: Any = 1,
    status: Any = "À faire",
    progress: Any = None,
    priority: Any = "P2",
    end: Any = None,
    depends: Any = None,
    mitigates: Any = None,
    sprint: Any = None,
    domain: str = "Annuaire",
) -> list[Any]:
    """One Measures row in the order of MEASURE_HEADERS."""
    return [
        ident,
        title or f"Mesure {ident}",
        domain,
        team,
        effort,
        crew,
        status,
        progress,
        priority,
        end,
        depends,
        mitigates,
        sprint,
    ]


def small_sheets(measures: Sequence[Sequence[Any]] | None = None) -> dict[str, list[list[Any]]]:
    """A small valid workbook: two teams, two risks, a few measures."""
    rows = (
        measures
        if measures is not None
        else [
            measure("M1", effort=4, mitigates="R1:0.5", end=dt.date(2027, 6, 30)),
            measure("M2", effort=6, depends="M1", mitigates="R1:0.5; R2:0.4", end=dt.date(2026, 12, 31)),
            measure("M3", team="Réseau", effort=3, mitigates="R2:0.6", status="Fait"),
            measure("M4", team="Réseau", effort=10, crew=2, status="En cours", progress=50, mitigates="R2:0.2"),
        ]
    )
    return {
        "Mesures": [MEASURE_HEADERS, *rows],
        "Risques": [
            RISK_HEADERS,
            ["R1", "Hameçonnage", "V4 - Quasi certain", "G3 - Grave", "Modéré"],
            ["R2", "Rançongiciel", 3, 4, "Faible"],
        ],
        "Équipes": [TEAM_HEADERS, ["Systèmes", 2, 50, 0], ["Réseau", 2, "100 %", 5]],
        "Paramètres": [
            ["Paramètre", "Valeur"],
            ["Date de début du programme", dt.date(2026, 11, 30)],
            ["Horizon (semaines)", 13],
            ["Durée du sprint (semaines)", 2],
        ],
    }


def run_bound_to(app: Any, address: str) -> Any:
    """Run an AppTest as if the server listened on ``address`` (Streamlit's ``server.address``)."""
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", address)
    try:
        return app.run()
    finally:
        config.set_option("server.address", before)


@pytest.fixture(scope="session", autouse=True)
def _calendar_of_the_run() -> Iterator[None]:
    """``REMPART_TEST_TODAY=2028-12-02 make pytest`` runs the suite with this process's clock moved
    to that day (time-machine: ``date.today()``, ``datetime.now()``, ``time.time()``; the clock ticks
    on), to show that no test depends on today's date. Unset, the real clock."""
    import os

    day = os.environ.get("REMPART_TEST_TODAY")
    if not day:
        yield
        return
    import time_machine

    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.datetime.now().time(), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never write to the user's ~/.local/share/rempart: REMPART_DATA_DIR points to a temporary
    folder (tests that need their own set it again), and REMPART_DATABASE_URL is cleared."""
    import os

    saved = {name: os.environ.get(name) for name in ("REMPART_DATA_DIR", "REMPART_DATABASE_URL")}
    os.environ["REMPART_DATA_DIR"] = str(tmp_path_factory.mktemp("rempart-data"))
    os.environ.pop("REMPART_DATABASE_URL", None)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def small_workbook() -> bytes:
    """The bytes of :func:`small_sheets` as .xlsx."""
    return workbook_bytes(small_sheets())


def postgres_url() -> tuple[str | None, str]:
    """A PostgreSQL URL for the store tests, and why there is none when there is none.

    ``REMPART_TEST_POSTGRES_URL`` when set; else ``scripts/start-test-postgres.sh`` (starts
    Debian's server as root and creates the ``rempart`` role and ``rempart_test`` database).
    """
    import os
    import subprocess

    url = os.environ.get("REMPART_TEST_POSTGRES_URL")
    if not url:
        script = ROOT / "scripts" / "start-test-postgres.sh"
        run = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120, check=False)
        url = run.stdout.strip()
        if not url:
            return None, f"no PostgreSQL server: {run.stderr.strip() or 'start-test-postgres.sh printed no URL'}"
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect():
            pass
    except sqlalchemy.exc.SQLAlchemyError as exc:
        return None, f"PostgreSQL at {url.split('@')[-1]} is not reachable: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()
    return url, ""


@pytest.fixture(scope="session")
def postgres() -> str:
    """The test PostgreSQL URL; skips with the reason when no server is reachable, fails under CI."""
    import os

    url, reason = postgres_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL for the store tests: {reason}")
        pytest.skip(reason)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL: a SQLite file under tmp_path, or the test PostgreSQL database wiped."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rempart.db'}"
    url: str = request.getfixturevalue("postgres")
    import sqlalchemy

    from roadmap.store.schema import Base

    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(sqlalchemy.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return url
