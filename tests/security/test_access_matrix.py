"""Who may call what: every route against every kind of visitor, and whose rows they reach.

The route table is checked against ``app.url_map``: a route added without an expectation
here fails ``test_every_route_has_an_expectation`` and every ``test_route_access`` case.
A refused request must leave every table as it was.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import PASSWORD
from annotator_testkit.rows import set_active, snapshot
from annotator_testkit.web import login, verdict_form
from flask import url_for

from annotator.extensions import db
from annotator.models import User, Verdict, VerdictRevision

NEW_ARTICLE = b"date 2025-05-01 Exports rose by 4% in March. Imports fell.\n"


def clone_session(app, client):
    """A fresh test client carrying the same session cookie (one browser tab more)."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    if cookie is not None:
        other.set_cookie("session", cookie.value)
    return other


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
    # alice goes on from her verdict on claim 1; bob and the admin start at the oldest
    # article's first claim, which still needs an independent review.
    ("/queue", "GET"): (
        None,
        each(LOGIN_GATE, Go("/claims/{claim2}"), Go("/claims/{claim1}"), Go("/claims/{claim1}")),
    ),
    # Each role has saved a verdict on claim 2 by then (the row below runs first): the skip
    # is refused back to the claim (test_queue_day.py covers skipping proper); the undo,
    # with nothing to undo, returns to the skips page.
    ("/claims/<int:claim_id>/skip", "POST"): (None, logged_in(Go("/claims/{claim2}"))),
    ("/claims/<int:claim_id>/skip/undo", "POST"): (None, logged_in(Go("/skips"))),
    ("/skips", "GET"): (None, logged_in(200)),
    ("/articles/<int:article_id>", "GET"): (None, logged_in(200)),
    ("/claims/<int:claim_id>", "GET"): (None, logged_in(200)),
    ("/claims/<int:claim_id>", "POST"): (
        lambda w: verdict_form(), logged_in(Go("/claims/{claim3}")),
    ),
    ("/admin/", "GET"): (None, admin_only(Go("/admin/desk"))),
    ("/admin/desk", "GET"): (None, admin_only(200)),
    ("/admin/claims/<int:claim_id>/decide", "POST"): (
        lambda w: {"final_verdict": "supported", "rationale": "Checked.",
                   "sources": "https://example.org/"},
        admin_only(Go("/admin/desk#claim-{claim2}")),
    ),
    # Without "confirm": the confirmation page, which changes nothing.
    ("/admin/desk/decide-unanimous", "POST"): (
        lambda w: {"claim": str(w.ids["claim2"])}, admin_only(200),
    ),
    ("/admin/agreement", "GET"): (None, admin_only(200)),
    ("/admin/moderation", "GET"): (None, admin_only(200)),
    ("/admin/verdicts/<int:verdict_id>/approve", "POST"): (
        lambda w: {"version": str(w.current_version())},
        admin_only(Go("/admin/moderation")),
    ),
    ("/admin/verdicts/<int:verdict_id>/reject", "POST"): (
        lambda w: {"version": str(w.current_version()), "reason": "Not a primary source."},
        admin_only(Go("/admin/moderation")),
    ),
    # Hide, unhide, split, merge, re-split and deactivate ask for confirmation first: the
    # table posts the second step (confirm=yes), which acts.
    ("/admin/claims/<int:claim_id>/hide", "POST"): (
        lambda w: confirmed(), admin_only(Go("/claims/{claim2}")),
    ),
    ("/admin/claims/<int:claim_id>/unhide", "POST"): (
        lambda w: confirmed(), admin_only(Go("/claims/{claim2}")),
    ),
    # The admin runs split, merge and re-split in this order on one article, and each
    # bumps its boundary version (1, 2, 3): "Officials| praised the result.", merged back.
    ("/admin/claims/<int:claim_id>/split", "POST"): (
        lambda w: confirmed({"at": "9", "version": "1"}), admin_only(Go("/claims/{claim2}")),
    ),
    ("/admin/claims/<int:claim_id>/merge", "POST"): (
        lambda w: confirmed({"version": "2"}), admin_only(Go("/claims/{claim2}")),
    ),
    ("/admin/articles/<int:article_id>/resplit", "POST"): (
        lambda w: confirmed({"version": "3"}), admin_only(Go("/articles/{article}")),
    ),
    # Archive, then restore (the next route in the table): the article comes back as it was.
    ("/admin/articles/<int:article_id>/archive", "POST"): (
        lambda w: confirmed(), admin_only(Go("/articles/{article}")),
    ),
    ("/admin/articles/<int:article_id>/restore", "POST"): (
        None, admin_only(Go("/articles/{article}")),
    ),
    ("/admin/users", "GET"): (None, admin_only(200)),
    ("/admin/users", "POST"): (
        lambda w: {"username": "newbie", "password": PASSWORD, "role": "reviewer"},
        admin_only(Go("/admin/users")),
    ),
    ("/admin/users/<int:user_id>/activate", "POST"): (None, admin_only(Go("/admin/users"))),
    ("/admin/users/<int:user_id>/deactivate", "POST"): (
        lambda w: confirmed(), admin_only(Go("/admin/users")),
    ),
    # Confirmed, but victor was deactivated by the row above: refused, back to the Users
    # page (an active account gets the page showing its temporary password, a 200).
    ("/admin/users/<int:user_id>/reset-password", "POST"): (
        lambda w: confirmed(), admin_only(Go("/admin/users")),
    ),
    ("/admin/import", "GET"): (None, admin_only(200)),
    ("/admin/import", "POST"): (
        lambda w: {"files": [(io.BytesIO(NEW_ARTICLE), "new.txt")]}, admin_only(200),
    ),
    ("/admin/audit", "GET"): (None, admin_only(200)),
    ("/admin/settings", "GET"): (None, admin_only(200)),
    ("/admin/settings", "POST"): (
        lambda w: {"queue_order": "newest"}, admin_only(Go("/admin/settings")),
    ),
    ("/export/", "GET"): (None, logged_in(200)),
    ("/export/verdicts.csv", "GET"): (None, logged_in(200)),
    # A summary of everyone's verdicts: reviewers must not learn others' opinions from it.
    ("/export/claims.csv", "GET"): (None, admin_only(200)),
    ("/progress", "GET"): (None, logged_in(200)),
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
    assert alice.post(f"/claims/{claims[0]}", data=verdict_form()).status_code == 302
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


