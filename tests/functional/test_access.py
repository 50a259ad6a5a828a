"""Who may call what: every route against every kind of visitor, plus the redirect rules.

The route table is checked against ``app.url_map``: a route added without an expectation
here fails ``test_every_route_has_an_expectation`` and every ``test_route_access`` case.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for
from helpers import PASSWORD, login

from annotator.extensions import db
from annotator.models import Article, AuditEvent, Claim, User, Verdict, VerdictRevision

NEW_ARTICLE = b"date 2025-05-01 Exports rose by 4% in March. Imports fell.\n"


# --- helpers ---------------------------------------------------------------------------


def verdict_data(label="supported", note="Checked the statistics office report.", url="",
                 version=""):
    return {"verdict": label, "source_note": note, "source_url": url, "version": version}


def clone_session(app, client):
    """A fresh test client carrying the same session cookie (one browser tab more)."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    if cookie is not None:
        other.set_cookie("session", cookie.value)
    return other


def snapshot(app) -> dict:
    """Everything a request could change, read back from the database."""
    with app.app_context():
        s = db.session
        return {
            "users": [tuple(r) for r in s.execute(
                sa.select(User.id, User.username, User.role, User.is_active).order_by(User.id))],
            "articles": list(s.scalars(sa.select(Article.id).order_by(Article.id))),
            "claims": [tuple(r) for r in s.execute(
                sa.select(Claim.id, Claim.status).order_by(Claim.id))],
            "verdicts": [tuple(r) for r in s.execute(
                sa.select(Verdict.id, Verdict.claim_id, Verdict.reviewer_id, Verdict.label,
                          Verdict.source_note, Verdict.version, Verdict.moderation_state)
                .order_by(Verdict.id))],
            "revisions": s.scalar(sa.select(sa.func.count(VerdictRevision.id))),
            "audit": s.scalar(sa.select(sa.func.count(AuditEvent.id))),
        }


def verdicts(app):
    with app.app_context():
        return {
            (row.claim_id, row.reviewer_id): row
            for row in db.session.execute(
                sa.select(Verdict.id, Verdict.claim_id, Verdict.reviewer_id, Verdict.label,
                          Verdict.source_note, Verdict.version, Verdict.moderation_state)
            )
        }


def user_id(app, username):
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def set_active(app, uid, active):
    with app.app_context():
        db.session.get(User, uid).is_active = active
        db.session.commit()


# --- the route table -------------------------------------------------------------------


@dataclass(frozen=True)
class Go:
    """A 302 whose Location is exactly ``to`` (formatted with the world's ids)."""

    to: str


class _LoginGate:
    """A 302 to /login?next=<the requested path>."""

    def __repr__(self):
        return "LOGIN_GATE"


LOGIN_GATE = _LoginGate()
# "reviewer" is alice, who owns the world's verdict; "second_reviewer" is bob, for whom it
# is someone else's verdict.
ROLES = (
    "anonymous", "reviewer", "second_reviewer", "admin", "deactivated_reviewer",
    "deactivated_admin",
)
_SAME_AS_REVIEWER = object()


def each(anonymous, reviewer, admin, second_reviewer=_SAME_AS_REVIEWER):
    """Expectations per role; a deactivated account is treated exactly like an anonymous one."""
    return {
        "anonymous": anonymous, "reviewer": reviewer, "admin": admin,
        "second_reviewer": reviewer if second_reviewer is _SAME_AS_REVIEWER else second_reviewer,
        "deactivated_reviewer": anonymous, "deactivated_admin": anonymous,
    }


def admin_only(admin_result):
    return each(LOGIN_GATE, 403, admin_result)


def logged_in(result_for_both):
    return each(LOGIN_GATE, result_for_both, result_for_both)


