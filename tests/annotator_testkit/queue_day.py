"""The reviewer's day at the queue: the desk's queue order, the day skips hold for, where
the queue sends a client.

    set_queue_order(app, "newest", admin_id)
    pin_today(monkeypatch, dt.date(2026, 3, 2))
    assert next_in_queue(client) == f"/claims/{claim_id}"
"""

from __future__ import annotations

import datetime as dt

from annotator.extensions import db
from annotator.models import Article, User
from annotator.services import queue_order, skips
from annotator.text.timestamps import utcnow


def set_queue_order(app, value: str, admin_id: int) -> None:
    """Choose the desk's queue order through the service, as the settings page does."""
    with app.app_context():
        queue_order.set_queue_order(value, db.session.get(User, admin_id))
        db.session.commit()


def pin_today(monkeypatch, day: dt.date) -> None:
    """Make ``day`` the UTC day skips are recorded for and hold on."""
    monkeypatch.setattr(skips, "utc_today", lambda: day)


def next_in_queue(client, query: str = "") -> str:
    """Where opening My queue sends ``client`` (a claim page, or the Articles page)."""
    response = client.get(f"/queue{query}")
    assert response.status_code == 302, response.status_code
    return response.location


def archive(app, article_id: int) -> None:
    """Mark the article archived directly (the archive service is not the queue's)."""
    with app.app_context():
        db.session.get(Article, article_id).archived_at = utcnow()
        db.session.commit()
