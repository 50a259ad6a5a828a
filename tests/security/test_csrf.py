"""CSRF really on: tokens read from the pages and posted back; POSTs without one change
nothing. Also the form reader these tests rely on.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from annotator_testkit.confirm import confirmed, say_yes
from annotator_testkit.constants import NEW_PASSWORD, PASSWORD, PLAN_TEXT
from annotator_testkit.forms import csrf_token, form_for, form_inputs, hidden_inputs, post_form
from annotator_testkit.rows import audit_events, password_state, snapshot
from annotator_testkit.web import password_works

from annotator.extensions import db
from annotator.models import Article, AuditEvent, Claim, User, Verdict


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


def test_whole_flow_with_real_tokens(csrf_app, make_article, claim_ids):
    article_id = make_article()
    first, second, third, *_ = claim_ids(article_id)
    admin = csrf_app.test_client()

    response = post_form(
        admin, "/setup", {"username": "editor", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302
    response = post_form(
        admin, "/admin/users", {"username": "alice", "password": PASSWORD, "role": "reviewer"}
    )
    assert response.status_code == 302

    reviewer = csrf_app.test_client()
    response = post_form(reviewer, "/login", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    # The verdict form's version (empty for a first verdict) comes from the page too.
    response = post_form(
        reviewer, f"/claims/{first}",
        {"verdict": "supported", "source_note": "Statistics office release"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/claims/{second}")
    response = post_form(
        reviewer, f"/claims/{second}", {"verdict": "disputed", "source_note": "Revised twice"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/claims/{third}")

    with csrf_app.app_context():
        verdicts = {
            v.claim_id: (v.id, v.label, v.moderation_state, v.version)
            for v in db.session.scalars(sa.select(Verdict))
        }
    assert verdicts == {
        first: (verdicts[first][0], "supported", "pending", 1),
        second: (verdicts[second][0], "disputed", "pending", 1),
    }
    approved_id, rejected_id = verdicts[first][0], verdicts[second][0]

    # Each verdict card on the moderation page has its own approve and reject forms; their
    # version input comes from the page.
    response = post_form(
        admin, f"/admin/verdicts/{approved_id}/approve", {}, page="/admin/moderation"
    )
    assert response.status_code == 302
    response = post_form(
        admin, f"/admin/verdicts/{rejected_id}/reject", {"reason": "Cite the revision."},
        page="/admin/moderation",
    )
    assert response.status_code == 302
    with csrf_app.app_context():
        approved = db.session.get(Verdict, approved_id)
        rejected = db.session.get(Verdict, rejected_id)
        assert approved.moderation_state == "approved"
        assert (rejected.moderation_state, rejected.moderation_reason) == (
            "rejected", "Cite the revision."
        )

    # Hiding asks first; the confirmation page's own form, token included, does it.
    response = post_form(admin, f"/admin/claims/{third}/hide", {}, page=f"/claims/{third}")
    with csrf_app.app_context():
        assert db.session.get(Claim, third).status == "open"
    response = say_yes(admin, f"/admin/claims/{third}/hide", response)
    assert response.status_code == 302
    with csrf_app.app_context():
        assert db.session.get(Claim, third).status == "hidden"
        actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-4:] == ["user.create", "verdict.approve", "verdict.reject", "claim.hide"]

    response = post_form(admin, "/logout", {}, page="/admin/moderation")
    assert response.status_code == 302
    assert admin.get("/admin/moderation").status_code == 302
    response = post_form(reviewer, "/logout", {}, page="/")
    assert response.status_code == 302
    assert reviewer.get("/").status_code == 302  # logged out: back to the login page


def test_login_without_token_is_refused(csrf_app, make_user):
    make_user("alice")
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert "security token is missing or expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not logged in


def test_every_post_without_token_changes_nothing(csrf_app, make_user, make_article, claim_ids,
                                                  make_verdict):
    """Walk the URL map: each POST endpoint, sent without a token by a logged-in admin."""
    make_user("editor", "admin")
    alice = make_user("alice")
    article_id = make_article()
    claim = claim_ids(article_id)[0]
    verdict_id = make_verdict(claim, alice, "unclear", "n")

    client = csrf_app.test_client()
    response = post_form(client, "/login", {"username": "editor", "password": PASSWORD})
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
    post_form(victim, "/login", {"username": "alice", "password": PASSWORD})
    response = victim.post(
        f"/claims/{claim}",
        data={"verdict": "disputed", "source_note": "forged", "version": "",
              "csrf_token": foreign_token},
    )
    assert response.status_code == 400
    with csrf_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Verdict)) == 0


def test_password_change_without_token_changes_nothing(app, csrf_app, make_user):
    make_user("alice")
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={
        **form_for(page, "/login").hidden(), "username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    before = password_state(csrf_app, "alice")

    response = client.post("/account/password", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert password_state(csrf_app, "alice") == before
    assert client.get("/").status_code == 200
    assert password_works(app, "alice", PASSWORD)


def test_password_change_with_the_pages_token_works(app, csrf_app, make_user):
    make_user("alice")
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={
        **form_for(page, "/login").hidden(), "username": "alice", "password": PASSWORD})

    page = client.get("/account/password").get_data(as_text=True)
    form = form_for(page, "/account/password")
    response = client.post("/account/password", data={
        **form.hidden(), "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert (response.status_code, response.location) == (302, "/")
    assert client.get("/").status_code == 200
    assert password_works(app, "alice", NEW_PASSWORD)
    assert not password_works(app, "alice", PASSWORD)


def test_boundary_forms_carry_their_own_tokens(csrf_app, make_article, claim_ids, admin_id):
    """With CSRF on, the split, merge and re-split forms post back the page's token."""
    article = make_article(PLAN_TEXT, "plan.txt")
    claims = claim_ids(article)
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={
        **hidden_inputs(login_page, "/login"), "username": "editor",
        "password": PASSWORD})
    assert response.status_code == 302

    # Each asks first; the confirmation page's own form (its token, the carried fields) acts.
    split, merge = f"/admin/claims/{claims[0]}/split", f"/admin/claims/{claims[0]}/merge"
    resplit = f"/admin/articles/{article}/resplit"
    page = client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    first = client.post(split, data={**hidden_inputs(page, split), "at": "9"})
    assert say_yes(client, split, first).status_code == 302
    page = client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    first = client.post(merge, data=hidden_inputs(page, merge))
    assert say_yes(client, merge, first).status_code == 302
    page = client.get(f"/articles/{article}").get_data(as_text=True)
    first = client.post(resplit, data=hidden_inputs(page, resplit))
    assert say_yes(client, resplit, first).status_code == 302
    # Without the token: refused, nothing changed.
    before = snapshot(csrf_app)
    with csrf_app.app_context():
        version = str(db.session.get(Article, article).boundary_version)
    response = client.post(f"/admin/claims/{claims[0]}/split",
                           data=confirmed({"at": "9", "version": version}))
    assert response.status_code == 400
    assert snapshot(csrf_app) == before
    assert [e[0] for e in audit_events(csrf_app)][-3:] == ["claim.split", "claim.merge",
                                                    "article.resplit"]
    with csrf_app.app_context():
        first = db.session.scalar(
            sa.select(Claim.text).where(Claim.article_id == article, Claim.retired_at.is_(None))
            .order_by(Claim.position))
    assert first == "Officials said the plan would cost $3 billion."


