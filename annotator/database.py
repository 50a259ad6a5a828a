"""The database: SQLite pragmas SQLAlchemy does not set, and the first start (schema
upgrade, seed import) that every app server runs before it serves."""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Engine

from annotator.extensions import db

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



# Files the app writes: the database holds password hashes and session tokens.
PRIVATE_FILE_MODE = 0o600
# SQLite's companion files of a database in WAL mode (and the rollback journal).
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def make_sqlite_file_private(database_url: str) -> None:
    """Create the SQLite database file with mode 0600 before SQLite does (SQLite gives its
    -wal and -shm the database file's mode), and take read access from group and others
    on the files an earlier version created 0644. Other databases are left alone."""
    url = sa.engine.make_url(database_url)
    name = url.database
    if url.get_backend_name() != "sqlite" or not name or name == ":memory:" \
            or name.startswith("file:"):
        return
    with suppress(FileExistsError, FileNotFoundError):  # no folder: SQLite will say so
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    for path in [name] + [name + suffix for suffix in SQLITE_COMPANIONS]:
        with suppress(FileNotFoundError, PermissionError):  # PermissionError: not ours
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, PRIVATE_FILE_MODE)


@contextmanager
def _instance_lock(app: Flask, name: str):
    """Serialise start-up work between processes that share this instance folder
    (several gunicorn workers starting at once must not migrate twice)."""
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    fd = os.open(os.path.join(app.instance_path, name), os.O_WRONLY | os.O_CREAT,
                 PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# Any fixed number: it names the lock every app server holds while it starts up.
_MIGRATION_LOCK_KEY = 0x616E6E6F  # "anno"


@contextmanager
def _database_lock():
    """On PostgreSQL, also serialise start-up between app servers on different machines,
    which share the database but not an instance folder. The migrations lock for themselves
    (migrations/env.py); this lock also covers the "is it fresh?" check and the seed import,
    so exactly one server seeds. An advisory lock ends with its connection: a crashed
    server cannot leave it held."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as connection:
        connection.execute(sa.select(sa.func.pg_advisory_lock(_MIGRATION_LOCK_KEY)))
        connection.commit()
        try:
            yield
        finally:
            connection.execute(sa.select(sa.func.pg_advisory_unlock(_MIGRATION_LOCK_KEY)))
            connection.commit()


def schema_exists() -> bool:
    """Tell whether migrations have ever run on the configured database."""
    return sa.inspect(db.engine).has_table("alembic_version")


def migrations_folder(app: Flask) -> str:
    return os.path.join(app.root_path, "migrations")


def attach_migrations(app: Flask) -> None:
    """Give the app Flask-Migrate (``flask db ...`` and ``upgrade``), once.

    Only when something migrates: Alembic is a large library that an app server at the
    newest schema never uses, and every worker would carry it."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=migrations_folder(app))


_REVISION_LINE = re.compile(r"^(down_)?revision\b[^=\n]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"""['"]([^'"]+)['"]""")


def migration_heads(folder: str) -> frozenset[str]:
    """The newest revisions among the migration files, read from their ``revision`` and
    ``down_revision`` lines without loading Alembic (which does the same, slower)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in Path(folder, "versions").glob("*.py"):
        for down, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            (parents if down else revisions).update(_QUOTED.findall(value))
    return frozenset(revisions - parents)


def _schema_is_current(app: Flask) -> bool:
    """Whether the database is already at the newest migration with nothing left to
    finish: the start of every app server but the first after an update."""
    if not schema_exists():
        return False
    stored = db.session.scalars(sa.text("SELECT version_num FROM alembic_version")).all()
    heads = migration_heads(migrations_folder(app))
    return bool(heads) and set(stored) == heads and not _backfill_pending()


def _backfill_pending() -> bool:
    from annotator.services import claim_hints

    return claim_hints.backfill_pending()


def keep_derived_columns_current() -> None:
    """What the session recomputes on every flush and commit: the claims' desk ranks,
    the queue's epoch, the Progress page's tallies."""
    from annotator.services import desk_ranks, progress_tallies, queue_frontier

    desk_ranks.keep_ranks_current()
    queue_frontier.keep_epoch_current()
    progress_tallies.keep_tallies_current()


def prepare_database(app: Flask, migrate: bool = True) -> None:
    """Bring the schema to the newest migration (unless ``migrate`` is False: AUTO_MIGRATE
    off); seed a database that was just created; finish what a migration left to the
    application (computing hints); rank the claims on the desk for the configured
    REVIEWS_PER_CLAIM if they are not; give the queue its epoch if it has none."""
    with app.app_context():
        with _instance_lock(app, ".startup.lock"), _database_lock():
            current = _schema_is_current(app)
            if migrate and not current:
                _migrate_and_seed(app)
                current = True
            if current:
                _rank_claims_for_settings(app)
                _tally_progress_for_settings(app)
                _give_the_queue_an_epoch()
            db.session.remove()
        # No connection opened here outlives the start: a server that forks its workers
        # after loading the app (gunicorn's preload_app) must not share one between them.
        # Only now is the PostgreSQL lock's connection back in the pool to be closed.
        db.engine.dispose()


def _migrate_and_seed(app: Flask) -> None:
    from flask_migrate import upgrade

    attach_migrations(app)
    fresh = not schema_exists()
    upgrade(directory=migrations_folder(app))
    if fresh and app.config["SEED_ON_START"]:
        _import_seeds(app)
    finish_migrations()


def _import_seeds(app: Flask) -> None:
    from annotator.services.article_import import import_folder

    seed_dir = Path(app.config["SEED_DIR"])
    if seed_dir.is_dir():
        report = import_folder(seed_dir, actor=None)
        app.logger.info("Imported %d seed articles", len(report.imported))
    else:
        app.logger.warning("No seed folder at %s; starting without articles", seed_dir)


def finish_migrations() -> None:
    """Compute what migrations leave to the application's current rules.

    A migration must not import application code (a later change of the rules would
    silently change what an old migration does), so the one that added the hint columns
    only leaves a note; the hints of every stored claim are computed here, once.
    """
    from annotator.services import claim_hints

    if not claim_hints.backfill_pending():
        return
    for _done in claim_hints.refresh_all_in_batches():
        db.session.commit()
    claim_hints.backfill_done()
    db.session.commit()


def _tally_progress_for_settings(app: Flask) -> None:
    """Compute the Progress page's tallies again when they were computed for another
    REVIEWS_PER_CLAIM or rule, or never (the first start after the migration that added
    them). One transaction: a count of every live claim and verdict."""
    from annotator.services import progress_tallies

    if not progress_tallies.recount_pending():
        return
    app.logger.info("Counting the team's and reviewers' progress for REVIEWS_PER_CLAIM=%s",
                    app.config["REVIEWS_PER_CLAIM"])
    progress_tallies.recount()
    db.session.commit()


def _give_the_queue_an_epoch() -> None:
    """Write the queue's epoch if the database has none (a new database, or one whose
    rows were all removed): without it the queue remembers no frontier."""
    from annotator.services import queue_frontier

    if queue_frontier.ensure_epoch():
        db.session.commit()


def _rank_claims_for_settings(app: Flask) -> None:
    """Rank every claim on the desk again when the stored ranks were computed for another
    REVIEWS_PER_CLAIM or rule, or never (the first start after the migration that added
    them). The caller checked the schema is the newest: with AUTO_MIGRATE off, the start
    after a manual ``flask db upgrade`` does it."""
    from annotator.services import desk_ranks

    if not desk_ranks.refresh_pending():
        return
    app.logger.info("Placing every claim on the decision desk for REVIEWS_PER_CLAIM=%s",
                    app.config["REVIEWS_PER_CLAIM"])
    for _done in desk_ranks.refresh_all_in_batches():
        db.session.commit()
    db.session.commit()
