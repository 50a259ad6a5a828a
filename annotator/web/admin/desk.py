"""The decision desk: claims grouped with their verdicts, decided one by one or in bulk."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from annotator.extensions import db
from annotator.models import MAX_INTEGER, Claim
from annotator.services import desk, final_verdicts
from annotator.services.review_queue import hint_filter
from annotator.text.claim_states import CLAIM_STATES, STATE_NAMES
from annotator.text.hints import HINT_FILTERS
from annotator.web.admin import bp
from annotator.web.admin.forms import ApproveForm, BulkDecideForm, DecideForm, RejectForm
from annotator.web.guards import cursor_args, id_arg, posted_version
from annotator.web.review.forms import LABEL_CHOICES


def _filters() -> desk.DeskFilters:
    state = request.args.get("state")
    return desk.DeskFilters(
        article_id=id_arg("article"), reviewer_id=id_arg("reviewer"),
        state=state if state in CLAIM_STATES else None,
        hints=hint_filter(request.args.getlist("hint")),
    )


def desk_url(claim_id: int | None = None) -> str:
    """Where to go back to after an action: the desk page the form came from (its filters
    and page), at the claim acted on. Only a desk URL on this site is followed."""
    posted = request.form.get("next", "")
    parts = urlsplit(posted)
    desk_path = url_for("admin.desk")
    if parts.scheme or parts.netloc or parts.path != desk_path or "\\" in posted:
        posted = desk_path
    else:
        posted = parts.path + (f"?{parts.query}" if parts.query else "")
    return posted + (f"#claim-{claim_id}" if claim_id else "")


@bp.route("/desk", endpoint="desk")
def show_desk():
    """Claims with their verdicts side by side: splits first, then re-checks, unanimous
    claims ready to decide, claims still waiting for reviews, and decided ones."""
    filters = _filters()
    data = desk.desk_page(current_user, filters, **cursor_args(desk.DESK_CURSOR),
                          size=current_app.config["PAGE_SIZE"])
    return render_template(
        "admin/desk.html", data=data, filters=filters,
        choices=desk.filter_choices(filters.article_id),
        states=CLAIM_STATES, state_names=STATE_NAMES, hint_names=HINT_FILTERS,
        label_choices=LABEL_CHOICES, approve_form=ApproveForm(), reject_form=RejectForm(),
        decide_form=DecideForm(), bulk_form=BulkDecideForm(), here=request.full_path,
        needed=current_app.config["REVIEWS_PER_CLAIM"], count_max=desk.DESK_COUNT_SHOWN_MAX,
    )


@bp.route("/claims/<int:claim_id>/decide", methods=["POST"])
def decide(claim_id: int):
    """Set or change a claim's final verdict."""
    claim = db.get_or_404(Claim, claim_id)
    form = DecideForm()
    if form.validate_on_submit():
        try:
            final = final_verdicts.decide(
                claim, current_user, label=form.final_verdict.data,
                rationale=form.rationale.data, sources=form.sources.data,
                expected_version=posted_version(form.version.data),
            )
            db.session.commit()
        except final_verdicts.DecisionError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error))
            status = 409 if isinstance(error, final_verdicts.StaleDecision) else 422
            return _decision_refused(claim, form, status)
        except (IntegrityError, StaleDataError):
            db.session.rollback()
            form.final_verdict.errors.append(
                "Another admin decided this claim at the same moment; read their decision.")
            return _decision_refused(claim, form, 409)
        flash(f"Claim {claim.position} of “{claim.article.title}” decided: {final.label}.",
              "success")
        return redirect(desk_url(claim.id))
    return _decision_refused(claim, form, 422)


def _decision_refused(claim: Claim, form: DecideForm, status: int):
    """The claim's card alone, with what the editor typed and why it was refused."""
    [item] = desk.cards_for([claim.id]) or [None]
    return render_template(
        "admin/decision_refused.html", item=item, claim=claim, form=form,
        label_choices=LABEL_CHOICES, back=desk_url(claim.id),
        state_names=STATE_NAMES, needed=current_app.config["REVIEWS_PER_CLAIM"],
    ), status


def _posted_claim_ids() -> list[int]:
    ids = []
    for value in request.form.getlist("claim")[:1000]:
        if value.isdigit() and 0 < int(value) <= MAX_INTEGER:
            ids.append(int(value))
    return list(dict.fromkeys(ids))


@bp.route("/desk/decide-unanimous", methods=["POST"])
def decide_unanimous():
    """Decide every unanimous claim in view as its reviewers did, after a confirmation."""
    form = BulkDecideForm()
    if not form.validate_on_submit():
        flash("The form had expired; nothing was decided. Try again.", "error")
        return redirect(desk_url())
    ids = _posted_claim_ids()
    if form.confirm.data != "yes":
        return render_template(
            "admin/decide_unanimous.html", items=desk.unanimous_in(ids), form=form,
            back=desk_url(),
        )
    outcome = desk.decide_unanimous(ids, current_user)
    db.session.commit()
    message = f"{len(outcome.decided)} unanimous claims decided."
    if outcome.skipped:
        message += f" {len(outcome.skipped)} left for you: " + "; ".join(
            f"claim id {claim_id}: {why}" for claim_id, why in outcome.skipped.items()) + "."
    flash(message, "success" if outcome.decided else "info")
    return redirect(desk_url())
