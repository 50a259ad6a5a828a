"""Accounts on /admin/users: creating them (with the refusals), deactivating and
reactivating, never one's own; a name taken by a concurrent request.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import PASSWORD
from annotator_testkit.rows import audit_events, new_audit_events
from annotator_testkit.web import login, save

from annotator.extensions import db
from annotator.models import User, Verdict


def flashes(client) -> str:
    """The text of the next page, where flashed messages land."""
    return client.get("/admin/users").get_data(as_text=True)


def test_create_user(app, admin_client, admin_id):
    before = audit_events(app)
    response = admin_client.post(
        "/admin/users", data={"username": "carol", "password": PASSWORD, "role": "reviewer"})
    assert (response.status_code, response.location) == (302, "/admin/users")
    response = admin_client.post(
        "/admin/users", data={"username": "Chief", "password": PASSWORD, "role": "admin"})
    assert response.status_code == 302
    with app.app_context():
        people = {u.username: (u.role, u.is_active, u.username_key)
                  for u in db.session.scalars(sa.select(User))}
    assert people["carol"] == ("reviewer", True, "carol")
    assert people["Chief"] == ("admin", True, "chief")
    created = new_audit_events(app, before)
    assert [(e[0], e[1], e[4]) for e in created] == [
        ("user.create", admin_id, {"username": "carol", "role": "reviewer"}),
        ("user.create", admin_id, {"username": "Chief", "role": "admin"}),
    ]
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "Account carol (reviewer) created." in page
    assert "<td>carol</td>" in page
    carol = app.test_client()
    assert login(carol, "carol").location == "/"
    assert carol.get("/admin/users").status_code == 403


@pytest.mark.parametrize(
    "username, password, role, message",
    [
        ("ALICE", PASSWORD, "reviewer", "is taken"),
        ("Alice", PASSWORD, "admin", "is taken"),
        ("  alice ", PASSWORD, "reviewer", "is taken"),
        ("carol", "short", "reviewer", "at least 10 characters"),
        ("carol", "123456789", "reviewer", "at least 10 characters"),
        ("c", PASSWORD, "reviewer", "2 to 40 characters"),
        ("has space", PASSWORD, "reviewer", "2 to 40 characters"),
        ("<script>", PASSWORD, "reviewer", "2 to 40 characters"),
        ("-carol", PASSWORD, "reviewer", "2 to 40 characters"),
        ("çarol", PASSWORD, "reviewer", "2 to 40 characters"),
        ("c" * 41, PASSWORD, "reviewer", "40"),
        ("", PASSWORD, "reviewer", "This field is required."),
        ("carol", PASSWORD, "superuser", "Not a valid choice"),
    ],
)
def test_create_user_refusals(app, admin_client, reviewer_id, username, password, role, message):
    with app.app_context():
        before_users = db.session.scalar(sa.select(sa.func.count(User.id)))
    before_events = audit_events(app)
    response = admin_client.post(
        "/admin/users", data={"username": username, "password": password, "role": role})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == before_users
    assert audit_events(app) == before_events


def test_deactivate_and_activate(
    app, claims, admin_client, admin_id, reviewer_client, reviewer_id
):
    save(reviewer_client, claims[0], note="ALICE-NOTE", expect=302)
    assert reviewer_client.get("/").status_code == 200
    before = audit_events(app)

    response = admin_client.post(f"/admin/users/{reviewer_id}/deactivate", data=confirmed())
    assert (response.status_code, response.location) == (302, "/admin/users")
    with app.app_context():
        assert db.session.get(User, reviewer_id).is_active is False
        assert db.session.scalar(sa.select(sa.func.count(Verdict.id))) == 1  # verdicts stay
    [event] = new_audit_events(app, before)
    assert event[:4] == ("user.deactivate", admin_id, "user", reviewer_id)
    assert "alice is now deactivated." in flashes(admin_client)

    # Her open session stops at the next request; she cannot log in again.
    response = reviewer_client.get("/claims/1")
    assert (response.status_code, response.location) == (302, "/login?next=%2Fclaims%2F1")
    assert reviewer_client.post(f"/claims/{claims[1]}", data={
        "verdict": "supported", "source_note": "x", "version": ""}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Verdict.id))) == 1
    fresh = app.test_client()
    assert login(fresh, "alice").status_code == 200
    assert fresh.get("/").status_code == 302

    before = audit_events(app)
    assert admin_client.post(f"/admin/users/{reviewer_id}/activate").location == "/admin/users"
    with app.app_context():
        assert db.session.get(User, reviewer_id).is_active is True
    [event] = new_audit_events(app, before)
    assert event[:4] == ("user.activate", admin_id, "user", reviewer_id)
    # Reactivation does not revive the sessions that were open before the deactivation.
    assert reviewer_client.get("/").status_code == 302
    assert login(fresh, "alice").location == "/"


def test_admin_cannot_deactivate_themselves(app, admin_client, admin_id, make_user):
    before = audit_events(app)
    response = admin_client.post(f"/admin/users/{admin_id}/deactivate", data=confirmed())
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, admin_id).is_active is True
    assert audit_events(app) == before
    assert "You cannot deactivate your own account." in flashes(admin_client)
    assert admin_client.get("/admin/users").status_code == 200

    # Another admin can be deactivated, and loses admin access at once.
    chief_id = make_user("chief", "admin")
    chief = app.test_client()
    assert login(chief, "chief").status_code == 302
    admin_client.post(f"/admin/users/{chief_id}/deactivate", data=confirmed())
    assert chief.get("/admin/users").location == "/login?next=%2Fadmin%2Fusers"


def test_username_race_is_reported_as_taken(app, admin_client, monkeypatch):
    """Another request takes the name between our check and our insert."""
    from annotator.services import accounts

    monkeypatch.setattr(accounts, "find_user", lambda name: None)
    # The other request has not committed yet when this one looks for look-alikes either.
    monkeypatch.setattr(accounts, "check_not_look_alike", lambda name: None)
    admin_client.post("/admin/users", data={
        "username": "dup", "password": PASSWORD, "role": "reviewer"})
    response = admin_client.post("/admin/users", data={
        "username": "DUP", "password": PASSWORD, "role": "reviewer"})
    assert response.status_code == 422
    assert "is taken" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.username_key == "dup")
        ) == 1
