"""An import request can never get its worker killed: reading and splitting its files runs
in a child process that is killed at IMPORT_TIME_LIMIT_SECONDS. The answer is our own page
(422, security headers) naming each file not done, and nothing of those files is written.

The slow splitter is a stand-in, ``slow_prepare`` below: the child process imports it from
this module by name (a fork-server child does not see a monkeypatched function body, only
the name it is given).
"""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from annotator_testkit.apps import dispose
from annotator_testkit.constants import ARTICLE_TEXT
from annotator_testkit.rows import audit_events
from annotator_testkit.web import login, upload

from annotator.extensions import db
from annotator.models import Article, Claim
from annotator.services import article_import

LIMIT_S = 2
# What a stuck splitter would take; far beyond any limit the test could wait for.
STUCK_S = 120
GOOD = ARTICLE_TEXT.encode()
STUCK = b"This text makes the stand-in splitter hang. It never ends."


def slow_prepare(task):
    """Run in the child process: hang on the file marked STUCK, prepare the others."""
    if task[1] == STUCK:
        time.sleep(STUCK_S)
    return article_import._prepare_task(task)


def _counts(app):
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count(Article.id))),
                db.session.scalar(sa.select(sa.func.count(Claim.id))))


@pytest.fixture
def limited_admin(make_app, admin_id, monkeypatch):
    """(logged-in admin client, app) on an app whose imports are limited to LIMIT_S and
    whose splitter hangs on STUCK; the app is disposed after the test."""
    monkeypatch.setattr(article_import, "prepare_task", slow_prepare)
    app = make_app(IMPORT_TIME_LIMIT_SECONDS=LIMIT_S)
    try:
        client = app.test_client()
        assert login(client, "editor").status_code == 302
        yield client, app
    finally:
        dispose(app)


def test_an_import_over_the_time_limit_answers_our_page_and_writes_nothing_of_it(
    limited_admin,
):
    client, app = limited_admin
    events = audit_events(app)
    started = time.monotonic()
    response = upload(client, [("stuck.txt", STUCK)])
    took = time.monotonic() - started
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # Within the limit plus starting a child; far below the stand-in's STUCK_S.
    assert took < STUCK_S / 4, took
    assert "stuck.txt: could not be read and split within the 2 s" in html
    assert "flask --app annotator import" in html
    assert "0 imported, 0 already present, 1 refused" in html
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"
    assert _counts(app) == (0, 0)
    assert audit_events(app) == events


def test_files_done_in_time_are_imported_and_the_stuck_one_is_refused(limited_admin):
    client, app = limited_admin
    response = upload(client, [("good.txt", GOOD), ("stuck.txt", STUCK),
                               ("after.txt", b"Never reached. The limit is spent.")])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "1 imported, 0 already present, 2 refused" in html
    assert "stuck.txt: could not be read and split" in html
    assert "after.txt: could not be read and split" in html
    with app.app_context():
        assert db.session.scalars(sa.select(Article.source)).all() == ["good.txt"]


def test_an_import_within_the_limit_goes_through_the_child_process(make_app, admin_id):
    """The real splitter, in the child process: the article and its hints come back whole."""
    app = make_app(IMPORT_TIME_LIMIT_SECONDS=60)
    try:
        client = app.test_client()
        assert login(client, "editor").status_code == 302
        response = upload(client, [("good.txt", GOOD)])
        assert response.status_code == 200
        assert "1 imported" in response.get_data(as_text=True)
        assert _counts(app) == (1, 3)
    finally:
        dispose(app)
