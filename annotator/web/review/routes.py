"""Reviewer views. Each POST: validate, call one service function, commit, redirect."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from annotator.extensions import db
from annotator.models import Article
from annotator.services import article_list, review_queue, verdicts
from annotator.services.transactions import commit_keeping_loaded
from annotator.text.highlighting import segments
from annotator.text.hints import HINT_FILTERS
from annotator.web.guards import cursor_args, id_arg
from annotator.web.review import bp
from annotator.web.review.forms import LABEL_CHOICES, VerdictForm

# A second save of the same verdict, at the same moment, lost the race for its version.
SIMULTANEOUS_SAVE = "Your verdict was changed at the same moment elsewhere. Nothing was saved."
_QUEUE_EMPTY = ("Your queue is empty: every open claim has your verdict or all the "
                "independent reviews it needs.")


def _hints() -> tuple[str, ...]:
    """The queue filter from the query string (?hint=quote&hint=money); unknown names dropped."""
    return review_queue.hint_filter(request.args.getlist("hint"))


@bp.route("/")
def index():
    """Articles: searched, sorted and filtered as the query string says, with my progress
    (the team's for an admin) on each."""
    query = article_list.ArticleQuery.from_args(request.args, is_admin=current_user.is_admin)
    listing = article_list.article_list(
        current_user, query, **cursor_args(query.cursor_kinds),
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "review/index.html", listing=listing, page=listing.page, view=query.as_args(),
        sorts=article_list.SORTS, directions=article_list.DIRECTIONS,
        queue_size=listing.queue_size, queue_size_max=review_queue.QUEUE_SIZE_SHOWN_MAX,
        total_max=article_list.ARTICLES_COUNT_SHOWN_MAX,
        rejected=listing.waiting.rejected,
        recheck=listing.waiting.recheck, hint_names=HINT_FILTERS,
    )


@bp.route("/queue")
def queue():
    """Jump to the next claim of my queue: my rejected verdicts, then re-checks, then on
    from my place (my latest verdict or skip) in its article, then the desk's order, the
    claims I skipped today last (``review_queue.next_claim_for``). In one article with
    ?article=ID.

    ``?hint=quote&hint=money`` keeps to claims carrying any of those hints; the filter
    travels with the claim page, so saving goes on within it.
    """
    article_id = id_arg("article")
    if article_id is not None:
        return _first_unjudged_in(db.get_or_404(Article, article_id))
    hints = _hints()
    claim = review_queue.next_claim_for(current_user, hints=hints)
    if claim is None:
        if hints:
            flash(f"No claim with these hints waits for you ({', '.join(hints)}).", "info")
        elif review_queue.any_open_claims():
            flash(_QUEUE_EMPTY, "success")
        else:
            flash("There are no claims to judge yet.", "info")
        return redirect(url_for("review.index"))
    return redirect(url_for("review.claim", claim_id=claim.id, hint=list(hints)))


def _first_unjudged_in(article: Article):
    claim = review_queue.first_unjudged_in(article, current_user)
    if claim is None:
        flash("No claim of this article waits for you: each open claim has your verdict "
              "or all the independent reviews it needs.", "success")
        return redirect(url_for("review.article", article_id=article.id))
    return redirect(url_for("review.claim", claim_id=claim.id))


@bp.route("/articles/<int:article_id>")
def article(article_id: int):
    """The whole article with every claim highlighted in my state."""
    page = review_queue.article_page(db.get_or_404(Article, article_id), current_user)
    return render_template(
        "review/article.html", article=page.article, claims=page.claims, mine=page.mine,
        parts=segments(page.article.body, page.claims), retired=page.retired,
        original_url=verdicts.http_link((page.article.meta or {}).get("url")),
        judged=page.judged, total=page.total, decided=page.decided,
    )


@bp.route("/claims/<int:claim_id>", methods=["GET", "POST"])
def claim(claim_id: int):
    """One claim in its article, with my verdict form."""
    form = VerdictForm()
    if request.method == "POST":
        return _save(claim_id, form)
    page = verdicts.claim_page(claim_id, current_user)
    if page is None:
        abort(404)
    form.show(page.verdict)
    return _render_claim(page, form)


def _save(claim_id: int, form: VerdictForm):
    """Save my verdict and go on to the next claim, or show the form again saying why not.

    A save loads only the claim and its article; the whole claim page is read only when
    it is shown again (a refused form)."""
    claim, hints = verdicts.claim_with_article(claim_id), _hints()
    if claim is None:
        abort(404)
    try:
        verdicts.check_takes_verdicts(claim.status, claim.is_retired,
                                      claim.article.archived_at is not None)
    except verdicts.ClaimClosed as error:
        flash(f"{error} Nothing was saved.", "error")
        return redirect(url_for("review.claim", claim_id=claim.id, hint=list(hints)))
    if not form.validate_on_submit():
        return _render_claim(verdicts.claim_page(claim_id, current_user), form)
    try:
        outcome = verdicts.save_verdict(
            claim, current_user, label=form.verdict.data, source_note=form.source_note.data,
            source_url=form.source_url.data, expected_version=form.expected_version(),
        )
        # What this request loaded is what it just wrote: nothing to read again.
        commit_keeping_loaded()
    except (verdicts.StaleEdit, IntegrityError, StaleDataError) as error:
        db.session.rollback()
        return _conflict(claim.id, form, str(error) if isinstance(error, verdicts.StaleEdit)
                         else SIMULTANEOUS_SAVE)
    except verdicts.VerdictError as error:
        db.session.rollback()
        form[error.field].errors.append(str(error))
        return _render_claim(verdicts.claim_page(claim_id, current_user), form)
    if outcome.changed:
        flash(f"Saved: {outcome.verdict.label}. It now waits for moderation.", "success")
    else:
        flash("Your verdict was already saved exactly like this; nothing changed.", "info")
    # Revising a rejected or re-check verdict is a run: saving goes on to the next one.
    return _go_on_after(claim, hints, in_run=outcome.was_waiting)


def _conflict(claim_id: int, form: VerdictForm, message: str):
    """Someone (another tab, a moderator, a simultaneous save) changed my verdict. Keep what
    I typed on screen next to the saved version; resubmitting is my choice."""
    flash(message, "error")
    page = verdicts.claim_page(claim_id, current_user)
    form.version.data = str(page.verdict.version) if page.verdict else ""
    return _render_claim(page, form, conflict=True)


def _go_on_after(claim, hints: tuple[str, ...], *, in_run: bool = False):
    """Redirect to the next claim of my queue after ``claim``, or to its article when none."""
    following = review_queue.next_claim_for(current_user, after=claim, hints=hints,
                                            in_run=in_run)
    if following is None:
        flash(f"No other claim with these hints waits for you ({', '.join(hints)})."
              if hints else _QUEUE_EMPTY, "success")
        return redirect(url_for("review.article", article_id=claim.article_id))
    return redirect(url_for("review.claim", claim_id=following.id, hint=list(hints)))


def _render_claim(page: verdicts.ClaimPage, form: VerdictForm, conflict: bool = False):
    status = 409 if conflict else 422 if form.errors else 200
    return render_template(
        "review/claim.html", claim=page.claim, article=page.article, form=form,
        verdict=page.verdict, parts=segments(page.article.body, [page.claim]),
        earlier_versions=page.earlier_versions, others=page.others, position_count=page.claim_count,
        label_choices=[(c.value, c.label) for c in LABEL_CHOICES],
        neighbours=(page.previous_id, page.next_id), conflict=conflict, hints=_hints(),
        cut_points=page.cut_points, decided=page.decided, final=page.final,
    ), status
