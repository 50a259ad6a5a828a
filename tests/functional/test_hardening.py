"""Hardening: login rate limits, cookie flags, security headers, no tracebacks in production."""

from __future__ import annotations

import re

import pytest
from helpers import PASSWORD, login

WRONG = "not the password at all"
# The defaults documented in the README.
PER_USERNAME = 10
PER_ADDRESS = 30


def from_address(app, address: str):
    """A test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail(client, username: str, times: int) -> None:
    for attempt in range(times):
        response = login(client, username, WRONG)
        assert response.status_code == 200, (attempt, response.status_code)
        assert "wrong password" in response.get_data(as_text=True)


# --- login rate limits --------------------------------------------------------------------


def test_refused_logins_per_username_are_limited(app, make_user):
    make_user("alice")
    make_user("bob")
    attacker = from_address(app, "198.51.100.7")
    fail(attacker, "alice", PER_USERNAME)

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
    fail(client, "alice", PER_USERNAME - 1)
    assert login(client, "alice", PASSWORD).status_code == 302


def test_successful_logins_do_not_count(app, make_user):
    make_user("alice")
    for _ in range(PER_USERNAME + 5):
        client = from_address(app, "198.51.100.7")
        assert login(client, "alice", PASSWORD).status_code == 302


def test_refused_logins_per_address_are_limited(app, make_user):
    """Many names from one address: each name stays under its own limit, the address not."""
    make_user("alice")
    attacker = from_address(app, "198.51.100.7")
    for i in range(PER_ADDRESS):
        fail(attacker, f"guess{i % 5}", 1)
    assert login(attacker, "alice", PASSWORD).status_code == 429
    # Another address, and the same account from it, are not affected.
    assert login(from_address(app, "203.0.113.9"), "alice", PASSWORD).status_code == 302


def test_many_people_logging_in_from_one_address_are_not_limited(app, make_user):
    """A desk behind one NAT address (or a test run on 127.0.0.1) logs everyone in."""
    names = [f"reviewer{i}" for i in range(PER_ADDRESS + 5)]
    for name in names:
        make_user(name)
    for name in names:
        assert login(app.test_client(), name, PASSWORD).status_code == 302


def test_a_429_answers_json_to_scripts(app, make_user):
    make_user("alice")
    client = from_address(app, "198.51.100.7")
    fail(client, "alice", PER_USERNAME)
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
    for i in range(PER_ADDRESS):
        response = client.post("/login", data={"username": f"guess{i % 5}", "password": WRONG},
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
    for i in range(PER_ADDRESS):
        response = proxy.post("/login", data={"username": f"guess{i % 5}", "password": WRONG},
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
    fail(client, "alice", PER_ADDRESS + 5)
    assert login(client, "alice", PASSWORD).status_code == 302


def test_limits_come_from_the_settings(make_app, make_user):
    app = make_app(LOGIN_LIMITS_PER_USERNAME="2 per minute")
    make_user("alice")
    client = from_address(app, "198.51.100.7")
    fail(client, "alice", 2)
    assert login(client, "alice", PASSWORD).status_code == 429


def test_password_change_is_limited_per_account(app, reviewer_client):
    for _ in range(PER_USERNAME):
        response = reviewer_client.post("/account/password", data={
            "current": WRONG, "password": "a brand new password", "confirm": "a brand new password",
        })
        assert response.status_code == 422
    blocked = reviewer_client.post("/account/password", data={
        "current": PASSWORD, "password": "a brand new password", "confirm": "a brand new password",
    })
    assert blocked.status_code == 429
    # The password was not changed by the refused request.
    assert login(app.test_client(), "alice", PASSWORD).status_code == 302


def test_setup_form_is_limited_per_address(make_app, tmp_path, new_database):
    from annotator import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                      "SEED_ON_START": False, "SQLALCHEMY_DATABASE_URI": new_database()},
                     instance_path=str(tmp_path / "setup-instance"))
    client = from_address(app, "198.51.100.7")
    try:
        for _ in range(10):
            response = client.post("/setup", data={"username": "chief", "password": "short",
                                                   "confirm": "short"})
            assert response.status_code == 200
        blocked = client.post("/setup", data={"username": "chief", "password": PASSWORD,
                                              "confirm": PASSWORD})
        assert blocked.status_code == 429
        # Someone else (the real operator) can still finish the setup.
        done = from_address(app, "203.0.113.9").post(
            "/setup", data={"username": "chief", "password": PASSWORD, "confirm": PASSWORD})
        assert done.status_code == 302
    finally:
        from annotator.extensions import db

        with app.app_context():
            db.engine.dispose()


# --- cookies ------------------------------------------------------------------------------


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


def flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def test_session_cookie_is_httponly_and_samesite_lax(app, make_user):
    make_user("alice")
    cookie_flags = flags(session_cookie(login(app.test_client(), "alice")))
    assert {"httponly", "samesite=lax"} <= cookie_flags
    assert "secure" not in cookie_flags  # plain http on 127.0.0.1 must keep working


def test_secure_cookies_can_be_switched_on(make_app, make_user, monkeypatch):
    monkeypatch.setenv("FLASK_SESSION_COOKIE_SECURE", "true")
    app = make_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    make_user("alice")
    client = app.test_client()
    response = client.post("/login", data={"username": "alice", "password": PASSWORD},
                           base_url="https://localhost")
    assert {"httponly", "samesite=lax", "secure"} <= flags(session_cookie(response))


# --- no debug pages in production ---------------------------------------------------------


@pytest.fixture
def production_app(make_app, make_user):
    """TESTING and DEBUG off, as under gunicorn, with a page that fails."""
    app = make_app(TESTING=False, DEBUG=False)

    def broken():
        raise RuntimeError("internal detail: password=hunter2 at /srv/annotator")

    app.add_url_rule("/broken", "broken", broken)
    make_user("alice")
    return app


def test_an_internal_error_shows_the_plain_500_page(production_app):
    client = production_app.test_client()
    assert login(client, "alice").status_code == 302
    response = client.get("/broken")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    for leak in ("Traceback", "RuntimeError", "hunter2", "/srv/annotator", "werkzeug",
                 "File \""):
        assert leak not in page, leak

    scripted = client.get("/broken", headers={"Accept": "application/json"})
    assert scripted.status_code == 500
    assert scripted.get_json() == {"error": "Something went wrong on our side. Nothing was "
                                            "saved; please try again.", "status": 500}


# --- security headers ---------------------------------------------------------------------


def assert_security_headers(response) -> None:
    headers = response.headers
    policy = {
        part.strip().split(" ", 1)[0]: part.strip().split(" ")[1:]
        for part in headers["Content-Security-Policy"].split(";")
    }
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_security_headers_on_pages_and_error_pages(app, admin_client, production_app):
    anonymous = app.test_client()
    responses = {
        "login page": anonymous.get("/login"),
        "redirect to login": anonymous.get("/admin/users"),
        "article list": admin_client.get("/"),
        "admin page": admin_client.get("/admin/users"),
        "404": admin_client.get("/no/such/page"),
        "405": admin_client.delete("/login"),
        "static file": anonymous.get("/static/style.css"),
    }
    reviewer = app.test_client()
    login(reviewer, "alice")
    responses["403"] = reviewer.get("/admin/users")
    limited = from_address(app, "198.51.100.7")
    fail(limited, "alice", PER_USERNAME)
    responses["429"] = login(limited, "alice")
    broken = production_app.test_client()
    login(broken, "alice")
    responses["500"] = broken.get("/broken")

    expected = {"404": 404, "405": 405, "403": 403, "429": 429, "500": 500,
                "redirect to login": 302}
    for name, response in responses.items():
        response.close()  # the static file is streamed from an open file
        assert response.status_code == expected.get(name, 200), name
        assert_security_headers(response)


def test_security_headers_on_the_csrf_error_page(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    make_user("alice")
    response = login(app.test_client(), "alice")  # no token
    assert response.status_code == 400
    assert_security_headers(response)


def test_pages_carry_no_inline_script(admin_client, make_article, claim_ids):
    claim = claim_ids(make_article())[0]
    for url in ("/", "/login", f"/claims/{claim}", "/admin/users", "/account/password"):
        page = admin_client.get(url).get_data(as_text=True)
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S)
        assert all(body.strip() == "" for body in scripts), url
        assert not re.search(r"\son[a-z]+\s*=", page), url  # no onclick= and the like
