"""Changing one's own password on /account/password, and ``flask set-password``."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from helpers import PASSWORD, form_for, login

from annotator.extensions import db
from annotator.models import AuditEvent, User

NEW_PASSWORD = "purple staple meadow"
URL = "/account/password"


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        URL, data={"current": current, "password": new,
                   "confirm": new if confirm is None else confirm},
    )


def password_works(app, username: str, password: str) -> bool:
    """Whether a fresh browser can log in with these credentials.

    ``app`` must have CSRF off; the CSRF tests pass the default app (same database).
    """
    return login(app.test_client(), username, password).status_code == 302


def audit_events(app, action: str) -> list[tuple]:
    with app.app_context():
        return [
            (e.actor_id, e.target_type, e.target_id, e.details)
            for e in db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        ]


def stored_state(app, username: str) -> tuple[str, str]:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        return user.password_hash, user.session_token


# --- the page --------------------------------------------------------------------------


def test_page_shows_the_form_and_the_nav_links_to_it(app, reviewer_client):
    response = reviewer_client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2
    minimum = app.config["MIN_PASSWORD_LENGTH"]
    assert f"At least {minimum} characters." in html
    assert f'minlength="{minimum}"' in html
    assert f'href="{URL}"' in reviewer_client.get("/").get_data(as_text=True)


def test_change_password(app, reviewer_id, reviewer_client):
    other_browser = app.test_client()
    assert login(other_browser, "alice").status_code == 302
    assert other_browser.get("/").status_code == 200

    response = change(reviewer_client)
    assert (response.status_code, response.location) == (302, "/")

    # This browser stays logged in and sees the confirmation.
    page = reviewer_client.get("/")
    assert page.status_code == 200
    assert "Your password was changed; other sessions were logged out." in page.get_data(
        as_text=True
    )
    assert reviewer_client.get(URL).status_code == 200
    # The other browser is logged out at its next request.
    response = other_browser.get("/")
    assert (response.status_code, response.location) == (302, "/login?next=%2F")

    assert password_works(app, "alice", NEW_PASSWORD)
    assert not password_works(app, "alice", PASSWORD)

    events = audit_events(app, "user.password")
    assert events == [(reviewer_id, "user", reviewer_id, {"username": "alice"})]
    details = json.dumps(events[0][3])
    assert PASSWORD not in details and NEW_PASSWORD not in details


@pytest.mark.parametrize(
    "current, new, confirm, field_message",
    [
        ("not the password", NEW_PASSWORD, None, "That is not your current password."),
        (PASSWORD, "short", None, "A password needs at least"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "The passwords differ."),
        (PASSWORD, PASSWORD, None, "The new password must differ from the current one."),
        ("", NEW_PASSWORD, None, "This field is required."),
    ],
    ids=["wrong-current", "too-short", "mismatch", "same-as-current", "missing-current"],
)
def test_refusals_change_nothing(app, reviewer_client, current, new, confirm, field_message):
    before = stored_state(app, "alice")
    response = change(reviewer_client, current, new, confirm)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_message in html
    assert 'class="error"' in html
    assert stored_state(app, "alice") == before  # same hash, same sessions
    assert audit_events(app, "user.password") == []
    assert reviewer_client.get("/").status_code == 200  # still logged in
    assert password_works(app, "alice", PASSWORD)


def test_anonymous_visitor_meets_the_login_gate(app, admin_id):
    client = app.test_client()
    response = client.get(URL)
    assert (response.status_code, response.location) == (302, "/login?next=%2Faccount%2Fpassword")
    before = stored_state(app, "editor")
    response = change(client)
    assert response.status_code == 302 and response.location.startswith("/login")
    assert stored_state(app, "editor") == before


def test_admin_changes_own_password(app, admin_id, admin_client):
    assert change(admin_client).status_code == 302
    assert admin_client.get("/admin/users").status_code == 200
    assert password_works(app, "editor", NEW_PASSWORD)


# --- CSRF on ---------------------------------------------------------------------------


def test_csrf_post_without_token_changes_nothing(app, csrf_app, make_user):
    make_user("alice")
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={
        **form_for(page, "/login").hidden(), "username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    before = stored_state(csrf_app, "alice")

    response = change(client)
    assert response.status_code == 400
    assert stored_state(csrf_app, "alice") == before
    assert client.get("/").status_code == 200
    assert password_works(app, "alice", PASSWORD)


def test_csrf_post_with_the_pages_token_works(app, csrf_app, make_user):
    make_user("alice")
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={
        **form_for(page, "/login").hidden(), "username": "alice", "password": PASSWORD})

    page = client.get(URL).get_data(as_text=True)
    form = form_for(page, URL)
    response = client.post(URL, data={
        **form.hidden(), "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert (response.status_code, response.location) == (302, "/")
    assert client.get("/").status_code == 200
    assert password_works(app, "alice", NEW_PASSWORD)
    assert not password_works(app, "alice", PASSWORD)


# --- flask set-password ----------------------------------------------------------------


def test_cli_set_password(app, runner, reviewer_id, reviewer_client):
    result = runner.invoke(args=["set-password", "ALICE", "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Password of alice changed" in result.output
    assert NEW_PASSWORD not in result.output
    assert password_works(app, "alice", NEW_PASSWORD)
    assert not password_works(app, "alice", PASSWORD)
    assert reviewer_client.get("/").status_code == 302  # open sessions were ended
    events = audit_events(app, "user.password_reset")
    assert events == [(None, "user", reviewer_id, {"username": "alice"})]


def test_cli_set_password_from_the_environment(app, runner, reviewer_id):
    result = runner.invoke(args=["set-password", "alice"],
                           env={"ANNOTATOR_PASSWORD": NEW_PASSWORD})
    assert result.exit_code == 0, result.output
    assert password_works(app, "alice", NEW_PASSWORD)


def test_cli_set_password_prompts_with_confirmation(app, runner, reviewer_id):
    result = runner.invoke(args=["set-password", "alice"],
                           input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert NEW_PASSWORD not in result.output  # hidden input is not echoed
    assert password_works(app, "alice", NEW_PASSWORD)


def test_cli_set_password_unknown_user(app, runner, reviewer_id):
    result = runner.invoke(args=["set-password", "nobody", "--password", NEW_PASSWORD])
    assert result.exit_code == 1
    assert "No account named 'nobody'" in result.output
    assert audit_events(app, "user.password_reset") == []


def test_cli_set_password_weak_password(app, runner, reviewer_id):
    before = stored_state(app, "alice")
    result = runner.invoke(args=["set-password", "alice", "--password", "short"])
    assert result.exit_code == 1
    assert "A password needs at least" in result.output
    assert stored_state(app, "alice") == before
    assert password_works(app, "alice", PASSWORD)
    assert audit_events(app, "user.password_reset") == []
