"""What an app server loads when it starts on a database already at the newest schema:
no Alembic, no command-line modules; and the migration heads read without Alembic agree
with Alembic's."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from alembic.script import ScriptDirectory

from annotator.database import migration_heads, migrations_folder


def test_migration_heads_read_from_the_files_are_alembics(app):
    folder = migrations_folder(app)
    assert migration_heads(folder) == frozenset(ScriptDirectory(folder).get_heads())


def test_migration_heads_of_a_branching_history(tmp_path):
    """Two heads off one parent, a merge of a tuple of parents, typed assignments."""
    versions = tmp_path / "versions"
    versions.mkdir()
    files = {
        "a.py": "revision = 'aaa'\ndown_revision = None\n",
        "b.py": "revision: str = 'bbb'\ndown_revision: str | None = 'aaa'\n",
        "c.py": 'revision = "ccc"\ndown_revision = "aaa"\n',
        "d.py": "revision = 'ddd'\ndown_revision = ('bbb', 'ccc')\n",
        "e.py": "revision = 'eee'\ndown_revision = 'ccc'\n",
    }
    for name, text in files.items():
        (versions / name).write_text('"""A migration."""\n' + text)
    assert migration_heads(str(tmp_path)) == {"ddd", "eee"}


def test_no_migration_files_means_no_heads(tmp_path):
    (tmp_path / "versions").mkdir()
    assert migration_heads(str(tmp_path)) == frozenset()


_PROBE = """
import json, sys
from annotator import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SEED_ON_START": False},
                 instance_path=sys.argv[2])
with app.app_context():
    from annotator.extensions import db
    import sqlalchemy as sa
    version = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
print(json.dumps({"version": version,
                  "loaded": sorted(m for m in ("alembic", "flask_migrate", "annotator.cli",
                                                "annotator.backup", "annotator.text.splitting",
                                                "pysbd") if m in sys.modules)}))
"""


def _start(database_url: str, instance: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, database_url, instance],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.backend("sqlite")
def test_a_server_at_the_newest_schema_loads_neither_alembic_nor_the_commands(
        app, tmp_path):
    """Nor the splitter and pySBD: the first import or boundary change loads them."""
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    head, = migration_heads(migrations_folder(app))
    first = _start(url, str(tmp_path))  # a fresh database: migrated at start
    assert first["version"] == head
    assert "alembic" in first["loaded"]
    again = _start(url, str(tmp_path))  # the next start: nothing to migrate
    assert again == {"version": head, "loaded": []}


def test_the_commands_are_there_when_a_command_line_asks(runner):
    listed = runner.invoke(args=["--help"])
    assert listed.exit_code == 0, listed.output
    for command in ("import", "export-csv", "create-user", "db"):
        assert f"  {command}" in listed.output
    current = runner.invoke(args=["db", "current"])
    assert current.exit_code == 0, current.output


def test_no_database_connection_outlives_the_start(app):
    """A server that forks its workers after loading the app (preload_app in
    deploy/gunicorn.conf.py) must not hand one open connection to several processes."""
    from annotator.extensions import db

    with app.app_context():
        assert db.engine.pool.checkedin() == 0
        assert db.engine.pool.checkedout() == 0
