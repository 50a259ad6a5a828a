"""Hardening: cookie flags, security headers on every kind of answer, no inline script,
no caching of logged-in pages, and no traceback on the 500 page in production.
"""

from __future__ import annotations

import re

import pytest
from annotator_testkit.constants import LOGIN_LIMIT_PER_USERNAME, PASSWORD
from annotator_testkit.web import fail_logins, from_address, login


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
    broken = production_app.test_client()
    login(broken, "alice")
    responses["500"] = broken.get("/broken")
    # After the 500: both apps count logins in their one database, so the lock on alice
    # holds in production_app too.
    limited = from_address(app, "198.51.100.7")
    fail_logins(limited, "alice", LOGIN_LIMIT_PER_USERNAME)
    responses["429"] = login(limited, "alice")

    expected = {"404": 404, "405": 405, "403": 403, "429": 429, "500": 500,
                "redirect to login": 302}
    for name, response in responses.items():
        response.close()  # the static file is streamed from an open file
        assert response.status_code == expected.get(name, 200), name
        assert_security_headers(response)


def test_security_headers_on_the_csrf_error_page(csrf_app, make_user):
    make_user("alice")
    response = login(csrf_app.test_client(), "alice")  # no token
    assert response.status_code == 400
    assert_security_headers(response)


def test_pages_carry_no_inline_script(admin_client, make_article, claim_ids):
    claim = claim_ids(make_article())[0]
    for url in ("/", "/login", f"/claims/{claim}", "/admin/users", "/account/password"):
        page = admin_client.get(url).get_data(as_text=True)
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S)
        assert all(body.strip() == "" for body in scripts), url
        assert not re.search(r"\son[a-z]+\s*=", page), url  # no onclick= and the like


def test_pages_of_logged_in_users_are_not_cached(reviewer_client, client, admin_id):
    assert reviewer_client.get("/").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


def test_the_development_server_names_no_versions(app):
    """``flask run`` serves through werkzeug's server, which announced
    "Werkzeug/x Python/y"; a real server on 127.0.0.1 must now name neither."""
    import http.client
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/login")
        response = connection.getresponse()
        response.read()
        assert response.status in (200, 302)
        server_header = response.getheader("Server", "")
        assert "Werkzeug" not in server_header and "Python" not in server_header
        assert server_header == "annotator"
    finally:
        server.shutdown()
        thread.join(timeout=10)
