"""The setup page, the one place where the first admin is made.

Before any account exists every page leads to it; the first visitor creates the admin
there (on a database made by a first start); then it closes for good, also for a visitor
who races the first one. Bad and hostile usernames are refused, and guessing is limited
per address.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit import hostile
from annotator_testkit.apps import dispose
from annotator_testkit.constants import PASSWORD
from annotator_testkit.pages import assert_no_raw_markup, html_of
from annotator_testkit.rows import snapshot
from annotator_testkit.web import from_address

from annotator import create_app
from annotator.extensions import db
from annotator.models import SiteState, User


def test_before_any_account_every_page_leads_to_setup(app, client):
    for path in ["/", "/login", "/queue", "/articles/1", "/claims/1", "/admin/",
                 "/admin/users", "/admin/import", "/export/", "/export/verdicts.csv"]:
        response = client.get(path)
        assert (response.status_code, response.location) == (302, "/setup"), path
    assert client.post("/login", data={"username": "x", "password": "y"}).location == "/setup"
    assert client.post("/admin/users", data={}).location == "/setup"
    assert client.get("/setup").status_code == 200
    with client.get("/static/style.css") as response:
        assert response.status_code == 200


def test_setup_refuses_bad_input_and_creates_nothing(app, client):
    cases = [
        {"username": "boss", "password": PASSWORD, "confirm": PASSWORD + "x"},  # differ
        {"username": "boss", "password": "short", "confirm": "short"},  # too short
        {"username": "b", "password": PASSWORD, "confirm": PASSWORD},  # bad username
        {"username": "", "password": PASSWORD, "confirm": PASSWORD},  # missing
    ]
    for data in cases:
        response = client.post("/setup", data=data)
        assert response.status_code == 200, data
        assert b'class="error"' in response.data, data
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert client.get("/").location == "/setup"


def test_first_visitor_creates_the_admin_then_setup_closes(tmp_path, first_start_env):
    """On a first start (no table yet) the setup page makes the first admin, who is logged
    in at once; then setup is closed for good: nobody can make a second admin there."""
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SEED_ON_START": False},
                     instance_path=str(tmp_path))
    client = app.test_client()
    page = client.get("/setup").get_data(as_text=True)
    assert "Create admin account" in page
    short = client.post("/setup", data={"username": "chief", "password": "short",
                                        "confirm": "short"})
    assert "at least 10 characters" in short.get_data(as_text=True)

    response = client.post(
        "/setup", data={"username": "chief", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert (response.status_code, response.location) == (302, "/")
    with app.app_context():
        users = db.session.execute(sa.select(User.username, User.role, User.is_active)).all()
        admin = db.session.scalar(sa.select(User))
        assert admin.password_hash != PASSWORD and admin.check_password(PASSWORD)
    assert [tuple(u) for u in users] == [("chief", "admin", True)]
    assert client.get("/").status_code == 200  # logged in as the new admin
    assert client.get("/admin/users").status_code == 200

    # Closed for good: another visitor cannot create a second admin.
    other = app.test_client()
    assert other.get("/setup").location == "/login"
    response = other.post(
        "/setup", data={"username": "second", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.location == "/login"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    assert other.get("/").location == "/login?next=%2F"
    dispose(app)


def test_setup_refuses_a_second_admin_even_when_racing(app, client):
    """The loser of two simultaneous setups finds the 'setup' row taken."""
    with app.app_context():
        db.session.add(SiteState(key="setup"))
        db.session.commit()
    response = client.post("/setup", data={
        "username": "late", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 200
    assert "Someone has just completed the setup" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("payload", hostile.TYPED_TEXT)
def test_setup_refuses_hostile_usernames(app, client, payload):
    before = snapshot(app)
    response = client.post("/setup", data={"username": payload, "password": PASSWORD,
                                           "confirm": PASSWORD})
    assert response.status_code == 200
    html = html_of(response)
    assert "A username has 2 to 40 characters" in html or "cannot be longer than 40" in html \
        or "This field is required" in html
    assert_no_raw_markup(html)
    assert snapshot(app) == before


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
