"""Sign-ins that survive a reload (issue 19, point 2): the server-side session, its one-time hand-off
code, its expiry and its revocation at logout, on reset, disable and removal; the cookie route of
serve.py; and, in a real browser, reload and logout."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

import serve
from roadmap.security.accounts import add_user, disable_user, remove_user, reset_password
from roadmap.security.roles import Actor, Role, cli_actor
from roadmap.security.sessions import (
    COOKIE,
    HANDOFF_SECONDS,
    ROUTE,
    end_session,
    redeem_handoff,
    resume_session,
    start_session,
)
from roadmap.store.audit import audit_log
from roadmap.store.database import open_store
from roadmap.store.schema import LoginSessionRow

ADMIN = cli_actor()
PASSWORD = "correct horse battery staple"
T0 = dt.datetime(2026, 3, 2, 9, 0)
ALICE = Actor("alice", Role.EDITOR, "password")
SHOTS = Path("/tmp/shots-i19-limits")


@pytest.fixture
def engine(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'rempart.db'}")
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    add_user(engine, "root2", role=Role.ADMIN, password=PASSWORD + " two", by=ADMIN)
    return engine


def _signed_in(engine, *, hours=8.0, now=T0):
    session_id, code = start_session(engine, ALICE, hours=hours, now=now)
    token, seconds = redeem_handoff(engine, code, now=now)
    return session_id, token, seconds


def test_a_session_resumes_until_it_expires_and_only_hashes_are_stored(engine):
    session_id, token, seconds = _signed_in(engine, hours=8)
    assert seconds == 8 * 3600
    assert resume_session(engine, token, now=T0 + dt.timedelta(hours=7, minutes=59)) == (ALICE, session_id)
    assert resume_session(engine, token, now=T0 + dt.timedelta(hours=8)) is None
    actions = [e.action for e in audit_log(engine)][:3]
    assert actions == ["session_refused", "session_resume", "session_start"]
    assert audit_log(engine)[0].new == f"#{session_id} expired"
    with Session(engine) as db:
        row = db.scalars(select(LoginSessionRow)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in str(vars(row))


def test_sessions_long_expired_are_forgotten_when_a_new_one_starts(engine):
    _, old, _ = _signed_in(engine, hours=8)
    _signed_in(engine, hours=8, now=T0 + dt.timedelta(days=30, hours=7))  # the first expired < 30 days ago
    with Session(engine) as db:
        assert len(db.scalars(select(LoginSessionRow)).all()) == 2
    _signed_in(engine, hours=8, now=T0 + dt.timedelta(days=30, hours=9))
    with Session(engine) as db:
        assert len(db.scalars(select(LoginSessionRow)).all()) == 2
    assert resume_session(engine, old, now=T0) is None  # its row is gone


def test_the_handoff_code_is_spent_once_and_expires(engine):
    _, code = start_session(engine, ALICE, hours=8, now=T0)
    assert redeem_handoff(engine, code, now=T0) is not None
    assert redeem_handoff(engine, code, now=T0) is None  # replayed: nothing
    _, late = start_session(engine, ALICE, hours=8, now=T0)
    assert redeem_handoff(engine, late, now=T0 + dt.timedelta(seconds=HANDOFF_SECONDS + 1)) is None
    assert redeem_handoff(engine, late, now=T0) is None  # spent by the late try as well
    assert resume_session(engine, code, now=T0) is None  # a code is not a token
    assert resume_session(engine, None, now=T0) is None and resume_session(engine, "x" * 500, now=T0) is None


def test_logout_revokes_the_session_on_the_server(engine):
    session_id, token, _ = _signed_in(engine)
    end_session(engine, session_id, now=T0 + dt.timedelta(minutes=5))
    end_session(engine, session_id, now=T0 + dt.timedelta(minutes=6))  # twice: one entry
    assert [e.action for e in audit_log(engine)].count("logout") == 1
    assert resume_session(engine, token, now=T0 + dt.timedelta(minutes=7)) is None
    assert audit_log(engine)[0].new == f"#{session_id} revoked"


@pytest.mark.parametrize(
    "admin_action",
    [
        lambda engine: reset_password(engine, "alice", new="la citadelle tient bon en décembre", by=ADMIN),
        lambda engine: disable_user(engine, "alice", by=ADMIN),
        lambda engine: remove_user(engine, "alice", by=ADMIN),
    ],
    ids=["reset", "disable", "remove"],
)
def test_an_admin_reset_disable_or_removal_ends_the_accounts_sessions(engine, admin_action):
    _, first, _ = _signed_in(engine)
    _, second, _ = _signed_in(engine)
    admin_action(engine)
    assert any(e.action == "sessions_revoke" and e.new == "2" for e in audit_log(engine))
    assert resume_session(engine, first, now=T0) is None and resume_session(engine, second, now=T0) is None


def _call(method: str, body: bytes = b"", origin: str | None = None) -> Response:
    """serve.py's route, called as the ASGI server would (no HTTP client needed)."""
    headers = [(b"host", b"rempart.chu.example")] + ([(b"origin", origin.encode())] if origin else [])
    scope = {"type": "http", "method": method, "path": ROUTE, "headers": headers, "scheme": "http", "query_string": b""}

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    return asyncio.run(serve.session_cookie(Request(scope, receive)))


