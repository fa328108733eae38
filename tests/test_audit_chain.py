"""The audit log's hash chain (roadmap/store/chain.py, verify_audit, ``audit verify``), on SQLite and
PostgreSQL (``store_url`` is parametrised): every tampering done straight in the database — a row
changed, deleted, two rows swapped, the table emptied — is found and named."""

import datetime as dt
import hashlib
import json
import threading

import pytest
import sqlalchemy

from roadmap.cli import main
from roadmap.errors import StoreError
from roadmap.store import audit as audit_module
from roadmap.store.audit import audit_log, export_audit, record_audit, verify_audit
from roadmap.store.database import open_store, upgrade_database

T0 = dt.datetime(2026, 11, 30, 9, 0)  # entries are dated by this clock, never by today's


@pytest.fixture
def logged(store_url, monkeypatch):
    """A store with four entries, written at T0, T0 + 1 min, …"""
    clock = iter(T0 + dt.timedelta(minutes=i) for i in range(100))
    monkeypatch.setattr(audit_module, "_now", lambda: next(clock))
    engine = open_store(store_url)
    for i in range(1, 5):
        record_audit(engine, who="rssi", action="edit", target=f"M{i}", old="not_started", new="done")
    return engine


def _sql(engine, *statements, **params):
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sqlalchemy.text(statement), params)


def test_an_intact_log_verifies_and_says_how_many_entries(logged):
    check = verify_audit(logged)
    assert check.intact and check.checked == 4 and check.problem is None and check.sealed == 0
    assert check.head_hash == audit_log(logged, limit=1)[0].hash
    assert [e.id for e in audit_log(logged)] == [4, 3, 2, 1]


def test_each_hash_can_be_recomputed_by_hand_from_the_export_and_the_key(logged):
    with logged.connect() as connection:
        previous = connection.execute(sqlalchemy.text("SELECT key FROM audit_chain")).scalar_one()
    for entry in json.loads(export_audit(list(reversed(audit_log(logged))), fmt="json")):
        content = [
            "rempart-audit-v1",
            entry["id"],
            entry["at_utc"].replace("T", " ") + ".000000",
            *(entry[k] for k in ("who", "action", "target", "old", "new")),
        ]
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        previous = hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()
        assert previous == entry["hash"]


def test_a_changed_row_is_named(logged):
    _sql(logged, "UPDATE audit_log SET new = 'not_started' WHERE id = 2")
    check = verify_audit(logged)
    assert not check.intact and check.problem == "changed" and check.checked == 1
    assert (check.entry_id, check.entry_at) == (2, T0 + dt.timedelta(minutes=1))


def test_a_changed_time_is_named(logged):
    _sql(logged, "UPDATE audit_log SET at = :at WHERE id = 3", at=T0 - dt.timedelta(days=1))
    check = verify_audit(logged)
    assert check.problem == "changed" and check.entry_id == 3


def test_a_deleted_row_is_found_at_the_entry_after_it(logged):
    _sql(logged, "DELETE FROM audit_log WHERE id = 2")
    check = verify_audit(logged)
    assert check.problem == "changed" and (check.entry_id, check.entry_at) == (3, T0 + dt.timedelta(minutes=2))


def test_two_swapped_rows_are_found(logged):
    _sql(
        logged,
        "UPDATE audit_log SET id = -2 WHERE id = 2",
        "UPDATE audit_log SET id = 2 WHERE id = 3",
        "UPDATE audit_log SET id = 3 WHERE id = -2",
    )
    check = verify_audit(logged)
    assert check.problem == "changed" and check.entry_id == 2 and check.checked == 1


def test_two_rows_with_swapped_contents_are_found(logged):
    columns = "at, who, action, target, old, new, hash"
    _sql(
        logged,
        f"CREATE TABLE swap AS SELECT id, {columns} FROM audit_log WHERE id IN (2, 3)",
        "UPDATE audit_log SET target = (SELECT target FROM swap WHERE swap.id = 5 - audit_log.id), "
        "hash = (SELECT hash FROM swap WHERE swap.id = 5 - audit_log.id), "
        "at = (SELECT at FROM swap WHERE swap.id = 5 - audit_log.id) WHERE id IN (2, 3)",
        "DROP TABLE swap",
    )
    assert [e.target for e in audit_log(logged)] == ["M4", "M2", "M3", "M1"]
    assert verify_audit(logged).entry_id == 2


def test_the_last_row_deleted_is_named_by_the_chain_head(logged):
    _sql(logged, "DELETE FROM audit_log WHERE id = 4")
    check = verify_audit(logged)
    assert check.problem == "missing" and check.checked == 3
    assert (check.entry_id, check.entry_at) == (4, T0 + dt.timedelta(minutes=3))


