"""Admin views. Each POST: validate the form, call one service function, commit, redirect."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from annotator.extensions import db
from annotator.models import Article, Claim, User, Verdict
from annotator.services import accounts, audit, boundaries, moderation
from annotator.services.article_import import import_and_commit
from annotator.web.admin import bp, confirmation
from annotator.web.admin.desk import desk_url
from annotator.web.admin.forms import (
    ActionForm,
    ApproveForm,
    BoundaryForm,
    CreateUserForm,
    ImportForm,
    RejectForm,
    SplitForm,
)
from annotator.web.guards import cursor_args, cursor_query, posted_version


@bp.route("/")
def index():
    """The admin pages start at the decision desk."""
    return redirect(url_for("admin.desk"))


@bp.route("/moderation")
def moderation_queue():
    """Verdicts waiting for an admin, oldest first (not the admin's own)."""
    data = moderation.moderation_page(
        current_user, **cursor_args(moderation.PENDING_CURSOR),
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "admin/moderation.html", page=data.page, earlier=data.earlier, cursor=cursor_query(),
    )


def _moderate(verdict_id: int, form, action):
    verdict = db.get_or_404(Verdict, verdict_id)
    problem = None
    status = 409
    if not form.validate_on_submit():
        problem = " ".join(e for errors in form.errors.values() for e in errors)
        status = 422
    else:
        try:
            action(verdict, posted_version(form.version.data))
            db.session.commit()
        except moderation.ModerationError as error:
            db.session.rollback()
            problem = str(error)
        except StaleDataError:
            db.session.rollback()
            problem = "The verdict changed at the same moment; read it again."
    if problem is None:
        flash(f"{verdict.reviewer.username}'s verdict on claim {verdict.claim.position} "
              f"{verdict.moderation_state}.", "success")
        if request.form.get("back") == "claim":
            return redirect(url_for("review.claim", claim_id=verdict.claim_id))
        if request.form.get("back") == "desk":
            return redirect(desk_url(verdict.claim_id))
        return redirect(url_for("admin.moderation_queue", **cursor_query()))
    # Show the verdict as it is now, with the reason the admin typed still in its box.
    flash(f"{verdict.reviewer.username}'s verdict on claim {verdict.claim.position} of "
          f"“{verdict.claim.article.title}”: {problem} Nothing was changed.", "error")
    back = request.form.get("back") if request.form.get("back") in ("claim", "desk") else None
    return render_template(
        "admin/moderation_refused.html", verdict=verdict, back=back,
        before=moderation.earlier_decisions([verdict]).get(verdict.id),
        reason=request.form.get("reason", ""),
    ), status


@bp.route("/verdicts/<int:verdict_id>/approve", methods=["POST"])
def approve(verdict_id: int):
    """Approve one verdict."""
    return _moderate(
        verdict_id, ApproveForm(),
        lambda verdict, expected: moderation.approve(verdict, current_user, expected),
    )


@bp.route("/verdicts/<int:verdict_id>/reject", methods=["POST"])
def reject(verdict_id: int):
    """Reject one verdict with a reason the reviewer will see."""
    form = RejectForm()
    return _moderate(
        verdict_id, form,
        lambda verdict, expected: moderation.reject(
            verdict, current_user, form.reason.data, expected
        ),
    )


def _set_hidden(claim_id: int, hidden: bool):
    claim = db.get_or_404(Claim, claim_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if not confirmation.is_confirmed(form):
        return confirmation.ask(confirmation.hiding(claim, hidden))
    try:
        moderation.set_hidden(claim, hidden, current_user)
    except moderation.ModerationError as error:
        db.session.rollback()
        return _boundary_refused(claim.article, claim, str(error), 409)
    db.session.commit()
    flash(
        "Claim hidden: it leaves queues and exports; its verdicts are kept."
        if hidden else "Claim restored to queues and exports.",
        "success",
    )
    return redirect(url_for("review.claim", claim_id=claim.id))


@bp.route("/claims/<int:claim_id>/hide", methods=["POST"])
def hide_claim(claim_id: int):
    """Hide a claim that is not checkable (a dateline, a byline)."""
    return _set_hidden(claim_id, True)


@bp.route("/claims/<int:claim_id>/unhide", methods=["POST"])
def unhide_claim(claim_id: int):
    """Bring a hidden claim back."""
    return _set_hidden(claim_id, False)


def _boundary_refused(article: Article, claim: Claim | None, problem: str, status: int):
    return render_template(
        "admin/boundaries_refused.html", article=article, claim=claim, problem=problem,
    ), status


def _change_boundaries(article: Article, claim: Claim | None, form, question, change, done):
    """Validate the form, ask for confirmation (``question`` makes the page's text), then
    make the change in one transaction, report, redirect.

    ``change`` gets the version posted back and returns what ``done`` turns into
    (flash message, redirect URL).
    """
    if not form.validate_on_submit():
        problem = " ".join(e for errors in form.errors.values() for e in errors)
        return _boundary_refused(article, claim, problem, 422)
    try:
        if not confirmation.is_confirmed(form):
            boundaries.check_current(article, form.version.data)
            return confirmation.ask(question())
        result = change(form.version.data)
        db.session.commit()
    except boundaries.StaleBoundaries as error:
        db.session.rollback()
        return _boundary_refused(article, claim, str(error), 409)
    except boundaries.BoundaryError as error:
        db.session.rollback()
        return _boundary_refused(article, claim, str(error), 422)
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        return _boundary_refused(
            article, claim,
            "The claims of this article were changed at the same moment; look at them again.",
            409,
        )
    message, url = done(result)
    flash(message, "success")
    return redirect(url)


@bp.route("/claims/<int:claim_id>/split", methods=["POST"])
def split_claim(claim_id: int):
    """Split a claim in two at a gap between words."""
    claim = db.get_or_404(Claim, claim_id)
    form = SplitForm()
    return _change_boundaries(
        claim.article, claim, form, lambda: confirmation.splitting(claim, form.at.data),
        lambda version: boundaries.split_claim(claim, form.at.data, current_user, version),
        lambda second: (
            f"Claim split in two: “{claim.text}” and “{second.text}”. Verdicts stay on the "
            "first part and are marked for re-check.",
            url_for("review.claim", claim_id=claim.id),
        ),
    )


@bp.route("/claims/<int:claim_id>/merge", methods=["POST"])
def merge_claim(claim_id: int):
    """Merge a claim with the next claim of its article."""
    claim = db.get_or_404(Claim, claim_id)
    return _change_boundaries(
        claim.article, claim, BoundaryForm(), lambda: confirmation.merging(claim),
        lambda version: boundaries.merge_with_next(claim, current_user, version),
        lambda merged: (
            "Claims merged. Verdicts of both are on the merged claim and marked for re-check "
            "(a reviewer who had judged both keeps the second verdict on the retired claim).",
            url_for("review.claim", claim_id=merged.id),
        ),
    )


@bp.route("/articles/<int:article_id>/resplit", methods=["POST"])
def resplit_article(article_id: int):
    """Split the article's text again with the current rules."""
    article = db.get_or_404(Article, article_id)
    return _change_boundaries(
        article, None, BoundaryForm(), lambda: confirmation.resplitting(article),
        lambda version: boundaries.resplit_article(article, current_user, version),
        lambda report: (
            f"Article re-split: {report.summary()}.",
            url_for("review.article", article_id=article.id),
        ),
    )


@bp.route("/users", methods=["GET", "POST"])
def users():
    """Every account, and a form to create one."""
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.username.data, form.password.data, form.role.data, current_user
            )
            db.session.commit()
        except accounts.AccountError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error))
        except IntegrityError:
            db.session.rollback()
            form.username.errors.append(f"The username {form.username.data!r} is taken.")
        else:
            flash(f"Account {user.username} ({user.role}) created.", "success")
            return redirect(url_for("admin.users"))
    people = accounts.list_users()
    return render_template(
        "admin/users.html", form=form, people=people,
        min_length=current_app.config["MIN_PASSWORD_LENGTH"],
    ), (422 if form.errors else 200)


