"""Fixtures: a fresh app per test, its schema built by the real migrations.

The migrations run once per session into a template database; each test gets its own copy
of it, so every test starts from exactly what ``flask db upgrade`` produces. On SQLite the
template is a file copied into the test's ``tmp_path``; with ``ANNOTATOR_TEST_DATABASE_URL``
set (see ``databases.py``) it is a PostgreSQL database cloned with ``CREATE DATABASE ...
TEMPLATE`` and dropped after the test.

Tests that only make sense on one backend carry ``@pytest.mark.backend("sqlite")`` (or
``"postgresql"``) and are deselected, not skipped, on the other one.
"""

from __future__ import annotations

import contextlib
import functools
import shutil

import databases
import pytest
import sqlalchemy as sa
from helpers import ARTICLE_TEXT, PASSWORD, TEST_SECRET, csrf_token, login  # noqa: F401
from werkzeug.security import generate_password_hash

from annotator import create_app
from annotator.extensions import db

BACKEND = databases.backend()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "backend(name): the test applies to one database backend only (sqlite or postgresql); "
        "it is deselected when the suite runs on the other one",
    )


def pytest_collection_modifyitems(config, items):
    """Deselect the tests written for the other backend (``-ra`` lists them as deselected)."""
    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker("backend")
        if marker is not None and BACKEND not in marker.args:
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_report_header(config):
    if BACKEND == "postgresql":
        url = databases.server_url().render_as_string(hide_password=True)
        return f"database backend: postgresql ({url})"
    return "database backend: sqlite"


def _config(database_url: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SEED_ON_START": False,
    }
    config.update(extra)
    return config


def dispose(app) -> None:
    """Close the app's pooled connections (a PostgreSQL database cannot be dropped or
    copied while they are open; SQLite folds its WAL into the file on the last close)."""
    with app.app_context():
        db.engine.dispose()


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
def migrated_template(tmp_path_factory):
    """A database produced by running every migration on an empty database.

    On SQLite the ``Path`` of the file; on PostgreSQL the name of the template database
    (dropped at the end of the session).
    """
    folder = tmp_path_factory.mktemp("template")
    if BACKEND == "sqlite":
        path = folder / "annotator.sqlite"
        dispose(create_app(_config(f"sqlite:///{path}"), instance_path=str(folder)))
        yield path
        return
    url = databases.create_database(prefix="annot_template")
    try:
        dispose(create_app(_config(url), instance_path=str(folder)))
        yield databases.database_name(url)
    finally:
        databases.drop_database(url)


@pytest.fixture
def new_database(tmp_path, migrated_template):
    """Make private copies of the migrated database; each call returns a new one's URL.

    ``new_database(empty=True)`` gives a database without any table instead (a first
    start). PostgreSQL databases are dropped when the test ends.
    """
    created: list[str] = []

    def make(empty: bool = False, name: str = "annotator.sqlite") -> str:
        if BACKEND == "sqlite":
            target = tmp_path / "databases" / f"{len(created)}-{name}"
            target.parent.mkdir(exist_ok=True)
            if not empty:
                shutil.copyfile(migrated_template, target)
            url = f"sqlite:///{target}"
        else:
            url = databases.create_database(template=None if empty else migrated_template)
        created.append(url)
        return url

    yield make
    if BACKEND == "postgresql":
        for url in created:
            databases.drop_database(url)


@pytest.fixture(scope="session")
def _reused_database(migrated_template):
    """PostgreSQL only: one copy of the template that every test empties and reuses.

    Copying a database costs ~0.3 s (PostgreSQL copies its catalogs too); emptying every
    table costs ~0.04 s, and ``RESTART IDENTITY`` gives each test the ids a fresh database
    would.
    """
    url = databases.create_database(template=migrated_template, prefix="annot_test")
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            tables = conn.scalars(sa.text(
                "SELECT quote_ident(tablename) FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
            )).all()
        yield url, engine, "TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"
    finally:
        engine.dispose()
        databases.drop_database(url)


def _empty_reused_database(reused) -> str:
    url, engine, truncate = reused
    with engine.begin() as conn:
        # A connection a failed test left open could hold locks the TRUNCATE would wait on.
        conn.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ))
        conn.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
        conn.execute(sa.text(truncate))
    return url


@pytest.fixture
def database_url(request, tmp_path, migrated_template):
    """The URL of this test's database, migrated and empty: every app ``make_app`` builds
    shares it."""
    if BACKEND == "sqlite":
        # Beside the app's instance files, where the app itself would put it.
        instance = tmp_path / "instance"
        instance.mkdir(exist_ok=True)
        target = instance / "annotator.sqlite"
        shutil.copyfile(migrated_template, target)
        return f"sqlite:///{target}"
    return _empty_reused_database(request.getfixturevalue("_reused_database"))


@pytest.fixture
def make_app(tmp_path, database_url):
    """Build an app on this test's private copy of the migrated database, with extra
    settings; every app built is closed when the test ends."""
    built = []

    def build(**extra):
        instance = tmp_path / "instance"
        instance.mkdir(exist_ok=True)
        app = create_app(_config(database_url, **extra), instance_path=str(instance))
        built.append(app)
        return app

    yield build
    for app in built:
        dispose(app)


@pytest.fixture
def app(make_app):
    return make_app()


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
    from annotator.services import accounts

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
    from annotator.services.article_import import import_blobs

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
