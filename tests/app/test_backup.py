"""``flask backup`` and ``flask restore``: every verdict and revision comes back.

SQLite goes through the commands themselves; on PostgreSQL they name pg_dump/pg_restore,
and the round trip is made with those tools.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from annotator_testkit.confirm import confirmed
from annotator_testkit.rows import snapshot
from annotator_testkit.web import moderate, save

from annotator import backup
from annotator.database import attach_migrations
from annotator.extensions import db
from annotator.models import User, Verdict


def verdict_id(app, claim_id, username):

    with app.app_context():
        return db.session.scalar(
            sa.select(Verdict.id).join(User, Verdict.reviewer_id == User.id)
            .where(Verdict.claim_id == claim_id, User.username == username)
        )


def revise(app, client, claim_id, username, label, note):
    """Save a new version over the reviewer's current one, as the claim page's form does."""
    with app.app_context():
        version = db.session.get(Verdict, verdict_id(app, claim_id, username)).version
    assert save(client, claim_id, label, note, version=str(version)).status_code == 302


@pytest.fixture
def desk(app, make_article, claim_ids, admin_client, reviewer_client, reviewer2_client):
    """A working desk made through the web views: accounts, an article, verdicts with
    several revisions, moderation, a hidden claim, and the audit events of all that."""
    article = make_article()
    first, second, third = claim_ids(article)
    assert save(reviewer_client, first, "supported", "Statistics office, table 4.",
                "https://example.org/stats").status_code == 302
    revise(app, reviewer_client, first, "alice", "disputed", "Revised figures say otherwise.")
    assert save(reviewer2_client, first, "unclear", "Could not find the source.").status_code \
        == 302
    assert save(reviewer_client, second, "supported", "Minutes of the meeting.").status_code \
        == 302
    moderate(admin_client, app, verdict_id(app, first, "alice"), "approve")
    moderate(admin_client, app, verdict_id(app, first, "bob"), "reject", "Name a source.")
    revise(app, reviewer2_client, first, "bob", "disputed", "Ministry's correction of 4 May.")
    assert admin_client.post(f"/admin/claims/{third}/hide", data=confirmed()).status_code == 302
    state = snapshot(app)
    assert len(state["verdict"]) == 3 and len(state["verdict_revision"]) >= 5
    assert len(state["audit_event"]) >= 3
    return {"claims": (first, second, third)}


def more_changes(app, reviewer_client, admin_client, claims):
    """What happens after a backup, and must be gone after the restore."""
    first, second, third = claims
    revise(app, reviewer_client, second, "alice", "unclear", "Second thoughts.")
    assert save(reviewer_client, third, "supported", "On a hidden claim.").status_code in (
        302, 404, 409)
    assert admin_client.post(f"/admin/claims/{third}/unhide", data=confirmed()).status_code == 302
    assert admin_client.post("/admin/users", data={
        "username": "carol", "role": "reviewer", "password": "another long password",
    }).status_code in (200, 302)


def database_file(app):
    return backup.sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])


@pytest.mark.backend("sqlite")
def test_restore_gives_back_every_verdict_and_revision(
    app, runner, desk, reviewer_client, admin_client, tmp_path
):
    before = snapshot(app, derived=False)
    target = tmp_path / "desk.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"to {target}" in result.output
    assert not target.with_name("desk.backup.partial").exists()
    # One self-contained file, in rollback-journal mode.
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not target.with_name("desk.backup-wal").exists()

    more_changes(app, reviewer_client, admin_client, desk["claims"])
    changed = snapshot(app)
    assert changed != before

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert snapshot(app, derived=False) == before
    # The restored desk works: the reviewer's session and the pages read the restored data.
    page = reviewer_client.get(f"/claims/{desk['claims'][0]}").get_data(as_text=True)
    assert "Revised figures say otherwise." in page and "Second thoughts." not in page

    # The database as it was before the restore is kept, whole.
    safety = [p for p in database_file(app).parent.iterdir() if ".before-restore-" in p.name]
    assert len(safety) == 1 and str(safety[0]) in result.output
    with sqlite3.connect(safety[0]) as kept:
        assert kept.execute("SELECT count(*) FROM verdict_revision").fetchone()[0] == len(
            changed["verdict_revision"])
    kept.close()


@pytest.mark.backend("sqlite")
def test_restore_after_losing_the_database(make_app, app, desk, tmp_path):
    before = snapshot(app, derived=False)
    target = tmp_path / "desk.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(target)]).exit_code == 0
    with app.app_context():
        db.engine.dispose()
    database = database_file(app)
    for suffix in ("", "-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)

    fresh = make_app()  # starts on a new, empty database, as after a disk loss
    assert snapshot(fresh)["verdict"] == []
    result = fresh.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert snapshot(fresh, derived=False) == before


@pytest.mark.backend("sqlite")
def test_restore_upgrades_an_older_backup(make_app, app, runner, tmp_path, new_database):
    """A backup made before the newest migration is brought up to date when restored."""
    from flask_migrate import upgrade

    migrations = str(app.root_path) + "/migrations"
    oldest = backup.known_revisions(migrations)[-1]
    old_url = new_database(empty=True, name="old.sqlite")
    old = make_app(SQLALCHEMY_DATABASE_URI=old_url, AUTO_MIGRATE=False)
    attach_migrations(old)
    with old.app_context():
        upgrade(directory=migrations, revision=oldest)
        db.session.execute(sa.text(
            "INSERT INTO account (username, username_key, password_hash, role, is_active, "
            "session_token, created_at) VALUES ('olduser', 'olduser', 'x', 'reviewer', 1, 't', "
            "'2025-01-01 00:00:00')"))
        db.session.commit()
    target = tmp_path / "old.backup"
    assert old.test_cli_runner().invoke(args=["backup", str(target)]).exit_code == 0

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == (
            backup.known_revisions(migrations)[0])
        assert db.session.scalar(sa.text("SELECT username FROM account")) == "olduser"


@pytest.mark.backend("sqlite")
def test_backup_while_another_connection_writes(app, desk, tmp_path):
    """Each backup is a snapshot: never a half-committed transaction, never a lock error."""
    database = database_file(app)
    stop = threading.Event()
    written = []

    def writer():
        connection = sqlite3.connect(database, timeout=15)
        try:
            while not stop.is_set():
                with connection:  # two rows per transaction: a backup has an even count
                    for _ in range(2):
                        connection.execute(
                            "INSERT INTO audit_event (actor_id, action, target_type, target_id, "
                            "details, created_at) VALUES (NULL, 'test.write', 'none', NULL, "
                            "'{}', '2025-01-01 00:00:00')")
                written.append(1)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        sizes = []
        for i in range(5):
            target = tmp_path / f"b{i}.backup"
            backup.backup_sqlite(database, target)
            with sqlite3.connect(target) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                count = copy.execute(
                    "SELECT count(*) FROM audit_event WHERE action = 'test.write'").fetchone()[0]
            copy.close()
            assert count % 2 == 0
            sizes.append(count)
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join()
    assert written and sizes[-1] > 0

    # A writer holding its transaction open does not stop the backup, nor leak into it.
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("DELETE FROM verdict_revision")
        backup.backup_sqlite(database, tmp_path / "during.backup")
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    with sqlite3.connect(tmp_path / "during.backup") as copy:
        assert copy.execute("SELECT count(*) FROM verdict_revision").fetchone()[0] == len(
            snapshot(app)["verdict_revision"])
    copy.close()


@pytest.mark.backend("sqlite")
def test_backup_does_not_overwrite_unless_forced(app, runner, tmp_path):
    target = tmp_path / "desk.backup"
    target.write_text("an older file")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1 and "--force" in result.output
    assert target.read_text() == "an older file"

    forced = runner.invoke(args=["backup", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not (tmp_path / "desk.backup.partial").exists()


@pytest.mark.backend("sqlite")
def test_backup_to_a_missing_folder_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "missing" / "desk.backup")])
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output


def _not_ours(path):
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    other.close()


def _from_the_future(path, good):
    shutil.copyfile(good, path)
    with sqlite3.connect(path) as future:
        future.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    future.close()


def _truncated(path, good):
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.backend("sqlite")
@pytest.mark.parametrize(("kind", "message"), [
    ("text", "not a SQLite database"),
    ("empty", "not a SQLite database"),
    ("random", "not a SQLite database"),
    ("not ours", "not an annotator one"),
    ("from the future", "does not know"),
    ("truncated", "cannot be read"),
])
def test_restore_refuses_what_is_not_an_annotator_backup(
    app, runner, desk, tmp_path, kind, message
):
    good = tmp_path / "good.backup"
    assert runner.invoke(args=["backup", str(good)]).exit_code == 0
    bad = tmp_path / "bad.backup"
    if kind == "text":
        bad.write_text("article_id,claim_id\n1,2\n")
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "random":
        bad.write_bytes(bytes(range(256)) * 64)
    elif kind == "not ours":
        _not_ours(bad)
    elif kind == "from the future":
        _from_the_future(bad, good)
    else:
        _truncated(bad, good)
    before = snapshot(app)
    result = runner.invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert snapshot(app) == before
    assert not [p for p in tmp_path.rglob("*before-restore*")]


@pytest.mark.backend("sqlite")
def test_restore_asks_first(app, runner, desk, tmp_path):
    target = tmp_path / "desk.backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    with app.app_context():
        db.session.execute(sa.update(Verdict).values(source_note="Changed after the backup."))
        db.session.commit()
    before = snapshot(app)
    declined = runner.invoke(args=["restore", str(target)], input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output
    assert snapshot(app) == before
    accepted = runner.invoke(args=["restore", str(target)], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert snapshot(app) != before


@pytest.mark.backend("postgresql")
def test_backup_on_postgresql_names_pg_dump(app, runner, tmp_path):
    target = tmp_path / "desk.dump"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    name = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    assert "pg_dump --format=custom" in result.output and name in result.output
    assert "pg_restore" in result.output and "Traceback" not in result.output
    assert not target.exists()

    target.write_bytes(b"anything")
    refused = runner.invoke(args=["restore", str(target), "--yes"])
    assert refused.exit_code == 1 and "pg_restore --clean" in refused.output


def test_commands_hide_the_password():
    url = "postgresql+psycopg://desk:s3cret@db.example/annotator"
    for command in (backup.pg_dump_command(url, "x.dump"), backup.pg_restore_command(url, "x")):
        assert "s3cret" not in command and "postgresql://desk:***@db.example/annotator" in command


@pytest.mark.backend("postgresql")
def test_pg_dump_and_pg_restore_give_back_every_verdict_and_revision(
    app, desk, reviewer_client, admin_client, tmp_path
):
    before = snapshot(app, derived=False)
    target = tmp_path / "desk.dump"
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
        assert result.exit_code == 1 and "pg_dump" in result.output
        return
    # The very commands the backup command prints (no password on this test server).
    subprocess.run(backup.pg_dump_command(url, str(target)), shell=True, check=True)
    more_changes(app, reviewer_client, admin_client, desk["claims"])
    assert snapshot(app, derived=False) != before
    with app.app_context():
        db.engine.dispose()
    subprocess.run(backup.pg_restore_command(url, str(target)), shell=True, check=True,
                   capture_output=True)
    assert snapshot(app, derived=False) == before


def _integrity(database) -> str:
    with sqlite3.connect(database) as connection:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    connection.close()
    return result


@pytest.mark.backend("sqlite")
@pytest.mark.parametrize("spelling", ["absolute", "relative", "symlink", "hard link", "wal",
                                      "shm"])
def test_backup_refuses_the_live_database_and_its_files(
    app, runner, desk, tmp_path, monkeypatch, spelling
):
    """Written onto the live file (however it is named), a backup would be renamed over the
    database the servers have open: refused, nothing touched, even with --force."""
    database = database_file(app)
    with sqlite3.connect(database) as reader:  # the WAL and SHM exist while the app runs
        reader.execute("SELECT count(*) FROM verdict").fetchone()
        if spelling == "absolute":
            target = database
        elif spelling == "relative":
            monkeypatch.chdir(database.parent)
            target = Path("..") / database.parent.name / "." / database.name
        elif spelling == "symlink":
            target = tmp_path / "looks-harmless.sqlite"
            target.symlink_to(database)
        elif spelling == "hard link":
            target = tmp_path / "hard-link.sqlite"
            target.hardlink_to(database)
        else:
            target = database.with_name(f"{database.name}-{spelling}")
            assert target.exists()
        before = snapshot(app)
        result = runner.invoke(args=["backup", str(target), "--force"])
    reader.close()
    assert result.exit_code == 1, result.output
    assert "live database" in result.output and "Traceback" not in result.output
    assert snapshot(app) == before
    assert _integrity(database) == "ok"
    assert not [p for p in database.parent.iterdir() if p.name.endswith(".partial")]


@pytest.mark.backend("sqlite")
def test_restore_refuses_while_a_server_writes(app, runner, desk, tmp_path):
    """A connection in the middle of a write transaction (an app server saving) makes the
    restore refuse at once, saying what to do, and change nothing."""
    target = tmp_path / "desk.backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    database = database_file(app)
    before = snapshot(app)
    server = sqlite3.connect(database, isolation_level=None)
    try:
        server.execute("BEGIN IMMEDIATE")
        server.execute("UPDATE verdict SET source_note = 'A save in progress.'")
        started = time.monotonic()
        result = runner.invoke(args=["restore", str(target), "--yes"])
        waited = time.monotonic() - started
        server.execute("COMMIT")
    finally:
        server.close()
    assert result.exit_code == 1, result.output
    assert "in use" in result.output and "Stop the app servers" in result.output
    assert waited < backup.BUSY_TIMEOUT_S  # it did not sit out a whole busy timeout
    # The server's save was not lost and nothing was restored; no safety copy was left.
    after = snapshot(app)
    assert after != before
    with sqlite3.connect(database) as connection:
        notes = {note for (note,) in connection.execute("SELECT source_note FROM verdict")}
    connection.close()
    assert notes == {"A save in progress."}
    assert not [p for p in database.parent.iterdir() if ".before-restore-" in p.name]


@pytest.mark.backend("sqlite")
def test_restore_holds_the_write_lock_through_the_swap(app, runner, desk, tmp_path,
                                                       monkeypatch):
    """While the safety copy is made and the contents are swapped, no other connection can
    write: a save either lands before (kept in the safety copy) or after (in the restored
    database), never in between where it would be lost."""
    target = tmp_path / "desk.backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    database = database_file(app)
    attempts = []
    real_replace = backup._replace_contents

    def replace_while_someone_tries_to_write(connection):
        other = sqlite3.connect(database, timeout=0.2)
        try:
            other.execute("UPDATE verdict SET source_note = 'Lost in the swap?'")
            attempts.append("written")
        except sqlite3.OperationalError as error:
            attempts.append(str(error))
        finally:
            other.close()
        real_replace(connection)

    monkeypatch.setattr(backup, "_replace_contents", replace_while_someone_tries_to_write)
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert attempts == ["database is locked"]
    assert _integrity(database) == "ok"
