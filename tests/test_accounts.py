"""Accounts, logins and the role check on every write path (PRODUCT.md §8)."""

import csv
import datetime as dt
import io
import json

import pytest
from conftest import SAMPLE, small_sheets, workbook_bytes

from roadmap import analyse_roadmap, load_roadmap
from roadmap.cli import main
from roadmap.errors import AuthenticationError, PermissionDeniedError, StoreError, WeakPasswordError
from roadmap.importing.mapping import ColumnMapping, remember_mapping
from roadmap.security.accounts import (
    LOCK_MINUTES,
    MAX_FAILURES,
    add_user,
    authenticate,
    change_password,
    disable_user,
    enable_user,
    has_local_accounts,
    identity_actor,
    list_users,
    must_change_password,
    refresh_actor,
    remove_user,
    reset_password,
)
from roadmap.security.passwords import check_password
from roadmap.security.roles import WRITE_ROLES, Actor, Role, cli_actor, require_role
from roadmap.store.audit import AUDIT_COLUMNS, audit_log, export_audit
from roadmap.store.database import open_store
from roadmap.store.snapshots import content_hash, freeze_plan, latest_frozen_plan, record_snapshot, snapshots
from roadmap.writeback import MeasureEdit, fingerprint, write_back

ADMIN = cli_actor()
EDITOR = Actor("rssi", Role.EDITOR, "password")
VIEWER = Actor("directeur", Role.VIEWER, "oidc")
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "la citadelle tient bon en décembre"


@pytest.fixture
def engine(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'rempart.db'}")


def test_roles_are_ordered_and_every_write_has_one():
    assert [r.rank for r in Role] == [0, 1, 2]
    assert set(WRITE_ROLES) == {
        "write_back",
        "record_snapshot",
        "delete_snapshot",
        "freeze_plan",
        "remember_mapping",
        "forget_mapping",
        "manage_users",
        "save_scenario",
    }
    assert EDITOR.can(Role.VIEWER) and EDITOR.can(Role.EDITOR) and not EDITOR.can(Role.ADMIN)
    with pytest.raises(PermissionDeniedError, match="directeur \\(viewer\\) may not freeze plan: it needs the editor"):
        require_role(VIEWER, "freeze_plan")


def test_a_local_account_signs_in_and_its_password_is_hashed(engine):
    account = add_user(engine, "  Alice ", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    assert (account.name, account.role, account.kind) == ("alice", Role.EDITOR, "password")
    assert has_local_accounts(engine)
    actor = authenticate(engine, "ALICE", PASSWORD)
    assert actor == Actor("alice", Role.EDITOR, "password")
    with engine.connect() as connection:
        (stored,) = connection.exec_driver_sql("SELECT password_hash FROM users").one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert [(e.who, e.action) for e in audit_log(engine)][:2] == [("alice", "login"), (ADMIN.name, "user_add")]


@pytest.mark.parametrize("name", ["alice", "nobody", "", "\x00"])
def test_a_wrong_password_or_unknown_name_gives_the_same_message(engine, name):
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    with pytest.raises(AuthenticationError, match=r"^unknown user name or wrong password$"):
        authenticate(engine, name, "not the password")
    assert audit_log(engine)[0].action == "login_failed"


def test_repeated_failures_lock_the_account_for_a_while(engine):
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    now = dt.datetime(2026, 12, 1, 9, 0)
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationError, match="wrong password"):
            authenticate(engine, "alice", "guess", now=now)
    with pytest.raises(AuthenticationError, match=r"^unknown user name or wrong password$") as refused:
        authenticate(engine, "alice", PASSWORD, now=now + dt.timedelta(minutes=1))  # even the right one
    assert refused.value.locked_until == now + dt.timedelta(minutes=LOCK_MINUTES)  # for the log, not the message
    assert audit_log(engine)[0].action == "login_refused_locked"
    assert list_users(engine)[0].locked_until == now + dt.timedelta(minutes=LOCK_MINUTES)
    assert authenticate(engine, "alice", PASSWORD, now=now + dt.timedelta(minutes=LOCK_MINUTES + 1)).role == "editor"