# (rule, method) -> (request body factory taking the world, {role: expectation})
ROUTES = {
    ("/static/<path:filename>", "GET"): (None, each(200, 200, 200)),
    ("/login", "GET"): (None, each(200, Go("/"), Go("/"))),
    ("/login", "POST"): (
        lambda w: {"username": "alice", "password": "not the password"},
        each(200, Go("/"), Go("/")),
    ),
    ("/logout", "POST"): (None, logged_in(Go("/login"))),
    ("/setup", "GET"): (None, each(Go("/login"), Go("/login"), Go("/login"))),
    ("/setup", "POST"): (
        lambda w: {"username": "intruder", "password": PASSWORD, "confirm": PASSWORD},
        each(Go("/login"), Go("/login"), Go("/login")),
    ),
    ("/account/password", "GET"): (None, logged_in(200)),
    # A wrong current password: a success would end the sessions the other rows reuse.
    ("/account/password", "POST"): (
        lambda w: {"current": "not the password", "password": PASSWORD + "!",
                   "confirm": PASSWORD + "!"},
        logged_in(422),
    ),
    ("/", "GET"): (None, logged_in(200)),
    # alice judged claim 1 already; bob and the admin start at the beginning.
    ("/queue", "GET"): (
        None,
        each(LOGIN_GATE, Go("/claims/{claim2}"), Go("/claims/{claim1}"), Go("/claims/{claim1}")),
    ),
    ("/articles/<int:article_id>", "GET"): (None, logged_in(200)),
    ("/claims/<int:claim_id>", "GET"): (None, logged_in(200)),
    ("/claims/<int:claim_id>", "POST"): (
        lambda w: verdict_data(), logged_in(Go("/claims/{claim3}")),
    ),
    ("/admin/", "GET"): (None, admin_only(Go("/admin/moderation"))),
    ("/admin/moderation", "GET"): (None, admin_only(200)),
    ("/admin/verdicts/<int:verdict_id>/approve", "POST"): (
        lambda w: {"version": str(w.current_version())},
        admin_only(Go("/admin/moderation?page=1")),
    ),
    ("/admin/verdicts/<int:verdict_id>/reject", "POST"): (
        lambda w: {"version": str(w.current_version()), "reason": "Not a primary source."},
        admin_only(Go("/admin/moderation?page=1")),
    ),
    ("/admin/claims/<int:claim_id>/hide", "POST"): (None, admin_only(Go("/claims/{claim2}"))),
    ("/admin/claims/<int:claim_id>/unhide", "POST"): (None, admin_only(Go("/claims/{claim2}"))),
    # The admin runs split, merge and re-split in this order on one article, and each
    # bumps its boundary version (1, 2, 3): "Officials| praised the result.", merged back.
    ("/admin/claims/<int:claim_id>/split", "POST"): (
        lambda w: {"at": "9", "version": "1"}, admin_only(Go("/claims/{claim2}")),
    ),
    ("/admin/claims/<int:claim_id>/merge", "POST"): (
        lambda w: {"version": "2"}, admin_only(Go("/claims/{claim2}")),
    ),
    ("/admin/articles/<int:article_id>/resplit", "POST"): (
        lambda w: {"version": "3"}, admin_only(Go("/articles/{article}")),
    ),
    ("/admin/users", "GET"): (None, admin_only(200)),
    ("/admin/users", "POST"): (
        lambda w: {"username": "newbie", "password": PASSWORD, "role": "reviewer"},
        admin_only(Go("/admin/users")),
    ),
    ("/admin/users/<int:user_id>/activate", "POST"): (None, admin_only(Go("/admin/users"))),
    ("/admin/users/<int:user_id>/deactivate", "POST"): (None, admin_only(Go("/admin/users"))),
    ("/admin/import", "GET"): (None, admin_only(200)),
    ("/admin/import", "POST"): (
        lambda w: {"files": [(io.BytesIO(NEW_ARTICLE), "new.txt")]}, admin_only(200),
    ),
    ("/admin/audit", "GET"): (None, admin_only(200)),
    ("/export/", "GET"): (None, logged_in(200)),
    ("/export/verdicts.csv", "GET"): (None, logged_in(200)),
}


def url_map_routes(app) -> list[tuple[object, str]]:
    """(rule object, method) for every route the app answers, HEAD/OPTIONS aside."""
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


@dataclass
class World:
    app: object
    ids: dict

    def current_version(self) -> int:
        with self.app.app_context():
            return db.session.get(Verdict, self.ids["verdict"]).version


