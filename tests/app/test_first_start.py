"""First start on an empty database: schema, secret key and seeds, once; a database named
by ``DATABASE_URL``; several servers starting together on PostgreSQL.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from annotator_testkit import databases

from annotator import create_app
from annotator.extensions import db
from annotator.models import Article, Claim


def _has_schema(app) -> bool:
    with app.app_context():
        return sa.inspect(db.engine).has_table("verdict")


def _articles(app):
    with app.app_context():
        rows = db.session.execute(
            sa.select(Article.source, Article.published_on, sa.func.count(Claim.id))
            .join(Claim).group_by(Article.id).order_by(Article.source)
        )
        return [(source, str(date) if date else None, count) for source, date, count in rows]


def test_first_start_creates_everything(tmp_path, first_start_env):
    instance = tmp_path / "instance"
    app = create_app({"TESTING": True}, instance_path=str(instance))

    assert _has_schema(app)
    # The README's promise for the embedded default: the database lives in the instance folder.
    sqlite_file = instance / "annotator.sqlite"
    assert sqlite_file.exists() == (databases.backend() == "sqlite")
    key_file = instance / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(app.config["SECRET_KEY"]) >= 64

    assert _articles(app) == [
        ("000_5298dac2f517366a.txt", None, 18),
        ("004_b6295adf8f330b18.txt", "2025-04-03", 11),
    ]

    # A second start reuses the key and the data: nothing is imported twice.
    again = create_app({"TESTING": True}, instance_path=str(instance))
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    assert len(_articles(again)) == 2
    with app.app_context():
        db.engine.dispose()
    with again.app_context():
        db.engine.dispose()


def test_database_url_from_environment(tmp_path, clean_env, new_database):
    """A SQLite file elsewhere, or a PostgreSQL database: nothing lands in the instance."""
    target = new_database(empty=True, name="elsewhere.sqlite")
    clean_env.setenv("DATABASE_URL", target)
    app = create_app({"SEED_ON_START": False}, instance_path=str(tmp_path / "instance"))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == target
    assert not (tmp_path / "instance" / "annotator.sqlite").exists()
    assert _has_schema(app)
    with app.app_context():
        db.engine.dispose()


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