def test_refused_verdict_form_gives_the_typed_note_back(csrf_app, make_user, make_article,
                                                        claim_ids):
    make_user("alice")
    claim = claim_ids(make_article())[0]
    client = csrf_app.test_client()
    post_form(client, "/login", {"username": "alice", "password": PASSWORD})
    note = "Two hours of work: <b>census table 4</b>, page 12"
    response = client.post(f"/claims/{claim}", data={
        "verdict": "supported", "source_note": note, "version": "", "csrf_token": "expired"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Your source note, so that nothing is lost" in html
    assert "Two hours of work: &lt;b&gt;census table 4&lt;/b&gt;, page 12</textarea>" in html
    with csrf_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Verdict)) == 0


def test_csrf_page_echoes_text_only_to_logged_in_users(csrf_app, admin_id):
    response = csrf_app.test_client().post("/login", data={
        "username": "x", "password": "y", "source_note": "Call +1-555 to verify your account"})
    assert response.status_code == 400
    assert "Call +1-555" not in response.get_data(as_text=True)


TWO_FORMS = """
<form class="logout" method="post" action="/logout">
  <input type="hidden" name="csrf_token" value="LOGOUT-TOKEN">
  <button type="submit">Log out</button>
</form>
<form method="post" action="/claims/7" novalidate>
  {token}
  <input type="hidden" name="version" value="3">
  <input type="radio" name="verdict" value="supported">
  <input type="radio" name="verdict" value="disputed" checked>
  <textarea name="source_note">
A &amp; B</textarea>
  <input type="url" name="source_url" value="">
  <button type="submit">Save</button>
</form>
<form method="get" action="/claims/8"><input type="hidden" name="csrf_token" value="GET"></form>
"""


OWN_TOKEN = '<input type="hidden" name="csrf_token" value="FORM-TOKEN">'


def test_form_reader_returns_the_target_forms_own_inputs():
    html = TWO_FORMS.format(token=OWN_TOKEN)
    assert hidden_inputs(html, "/claims/7") == {"csrf_token": "FORM-TOKEN", "version": "3"}
    assert form_inputs(html, "/claims/7") == {
        "csrf_token": "FORM-TOKEN", "version": "3", "verdict": "disputed",
        "source_note": "A & B", "source_url": "",
    }
    assert hidden_inputs(html, "/logout") == {"csrf_token": "LOGOUT-TOKEN"}
    assert csrf_token(html) == "LOGOUT-TOKEN"  # the old helper: first token in the page


def test_form_reader_refuses_a_form_without_its_own_token():
    """The logout form's token must not stand in for the posted form's missing one."""
    html = TWO_FORMS.format(token="")
    with pytest.raises(AssertionError, match="no csrf_token input of its own"):
        hidden_inputs(html, "/claims/7")
    with pytest.raises(AssertionError, match="empty or visible csrf_token"):
        hidden_inputs(TWO_FORMS.format(token='<input name="csrf_token" value="x">'), "/claims/7")
    with pytest.raises(AssertionError, match="empty or visible csrf_token"):
        hidden_inputs(
            TWO_FORMS.format(token='<input type="hidden" name="csrf_token" value="">'),
            "/claims/7",
        )


def test_form_reader_needs_exactly_one_post_form_for_the_action():
    html = TWO_FORMS.format(token=OWN_TOKEN)
    with pytest.raises(AssertionError, match="no POST form"):
        hidden_inputs(html, "/claims/8")  # only a GET form posts there
    with pytest.raises(AssertionError, match="no POST form"):
        hidden_inputs(html, "/claims/70")
    with pytest.raises(AssertionError, match="2 POST forms"):
        hidden_inputs(html + html, "/claims/7")
    paged = '<form method="POST" action="/admin/verdicts/1/approve?page=2">' + OWN_TOKEN
    assert hidden_inputs(paged + "</form>", "/admin/verdicts/1/approve")["csrf_token"]
    with pytest.raises(AssertionError, match="no POST form"):
        hidden_inputs(paged + "</form>", "/admin/verdicts/1/approve?page=3")
