"""Limits against brute force and resource abuse (issue 19, point 4): the back-off and the sliding
window with an injected clock, the per-account and per-address login limits in the store (kept
across a restart), and the server-wide queue of the parser, with threads."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from conftest import ROOT, SAMPLE, small_sheets, workbook_bytes

from roadmap.errors import AuthenticationError, ServerBusyError
from roadmap.importing import isolation
from roadmap.security.accounts import (
    ACCOUNT_BACKOFF,
    ADDRESS_BACKOFF,
    LOCK_MINUTES,
    MAX_ADDRESS_FAILURES,
    MAX_FAILURES,
    add_user,
    authenticate,
    list_users,
)
from roadmap.security.limits import Backoff, SlidingWindow, Strikes, client_address
from roadmap.security.roles import Role, cli_actor
from roadmap.store.audit import audit_log
from roadmap.store.database import open_store

ADMIN = cli_actor()
PASSWORD = "correct horse battery staple"
T0 = dt.datetime(2026, 3, 2, 9, 0)
MINUTE = dt.timedelta(minutes=1)


class FakeClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- the back-off ------------------------------------------------------------------------------


def test_the_backoff_blocks_at_the_threshold_and_doubles_each_further_failure_up_to_the_longest():
    policy = Backoff(threshold=3, first_block=15 * MINUTE, longest_block=60 * MINUTE)
    strikes, moment, blocks = Strikes(), T0, []
    for _ in range(6):
        strikes = policy.strike(strikes, moment)
        blocks.append(strikes.blocked_until - moment if strikes.blocked_until else None)
        moment = max(moment, strikes.blocked_until or moment) + MINUTE  # come back once the block is over
    assert blocks == [None, None, 15 * MINUTE, 30 * MINUTE, 60 * MINUTE, 60 * MINUTE]
    assert strikes.failures == 6


def test_a_failure_during_a_block_is_not_counted():
    policy = Backoff(threshold=2, first_block=15 * MINUTE, longest_block=60 * MINUTE)
    blocked = policy.strike(policy.strike(Strikes(), T0), T0)
    assert blocked.blocked(T0 + 14 * MINUTE) and not blocked.blocked(T0 + 15 * MINUTE)
    assert policy.strike(blocked, T0 + 5 * MINUTE) == blocked  # hammering a blocked key changes nothing


def test_failures_are_forgotten_after_a_quiet_period_counted_from_the_end_of_the_block():
    policy = Backoff(threshold=2, first_block=10 * MINUTE, longest_block=60 * MINUTE, forget_after=30 * MINUTE)
    once = policy.strike(Strikes(), T0)
    assert policy.strike(once, T0 + 29 * MINUTE).blocked(T0 + 29 * MINUTE)  # still remembered: blocks
    assert policy.strike(once, T0 + 30 * MINUTE) == Strikes(1, T0 + 30 * MINUTE, None)  # forgotten: counts 1
    blocked = policy.strike(once, T0 + MINUTE)  # blocked until T0 + 11 min
    assert policy.strike(blocked, T0 + 40 * MINUTE).blocked_until == T0 + 60 * MINUTE  # 29 min after: doubles
    assert policy.strike(blocked, T0 + 41 * MINUTE).failures == 1  # 30 min after the block: forgotten


def test_the_login_policies_are_the_documented_ones():
    assert ACCOUNT_BACKOFF.block_for(MAX_FAILURES - 1) is None
    assert [ACCOUNT_BACKOFF.block_for(MAX_FAILURES + n) for n in range(6)] == [
        dt.timedelta(minutes=m) for m in (15, 30, 60, 120, 240, 240)
    ]
    assert ADDRESS_BACKOFF.block_for(MAX_ADDRESS_FAILURES) == dt.timedelta(minutes=LOCK_MINUTES)
    assert ADDRESS_BACKOFF.block_for(10_000) == dt.timedelta(hours=4)


# -- the sliding window ------------------------------------------------------------------------


def test_the_sliding_window_allows_so_many_events_per_key_in_any_window():
    clock = FakeClock()
    window = SlidingWindow(3, 60, clock=clock)
    assert [window.allow("a") for _ in range(4)] == [True, True, True, False]
    assert window.allow("b")  # another key has its own count
    assert window.retry_after("a") == 60
    clock.now += 59.5
    assert not window.allow("a") and window.retry_after("a") == pytest.approx(0.5)
    clock.now += 0.5  # the first three leave the window together
    assert window.retry_after("a") == 0 and [window.allow("a") for _ in range(4)] == [True, True, True, False]


def test_the_window_slides_rather_than_resets():
    clock = FakeClock()
    window = SlidingWindow(2, 60, clock=clock)
    assert window.allow("a")
    clock.now += 40
    assert window.allow("a") and not window.allow("a")
    clock.now += 20  # the first event leaves; the second is still in the window
    assert window.allow("a") and not window.allow("a")


def test_the_sliding_window_counts_exactly_under_threads():
    window = SlidingWindow(500, 3600, clock=FakeClock())
    allowed: list[bool] = []
    start = threading.Barrier(10)

    def hammer() -> None:
        start.wait()
        mine = [window.allow("session") for _ in range(100)]
        allowed.extend(mine)

    threads = [threading.Thread(target=hammer) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 1000 and sum(allowed) == 500


def test_the_client_address_is_read_from_a_trusted_proxy_only():
    proxy = frozenset({"10.0.0.5"})
    assert client_address(None, "203.0.113.9", proxy) is None  # localhost: per account only
    assert client_address("192.0.2.7", "203.0.113.9", proxy) == "192.0.2.7"  # anyone can write the header
    assert client_address("10.0.0.5", "198.51.100.1, 203.0.113.9", proxy) == "203.0.113.9"
    assert client_address("10.0.0.5", "203.0.113.9, 10.0.0.5", proxy) == "203.0.113.9"
    assert client_address("10.0.0.5", None, proxy) == "10.0.0.5"


# -- logins, in the store ----------------------------------------------------------------------


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'rempart.db'}"


def _refused(engine, name, password, *, address=None, now):
    with pytest.raises(AuthenticationError) as refused:
        authenticate(engine, name, password, address=address, now=now)
    assert str(refused.value) == "unknown user name or wrong password"
    return refused.value


def test_an_account_lock_doubles_after_each_further_failure_and_survives_a_restart(url):
    engine = open_store(url)
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    for _ in range(MAX_FAILURES):
        _refused(engine, "alice", "wrong", now=T0)
    assert list_users(engine)[0].locked_until == T0 + 15 * MINUTE
    engine.dispose()
    engine = open_store(url)  # the server restarts: the lock and the count are in the store
    _refused(engine, "alice", PASSWORD, now=T0 + 14 * MINUTE)
    assert audit_log(engine)[0].action == "login_refused_locked"
    _refused(engine, "alice", "wrong", now=T0 + 16 * MINUTE)  # the 6th, after the lock: 30 min
    assert list_users(engine)[0].locked_until == T0 + 46 * MINUTE
    assert audit_log(engine)[0].new.startswith(f"{MAX_FAILURES + 1} wrong passwords: locked until")
    assert authenticate(engine, "alice", PASSWORD, now=T0 + 47 * MINUTE).name == "alice"
    for _ in range(MAX_FAILURES - 1):  # a success forgets the failures
        _refused(engine, "alice", "wrong", now=T0 + 48 * MINUTE)
    assert list_users(engine)[0].locked_until is None


def test_failures_from_one_address_block_it_whatever_the_names_and_survive_a_restart(url):
    engine = open_store(url)
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    for n in range(MAX_ADDRESS_FAILURES):  # one password tried on many names: no account is locked
        _refused(engine, f"user{n}", "Printemps2026!", address="192.0.2.7", now=T0)
    blocked = [e for e in audit_log(engine) if e.action == "login_address_blocked"]
    assert len(blocked) == 1 and blocked[0].target == "rempart from 192.0.2.7"
    assert (
        blocked[0].new == f"{MAX_ADDRESS_FAILURES} failed logins from this address: blocked until 2026-03-02 09:15 UTC"
    )
    engine.dispose()
    engine = open_store(url)  # a restart does not unblock the address
    refusal = _refused(engine, "alice", PASSWORD, address="192.0.2.7", now=T0 + 10 * MINUTE)  # even the right one
    assert refusal.locked_until == T0 + 15 * MINUTE
    assert audit_log(engine)[0].action == "login_refused_address"
    assert authenticate(engine, "alice", PASSWORD, address="198.51.100.1", now=T0 + 10 * MINUTE).name == "alice"
    assert authenticate(engine, "alice", PASSWORD, address="192.0.2.7", now=T0 + 15 * MINUTE).name == "alice"
    _refused(engine, "bob", "x", address="192.0.2.7", now=T0 + 16 * MINUTE)  # right after the block: doubled
    assert audit_log(engine)[0].action == "login_address_blocked" and "09:46" in audit_log(engine)[0].new
    assert all(not a.locked_until for a in list_users(engine))


def test_without_an_address_only_the_account_is_limited(url):
    """On localhost Streamlit gives no address: failures on unknown names block nothing."""
    engine = open_store(url)
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    for n in range(MAX_ADDRESS_FAILURES * 2):
        _refused(engine, f"user{n}", "x", now=T0)
    assert authenticate(engine, "alice", PASSWORD, now=T0).name == "alice"
    assert not any(e.action.startswith("login_address") for e in audit_log(engine))


# -- the parser's queue, with threads ----------------------------------------------------------


@pytest.fixture
def one_slot(monkeypatch):
    monkeypatch.setattr(isolation, "_slots", threading.BoundedSemaphore(1))
    monkeypatch.setattr(isolation, "PARSE_SLOTS", 1)
    monkeypatch.setattr(isolation, "PARSE_WAIT_SECONDS", 0.2)
    yield
    isolation.stop_workers()


def test_a_parse_waits_for_a_slot_and_is_told_the_server_is_busy_past_the_wait(one_slot):
    data = SAMPLE.read_bytes()
    isolation._slots.acquire()  # another user's large file holds the only slot
    try:
        with pytest.raises(ServerBusyError, match="try again in a moment"):
            isolation.parse_in_worker(data, filename="rivebelle.xlsx", max_rows=200_000)
    finally:
        isolation._slots.release()
    assert "Mesures" in isolation.parse_in_worker(data, filename="rivebelle.xlsx", max_rows=200_000)


def test_twenty_files_at_once_never_run_more_parsers_than_the_slots(monkeypatch):
    """Twenty threads (one user's twenty uploads) parse with two slots: never more than two workers
    at once, every file is read, and a slot is given back after each (none is lost to an error)."""
    monkeypatch.setattr(isolation, "_slots", threading.BoundedSemaphore(2))
    monkeypatch.setattr(isolation, "PARSE_WAIT_SECONDS", 600)  # they all wait their turn here
    running, most, guard = [0], [0], threading.Lock()
    real = isolation._parse_alone

    def counted(data: bytes, filename: str, max_rows: int, *check):
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return real(data, filename, max_rows, *check)
        finally:
            with guard:
                running[0] -= 1

    monkeypatch.setattr(isolation, "_parse_alone", counted)
    data, results = SAMPLE.read_bytes(), []
    start = threading.Barrier(20)

    def upload(n: int) -> None:
        start.wait()
        results.append(isolation.parse_in_worker(data, filename=f"copy{n}.xlsx", max_rows=200_000))

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    isolation.stop_workers()
    assert len(results) == 20 and all("Mesures" in tables for tables in results)
    assert most[0] == 2
    assert isolation._slots.acquire(blocking=False) and isolation._slots.acquire(blocking=False)


# -- in the app --------------------------------------------------------------------------------


def _app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def test_a_session_may_load_so_many_new_files_per_hour_and_the_refusal_is_audited(monkeypatch, tmp_path):
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REMPART_UPLOADS_PER_HOUR", "2")
    app, data = _app().run(), workbook_bytes(small_sheets())
    for n in (1, 2):
        app.file_uploader(key="upload").upload(f"hopital-{n}.xlsx", data).run()
        assert not app.exception and not app.sidebar.error
        assert any(f"hopital\\-{n}\\.xlsx" in c.value for c in app.sidebar.caption)  # Markdown-escaped
    app.file_uploader(key="upload").upload("hopital-3.xlsx", data).run()
    assert not app.exception
    refusal = app.sidebar.error[0].value
    assert refusal.startswith("Cette session a chargé 2 fichiers en moins d’une heure") and "Réessayez dans" in refusal
    assert any("rivebelle\\.xlsx" in c.value for c in app.sidebar.caption)  # the sample stays on screen
    app.run()  # the same refused file stays refused, and is audited once
    assert app.sidebar.error and not app.exception
    refused = [e for e in audit_log(open_store()) if e.action == "upload_refused_limit"]
    assert [(e.target, e.new) for e in refused] == [("hopital-3.xlsx", "2 files in an hour")]


def test_a_busy_server_says_so_in_the_users_language_and_audits_it(monkeypatch, tmp_path, one_slot):
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    app = _app().run()
    isolation._slots.acquire()  # another session's file holds the only parser slot
    try:
        app.file_uploader(key="upload").upload("occupe.xlsx", workbook_bytes({"Feuille": [["occupé"]]}))
        app.run()
    finally:
        isolation._slots.release()
    assert not app.exception
    assert app.warning[0].value.startswith("Le serveur est occupé à lire d’autres fichiers")
    assert [e.target for e in audit_log(open_store()) if e.action == "upload_refused_busy"] == ["occupe.xlsx"]
