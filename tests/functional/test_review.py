"""The reviewer's desk through the web: progress, queue, saving, revising, conflicts,
validation, escaping, blind review, hidden claims, rejections."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from helpers import PASSWORD, save

from annotator.extensions import db
from annotator.models import Article, AuditEvent, Verdict, VerdictRevision

SECOND_ARTICLE = (
    "title: Budget report\n\nThe deficit fell to 3% of GDP. Unemployment stayed at 5%.\n"
)

RAW_SCRIPT = "<script>alert(1)</script>"
ESC_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
RAW_IMG_ATTACK = '"><img src=x onerror=alert(1)>'
RAW_IMG = "<img src=x onerror=alert(1)>"
ESC_IMG = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"


# --- helpers ---------------------------------------------------------------------------


def rows(app):
    """Every verdict as a plain tuple-like row."""
    with app.app_context():
        return db.session.execute(
            sa.select(Verdict.id, Verdict.claim_id, Verdict.reviewer_id, Verdict.label,
                      Verdict.source_note, Verdict.source_url, Verdict.version,
                      Verdict.moderation_state, Verdict.moderated_by_id, Verdict.moderated_at,
                      Verdict.moderation_reason).order_by(Verdict.id)
        ).all()


def only_verdict(app):
    found = rows(app)
    assert len(found) == 1, found
    return found[0]


def revisions(app, verdict_id=None):
    with app.app_context():
        query = sa.select(VerdictRevision.version, VerdictRevision.label,
                          VerdictRevision.source_note, VerdictRevision.source_url)
        if verdict_id is not None:
            query = query.where(VerdictRevision.verdict_id == verdict_id)
        return [tuple(r) for r in db.session.execute(query.order_by(VerdictRevision.id))]


def audit_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


def counts(app):
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count(Verdict.id))),
                db.session.scalar(sa.select(sa.func.count(VerdictRevision.id))))


def form_version(html: str) -> str:
    match = re.search(r'<input[^>]*name="version"[^>]*value="([^"]*)"', html)
    assert match, "no version field in the form"
    return match.group(1)


def progress(html: str, title: str) -> str:
    """The "judged / claims" figure on the index row of the article titled ``title``."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if f">{title}</a>" in row:
            match = re.search(r'<span class="count">(\d+ / \d+)</span>', row)
            assert match, row
            return match.group(1)
    raise AssertionError(f"no row for {title!r}")


def claim_states(html: str) -> dict[int, str]:
    """{claim id: state class} of the highlighted claims on an article page."""
    return {
        int(claim): state
        for state, claim in re.findall(r'<a class="claim state-(\w+)" href="/claims/(\d+)"', html)
    }


def moderate(admin_client, app, verdict_id, action, reason=None):
    with app.app_context():
        version = db.session.get(Verdict, verdict_id).version
    data = {"version": str(version)}
    if reason is not None:
        data["reason"] = reason
    response = admin_client.post(f"/admin/verdicts/{verdict_id}/{action}", data=data)
    assert response.status_code == 302
    return response


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.fixture
def claims(article, claim_ids):
    return claim_ids(article)


# --- article list and article page -----------------------------------------------------


def test_index_shows_my_progress_per_article(
    app, make_article, claim_ids, reviewer_client, reviewer2_client, admin_client
):
    first = make_article()
    second = make_article(SECOND_ARTICLE, "budget.txt")
    a = claim_ids(first)
    assert len(a) == 3 and len(claim_ids(second)) == 2

    page = reviewer_client.get("/").get_data(as_text=True)
    assert progress(page, "The U.S. economy grew by 2.5% last year.") == "0 / 3"
    assert progress(page, "Budget report") == "0 / 2"
    assert "Continue my queue (5 claims left)" in page

    assert save(reviewer_client, a[0]).status_code == 302
    assert save(reviewer_client, a[1]).status_code == 302
    page = reviewer_client.get("/").get_data(as_text=True)
    assert progress(page, "The U.S. economy grew by 2.5% last year.") == "2 / 3"
    assert progress(page, "Budget report") == "0 / 2"
    assert "Continue my queue (3 claims left)" in page
    # Progress is per reviewer.
    other = reviewer2_client.get("/").get_data(as_text=True)
    assert progress(other, "The U.S. economy grew by 2.5% last year.") == "0 / 3"

    # A hidden claim leaves the count, on both sides of the fraction.
    admin_client.post(f"/admin/claims/{a[0]}/hide")
    page = reviewer_client.get("/").get_data(as_text=True)
    assert progress(page, "The U.S. economy grew by 2.5% last year.") == "1 / 2"
    article_page = reviewer_client.get(f"/articles/{first}").get_data(as_text=True)
    assert "I have judged 1 of 2 claims" in article_page


