"""Sign-in and roles in the app (AppTest): nobody sees the hospital's data before signing in, and a
viewer is offered no write (the domain refuses it anyway: tests/test_accounts.py)."""

import pytest
from conftest import ROOT, SAMPLE, run_bound_to, shown
from streamlit.testing.v1 import AppTest

from roadmap.security.accounts import add_user
from roadmap.security.roles import Actor, Role, cli_actor
from roadmap.store.audit import audit_log
from roadmap.store.database import open_store

PASSWORD = "correct horse battery staple"
OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret",
    "client_id": "rempart",
    "client_secret": "test",
    "server_metadata_url": "https://idp.example.invalid/.well-known/openid-configuration",
}


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


@pytest.fixture
def accounts(monkeypatch, tmp_path):
    """A data folder with a viewer and an editor, and the sample on a 'shared drive'."""
    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path / "data"))
    shared = tmp_path / "partage" / "rivebelle.xlsx"
    shared.parent.mkdir()
    shared.write_bytes(SAMPLE.read_bytes())
    monkeypatch.setenv("REMPART_WORKBOOK", str(shared))
    engine = open_store()
    add_user(engine, "directrice", role=Role.VIEWER, password=PASSWORD, by=cli_actor())
    add_user(engine, "rssi", role=Role.EDITOR, password=PASSWORD, by=cli_actor())
    return engine