@pytest.fixture
def world(app, make_user, make_article, claim_ids, admin_id, reviewer_id, reviewer2_id):
    """An admin, reviewer alice (verdict on claim 1), reviewer bob (none), a victim account
    for (de)activation,
    and two accounts that logged in and were deactivated afterwards."""
    make_user("victor", "reviewer")
    make_user("dora", "reviewer")
    make_user("root2", "admin")
    article = make_article()
    claims = claim_ids(article)
    alice = app.test_client()
    assert login(alice, "alice").status_code == 302
    assert alice.post(f"/claims/{claims[0]}", data=verdict_data()).status_code == 302
    with app.app_context():
        verdict_id = db.session.scalar(sa.select(Verdict.id))
    ids = {
        "article": article, "claim1": claims[0], "claim2": claims[1], "claim3": claims[2],
        "verdict": verdict_id, "victor": user_id(app, "victor"), "admin": admin_id,
        "alice": reviewer_id,
    }
    return World(app, ids)


def _session_for(app, role):
    client = app.test_client()
    username = {
        "anonymous": None, "reviewer": "alice", "second_reviewer": "bob", "admin": "editor",
        "deactivated_reviewer": "dora", "deactivated_admin": "root2",
    }[role]
    if username is not None:
        assert login(client, username).status_code == 302
    if role.startswith("deactivated"):
        set_active(app, user_id(app, username), False)
    return client


def _url(app, rule, world: World) -> str:
    params = {
        "filename": "style.css", "article_id": world.ids["article"],
        "claim_id": world.ids["claim2"], "verdict_id": world.ids["verdict"],
        "user_id": world.ids["victor"],
    }
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: params[name] for name in rule.arguments})


def _check(response, expected, path, ids) -> str | None:
    """Return a description of the mismatch, or None."""
    got = f"{response.status_code} {response.location or ''}".strip()
    if expected is LOGIN_GATE:
        location = urlsplit(response.location or "")
        ok = (response.status_code == 302 and location.path == "/login"
              and parse_qs(location.query).get("next") == [path])
        return None if ok else f"expected 302 to /login?next={path}, got {got}"
    if isinstance(expected, Go):
        target = expected.to.format(**ids)
        ok = response.status_code == 302 and response.location == target
        return None if ok else f"expected 302 to {target}, got {got}"
    return None if response.status_code == expected else f"expected {expected}, got {got}"


def test_every_route_has_an_expectation(app):
    served = {(rule.rule, method) for rule, method in url_map_routes(app)}
    assert served - ROUTES.keys() == set(), "routes without an access expectation"
    assert ROUTES.keys() - served == set(), "expectations for routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_route_access(app, world, role):
    session = _session_for(app, role)
    mismatches = []
    for rule, method in url_map_routes(app):
        key = (rule.rule, method)
        if key not in ROUTES:
            mismatches.append(f"{method} {rule.rule}: no expectation in the access table")
            continue
        body, expectations = ROUTES[key]
        path = _url(app, rule, world)
        client = clone_session(app, session)  # logout in one request must not affect others
        before = snapshot(app)
        kwargs = {}
        if body is not None:
            kwargs["data"] = body(world)
            if any(isinstance(v, list) for v in kwargs["data"].values()):
                kwargs["content_type"] = "multipart/form-data"
        response = client.open(path, method=method, **kwargs)
        response.get_data()  # run streamed bodies (the CSV) to the end inside the test
        response.close()
        problem = _check(response, expectations[role], path, world.ids)
        if problem:
            mismatches.append(f"{role} {method} {path}: {problem}")
        # Refused requests must not change anything.
        refused = expectations[role] is LOGIN_GATE or expectations[role] == 403
        must_not_write = refused or key in {("/setup", "POST"), ("/login", "POST")}
        if must_not_write and snapshot(app) != before:
            mismatches.append(f"{role} {method} {path}: refused but the database changed")
    assert mismatches == []
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.username == "intruder")) is None


def test_forbidden_admin_actions_change_nothing(app, world, reviewer2_client):
    before = snapshot(app)
    vid, claim = world.ids["verdict"], world.ids["claim1"]
    for path, data in [
        (f"/admin/verdicts/{vid}/approve", {"version": "1"}),
        (f"/admin/verdicts/{vid}/reject", {"version": "1", "reason": "no"}),
        (f"/admin/claims/{claim}/hide", {}),
        (f"/admin/users/{world.ids['admin']}/deactivate", {}),
        ("/admin/users", {"username": "mallory", "password": PASSWORD, "role": "admin"}),
    ]:
        assert reviewer2_client.post(path, data=data).status_code == 403, path
    assert snapshot(app) == before


