"""Moderation: approving and rejecting verdicts, hiding claims that are not checkable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager, joinedload

from annotator.extensions import db
from annotator.models import Article, Claim, User, Verdict, VerdictRevision
from annotator.services import audit
from annotator.services.archive import in_live_article
from annotator.services.errors import DomainError
from annotator.services.keyset import KeysetPage, keyset_page
from annotator.text.form_text import as_typed
from annotator.text.timestamps import utcnow


class ModerationError(DomainError):
    """The moderation action cannot be done; the message is fit to show the admin."""


def _check(verdict: Verdict, moderator: User, expected_version: int | None) -> None:
    if verdict.reviewer_id == moderator.id:
        raise ModerationError("You cannot moderate your own verdict; another admin must.")
    if verdict.version != expected_version:
        raise ModerationError(
            "The reviewer changed this verdict after you loaded the page; read it again first."
        )


def _moderate(verdict: Verdict, moderator: User, state: str, reason: str | None) -> None:
    """Record the decision on the verdict and on the revision it judged, and audit it."""
    before = verdict.moderation_state
    now = utcnow()
    judged = db.session.scalar(
        sa.select(VerdictRevision)
        .where(VerdictRevision.verdict_id == verdict.id)
        .order_by(VerdictRevision.version.desc())
        .limit(1)
    )
    for record in (verdict, judged):
        if record is not None:
            record.moderation_state = state
            record.moderated_by_id = moderator.id
            record.moderated_at = now
            record.moderation_reason = reason
    verdict.updated_at = now
    # Moderation is a change too: a reviewer's form loaded before it is now stale.
    verdict.version += 1
    audit.record(
        moderator, f"verdict.{'approve' if state == 'approved' else 'reject'}", verdict,
        claim_id=verdict.claim_id, reviewer_id=verdict.reviewer_id, label=verdict.label,
        revision=judged.version if judged else None, before=before, after=state, reason=reason,
    )
    db.session.flush()


def approve(verdict: Verdict, moderator: User, expected_version: int | None) -> None:
    """Mark the verdict approved. The caller commits."""
    _check(verdict, moderator, expected_version)
    _moderate(verdict, moderator, "approved", None)


def check_reason(reason: str | None) -> str:
    """Return the trimmed rejection reason, or refuse an empty or overlong one."""
    reason = as_typed(reason).strip()
    if not reason:
        raise ModerationError("Give the reviewer a reason for the rejection.", "reason")
    limit = current_app.config["MODERATION_REASON_MAX_LENGTH"]
    if len(reason) > limit:
        raise ModerationError(
            f"The reason has {len(reason):,} characters; the limit is {limit:,}.", "reason"
        )
    return reason


def reject(verdict: Verdict, moderator: User, reason: str, expected_version: int | None) -> None:
    """Mark the verdict rejected with a reason the reviewer will read. The caller commits."""
    reason = check_reason(reason)
    _check(verdict, moderator, expected_version)
    _moderate(verdict, moderator, "rejected", reason)


def set_hidden(claim: Claim, hidden: bool, actor: User) -> None:
    """Hide a claim that is not checkable, or bring it back; verdicts are kept either way."""
    if claim.is_retired:
        # Its retirement is what hides it; unhiding it would put a claim that overlaps live
        # ones back into the queues. Only a boundary change may bring it back.
        raise ModerationError(
            "This claim was retired by a boundary change; split or re-split the live claims "
            "to bring its text back."
        )
    status = "hidden" if hidden else "open"
    if claim.status == status:
        return
    before = claim.status
    claim.status = status
    audit.record(actor, "claim.hide" if hidden else "claim.unhide", claim,
                 article_id=claim.article_id, text=claim.text, before=before, after=status)
    db.session.flush()


def earlier_decisions(verdicts: list[Verdict]) -> dict[int, VerdictRevision]:
    """For each verdict, its latest earlier revision that a moderator decided on, so the
    queue can show what was rejected before and why. One query for the whole page."""
    ids = [v.id for v in verdicts]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(VerdictRevision)
        .where(VerdictRevision.verdict_id.in_(ids), VerdictRevision.moderated_at.is_not(None))
        .options(joinedload(VerdictRevision.moderated_by))
        .order_by(VerdictRevision.verdict_id, VerdictRevision.version.desc())
    )
    earlier: dict[int, VerdictRevision] = {}
    for revision in rows:
        earlier.setdefault(revision.verdict_id, revision)
    return earlier


# Oldest first; the id breaks ties, so the key is unique and pages never overlap.
PENDING_ORDER = (Verdict.updated_at, Verdict.id)
PENDING_CURSOR = (dt.datetime, int)


def pending_page(moderator: User, *, after: tuple | None, before: tuple | None,
                 size: int) -> KeysetPage[Verdict]:
    """One page of verdicts awaiting moderation, oldest first, paged by key (see
    ``keyset``), with what the page shows loaded: of the article only its id and title,
    never its body. The moderator's own verdicts are left out, since another admin must
    judge them, and so are archived articles'."""
    query = (
        sa.select(Verdict)
        .join(Verdict.claim)
        .where(
            Verdict.moderation_state == "pending",
            Claim.status == "open",
            in_live_article(),
            Verdict.reviewer_id != moderator.id,
        )
    )
    return keyset_page(
        query, PENDING_ORDER, lambda v: (v.updated_at, v.id), descending=False,
        after=after, before=before, size=size,
        options=(joinedload(Verdict.reviewer),
                 contains_eager(Verdict.claim).joinedload(Claim.article)
                 .load_only(Article.id, Article.title)),
    )


@dataclass(frozen=True)
class ModerationPage:
    """One page of the moderation queue, with what was decided earlier on each verdict."""

    page: KeysetPage[Verdict]
    earlier: dict[int, VerdictRevision]


def moderation_page(moderator: User, *, after: tuple | None, before: tuple | None,
                    size: int) -> ModerationPage:
    """The moderation queue's data for ``moderator``."""
    page = pending_page(moderator, after=after, before=before, size=size)
    return ModerationPage(page, earlier_decisions(page.items))
