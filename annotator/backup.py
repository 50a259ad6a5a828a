"""Backing up and restoring the database.

SQLite goes through its online backup API: the copy is a consistent snapshot even while
app servers keep writing (WAL readers do not block writers). PostgreSQL has its own tools,
``pg_dump`` and ``pg_restore``; for it these functions only name the commands to run.
"""

from __future__ import annotations

import os
import secrets
import shlex
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from annotator.models import SiteState
from annotator.text.timestamps import utcnow

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every annotator database has had since the first migration.
OUR_TABLES = frozenset({"alembic_version", "account", "article", "claim", "verdict",
                        "verdict_revision", "audit_event"})
# How long a backup waits for a writer that holds the database.
BUSY_TIMEOUT_S = 15
# How long a restore waits for the write lock before it concludes that an app server is
# writing and refuses. Short: a running desk must not stall behind the restore's wait.
RESTORE_LOCK_TIMEOUT_S = 3
# Files SQLite keeps beside a database while it is open (WAL mode, or a rollback journal).
COMPANION_SUFFIXES = ("", "-wal", "-shm", "-journal")
# Backups and their partial files hold password hashes and session tokens.
PRIVATE_FILE_MODE = 0o600


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


def live_files(database: Path) -> list[Path]:
    """The live database and the companion files SQLite writes beside it."""
    return [database.with_name(database.name + suffix) for suffix in COMPANION_SUFFIXES]


