"""First start on an empty instance: schema, secret key, seeds, setup page; settings order."""

from __future__ import annotations

import os
import stat

import databases
import pytest
import sqlalchemy as sa
from helpers import PASSWORD

from annotator import create_app
from annotator.extensions import db
from annotator.models import Article, Claim, User


@pytest.fixture
def clean_env(monkeypatch):
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


def test_first_visitor_creates_the_admin(tmp_path, first_start_env):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SEED_ON_START": False},
                     instance_path=str(tmp_path))
    client = app.test_client()
    for path in ("/", "/login", "/admin/users", "/export/verdicts.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == "/setup"

    page = client.get("/setup").get_data(as_text=True)
    assert "Create admin account" in page

    mismatch = client.post("/setup", data={"username": "chief", "password": PASSWORD,
                                           "confirm": PASSWORD + "x"})
    assert mismatch.status_code == 200
    short = client.post("/setup", data={"username": "chief", "password": "short",
                                        "confirm": "short"})
    assert "at least 10 characters" in short.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0

    done = client.post("/setup", data={"username": "chief", "password": PASSWORD,
                                       "confirm": PASSWORD})
    assert done.status_code == 302
    assert client.get("/").status_code == 200  # logged in as the new admin
    with app.app_context():
        admin = db.session.scalar(sa.select(User))
        assert (admin.username, admin.role, admin.is_active) == ("chief", "admin", True)
        assert admin.password_hash != PASSWORD and admin.check_password(PASSWORD)

    # Setup is closed for good: a second visitor cannot create another admin.
    other = app.test_client()
    assert other.get("/setup").headers["Location"] == "/login"
    other.post("/setup", data={"username": "intruder", "password": PASSWORD, "confirm": PASSWORD})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    with app.app_context():
        db.engine.dispose()


def test_settings_order(tmp_path, clean_env):
    """Defaults < instance/config.py < environment < test mapping."""
    (tmp_path / "config.py").write_text("PAGE_SIZE = 7\nMIN_PASSWORD_LENGTH = 12\n"
                                        "SOURCE_NOTE_MAX_LENGTH = 100\n")
    clean_env.setenv("FLASK_MIN_PASSWORD_LENGTH", "14")
    clean_env.setenv("FLASK_SOURCE_NOTE_MAX_LENGTH", "200")
    clean_env.setenv("SECRET_KEY", "from-the-environment")
    app = create_app({"SOURCE_NOTE_MAX_LENGTH": 300, "AUTO_MIGRATE": False},
                     instance_path=str(tmp_path))
    assert app.config["PAGE_SIZE"] == 7
    assert app.config["MIN_PASSWORD_LENGTH"] == 14
    assert app.config["SOURCE_NOTE_MAX_LENGTH"] == 300
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


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


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_postgres_urls_use_psycopg3(given, expected):
    from annotator.settings import normalise_database_url

    assert normalise_database_url(given) == expected


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
