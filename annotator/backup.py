"""Backing up and restoring the database.

SQLite goes through its online backup API: the copy is a consistent snapshot even while
app servers keep writing (WAL readers do not block writers). PostgreSQL has its own tools,
``pg_dump`` and ``pg_restore``; for it these functions only name the commands to run.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from annotator.text.timestamps import utcnow

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every annotator database has had since the first migration.
OUR_TABLES = frozenset({"alembic_version", "account", "article", "claim", "verdict",
                        "verdict_revision", "audit_event"})
# How long a backup waits for a writer that holds the database.
BUSY_TIMEOUT_S = 15


class BackupError(Exception):
    """A backup or restore that was refused; the message says why and what to do."""


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite database URL; None for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("Only a SQLite database in a file can be backed up.")
    return Path(url.database)


def _libpq_url(database_url: str) -> str:
    """The URL as pg_dump and psql read it: no SQLAlchemy driver name, no password."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=True)


def pg_dump_command(database_url: str, target: str) -> str:
    return shlex.join(["pg_dump", "--format=custom", "--no-owner", "--file", target,
                       _libpq_url(database_url)])


def pg_restore_command(database_url: str, source: str) -> str:
    return shlex.join(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                       "--dbname", _libpq_url(database_url), source])


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    # One step (pages=-1): the whole copy is read inside one read transaction, a snapshot.
    source.backup(target, pages=-1)


def backup_sqlite(database: Path, target: Path, force: bool = False) -> int:
    """Copy the live database at ``database`` to ``target``; return the size in bytes.

    Written to ``target.partial`` and renamed when complete and checked, so ``target`` is
    never half a backup. An existing ``target`` is only replaced with ``force``.
    """
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    if target.exists() and not force:
        raise BackupError(f"{target} exists; pass --force to replace it.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        source = _connect(database)
        try:
            copy = _connect(partial)
            try:
                _copy(source, copy)
                # A backup is one self-contained file: no -wal or -shm beside it.
                copy.execute("PRAGMA journal_mode = DELETE")
                problem = copy.execute("PRAGMA quick_check").fetchone()[0]
                if problem != "ok":
                    raise BackupError(f"The copy failed its check: {problem}")
            finally:
                copy.close()
        finally:
            source.close()
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"The backup failed: {error}.") from None
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Cannot write {target}: {error.strerror}.") from None
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    return target.stat().st_size


def known_revisions(migrations: str) -> list[str]:
    """Every schema revision this version of annotator knows, newest first."""
    script = ScriptDirectory(migrations)
    return [revision.revision for revision in script.walk_revisions()]


def check_backup(source: Path, migrations: str) -> str:
    """Refuse anything but an annotator SQLite database this version can read; return its
    schema revision."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with open(source, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite database.")
    try:
        connection = _connect(source, read_only=True)
        try:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (it fails SQLite's check).")
            tables = {name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not OUR_TABLES.issubset(tables):
                raise BackupError(f"{source} is a SQLite database, but not an annotator one.")
            versions = [row[0] for row in connection.execute(
                "SELECT version_num FROM alembic_version")]
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise BackupError(f"{source} cannot be read as a SQLite database: {error}.") from None
    if len(versions) != 1:
        raise BackupError(f"{source} has no single schema version; it cannot be restored.")
    if versions[0] not in known_revisions(migrations):
        raise BackupError(
            f"{source} has schema version {versions[0]}, which this version of annotator "
            "does not know (a newer version made it?). Restore it with that version."
        )
    return versions[0]


def restore_sqlite(database: Path, source: Path, migrations: str) -> tuple[str, Path | None]:
    """Replace the database at ``database`` with the backup ``source``.

    The current database is first copied beside it (``NAME.before-restore-TIMESTAMP``) so a
    mistaken restore can be undone. Returns the backup's schema revision and that copy's
    path (None when there was no database). The caller upgrades the schema afterwards.
    """
    revision = check_backup(source, migrations)
    safety = None
    if database.is_file():
        stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
        safety = database.with_name(f"{database.name}.before-restore-{stamp}")
        backup_sqlite(database, safety)
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        backup = _connect(source, read_only=True)
        try:
            target = _connect(database)
            try:
                # Through the backup API, not a file copy: connections still open elsewhere
                # see the restored database whole, never a file being overwritten.
                _copy(backup, target)
                target.execute("PRAGMA journal_mode = WAL")
            finally:
                target.close()
        finally:
            backup.close()
    except sqlite3.Error as error:
        kept = f" The database before the restore is kept at {safety}." if safety else ""
        raise BackupError(f"The restore failed: {error}.{kept}") from None
    return revision, safety