def _same_file(first: Path, second: Path) -> bool:
    """True when both names reach one file: symlinks and relative paths resolved, and a hard
    link recognised by ``os.path.samefile`` when both exist."""
    if os.path.realpath(first) == os.path.realpath(second):
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def refuse_live_target(database: Path, target: Path) -> None:
    """A backup written onto the live database (or its WAL, SHM or journal) would be renamed
    over the file the app servers have open and corrupt it: refuse, before anything is
    written."""
    partial = target.with_name(target.name + ".partial")
    for live in live_files(database):
        if _same_file(live, target) or _same_file(live, partial):
            raise BackupError(
                f"{target} is the live database's file {live}: a backup there would destroy "
                "it. Give a file name outside the database's files, e.g. "
                f"{database.with_name(database.stem + '-backup.sqlite')}."
            )


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (SQLite gives its -wal, -shm and journal the
    same mode), so no other user on the machine can ever read what is written into it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)


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
    refuse_live_target(database, target)
    if target.exists() and not force:
        raise BackupError(f"{target} exists; pass --force to replace it.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        create_private(partial)
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


class DatabaseInUse(BackupError):
    """The live database's write lock could not be taken: an app server is writing."""


def _take_write_lock(connection: sqlite3.Connection, database: Path) -> None:
    """``BEGIN EXCLUSIVE`` on the live database, waiting only briefly: while it is held no
    other connection can write, so nothing a server acknowledges can fall between the copy
    kept before the restore and the restored data."""
    connection.execute(f"PRAGMA busy_timeout = {RESTORE_LOCK_TIMEOUT_S * 1000}")
    try:
        connection.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as error:
        raise DatabaseInUse(
            f"{database} is in use: an app server is writing to it ({error}). Nothing was "
            "changed. Stop the app servers (gunicorn, flask run), run the restore again, "
            "then start them."
        ) from None


def _replace_contents(connection: sqlite3.Connection) -> None:
    """Inside the caller's transaction, make ``main`` a copy of the attached ``backup``:
    drop every table, create the backup's tables, indexes and triggers, copy the rows."""
    ours = connection.execute(
        "SELECT name FROM main.sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for (name,) in ours:
        kind = connection.execute(
            "SELECT type FROM main.sqlite_master WHERE name = ?", (name,)).fetchone()[0]
        connection.execute(f'DROP {kind.upper()} IF EXISTS main."{name}"')
    schema = connection.execute(
        "SELECT type, name, sql FROM backup.sqlite_master WHERE sql IS NOT NULL "
        "AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table' DESC, type = 'index' DESC"
    ).fetchall()
    # Unqualified CREATE statements create in main, the first database of the connection.
    for kind, name, sql in schema:
        connection.execute(sql)
        if kind == "table":
            connection.execute(f'INSERT INTO main."{name}" SELECT * FROM backup."{name}"')
    has_sequence = connection.execute(
        "SELECT 1 FROM backup.sqlite_master WHERE name = 'sqlite_sequence'").fetchone()
    if has_sequence:
        connection.execute("DELETE FROM main.sqlite_sequence")
        connection.execute("INSERT INTO main.sqlite_sequence SELECT * FROM backup.sqlite_sequence")


def _forget_queue_frontiers(connection: sqlite3.Connection) -> None:
    """Write a new queue epoch into the restored data, with its change naming the first
    claim: the app servers still running remember where each reviewer's queue starts
    (``services.queue_frontier``), and the restored data may hold claims before it
    again. A backup older than the epoch gets one, fresh, from the schema upgrade that
    follows; one older than the changes' table, a bare token, which names no place and
    so sends every queue to the first claim as well."""
    columns = {row[1] for row in connection.execute("PRAGMA main.table_info(site_state)")}
    if "value" not in columns:
        return
    token = secrets.token_hex(16)
    connection.execute("UPDATE main.site_state SET value = ? WHERE key = ?",
                       (token, SiteState.QUEUE_EPOCH))
    if connection.execute("PRAGMA main.table_info(queue_change)").fetchall():
        connection.execute("INSERT INTO main.queue_change (epoch, article_id, position)"
                           " VALUES (?, 0, 0)", (token,))


def _restore_into_live(database: Path, source: Path, safety: Path) -> None:
    """Swap the live database's contents for the backup's in one exclusive transaction,
    after copying the current contents to ``safety`` under the same lock."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")  # tables are dropped and refilled
        connection.execute("ATTACH DATABASE ? AS backup", (str(source.resolve()),))
        _take_write_lock(connection, database)
        try:
            # Copied by a second connection: SQLite refuses to back up from a connection
            # that holds a write transaction, and in WAL mode a reader is not blocked by
            # it. It reads the last commit, which no one can change while the lock is held.
            backup_sqlite(database, safety)
            _replace_contents(connection)
            _forget_queue_frontiers(connection)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        connection.close()


def restore_sqlite(database: Path, source: Path, migrations: str) -> tuple[str, Path | None]:
    """Replace the database at ``database`` with the backup ``source``.

    The current database is first copied beside it (``NAME.before-restore-TIMESTAMP``) so a
    mistaken restore can be undone. Both happen while the restore holds the database's
    write lock (``BEGIN EXCLUSIVE``): if an app server is writing, the restore refuses
    (``DatabaseInUse``) and changes nothing; a server that tries to write meanwhile waits
    and writes into the restored database. Returns the backup's schema revision and the
    copy's path (None when there was no database). The caller upgrades the schema afterwards.
    """
    revision = check_backup(source, migrations)
    if database.is_file():
        stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
        safety = database.with_name(f"{database.name}.before-restore-{stamp}")
        try:
            _restore_into_live(database, source, safety)
        except DatabaseInUse:
            safety.unlink(missing_ok=True)
            raise
        except sqlite3.Error as error:
            kept = (f" The database before the restore is kept at {safety}."
                    if safety.exists() else "")
            raise BackupError(f"The restore failed: {error}. Nothing was changed.{kept}") from None
        return revision, safety
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_private(database)
        backup = _connect(source, read_only=True)
        try:
            target = _connect(database)
            try:
                _copy(backup, target)
                with target:  # commits
                    _forget_queue_frontiers(target)
                target.execute("PRAGMA journal_mode = WAL")
            finally:
                target.close()
        finally:
            backup.close()
    except sqlite3.Error as error:
        raise BackupError(f"The restore failed: {error}.") from None
    return revision, None
