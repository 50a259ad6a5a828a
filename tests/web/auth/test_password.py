"""Changing one's own password on /account/password (CSRF on: ``security/test_csrf.py``;
``flask set-password``: ``app/test_cli.py``).
"""

from __future__ import annotations

import json

import pytest
from annotator_testkit.constants import NEW_PASSWORD, PASSWORD
from annotator_testkit.rows import audit_events, password_state
from annotator_testkit.web import login, password_works

URL = "/account/password"


def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        URL, data={"current": current, "password": new,
                   "confirm": new if confirm is None else confirm},
    )


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

    events = [e[1:] for e in audit_events(app, "user.password")]
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
    before = password_state(app, "alice")
    response = change(reviewer_client, current, new, confirm)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_message in html
    assert 'class="error"' in html
    assert password_state(app, "alice") == before  # same hash, same sessions
    assert [e[1:] for e in audit_events(app, "user.password")] == []
    assert reviewer_client.get("/").status_code == 200  # still logged in
    assert password_works(app, "alice", PASSWORD)


def test_anonymous_visitor_meets_the_login_gate(app, admin_id):
    client = app.test_client()
    response = client.get(URL)
    assert (response.status_code, response.location) == (302, "/login?next=%2Faccount%2Fpassword")
    before = password_state(app, "editor")
    response = change(client)
    assert response.status_code == 302 and response.location.startswith("/login")
    assert password_state(app, "editor") == before


def test_admin_changes_own_password(app, admin_id, admin_client):
    assert change(admin_client).status_code == 302
    assert admin_client.get("/admin/users").status_code == 200
    assert password_works(app, "editor", NEW_PASSWORD)
