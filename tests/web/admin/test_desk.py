"""The decision desk: claims grouped with their verdicts, splits first, filters, deciding
one claim (keeping the editor's place), deciding the unanimous ones in bulk, and refusals
that change nothing."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from annotator_testkit.constants import SECOND_ARTICLE
from annotator_testkit.forms import form_for
from annotator_testkit.pages import html_of
from annotator_testkit.rows import audit_events, snapshot
from annotator_testkit.team import decide, judge

from annotator.extensions import db
from annotator.models import FinalVerdict, FinalVerdictRevision


def card_order(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="desk-claim[^"]*" id="claim-(\d+)"', html)]


def card_states(html: str) -> dict[int, str]:
    return {int(claim): state for state, claim in re.findall(
        r'<article class="desk-claim state-(\w+)" id="claim-(\d+)"', html)}


@pytest.fixture
def team(app, claims, reviewer_id, reviewer2_id, admin_id):
    """claims[0] split, claims[1] unanimous (with source URLs), claims[2] waiting."""
    judge(app, claims[0], reviewer_id, "supported", url="https://a.example/0")
    judge(app, claims[0], reviewer2_id, "disputed")
    judge(app, claims[1], reviewer_id, "supported", url="https://a.example/1")
    judge(app, claims[1], reviewer2_id, "supported", url="https://b.example/1")
    judge(app, claims[2], reviewer_id, "unclear")
    return claims


def test_claims_are_grouped_with_splits_first(admin_client, team):
    html = html_of(admin_client.get("/admin/desk"))
    assert card_order(html) == [team[0], team[1], team[2]]
    assert card_states(html) == {team[0]: "split", team[1]: "unanimous", team[2]: "waiting"}
    split_card = html[html.index(f'id="claim-{team[0]}"'):html.index(f'id="claim-{team[1]}"')]
    # Both reviewers side by side, with their notes and links, and the claim in context.
    assert "alice" in split_card and "bob" in split_card
    assert "https://a.example/0" in split_card
    assert 'class="context"' in split_card
    assert "1 independent of 2 needed" in html  # the waiting claim says how far it is


def test_decided_claims_go_last_and_show_the_decision(app, admin_client, team, admin_id):
    decide(app, team[0], admin_id, "disputed", rationale="The ministry's own table says so.")
    html = html_of(admin_client.get("/admin/desk"))
    assert card_order(html)[-1] == team[0]
    assert card_states(html)[team[0]] == "decided"
    assert "The ministry&#39;s own table says so." in html


def test_counts_stop_at_the_maximum_and_say_so(app, admin_client, team, make_article,
                                               claim_ids, reviewer_id, monkeypatch):
    from annotator.services import desk

    for claim in claim_ids(make_article(SECOND_ARTICLE, "budget.txt"))[:2]:
        judge(app, claim, reviewer_id, "unclear")  # three claims waiting now
    monkeypatch.setattr(desk, "DESK_COUNT_SHOWN_MAX", 2)
    html = html_of(admin_client.get("/admin/desk"))
    assert "(4+ claims)" in html  # 1 split, 1 unanimous, 2 of the 3 waiting: at least 4
    assert "waiting for reviews (2+)" in html and "split (1)" in html
    assert len(card_order(html)) == 5  # the page itself lists every claim
    html = html_of(admin_client.get("/admin/desk?state=split"))
    assert "(1 claim)" in html and "+" not in html.split("</h1>")[0]


@pytest.mark.parametrize(("query", "expected"), [
    ("state=split", [0]),
    ("state=unanimous", [1]),
    ("state=waiting", [2]),
    ("state=decided", []),
    ("state=nonsense", [0, 1, 2]),
    ("reviewer={bob}", [0, 1]),
    ("article=999999", []),
    ("article=abc&hint=nonsense", [0, 1, 2]),  # unreadable filters are left out
    ("reviewer=-1", []),  # nobody has that id
])
def test_filters(admin_client, team, reviewer2_id, query, expected):
    response = admin_client.get("/admin/desk?" + query.format(bob=reviewer2_id))
    assert response.status_code == 200
    assert card_order(html_of(response)) == [team[i] for i in expected]


def test_article_filter(app, admin_client, team, make_article, claim_ids, reviewer_id):
    other = claim_ids(make_article(SECOND_ARTICLE, "budget.txt"))
    judge(app, other[0], reviewer_id)
    assert card_order(html_of(admin_client.get("/admin/desk"))).count(other[0]) == 1
    with app.app_context():
        from annotator.models import Claim
        article = db.session.get(Claim, other[0]).article_id
    assert card_order(html_of(admin_client.get(f"/admin/desk?article={article}"))) == [other[0]]


def test_the_article_menu_is_capped_and_keeps_the_chosen_article(
        app, admin_client, team, make_article, claim_ids, reviewer_id, monkeypatch):
    """Past ``ARTICLE_CHOICES_MAX`` articles the menu stops; the article filtered on is
    still offered, and selected."""
    from annotator.models import Claim
    from annotator.services import desk

    other = claim_ids(make_article(SECOND_ARTICLE, "budget.txt"))
    judge(app, other[0], reviewer_id)
    with app.app_context():
        first, second = (db.session.get(Claim, claim).article_id for claim in (team[0], other[0]))
    monkeypatch.setattr(desk, "ARTICLE_CHOICES_MAX", 1)

    def menu(html: str) -> list[str]:
        select = re.search(r'<select name="article".*?</select>', html, re.S).group(0)
        return re.findall(r'<option value="(\d+)"( selected)?', select)

    assert menu(html_of(admin_client.get("/admin/desk"))) == [(str(first), "")]
    chosen = html_of(admin_client.get(f"/admin/desk?article={second}"))
    assert menu(chosen) == [(str(first), ""), (str(second), " selected")]
    assert card_order(chosen) == [other[0]]


def _decide_form(admin_client, claim_id, page="/admin/desk", **fields):
    html = html_of(admin_client.get(page))
    form = form_for(html, f"/admin/claims/{claim_id}/decide")
    return {**form.hidden(), **fields}


def test_deciding_keeps_the_editors_place(app, admin_client, team, admin_id):
    page = "/admin/desk?state=split"
    data = _decide_form(admin_client, team[0], page, final_verdict="disputed",
                        rationale="The figure was revised.",
                        sources="https://stats.example/table\nhttps://stats.example/note")
    assert data["next"] == page
    response = admin_client.post(f"/admin/claims/{team[0]}/decide", data=data)
    assert (response.status_code, response.location) == (302, f"{page}#claim-{team[0]}")
    with app.app_context():
        final = db.session.scalar(sa.select(FinalVerdict))
        assert (final.claim_id, final.label, final.decided_by_id) == (team[0], "disputed",
                                                                     admin_id)
        assert final.sources == ["https://stats.example/table", "https://stats.example/note"]
    [event] = audit_events(app, "final_verdict.decide")
    assert event[1] == admin_id


@pytest.mark.parametrize("next_", ["https://evil.example/admin/desk", "//evil.example/x",
                                   "/admin/users", "/admin/desk\\@evil.example"])
def test_a_foreign_return_address_is_not_followed(admin_client, team, next_):
    data = _decide_form(admin_client, team[1], final_verdict="supported", rationale="Yes.",
                        sources="https://a.example/1")
    data["next"] = next_
    response = admin_client.post(f"/admin/claims/{team[1]}/decide", data=data)
    assert response.location == f"/admin/desk#claim-{team[1]}"


@pytest.mark.parametrize(("fields", "status", "words"), [
    ({"rationale": "  "}, 422, "rationale"),
    ({"sources": ""}, 422, "source URL"),
    ({"sources": "javascript:alert(1)"}, 422, "Source 1"),
    ({"final_verdict": "maybe"}, 422, "Not a valid choice"),
    ({"version": "3"}, 409, "no longer exists"),
])
def test_a_refused_decision_changes_nothing_and_keeps_the_text(app, admin_client, team, fields,
                                                                status, words):
    data = _decide_form(admin_client, team[0], final_verdict="supported",
                        rationale="My careful rationale.", sources="https://a.example/x")
    data.update(fields)
    before = snapshot(app)
    response = admin_client.post(f"/admin/claims/{team[0]}/decide", data=data)
    html = html_of(response)
    assert response.status_code == status
    assert words in html
    assert "Nothing was decided" in html
    if "rationale" not in fields:
        assert "My careful rationale." in html
    assert snapshot(app) == before


def test_a_second_editor_on_a_stale_form_is_refused(app, admin_client, team, make_user):
    other = make_user("editor2", "admin")
    data = _decide_form(admin_client, team[0], final_verdict="supported", rationale="Mine.",
                        sources="https://a.example/x")
    decide(app, team[0], other, "disputed")
    before = snapshot(app)
    response = admin_client.post(f"/admin/claims/{team[0]}/decide", data=data)
    assert response.status_code == 409
    assert "editor2 decided this claim" in html_of(response)
    assert snapshot(app) == before


def test_changing_a_decision_keeps_its_history(app, admin_client, team, admin_id):
    decide(app, team[0], admin_id, "supported", rationale="First.")
    data = _decide_form(admin_client, team[0], final_verdict="disputed", rationale="Second.",
                        sources="https://a.example/2")
    assert data["version"] == "1"
    assert admin_client.post(f"/admin/claims/{team[0]}/decide", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(FinalVerdictRevision.rationale).order_by(
            FinalVerdictRevision.version)).all() == ["First.", "Second."]
    assert "2 versions of the decision" in html_of(admin_client.get("/admin/desk"))


def test_approving_from_the_desk_returns_to_the_claim(app, admin_client, team):
    html = html_of(admin_client.get("/admin/desk?state=split"))
    action = re.search(r'action="(/admin/verdicts/\d+/approve)"', html).group(1)
    data = form_for(html, action).hidden()
    assert data["back"] == "desk"
    response = admin_client.post(action, data=data)
    assert response.location == f"/admin/desk?state=split#claim-{team[0]}"


def test_bulk_decides_unanimous_claims_after_a_confirmation(app, admin_client, team,
                                                            reviewer_id, reviewer2_id):
    # A second unanimous claim, without any source URL: it is left for the editor.
    extra = team[2]
    judge(app, extra, reviewer2_id, "unclear")
    html = html_of(admin_client.get("/admin/desk"))
    bulk = form_for(html, "/admin/desk/decide-unanimous")
    claims = [int(value) for name, _type, value in bulk.fields if name == "claim"]
    assert sorted(claims) == sorted([team[1], extra])
    data = {**bulk.hidden(), "claim": [str(c) for c in claims]}
    before = snapshot(app)
    confirm = admin_client.post("/admin/desk/decide-unanimous", data=data)
    assert confirm.status_code == 200 and "Decide these 2" in html_of(confirm)
    assert snapshot(app) == before  # the confirmation page decides nothing
    confirmed = form_for(html_of(confirm), "/admin/desk/decide-unanimous")
    assert confirmed.hidden()["confirm"] == "yes"
    response = admin_client.post("/admin/desk/decide-unanimous",
                                 data={**confirmed.hidden(), "claim": [str(c) for c in claims]})
    assert response.status_code == 302
    with app.app_context():
        finals = db.session.execute(sa.select(FinalVerdict.claim_id, FinalVerdict.label,
                                              FinalVerdict.sources)).all()
    assert [tuple(f) for f in finals] == [
        (team[1], "supported", ["https://a.example/1", "https://b.example/1"])]
    flashed = html_of(admin_client.get(response.location))
    assert "1 unanimous claims decided" in flashed and "no reviewer gave a source URL" in flashed


def test_bulk_ignores_claims_that_are_not_unanimous(app, admin_client, team):
    html = html_of(admin_client.get("/admin/desk"))
    token = form_for(html, "/admin/desk/decide-unanimous").hidden()["csrf_token"]
    response = admin_client.post("/admin/desk/decide-unanimous", data={
        "csrf_token": token, "confirm": "yes",
        "claim": [str(team[0]), str(team[2]), "abc", "99999999999", "-4"]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FinalVerdict)) == 0


def test_reviewers_cannot_reach_the_desk(app, reviewer_client, team):
    before = snapshot(app)
    assert reviewer_client.get("/admin/desk").status_code == 403
    assert reviewer_client.post(f"/admin/claims/{team[0]}/decide", data={
        "final_verdict": "supported", "rationale": "x", "sources": "https://a.example/"
    }).status_code == 403
    assert reviewer_client.post("/admin/desk/decide-unanimous",
                                data={"claim": str(team[1]), "confirm": "yes"}).status_code == 403
    assert snapshot(app) == before


def test_reviewers_see_the_final_verdict_only_after_their_own(app, team, admin_id,
                                                              make_user, client_for):
    decide(app, team[2], admin_id, "unclear", rationale="RATIONALE-SHOWN-LATER")
    make_user("carol")
    carol = client_for("carol")
    html = html_of(carol.get(f"/claims/{team[2]}"))
    assert "RATIONALE-SHOWN-LATER" not in html
    assert "The desk has decided this claim" in html
    carol.post(f"/claims/{team[2]}", data={"verdict": "supported", "source_note": "Mine.",
                                             "source_url": "", "version": ""})
    assert "RATIONALE-SHOWN-LATER" in html_of(carol.get(f"/claims/{team[2]}"))


def test_the_article_page_marks_decided_claims(app, reviewer_client, team, admin_id, article):
    decide(app, team[0], admin_id, "disputed")
    html = html_of(reviewer_client.get(f"/articles/{article}"))
    assert html.count("decided-mark") == 2  # the claim, and the legend
    assert "the desk has decided 1" in html


def test_a_boundary_change_sends_the_decision_back_to_the_desk(app, admin_client, team,
                                                              admin_id, article):
    decide(app, team[0], admin_id, "supported")
    assert card_states(html_of(admin_client.get("/admin/desk")))[team[0]] == "decided"
    with app.app_context():
        from annotator.models import Article, Claim, User
        from annotator.services import boundaries
        version = db.session.get(Article, article).boundary_version
        boundaries.merge_with_next(db.session.get(Claim, team[0]),
                                   db.session.get(User, admin_id), version)
        db.session.commit()
    html = html_of(admin_client.get("/admin/desk"))
    assert card_states(html)[team[0]] == "recheck"
    assert "to re-check: the claim" in html
