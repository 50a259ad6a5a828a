"""Sessions end for good: a cookie copied before logout is refused after it; logging in
starts a new session with a new CSRF secret; a login lasts ``PERMANENT_SESSION_LIFETIME``.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from annotator_testkit.constants import PASSWORD
from annotator_testkit.forms import csrf_token, hidden_inputs
from annotator_testkit.rows import count_rows
from annotator_testkit.web import login, verdict_form

from annotator.extensions import db
from annotator.models import User, Verdict


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "the client has no session cookie"
    return cookie.value


def browser_with_cookie(app, value: str):
    """A new browser that sends a copy of someone's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def test_a_cookie_copied_before_logout_is_refused_after_it(app, admin_client):
    copied = session_cookie(admin_client)
    assert browser_with_cookie(app, copied).get("/admin/users").status_code == 200

    assert admin_client.post("/logout").location == "/login"

    thief = browser_with_cookie(app, copied)
    response = thief.get("/admin/users")
    assert (response.status_code, response.location) == (302, "/login?next=%2Fadmin%2Fusers")
    before = count_rows(app, User)
    response = thief.post("/admin/users", data={
        "username": "intruder", "password": PASSWORD, "role": "admin"})
    assert response.status_code == 302 and response.location.startswith("/login")
    assert count_rows(app, User) == before


def test_logout_ends_the_accounts_other_sessions_too(app, client_for, reviewer_id):
    """One token per account: logging out in one browser logs the account out everywhere
    (a stolen copy of any of its cookies is worthless after the owner logs out once)."""
    laptop, phone = client_for("alice"), client_for("alice")
    assert laptop.post("/logout").status_code == 302
    assert phone.get("/").status_code == 302
    assert login(phone, "alice").status_code == 302  # logging in again works
    assert phone.get("/").status_code == 200


def test_the_login_page_token_is_refused_after_login(csrf_app, claims, reviewer_id):
    browser = csrf_app.test_client()
    login_page = browser.get("/login").get_data(as_text=True)
    anonymous_token = hidden_inputs(login_page, "/login")["csrf_token"]
    response = browser.post("/login", data={
        "username": "alice", "password": PASSWORD, "csrf_token": anonymous_token})
    assert response.status_code == 302

    stale = browser.post(f"/claims/{claims[0]}",
                         data={**verdict_form(), "csrf_token": anonymous_token})
    assert stale.status_code == 400
    assert count_rows(csrf_app, Verdict) == 0
    # The token of a page loaded after the login works.
    page = browser.get(f"/claims/{claims[0]}").get_data(as_text=True)
    fresh = hidden_inputs(page, f"/claims/{claims[0]}")
    assert browser.post(f"/claims/{claims[0]}",
                        data={**verdict_form(), **fresh}).status_code == 302
    assert count_rows(csrf_app, Verdict) == 1


def test_another_users_token_is_refused_after_a_change_of_user(
    csrf_app, claims, reviewer_id, reviewer2_id
):
    browser = csrf_app.test_client()

    def log_in(name: str) -> None:
        token = hidden_inputs(browser.get("/login").get_data(as_text=True), "/login")
        response = browser.post("/login", data={**token, "username": name,
                                                "password": PASSWORD})
        assert response.status_code == 302

    log_in("alice")
    alices_token = csrf_token(browser.get("/").get_data(as_text=True))
    assert browser.post("/logout", data={"csrf_token": alices_token}).status_code == 302
    log_in("bob")
    response = browser.post(f"/claims/{claims[0]}",
                            data={**verdict_form(), "csrf_token": alices_token})
    assert response.status_code == 400
    assert count_rows(csrf_app, Verdict) == 0


def test_a_login_lasts_the_configured_lifetime(app, reviewer_client, monkeypatch):
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600
    assert reviewer_client.get("/").status_code == 200
    now = int(time.time())

    def later(hours: float):
        monkeypatch.setattr("itsdangerous.timed.TimestampSigner.get_timestamp",
                            lambda self: now + int(hours * 3600))

    later(11.9)
    assert reviewer_client.get("/").status_code == 200
    later(12.1)
    response = reviewer_client.get("/")
    assert (response.status_code, response.location) == (302, "/login?next=%2F")


def test_the_lifetime_is_a_setting(make_app, reviewer_id, monkeypatch):
    app = make_app(PERMANENT_SESSION_LIFETIME=600)
    client = app.test_client()
    assert login(client, "alice").status_code == 302
    now = int(time.time())
    monkeypatch.setattr("itsdangerous.timed.TimestampSigner.get_timestamp",
                        lambda self: now + 601)
    assert client.get("/").status_code == 302
    with app.app_context():  # the account itself is untouched: only that login expired
        assert db.session.scalar(sa.select(User.is_active).where(User.id == reviewer_id))
