"""Addresses with nothing behind them (404) and wrong methods (405), for every audience.
Ids no row can have: ``security/test_input_guards.py``; the 500 page:
``security/test_hardening.py``.
"""

from __future__ import annotations

from annotator_testkit.web import verdict_form


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