def test_oidc_identities_need_an_account_and_get_its_role(engine):
    with pytest.raises(AuthenticationError, match=r"has no access to Rempart: .* user add dsi@chu.fr --oidc"):
        identity_actor(engine, "dsi@chu.fr")
    add_user(engine, "DSI@chu.fr", role=Role.VIEWER, password=None, by=ADMIN)
    assert identity_actor(engine, "dsi@CHU.fr") == Actor("dsi@chu.fr", Role.VIEWER, "oidc")
    assert not has_local_accounts(engine)  # an OIDC identity alone does not turn on the sign-in form
    with pytest.raises(AuthenticationError):
        authenticate(engine, "dsi@chu.fr", "")  # no password to sign in with


def test_a_removed_account_or_changed_role_takes_effect_at_once(engine):
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    actor = authenticate(engine, "alice", PASSWORD)
    remove_user(engine, "alice", by=ADMIN)
    with pytest.raises(AuthenticationError, match="no longer exists"):
        refresh_actor(engine, actor)
    add_user(engine, "alice", role=Role.VIEWER, password=PASSWORD, by=ADMIN)
    assert refresh_actor(engine, actor).role == Role.VIEWER


def test_account_rules(engine):
    with pytest.raises(StoreError, match="at least 12 characters"):
        add_user(engine, "bob", role=Role.ADMIN, password="short", by=ADMIN)
    add_user(engine, "bob", role=Role.ADMIN, password=PASSWORD, by=ADMIN)
    with pytest.raises(StoreError, match="already exists"):
        add_user(engine, "BOB", role=Role.VIEWER, password=PASSWORD, by=ADMIN)
    with pytest.raises(StoreError, match="not a valid account name"):
        add_user(engine, "a\nb", role=Role.VIEWER, password=PASSWORD, by=ADMIN)
    add_user(engine, "carol", role=Role.VIEWER, password=PASSWORD, by=ADMIN)
    with pytest.raises(StoreError, match="last admin"):
        remove_user(engine, "bob", by=ADMIN)
    with pytest.raises(StoreError, match="no account 'dave'"):
        remove_user(engine, "dave", by=ADMIN)


# --- Password policy, password changes and resets, disabled accounts ------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "short"),
        ("elevenchars", "short"),
        ("password1234", "common"),
        ("P@ssw0rd1234", "common"),  # a substitution undone
        ("azertyuiop2026", "common"),  # a keyboard row of French keyboards
        ("Motdepasse2026!", "common"),  # mostly a common password
        ("alicealicealice", "guessable"),  # the account's name, repeated
        ("aaaaaaaaaaaaaaaa", "guessable"),
        ("1234567890123", "common"),
    ],
)
def test_the_password_policy_refuses_short_common_and_guessable_passwords(password, reason):
    with pytest.raises(WeakPasswordError) as refused:
        check_password(password, name="alice")
    assert refused.value.reason == reason and isinstance(refused.value, StoreError)


@pytest.mark.parametrize(
    "password", [PASSWORD, NEW_PASSWORD, "Rivebelle: 3 mois pour tenir", "une très longue phrase de passe " * 5]
)
def test_the_password_policy_accepts_passphrases(password):
    check_password(password, name="alice")


def test_a_weak_password_is_refused_everywhere_and_nothing_is_written(engine):
    with pytest.raises(WeakPasswordError):
        add_user(engine, "alice", role=Role.EDITOR, password="password1234", by=ADMIN)
    assert list_users(engine) == []
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    with pytest.raises(WeakPasswordError):
        change_password(engine, "alice", current=PASSWORD, new="qwertyuiop123")
    with pytest.raises(WeakPasswordError):
        reset_password(engine, "alice", new="iloveyou1234", by=ADMIN)
    with pytest.raises(WeakPasswordError, match="is the current one"):
        change_password(engine, "alice", current=PASSWORD, new=PASSWORD)
    assert authenticate(engine, "alice", PASSWORD).name == "alice"


