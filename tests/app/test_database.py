"""The database on either backend: SQLite's pragmas, foreign keys, migrations that match
the models (and backfill what they add), PostgreSQL through psycopg 3.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from annotator_testkit.hints import NEWS, fake_hints, stored
from sqlalchemy.exc import IntegrityError

from annotator.backup import known_revisions
from annotator.database import attach_migrations, finish_migrations
from annotator.extensions import db
from annotator.models import Article, Verdict
from annotator.services import claim_hints


@pytest.mark.backend("sqlite")  # PostgreSQL has neither pragmas nor a WAL switch
def test_sqlite_runs_with_foreign_keys_wal_and_busy_timeout(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_migrations_match_the_models(app):
    """The schema built by the migrations is exactly what models.py describes."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


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


def test_the_migration_backfills_hints_of_stored_claims(app, make_article, monkeypatch):
    """A database from before the hint columns gets them filled at the first start after
    ``db upgrade``: the migration imports no application code, it leaves a note."""
    from flask_migrate import downgrade, upgrade

    article = make_article(NEWS, "news.txt")
    attach_migrations(app)
    with app.app_context():
        db.session.remove()
        downgrade(revision="d9862bd2e766")
        monkeypatch.setattr(claim_hints, "hints_for_claims", fake_hints)
        upgrade()
        db.session.remove()
        assert claim_hints.backfill_pending()
        finish_migrations()
        assert not claim_hints.backfill_pending()
        db.session.remove()
    assert stored(app, article) == [
        (True, "Rubio", False, False, False, True),
        (False, None, True, True, False, False),
        (False, None, True, False, True, False),
        (False, None, False, False, False, False),
    ]
    with app.app_context():
        assert db.session.get(Article, article).boundary_version == 1
