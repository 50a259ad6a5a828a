"""First start: create or upgrade the schema, then import the seed articles once."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from .extensions import db


@contextmanager
def _instance_lock(app: Flask, name: str):
    """Serialise start-up work between processes that share this instance folder
    (several gunicorn workers starting at once must not migrate twice)."""
    os.makedirs(app.instance_path, exist_ok=True)
    with open(os.path.join(app.instance_path, name), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def schema_exists() -> bool:
    """Tell whether migrations have ever run on the configured database."""
    return sa.inspect(db.engine).has_table("alembic_version")


def prepare_database(app: Flask) -> None:
    """Bring the schema to the newest migration; seed a database that was just created."""
    with app.app_context(), _instance_lock(app, ".startup.lock"):
        fresh = not schema_exists()
        upgrade(directory=os.path.join(app.root_path, "migrations"))
        if fresh and app.config["SEED_ON_START"]:
            from .articles import import_folder

            seed_dir = Path(app.config["SEED_DIR"])
            if seed_dir.is_dir():
                report = import_folder(seed_dir, actor=None)
                app.logger.info("Imported %d seed articles", len(report.imported))
            else:
                app.logger.warning("No seed folder at %s; starting without articles", seed_dir)
        db.session.remove()
