"""The settings a test app starts with, and closing an app's pooled connections."""

from __future__ import annotations

from annotator.extensions import db
from annotator_testkit.constants import TEST_SECRET


def app_settings(database_url: str, **extra) -> dict:
    """Settings for a test app on ``database_url``: CSRF off, no seeds; ``extra`` wins."""
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
