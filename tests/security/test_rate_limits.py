"""Login rate limits: refused logins per username and per address, behind a proxy or not,
from the settings; password changes per account. The setup page's limit:
``web/auth/test_setup.py``.
"""

from __future__ import annotations

import re

from annotator_testkit.constants import (
    LOGIN_LIMIT_PER_ADDRESS,
    LOGIN_LIMIT_PER_USERNAME,
    PASSWORD,
    WRONG_PASSWORD,
)
from annotator_testkit.web import fail_logins, from_address, login


def test_refused_logins_per_username_are_limited(app, make_user):
    make_user("alice")
    make_user("bob")
    attacker = from_address(app, "198.51.100.7")
    fail_logins(attacker, "alice", LOGIN_LIMIT_PER_USERNAME)

    refused = login(attacker, "alice", PASSWORD)  # even the right password waits now
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Too many refused attempts" in page and "try again" in page
    seconds = int(refused.headers["Retry-After"])
    assert 0 < seconds <= 60
    assert re.search(r"Please wait \d+ seconds \(until \d\d:\d\d:\d\d UTC\)", page)
    assert 'class="brand"' in page  # the app's own page, not a bare error text

    # The limit is on the name from any address (a case variant is the same account)...
    elsewhere = from_address(app, "203.0.113.9")
    assert login(elsewhere, "ALICE", PASSWORD).status_code == 429
    # ...and on that name only: other accounts log in from the attacker's own address.
    assert login(attacker, "bob", PASSWORD).status_code == 302


def test_the_right_password_within_the_limit_logs_in(app, make_user):
    make_user("alice")
    client = from_address(app, "198.51.100.7")
    fail_logins(client, "alice", LOGIN_LIMIT_PER_USERNAME - 1)
    assert login(client, "alice", PASSWORD).status_code == 302


def test_successful_logins_do_not_count(app, make_user):
    make_user("alice")
    for _ in range(LOGIN_LIMIT_PER_USERNAME + 5):
        client = from_address(app, "198.51.100.7")
        assert login(client, "alice", PASSWORD).status_code == 302


def test_refused_logins_per_address_are_limited(app, make_user):
    """Many names from one address: each name stays under its own limit, the address not."""
    make_user("alice")
    attacker = from_address(app, "198.51.100.7")
    for i in range(LOGIN_LIMIT_PER_ADDRESS):
        fail_logins(attacker, f"guess{i % 5}", 1)
    assert login(attacker, "alice", PASSWORD).status_code == 429
    # Another address, and the same account from it, are not affected.
    assert login(from_address(app, "203.0.113.9"), "alice", PASSWORD).status_code == 302


def test_many_people_logging_in_from_one_address_are_not_limited(app, make_user):
    """A desk behind one NAT address (or a test run on 127.0.0.1) logs everyone in."""
    names = [f"reviewer{i}" for i in range(LOGIN_LIMIT_PER_ADDRESS + 5)]
    for name in names:
        make_user(name)
    for name in names:
        assert login(app.test_client(), name, PASSWORD).status_code == 302


def test_a_429_answers_json_to_scripts(app, make_user):
    make_user("alice")
    client = from_address(app, "198.51.100.7")
    fail_logins(client, "alice", LOGIN_LIMIT_PER_USERNAME)
    response = client.post("/login", data={"username": "alice", "password": PASSWORD},
                           headers={"Accept": "application/json"})
    assert response.status_code == 429
    body = response.get_json()
    assert body["status"] == 429 and "try again" in body["error"]
    assert body["retry_after"] == int(response.headers["Retry-After"])


def test_forwarded_for_is_ignored_unless_behind_a_configured_proxy(make_app, make_user):
    app = make_app()
    make_user("alice")
    client = from_address(app, "10.0.0.1")  # what a proxy in front would look like
    for i in range(LOGIN_LIMIT_PER_ADDRESS):
        response = client.post("/login",
                               data={"username": f"guess{i % 5}", "password": WRONG_PASSWORD},
                               headers={"X-Forwarded-For": f"192.0.2.{i}"})
        assert response.status_code == 200
    # A spoofed header does not buy a fresh address.
    fresh = client.post("/login", data={"username": "alice", "password": PASSWORD},
                        headers={"X-Forwarded-For": "192.0.2.200"})
    assert fresh.status_code == 429


def test_behind_a_proxy_each_forwarded_address_counts_alone(make_app, make_user):
    app = make_app(PROXY_HOPS=1)
    make_user("alice")
    proxy = from_address(app, "10.0.0.1")
    for i in range(LOGIN_LIMIT_PER_ADDRESS):
        response = proxy.post("/login",
                              data={"username": f"guess{i % 5}", "password": WRONG_PASSWORD},
                              headers={"X-Forwarded-For": "192.0.2.1"})
        assert response.status_code == 200
    blocked = proxy.post("/login", data={"username": "alice", "password": PASSWORD},
                         headers={"X-Forwarded-For": "192.0.2.1"})
    assert blocked.status_code == 429
    other = proxy.post("/login", data={"username": "alice", "password": PASSWORD},
                       headers={"X-Forwarded-For": "192.0.2.2"})
    assert other.status_code == 302


def test_limits_are_off_when_disabled(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=False)
    make_user("alice")
    client = from_address(app, "198.51.100.7")
    fail_logins(client, "alice", LOGIN_LIMIT_PER_ADDRESS + 5)
    assert login(client, "alice", PASSWORD).status_code == 302


def test_limits_come_from_the_settings(make_app, make_user):
    app = make_app(LOGIN_LIMITS_PER_USERNAME="2 per minute")
    make_user("alice")
    client = from_address(app, "198.51.100.7")
    fail_logins(client, "alice", 2)
    assert login(client, "alice", PASSWORD).status_code == 429


def test_password_change_is_limited_per_account(app, reviewer_client):
    for _ in range(LOGIN_LIMIT_PER_USERNAME):
        response = reviewer_client.post("/account/password", data={
            "current": WRONG_PASSWORD, "password": "a brand new password",
            "confirm": "a brand new password",
        })
        assert response.status_code == 422
    blocked = reviewer_client.post("/account/password", data={
        "current": PASSWORD, "password": "a brand new password", "confirm": "a brand new password",
    })
    assert blocked.status_code == 429
    # The password was not changed by the refused request.
    assert login(app.test_client(), "alice", PASSWORD).status_code == 302
