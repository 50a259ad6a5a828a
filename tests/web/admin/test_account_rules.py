"""Usernames that pass for another account and guessable passwords are refused, each
with its reason, and nothing is created.
"""

from __future__ import annotations

import pytest
from annotator_testkit.constants import PASSWORD, WRONG_PASSWORD
from annotator_testkit.rows import audit_events, count_rows
from annotator_testkit.web import password_works

from annotator.models import User


@pytest.fixture
def chief_id(make_user, admin_id):
    return make_user("chief", "admin")


def create(admin_client, username: str, password: str = PASSWORD):
    return admin_client.post(
        "/admin/users", data={"username": username, "password": password, "role": "reviewer"})


def refused(app, admin_client, username, password, message):
    before = (count_rows(app, User), audit_events(app))
    response = create(admin_client, username, password)
    assert response.status_code == 422, username
    assert message in response.get_data(as_text=True), username
    assert (count_rows(app, User), audit_events(app)) == before


@pytest.mark.parametrize("username, existing", [
    ("aIice", "alice"),   # capital i for l
    ("AIice", "alice"),
    ("ALlCE", "alice"),   # small L for capital i
    ("al1ce", "alice"),   # digit one
    ("a.lice", "alice"),  # a separator is invisible at a glance
    ("al-ice", "alice"),
    ("chi_ef", "chief"),
    ("ch1ef", "chief"),
    ("edit0r", "editor"),  # digit zero
])
def test_names_that_look_like_an_existing_one_are_refused(
    app, admin_client, reviewer_id, chief_id, username, existing
):
    refused(app, admin_client, username, PASSWORD,
            f"looks too much like the existing &#39;{existing}&#39;")


@pytest.mark.parametrize("username", ["alice.", "chief_", "bob-", ".alice", "_chief"])
def test_names_must_start_and_end_with_a_letter_or_digit(
    app, admin_client, reviewer_id, chief_id, username
):
    refused(app, admin_client, username, PASSWORD,
            "starting and ending with a letter or digit")


@pytest.mark.parametrize("username", [
    "ali\u202ece", "\u202ealice", "alice\u200f", "\u2066carol\u2069", "car\u061col",
])
def test_bidirectional_controls_never_get_into_a_name(app, admin_client, username):
    refused(app, admin_client, username, PASSWORD, "2 to 40 characters")


def test_clearly_different_names_are_accepted(app, admin_client, reviewer_id, chief_id):
    for username in ("alicia", "carol", "chief2", "m.jones", "rn-desk"):
        assert create(admin_client, username).status_code == 302, username
    # "rn-desk" taken, "mdesk" looks like it.
    refused(app, admin_client, "mdesk", PASSWORD, "looks too much like the existing")


@pytest.mark.parametrize("password, message", [
    ("aaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
    ("abcabcabcabc", "Repeats like"),
    ("1234567890", "common password."),
    ("qwertyuiop", "This is a top-100 common password."),
    ("password123", "This is a very common password."),
    ("iloveyou12", "similar to a commonly used password"),
    ("carolcarol", "must not be the username"),
    ("carol12345", "must not be the username"),
    ("!!CAROL2024", "must not be the username"),
    ("lorac12345", "must not be the username"),
])
def test_guessable_passwords_are_refused_with_the_reason(app, admin_client, password, message):
    refused(app, admin_client, "carol", password, message.replace('"', "&#34;"))


def test_a_guessable_new_password_is_refused_on_change(app, reviewer_client):
    response = reviewer_client.post("/account/password", data={
        "current": PASSWORD, "password": "alice123456", "confirm": "alice123456"})
    assert response.status_code == 422
    assert "must not be the username" in response.get_data(as_text=True)
    response = reviewer_client.post("/account/password", data={
        "current": PASSWORD, "password": "1q2w3e4r5t6y", "confirm": "1q2w3e4r5t6y"})
    assert response.status_code == 422
    assert "too easy to guess" in response.get_data(as_text=True)
    assert password_works(app, "alice", PASSWORD)


def test_a_guessable_password_is_refused_from_the_command_line(app, reviewer_id, runner):
    result = runner.invoke(args=["set-password", "alice", "--password", "football1234"])
    assert result.exit_code == 1
    assert "too easy to guess" in result.output
    assert password_works(app, "alice", PASSWORD)


def test_ordinary_passphrases_are_accepted(app, admin_client):
    for number, password in enumerate((PASSWORD, WRONG_PASSWORD, "purple staple meadow",
                                       "Tr0ub4dor&3 at noon", "x" * 5 + "Qz8!" * 30)):
        assert create(admin_client, f"user{number}", password).status_code == 302, password
