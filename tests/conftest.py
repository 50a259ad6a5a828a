"""Fixtures: a fresh app per test, its schema built by the real migrations.

The migrations run once per session into a template database; each test gets its own copy
of it, so every test starts from exactly what ``flask db upgrade`` produces. On SQLite the
template is a file copied into the test's ``tmp_path``; with ``ANNOTATOR_TEST_DATABASE_URL``
set (see ``databases.py``) it is a PostgreSQL database cloned with ``CREATE DATABASE ...
TEMPLATE`` and dropped after the test.

The shared fixtures live here: apps (``app``, ``make_app``, ``csrf_app``), role clients
(``admin_client``, ``reviewer_client``, ``reviewer2_client``, ``client_for``), factories
(``make_user``, ``make_article``, ``make_verdict``, ``hide_claim``, ``article``,
``claims``, ``alice_verdict``), ``count_queries``, and the clean environments of a first
start. Plain helpers (``save``, ``snapshot``, ``PASSWORD``...) are in the
``annotator_testkit`` package.

Tests that only make sense on one backend carry ``@pytest.mark.backend("sqlite")`` (or
``"postgresql"``) and are deselected, not skipped, on the other one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import time

import pytest
import sqlalchemy as sa
from annotator_testkit import databases
from annotator_testkit.apps import (
    app_settings,
    assert_derived_data_current,
    check_queue_frontiers,
    dispose,
)
from annotator_testkit.constants import ARTICLE_TEXT, PASSWORD
from annotator_testkit.web import login, save
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


@pytest.fixture(autouse=True)
def queue_frontiers_checked(monkeypatch):
    check_queue_frontiers(monkeypatch)


@pytest.fixture(autouse=True)
def login_clock_inside_one_window(monkeypatch):
    """Login limits count in minute and hour windows and weigh the previous window by how
    much of it is left (a sliding window): a test that crossed a window's edge would see
    one attempt more get through. Each test's limiter clock runs from one second into an
    hour, so a test's attempts share their windows."""
    from annotator.web import rate_limits

    started = time.time()
    next_hour = (started // 3600 + 1) * 3600 + 1
    monkeypatch.setattr(rate_limits, "clock", lambda: next_hour + time.time() - started)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A database produced by running every migration on an empty database.

    On SQLite the ``Path`` of the file; on PostgreSQL the name of the template database
    (dropped at the end of the session).
    """
    folder = tmp_path_factory.mktemp("template")
    if BACKEND == "sqlite":
        path = folder / "annotator.sqlite"
        dispose(create_app(app_settings(f"sqlite:///{path}"), instance_path=str(folder)))
        yield path
        return
    url = databases.create_database(prefix="annot_template")
    try:
        dispose(create_app(app_settings(url), instance_path=str(folder)))
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
        app = create_app(app_settings(database_url, **extra), instance_path=str(instance))
        built.append(app)
        return app

    yield build
    try:
        if built:
            assert_derived_data_current(built)
    finally:
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


@pytest.fixture
def make_verdict(app):
    """Store a verdict directly (no form, no revision, no audit event); returns its id.

    ``fields`` sets any other column (``source_url``, ``moderated_by_id``...).
    """
    from annotator.models import Verdict

    def create(claim_id: int, reviewer_id: int, label: str = "supported",
               note: str = "n", state: str = "pending", **fields) -> int:
        with app.app_context():
            verdict = Verdict(claim_id=claim_id, reviewer_id=reviewer_id, label=label,
                              source_note=note, moderation_state=state, **fields)
            db.session.add(verdict)
            db.session.commit()
            return verdict.id

    return create


@pytest.fixture
def hide_claim(app):
    """Hide a claim directly (no admin action, no audit event)."""
    from annotator.models import Claim

    def hide(claim_id: int) -> None:
        with app.app_context():
            db.session.get(Claim, claim_id).status = "hidden"
            db.session.commit()

    return hide


@pytest.fixture
def article_text():
    """(text, file name) of the ``article`` fixture; a module overrides this fixture to
    work on another article (the boundary tests use ``PLAN_TEXT``)."""
    return ARTICLE_TEXT, "article.txt"


@pytest.fixture
def article(make_article, article_text):
    """The id of one imported article (by default ``ARTICLE_TEXT``: three claims)."""
    return make_article(*article_text)


@pytest.fixture
def claims(article, claim_ids):
    """The ids of ``article``'s claims in reading order."""
    return claim_ids(article)


# --- accounts and their clients --------------------------------------------------------


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
def client_for(app):
    """A new test client logged in through the login form as ``username``."""

    def logged_in(username: str, password: str = PASSWORD, on=None):
        client = (on or app).test_client()
        assert login(client, username, password).status_code == 302
        return client

    return logged_in


@pytest.fixture
def admin_client(client_for, admin_id):
    return client_for("editor")


@pytest.fixture
def reviewer_client(client_for, reviewer_id):
    return client_for("alice")


@pytest.fixture
def reviewer2_client(client_for, reviewer2_id):
    return client_for("bob")


@pytest.fixture
def alice_verdict(app, claims, reviewer_client, reviewer_id):
    """The id of alice's pending verdict on the first claim (version 1)."""
    from annotator_testkit.rows import verdict_id_of

    save(reviewer_client, claims[0], "supported", "ALICE-NOTE", expect=302)
    return verdict_id_of(app, claims[0], reviewer_id)


@pytest.fixture
def csrf_app(make_app):
    """An app with CSRF protection on, on the same database as ``app``."""
    return make_app(WTF_CSRF_ENABLED=True)


# --- a first start -----------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch):
    """No DATABASE_URL, SECRET_KEY or FLASK_* setting of the machine reaches the app."""
    for name in ("DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name in list(os.environ):
        if name.startswith("FLASK_") and name not in ("FLASK_APP",):
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture
def first_start_env(clean_env, new_database):
    """An environment with no database yet: on SQLite the app makes its file in the instance
    folder; on PostgreSQL ``DATABASE_URL`` names a new empty database, written the way an
    operator would (``postgresql://``, no driver)."""
    if databases.backend() == "postgresql":
        url = new_database(empty=True).replace("postgresql+psycopg://", "postgresql://", 1)
        clean_env.setenv("DATABASE_URL", url)
    return clean_env


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