def test_a_user_changes_their_password_with_the_current_one(engine):
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    now = dt.datetime(2026, 12, 1, 9, 0)
    with pytest.raises(AuthenticationError, match="wrong current password"):
        change_password(engine, "alice", current="not the password", new=NEW_PASSWORD, now=now)
    assert audit_log(engine)[0].action == "password_change_failed"
    change_password(engine, "Alice", current=PASSWORD, new=NEW_PASSWORD, now=now)
    entry = audit_log(engine)[0]
    assert (entry.who, entry.action, entry.target) == ("alice", "password_change", "alice")
    assert NEW_PASSWORD not in (entry.old or "") + (entry.new or "")
    with pytest.raises(AuthenticationError):
        authenticate(engine, "alice", PASSWORD, now=now)
    assert authenticate(engine, "alice", NEW_PASSWORD, now=now).name == "alice"


def test_the_change_form_cannot_be_used_to_guess_the_password(engine):
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    now = dt.datetime(2026, 12, 1, 9, 0)
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            change_password(engine, "alice", current="guess", new=NEW_PASSWORD, now=now)
    with pytest.raises(AuthenticationError):  # locked: even the right current password
        change_password(engine, "alice", current=PASSWORD, new=NEW_PASSWORD, now=now)
    with pytest.raises(AuthenticationError):
        authenticate(engine, "alice", PASSWORD, now=now)
    assert audit_log(engine)[0].action == "login_refused_locked"


def test_an_admin_resets_a_password_and_the_user_must_change_it(engine):
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    now = dt.datetime(2026, 12, 1, 9, 0)
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            authenticate(engine, "alice", "guess", now=now)
    with pytest.raises(PermissionDeniedError):
        reset_password(engine, "alice", new=NEW_PASSWORD, by=EDITOR)
    assert not must_change_password(engine, "alice")
    reset_password(engine, "alice", new=NEW_PASSWORD, by=ADMIN)
    entry = audit_log(engine)[0]
    assert (entry.who, entry.action, entry.target, entry.new) == (
        ADMIN.name,
        "password_reset",
        "alice",
        "must change at next login",
    )
    assert must_change_password(engine, "alice") and list_users(engine)[0].must_change_password
    assert authenticate(engine, "alice", NEW_PASSWORD, now=now).name == "alice"  # and the lock is lifted
    change_password(engine, "alice", current=NEW_PASSWORD, new="une autre phrase de passe solide", now=now)
    assert not must_change_password(engine, "alice")
    assert audit_log(engine)[0].new == "after a reset"
    add_user(engine, "dsi@chu.fr", role=Role.VIEWER, password=None, by=ADMIN)
    with pytest.raises(StoreError, match="identity provider"):
        reset_password(engine, "dsi@chu.fr", new=NEW_PASSWORD, by=ADMIN)


def test_an_account_added_with_must_change_asks_for_a_new_password(engine):
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN, must_change=True)
    assert must_change_password(engine, "alice")
    assert "must change the password" in audit_log(engine)[0].new


def test_a_disabled_account_cannot_sign_in_and_keeps_its_history(engine):
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    add_user(engine, "dsi@chu.fr", role=Role.VIEWER, password=None, by=ADMIN)
    actor = authenticate(engine, "alice", PASSWORD)
    with pytest.raises(PermissionDeniedError):
        disable_user(engine, "alice", by=EDITOR)
    disable_user(engine, "alice", by=ADMIN)
    disable_user(engine, "dsi@chu.fr", by=ADMIN)
    with pytest.raises(AuthenticationError, match=r"^unknown user name or wrong password$"):
        authenticate(engine, "alice", PASSWORD)  # the same message as any refusal
    assert audit_log(engine)[0].action == "login_refused_disabled"
    with pytest.raises(AuthenticationError, match="disabled"):
        refresh_actor(engine, actor)  # signed in before: refused at the next click
    with pytest.raises(AuthenticationError, match="disabled"):
        identity_actor(engine, "dsi@chu.fr")
    with pytest.raises(AuthenticationError):
        change_password(engine, "alice", current=PASSWORD, new=NEW_PASSWORD)
    accounts = {a.name: a for a in list_users(engine)}
    assert not accounts["alice"].enabled and accounts["alice"].disabled_by == ADMIN.name
    assert [e.action for e in audit_log(engine) if e.who == "alice"] == ["login_refused_disabled", "login"]
    with pytest.raises(StoreError, match="already disabled"):
        disable_user(engine, "alice", by=ADMIN)
    enable_user(engine, "alice", by=ADMIN)
    assert authenticate(engine, "alice", PASSWORD).role == Role.EDITOR
    actions = [e.action for e in audit_log(engine, limit=None)]
    assert actions.count("user_disable") == 2 and actions.count("user_enable") == 1
    with pytest.raises(StoreError, match="not disabled"):
        enable_user(engine, "alice", by=ADMIN)


