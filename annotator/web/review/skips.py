"""Skipping a claim for today and undoing it. Each POST: validate, one service call,
commit, redirect."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from annotator.extensions import db
from annotator.models import Claim
from annotator.services import review_queue, skips
from annotator.web.review import bp

_FORM_EXPIRED = "The form expired: reload the page and try again. Nothing was changed."


class SkipForm(FlaskForm):
    """The one-button skip (and undo) forms: a form so the POST carries its CSRF token."""


def _hints() -> tuple[str, ...]:
    return review_queue.hint_filter(request.args.getlist("hint"))


@bp.route("/claims/<int:claim_id>/skip", methods=["POST"])
def skip(claim_id: int):
    """Put the claim at the end of my queue for today and go on to the next claim."""
    claim, hints = db.get_or_404(Claim, claim_id), _hints()
    back = url_for("review.claim", claim_id=claim.id, hint=list(hints))
    if not SkipForm().validate_on_submit():
        flash(_FORM_EXPIRED, "error")
        return redirect(back)
    try:
        _, new = skips.skip_claim(claim, current_user)
        db.session.commit()
    except skips.SkipRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    count = skips.count_skipped_today(current_user)
    flash((f"Skipped for today: the claim waits at the end of your queue ({count} "
           f"claim{'' if count == 1 else 's'} skipped today; undo on the Skipped today page)."
           if new else "You had already skipped this claim today; nothing changed."), "info")
    following = review_queue.next_claim_for(current_user, after=claim, hints=hints)
    if following is None or following.id == claim.id:
        flash("Only the claims you skipped today are left in your queue.", "info")
        return redirect(url_for("review.skipped"))
    return redirect(url_for("review.claim", claim_id=following.id, hint=list(hints)))


@bp.route("/claims/<int:claim_id>/skip/undo", methods=["POST"])
def undo_skip(claim_id: int):
    """Bring a claim I skipped today back to its place in my queue."""
    claim = db.get_or_404(Claim, claim_id)
    if not SkipForm().validate_on_submit():
        flash(_FORM_EXPIRED, "error")
        return redirect(url_for("review.skipped"))
    undone = skips.undo_skip(claim, current_user)
    db.session.commit()
    flash(f"Claim {claim.position} of “{claim.article.title}” is back in its place in your "
          "queue." if undone else "This claim was not skipped today; nothing changed.",
          "success" if undone else "info")
    return redirect(url_for("review.skipped"))


@bp.route("/skips")
def skipped():
    """The claims I skipped today, each with its undo button."""
    return render_template("review/skips.html", claims=skips.skipped_today(current_user))