def test_article_page_highlights_every_claim_in_my_state(
    app, article, claims, reviewer_client, reviewer2_client, admin_client
):
    page = reviewer_client.get(f"/articles/{article}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert claim_states(html) == {c: "todo" for c in claims}
    assert "I have judged 0 of 3 claims" in html
    # The state is spelled out for screen readers, not only shown by colour.
    assert "The U.S. economy grew by 2.5% last year.<span class=\"sr-only\"> (" in html

    save(reviewer_client, claims[0], "supported")
    save(reviewer_client, claims[1], "disputed")
    save(reviewer2_client, claims[2], "unclear")  # bob's verdict does not colour alice's page
    verdict_on_second = [r.id for r in rows(app) if r.claim_id == claims[1]][0]
    moderate(admin_client, app, verdict_on_second, "reject", "Wrong source.")
    html = reviewer_client.get(f"/articles/{article}").get_data(as_text=True)
    assert claim_states(html) == {claims[0]: "supported", claims[1]: "rejected",
                                  claims[2]: "todo"}
    assert "I have judged 2 of 3 claims" in html

    admin_client.post(f"/admin/claims/{claims[2]}/hide")
    html = reviewer_client.get(f"/articles/{article}").get_data(as_text=True)
    assert claim_states(html)[claims[2]] == "hidden"
    assert "I have judged 2 of 2 claims" in html


def test_claim_page_shows_the_claim_in_context(article, claims, reviewer_client):
    response = reviewer_client.get(f"/claims/{claims[1]}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<blockquote class="current-claim">Officials praised the result.</blockquote>' in html
    assert '<mark id="current" class="claim">Officials praised the result.</mark>' in html
    assert "The U.S. economy grew by 2.5% last year." in html  # the rest of the article
    assert "claim 2 of 3" in html
    assert form_version(html) == ""


# --- queue and the next claim after saving ---------------------------------------------


def test_queue_walks_claims_in_reading_order_then_reports_empty(
    app, make_article, claim_ids, reviewer_client
):
    first, second = make_article(), make_article(SECOND_ARTICLE, "budget.txt")
    # Like the article list: the newest article first, each from its first claim.
    expected = claim_ids(second) + claim_ids(first)
    visited = []
    for _ in range(len(expected)):
        response = reviewer_client.get("/queue")
        assert response.status_code == 302
        claim_id = int(response.location.rsplit("/", 1)[1])
        assert response.location == f"/claims/{claim_id}"
        visited.append(claim_id)
        assert save(reviewer_client, claim_id).status_code == 302
    assert visited == expected

    response = reviewer_client.get("/queue")
    assert (response.status_code, response.location) == (302, "/")
    page = reviewer_client.get("/").get_data(as_text=True)
    assert "Your queue is empty: you have judged every open claim." in page


def test_queue_skips_hidden_claims(app, claims, reviewer_client, admin_client):
    admin_client.post(f"/admin/claims/{claims[0]}/hide")
    assert reviewer_client.get("/queue").location == f"/claims/{claims[1]}"


def test_saving_goes_to_my_next_unjudged_claim(
    app, make_article, claim_ids, reviewer_client, reviewer2_client
):
    first, second = make_article(), make_article(SECOND_ARTICLE, "budget.txt")
    a, b = claim_ids(first), claim_ids(second)
    save(reviewer2_client, a[2])  # other reviewers' verdicts do not take claims off my queue

    assert save(reviewer_client, a[1]).location == f"/claims/{a[2]}"
    assert save(reviewer_client, a[0]).location == f"/claims/{a[2]}"  # a[1] is done: skipped
    assert save(reviewer_client, a[2]).location == f"/claims/{b[0]}"  # into the next article
    assert save(reviewer_client, b[1]).location == f"/claims/{b[0]}"  # wraps to the first open
    response = save(reviewer_client, b[0])
    assert (response.status_code, response.location) == (302, f"/articles/{second}")
    page = reviewer_client.get(response.location).get_data(as_text=True)
    assert "Saved: supported. It now waits for moderation." in page
    assert "Your queue is empty" in page


# --- revising --------------------------------------------------------------------------


def test_revising_keeps_every_version_as_a_revision(app, claims, reviewer_client, reviewer_id):
    assert save(reviewer_client, claims[0], "supported", "First note.",
                "https://example.org/a").status_code == 302
    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert form_version(page) == "1"
    assert "First note." in page

    assert save(reviewer_client, claims[0], "disputed", "Second note.", "",
                version="1").status_code == 302

    verdict = only_verdict(app)
    assert (verdict.claim_id, verdict.reviewer_id, verdict.label, verdict.source_note,
            verdict.source_url, verdict.version) == (
        claims[0], reviewer_id, "disputed", "Second note.", None, 2)
    assert revisions(app, verdict.id) == [
        (1, "supported", "First note.", "https://example.org/a"),
        (2, "disputed", "Second note.", None),
    ]
    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert form_version(page) == "2"
    assert "My earlier versions (1)" in page
    assert "First note." in page


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_revising_a_moderated_verdict_sends_it_back_to_pending(
    app, claims, reviewer_client, admin_client, action
):
    save(reviewer_client, claims[0], "supported", "First note.")
    verdict = only_verdict(app)
    moderate(admin_client, app, verdict.id, action,
             "Not a primary source." if action == "reject" else None)
    moderated = only_verdict(app)
    assert moderated.moderation_state == ("approved" if action == "approve" else "rejected")
    assert moderated.moderated_by_id is not None

    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    loaded = form_version(page)
    assert loaded == str(moderated.version)
    assert save(reviewer_client, claims[0], "unclear", "Revised note.",
                version=loaded).status_code == 302

    revised = only_verdict(app)
    assert (revised.label, revised.source_note, revised.moderation_state) == (
        "unclear", "Revised note.", "pending")
    assert (revised.moderated_by_id, revised.moderated_at, revised.moderation_reason) == (
        None, None, None)
    history = revisions(app, revised.id)
    assert [(h[1], h[2]) for h in history] == [("supported", "First note."),
                                               ("unclear", "Revised note.")]
    assert history[-1][0] == revised.version
    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert "Rejected by" not in page and "Approved by" not in page
    # ...and the verdict is back in the moderation queue.
    assert "Revised note." in admin_client.get("/admin/moderation").get_data(as_text=True)


def test_stale_version_is_refused_with_409_and_nothing_written(app, claims, reviewer_client):
    save(reviewer_client, claims[0], "supported", "Version one.")
    save(reviewer_client, claims[0], "disputed", "Version two.", version="1")  # other tab
    before = rows(app), revisions(app)

    response = save(reviewer_client, claims[0], "unclear", "MY TYPED TEXT", version="1")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "MY TYPED TEXT" in html  # what I typed is still in the form
    assert "Saved version 2" in html and "Version two." in html  # next to what is saved
    assert "changed since you opened this page" in html
    assert form_version(html) == "2"  # resubmitting is now possible, on purpose
    assert (rows(app), revisions(app)) == before

    # A "new verdict" form (empty version) or a garbled version cannot overwrite either.
    for version in ("", "abc", "3", "0"):
        response = save(reviewer_client, claims[0], "unclear", "MY TYPED TEXT", version=version)
        assert response.status_code == 409, version
    assert (rows(app), revisions(app)) == before

    assert save(reviewer_client, claims[0], "unclear", "MY TYPED TEXT",
                version="2").status_code == 302
    assert only_verdict(app).version == 3


def test_edit_started_before_moderation_is_refused(app, claims, reviewer_client, admin_client):
    save(reviewer_client, claims[0], "supported", "Version one.")
    loaded = form_version(reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True))
    moderate(admin_client, app, only_verdict(app).id, "approve")
    before = rows(app), revisions(app)
    response = save(reviewer_client, claims[0], "disputed", "Late edit.", version=loaded)
    assert response.status_code == 409
    assert (rows(app), revisions(app)) == before
    assert only_verdict(app).moderation_state == "approved"


# --- validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, note, url",
    [
        ("true", "A note.", ""),
        ("", "A note.", ""),
        ("SUPPORTED", "A note.", ""),
        ("supported", "", ""),
        ("supported", "   \n  ", ""),
        ("supported", "A note.", "javascript:alert(1)"),
        ("supported", "A note.", "JaVaScRiPt:alert(1)"),
        ("supported", "A note.", " javascript:alert(1)"),
        ("supported", "A note.", "data:text/html,<script>alert(1)</script>"),
        ("supported", "A note.", "file:///etc/passwd"),
        ("supported", "A note.", "ftp://example.org/report.pdf"),
        ("supported", "A note.", "http://"),
        ("supported", "A note.", "example.org/report"),
        ("supported", "A note.", "https://exa mple.org/"),
        ("supported", "A note.", "//example.org/report"),
        ("supported", "A note.", "https://example.org/" + "a" * 2048),
    ],
)
def test_invalid_verdict_is_refused_with_422_and_nothing_written(
    app, claims, reviewer_client, label, note, url
):
    response = save(reviewer_client, claims[0], label, note, url)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_missing_verdict_field_is_refused(app, claims, reviewer_client):
    response = reviewer_client.post(
        f"/claims/{claims[0]}", data={"source_note": "A note.", "version": ""}
    )
    assert response.status_code == 422
    assert counts(app) == (0, 0)