def test_deactivated_account_cannot_log_in(app, make_user, admin_id):
    make_user("dora", "reviewer", active=False)
    client = app.test_client()
    response = login(client, "dora")
    assert response.status_code == 200
    assert b"deactivated account" in response.data
    assert client.get("/").status_code == 302


def test_session_of_deactivated_account_stops_at_next_request(app, reviewer_client, reviewer_id):
    assert reviewer_client.get("/").status_code == 200
    set_active(app, reviewer_id, False)
    response = reviewer_client.get("/")
    assert response.status_code == 302
    assert response.location == "/login?next=%2F"
    assert reviewer_client.get("/export/verdicts.csv").status_code == 302


def test_wrong_password_is_refused(app, reviewer_id):
    client = app.test_client()
    response = login(client, "alice", "wrong password!!")
    assert response.status_code == 200
    assert b"Unknown username, wrong password" in response.data
    assert client.get("/").status_code == 302


def test_logout_ends_the_session(reviewer_client):
    assert reviewer_client.post("/logout").location == "/login"
    assert reviewer_client.get("/").status_code == 302


# --- wrong owner -----------------------------------------------------------------------


def test_no_reviewer_route_takes_a_verdict_id(app):
    with_verdict_id = [r.rule for r in app.url_map.iter_rules() if "verdict_id" in r.arguments]
    assert with_verdict_id
    assert all(rule.startswith("/admin/") for rule in with_verdict_id)


def test_reviewer_cannot_change_another_reviewers_verdict(
    app, make_article, claim_ids, reviewer_id, reviewer2_id, reviewer_client, reviewer2_client
):
    claim = claim_ids(make_article())[0]
    assert reviewer_client.post(
        f"/claims/{claim}", data=verdict_data("supported", "ALICE-NOTE")
    ).status_code == 302
    alice_before = verdicts(app)[(claim, reviewer_id)]

    # Bob replays alice's form, version included: it cannot reach alice's verdict.
    response = reviewer2_client.post(
        f"/claims/{claim}", data=verdict_data("disputed", "BOB-OVERWRITE", version="1")
    )
    assert response.status_code == 409
    assert b"ALICE-NOTE" not in response.data  # nor does the refusal show her verdict
    assert set(verdicts(app)) == {(claim, reviewer_id)}
    assert verdicts(app)[(claim, reviewer_id)] == alice_before

    # Bob's own save creates bob's verdict and leaves alice's alone.
    assert reviewer2_client.post(
        f"/claims/{claim}", data=verdict_data("disputed", "BOB-NOTE")
    ).status_code == 302
    # ... and his revision changes only his.
    assert reviewer2_client.post(
        f"/claims/{claim}", data=verdict_data("unclear", "BOB-NOTE-2", version="1")
    ).status_code == 302
    rows = verdicts(app)
    assert rows[(claim, reviewer_id)] == alice_before
    assert (rows[(claim, reviewer2_id)].label, rows[(claim, reviewer2_id)].source_note,
            rows[(claim, reviewer2_id)].version) == ("unclear", "BOB-NOTE-2", 2)
    with app.app_context():
        alice_revisions = db.session.scalar(
            sa.select(sa.func.count(VerdictRevision.id))
            .where(VerdictRevision.verdict_id == alice_before.id)
        )
    assert alice_revisions == 1


def test_reviewer_csv_holds_only_own_verdicts_admin_csv_holds_all(
    app, make_article, claim_ids, admin_client, reviewer_client, reviewer2_client
):
    claim = claim_ids(make_article())[0]
    reviewer_client.post(f"/claims/{claim}", data=verdict_data(note="ALICE-NOTE"))
    reviewer2_client.post(f"/claims/{claim}", data=verdict_data(note="BOB-NOTE"))
    mine = reviewer_client.get("/export/verdicts.csv")
    assert mine.status_code == 200 and mine.mimetype == "text/csv"
    assert b"ALICE-NOTE" in mine.data and b"BOB-NOTE" not in mine.data
    everything = admin_client.get("/export/verdicts.csv").data
    assert b"ALICE-NOTE" in everything and b"BOB-NOTE" in everything


