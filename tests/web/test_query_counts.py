"""Query counts of the pages that list rows: they must not grow with the number of rows.

Each test renders a page at a small and at a large size and asserts the same number of SQL
statements, plus an absolute bound (the count measured when the test was written), so an
N+1 query or an extra query per request shows up here instead of in production.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from annotator_testkit.forms import hidden_inputs
from annotator_testkit.web import save

from annotator.extensions import db
from annotator.models import Claim, User, Verdict, VerdictRevision
from annotator.services import audit
from annotator.text.timestamps import utcnow

LARGE = 20  # well under PAGE_SIZE (50): every row lands on the one page measured


def numbered_text(tag: str, claims: int = 3) -> str:
    """A body of ``claims`` one-line sentences; ``tag`` keeps the checksum distinct."""
    return "".join(f"Figure {i} of report {tag} rose by {i + 1}% in May.\n" for i in range(claims))


@pytest.fixture
def queue_frontiers_checked():
    """The pages' own statements only: not those of the suite's check of every queue
    look (``annotator_testkit.apps.check_queue_frontiers``)."""


@pytest.fixture
def measure(count_queries):
    """GET ``url`` once to warm up, then count the statements of a second GET."""

    def run(client, url: str):
        assert client.get(url).status_code == 200, url
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        return queries

    return run


@pytest.fixture
def add_verdicts(make_verdict):
    """Store verdicts directly: [(claim id, reviewer id, moderation state), ...]."""

    def add(triples):
        for claim_id, reviewer_id, state in triples:
            make_verdict(claim_id, reviewer_id, state=state)

    return add


def assert_flat(small, large, bound: int) -> None:
    assert large.count == small.count, (small.statements, large.statements)
    assert large.count <= bound, large.statements


# A searched, filtered view sorted by computed progress costs what the default one does
# (the reviewer has judged two claims of each article; the desk has decided none).
ARTICLE_VIEWS = {"reviewer": "/?q=report&state=in_progress&sort=progress&dir=asc",
                 "admin": "/?q=REPORT&state=not_started&sort=progress&dir=asc"}


def test_article_list(reviewer_client, admin_client, reviewer_id, make_article, claim_ids,
                      add_verdicts, measure):
    """The reviewer's list (their progress) and the admin's (the team's), plain and
    searched, filtered and sorted by progress. The bound: the login's user, the page and
    its count, the progress of the page's articles, the queue's epoch, the reviewer's
    frontier, the queue size and the waiting verdicts (8); an admin's team figures add
    one query for the whole page."""
    def add_articles(tags):
        for tag in tags:
            first, second, _ = claim_ids(make_article(numbered_text(tag), f"{tag}.txt"))
            add_verdicts([(first, reviewer_id, "approved"), (second, reviewer_id, "rejected")])

    clients = {"reviewer": reviewer_client, "admin": admin_client}
    views = [(who, url) for who in clients for url in ("/", ARTICLE_VIEWS[who])]
    add_articles(["a0"])
    small = {(who, url): measure(clients[who], url) for who, url in views}
    add_articles([f"a{i}" for i in range(1, LARGE)])
    large = {(who, url): measure(clients[who], url) for who, url in views}
    for who, url in views:
        html = clients[who].get(url).get_data(as_text=True)
        done = "2" if who == "reviewer" else "0"  # my verdicts, or the desk's decisions
        assert len(re.findall(rf'<span class="count">{done} / 3</span>', html)) == LARGE, url
    for who, url in views:
        assert_flat(small[who, url], large[who, url], 8 if who == "reviewer" else 9)


def test_moderation_queue(admin_client, make_user, make_article, claim_ids, add_verdicts,
                          measure):
    """Each pending verdict by its own reviewer on its own article: no lazy load may hide."""

    def add_pending(numbers):
        for i in numbers:
            reviewer = make_user(f"reviewer{i}")
            claim = claim_ids(make_article(numbered_text(f"m{i}"), f"m{i}.txt"))[0]
            add_verdicts([(claim, reviewer, "pending")])

    add_pending([0])
    small = measure(admin_client, "/admin/moderation")
    add_pending(range(1, LARGE))
    large = measure(admin_client, "/admin/moderation")
    html = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert f"({LARGE} waiting)" in html
    assert html.count('class="approve"') == LARGE
    assert_flat(small, large, 4)  # + the earlier decisions, one query


def test_audit_log(app, admin_client, make_user, make_article, claim_ids, measure):
    """Events by many different actors (and by the system), on accounts, articles and
    claims, newest first. The bound: the login's user, the page and its count, one query
    per kind of name the page shows (accounts, claims, articles), and the filter's
    choices (actors, actions): 8, whatever the number of events."""

    def add_events(numbers):
        for i in numbers:
            uid = make_user(f"mod{i}", "admin")  # records a user.create by the system
            article = make_article(numbered_text(f"e{i}"), f"e{i}.txt")  # article.import
            claim = claim_ids(article)[0]
            with app.app_context():
                actor = db.session.get(User, uid)
                audit.record(actor, "user.deactivate", actor, before=True, after=False)
                audit.record(actor, "claim.hide", db.session.get(Claim, claim),
                             article_id=article, before="open", after="hidden")
                db.session.commit()

    add_events([0])
    small = measure(admin_client, "/admin/audit")
    add_events(range(1, LARGE))
    large = measure(admin_client, "/admin/audit")
    html = admin_client.get("/admin/audit").get_data(as_text=True)
    # The newest 50 of 4 events per actor: 12 whole groups, then a hide and a deactivate.
    assert html.count('<td class="action" data-label="Action">user.deactivate</td>') == 13
    assert html.count(">claim 1 of Figure 0 of report e") == 13  # each hide's subject
    assert_flat(small, large, 8)


def test_user_list(admin_client, reviewer_id, make_user, measure):
    small = measure(admin_client, "/admin/users")  # the admin and alice
    for i in range(2, LARGE):
        make_user(f"user{i}", "admin" if i % 3 == 0 else "reviewer", active=i % 2 == 0)
    large = measure(admin_client, "/admin/users")
    html = admin_client.get("/admin/users").get_data(as_text=True)
    assert html.count("<tr") - 1 == LARGE  # one header row
    assert_flat(small, large, 2)


def test_article_page(reviewer_client, reviewer_id, reviewer2_id, make_article, claim_ids,
                      add_verdicts, measure):
    def article_with(tag, claims):
        article_id = make_article(numbered_text(tag, claims), f"{tag}.txt")
        ids = claim_ids(article_id)
        assert len(ids) == claims
        states = ("pending", "approved", "rejected")
        add_verdicts([(c, reviewer_id, states[n % 3]) for n, c in enumerate(ids) if n % 2])
        add_verdicts([(c, reviewer2_id, "pending") for c in ids])
        return article_id

    short, long = article_with("short", 3), article_with("long", 40)
    small = measure(reviewer_client, f"/articles/{short}")
    large = measure(reviewer_client, f"/articles/{long}")
    html = reviewer_client.get(f"/articles/{long}").get_data(as_text=True)
    assert html.count('<a class="claim state-') == 40
    assert_flat(small, large, 3)


def _revise(client, claim_id, times):
    """Save my verdict ``times`` times, each with the version the form carries."""
    for n in range(times):
        html = client.get(f"/claims/{claim_id}").get_data(as_text=True)
        version = hidden_inputs(html, f"/claims/{claim_id}")["version"]
        assert save(client, claim_id, note=f"Revision {n}", version=version).status_code == 302


def _moderate_earlier_revisions(app, claim_id, moderators):
    """Mark my earlier revisions on the claim rejected, each by a different moderator."""
    with app.app_context():
        earlier = db.session.scalars(
            sa.select(VerdictRevision).join(Verdict, VerdictRevision.verdict_id == Verdict.id)
            .where(Verdict.claim_id == claim_id).order_by(VerdictRevision.version)
        ).all()[:-1]
        assert len(earlier) == len(moderators)
        for revision, moderator in zip(earlier, moderators, strict=True):
            revision.moderation_state = "rejected"
            revision.moderated_by_id = moderator
            revision.moderated_at = utcnow()
            revision.moderation_reason = "Cite the source."
        db.session.commit()


def test_claim_page(app, reviewer_client, admin_client, make_user, make_article, claim_ids,
                    add_verdicts, measure):
    """One claim: my verdict with few or many revisions (earlier ones moderated by different
    admins), and few or many others' verdicts (seen by me once I have judged, and by an
    admin with the moderation forms)."""
    few, many, first_only = claim_ids(make_article(numbered_text("claim"), "claim.txt"))
    _revise(reviewer_client, few, 2)
    _revise(reviewer_client, many, 8)
    _revise(reviewer_client, first_only, 1)
    _moderate_earlier_revisions(
        app, many, [make_user(f"moderator{i}", "admin") for i in range(7)]
    )
    others = [make_user(f"other{i}") for i in range(LARGE)]
    add_verdicts([(few, others[0], "pending")])
    add_verdicts([(many, other, ("pending", "approved")[n % 2]) for n, other in
                  enumerate(others)])
    small = measure(reviewer_client, f"/claims/{few}")
    large = measure(reviewer_client, f"/claims/{many}")
    assert "My earlier versions (7)" in reviewer_client.get(f"/claims/{many}").get_data(
        as_text=True)
    # The login's user, the claim in its article, every verdict on it with its reviewer,
    # my earlier versions with their moderators.
    assert_flat(small, large, 4)
    # A verdict saved once has no earlier versions to read.
    assert measure(reviewer_client, f"/claims/{first_only}").count == large.count - 1

    small = measure(admin_client, f"/claims/{few}")
    large = measure(admin_client, f"/claims/{many}")
    assert admin_client.get(f"/claims/{many}").get_data(as_text=True).count(
        'class="approve"') == LARGE + 1  # every other reviewer's verdict, alice's too
    assert_flat(small, large, 3)


def test_desk(app, admin_client, admin_id, make_user, make_article, claim_ids, measure):
    """One claim, then a full page of 50: each with two reviewers' verdicts (one revised,
    one moderated), every third decided and then decided again; the statements stay the
    same in number."""
    from annotator_testkit.team import decide, judge

    reviewers = [make_user(f"desk{i}") for i in range(4)]

    def add_claims(tag, count):
        for n, claim in enumerate(claim_ids(make_article(numbered_text(tag, count),
                                                         f"{tag}.txt"))):
            judge(app, claim, reviewers[n % 4], "supported")
            judge(app, claim, reviewers[(n + 1) % 4], "disputed" if n % 2 else "supported")
            judge(app, claim, reviewers[n % 4], "unclear")
            if n % 3 == 0:
                decide(app, claim, admin_id, "supported")
                decide(app, claim, admin_id, "unclear")

    add_claims("one", 1)
    small = measure(admin_client, "/admin/desk")
    add_claims("many", 49)
    large = measure(admin_client, "/admin/desk")
    html = admin_client.get("/admin/desk").get_data(as_text=True)
    assert html.count('<article class="desk-claim') == 50
    assert_flat(small, large, 10)  # the page's total comes from the counts per state