def _set_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if not active and not confirmation.is_confirmed(form):
        return confirmation.ask(confirmation.deactivating(user))
    try:
        accounts.set_active(user, active, current_user)
        db.session.commit()
    except accounts.AccountError as error:
        db.session.rollback()
        flash(f"{error} Nothing was changed.", "error")
    else:
        flash(f"{user.username} is now {'active' if active else 'deactivated'}.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/activate", methods=["POST"])
def activate_user(user_id: int):
    """Let a deactivated account log in again."""
    return _set_active(user_id, True)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def deactivate_user(user_id: int):
    """Stop an account from logging in; its verdicts stay."""
    return _set_active(user_id, False)


@bp.route("/import", methods=["GET", "POST"])
def import_articles():
    """Upload plain-text articles; each is split into claims."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        limit = current_app.config["MAX_ARTICLE_BYTES"]
        blobs = [(f.filename or "upload.txt", f.stream.read(limit + 1)) for f in form.files.data]
        seconds = current_app.config["IMPORT_TIME_LIMIT_SECONDS"]
        report = import_and_commit(blobs, current_user, time_limit=seconds)
        flash(f"Import: {report.summary()}.", "success" if not report.refused else "error")
        if report.timed_out:
            return _import_page(form, report), 422
    return _import_page(form, report), (422 if form.errors else 200)


def _import_page(form: ImportForm, report):
    return render_template(
        "admin/import.html", form=form, report=report,
        limit=current_app.config["MAX_ARTICLE_BYTES"],
        time_limit=current_app.config["IMPORT_TIME_LIMIT_SECONDS"],
    )


@bp.route("/audit")
def audit_log():
    """Every admin action, newest first, filtered by actor, action and dates as the query
    string says (a bad date is ignored with a message)."""
    query = audit.AuditQuery.from_args(request.args)
    listing = audit.audit_page(query, **cursor_args(audit.EVENTS_CURSOR),
                               size=current_app.config["PAGE_SIZE"])
    return render_template("admin/audit.html", listing=listing, page=listing.page,
                           query=query, view=query.as_args())