def test_a_truncated_table_is_found(logged):
    truncate = "DELETE FROM audit_log" if logged.dialect.name == "sqlite" else "TRUNCATE audit_log"
    _sql(logged, truncate)
    check = verify_audit(logged)
    assert check.problem == "missing" and check.checked == 0 and check.entry_id == 4
    assert "#4 of 2026-11-30 09:03:00 UTC" in check.describe()


def test_a_row_added_outside_the_chain_is_found(logged):
    _sql(
        logged,
        "INSERT INTO audit_log (id, at, who, action, target, hash) VALUES (5, :at, 'x', 'login', 'rempart', :hash)",
        at=T0,
        hash="0" * 64,
    )
    assert verify_audit(logged).entry_id == 5


def test_a_missing_or_changed_chain_head_is_found_and_stops_writes(logged):
    _sql(logged, "UPDATE audit_chain SET head_hash = :h", h="f" * 64)
    assert verify_audit(logged).problem == "no_head"
    _sql(logged, "DELETE FROM audit_chain")
    assert verify_audit(logged).problem == "no_head"
    with pytest.raises(StoreError, match="chain head"):
        record_audit(logged, who="rssi", action="edit", target="M5")


def test_two_writers_at_once_do_not_fork_the_chain(store_url):
    engines = [open_store(store_url) for _ in range(2)]  # an engine, hence a connection, per writer
    start, errors = threading.Barrier(2), []

    def write(engine: sqlalchemy.Engine, name: str) -> None:
        start.wait()
        try:
            for i in range(15):
                record_audit(engine, who=name, action="edit", target=f"M{i}")
        except StoreError as exc:  # reported below
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(e, n)) for e, n in zip(engines, ("alice", "bob"), strict=True)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert errors == []
    check = verify_audit(engines[0])
    assert check.intact and check.checked == 30
    entries = audit_log(engines[0], limit=None)
    assert sorted(e.id for e in entries) == list(range(1, 31))
    assert {e.who for e in entries} == {"alice", "bob"}


def test_an_existing_log_is_sealed_at_migration_and_says_so(store_url):
    upgrade_database(store_url, revision="0002")
    engine = sqlalchemy.create_engine(store_url)
    with engine.begin() as connection:
        for i in range(3):
            connection.execute(
                sqlalchemy.text("INSERT INTO audit_log (at, who, action, target) VALUES (:at, 'rssi', 'edit', :t)"),
                {"at": T0 + dt.timedelta(hours=i), "t": f"M{i}"},
            )
    engine.dispose()
    engine = open_store(store_url)
    check = verify_audit(engine)
    assert check.intact and check.checked == 4 and check.sealed == 3
    start = audit_log(engine, limit=1)[0]
    assert start.action == "audit_chain_start" and start.id == 4 and "3 earlier entries sealed as found" in start.new
    record_audit(engine, who="rssi", action="edit", target="M9")
    assert verify_audit(engine).checked == 5
    _sql(engine, "UPDATE audit_log SET who = 'nobody' WHERE id = 1")  # sealed entries are protected from now on
    assert verify_audit(engine).entry_id == 1


@pytest.mark.parametrize(
    "order",
    [
        ["audit", "--db", "URL", "verify"],
        ["audit", "verify", "--db", "URL"],
        ["audit", "--db", "nowhere://", "verify", "--db", "URL"],
    ],
    ids=["db-before-verify", "db-after-verify", "the-last-one-wins"],
)
def test_cli_audit_verify_checks_the_database_given_before_or_after_the_sub_command(
    logged, capsys, tmp_path, monkeypatch, order
):
    """Found: ``audit --db URL verify`` verified the default database (the sub-command's --db default
    overwrote the one given before it)."""
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path / "default"))  # an empty default database
    monkeypatch.delenv("REMPART_DATABASE_URL", raising=False)
    url = logged.url.render_as_string(hide_password=False)
    assert main([url if part == "URL" else part for part in order]) == 0
    assert "audit log intact: 4 entries verified" in capsys.readouterr().out
    assert not (tmp_path / "default").exists()


def test_cli_audit_verify_exit_codes(logged, capsys):
    url = logged.url.render_as_string(hide_password=False)
    assert main(["audit", "verify", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "audit log intact: 4 entries verified" in out and "head: " in out
    _sql(logged, "UPDATE audit_log SET who = 'nobody' WHERE id = 3")
    assert main(["audit", "verify", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "NOT intact: entry #3 of 2026-11-30 09:02:00 UTC does not verify" in err
