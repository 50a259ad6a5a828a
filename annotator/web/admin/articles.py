"""Archiving and restoring an article (admins): one button each on the article page;
archiving asks for confirmation first (``confirmation``), restoring undoes it."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from annotator.extensions import db
from annotator.models import Article
from annotator.services import archive
from annotator.web.admin import bp, confirmation
from annotator.web.admin.forms import ActionForm


def _archiving(article: Article) -> confirmation.Confirmation | None:
    """The question before archiving; None for an archived article (refused at once)."""
    if article.archived_at is not None:
        return None
    return confirmation.Confirmation(
        f"Archive “{article.title}”?",
        ("It leaves every reviewer's queue, the desk, the exports and the progress and "
         "agreement figures; its claims take no verdicts or decisions while archived.",
         "Nothing is deleted: every claim, verdict and decision is kept, and Restore, on "
         "the article's page, brings it back exactly as it was."),
        "Yes, archive the article", url_for("review.article", article_id=article.id),
    )


def _change(article_id: int, change, done: str, question=None):
    """Validate the one-button form, ask for confirmation when ``question`` gives the
    page's text, make the change, commit, flash, back to the article."""
    article = db.get_or_404(Article, article_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    asked = question(article) if question is not None else None
    if asked is not None and not confirmation.is_confirmed(form):
        return confirmation.ask(asked)
    try:
        change(article, current_user)
    except archive.ArchiveError as error:
        db.session.rollback()
        flash(f"{error} Nothing was changed.", "error")
    else:
        db.session.commit()
        flash(done.format(title=article.title), "success")
    return redirect(url_for("review.article", article_id=article_id))


@bp.route("/articles/<int:article_id>/archive", methods=["POST"])
def archive_article(article_id: int):
    """Take an article out of the queues, the desk, the exports and the statistics."""
    return _change(
        article_id, archive.archive,
        "“{title}” is archived: it has left the queues, the desk, the exports and the "
        "progress and agreement figures. Every claim and verdict is kept; Restore brings "
        "it back as it was.", _archiving,
    )


@bp.route("/articles/<int:article_id>/restore", methods=["POST"])
def restore_article(article_id: int):
    """Bring an archived article back, unchanged."""
    return _change(
        article_id, archive.restore,
        "“{title}” is restored: it is back in the queues, the desk, the exports and the "
        "figures, with its claims and verdicts as they were.",
    )
