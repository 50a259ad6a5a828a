"""Database connection settings that SQLAlchemy does not apply by itself."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy.engine import Engine

_installed = False


def _on_connect(dbapi_connection, _record) -> None:
    """Turn on what SQLite leaves off: foreign keys, WAL journal, a busy timeout."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    # A writer waits for another up to 15 s instead of failing at once with "database is locked".
    cursor.execute("PRAGMA busy_timeout = 15000")
    # In-memory databases cannot use WAL; the pragma then answers "memory" and does no harm.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def install_sqlite_pragmas() -> None:
    """Register the connect hook once per process, for every engine."""
    global _installed
    if not _installed:
        sa.event.listen(Engine, "connect", _on_connect)
        _installed = True
