"""Where the tests keep their data: a SQLite file by default, PostgreSQL when asked.

Set ``ANNOTATOR_TEST_DATABASE_URL`` to a PostgreSQL server URL whose role may create
databases (``postgresql://postgres@/postgres?host=/tmp/pg&port=5433``) and every suite runs
against throwaway databases on that server instead of SQLite files. ``.ci/run`` runs the
whole suite once each way.
"""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

ENV = "ANNOTATOR_TEST_DATABASE_URL"


def server_url() -> URL | None:
    """The PostgreSQL server the tests use, or None for SQLite."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return None
    url = make_url(raw)
    if not url.drivername.startswith("postgresql"):
        raise RuntimeError(f"{ENV} must be a postgresql:// URL, not {url.drivername}")
    return url.set(drivername="postgresql+psycopg")


def backend() -> str:
    return "postgresql" if server_url() else "sqlite"


def _admin_execute(statement: str) -> None:
    """Run one statement (CREATE or DROP DATABASE) on the server, outside a transaction."""
    url = server_url()
    assert url is not None, "only for PostgreSQL"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def create_database(template: str | None = None, prefix: str = "annot_test") -> str:
    """Create an empty database (or a copy of ``template``); return its SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy = f" TEMPLATE {_quote(template)}" if template else ""
    _admin_execute(f"CREATE DATABASE {_quote(name)}{copy}")
    return database_url(name)


def database_url(name: str) -> str:
    url = server_url()
    assert url is not None, "only for PostgreSQL"
    return url.set(database=name).render_as_string(hide_password=False)


def database_name(url: str) -> str:
    name = make_url(url).database
    assert name
    return name


def drop_database(url_or_name: str) -> None:
    name = database_name(url_or_name) if "://" in url_or_name else url_or_name
    _admin_execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


def _quote(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected database name {name!r}")
    return f'"{name}"'
