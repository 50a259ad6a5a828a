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


def assert_derived_data_current(apps) -> None:
    """Every claim's stored desk rank is what its verdicts and decision say, and the
    Progress page's tallies are what a count from scratch says: whatever a test did
    through the services, the session kept them current. ``apps`` share one database.
    Not checked when the apps were set (or changed) to different REVIEWS_PER_CLAIM, or a
    test removed or broke its database on purpose."""
    from annotator.services import desk_ranks, progress_tallies

    settings = {app.config["REVIEWS_PER_CLAIM"] for app in apps}
    if len(settings) != 1:
        return
    stale, tallies = [], None
    with apps[0].app_context():
        try:
            if desk_ranks.computed_for() in settings:
                stale = desk_ranks.stale_ranks()
            if progress_tallies.tallied_for() in settings:
                tallies = progress_tallies.stored(), progress_tallies.from_scratch()
        except sa.exc.DBAPIError:
            return
        finally:
            db.session.remove()
    assert not stale, f"claims with a stale desk rank: {stale}"
    if tallies is not None:
        stored, counted = tallies
        assert stored == counted, f"progress tallies {stored}, counted from scratch {counted}"


def check_queue_frontiers(monkeypatch) -> None:
    """Make every queue look in this test check the frontier it started from: looked for
    again from the very first claim, the queue's first claim is never before the one found
    from the remembered frontier (equal, unless a reviewer judged one meanwhile). So every
    test that moves claims and then asks the queue checks that the move wrote a new epoch
    when it had to (``services.queue_frontier``). Not checked when the epoch changed
    during the look."""
    from annotator.services import queue_frontier, review_queue

    remembered_look = review_queue._serving_params

    def checked_look(reviewer):
        epoch = queue_frontier.current_epoch()
        params = remembered_look(reviewer)
        fresh = db.session.execute(review_queue._first_in_queue(), {
            **params, "from_article": 0, "from_position": 0}).first()
        if queue_frontier.current_epoch() != epoch:
            return params  # a change committed meanwhile (tests of concurrent requests)
        fresh = queue_frontier.PAST_EVERY_CLAIM if fresh is None else tuple(fresh)
        served_from = (params["from_article"], params["from_position"])
        assert served_from <= tuple(fresh), (
            f"the queue of reviewer {reviewer.id} started at {served_from}, after the "
            f"claim at {tuple(fresh)}: a change that put it back in the queue kept the epoch")
        return params

    monkeypatch.setattr(review_queue, "_serving_params", checked_look)
