"""Archiving and restoring an article from its page: the buttons, what the page says,
the refusals (twice, a reviewer, a forged form), and the article leaving the desk, the
exports and the reviewers' saves until it is restored."""

from __future__ import annotations

import pytest
from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import PASSWORD, SECOND_ARTICLE
from annotator_testkit.forms import form_for, forms_in, post_form
from annotator_testkit.rows import audit_events, count_rows, snapshot
from annotator_testkit.team import judge
from annotator_testkit.web import save, verdict_form

from annotator.extensions import db
from annotator.models import Article, Verdict


def archive(client, article_id, **kwargs):
    """Archive as the confirmation page's "Yes" button does."""
    return client.post(f"/admin/articles/{article_id}/archive", data=confirmed(), **kwargs)


def _archived(app, article_id) -> bool:
    with app.app_context():
        return db.session.get(Article, article_id).archived_at is not None


def _page(client, article_id) -> str:
    response = client.get(f"/articles/{article_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_admin_archives_and_restores_from_the_article_page(app, admin_client, article, claims,
                                                          reviewer_id):
    judge(app, claims[0], reviewer_id, "disputed")
    page = _page(admin_client, article)
    assert "Archive the article" in page and "Nothing is deleted" in page
    assert "This article is archived" not in page

    asked = admin_client.post(f"/admin/articles/{article}/archive")
    assert asked.status_code == 200 and not _archived(app, article)
    question = asked.get_data(as_text=True)
    assert "Archive “The U.S. economy grew by 2.5% last year.”?" in question
    assert "Yes, archive the article" in question and "Nothing is deleted" in question
    response = archive(admin_client, article, follow_redirects=True)
    assert response.request.path == f"/articles/{article}"
    page = response.get_data(as_text=True)
    assert "is archived: it has left the queues" in page
    assert "This article is archived" in page and "Restore the article" in page
    assert "Archive the article" not in page
    assert "Judge the claims of this article" not in page
    assert _archived(app, article)

    response = admin_client.post(f"/admin/articles/{article}/restore", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "is restored" in page and "This article is archived" not in page
    assert not _archived(app, article)
    assert [e[0] for e in audit_events(app)[-2:]] == ["article.archive", "article.restore"]


def test_reviewers_see_that_it_is_archived_and_get_no_buttons(app, admin_client,
                                                             reviewer_client, article):
    archive(admin_client, article)
    page = _page(reviewer_client, article)
    assert "This article is archived" in page
    assert "Restore" not in page and "/admin/articles/" not in page


@pytest.mark.parametrize("action, setup_archived, words", [
    ("archive", True, "already archived"),
    ("restore", False, "is not archived; there is nothing to restore"),
])
def test_archiving_twice_or_restoring_a_live_article_says_so_and_changes_nothing(
    app, admin_client, article, action, setup_archived, words
):
    if setup_archived:
        archive(admin_client, article)
    before = snapshot(app)
    response = admin_client.post(f"/admin/articles/{article}/{action}",
                                 data=confirmed(), follow_redirects=True)
    assert response.request.path == f"/articles/{article}"
    page = response.get_data(as_text=True)
    assert words in page and "Nothing was changed." in page
    assert snapshot(app) == before


@pytest.mark.parametrize("action", ["archive", "restore"])
def test_a_reviewer_cannot_archive_or_restore(app, reviewer_client, admin_client, article,
                                              action):
    if action == "restore":
        archive(admin_client, article)
    before = snapshot(app)
    assert reviewer_client.post(f"/admin/articles/{article}/{action}").status_code == 403
    assert snapshot(app) == before


def test_unknown_article_is_404(admin_client, article):
    assert admin_client.post("/admin/articles/999999/archive").status_code == 404


def test_the_page_form_carries_its_token_and_a_forged_post_is_refused(csrf_app, make_user,
                                                                     article):
    make_user("editor", "admin")
    admin = csrf_app.test_client()
    assert post_form(admin, "/login", {"username": "editor", "password": PASSWORD},
                     page="/login").status_code == 302
    before = snapshot(csrf_app)
    forged = admin.post(f"/admin/articles/{article}/archive", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    assert snapshot(csrf_app) == before
    response = post_form(admin, f"/admin/articles/{article}/archive", {},
                         page=f"/articles/{article}")
    assert response.status_code == 200 and not _archived(csrf_app, article)
    # The confirmation page's own form, with its token, does it.
    yes = form_for(response.get_data(as_text=True), f"/admin/articles/{article}/archive")
    assert admin.post(yes.action, data=yes.values()).status_code == 302
    assert _archived(csrf_app, article)


def test_archived_article_leaves_desk_and_exports_and_refuses_saves(
    app, admin_client, reviewer_client, reviewer2_client, make_article, claim_ids, article,
    claims, reviewer_id, reviewer2_id
):
    other = make_article(SECOND_ARTICLE, "budget.txt")
    judge(app, claims[0], reviewer_id, "supported")
    judge(app, claims[0], reviewer2_id, "disputed")
    judge(app, claim_ids(other)[0], reviewer_id, "unclear")
    assert f"/claims/{claims[0]}" in admin_client.get("/admin/desk").get_data(as_text=True)

    archive(admin_client, article)
    desk = admin_client.get("/admin/desk").get_data(as_text=True)
    assert f"/claims/{claims[0]}" not in desk
    assert f"/claims/{claim_ids(other)[0]}" in desk
    verdict_csv = admin_client.get("/export/verdicts.csv")
    assert verdict_csv.headers["X-Export-Rows"] == "1"
    claim_csv = admin_client.get("/export/claims.csv")
    assert claim_csv.headers["X-Export-Rows"] == str(len(claim_ids(other)))

    # A reviewer with the claim page open is told why the save is refused.
    verdicts = count_rows(app, Verdict)
    response = reviewer2_client.post(f"/claims/{claims[1]}", data=verdict_form(),
                                     follow_redirects=True)
    assert "article is archived" in response.get_data(as_text=True)
    assert count_rows(app, Verdict) == verdicts

    admin_client.post(f"/admin/articles/{article}/restore")
    assert f"/claims/{claims[0]}" in admin_client.get("/admin/desk").get_data(as_text=True)
    assert admin_client.get("/export/verdicts.csv").headers["X-Export-Rows"] == "3"
    save(reviewer2_client, claims[1], "supported", expect=302)


def test_the_buttons_are_plain_forms_that_work_without_javascript(admin_client, article):
    actions = [form.action for form in forms_in(_page(admin_client, article))]
    assert f"/admin/articles/{article}/archive" in actions
