"""Everything the app writes into its instance folder is private to the service user:
the folder 0700, the files 0600 (database, WAL, SHM, secret key, backups, before-restore
copies). They hold password hashes and session tokens."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
import sqlalchemy as sa
from annotator_testkit.apps import app_settings, dispose

from annotator import backup, create_app
from annotator.extensions import db


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The usual umask of a service (022), which made every file 0644 before."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.backend("sqlite")
def test_first_start_creates_private_files(tmp_path, open_umask):
    instance = tmp_path / "instance"
    settings = app_settings("", SECRET_KEY=None)
    del settings["SQLALCHEMY_DATABASE_URI"]
    app = create_app(settings, instance_path=str(instance))
    try:
        with app.app_context():  # a write, so the WAL and SHM exist
            db.session.execute(sa.text("PRAGMA user_version = 7"))
            db.session.commit()
            database = instance / "annotator.sqlite"
            files = [database, instance / "secret_key",
                     database.with_name("annotator.sqlite-wal"),
                     database.with_name("annotator.sqlite-shm")]
            assert all(path.exists() for path in files)
            assert mode(instance) == 0o700
            assert {path.name: mode(path) for path in files} == {
                path.name: 0o600 for path in files}
            leaks = {p.name: oct(mode(p)) for p in instance.iterdir() if mode(p) & 0o077}
            assert leaks == {}
    finally:
        dispose(app)


@pytest.mark.backend("sqlite")
def test_an_open_instance_of_an_earlier_version_is_closed(tmp_path, open_umask):
    """A folder and database created 0755/0644 by an earlier version are made private."""
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)
    database = instance / "annotator.sqlite"
    sqlite3.connect(database).close()
    os.chmod(database, 0o644)
    app = create_app(app_settings(f"sqlite:///{database}", SEED_ON_START=False),
                     instance_path=str(instance))
    dispose(app)
    assert mode(instance) == 0o700
    assert mode(database) == 0o600


@pytest.mark.backend("sqlite")
def test_backups_and_before_restore_copies_are_private(app, runner, tmp_path, open_umask):
    elsewhere = tmp_path / "backups"
    elsewhere.mkdir()
    target = elsewhere / "desk.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    database = backup.sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
    copies = [p for p in database.parent.iterdir() if ".before-restore-" in p.name]
    assert copies and {mode(p) for p in copies} == {0o600}
