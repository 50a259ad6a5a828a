"""What the database must guarantee on either backend, and PostgreSQL's own start-up paths."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from annotator.backup import known_revisions
from annotator.extensions import db
from annotator.models import Article, Verdict


def test_foreign_keys_are_enforced(app, make_user):
    """SQLite needs its pragma for this; PostgreSQL always does it. Both must refuse."""
    alice = make_user("alice")
    with app.app_context():
        db.session.add(Verdict(claim_id=999_999, reviewer_id=alice, label="supported",
                               source_note="On a claim that does not exist."))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.backend("postgresql")
def test_the_app_talks_to_postgresql_through_psycopg3(app):
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        assert db.engine.dialect.driver == "psycopg"
        assert db.session.scalar(sa.text("SHOW server_encoding")) == "UTF8"


@pytest.mark.backend("postgresql")
def test_migration_commands_on_postgresql(make_app, new_database):
    url = new_database(empty=True)
    app = make_app(SQLALCHEMY_DATABASE_URI=url, AUTO_MIGRATE=False)
    runner = app.test_cli_runner()
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    head = known_revisions(os.path.join(app.root_path, "migrations"))[0]
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == head
        assert sa.inspect(db.engine).has_table("verdict_revision")


START = """
import sys
from annotator import create_app
from annotator.backup import known_revisions
from annotator.extensions import db
app = create_app({"SECRET_KEY": "k"}, instance_path=sys.argv[1])
with app.app_context():
    db.engine.dispose()
"""


@pytest.mark.backend("postgresql")
def test_app_servers_on_different_machines_migrate_and_seed_once(tmp_path, new_database):
    """No shared instance folder, so no shared file lock: the database serialises them."""
    url = new_database(empty=True).replace("postgresql+psycopg://", "postgresql://", 1)
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    env.update(DATABASE_URL=url)
    go = tmp_path / "go"
    instances = [tmp_path / f"server{i}" for i in range(3)]
    servers = [
        subprocess.Popen([sys.executable, "-c", START, str(instance), str(go)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for instance in instances
    ]
    deadline = time.monotonic() + 60
    while not all(instance.exists() for instance in instances) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # past their imports, into the wait
    go.touch()
    outputs = [server.communicate(timeout=120)[0] for server in servers]
    assert [server.returncode for server in servers] == [0] * len(servers), outputs

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                              poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            sources = connection.scalars(sa.select(Article.source)).all()
    finally:
        engine.dispose()
    assert len(sources) == len(set(sources)) > 0  # the seeds, exactly once