# --- open redirects after login ----------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/\t/evil.example",
        " //evil.example",
        "http:evil.example",
        "https:/evil.example/",
        "HTTPS://evil.example/articles/1",
        "/articles/1\r\nSet-Cookie: stolen=1",
    ],
)
def test_login_next_offsite_lands_on_index(app, reviewer_id, target):
    client = app.test_client()
    response = login(client, "alice", next_=target)
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("target", ["/articles/1", "/claims/2?x=1", "/export/"])
def test_login_next_same_site_path_is_honoured(app, reviewer_id, target):
    client = app.test_client()
    response = login(client, "alice", next_=target)
    assert response.status_code == 302
    assert response.location == target


def test_login_gate_round_trip_returns_to_the_requested_page(app, reviewer_id, make_article):
    article = make_article()
    client = app.test_client()
    gate = client.get(f"/articles/{article}")
    assert gate.status_code == 302
    page = client.get(gate.location)
    assert page.status_code == 200
    # The login form carries the target in its hidden "next" field, as a browser posts it.
    assert f'name="next" type="hidden" value="/articles/{article}"'.encode() in page.data
    response = login(client, "alice", next_=f"/articles/{article}")
    assert response.location == f"/articles/{article}"
    assert client.get(response.location).status_code == 200


def test_login_page_escapes_next(app, admin_id):
    page = app.test_client().get('/login?next="><script>alert(1)</script>')
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_login_page_with_offsite_next_still_lands_on_index(app, reviewer_id):
    client = app.test_client()
    page = client.get("/login?next=https://evil.example")
    assert page.status_code == 200
    response = login(client, "alice", next_="https://evil.example")
    assert response.location == "/"


# --- setup gate ------------------------------------------------------------------------


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


def test_setup_creates_the_first_admin_then_closes(app, client):
    response = client.post(
        "/setup", data={"username": "boss", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert (response.status_code, response.location) == (302, "/")
    with app.app_context():
        users = db.session.execute(sa.select(User.username, User.role, User.is_active)).all()
    assert [tuple(u) for u in users] == [("boss", "admin", True)]
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


# --- 404 and 405 -----------------------------------------------------------------------


def test_missing_ids_answer_404(app, admin_client, reviewer_client, make_article):
    make_article()
    for client, method, path in [
        (reviewer_client, "GET", "/articles/999"),
        (reviewer_client, "GET", "/claims/999"),
        (reviewer_client, "POST", "/claims/999"),
        (admin_client, "GET", "/articles/999"),
        (admin_client, "POST", "/admin/verdicts/999/approve"),
        (admin_client, "POST", "/admin/verdicts/999/reject"),
        (admin_client, "POST", "/admin/claims/999/hide"),
        (admin_client, "POST", "/admin/claims/999/unhide"),
        (admin_client, "POST", "/admin/users/999/activate"),
        (admin_client, "POST", "/admin/users/999/deactivate"),
        (admin_client, "GET", "/no-such-page"),
    ]:
        data = verdict_data(version="1") if path.startswith("/claims/") else {"version": "1"}
        response = client.open(path, method=method, data=data)
        assert response.status_code == 404, (method, path)
        assert b"There is nothing at this address." in response.data


def test_missing_ids_do_not_leak_to_others(app, reviewer_client, admin_id):
    # Anonymous visitors meet the login gate; reviewers meet 403 on admin ids.
    assert app.test_client().get("/articles/999").location.startswith("/login")
    assert reviewer_client.post("/admin/verdicts/999/approve").status_code == 403


def test_wrong_methods_answer_405(admin_client, reviewer_client, make_article):
    make_article()
    for client in (admin_client, reviewer_client):
        for method, path in [
            ("GET", "/logout"),
            ("POST", "/"),
            ("POST", "/queue"),
            ("PUT", "/claims/1"),
            ("DELETE", "/articles/1"),
            ("POST", "/export/verdicts.csv"),
            ("GET", "/admin/verdicts/1/approve"),
            ("GET", "/admin/claims/1/hide"),
            ("DELETE", "/admin/users"),
        ]:
            response = client.open(path, method=method)
            assert response.status_code == 405, (method, path)
