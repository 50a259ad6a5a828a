"""An admin resets a reviewer's forgotten password from the Users page: a temporary
password shown once and kept nowhere in clear, the reviewer's sessions ended, an audit
event without the password, and at the next login nothing but the Password page until a
new password is chosen. Refused: one's own account, a deactivated account, a reviewer, a
forged form."""

from __future__ import annotations

import html
import json
import logging
import re

import pytest
from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import NEW_PASSWORD, PASSWORD
from annotator_testkit.forms import form_for, post_form
from annotator_testkit.rows import audit_events, count_rows, password_state, snapshot
from annotator_testkit.web import login, password_works, verdict_form

from annotator.extensions import db
from annotator.models import User, Verdict
from annotator.services.accounts import TEMPORARY_PASSWORD_ALPHABET

TEMPORARY = re.compile(
    rf'<code id="temporary-password">((?:[{TEMPORARY_PASSWORD_ALPHABET}]{{4}}-){{3}}'
    rf'[{TEMPORARY_PASSWORD_ALPHABET}]{{4}})</code>')


def _url(user_id: int) -> str:
    return f"/admin/users/{user_id}/reset-password"


def reset(admin_client, user_id: int) -> str:
    """Reset as the confirmation page's "Yes" button does; returns the temporary password."""
    response = admin_client.post(_url(user_id), data=confirmed())
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    match = TEMPORARY.search(response.get_data(as_text=True))
    assert match, "no temporary password on the page"
    return match.group(1)


def _must_change(app, user_id: int) -> bool:
    with app.app_context():
        return db.session.get(User, user_id).must_change_password


def test_the_users_page_offers_a_reset_for_other_active_accounts(admin_client, admin_id,
                                                                 reviewer_id, make_user):
    dora = make_user("dora", active=False)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert f'action="{_url(reviewer_id)}"' in page
    assert _url(admin_id) not in page and _url(dora) not in page


def test_reset_asks_first_then_shows_a_temporary_password_once(app, admin_client,
                                                               reviewer_id):
    before = snapshot(app)
    asked = admin_client.post(_url(reviewer_id))
    assert asked.status_code == 200
    question = html.unescape(asked.get_data(as_text=True))
    assert "Reset alice's password?" in question and "Yes, reset alice's password" in question
    assert snapshot(app) == before

    temporary = reset(admin_client, reviewer_id)
    assert password_works(app, "alice", temporary)
    assert not password_works(app, "alice", PASSWORD)
    assert _must_change(app, reviewer_id)
    # The page is not a redirect target: nothing stored can show it again.
    assert temporary not in admin_client.get("/admin/users").get_data(as_text=True)


def test_the_temporary_password_is_stored_nowhere_in_clear_nor_logged(app, admin_client,
                                                                      reviewer_id, caplog):
    with caplog.at_level(logging.DEBUG):
        temporary = reset(admin_client, reviewer_id)
    assert temporary not in caplog.text
    everything = json.dumps(snapshot(app), default=str)
    assert temporary not in everything and temporary.replace("-", "") not in everything
    events = audit_events(app, "user.password_reset")
    assert [e[:4] for e in events] == [("user.password_reset", _admin(app), "user",
                                        reviewer_id)]
    assert events[0][4] == {"username": "alice", "temporary": True,
                            "must_change_password": True}


def _admin(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(User.id).where(User.username == "editor"))


def test_every_open_session_of_the_account_ends(app, admin_client, reviewer_client,
                                                reviewer_id):
    assert reviewer_client.get("/").status_code == 200
    reset(admin_client, reviewer_id)
    response = reviewer_client.get("/")
    assert (response.status_code, response.location) == (302, "/login?next=%2F")
    # The admin who reset it stays logged in.
    assert admin_client.get("/admin/users").status_code == 200