def _sign_in(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input(key="sign_in_name").input(name)
    app.text_input(key="sign_in_password").input(password)
    return app.button[0].click().run()  # the form's submit button


def test_nothing_is_shown_before_signing_in(accounts):
    app = _app().run()
    assert not app.exception
    assert app.text_input(key="sign_in_password") is not None
    assert not app.metric and not app.dataframe and not app.get("plotly_chart")
    assert [t.value for t in app.title] == ["Rempart"]


def test_a_wrong_password_is_refused_and_audited(accounts):
    app = _sign_in(_app().run(), "rssi", "not the password")
    assert not app.exception
    assert app.error[0].value.startswith("Connexion refusée : identifiant inconnu ou mot de passe erroné.")
    assert not app.metric
    assert audit_log(accounts)[0].action == "login_failed"


def test_a_viewer_reads_every_page_but_is_offered_no_write(accounts):
    app = _sign_in(_app().run(), "directrice", PASSWORD)
    assert not app.exception
    assert app.metric, "the dashboard is shown once signed in"
    assert any("directrice" in c.value for c in app.sidebar.caption)
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    keys = {b.key for b in app.button}
    assert "save_edits" not in keys and not app.get("arrow_data_editor")
    assert any("Votre rôle (lecteur) est en lecture seule" in i.value for i in app.info)
    app.switch_page("app_pages/history.py").run()
    assert not app.exception
    assert "freeze" not in {b.key for b in app.button}
    assert {"audit_csv", "audit_json"} <= {d.key for d in app.get("download_button")}


def test_an_editor_can_save_and_is_named_in_the_audit_log(accounts, monkeypatch):
    from app_pages import edit_tables
    from roadmap.writeback import MeasureEdit

    monkeypatch.setattr(edit_tables, "edits_from_table", lambda before, after: [MeasureEdit("MSG-03", progress=55)])
    app = _sign_in(_app().run(), "rssi", PASSWORD)
    app.switch_page("app_pages/data.py").run()
    app.button(key="save_edits").click().run()
    assert not app.exception
    entries = audit_log(accounts)
    (entry,) = [e for e in entries if e.action == "edit"]
    assert (entry.who, entry.new) == ("rssi", "55")
    assert (entries[0].who, entries[0].action) == ("rssi", "snapshot")  # the written workbook, in the history


def test_signing_out_returns_to_the_form(accounts):
    app = _sign_in(_app().run(), "rssi", PASSWORD)
    app.button(key="sign_out").click().run()
    assert not app.exception and not app.metric
    assert app.text_input(key="sign_in_password") is not None


def test_accounts_allow_serving_beyond_localhost(accounts):
    app = run_bound_to(_app(), "0.0.0.0")
    assert not app.exception and not app.error
    assert app.text_input(key="sign_in_password") is not None


def test_oidc_login_then_the_role_of_the_identity(accounts):
    app = _app()
    app.secrets["auth"] = OIDC
    app.user = {"is_logged_in": False}
    app.run()
    assert not app.exception and not app.metric
    assert app.button(key="oidc_login") is not None
    app = _app()
    app.secrets["auth"] = OIDC
    app.user = {"is_logged_in": True, "email": "inconnu@chu.fr"}
    app.run()
    assert not app.exception and not app.metric
    assert "has no access to Rempart" in app.error[0].value
    add_user(accounts, "dsi@chu.fr", role=Role.VIEWER, password=None, by=cli_actor())
    app = _app()
    app.secrets["auth"] = OIDC
    app.user = {"is_logged_in": True, "email": "DSI@chu.fr"}
    app.run()
    assert not app.exception and app.metric
    app.switch_page("app_pages/data.py").run()
    assert "save_edits" not in {b.key for b in app.button}


EVIL = "[click](https://evil.example/x) ![p](https://evil.example/p.png) <b>bold</b> :red[alert]"


def test_workbook_text_is_never_rendered_as_markdown(monkeypatch, tmp_path):
    """An establishment, a file name and a team named like links and images are shown as typed."""
    from conftest import measure, small_sheets, workbook_bytes

    monkeypatch.setenv("REMPART_DATA_DIR", str(tmp_path))
    sheets = small_sheets([measure("M1", effort=40, team="Systèmes", mitigates="R1:0.5"), measure("M2", effort=90)])
    sheets["Paramètres"].append(["Établissement", EVIL])
    app = _app().run()
    app.file_uploader(key="upload").upload("[x](https://evil.example).xlsx", workbook_bytes(sheets)).run()
    assert not app.exception
    shown = []
    for page in ("app_pages/dashboard.py", "app_pages/plan.py", "app_pages/data.py", "app_pages/history.py"):
        app.switch_page(page).run()
        assert not app.exception
        for kind in ("title", "caption", "markdown", "warning", "error", "info", "success"):
            shown += [element.value for element in getattr(app, kind)]
    assert any("click" in text for text in shown), "the establishment is shown"
    for text in shown:
        assert "](https://evil" not in text and "<b>" not in text and ":red[" not in text, text


def test_five_wrong_passwords_lock_the_account_in_the_app(accounts):
    app = _app().run()
    for _ in range(5):
        app = _sign_in(app, "rssi", "not the password")
    app = _sign_in(app, "rssi", PASSWORD)
    assert not app.exception and not app.metric, "locked: even the right password is refused"
    assert audit_log(accounts)[0].action == "login_refused_locked"
    unknown = _sign_in(_app().run(), "nobody", "not the password")
    assert app.error[0].value == unknown.error[0].value, "the same message: it must not confirm the name exists"


def test_an_unreadable_accounts_database_stops_the_app_instead_of_opening_it(monkeypatch, tmp_path):
    """Fail closed: when the accounts cannot be checked, nothing is served (not even on localhost)."""
    monkeypatch.setenv("REMPART_DATABASE_URL", "postgresql+psycopg://nobody:x@127.0.0.1:1/none")
    app = _app().run()
    assert not app.exception and not app.metric
    assert app.error[0].value.startswith("Comptes indisponibles")


NEW_PASSWORD = "la citadelle tient bon en décembre"


def _press(app: AppTest, label: str) -> AppTest:
    return next(b for b in app.button if b.label == label).click().run()


def test_a_reset_password_must_be_changed_before_anything_is_shown(accounts):
    from roadmap.security.accounts import authenticate, reset_password

    reset_password(accounts, "rssi", new=NEW_PASSWORD, by=cli_actor())
    app = _sign_in(_app().run(), "rssi", NEW_PASSWORD)
    assert not app.exception and not app.metric, "nothing of the roadmap before the new password"
    assert any("réinitialisé par un administrateur" in w.value for w in app.warning)
    app.text_input(key="forced_password_current").input(NEW_PASSWORD)
    app.text_input(key="forced_password_new").input("password1234")
    app.text_input(key="forced_password_again").input("password1234")
    app = _press(app, "Changer le mot de passe")
    assert any("parmi les plus courants" in e.value for e in app.error) and not app.metric
    app.text_input(key="forced_password_current").input(NEW_PASSWORD)
    app.text_input(key="forced_password_new").input(PASSWORD + " encore")
    app.text_input(key="forced_password_again").input(PASSWORD + " encore")
    app = _press(app, "Changer le mot de passe")
    assert not app.exception and app.metric, "the dashboard, once the password is changed"
    changes = [e for e in audit_log(accounts) if e.action == "password_change"]
    assert [(e.who, e.new) for e in changes] == [("rssi", "after a reset")]
    assert authenticate(accounts, "rssi", PASSWORD + " encore").name == "rssi"


def test_a_user_changes_their_password_from_the_sidebar(accounts):
    app = _sign_in(_app().run(), "directrice", PASSWORD)
    app.text_input(key="own_password_current").input("not the password")
    app.text_input(key="own_password_new").input(NEW_PASSWORD)
    app.text_input(key="own_password_again").input(NEW_PASSWORD)
    app = _press(app, "Changer le mot de passe")
    assert any("Mot de passe actuel erroné" in e.value for e in app.sidebar.error)
    app.text_input(key="own_password_current").input(PASSWORD)
    app.text_input(key="own_password_new").input(NEW_PASSWORD)
    app.text_input(key="own_password_again").input(NEW_PASSWORD)
    app = _press(app, "Changer le mot de passe")
    assert not app.exception and app.metric
    mine = [e.action for e in audit_log(accounts) if e.who == "directrice"]
    assert mine[:4] == ["password_change", "password_change_failed", "session_start", "login"]


def test_the_admin_screen_adds_resets_and_disables_accounts(accounts):
    add_user(accounts, "admin", role=Role.ADMIN, password=PASSWORD, by=cli_actor())
    app = _sign_in(_app().run(), "admin", PASSWORD)
    app.switch_page("app_pages/accounts.py").run()
    assert not app.exception and app.title[0].value == "Comptes"
    listed = next(shown(d) for d in app.dataframe if "Compte" in d.value.columns)
    assert sorted(listed["Compte"]) == ["admin", "directrice", "rssi"] and "password_hash" not in listed.columns
    app.text_input(key="add_name").input("ingenieur")
    app.text_input(key="add_password").input("azertyuiop2026")
    app = _press(app, "Ajouter le compte")
    assert any("parmi les plus courants" in e.value for e in app.error)
    app.text_input(key="add_name").input("ingenieur")
    app.text_input(key="add_password").input(NEW_PASSWORD)
    app = _press(app, "Ajouter le compte")
    assert not app.exception and any("ingenieur" in s.value for s in app.success)
    app.selectbox(key="reset_name").set_value("rssi")
    app.text_input(key="reset_password").input(NEW_PASSWORD)
    app = _press(app, "Réinitialiser le mot de passe")
    assert any("réinitialisé" in s.value for s in app.success)
    app.selectbox(key="toggle_name").set_value("directrice").run()
    app = app.button(key="disable").click().run()
    assert not app.exception
    states = next(shown(d) for d in app.dataframe if "Compte" in d.value.columns).set_index("Compte")["État"]
    assert states["directrice"] == "désactivé" and states["rssi"] == "doit changer son mot de passe"
    assert states["ingenieur"] == "doit changer son mot de passe"
    actions = [(e.who, e.action, e.target) for e in audit_log(accounts) if e.who == "admin"][:5]
    assert actions == [
        ("admin", "user_disable", "directrice"),
        ("admin", "password_reset", "rssi"),
        ("admin", "user_add", "ingenieur"),
        ("admin", "session_start", "rempart"),
        ("admin", "login", "rempart"),
    ]
    refused = _sign_in(_app().run(), "directrice", PASSWORD)
    assert not refused.metric and refused.error[0].value.startswith("Connexion refusée")


def test_the_admin_screen_is_for_admins_only(accounts):
    """Not in an editor's navigation; the page itself also refuses, and the domain checks the role."""
    app = _sign_in(_app().run(), "rssi", PASSWORD)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/accounts.py")
    page = AppTest.from_file(str(ROOT / "app_pages" / "accounts.py"))
    page.session_state["user"] = Actor("rssi", Role.EDITOR, "password")
    page.run()
    assert not page.exception and not page.dataframe and not page.text_input
    assert page.info[0].value == "Seul un administrateur gère les comptes."
