"""Reviewer views. Each POST: validate, call one service function, commit, redirect."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from annotator.extensions import db
from annotator.models import Article
from annotator.services import boundaries, verdicts
from annotator.text.highlighting import segments
from annotator.text.hints import HINT_FILTERS
from annotator.web.guards import id_arg, page_arg
from annotator.web.review import bp
from annotator.web.review.forms import LABEL_CHOICES, VerdictForm


def _hints() -> tuple[str, ...]:
    """The queue filter from the query string (?hint=quote&hint=money); unknown names dropped."""
    return verdicts.hint_filter(request.args.getlist("hint"))


@bp.route("/")
def index():
    """Articles, newest first, with my progress on each."""
    page = page_arg()
    pagination, items = verdicts.article_progress_page(
        current_user, page, current_app.config["PAGE_SIZE"]
    )
    waiting = verdicts.waiting_verdicts(current_user)
    return render_template(
        "review/index.html", pagination=pagination, items=items,
        queue_size=verdicts.queue_size(current_user),
        rejected=waiting.rejected, recheck=waiting.recheck,
        hint_names=HINT_FILTERS,
    )


@bp.route("/queue")
def queue():
    """Jump to the next claim I have not judged (in one article with ?article=ID).

    ``?hint=quote&hint=money`` keeps to claims carrying any of those hints; the filter
    travels with the claim page, so saving goes on within it.
    """
    article_id = id_arg("article")
    if article_id is not None:
        article = db.get_or_404(Article, article_id)
        claim = verdicts.first_unjudged_in(article, current_user)
        if claim is None:
            flash("You have judged every open claim of this article.", "success")
            return redirect(url_for("review.article", article_id=article.id))
        return redirect(url_for("review.claim", claim_id=claim.id))
    hints = _hints()
    claim = verdicts.next_claim_for(current_user, hints=hints)
    if claim is None:
        if hints:
            flash(f"No claim with these hints waits for you ({', '.join(hints)}).", "info")
        elif verdicts.any_open_claims():
            flash("Your queue is empty: you have judged every open claim.", "success")
        else:
            flash("There are no claims to judge yet.", "info")
        return redirect(url_for("review.index"))
    return redirect(url_for("review.claim", claim_id=claim.id, hint=list(hints)))


@bp.route("/articles/<int:article_id>")
def article(article_id: int):
    """The whole article with every claim highlighted in my state."""
    article = db.get_or_404(Article, article_id)
    pairs = verdicts.claims_with_my_verdicts(article, current_user)
    by_claim = {claim.id: verdict for claim, verdict in pairs}
    claims = [claim for claim, _ in pairs if not claim.is_retired]
    return render_template(
        "review/article.html", article=article, claims=claims, mine=by_claim,
        parts=segments(article.body, claims),
        retired=[claim for claim, _ in pairs if claim.is_retired],
        original_url=_http_url((article.meta or {}).get("url")),
        judged=sum(1 for c, v in pairs if v is not None and not c.is_hidden),
        total=sum(1 for c in claims if not c.is_hidden),
    )


@bp.route("/claims/<int:claim_id>", methods=["GET", "POST"])
def claim(claim_id: int):
    """One claim in its article, with my verdict form."""
    found = verdicts.claim_in_article(claim_id)
    if found is None:
        abort(404)
    claim = found.claim
    hints = _hints()
    verdict = verdicts.verdict_of(claim, current_user)
    form = VerdictForm()
    conflict = False
    if request.method == "GET":
        _fill_form(form, verdict)
    elif claim.is_hidden:
        flash("An admin changed the claim boundaries and this claim no longer exists; it takes "
              "no verdicts. Nothing was saved." if claim.is_retired else
              "This claim was hidden by an admin; it takes no verdicts. Nothing was saved.",
              "error")
        return redirect(url_for("review.claim", claim_id=claim.id, hint=list(hints)))
    elif form.validate_on_submit():
        try:
            outcome = verdicts.save_verdict(
                claim, current_user, label=form.verdict.data, source_note=form.source_note.data,
                source_url=form.source_url.data, expected_version=form.expected_version(),
            )
            db.session.commit()
        except (verdicts.StaleEdit, IntegrityError, StaleDataError) as error:
            # Someone (another tab, a moderator, a simultaneous save) changed my verdict.
            # Keep what I typed on screen next to the saved version; resubmitting is my choice.
            db.session.rollback()
            flash(str(error) if isinstance(error, verdicts.StaleEdit) else
                  "Your verdict was changed at the same moment elsewhere. Nothing was saved.",
                  "error")
            verdict = verdicts.verdict_of(claim, current_user)
            form.version.data = str(verdict.version) if verdict else ""
            conflict = True
        except verdicts.ReviewError as error:
            db.session.rollback()
            form.verdict.errors = [*form.verdict.errors, str(error)]
        else:
            if outcome.changed:
                flash(f"Saved: {outcome.verdict.label}. It now waits for moderation.", "success")
            else:
                flash("Your verdict was already saved exactly like this; nothing changed.",
                      "info")
            following = verdicts.next_claim_for(current_user, after=claim, hints=hints)
            if following is None:
                flash(f"No other claim with these hints waits for you ({', '.join(hints)})."
                      if hints else "Your queue is empty: you have judged every open claim.",
                      "success")
                return redirect(url_for("review.article", article_id=claim.article_id))
            return redirect(url_for("review.claim", claim_id=following.id, hint=list(hints)))

    article = claim.article
    # Nobody sees others' verdicts before committing to their own; admins moderate, so they do.
    show_others = verdict is not None or current_user.is_admin
    return render_template(
        "review/claim.html", claim=claim, article=article, form=form, verdict=verdict,
        parts=segments(article.body, [claim]),
        revisions=verdicts.revisions_of(verdict) if verdict else [],
        others=verdicts.other_verdicts(claim, current_user) if show_others else None,
        position_count=found.claim_count, label_choices=[(c.value, c.label) for c in LABEL_CHOICES],
        neighbours=(found.previous_id, found.next_id),
        conflict=conflict, hints=hints,
        cut_points=boundaries.cut_points(claim)
        if current_user.is_admin and not claim.is_retired else [],
    ), (409 if conflict else 422 if form.errors else 200)


def _http_url(url: str | None) -> str | None:
    """A header URL is shown as a link only when it is http(s); it was never validated."""
    try:
        return verdicts.check_source_url(url)
    except verdicts.ReviewError:
        return None


def _fill_form(form: VerdictForm, verdict) -> None:
    """Show my current verdict in the form, with the version it was loaded at."""
    if verdict is None:
        form.version.data = ""
        return
    form.verdict.data = verdict.label
    form.source_note.data = verdict.source_note
    form.source_url.data = verdict.source_url or ""
    form.version.data = str(verdict.version)
