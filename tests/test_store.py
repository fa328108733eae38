"""The history store, the same tests on SQLite and on PostgreSQL (``store_url`` is parametrised)."""

import datetime as dt

import pytest
import sqlalchemy
from conftest import measure, small_sheets, workbook_bytes

from roadmap import analyse_roadmap, load_roadmap
from roadmap.errors import RoadmapError, StoreError
from roadmap.models import Status
from roadmap.security.roles import Actor, Role
from roadmap.store.audit import audit_log, record_audit
from roadmap.store.database import RempartSettings, current_revision, downgrade_database, open_store, upgrade_database
from roadmap.store.mappings import load_mapping, save_mapping
from roadmap.store.snapshots import content_hash, freeze_plan, latest_frozen_plan, record_snapshot, snapshots, sources

HEAD = "0005"
EDITOR = Actor("rssi", Role.EDITOR, "password")


def _roadmap(rows=None):
    data = workbook_bytes(small_sheets(rows))
    return load_roadmap(data, filename="small.xlsx")[0], data


def _tables(url):
    engine = sqlalchemy.create_engine(url)
    try:
        return set(sqlalchemy.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_an_empty_database_is_migrated_to_the_latest_revision(store_url):
    engine = open_store(store_url)
    assert current_revision(engine) == HEAD
    assert {"sources", "snapshots", "snapshot_measures", "plan_versions", "planned_measures"} <= _tables(store_url)
    assert {"audit_log", "audit_chain", "column_mappings", "users", "scenarios", "alembic_version"} <= _tables(
        store_url
    )
    open_store(store_url)  # a second opening changes nothing
    assert current_revision(engine) == HEAD


def test_downgrade_to_base_then_upgrade_keeps_working(store_url):
    open_store(store_url)
    downgrade_database(store_url, revision="base")
    assert _tables(store_url) <= {"alembic_version"}
    upgrade_database(store_url)
    engine = open_store(store_url)
    roadmap, data = _roadmap()
    assert record_snapshot(
        engine, "CH A", roadmap, taken_at=dt.date(2026, 11, 30), content_hash=content_hash(data), by=EDITOR
    )


def test_same_content_adds_no_snapshot(store_url):
    engine = open_store(store_url)
    roadmap, data = _roadmap()
    first = record_snapshot(
        engine, "CH A", roadmap, taken_at=dt.date(2026, 11, 30), content_hash=content_hash(data), by=EDITOR
    )
    assert first is not None and first.source == "CH A" and len(first.measures) == 4
    again = record_snapshot(
        engine, "CH A", roadmap, taken_at=dt.date(2026, 12, 7), content_hash=content_hash(data), by=EDITOR
    )
    assert again is None
    assert [s.taken_at for s in snapshots(engine, "CH A")] == [dt.date(2026, 11, 30)]


def test_snapshots_keep_each_measure_and_the_roadmap(store_url):
    engine = open_store(store_url)
    roadmap, data = _roadmap()
    done_later, data_later = _roadmap(
        [
            measure("M1", effort=4, mitigates="R1:0.5", status="Fait"),
            measure("M2", effort=6, depends="M1", status="En cours", progress=25),
            measure("M3", team="Réseau", effort=3, status="Fait"),
            measure("M4", team="Réseau", effort=10, status="Abandonné"),
        ]
    )
    record_snapshot(
        engine, "CH A", done_later, taken_at=dt.date(2026, 12, 7), content_hash=content_hash(data_later), by=EDITOR
    )
    record_snapshot(engine, "CH A", roadmap, taken_at=dt.date(2026, 11, 30), content_hash=content_hash(data), by=EDITOR)
    record_snapshot(engine, "CH B", roadmap, taken_at=dt.date(2026, 11, 30), content_hash=content_hash(data), by=EDITOR)
    history = snapshots(engine, "CH A")
    assert [s.taken_at for s in history] == [dt.date(2026, 11, 30), dt.date(2026, 12, 7)]  # by date
    later = {m.id: m for m in history[1].measures}
    assert later["M1"].status is Status.DONE and later["M1"].progress == 100
    assert later["M2"].status is Status.IN_PROGRESS and later["M2"].progress == 25 and later["M2"].effort_days == 6
    assert later["M4"].status is Status.CANCELLED and later["M4"].team == "Réseau"
    assert history[0].roadmap == roadmap and history[0].content_hash == content_hash(data)
    assert sources(engine) == ["CH A", "CH B"]
    assert snapshots(engine, "unknown") == []


def test_content_equal_to_an_older_snapshot_is_recorded_again(store_url):
    """Only the latest snapshot is compared: going back to an earlier state is a change."""
    engine = open_store(store_url)
    first, data_first = _roadmap()
    second, data_second = _roadmap([measure("M1", effort=4)])
    for day, (roadmap, data) in enumerate([(first, data_first), (second, data_second), (first, data_first)]):
        taken = dt.date(2026, 11, 30) + dt.timedelta(weeks=day)
        assert record_snapshot(engine, "CH A", roadmap, taken_at=taken, content_hash=content_hash(data), by=EDITOR)
    assert len(snapshots(engine, "CH A")) == 3


def test_freeze_plan_and_latest_frozen_plan(store_url):
    engine = open_store(store_url)
    roadmap, _ = _roadmap()
    assert latest_frozen_plan(engine, "CH A") is None
    analysis = analyse_roadmap(roadmap, time_limit=1, crashing=False)
    at = dt.datetime(2026, 11, 30, 9, 0)
    first = freeze_plan(engine, "CH A", analysis, by=Actor("Directeur", Role.EDITOR, "password"), at=at)
    second = freeze_plan(
        engine, "CH A", analysis, by=Actor("RSSI", Role.EDITOR, "password"), at=at + dt.timedelta(days=7)
    )
    latest = latest_frozen_plan(engine, "CH A")
    assert latest == second and latest.id != first.id and latest.frozen_by == "RSSI"
    assert latest.start == dt.date(2026, 11, 30) and latest.end == analysis.plan.end and latest.calendar == "FR"
    planned = {m.id: m for m in latest.measures}
    for item in analysis.plan.scheduled:
        assert (planned[item.id].start, planned[item.id].end, planned[item.id].sprint) == (
            item.start,
            item.end,
            item.sprint,
        )
    assert planned["M3"].start is None and planned["M3"].remaining_effort == 0  # done before the freeze
    assert planned["M4"].remaining_effort == pytest.approx(5) and planned["M4"].effort_days == 10


def test_audit_log_is_appended_and_read_newest_first(store_url):
    engine = open_store(store_url)
    roadmap, data = _roadmap()
    record_snapshot(
        engine,
        "CH A",
        roadmap,
        taken_at=dt.date(2026, 11, 30),
        content_hash=content_hash(data),
        by=Actor("script", Role.EDITOR, "cli"),
    )
    record_audit(engine, who="RSSI", action="edit_status", target="CH A/M1", old="not_started", new="done")
    entries = audit_log(engine)
    assert [(e.who, e.action) for e in entries] == [("RSSI", "edit_status"), ("script", "snapshot")]
    assert entries[0].old == "not_started" and entries[0].new == "done" and entries[0].target == "CH A/M1"


def test_audit_log_is_read_in_write_order_when_the_clock_goes_back(store_url, monkeypatch):
    import roadmap.store.audit

    engine = open_store(store_url)
    clock = iter([dt.datetime(2027, 6, 1, 12, 0), dt.datetime(2026, 1, 1, 8, 0), dt.datetime(2026, 1, 1, 7, 0)])
    monkeypatch.setattr(roadmap.store.audit, "_now", lambda: next(clock))
    for action in ("first", "second", "third"):  # each written with an earlier clock than the one before
        record_audit(engine, who="RSSI", action=action, target="x")
    entries = audit_log(engine)
    assert [e.action for e in entries] == ["third", "second", "first"]
    assert [e.at for e in entries] == [
        dt.datetime(2026, 1, 1, 7, 0),
        dt.datetime(2026, 1, 1, 8, 0),
        dt.datetime(2027, 6, 1, 12, 0),
    ]
    assert [e.action for e in audit_log(engine, limit=1)] == ["third"]


def test_audit_entries_cannot_be_changed_through_the_orm(store_url):
    from sqlalchemy.orm import Session

    from roadmap.store.schema import AuditRow

    engine = open_store(store_url)
    record_audit(engine, who="RSSI", action="edit", target="x")
    with Session(engine) as session:
        row = session.scalars(sqlalchemy.select(AuditRow)).one()
        row.who = "someone else"
        with pytest.raises(StoreError, match="append-only"):
            session.commit()


def test_column_mappings_are_remembered(store_url):
    engine = open_store(store_url)
    assert load_mapping(engine, "abc") is None
    save_mapping(engine, "abc", {"sheet": "WBS", "header_row": 5, "columns": {"Tâche": "title"}})
    save_mapping(engine, "abc", {"sheet": "WBS", "header_row": 6, "columns": {}})
    assert load_mapping(engine, "abc") == {"sheet": "WBS", "header_row": 6, "columns": {}}


@pytest.mark.parametrize(
    "url",
    ["not a url", "nosuchdialect://x/y", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"],
    ids=["garbage", "unknown-dialect", "unreachable"],
)
def test_bad_database_urls_raise_a_store_error(url):
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert isinstance(caught.value, RoadmapError) and "secret" not in str(caught.value)


def test_unwritable_data_folder_raises_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the data folder"):
        open_store(f"sqlite:///{blocker / 'sub' / 'rempart.db'}")


def test_default_database_is_a_sqlite_file_in_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REMPART_DATABASE_URL", raising=False)
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path / "data"))
    engine = open_store()
    assert engine.url.database == str(tmp_path / "data" / "rempart.db")
    assert (tmp_path / "data" / "rempart.db").exists()


def test_settings_from_the_environment_and_the_settings_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REMPART_DATA_DIR", raising=False)
    monkeypatch.delenv("REMPART_DATABASE_URL", raising=False)
    assert RempartSettings().url.endswith("/.local/share/rempart/rempart.db")
    (tmp_path / "rempart.toml").write_text('database_url = "postgresql+psycopg://ght@db/rempart"\n')
    assert RempartSettings().url == "postgresql+psycopg://ght@db/rempart"
    monkeypatch.setenv("REMPART_DATABASE_URL", "sqlite:///from-env.db")
    assert RempartSettings().url == "sqlite:///from-env.db"  # the environment wins over the file


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "data" / "rempart.db"
    open_store(f"sqlite:///{path}")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
