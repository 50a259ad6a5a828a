"""Login limits hold under a burst of parallel attempts and across app servers: the check
and the count are one atomic step in the database, taken before the password is hashed.
"""

from __future__ import annotations

import functools
import threading
import types

import pytest
from annotator_testkit.concurrency import run_together
from annotator_testkit.constants import LOGIN_LIMIT_PER_USERNAME, PASSWORD, WRONG_PASSWORD
from annotator_testkit.web import fail_logins, from_address, login

BURST = 40


@pytest.fixture
def fixed_clock(monkeypatch):
    """The limiter's clock stands still in the middle of a minute, so a burst cannot
    straddle two windows (the sliding count lets one more through across a boundary)."""
    now = 1_800_000_030.0
    monkeypatch.setattr("annotator.web.rate_limits.time", types.SimpleNamespace(time=lambda: now))
    return now


@pytest.fixture
def password_checks(monkeypatch):
    """Count the password hashes computed (the real account's and the unknown name's)."""
    import annotator.models
    import annotator.services.accounts

    calls = []
    lock = threading.Lock()

    def counting(original):
        def check(stored, password):
            with lock:
                calls.append(password)
            return original(stored, password)
        return check

    for module in (annotator.models, annotator.services.accounts):
        monkeypatch.setattr(module, "check_password_hash", counting(module.check_password_hash))
    return calls


def logins_at_once(clients, username: str, password: str) -> list[int]:
    """Log each client in as ``username`` with ``password``, all at once; their statuses."""
    answers = run_together(
        [functools.partial(login, client, username, password) for client in clients],
        hang_message="a login never answered")
    return [answer.status_code for answer in answers]


def burst(app, username: str, count: int) -> list[int]:
    """``count`` wrong-password logins for ``username`` from as many addresses, at once."""
    clients = [from_address(app, f"198.51.{i // 250}.{i % 250 + 1}") for i in range(count)]
    return logins_at_once(clients, username, WRONG_PASSWORD)


def test_a_burst_checks_no_more_passwords_than_the_limit(
    app, make_user, fixed_clock, password_checks
):
    make_user("alice")
    statuses = burst(app, "alice", BURST)
    assert sorted(set(statuses)) == [200, 429]
    assert statuses.count(200) == LOGIN_LIMIT_PER_USERNAME
    assert statuses.count(429) == BURST - LOGIN_LIMIT_PER_USERNAME
    # Refused before hashing: only the attempts within the limit cost a password check.
    assert len(password_checks) == LOGIN_LIMIT_PER_USERNAME
    # The name stays locked, even for the right password, and no check is spent on it.
    assert login(app.test_client(), "alice", PASSWORD).status_code == 429
    assert len(password_checks) == LOGIN_LIMIT_PER_USERNAME


def test_a_burst_on_an_unknown_name_is_limited_too(app, admin_id, fixed_clock, password_checks):
    statuses = burst(app, "nobody", BURST)
    assert statuses.count(200) == LOGIN_LIMIT_PER_USERNAME
    assert len(password_checks) == LOGIN_LIMIT_PER_USERNAME


def test_app_servers_share_the_counts(make_app, make_user, fixed_clock):
    """Two app instances on one database stand for two workers (or two machines)."""
    first, second = make_app(), make_app()
    make_user("alice")
    half = LOGIN_LIMIT_PER_USERNAME // 2
    fail_logins(from_address(first, "198.51.100.7"), "alice", half)
    fail_logins(from_address(second, "203.0.113.9"), "alice", LOGIN_LIMIT_PER_USERNAME - half)
    assert login(from_address(first, "192.0.2.1"), "alice", PASSWORD).status_code == 429
    assert login(from_address(second, "192.0.2.2"), "alice", PASSWORD).status_code == 429


def test_successful_logins_in_a_burst_are_given_back(app, make_user, fixed_clock):
    """Right passwords never use up the limit, even arriving all at once."""
    make_user("alice")
    clients = [from_address(app, f"198.51.100.{i + 1}")
               for i in range(LOGIN_LIMIT_PER_USERNAME + 5)]
    statuses = logins_at_once(clients, "alice", PASSWORD)
    # Up to the limit may be held by attempts still in flight; the rest log in.
    assert statuses.count(302) >= LOGIN_LIMIT_PER_USERNAME
    # Once they are done, every attempt was given back: failures still have the whole limit.
    fail_logins(from_address(app, "203.0.113.9"), "alice", LOGIN_LIMIT_PER_USERNAME)
    assert login(app.test_client(), "alice", PASSWORD).status_code == 429