def test_after_login_only_the_password_page_until_a_new_one_is_chosen(
    app, admin_client, reviewer_id, claims
):
    temporary = reset(admin_client, reviewer_id)
    browser = app.test_client()
    assert login(browser, "alice", temporary).status_code == 302
    for path in ("/", "/queue", f"/claims/{claims[0]}", "/articles/1", "/export/verdicts.csv",
                 "/progress", "/no-such-page"):
        response = browser.get(path)
        assert (response.status_code, response.location) == (302, "/account/password"), path
    saved = browser.post(f"/claims/{claims[0]}", data=verdict_form())
    assert (saved.status_code, saved.location) == (302, "/account/password")
    assert count_rows(app, Verdict) == 0
    with browser.get("/static/style.css") as static:
        assert static.status_code == 200

    page = browser.get("/account/password")
    assert page.status_code == 200
    assert "An admin reset your password. Choose a new one" in page.get_data(as_text=True)

    # The temporary password is the current one; the new one must differ from it.
    same = browser.post("/account/password", data={
        "current": temporary, "password": temporary, "confirm": temporary})
    assert same.status_code == 422 and _must_change(app, reviewer_id)
    changed = browser.post("/account/password", data={
        "current": temporary, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert (changed.status_code, changed.location) == (302, "/")
    assert not _must_change(app, reviewer_id)
    assert browser.get("/").status_code == 200
    assert password_works(app, "alice", NEW_PASSWORD)
    assert not password_works(app, "alice", temporary)


def test_logout_works_while_the_new_password_is_pending(app, admin_client, reviewer_id):
    temporary = reset(admin_client, reviewer_id)
    browser = app.test_client()
    login(browser, "alice", temporary)
    response = browser.post("/logout")
    assert (response.status_code, response.location) == (302, "/login")
    assert browser.get("/login").status_code == 200


def test_set_password_command_clears_the_pending_change(app, admin_client, reviewer_id,
                                                        runner):
    reset(admin_client, reviewer_id)
    result = runner.invoke(args=["set-password", "alice", "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert not _must_change(app, reviewer_id)
    browser = app.test_client()
    login(browser, "alice", NEW_PASSWORD)
    assert browser.get("/").status_code == 200


@pytest.mark.parametrize("whose, words", [
    ("own", "You cannot reset your own password here; change it on the Password page."),
    ("deactivated", "dora's account is deactivated; activate it first"),
])
def test_own_or_deactivated_account_is_refused_and_nothing_changes(
    app, admin_client, admin_id, make_user, whose, words
):
    target = admin_id if whose == "own" else make_user("dora", active=False)
    before = snapshot(app)
    response = admin_client.post(_url(target), data=confirmed(), follow_redirects=True)
    assert response.request.path == "/admin/users"
    page = html.unescape(response.get_data(as_text=True))
    assert words in page and "Nothing was changed." in page
    assert snapshot(app) == before


def test_reviewers_get_403_and_nothing_changes(app, reviewer_client, reviewer2_id):
    before = snapshot(app)
    assert reviewer_client.post(_url(reviewer2_id), data=confirmed()).status_code == 403
    assert snapshot(app) == before


def test_unknown_account_is_404(admin_client):
    assert admin_client.post(_url(999999), data=confirmed()).status_code == 404


def test_a_forged_form_is_refused_and_the_real_ones_work(csrf_app, make_user):
    make_user("editor", "admin")
    alice = make_user("alice")
    admin = csrf_app.test_client()
    assert post_form(admin, "/login", {"username": "editor", "password": PASSWORD},
                     page="/login").status_code == 302
    before = password_state(csrf_app, "alice")
    forged = admin.post(_url(alice), data={"csrf_token": "forged", "confirm": "yes"})
    assert forged.status_code == 400
    assert password_state(csrf_app, "alice") == before

    asked = post_form(admin, _url(alice), {}, page="/admin/users")
    assert asked.status_code == 200 and password_state(csrf_app, "alice") == before
    yes = form_for(asked.get_data(as_text=True), _url(alice))
    done = admin.post(yes.action, data=yes.values())
    assert done.status_code == 200 and TEMPORARY.search(done.get_data(as_text=True))
    assert password_state(csrf_app, "alice") != before
