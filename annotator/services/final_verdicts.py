"""Final verdicts: the desk's one decision per claim, with its history and its re-checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from annotator.extensions import db
from annotator.models import Article, Claim, FinalVerdict, FinalVerdictRevision, User
from annotator.services import audit
from annotator.services.errors import DomainError
from annotator.services.transactions import begin_writing
from annotator.services.verdicts import (
    VerdictError,
    check_label,
    check_source_url,
    check_takes_verdicts,
)
from annotator.text.form_text import as_typed
from annotator.text.timestamps import utcnow


class DecisionError(DomainError):
    """The final verdict cannot be set as submitted; the message is fit to show the editor."""

    field = "final_verdict"


class StaleDecision(DecisionError):
    """Someone decided the claim since the editor's form was loaded."""


def check_rationale(rationale: str | None) -> str:
    """Return the trimmed public rationale, or refuse an empty or overlong one."""
    rationale = as_typed(rationale).strip()
    if not rationale:
        raise DecisionError("Write the public rationale: why the desk stands behind this "
                            "verdict.", "rationale")
    limit = current_app.config["RATIONALE_MAX_LENGTH"]
    if len(rationale) > limit:
        raise DecisionError(
            f"The rationale has {len(rationale):,} characters; the limit is {limit:,}.",
            "rationale",
        )
    return rationale


def check_sources(sources: str | Sequence[str] | None) -> list[str]:
    """Return the source URLs (one a line when given as text), in order and without
    repeats, or refuse: at least one, each http(s), at most FINAL_SOURCES_MAX."""
    lines = as_typed(sources).splitlines() if isinstance(sources, str | None) else sources
    urls: list[str] = []
    for number, line in enumerate(lines, start=1):
        try:
            url = check_source_url(line)
        except VerdictError as error:
            raise DecisionError(f"Source {number}: {error}", "sources") from None
        if url is not None and url not in urls:
            urls.append(url)
    if not urls:
        raise DecisionError("Give at least one source URL (http or https), one a line.",
                            "sources")
    limit = current_app.config["FINAL_SOURCES_MAX"]
    if len(urls) > limit:
        raise DecisionError(f"{len(urls)} sources given; the limit is {limit}.", "sources")
    return urls


def final_verdict_of(claim: Claim) -> FinalVerdict | None:
    return db.session.scalar(sa.select(FinalVerdict).where(FinalVerdict.claim_id == claim.id))


def _lock_open_claim(claim: Claim) -> None:
    """As for reviewers' saves: no decision lands on a claim a boundary change retires."""
    status, retired_at, archived_at = db.session.execute(
        sa.select(Claim.status, Claim.retired_at, Article.archived_at)
        .join(Article, Article.id == Claim.article_id).where(Claim.id == claim.id)
        # The claim's row only: a boundary change locks the article, then its claims.
        # Not a share lock: the flush rewrites the claim's desk rank (see verdicts).
        .with_for_update(key_share=True, of=Claim)
    ).one()
    try:
        check_takes_verdicts(status, retired_at is not None, archived_at is not None)
    except VerdictError as error:
        raise DecisionError(str(error).replace("takes no verdicts", "takes no decision")) from None


def _snapshot(final: FinalVerdict | None) -> dict | None:
    if final is None:
        return None
    return {"label": final.label, "rationale": final.rationale, "sources": list(final.sources),
            "version": final.version, "needs_recheck": final.needs_recheck}


def decide(claim: Claim, editor: User, *, label: str, rationale: str,
           sources: str | Sequence[str] | None, expected_version: int | None) -> FinalVerdict:
    """Set or change the claim's final verdict; keep the version and audit it.

    ``expected_version`` is the final verdict's version the form was loaded with (None
    when the claim was undecided then). Deciding again, even unchanged, clears a
    re-check. The caller commits.
    """
    if not editor.is_admin:
        raise DecisionError("Only an admin can decide a final verdict.")
    try:
        label = check_label(label)
    except VerdictError as error:
        raise DecisionError(str(error)) from None
    rationale = check_rationale(rationale)
    urls = check_sources(sources)
    begin_writing()
    _lock_open_claim(claim)
    final = final_verdict_of(claim)
    before = _snapshot(final)
    if final is None:
        if expected_version is not None:
            raise StaleDecision("The final verdict you loaded no longer exists; look again.")
        final = FinalVerdict(claim_id=claim.id, version=1)
        db.session.add(final)
    elif expected_version != final.version:
        raise StaleDecision(
            f"{final.decided_by.username} decided this claim since you loaded the page "
            f"({final.label}). Nothing was changed: read their decision, then decide again "
            "if yours should stand."
        )
    else:
        final.version += 1
    final.label, final.rationale, final.sources = label, rationale, urls
    final.decided_by_id, final.decided_at, final.needs_recheck = editor.id, utcnow(), False
    db.session.flush()
    db.session.add(FinalVerdictRevision(
        final_verdict_id=final.id, version=final.version, label=label, rationale=rationale,
        sources=urls, decided_by_id=editor.id, decided_at=final.decided_at,
    ))
    audit.record(editor, "final_verdict.decide", claim, article_id=claim.article_id,
                 before=before, after=_snapshot(final))
    db.session.flush()
    return final


def revisions_of(finals: Iterable[FinalVerdict]) -> dict[int, list[FinalVerdictRevision]]:
    """Every version of each final verdict, newest first, by final verdict id; one query."""
    ids = [final.id for final in finals]
    found: dict[int, list[FinalVerdictRevision]] = {}
    if not ids:
        return found
    for revision in db.session.scalars(
        sa.select(FinalVerdictRevision)
        .where(FinalVerdictRevision.final_verdict_id.in_(ids))
        .options(joinedload(FinalVerdictRevision.decided_by))
        .order_by(FinalVerdictRevision.final_verdict_id, FinalVerdictRevision.version.desc())
    ):
        found.setdefault(revision.final_verdict_id, []).append(revision)
    return found


def mark_for_recheck(claim_ids: Iterable[int]) -> list[int]:
    """Flag the final verdicts of claims whose boundaries changed; returns their ids.

    The version bump makes a desk form loaded before the change stale.
    """
    ids = list(claim_ids)
    if not ids:
        return []
    marked = []
    for final in db.session.scalars(
        sa.select(FinalVerdict).where(FinalVerdict.claim_id.in_(ids)).order_by(FinalVerdict.id)
    ):
        final.needs_recheck = True
        final.version += 1
        marked.append(final.id)
    return marked
