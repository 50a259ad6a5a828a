"""Fixtures: a fresh app per test on tmp_path, its schema built by the real migrations.

The migrations run once per session into a template database file; each test gets its own
copy of that file, so every test starts from exactly what ``flask db upgrade`` produces.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import ARTICLE_TEXT, PASSWORD, TEST_SECRET, csrf_token, login  # noqa: F401
from werkzeug.security import generate_password_hash

from annotator import create_app
from annotator.extensions import db


def _config(db_path: Path, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
        "WTF_CSRF_ENABLED": False,
        "SEED_ON_START": False,
    }
    config.update(extra)
    return config


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """scrypt costs ~0.1 s per hash and per check; tests do not need that strength.

    Hashes stay real salted hashes (pbkdf2 with one round), so ``check_password`` works and
    no password is stored in the clear.
    """
    monkeypatch.setattr(
        "annotator.models.generate_password_hash",
        functools.partial(generate_password_hash, method="pbkdf2:sha256:1"),
        raising=False,
    )


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """A database file produced by running every migration on an empty database."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "annotator.sqlite"
    app = create_app(_config(path), instance_path=str(folder))
    with app.app_context():
        db.engine.dispose()  # closing the last connection folds the WAL into the file
    return path


@pytest.fixture
def make_app(tmp_path, migrated_template):
    """Build an app on a private copy of the migrated database, with extra settings."""

    def build(**extra):
        instance = tmp_path / "instance"
        instance.mkdir(exist_ok=True)
        target = instance / "annotator.sqlite"
        if not target.exists():
            shutil.copyfile(migrated_template, target)
        return create_app(_config(target, **extra), instance_path=str(instance))

    return build


@pytest.fixture
def app(make_app):
    app = make_app()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- factories -------------------------------------------------------------------------


@pytest.fixture
def make_user(app):
    """Create an account directly through the accounts service."""
    from annotator import accounts

    def create(username: str, role: str = "reviewer", password: str = PASSWORD, active=True):
        with app.app_context():
            user = accounts.create_user(username, password, role, actor=None)
            user.is_active = active
            db.session.commit()
            return user.id

    return create


@pytest.fixture
def make_article(app):
    """Import an article through the import service; returns its id."""
    from annotator.articles import import_blobs

    def create(text: str = ARTICLE_TEXT, name: str = "article.txt") -> int:
        with app.app_context():
            report = import_blobs([(name, text.encode())], actor=None)
            assert not report.refused, report.refused
            db.session.commit()
            return report.imported[0].id

    return create


@pytest.fixture
def claim_ids(app):
    """The ids of an article's claims in reading order."""
    import sqlalchemy as sa

    from annotator.models import Claim

    def ids(article_id: int) -> list[int]:
        with app.app_context():
            return list(
                db.session.scalars(
                    sa.select(Claim.id).where(Claim.article_id == article_id)
                    .order_by(Claim.position)
                )
            )

    return ids


class Auth:
    """Log test clients in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD):
        return login(self.client, username, password)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def admin_id(make_user):
    return make_user("editor", "admin")


@pytest.fixture
def reviewer_id(make_user, admin_id):
    return make_user("alice", "reviewer")


@pytest.fixture
def reviewer2_id(make_user, admin_id):
    return make_user("bob", "reviewer")


@pytest.fixture
def admin_client(app, admin_id):
    client = app.test_client()
    assert Auth(client).login("editor").status_code == 302
    return client


@pytest.fixture
def reviewer_client(app, reviewer_id):
    client = app.test_client()
    assert Auth(client).login("alice").status_code == 302
    return client


@pytest.fixture
def reviewer2_client(app, reviewer2_id):
    client = app.test_client()
    assert Auth(client).login("bob").status_code == 302
    return client


# --- query counting --------------------------------------------------------------------


@pytest.fixture
def count_queries(app):
    """Count the SQL statements sent to the database inside a ``with`` block.

        with count_queries() as queries:
            client.get("/")
        assert queries.count <= 6

    ``queries.count`` is final once the block ends; ``queries.statements`` lists them.
    """

    class Counter:
        def __init__(self):
            self.statements: list[str] = []

        @property
        def count(self) -> int:
            return len(self.statements)

    @contextlib.contextmanager
    def counting():
        counter = Counter()

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before_cursor_execute)

    return counting
