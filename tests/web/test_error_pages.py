"""Addresses with nothing behind them (404) and wrong methods (405), for every audience.
Ids no row can have: ``security/test_input_guards.py``; the 500 page:
``security/test_hardening.py``.
"""

from __future__ import annotations

import gc
from io import BytesIO

import pytest
from annotator_testkit.web import verdict_form
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart


def test_missing_ids_answer_404(app, admin_client, reviewer_client, make_article):
    make_article()
    for client, method, path in [
        (reviewer_client, "GET", "/articles/999"),
        (reviewer_client, "GET", "/claims/999"),
        (reviewer_client, "POST", "/claims/999"),
        (admin_client, "GET", "/articles/999"),
        (admin_client, "POST", "/admin/verdicts/999/approve"),
        (admin_client, "POST", "/admin/verdicts/999/reject"),
        (admin_client, "POST", "/admin/claims/999/hide"),
        (admin_client, "POST", "/admin/claims/999/unhide"),
        (admin_client, "POST", "/admin/users/999/activate"),
        (admin_client, "POST", "/admin/users/999/deactivate"),
        (admin_client, "GET", "/no-such-page"),
    ]:
        data = verdict_form(version="1") if path.startswith("/claims/") else {"version": "1"}
        response = client.open(path, method=method, data=data)
        assert response.status_code == 404, (method, path)
        assert b"There is nothing at this address." in response.data


def test_missing_ids_do_not_leak_to_others(app, reviewer_client, admin_id):
    # Anonymous visitors meet the login gate; reviewers meet 403 on admin ids.
    assert app.test_client().get("/articles/999").location.startswith("/login")
    assert reviewer_client.post("/admin/verdicts/999/approve").status_code == 403


def test_wrong_methods_answer_405(admin_client, reviewer_client, make_article):
    make_article()
    for client in (admin_client, reviewer_client):
        for method, path in [
            ("GET", "/logout"),
            ("POST", "/"),
            ("POST", "/queue"),
            ("PUT", "/claims/1"),
            ("DELETE", "/articles/1"),
            ("POST", "/export/verdicts.csv"),
            ("GET", "/admin/verdicts/1/approve"),
            ("GET", "/admin/claims/1/hide"),
            ("DELETE", "/admin/users"),
        ]:
            response = client.open(path, method=method)
            assert response.status_code == 405, (method, path)


# Werkzeug stops parsing at the part limit and leaves the parts it had already spooled to
# the garbage collector, which closes them with a ResourceWarning: collected here, so the
# warning is this test's, and expected.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning",
                            "ignore::ResourceWarning")
def test_too_many_parts_is_not_called_too_large(app, admin_client):
    """1,200 tiny files are far under the size limit: the refusal names the real cause,
    the number of files and fields in one form, and nothing is imported."""
    from annotator_testkit.rows import snapshot

    before = snapshot(app)
    files = MultiDict([("files", FileStorage(BytesIO(f"Claim {n}.".encode()), f"f{n}.txt"))
                       for n in range(1200)])
    boundary, body = encode_multipart(files)
    response = admin_client.post("/admin/import", data=body,
                                 content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "more than 1,000 files and fields" in html and "smaller batches" in html
    assert "larger than" not in html
    assert snapshot(app) == before
    del response, files, body
    gc.collect()


def test_an_upload_over_the_size_limit_says_so(app, admin_client):
    # Both bodies are encoded in memory: the test client would spool a large one to a
    # temporary file that an early refusal leaves open.
    big = BytesIO(b"A sentence. " * (app.config["MAX_CONTENT_LENGTH"] // 12 + 10))
    boundary, body = encode_multipart(MultiDict([("files", FileStorage(big, "big.txt"))]))
    response = admin_client.post("/admin/import", data=body,
                                 content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "larger than the 8 MiB limit" in response.get_data(as_text=True)