def test_note_length_limit_comes_from_the_configuration(app, claims, reviewer_client):
    limit = app.config["SOURCE_NOTE_MAX_LENGTH"]
    response = save(reviewer_client, claims[0], note="x" * (limit + 1))
    assert response.status_code == 422
    assert f"the limit is {limit:,}" in response.get_data(as_text=True)
    assert counts(app) == (0, 0)
    assert save(reviewer_client, claims[0], note="x" * limit).status_code == 302
    assert counts(app) == (1, 1)


def test_smaller_configured_note_limit_is_honoured(make_app, claims, reviewer_id):
    small = make_app(SOURCE_NOTE_MAX_LENGTH=40)
    try:
        client = small.test_client()
        assert client.post(
            "/login", data={"username": "alice", "password": PASSWORD}).status_code == 302
        assert save(client, claims[0], note="y" * 41).status_code == 422
        assert counts(small) == (0, 0)
        assert save(client, claims[0], note="y" * 40).status_code == 302
    finally:
        with small.app_context():
            db.engine.dispose()


def test_invalid_revision_leaves_the_saved_verdict_alone(app, claims, reviewer_client):
    save(reviewer_client, claims[0], "supported", "Good note.", "https://example.org/")
    before = rows(app), revisions(app)
    for label, note, url in [("bogus", "x", ""), ("unclear", "", ""),
                             ("unclear", "x", "javascript:alert(1)")]:
        assert save(reviewer_client, claims[0], label, note, url,
                    version="1").status_code == 422
    assert (rows(app), revisions(app)) == before


