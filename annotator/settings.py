"""Settings, applied in a fixed order: defaults, instance/config.py, environment, test mapping."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

from flask import Flask

from annotator.database import make_sqlite_file_private

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    # None means: read instance/secret_key, creating it on first start.
    "SECRET_KEY": None,
    # None means: SQLite file in the instance folder.
    "SQLALCHEMY_DATABASE_URI": None,
    # Create/upgrade the schema when the app starts, so nothing has to be run by hand first.
    "AUTO_MIGRATE": True,
    # Import the sample articles when the database is created.
    "SEED_ON_START": True,
    "SEED_DIR": str(PROJECT_ROOT / "seeds"),
    # Whole request (an upload of several files) and single article file.
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    "MAX_ARTICLE_BYTES": 1024 * 1024,
    # A long feature has a few hundred sentences; thousands mean a wrong file.
    "MAX_CLAIMS_PER_ARTICLE": 2000,
    # The longest a web import may spend reading and splitting its files, in a child
    # process killed when over time: well under gunicorn's timeout (deploy/gunicorn.conf.py), so
    # no upload can get a worker killed; the files not done are refused, nothing of them
    # is written. The command-line import has no such limit.
    "IMPORT_TIME_LIMIT_SECONDS": 20,
    "SOURCE_NOTE_MAX_LENGTH": 5000,
    "MODERATION_REASON_MAX_LENGTH": 2000,
    # How many independent verdicts each claim needs (verdicts whose authors had seen no
    # one else's): the queue stops serving a claim once it has them, and the desk counts
    # a claim as waiting until then. FLASK_REVIEWS_PER_CLAIM=3 in the environment.
    "REVIEWS_PER_CLAIM": 2,
    # The public rationale of a final verdict, and how many source URLs it may list.
    "RATIONALE_MAX_LENGTH": 5000,
    "FINAL_SOURCES_MAX": 20,
    "MIN_PASSWORD_LENGTH": 10,
    "PAGE_SIZE": 50,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # True behind HTTPS (FLASK_SESSION_COOKIE_SECURE=true); the remember cookie follows it.
    "SESSION_COOKIE_SECURE": False,
    # How long a login lasts, in seconds: a working day. The signed session cookie is
    # refused once it is older than this (counted from the last time it was written,
    # at the latest the login), and the browser drops it when it closes. Flask's
    # default was 31 days. The remember cookie (unused by the login form) follows it.
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    "REMEMBER_COOKIE_DURATION": 12 * 3600,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": None,
    # How many reverse proxies in front may set X-Forwarded-For/-Proto. 0 trusts none, so a
    # client cannot pick the address its login attempts are counted under.
    "PROXY_HOPS": 0,
    # Refused login attempts per client address: generous, since a whole newsroom may share
    # one address behind a NAT and their typos add up. Successful logins never count.
    "LOGIN_LIMITS_PER_ADDRESS": "30 per minute; 300 per hour",
    # Refused login attempts per username, from any address: guessing one password stays
    # slow even from many addresses; a name stays locked only until the failures that locked
    # it are a minute (or an hour) old.
    "LOGIN_LIMITS_PER_USERNAME": "10 per minute; 100 per hour",
    "SETUP_LIMITS_PER_ADDRESS": "10 per minute; 100 per hour",
    "PASSWORD_CHANGE_LIMITS_PER_ACCOUNT": "10 per minute; 100 per hour",
    # The counts live in the database (table login_attempt_count), shared by every worker
    # and every app server on it: no separate server to run.
    "RATELIMIT_ENABLED": True,
    # Forms stay valid for a whole working day: a reviewer may write a long note.
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    "SQLALCHEMY_ENGINE_OPTIONS": {},
}


def configure(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` in the documented order and derive what was left unset."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    _from_environment(app)
    if test_config is not None:
        app.config.from_mapping(test_config)

    create_private_instance_folder(app.instance_path)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        path = os.path.join(app.instance_path, "annotator.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    make_sqlite_file_private(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    if app.config["REMEMBER_COOKIE_SECURE"] is None:
        app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]


# The instance folder holds the database, its backups and the secret key: only the
# service user may list or open anything in it.
INSTANCE_FOLDER_MODE = 0o700


def create_private_instance_folder(instance_path: str) -> None:
    """Create the instance folder with mode 0700, and close one an earlier version left
    open to group and others (when it is ours to change)."""
    os.makedirs(instance_path, mode=INSTANCE_FOLDER_MODE, exist_ok=True)
    with suppress(PermissionError):
        if os.stat(instance_path).st_mode & 0o077:
            os.chmod(instance_path, INSTANCE_FOLDER_MODE)


def _from_environment(app: Flask) -> None:
    """Read ``DATABASE_URL``, ``SECRET_KEY`` and every ``FLASK_*`` variable."""
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    # FLASK_SEED_ON_START=false, FLASK_PAGE_SIZE=100: values are parsed as JSON when possible.
    app.config.from_prefixed_env()


def normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs at psycopg 3, the driver this project installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _write_exclusive(path: str, source: str) -> None:
    """Copy ``source`` to a new file at ``path`` (mode 600) unless ``path`` exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle, open(source) as key:
        handle.write(key.read())


def load_or_create_secret_key(instance_path: str) -> str:
    """Return the key in ``instance/secret_key``, creating it (mode 600) the first time."""
    create_private_instance_folder(instance_path)
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        # Write the whole key to a private temporary file, then link it into place: link
        # fails if the name exists, so of several workers starting at once exactly one
        # key wins, and nobody ever reads a half-written file.
        fd, temporary = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o600)
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
            except OSError:
                # No hard links on this filesystem: O_EXCL still lets only one writer
                # create the file (another worker may briefly read it empty; see below).
                _write_exclusive(path, temporary)
        finally:
            os.unlink(temporary)
    key = ""
    for _ in range(50):  # a worker without hard links may still be writing the key
        with open(path) as handle:
            key = handle.read().strip()
        if key:
            break
        time.sleep(0.02)
    if not key:
        raise RuntimeError(f"{path} is empty; delete it to have a new key generated")
    return key
