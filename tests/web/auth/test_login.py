"""Logging in and out through the login form: wrong passwords, deactivated accounts and
the sessions they had open.
"""

from __future__ import annotations

from annotator_testkit.rows import set_active
from annotator_testkit.web import login


def test_deactivated_account_cannot_log_in(app, make_user, admin_id):
    make_user("dora", "reviewer", active=False)
    client = app.test_client()
    response = login(client, "dora")
    assert response.status_code == 200
    assert b"deactivated account" in response.data
    assert client.get("/").status_code == 302


def test_session_of_deactivated_account_stops_at_next_request(app, reviewer_client, reviewer_id):
    assert reviewer_client.get("/").status_code == 200
    set_active(app, reviewer_id, False)
    response = reviewer_client.get("/")
    assert response.status_code == 302
    assert response.location == "/login?next=%2F"
    assert reviewer_client.get("/export/verdicts.csv").status_code == 302


def test_wrong_password_is_refused(app, reviewer_id):
    client = app.test_client()
    response = login(client, "alice", "wrong password!!")
    assert response.status_code == 200
    assert b"Unknown username, wrong password" in response.data
    assert client.get("/").status_code == 302


def test_logout_ends_the_session(reviewer_client):
    assert reviewer_client.post("/logout").location == "/login"
    assert reviewer_client.get("/").status_code == 302
