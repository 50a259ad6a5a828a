"""The team's progress figures, on a small team built through the real services: verdicts
saved, moderated and decided as the app does it, then counted per article, for the whole
team and per reviewer."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit.constants import SECOND_ARTICLE

from annotator.extensions import db
from annotator.models import Article, Claim, User, Verdict
from annotator.services import boundaries, final_verdicts, moderation, progress, verdicts
from annotator.services.progress import ClaimFigures, ReviewerProgress


def user(name: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == name))


def judge(claim_id: int, name: str, label: str) -> None:
    """``name`` saves a verdict on the claim, as the claim page does."""
    verdicts.save_verdict(db.session.get(Claim, claim_id), user(name), label=label,
                          source_note="Checked the record.", source_url=None,
                          expected_version=None)
    db.session.commit()


def verdict_of(claim_id: int, name: str) -> Verdict:
    return db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claim_id,
                                                      Verdict.reviewer_id == user(name).id))


def approve(claim_id: int, name: str) -> None:
    verdict = verdict_of(claim_id, name)
    moderation.approve(verdict, user("editor"), verdict.version)
    db.session.commit()


def reject(claim_id: int, name: str) -> None:
    verdict = verdict_of(claim_id, name)
    moderation.reject(verdict, user("editor"), "Cite the report itself.", verdict.version)
    db.session.commit()


def decide(claim_id: int, label: str) -> None:
    final_verdicts.decide(db.session.get(Claim, claim_id), user("editor"), label=label,
                          rationale="The statistics office says so.",
                          sources=["https://example.org/report"], expected_version=None)
    db.session.commit()


@pytest.fixture
def team(app, make_user, make_article, claim_ids, admin_id):
    """Reviewers alice, bob, carol and dave (deactivated, no verdicts), admins editor (with
    a verdict) and chief (without), on two articles:

    * article one, claims c1 c2 c3: c1 judged supported by alice and bob, disputed by
      carol, unclear by editor (after the others: not independent), decided supported;
      c2 disputed by alice; c3 not judged;
    * article two, claims d1 d2: d1 unclear by bob (rejected), decided disputed; d2
      supported by alice, disputed by bob, decided supported, then hidden.

    alice's c1 verdict is approved. Returns the two article ids.
    """
    for name in ("alice", "bob", "carol"):
        make_user(name)
    make_user("dave", active=False)
    make_user("chief", "admin")
    first = make_article()
    second = make_article(SECOND_ARTICLE, "second.txt")
    c1, c2, _ = claim_ids(first)
    d1, d2 = claim_ids(second)
    with app.app_context():
        for claim_id, name, label in [(c1, "alice", "supported"), (c1, "bob", "supported"),
                                      (c1, "carol", "disputed"), (c1, "editor", "unclear"),
                                      (c2, "alice", "disputed"), (d1, "bob", "unclear"),
                                      (d2, "alice", "supported"), (d2, "bob", "disputed")]:
            judge(claim_id, name, label)
        assert verdict_of(c1, "editor").independent_version is None
        assert verdict_of(c1, "carol").independent_version == 1
        approve(c1, "alice")
        reject(d1, "bob")
        decide(c1, "supported")
        decide(d1, "disputed")
        decide(d2, "supported")
        moderation.set_hidden(db.session.get(Claim, d2), True, user("editor"))
        db.session.commit()
    return first, second


@pytest.mark.parametrize(("needed", "first_needs", "second_needs"), [
    # c1 has 3 independent verdicts, c2 one, c3 none; d1 one (d2 is hidden).
    (2, 0 + 1 + 2, 1),
    (3, 0 + 2 + 3, 2),
])
def test_verdicts_still_needed_follow_reviews_per_claim(app, team, needed, first_needs,
                                                        second_needs):
    first, second = team
    app.config["REVIEWS_PER_CLAIM"] = needed
    with app.app_context():
        by_article = progress.figures_by_article([first, second], needed)
        assert by_article[first] == ClaimFigures(claims=3, verdicts_needed=first_needs,
                                                 decided=1, recheck=0)
        assert by_article[second] == ClaimFigures(claims=1, verdicts_needed=second_needs,
                                                  decided=1, recheck=0)
        page = page_for("editor")
        assert page.totals == ClaimFigures(
            claims=4, verdicts_needed=first_needs + second_needs, decided=2, recheck=0)
        assert page.reviews_per_claim == needed
        assert page.totals.verdicts_needed == first_needs + second_needs
        assert [(item.article.id, item.figures.verdicts_needed) for item in page.articles] \
            == [(second, second_needs), (first, first_needs)]  # newest first


def page_for(viewer: str) -> progress.ProgressPage:
    return progress.progress_page(user(viewer), after=None, before=None, size=10)


def team_totals() -> ClaimFigures:
    return page_for("editor").totals


def rows(viewer: str) -> list[tuple]:
    return [(row.reviewer.username, row.verdicts, row.approved, row.rejected, row.pending,
             row.on_decided, row.agreeing, row.agreement_percent)
            for row in page_for(viewer).reviewers]


def test_an_admin_sees_every_reviewer_and_the_admins_with_verdicts(app, team):
    with app.app_context():
        assert rows("editor") == [
            # name, verdicts, approved, rejected, pending, on decided claims, agreeing, %
            ("alice", 2, 1, 0, 1, 1, 1, 100),  # d2 is hidden: its verdict is not counted
            ("bob", 2, 0, 1, 1, 2, 1, 50),
            ("carol", 1, 0, 0, 1, 1, 0, 0),
            ("dave", 0, 0, 0, 0, 0, 0, None),  # deactivated, no verdicts: still listed
            ("editor", 1, 0, 0, 1, 1, 0, 0),  # an admin with a verdict; chief has none
        ]
        assert rows("chief") == rows("editor")
        dave = next(row for row in page_for("editor").reviewers
                    if row.reviewer.username == "dave")
        assert not dave.reviewer.is_active


def test_a_reviewer_gets_their_own_row_only(app, team):
    with app.app_context():
        assert rows("bob") == [("bob", 2, 0, 1, 1, 2, 1, 50)]
        assert rows("dave") == [("dave", 0, 0, 0, 0, 0, 0, None)]


def test_agreement_follows_a_changed_final_verdict_and_a_revised_verdict(app, team):
    first, _ = team
    with app.app_context():
        c1 = db.session.scalars(sa.select(Claim.id).where(Claim.article_id == first)
                                .order_by(Claim.position)).first()
        final = final_verdicts.final_verdict_of(db.session.get(Claim, c1))
        final_verdicts.decide(db.session.get(Claim, c1), user("editor"), label="disputed",
                              rationale="A later report corrected the figure.",
                              sources=["https://example.org/correction"],
                              expected_version=final.version)
        db.session.commit()
        by_name = {row[0]: row[5:] for row in rows("editor")}
        # on decided claims, agreeing, percent
        assert by_name["alice"] == (1, 0, 0)
        assert by_name["bob"] == (2, 0, 0)
        assert by_name["carol"] == (1, 1, 100)  # her disputed is now the desk's label
        carol = verdict_of(c1, "carol")
        verdicts.save_verdict(db.session.get(Claim, c1), user("carol"), label="unclear",
                              source_note="Not sure any more.", source_url=None,
                              expected_version=carol.version)
        db.session.commit()
        # Her current label counts, not her first (independent) one.
        assert {row[0]: row[5:] for row in rows("editor")}["carol"] == (1, 0, 0)


def test_retired_claims_and_their_verdicts_are_not_counted(app, make_user, make_article,
                                                           claim_ids, admin_id):
    """alice judged c1 and c2, bob c2; merging c1 with c2 retires c2 with alice's verdict on
    it (she had one on c1 already) and moves bob's onto c1. The decision on c1 is marked to
    re-check."""
    make_user("alice")
    make_user("bob")
    article_id = make_article()
    c1, c2, c3 = claim_ids(article_id)
    with app.app_context():
        judge(c1, "alice", "supported")
        judge(c2, "alice", "disputed")
        judge(c2, "bob", "disputed")
        decide(c1, "supported")
        article = db.session.get(Article, article_id)
        boundaries.merge_with_next(db.session.get(Claim, c1), user("editor"),
                                   article.boundary_version)
        db.session.commit()
        assert db.session.get(Claim, c2).is_retired
        assert verdict_of(c2, "alice") is not None  # kept on the retired claim
        assert verdict_of(c1, "bob") is not None  # moved onto the merged claim
        figures = progress.figures_by_article([article_id], 2)[article_id]
        # c1 has alice's and bob's verdicts, c3 none: 0 + 2 still needed.
        assert figures == ClaimFigures(claims=2, verdicts_needed=2, decided=1, recheck=1)
        assert team_totals() == figures
        assert [row[:2] for row in rows("editor")] == [("alice", 1), ("bob", 1)]
        assert c3 in claim_ids(article_id)


def test_no_articles_no_verdicts(app, admin_id):
    with app.app_context():
        page = progress.progress_page(db.session.get(User, admin_id), after=None,
                                      before=None, size=10)
        assert (page.articles, page.totals, page.reviewers) == ([], ClaimFigures(), [])
        assert progress.figures_by_article([], 2) == {}


@pytest.mark.parametrize(("agreeing", "on_decided", "percent"), [
    (3, 4, 75), (2, 3, 67), (1, 3, 33), (1, 8, 13), (0, 5, 0), (5, 5, 100),
    # Never rounded to 100 while one disagrees, nor to 0 while one agrees.
    (249, 250, 99), (1, 250, 1),
    (0, 0, None),
])
def test_agreement_percentage(agreeing, on_decided, percent):
    row = ReviewerProgress(reviewer=None, verdicts=on_decided, approved=0, rejected=0,
                           pending=on_decided, on_decided=on_decided, agreeing=agreeing)
    assert row.agreement_percent == percent
