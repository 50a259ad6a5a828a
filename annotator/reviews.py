"""Reviewing: saving verdicts with their history, the review queue, progress figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, defer, joinedload, selectinload

from .extensions import db
from .models import LABELS, Article, Claim, User, Verdict, VerdictRevision
from .timeutil import utcnow


class ReviewError(ValueError):
    """The verdict cannot be saved; the message is fit to show the reviewer."""


class StaleEdit(ReviewError):
    """The verdict changed since the form was loaded; saving would overwrite that change."""


class SaveOutcome(NamedTuple):
    verdict: Verdict
    changed: bool


MAX_URL_LENGTH = 2048


def check_source_url(url: str | None) -> str | None:
    """Return a trimmed http(s) URL, None for blank, or raise ``ReviewError``."""
    url = (url or "").strip()
    if not url:
        return None
    if len(url) > MAX_URL_LENGTH:
        raise ReviewError(f"The source URL is longer than {MAX_URL_LENGTH:,} characters.")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ReviewError("The source URL must start with http:// or https:// and name a host.")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ReviewError("The source URL must not contain spaces or control characters.")
    return url


class ClaimInArticle(NamedTuple):
    claim: Claim
    claim_count: int
    previous_id: int | None
    next_id: int | None


def claim_in_article(claim_id: int) -> ClaimInArticle | None:
    """The claim with its article loaded, the article's number of claims and the ids of
    the claims before and after it, in one query; None if there is no such claim."""
    other = aliased(Claim)
    same_article = other.article_id == Claim.article_id
    count = sa.select(sa.func.count(other.id)).where(same_article).scalar_subquery()

    def sibling(offset: int):
        return (
            sa.select(other.id)
            .where(same_article, other.position == Claim.position + offset)
            .scalar_subquery()
        )

    row = db.session.execute(
        sa.select(Claim, count, sibling(-1), sibling(1))
        .where(Claim.id == claim_id)
        .options(joinedload(Claim.article))
    ).first()
    return None if row is None else ClaimInArticle(*row)


def verdict_of(claim: Claim, reviewer: User) -> Verdict | None:
    """The reviewer's current verdict on this claim, if any."""
    return db.session.scalar(
        sa.select(Verdict).where(Verdict.claim_id == claim.id, Verdict.reviewer_id == reviewer.id)
    )


def save_verdict(
    claim: Claim,
    reviewer: User,
    *,
    label: str,
    source_note: str,
    source_url: str | None,
    expected_version: int | None,
) -> SaveOutcome:
    """Create or revise the reviewer's verdict and keep the submitted version as a revision.

    ``expected_version`` is the version the form was loaded with (None for a new verdict).
    Any change sends the verdict back to moderation; submitting exactly the saved verdict
    again (a double click, a stray Ctrl+Enter) changes nothing, not even its moderation.
    The caller commits.
    """
    if claim.is_hidden:
        raise ReviewError("This claim was hidden by an admin; it takes no verdicts.")
    if label not in LABELS:
        raise ReviewError("Choose supported, disputed or unclear.")
    source_note = source_note.strip()
    if not source_note:
        raise ReviewError("Write a source note: what evidence, where.")
    limit = current_app.config["SOURCE_NOTE_MAX_LENGTH"]
    if len(source_note) > limit:
        raise ReviewError(f"The note has {len(source_note):,} characters; the limit is {limit:,}.")
    source_url = check_source_url(source_url)

    verdict = verdict_of(claim, reviewer)
    # A rejected verdict saved unchanged is the reviewer standing by it: that goes back
    # to moderation like any revision.
    if (
        verdict is not None
        and verdict.moderation_state != "rejected"
        and (verdict.label, verdict.source_note, verdict.source_url)
        == (label, source_note, source_url)
    ):
        return SaveOutcome(verdict, changed=False)
    now = utcnow()
    if verdict is None:
        if expected_version is not None:
            raise StaleEdit("Your verdict on this claim no longer exists. Nothing was saved.")
        verdict = Verdict(claim_id=claim.id, reviewer_id=reviewer.id, created_at=now, version=1)
        db.session.add(verdict)
    else:
        if expected_version != verdict.version:
            raise StaleEdit(
                "Your verdict on this claim changed since you opened this page (in another "
                "tab, or by moderation). Nothing was saved: compare your text, still in the "
                "form, with the saved version, then save again if yours should stand."
            )
        verdict.version += 1
    verdict.label = label
    verdict.source_note = source_note
    verdict.source_url = source_url
    verdict.moderation_state = "pending"
    verdict.moderated_by_id = None
    verdict.moderated_at = None
    verdict.moderation_reason = None
    verdict.updated_at = now
    db.session.flush()
    db.session.add(
        VerdictRevision(
            verdict_id=verdict.id,
            version=verdict.version,
            label=label,
            source_note=source_note,
            source_url=source_url,
            created_at=now,
        )
    )
    db.session.flush()
    return SaveOutcome(verdict, changed=True)


# The queue follows the article list: newest article first, each article top to bottom.
QUEUE_ORDER = (Claim.article_id.desc(), Claim.position)