def test_the_last_enabled_admin_cannot_be_disabled(engine):
    add_user(engine, "bob", role=Role.ADMIN, password=PASSWORD, by=ADMIN)
    add_user(engine, "carol", role=Role.ADMIN, password=PASSWORD, by=ADMIN)
    disable_user(engine, "carol", by=ADMIN)
    with pytest.raises(StoreError, match="last enabled admin"):
        disable_user(engine, "bob", by=ADMIN)


def test_cli_password_and_account_commands(tmp_path, capsys, monkeypatch):
    db = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*args, stdin=""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return main(["user", *args, "--db", db])

    assert run("add", "alice", "--role", "editor", "--password-stdin", "--must-change", stdin=PASSWORD + "\n") == 0
    assert run("add", "bob", "--role", "admin", "--password-stdin", stdin="password1234\n") == 1
    assert "most common passwords" in capsys.readouterr().err
    assert run("passwd", "alice", "--password-stdin", stdin=f"wrong\n{NEW_PASSWORD}\n") == 1
    assert "wrong current password" in capsys.readouterr().err
    assert run("passwd", "alice", "--password-stdin", stdin=f"{PASSWORD}\n{NEW_PASSWORD}\n") == 0
    assert "Password of 'alice' changed." in capsys.readouterr().out
    assert run("reset", "alice", "--password-stdin", stdin=PASSWORD + "\n") == 0
    assert "must be changed at the next login" in capsys.readouterr().out
    assert run("disable", "alice") == 0
    assert run("list") == 0
    assert "DISABLED on" in capsys.readouterr().out
    assert run("list", "--json") == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["enabled"] is False and listed["must_change_password"] is True
    assert run("enable", "alice") == 0
    actions = [e.action for e in audit_log(open_store(db), limit=None)]
    assert actions == [
        "user_enable",
        "user_disable",
        "password_reset",
        "password_change",
        "password_change_failed",
        "user_add",
    ]


# --- The role check on every write path: a viewer writes nothing, an editor does ----------


def test_a_viewer_cannot_manage_accounts(engine):
    add_user(engine, "alice", role=Role.EDITOR, password=PASSWORD, by=ADMIN)
    for actor in (VIEWER, EDITOR):
        with pytest.raises(PermissionDeniedError, match="manage users: it needs the admin role"):
            add_user(engine, "mallory", role=Role.ADMIN, password=PASSWORD, by=actor)
        with pytest.raises(PermissionDeniedError):
            remove_user(engine, "alice", by=actor)
    assert [a.name for a in list_users(engine)] == ["alice"]


def test_a_viewer_cannot_write_back_and_the_workbook_is_untouched(tmp_path, engine):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    edit = [MeasureEdit("MSG-03", progress=55)]
    with pytest.raises(PermissionDeniedError, match="may not write back"):
        write_back(path, edit, expected=fingerprint(path.read_bytes()), by=VIEWER, audit=engine)
    assert path.read_bytes() == SAMPLE.read_bytes() and [p.name for p in tmp_path.iterdir()] == [
        "plan.xlsx",
        "rempart.db",
    ]
    assert audit_log(engine) == []
    changes = write_back(path, edit, expected=fingerprint(SAMPLE.read_bytes()), by=EDITOR, audit=engine)
    (entry,) = audit_log(engine)
    assert (entry.who, entry.action, entry.old, entry.new) == ("rssi", "edit", changes[0].old, "55")
    assert entry.target == f"plan.xlsx {changes[0].cell} (MSG-03 progress)"