def _session_tokens(app) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(sa.select(User.id, User.session_token)).all())


def _restore_session_tokens(app, tokens: dict[int, str]) -> None:
    with app.app_context():
        for user in db.session.scalars(sa.select(User)):
            user.session_token = tokens[user.id]
        db.session.commit()


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
        tokens = _session_tokens(app)
        response = client.open(path, method=method, **kwargs)
        response.get_data()  # run streamed bodies (the CSV) to the end inside the test
        response.close()
        if key == ("/logout", "POST"):
            # Logout ends every session of the account; the other requests of the matrix
            # go on in the session they started with.
            _restore_session_tokens(app, tokens)
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


def test_reviewers_get_403_on_every_boundary_route(app, article, claims, reviewer_client):
    before = snapshot(app)
    for path in [f"/admin/claims/{claims[0]}/split", f"/admin/claims/{claims[0]}/merge",
                 f"/admin/articles/{article}/resplit"]:
        response = reviewer_client.post(path, data={"at": "9", "version": "1"})
        assert response.status_code == 403, path
    assert snapshot(app) == before
    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert "/merge" not in page and "/split" not in page
    assert "/resplit" not in reviewer_client.get(f"/articles/{article}").get_data(as_text=True)


def test_no_reviewer_route_takes_a_verdict_id(app):
    with_verdict_id = [r.rule for r in app.url_map.iter_rules() if "verdict_id" in r.arguments]
    assert with_verdict_id
    assert all(rule.startswith("/admin/") for rule in with_verdict_id)


def test_reviewer_cannot_change_another_reviewers_verdict(
    app, make_article, claim_ids, reviewer_id, reviewer2_id, reviewer_client, reviewer2_client
):
    claim = claim_ids(make_article())[0]
    assert reviewer_client.post(
        f"/claims/{claim}", data=verdict_form("supported", "ALICE-NOTE")
    ).status_code == 302
    alice_before = verdicts(app)[(claim, reviewer_id)]

    # Bob replays alice's form, version included: it cannot reach alice's verdict.
    response = reviewer2_client.post(
        f"/claims/{claim}", data=verdict_form("disputed", "BOB-OVERWRITE", version="1")
    )
    assert response.status_code == 409
    assert b"ALICE-NOTE" not in response.data  # nor does the refusal show her verdict
    assert set(verdicts(app)) == {(claim, reviewer_id)}
    assert verdicts(app)[(claim, reviewer_id)] == alice_before

    # Bob's own save creates bob's verdict and leaves alice's alone.
    assert reviewer2_client.post(
        f"/claims/{claim}", data=verdict_form("disputed", "BOB-NOTE")
    ).status_code == 302
    # ... and his revision changes only his.
    assert reviewer2_client.post(
        f"/claims/{claim}", data=verdict_form("unclear", "BOB-NOTE-2", version="1")
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