def _after(claim: Claim) -> sa.ColumnElement[bool]:
    """Claims that come after ``claim`` in queue order."""
    return sa.or_(
        sa.and_(Claim.article_id == claim.article_id, Claim.position > claim.position),
        Claim.article_id < claim.article_id,
    )


def _unjudged_claims(reviewer: User) -> sa.Select:
    """Open claims the reviewer has no verdict on, in queue order."""
    mine = sa.select(Verdict.id).where(
        Verdict.claim_id == Claim.id, Verdict.reviewer_id == reviewer.id
    )
    return (
        sa.select(Claim)
        .where(Claim.status == "open", ~mine.exists())
        .order_by(*QUEUE_ORDER)
    )


def _rejected_claims(reviewer: User) -> sa.Select:
    """Open claims on which the reviewer's verdict was rejected, in queue order."""
    return (
        sa.select(Claim)
        .join(Verdict, Verdict.claim_id == Claim.id)
        .where(
            Verdict.reviewer_id == reviewer.id,
            Verdict.moderation_state == "rejected",
            Claim.status == "open",
        )
        .order_by(*QUEUE_ORDER)
    )


def first_unjudged_in(article: Article, reviewer: User) -> Claim | None:
    """The first open claim of the article that the reviewer has not judged."""
    return db.session.scalar(
        _unjudged_claims(reviewer).where(Claim.article_id == article.id).limit(1)
    )


def next_claim_for(reviewer: User, after: Claim | None = None) -> Claim | None:
    """The next claim in my queue.

    Opening the queue (no ``after``) offers a rejected verdict to revise first. After a
    save it goes on with the next claim I have not judged after ``after``, so working
    through an article is not interrupted; rejected verdicts come when nothing else is left.
    """
    rejected = _rejected_claims(reviewer).limit(1)
    if after is None:
        first = db.session.scalar(rejected)
        if first is not None:
            return first
    query = _unjudged_claims(reviewer)
    if after is not None:
        later = db.session.scalar(query.where(_after(after)).limit(1))
        if later is not None:
            return later
    return db.session.scalar(query.limit(1)) or db.session.scalar(rejected)


def queue_size(reviewer: User) -> int:
    """How many open claims still wait for this reviewer's verdict."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(_unjudged_claims(reviewer).subquery())
    )


def any_open_claims() -> bool:
    """Whether any article has a claim that takes verdicts."""
    return db.session.scalar(
        sa.select(sa.literal(True)).select_from(Claim).where(Claim.status == "open").limit(1)
    ) is not None


def rejected_count(reviewer: User) -> int:
    """How many of the reviewer's verdicts on open claims were rejected and await revision."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(_rejected_claims(reviewer).subquery())
    )


@dataclass(frozen=True)
class ArticleProgress:
    article: Article
    claims: int
    judged: int


def article_progress_page(reviewer: User, page: int, per_page: int):
    """One page of articles with the reviewer's progress, in two queries whatever the page size."""
    pagination = db.paginate(
        # The list never shows bodies; leaving them out keeps the page light.
        sa.select(Article).options(defer(Article.body)).order_by(Article.id.desc()),
        page=page, per_page=per_page,
        error_out=False,
    )
    ids = [a.id for a in pagination.items]
    counts: dict[int, tuple[int, int]] = {}
    if ids:
        mine = sa.and_(Verdict.claim_id == Claim.id, Verdict.reviewer_id == reviewer.id)
        rows = db.session.execute(
            sa.select(Claim.article_id, sa.func.count(Claim.id), sa.func.count(Verdict.id))
            .outerjoin(Verdict, mine)
            .where(Claim.article_id.in_(ids), Claim.status == "open")
            .group_by(Claim.article_id)
        )
        counts = {article_id: (total, judged) for article_id, total, judged in rows}
    items = [ArticleProgress(a, *counts.get(a.id, (0, 0))) for a in pagination.items]
    return pagination, items


def claims_with_my_verdicts(article: Article, reviewer: User) -> list[tuple[Claim, Verdict | None]]:
    """Every claim of the article with the reviewer's verdict on it, in one query."""
    mine = sa.and_(Verdict.claim_id == Claim.id, Verdict.reviewer_id == reviewer.id)
    rows = db.session.execute(
        sa.select(Claim, Verdict)
        .outerjoin(Verdict, mine)
        .where(Claim.article_id == article.id)
        .order_by(Claim.position)
    )
    return [(claim, verdict) for claim, verdict in rows]


def other_verdicts(claim: Claim, reviewer: User) -> list[Verdict]:
    """Everyone else's verdicts on the claim, with their reviewers loaded."""
    return list(
        db.session.scalars(
            sa.select(Verdict)
            .where(Verdict.claim_id == claim.id, Verdict.reviewer_id != reviewer.id)
            .options(selectinload(Verdict.reviewer))
            .order_by(Verdict.updated_at)
        )
    )


def revisions_of(verdict: Verdict) -> list[VerdictRevision]:
    """Every saved version of the verdict, newest first, with their moderators loaded."""
    return list(
        db.session.scalars(
            sa.select(VerdictRevision)
            .where(VerdictRevision.verdict_id == verdict.id)
            .options(joinedload(VerdictRevision.moderated_by))
            .order_by(VerdictRevision.version.desc())
        )
    )