def test_valid_urls_are_stored_trimmed(app, claims, reviewer_client):
    assert save(reviewer_client, claims[0], url="  https://example.org/report?id=1  ").status_code \
        == 302
    assert save(reviewer_client, claims[1], url="HTTP://example.org/x").status_code == 302
    assert save(reviewer_client, claims[2], url="").status_code == 302
    assert [r.source_url for r in rows(app)] == [
        "https://example.org/report?id=1", "HTTP://example.org/x", None]


# --- escaping --------------------------------------------------------------------------


def assert_escaped(html: str, where: str, script=True, img=True) -> None:
    assert RAW_SCRIPT not in html, where
    assert RAW_IMG not in html, where
    if script:
        assert ESC_SCRIPT in html, where
    if img:
        assert ESC_IMG in html, where


def test_hostile_text_is_rendered_escaped_everywhere(
    app, claim_ids, admin_client, reviewer_client, reviewer2_client
):
    hostile_article = (
        f"title: {RAW_SCRIPT} {RAW_IMG_ATTACK} Budget\n"
        "date: 2025-01-02\n\n"
        f"{RAW_SCRIPT}\n"
        f"{RAW_IMG_ATTACK}\n"
        "The minister said taxes rose by 3% in 2024.\n"
    )
    response = admin_client.post(
        "/admin/import",
        data={"files": [(io.BytesIO(hostile_article.encode()), "hostile.txt")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert_escaped(response.get_data(as_text=True), "import report")
    with app.app_context():
        article = db.session.scalar(sa.select(Article.id))
    claims = claim_ids(article)
    note = f"See {RAW_SCRIPT} and {RAW_IMG_ATTACK}"
    url = f'https://example.org/?q=">{RAW_SCRIPT}'  # no spaces: a URL that is accepted
    assert save(reviewer_client, claims[0], "disputed", note, url).status_code == 302
    verdict = only_verdict(app)
    assert verdict.source_note == note  # stored as typed, escaped only when shown
    moderate(admin_client, app, verdict.id, "reject", f"Because {RAW_SCRIPT} {RAW_IMG_ATTACK}")
    save(reviewer2_client, claims[0], "unclear", "Bob's note.")

    pages = {
        "index": reviewer_client.get("/"),
        "article": reviewer_client.get(f"/articles/{article}"),
        "claim (own verdict, rejection reason)": reviewer_client.get(f"/claims/{claims[0]}"),
        "claim (other reviewer)": reviewer2_client.get(f"/claims/{claims[0]}"),
        "claim (admin)": admin_client.get(f"/claims/{claims[0]}"),
        "second claim": reviewer_client.get(f"/claims/{claims[1]}"),
        "audit log": admin_client.get("/admin/audit"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        assert_escaped(response.get_data(as_text=True), where)

    # Also escaped in the pending queue, once the verdict is pending again.
    with app.app_context():
        current = db.session.get(Verdict, verdict.id).version
    # A changed note (an identical resubmission would change nothing, moderation included).
    assert save(reviewer_client, claims[0], "disputed", note + " Revised.", url,
                version=str(current)).status_code == 302
    queue = admin_client.get("/admin/moderation")
    assert_escaped(queue.get_data(as_text=True), "moderation queue")
    # The URL lands in an href attribute: its quote must not end the attribute.
    assert 'href="https://example.org/?q=&#34;&gt;&lt;script&gt;' in queue.get_data(as_text=True)


# --- blind review ----------------------------------------------------------------------


def test_other_reviewers_verdicts_are_hidden_until_i_save_mine(
    app, article, claims, reviewer_client, reviewer2_client, admin_client
):
    assert save(reviewer2_client, claims[0], "disputed", "BOB-SECRET-NOTE",
                "https://bob.example/src").status_code == 302

    def leaks(response):
        html = response.get_data(as_text=True)
        return "BOB-SECRET-NOTE" in html or "bob.example" in html or "<strong>bob</strong>" in html

    page = reviewer_client.get(f"/claims/{claims[0]}")
    assert not leaks(page)
    assert "verdicts appear once you have saved yours." in page.get_data(as_text=True)
    # Neither a refused save (422) nor a conflict (409) shows them.
    assert not leaks(save(reviewer_client, claims[0], "disputed", ""))
    assert not leaks(save(reviewer_client, claims[0], "disputed", "x", version="1"))
    assert not leaks(reviewer_client.get(f"/articles/{article}"))
    assert not leaks(reviewer_client.get("/export/verdicts.csv"))

    # An admin moderates, so an admin sees them without a verdict of their own.
    assert leaks(admin_client.get(f"/claims/{claims[0]}"))

    assert save(reviewer_client, claims[0], "supported", "ALICE-NOTE").status_code == 302
    page = reviewer_client.get(f"/claims/{claims[0]}")
    assert leaks(page)
    assert "ALICE-NOTE" in reviewer2_client.get(f"/claims/{claims[0]}").get_data(as_text=True)


# --- hidden claims and rejections ------------------------------------------------------


def test_saving_on_a_hidden_claim_is_refused(app, claims, reviewer_client, admin_client):
    assert save(reviewer_client, claims[0], "supported", "Before hiding.").status_code == 302
    assert admin_client.post(f"/admin/claims/{claims[0]}/hide").status_code == 302
    assert admin_client.post(f"/admin/claims/{claims[1]}/hide").status_code == 302
    before = rows(app), revisions(app), audit_count(app)

    page = reviewer_client.get(f"/claims/{claims[1]}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "An admin hid this claim as not checkable" in html
    assert 'class="verdict-form"' not in html

    # A claim without my verdict, and one with it (a form loaded before the claim was hidden).
    for claim, version in ((claims[1], ""), (claims[0], "1")):
        response = save(reviewer_client, claim, "disputed", "After hiding.", version=version)
        assert response.status_code == 302
        assert response.location == f"/claims/{claim}"
        followed = reviewer_client.get(response.location)
        assert followed.status_code == 200
        assert (
            "This claim was hidden by an admin; it takes no verdicts. Nothing was saved."
            in followed.get_data(as_text=True)
        )
        assert (rows(app), revisions(app), audit_count(app)) == before


def test_rejected_verdict_shows_its_reason_to_its_reviewer(
    app, claims, reviewer_client, reviewer2_client, admin_client
):
    save(reviewer_client, claims[0], "supported", "Press release.")
    moderate(admin_client, app, only_verdict(app).id, "reject",
             "A press release is not evidence; cite the data.")
    html = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert "Rejected by editor" in html
    assert "A press release is not evidence; cite the data." in html
    assert "Revise your verdict below" in html
    assert '<span class="badge mod-rejected">rejected</span>' in html


def test_article_queue_and_neighbour_links(app, make_article, claim_ids, reviewer_client):
    first = make_article()
    make_article(SECOND_ARTICLE, "budget.txt")
    a = claim_ids(first)
    assert reviewer_client.get(f"/queue?article={first}").location == f"/claims/{a[0]}"
    save(reviewer_client, a[0])
    assert reviewer_client.get(f"/queue?article={first}").location == f"/claims/{a[1]}"
    article_page = reviewer_client.get(f"/articles/{first}").get_data(as_text=True)
    assert f"/queue?article={first}" in article_page and "(2 left)" in article_page
    for claim in a[1:]:
        save(reviewer_client, claim)
    done = reviewer_client.get(f"/queue?article={first}")
    assert done.location == f"/articles/{first}"
    assert "every open claim of this article" in reviewer_client.get(done.location).get_data(
        as_text=True)
    assert reviewer_client.get("/queue?article=999999").status_code == 404

    middle = reviewer_client.get(f"/claims/{a[1]}").get_data(as_text=True)
    assert f'href="/claims/{a[0]}" rel="prev"' in middle
    assert f'href="/claims/{a[2]}" rel="next"' in middle
    edge = reviewer_client.get(f"/claims/{a[0]}").get_data(as_text=True)
    assert 'rel="prev"' not in edge
