"""Importing articles on /admin/import: the report per file, file names reduced to a base
name, the size limits and their 413 answers. Hostile files: ``security/test_hostile_input.py``.
"""

from __future__ import annotations

import gc
import warnings

import pytest
import sqlalchemy as sa
from annotator_testkit.apps import dispose
from annotator_testkit.constants import ARTICLE_TEXT
from annotator_testkit.rows import audit_events, new_audit_events
from annotator_testkit.web import login, upload
from werkzeug.exceptions import RequestEntityTooLarge

from annotator.extensions import db
from annotator.models import Article, Claim

LIMIT = 300


BATCH = [
    ("good.txt", ARTICLE_TEXT.encode()),
    ("copy-of-good.txt", ARTICLE_TEXT.encode()),
    ("empty.txt", b""),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
    ("latin1.txt", "Le café a fermé. Les prix ont augmenté.\n".encode("latin-1")),
    ("big.txt", b"Prices rose again this year. " * 20),
]


def test_import_upload_reports_each_file(make_app, admin_id):
    assert len(BATCH[-1][1]) > LIMIT >= len(ARTICLE_TEXT.encode())
    small = make_app(MAX_ARTICLE_BYTES=LIMIT)
    try:
        client = small.test_client()
        assert login(client, "editor").status_code == 302
        before = audit_events(small)
        response = upload(client, BATCH)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "1 imported, 1 already present, 4 refused" in html
        assert "(3 claims, from good.txt)" in html
        assert "<h3>Already present</h3><ul><li>copy-of-good.txt</li></ul>" in html
        assert "empty.txt: the file is empty" in html
        assert "image.txt: looks like a binary file (it contains NUL bytes), not text" in html
        assert "latin1.txt: not UTF-8 text (invalid byte 0xE9" in html
        assert "big.txt: the file is" in html
        assert "larger than the 300 bytes limit" in html
        with small.app_context():
            stored = db.session.execute(sa.select(Article.source, Article.title)).all()
            claims = db.session.scalar(sa.select(sa.func.count(Claim.id)))
        assert [tuple(r) for r in stored] == [
            ("good.txt", "The U.S. economy grew by 2.5% last year.")]
        assert claims == 3
        imported = new_audit_events(small, before)
        assert [(e[0], e[1], e[2]) for e in imported] == [("article.import", admin_id, "article")]

        # The same upload again changes nothing.
        before = audit_events(small)
        again = upload(client, BATCH).get_data(as_text=True)
        assert "0 imported, 2 already present, 4 refused" in again
        with small.app_context():
            assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 1
            assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 3
        assert audit_events(small) == before
    finally:
        dispose(small)


def test_oversized_file_message_does_not_misstate_its_size(make_app, admin_id):
    """The refusal names the file's size; it must not report a size the file does not have."""
    small = make_app(MAX_ARTICLE_BYTES=LIMIT)
    try:
        client = small.test_client()
        assert login(client, "editor").status_code == 302
        html = upload(client, [BATCH[-1]]).get_data(as_text=True)
        assert "larger than the 300 bytes limit" in html
        assert f"the file is {LIMIT + 1} bytes" not in html, "reports 301 bytes for a 580-byte file"
    finally:
        dispose(small)


def test_uploaded_file_names_are_reduced_to_a_base_name(app, admin_client):
    response = upload(admin_client, [
        ("../../etc/notes.txt", b"The deficit fell to 3% of GDP.\n"),
        ("/home/ed/drafts/report.txt", b"Unemployment stayed at 5%.\n"),
    ])
    assert response.status_code == 200
    assert "2 imported" in response.get_data(as_text=True)
    with app.app_context():
        sources = set(db.session.scalars(sa.select(Article.source)))
    assert sources == {"notes.txt", "report.txt"}


def test_import_without_files_is_refused(app, admin_client):
    response = admin_client.post("/admin/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose at least one file." in response.get_data(as_text=True)


def test_request_over_the_size_limit_answers_413_page_and_changes_nothing(app, admin_client):
    """A browser upload over MAX_CONTENT_LENGTH gets the 413 page with a clear message."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    before = audit_events(app)
    escaped = None
    try:
        response = upload(admin_client, [("huge.txt", b"a" * (limit + 1024))])
    except RequestEntityTooLarge as error:
        escaped = repr(error)
    if escaped:
        # Collect the request's spooled upload here, so it cannot warn in a later test.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        pytest.fail(f"no 413 page: rendering it raised again and escaped the app: {escaped}")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "The upload is larger than the 8 MiB limit. Nothing was saved." in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0
    assert audit_events(app) == before


def test_request_over_the_size_limit_answers_413_json(app, admin_client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    before = audit_events(app)
    response = upload(admin_client, [("huge.txt", b"a" * (limit + 1024))],
                      headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert response.json == {
        "error": "The upload is larger than the 8 MiB limit. Nothing was saved.", "status": 413}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0
    assert audit_events(app) == before


def test_413_message_names_a_limit_below_one_mib_correctly(make_app, admin_id):
    small = make_app(MAX_CONTENT_LENGTH=64 * 1024)
    try:
        client = small.test_client()
        assert login(client, "editor").status_code == 302
        # JSON, so this checks the message independently of the HTML error page.
        response = upload(client, [("big.txt", b"a" * (100 * 1024))],
                          headers={"Accept": "application/json"})
        assert response.status_code == 413
        message = response.json["error"]
        assert "Nothing was saved." in message
        assert "the 0 MiB limit" not in message, f"message claims a 0 MiB limit: {message!r}"
        with small.app_context():
            assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0
    finally:
        dispose(small)