def test_a_write_back_whose_audit_cannot_be_written_leaves_the_workbook(tmp_path, engine):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE audit_log")
    with pytest.raises(StoreError):
        write_back(
            path,
            [MeasureEdit("MSG-03", progress=55)],
            expected=fingerprint(SAMPLE.read_bytes()),
            by=EDITOR,
            audit=engine,
        )
    assert path.read_bytes() == SAMPLE.read_bytes()


def test_a_viewer_cannot_record_snapshots_or_freeze_the_plan(engine):
    data = workbook_bytes(small_sheets())
    roadmap = load_roadmap(data, filename="small.xlsx")[0]
    with pytest.raises(PermissionDeniedError, match="record snapshot"):
        record_snapshot(
            engine, "CH", roadmap, taken_at=dt.date(2026, 12, 1), content_hash=content_hash(data), by=VIEWER
        )
    analysis = analyse_roadmap(roadmap, time_limit=1, crashing=False)
    with pytest.raises(PermissionDeniedError, match="freeze plan"):
        freeze_plan(engine, "CH", analysis, by=VIEWER, at=dt.datetime(2026, 12, 1))
    assert snapshots(engine, "CH") == [] and latest_frozen_plan(engine, "CH") is None and audit_log(engine) == []
    assert record_snapshot(
        engine, "CH", roadmap, taken_at=dt.date(2026, 12, 1), content_hash=content_hash(data), by=EDITOR
    )
    assert freeze_plan(engine, "CH", analysis, by=EDITOR, at=dt.datetime(2026, 12, 1)).frozen_by == "rssi"


def test_a_viewer_cannot_remember_a_mapping(tmp_path):
    mapping = ColumnMapping(sheet="WBS", header_row=1, columns={"Task": "title"})
    with pytest.raises(PermissionDeniedError, match="remember mapping"):
        remember_mapping(mapping, ["Task"], by=VIEWER, directory=tmp_path / "mappings")
    assert not (tmp_path / "mappings").exists()
    assert remember_mapping(mapping, ["Task"], by=EDITOR, directory=tmp_path / "mappings").exists()


# --- Audit export ---------------------------------------------------------------------------


def test_the_audit_export_neutralises_formulas_and_keeps_every_entry(engine):
    add_user(engine, "=cmd|' /C calc'!A0", role=Role.VIEWER, password=None, by=ADMIN)
    with pytest.raises(AuthenticationError):
        authenticate(engine, "@SUM(1+1)", "x")
    entries = audit_log(engine, limit=None)
    rows = list(csv.DictReader(io.StringIO(export_audit(entries).decode("utf-8-sig"))))
    assert tuple(rows[0]) == AUDIT_COLUMNS and len(rows) == 2
    assert rows[0]["who"] == "'@sum(1+1)" and rows[1]["target"] == "'=cmd|' /c calc'!a0"
    as_json = json.loads(export_audit(entries, fmt="json"))
    assert as_json[1]["target"] == "=cmd|' /c calc'!a0" and as_json[0]["action"] == "login_failed"


def test_cli_user_and_audit_commands(tmp_path, capsys, monkeypatch):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "Alice", "--role", "editor", "--password-stdin", "--db", db]) == 0
    assert main(["user", "add", "dsi@chu.fr", "--role", "viewer", "--oidc", "--db", db]) == 0
    assert "Account 'dsi@chu.fr' added: viewer (oidc)." in capsys.readouterr().out
    assert main(["user", "list", "--json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["name"], u["role"], u["kind"]) for u in listed] == [
        ("alice", "editor", "password"),
        ("dsi@chu.fr", "viewer", "oidc"),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "add", "bob", "--role", "admin", "--password-stdin", "--db", db]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert main(["user", "remove", "alice", "--db", db]) == 0
    out = tmp_path / "audit.csv"
    assert main(["audit", "--out", str(out), "--db", db]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["action"] for r in rows] == ["user_remove", "user_add", "user_add"]