def test_the_route_sets_an_httponly_cookie_for_a_code_and_refuses_another_origin(engine, monkeypatch):
    monkeypatch.setattr(serve, "_store", lambda url: engine)
    _, code = start_session(engine, ALICE, hours=8)
    other = _call("POST", code.encode(), origin="https://attacker.example")
    assert other.status_code == 403 and "set-cookie" not in other.headers
    answer = _call("POST", code.encode(), origin="https://rempart.chu.example")
    assert answer.status_code == 204
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Max-Age=28800" in cookie or "Max-Age=28799" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert resume_session(engine, token) is not None
    assert _call("POST", code.encode()).status_code == 403  # spent
    cleared = _call("DELETE")
    assert cleared.status_code == 204 and cleared.headers["set-cookie"].startswith(f'{COOKIE}="";')


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_in_the_browser_a_sign_in_survives_a_reload_and_a_logout_ends_it(tmp_path):
    """Sign in, reload: still signed in (the cookie is HttpOnly: the page's scripts do not see it);
    sign out, reload: the sign-in form, and the session is revoked in the store."""
    from playwright.sync_api import expect, sync_playwright
    from serving import running_app

    data = tmp_path / "data"
    engine = open_store(f"sqlite:///{data / 'rempart.db'}")
    add_user(engine, "rssi", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_app(data_dir=str(data)) as app, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR").new_page()
        page.set_default_timeout(120_000)
        page.goto(app.url)
        page.get_by_label("Identifiant").fill("rssi")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        signed_in = page.get_by_text("Connecté : ")
        expect(signed_in).to_be_visible(timeout=120_000)
        page.wait_for_function(f"() => !document.cookie.includes('{COOKIE}')")  # not readable by scripts
        for _ in range(60):  # the page posts the hand-off code; the server answers with the cookie
            if any(c["name"] == COOKIE for c in page.context.cookies()):
                break
            page.wait_for_timeout(500)
        cookie = next(c for c in page.context.cookies() if c["name"] == COOKIE)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        page.reload()
        expect(signed_in).to_be_visible(timeout=120_000)
        expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)
        page.screenshot(path=SHOTS / "after-reload.png")
        page.get_by_role("button", name="Se déconnecter").click()
        expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
        page.reload()
        expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
        expect(signed_in).to_have_count(0)
        page.screenshot(path=SHOTS / "after-logout-reload.png")
        browser.close()
    actions = [e.action for e in audit_log(engine)]
    assert {"login", "session_start", "session_resume", "logout"} <= set(actions)
    with Session(engine) as db:
        assert all(row.revoked_at is not None for row in db.scalars(select(LoginSessionRow)))
