"""The settings a test app starts with, and closing an app's pooled connections."""

from __future__ import annotations

import sqlalchemy as sa

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


def assert_desk_ranks_current(apps) -> None:
    """Every claim's stored desk rank is what its verdicts and decision say: whatever a
    test did through the services, the session kept the ranks current. ``apps`` share
    one database. Not checked when the apps were set (or changed) to different
    REVIEWS_PER_CLAIM, or a test removed or broke its database on purpose."""
    from annotator.services import desk_ranks

    settings = {app.config["REVIEWS_PER_CLAIM"] for app in apps}
    if len(settings) != 1:
        return
    with apps[0].app_context():
        try:
            if desk_ranks.computed_for() not in settings:
                return
            stale = desk_ranks.stale_ranks()
        except sa.exc.DBAPIError:
            return
        finally:
            db.session.remove()
    assert not stale, f"claims with a stale desk rank: {stale}"
