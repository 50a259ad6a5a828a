"""What the agreement figures count, read from the database: each reviewer's first
independent version on each live claim, nothing else; the article and date filters; and
the figures of the worked example (``annotator_testkit.agreement_example``, computed by
hand there) through real saves."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from annotator_testkit import agreement_example as example
from annotator_testkit.agreement_example import Team, build_team
from annotator_testkit.team import decide

from annotator.extensions import db
from annotator.models import Verdict, VerdictRevision
from annotator.services import agreement
from annotator.services.errors import DomainError


@pytest.fixture
def team(app, make_user, make_article, claim_ids, hide_claim, admin_id) -> Team:
    return build_team(app, make_user, make_article, claim_ids, hide_claim, admin_id)


def _ratings(app, **filters) -> set[tuple[int, int, str]]:
    with app.app_context():
        return {(r.claim_id, r.reviewer_id, r.label)
                for r in agreement.counted_ratings(**filters)}


def _report(app, **filters):
    with app.app_context():
        return agreement.agreement_report(**filters)


def test_only_first_independent_versions_of_live_claims_count(app, team):
    t = team
    assert _ratings(app) == {
        (t.a[0], t.alice, "supported"), (t.a[0], t.bob, "supported"),
        (t.a[0], t.carol, "supported"),
        (t.a[1], t.alice, "supported"), (t.a[1], t.bob, "disputed"),
        (t.a[2], t.alice, "disputed"), (t.a[2], t.bob, "disputed"),
        (t.a[2], t.carol, "unclear"),
        (t.b[0], t.alice, "unclear"), (t.b[0], t.bob, "unclear"),
        (t.b[1], t.alice, "supported"),
    }


def test_the_left_out_verdicts_exist_and_are_what_the_rule_leaves_out(app, team):
    """The fixture really made what the rule must skip (else the test above proves little)."""
    t = team
    with app.app_context():
        alice_a2 = db.session.scalar(sa.select(Verdict).where(
            Verdict.claim_id == t.a[1], Verdict.reviewer_id == t.alice))
        assert (alice_a2.label, alice_a2.version, alice_a2.independent_version) == (
            "disputed", 2, 1)
        editor_a1 = db.session.scalar(sa.select(Verdict).where(
            Verdict.claim_id == t.a[0], Verdict.reviewer_id == t.editor))
        assert editor_a1.independent_version is None
        on_closed = db.session.scalar(sa.select(sa.func.count()).select_from(Verdict).where(
            Verdict.claim_id.in_([t.hidden, t.retired]),
            Verdict.independent_version.is_not(None)))
        assert on_closed == 4


def test_the_worked_example_gives_the_figures_computed_by_hand(app, team):
    t = team
    report = _report(app)
    assert (report.claims, report.verdicts, report.claims_left_out) == (4, 10, 1)
    assert report.reviewers_counted == 3
    assert report.krippendorff_alpha.value == pytest.approx(example.ALPHA)
    assert report.percent_agreement.value == pytest.approx(example.PERCENT)
    assert report.fleiss_kappa.value == pytest.approx(example.FLEISS)
    assert report.fleiss_kappa.claims == 2
    kappas = {pair.reviewers: (pair.cohen_kappa.value, pair.shared_claims)
              for pair in report.pairs}
    assert kappas[(t.alice, t.bob)] == (pytest.approx(example.KAPPA_ALICE_BOB), 4)
    assert kappas[(t.alice, t.carol)] == (pytest.approx(example.KAPPA_WITH_CAROL), 2)
    assert kappas[(t.bob, t.carol)] == (pytest.approx(example.KAPPA_WITH_CAROL), 2)
    alice_bob = next(p for p in report.pairs if p.reviewers == (t.alice, t.bob))
    # rows alice, columns bob, in LABELS order (supported, disputed, unclear)
    assert alice_bob.confusion == ((1, 1, 0), (0, 1, 0), (0, 0, 1))
    assert alice_bob.names == ("alice", "bob")
    assert {d.claim for d in report.disagreements} == {t.a[1], t.a[2]}


def test_final_verdicts_and_articles_reach_the_report(app, team):
    t = team
    decide(app, t.a[1], t.editor, "disputed")
    report = _report(app)
    assert report.decided_claims == 1
    alice = next(r for r in report.reviewers if r.reviewer == t.alice)
    bob = next(r for r in report.reviewers if r.reviewer == t.bob)
    assert alice.differs_from_final == (t.a[1],)
    assert bob.with_final.value == pytest.approx(100.0)
    assert next(d for d in report.disagreements if d.claim == t.a[1]).final_verdict == "disputed"
    assert {entry.article for entry in report.articles} == {t.first, t.second}


def test_the_article_filter_counts_that_article_only(app, team):
    t = team
    assert {claim for claim, _, _ in _ratings(app, article_id=t.second)} == set(t.b)
    report = _report(app, article_id=t.second)
    assert (report.claims, report.verdicts, report.claims_left_out) == (1, 2, 1)
    # B1 is "unclear" twice: one label only, so alpha has nothing to measure.
    assert report.krippendorff_alpha.value is None
    assert "same label" in report.krippendorff_alpha.undefined_reason
    assert report.percent_agreement.value == pytest.approx(100.0)


def test_an_unknown_article_is_refused_naming_the_field(app, team):
    with app.app_context(), pytest.raises(DomainError) as raised:
        agreement.agreement_report(article_id=999_999)
    assert raised.value.field == "article"
    assert "999999" in str(raised.value)


def _age_revisions(app, claim_ids: list[int], when: dt.datetime, version: int | None = None):
    with app.app_context():
        verdict_ids = sa.select(Verdict.id).where(Verdict.claim_id.in_(claim_ids))
        query = sa.update(VerdictRevision).where(VerdictRevision.verdict_id.in_(verdict_ids))
        if version is not None:
            query = query.where(VerdictRevision.version == version)
        db.session.execute(query.values(created_at=when))
        db.session.commit()


def test_the_since_filter_keeps_counted_revisions_saved_on_or_after_the_day(app, team):
    t = team
    _age_revisions(app, t.b, dt.datetime(2026, 3, 1, 23, 59))
    # alice's counted A2 revision (version 1) is old; her later version 2 is new but does
    # not count, so alice drops out of A2 instead of being counted with version 2.
    _age_revisions(app, [t.a[1]], dt.datetime(2026, 3, 1, 8, 0), version=1)
    recent = _ratings(app, since=dt.date(2026, 3, 2))
    assert {claim for claim, _, _ in recent} == {t.a[0], t.a[2]}
    assert (t.a[1], t.alice, "disputed") not in recent
    on_the_day = _ratings(app, since=dt.date(2026, 3, 1))
    assert on_the_day == _ratings(app)
    assert _ratings(app, since=dt.date(2999, 1, 1)) == set()


def test_no_verdicts_give_words_not_numbers(app, admin_id):
    report = _report(app)
    assert (report.claims, report.verdicts, report.reviewers_counted) == (0, 0, 0)
    for figure in (report.krippendorff_alpha, report.fleiss_kappa, report.percent_agreement):
        assert figure.value is None and figure.undefined_reason


def test_the_page_data_lists_the_claims_behind_a_figure(app, team):
    t = team
    with app.app_context():
        page = agreement.agreement_page(focus=f"pair-{t.alice}-{t.bob}")
    assert page.focus_title == "Claims where alice and bob differ"
    assert [item.claim_id for item in page.listed] == [t.a[1]]
    item = page.listed[0]
    assert item.verdicts == (("alice", "supported"), ("bob", "disputed"))
    assert (item.article_id, item.position) == (t.first, 2)
    assert item.text.startswith("Officials praised")
    assert {choice.id for choice in page.articles} == {t.first, t.second}


def test_the_page_data_refuses_unknown_filters_with_words(app, team):
    with app.app_context():
        unknown_article = agreement.agreement_page(article_id=999_999)
        unknown_focus = agreement.agreement_page(focus="pair-1-999999")
    assert "999999" in unknown_article.problems["article"]
    assert unknown_article.report.verdicts == 0
    assert "focus" in unknown_focus.problems
    assert unknown_focus.listed_total == len(unknown_focus.report.disagreements) == 2
