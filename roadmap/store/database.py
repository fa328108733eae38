"""The history database: where it is (:class:`RempartSettings`, :func:`database_url`), its engine
(:func:`open_store`) and its schema's migrations (:func:`upgrade_database`).

The history store (PRODUCT.md §5 "Progress over time"): snapshots, frozen plans, audit log.

SQLAlchemy 2 models and the functions that read and write them. The default database is a
SQLite file ``rempart.db`` in ``$REMPART_DATA_DIR`` (default ``~/.local/share/rempart``), created
on first use; a hospital group sets ``REMPART_DATABASE_URL`` (any SQLAlchemy URL, e.g.
``postgresql+psycopg://user:password@host/rempart``). The schema is created and upgraded by the
Alembic migrations of ``roadmap/store/migrations`` (:func:`upgrade_database`).

Tables::

    sources            a workbook per establishment (unique name)
    snapshots          source, taken_at (date), content hash, the whole roadmap as JSON
    snapshot_measures  per snapshot and measure: status, progress (0–100), done date,
                       effort (person-days), team
    plan_versions      a frozen plan: source, frozen_at, frozen_by, options (JSON)
    planned_measures   per frozen plan and measure: planned start/end (working days), sprint,
                       effort and remaining effort at the freeze (person-days)
    audit_log          who, when, action, target, old → new (append-only), hash (chained)
    audit_chain        one row: the database's chain key and the chain's head
    column_mappings    remembered column mappings: header fingerprint → JSON
    scenarios          capacity scenarios per source: unique name, team figures and daily
                       rates (JSON), saved_at, saved_by (see :mod:`roadmap.store.scenarios`)
    users              local accounts and OIDC identities: name, role, Argon2id password hash,
                       failed logins and lock, password to change, disabled
                       (see :mod:`roadmap.security.accounts`)
    login_addresses    failed logins per client address, and its block (:mod:`roadmap.security.limits`)
    login_sessions     signed-in browsers: hashes of their hand-off code and session token, expiry,
                       revocation (see :mod:`roadmap.security.sessions`)

Times (``recorded_at``, ``frozen_at``, audit ``at``) are stored as naive UTC datetimes, to the
second; ``taken_at`` is a calendar date. Functions return plain frozen dataclasses
(:class:`Snapshot`, :class:`FrozenPlan`, :class:`AuditEntry`), never ORM objects, so callers never
touch a session. Every database error is translated into :class:`roadmap.errors.StoreError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource
from sqlalchemy import (
    Engine,
    create_engine,
    event,
)
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from roadmap.errors import StoreError

if TYPE_CHECKING:
    pass


DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "rempart"
"""Where the SQLite database lives when ``REMPART_DATA_DIR`` is not set."""


class RempartSettings(BaseSettings):
    """Rempart's configuration: environment variables ``REMPART_*``, else ``rempart.toml`` or
    ``.env`` in the working directory, else the defaults.

    Attributes:
        data_dir: folder of the default SQLite database (``REMPART_DATA_DIR``).
        database_url: a SQLAlchemy URL (``REMPART_DATABASE_URL``); empty: SQLite in ``data_dir``.
        session_hours: how long a sign-in lasts, reloads included (``REMPART_SESSION_HOURS``, 1 to
            168, default 8: a working day); logout ends it at once.
        uploads_per_hour: new files one browser session may upload per hour
            (``REMPART_UPLOADS_PER_HOUR``, 1 to 1,000, default 30).
        trusted_proxies: addresses of the reverse proxies in front of the app, comma-separated
            (``REMPART_TRUSTED_PROXIES``): from them the client's address is read in
            ``X-Forwarded-For``, for the limit on failed logins per address.
        daily_rates: team (or supplier reinforcing it) → cost of one person-day in €
            (``REMPART_DAILY_RATES`` as JSON, e.g. ``{"Réseau et sécurité": 650}``, or a
            ``[daily_rates]`` table in ``rempart.toml``); empty by default: then no cost is shown.
            A scenario may set its own (:class:`roadmap.scenarios.Scenario`).
    """

    model_config = SettingsConfigDict(env_prefix="REMPART_", env_file=".env", toml_file="rempart.toml", extra="ignore")

    data_dir: Path = Field(default=DEFAULT_DATA_DIR)
    database_url: str | None = None
    session_hours: float = Field(default=8, ge=1, le=168)
    uploads_per_hour: int = Field(default=30, ge=1, le=1000)
    trusted_proxies: str = ""

    @property
    def proxies(self) -> frozenset[str]:
        """:attr:`trusted_proxies` as a set of addresses."""
        return frozenset(part.strip() for part in self.trusted_proxies.split(",") if part.strip())

    daily_rates: dict[str, float] = Field(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments first, then the environment, ``.env``, ``rempart.toml``."""
        return init_settings, env_settings, dotenv_settings, TomlConfigSettingsSource(settings_cls)

    @property
    def url(self) -> str:
        """The database URL in force: ``database_url``, else ``sqlite:///<data_dir>/rempart.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.data_dir).expanduser() / 'rempart.db'}"


def database_url(url: str | None = None) -> str:
    """``url`` when given, else the one of :class:`RempartSettings`.

    Raises:
        StoreError: the settings file or an environment variable is not valid.
    """
    if url:
        return url
    try:
        return RempartSettings().url
    except (ValidationError, ValueError) as exc:
        raise StoreError(f"invalid Rempart settings (REMPART_* variables, rempart.toml or .env): {exc}") from exc


def settings() -> RempartSettings:
    """The settings in force.

    Raises:
        StoreError: the settings file or an environment variable is not valid.
    """
    try:
        return RempartSettings()
    except (ValidationError, ValueError) as exc:
        raise StoreError(f"invalid Rempart settings (REMPART_* variables, rempart.toml or .env): {exc}") from exc


MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


_MIGRATING = threading.Lock()
"""Held while Alembic runs: its ``context`` and ``op`` proxies are module globals that each run
installs and removes, so two migrations at once in one process (the server's warm-up thread and a
session's first page) remove each other's (``KeyError: 'config'`` in ``_remove_proxy``)."""


def upgrade_database(url: str, *, revision: str = "head") -> None:
    """Run ``alembic upgrade`` to ``revision`` (default the latest) on the database at ``url``.

    Raises:
        StoreError: the database cannot be reached or migrated.
    """
    from alembic import command

    engine = _engine(url)
    try:
        with _MIGRATING, _translate(url), engine.begin() as connection:
            command.upgrade(_alembic_config(connection), revision)
    finally:
        engine.dispose()


def downgrade_database(url: str, *, revision: str = "base") -> None:
    """Run ``alembic downgrade`` to ``revision`` (default: empty database).

    Raises:
        StoreError: the database cannot be reached or migrated.
    """
    from alembic import command

    engine = _engine(url)
    try:
        with _MIGRATING, _translate(url), engine.begin() as connection:
            command.downgrade(_alembic_config(connection), revision)
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (``None`` when not migrated)."""
    from alembic.runtime.migration import MigrationContext

    with _translate(engine.url), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _safe(url: object) -> str:
    """The URL without its password, for messages."""
    text = str(url)
    if "@" in text and "://" in text:
        scheme, rest = text.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return text


@contextmanager
def _translate(url: object) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"database {_safe(url)}: {detail}") from exc


def _engine(url: str) -> Engine:
    try:
        engine = create_engine(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"not a database URL: {_safe(url)!r} ({exc})") from exc
    except ImportError as exc:
        raise StoreError(f"no driver for {_safe(url)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def _sqlite_foreign_keys(connection: Any, record: object) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_store(url: str | None = None) -> Engine:
    """An engine on the history database, created and migrated to the latest revision if needed.

    Args:
        url: a SQLAlchemy URL; default :class:`RempartSettings` (SQLite in the data directory,
            whose folder is created).

    Raises:
        StoreError: the settings are invalid, the folder cannot be created, or the database cannot
            be reached or migrated.
    """
    url = database_url(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        folder = Path(url.removeprefix("sqlite:///")).parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {folder}: {exc.strerror or exc}") from exc
    upgrade_database(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        _owner_only(Path(url.removeprefix("sqlite:///")))
    return _engine(url)


def _owner_only(path: Path) -> None:
    """Make the SQLite file readable and writable by its owner only (it holds password hashes and a
    map of the hospital's weaknesses); a file owned by someone else is left as it is."""
    with contextlib.suppress(OSError):
        path.chmod(0o600)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
