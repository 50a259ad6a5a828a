"""CSRF really on: tokens read from the pages and posted back; POSTs without one change nothing."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers import PASSWORD, csrf_token

from annotator.extensions import db
from annotator.models import AuditEvent, Claim, User, Verdict


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, Verdict, AuditEvent)
        } | {
            "hidden": db.session.scalar(
                sa.select(sa.func.count()).select_from(Claim).where(Claim.status == "hidden")
            )
        }


def _post_form(client, url: str, data: dict, page: str | None = None):
    """Fetch the page holding the form, read its token, post it back."""
    html = client.get(page or url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_token(html)})


def test_whole_flow_with_real_tokens(csrf_app, make_article, claim_ids):
    article_id = make_article()
    first, second, *_ = claim_ids(article_id)
    admin = csrf_app.test_client()

    response = _post_form(
        admin, "/setup", {"username": "editor", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302
    response = _post_form(
        admin, "/admin/users", {"username": "alice", "password": PASSWORD, "role": "reviewer"}
    )
    assert response.status_code == 302

    reviewer = csrf_app.test_client()
    response = _post_form(reviewer, "/login", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    response = _post_form(
        reviewer, f"/claims/{first}",
        {"verdict": "supported", "source_note": "Statistics office release", "version": ""},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/claims/{second}")

    with csrf_app.app_context():
        verdict = db.session.scalar(sa.select(Verdict))
        assert (verdict.label, verdict.moderation_state) == ("supported", "pending")
        verdict_id = verdict.id

    response = _post_form(
        admin, f"/admin/verdicts/{verdict_id}/approve", {"version": "1"}, page="/admin/moderation"
    )
    assert response.status_code == 302
    with csrf_app.app_context():
        assert db.session.get(Verdict, verdict_id).moderation_state == "approved"

    response = _post_form(reviewer, "/logout", {}, page="/")
    assert response.status_code == 302
    assert reviewer.get("/").status_code == 302  # logged out: back to the login page


def test_login_without_token_is_refused(csrf_app, make_user):
    make_user("alice")
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert "security token is missing or expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not logged in


def test_every_post_without_token_changes_nothing(csrf_app, make_user, make_article, claim_ids):
    """Walk the URL map: each POST endpoint, sent without a token by a logged-in admin."""
    make_user("editor", "admin")
    alice = make_user("alice")
    article_id = make_article()
    claim = claim_ids(article_id)[0]
    with csrf_app.app_context():
        verdict = Verdict(claim_id=claim, reviewer_id=alice, label="unclear", source_note="n")
        db.session.add(verdict)
        db.session.commit()
        verdict_id = verdict.id

    client = csrf_app.test_client()
    response = _post_form(client, "/login", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302

    ids = {"claim_id": claim, "verdict_id": verdict_id, "user_id": alice, "article_id": article_id}
    before = _counts(csrf_app)
    checked = 0
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in ("auth.setup", "auth.login"):
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)
        data = {
            "verdict": "supported", "source_note": "forged", "version": "1", "reason": "forged",
            "username": "mallory", "password": PASSWORD, "role": "admin",
        }
        response = client.post(url, data=data)
        body = response.get_data(as_text=True)
        assert response.status_code == 400, url
        assert "Nothing was changed" in body, url
        checked += 1
        assert _counts(csrf_app) == before, url
    with csrf_app.app_context():
        stored = db.session.get(Verdict, verdict_id)
        assert (stored.label, stored.moderation_state, stored.version) == ("unclear", "pending", 1)
        assert db.session.get(User, alice).is_active
    assert checked >= 8


def test_token_from_another_session_is_refused(csrf_app, make_user, make_article, claim_ids):
    make_user("alice")
    claim = claim_ids(make_article())[0]
    attacker = csrf_app.test_client()
    foreign_token = csrf_token(attacker.get("/login").get_data(as_text=True))

    victim = csrf_app.test_client()
    _post_form(victim, "/login", {"username": "alice", "password": PASSWORD})
    response = victim.post(
        f"/claims/{claim}",
        data={"verdict": "disputed", "source_note": "forged", "version": "",
              "csrf_token": foreign_token},
    )
    assert response.status_code == 400
    with csrf_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Verdict)) == 0
