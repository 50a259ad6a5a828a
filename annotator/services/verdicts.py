"""Reviewing: saving verdicts with their history, the review queue, progress figures."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, defer, joinedload, selectinload

from annotator.extensions import db
from annotator.models import LABELS, Article, Claim, User, Verdict, VerdictRevision
from annotator.text.hints import HINT_FILTERS
from annotator.text.timestamps import utcnow


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
    # Invisible format characters (right-to-left overrides, zero-width spaces) can make a
    # link read as something else than where it goes; a real address never needs them.
    if any(unicodedata.category(ch) == "Cf" for ch in url):
        raise ReviewError(
            "The source URL contains invisible characters (such as a right-to-left override); "
            "paste the address again from the browser's address bar."
        )
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
    # Retired claims sit outside the positions 1..n; they are neither counted nor neighbours.
    same_article = sa.and_(other.article_id == Claim.article_id, other.retired_at.is_(None))
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
    # A boundary change may retire the claim while this save runs. Reading its state under
    # a share lock (PostgreSQL; SQLite runs one writer at a time anyway) waits for such a
    # change to commit and sees its outcome, so no verdict lands on a claim just retired.
    status, retired_at = db.session.execute(
        sa.select(Claim.status, Claim.retired_at).where(Claim.id == claim.id)
        .with_for_update(read=True)
    ).one()
    if retired_at is not None:
        raise ReviewError("An admin changed the claim boundaries and this claim no longer "
                          "exists; it takes no verdicts.")
    if status == "hidden":
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
    # to moderation like any revision. So is a verdict confirmed after its claim's
    # boundaries changed: the re-check is done, and the verdict is now about the new text.
    if (
        verdict is not None
        and verdict.moderation_state != "rejected"
        and not verdict.needs_recheck
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
    verdict.needs_recheck = False
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

# The hints a reviewer can filter the queue by, and the column holding each.
HINT_COLUMNS = {
    "quote": Claim.is_quote,
    "number": Claim.has_number,
    "percent": Claim.has_percent,
    "money": Claim.has_money,
    "date": Claim.has_date,
}
assert tuple(HINT_COLUMNS) == HINT_FILTERS


def hint_filter(values: list[str]) -> tuple[str, ...]:
    """The known hint names among ``values`` (from the query string), in the UI's order.

    Unknown names are dropped: an old bookmark or a typo shows the plain queue, not an error.
    """
    wanted = set(values)
    return tuple(name for name in HINT_FILTERS if name in wanted)


def _with_hints(query: sa.Select, hints: tuple[str, ...]) -> sa.Select:
    """Keep claims carrying any of the chosen hints (all claims when none is chosen)."""
    if not hints:
        return query
    return query.where(sa.or_(*(HINT_COLUMNS[name].is_(True) for name in hints)))


def _after(claim: Claim) -> sa.ColumnElement[bool]:
    """Claims that come after ``claim`` in queue order."""
    return sa.or_(
        sa.and_(Claim.article_id == claim.article_id, Claim.position > claim.position),
        Claim.article_id < claim.article_id,
    )


def _unjudged_claims(reviewer: User, hints: tuple[str, ...] = ()) -> sa.Select:
    """Open claims the reviewer has no verdict on, in queue order."""
    mine = sa.select(Verdict.id).where(
        Verdict.claim_id == Claim.id, Verdict.reviewer_id == reviewer.id
    )
    return _with_hints(
        sa.select(Claim)
        .where(Claim.status == "open", ~mine.exists())
        .order_by(*QUEUE_ORDER),
        hints,
    )


def _my_verdicts_where(reviewer: User, condition, hints: tuple[str, ...] = ()) -> sa.Select:
    """Open claims on which the reviewer's verdict meets ``condition``, in queue order."""
    return _with_hints(
        sa.select(Claim)
        .join(Verdict, Verdict.claim_id == Claim.id)
        .where(Verdict.reviewer_id == reviewer.id, condition, Claim.status == "open")
        .order_by(*QUEUE_ORDER),
        hints,
    )


def _rejected_claims(reviewer: User, hints: tuple[str, ...] = ()) -> sa.Select:
    """Open claims on which the reviewer's verdict was rejected, in queue order."""
    return _my_verdicts_where(reviewer, Verdict.moderation_state == "rejected", hints)


def _recheck_claims(reviewer: User, hints: tuple[str, ...] = ()) -> sa.Select:
    """Open claims whose boundaries changed under the reviewer's verdict, in queue order.

    A rejected one is left to the rejected list, which is offered first anyway.
    """
    return _my_verdicts_where(
        reviewer,
        sa.and_(Verdict.needs_recheck.is_(True), Verdict.moderation_state != "rejected"),
        hints,
    )


def first_unjudged_in(article: Article, reviewer: User) -> Claim | None:
    """The first open claim of the article that the reviewer has not judged."""
    return db.session.scalar(
        _unjudged_claims(reviewer).where(Claim.article_id == article.id).limit(1)
    )


def next_claim_for(
    reviewer: User, after: Claim | None = None, hints: tuple[str, ...] = ()
) -> Claim | None:
    """The next claim in my queue (only claims with one of ``hints`` when given).

    Opening the queue (no ``after``) offers a rejected verdict to revise first, then a
    verdict to re-check after a boundary change. After a save it goes on with the next
    claim I have not judged after ``after``, so working through an article is not
    interrupted; rejected and re-check verdicts come when nothing else is left.
    """
    rejected = _rejected_claims(reviewer, hints).limit(1)
    recheck = _recheck_claims(reviewer, hints).limit(1)
    if after is None:
        for query in (rejected, recheck):
            first = db.session.scalar(query)
            if first is not None:
                return first
    query = _unjudged_claims(reviewer, hints)
    if after is not None:
        later = db.session.scalar(query.where(_after(after)).limit(1))
        if later is not None:
            return later
    for fallback in (query.limit(1), rejected, recheck):
        found = db.session.scalar(fallback)
        if found is not None:
            return found
    return None


def queue_size(reviewer: User, hints: tuple[str, ...] = ()) -> int:
    """How many open claims still wait for this reviewer's verdict."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(_unjudged_claims(reviewer, hints).subquery())
    )


def any_open_claims() -> bool:
    """Whether any article has a claim that takes verdicts."""
    return db.session.scalar(
        sa.select(sa.literal(True)).select_from(Claim).where(Claim.status == "open").limit(1)
    ) is not None


class WaitingVerdicts(NamedTuple):
    rejected: int
    recheck: int


def waiting_verdicts(reviewer: User) -> WaitingVerdicts:
    """How many of the reviewer's verdicts on open claims were rejected and await revision,
    and how many (not rejected) await a re-check after a boundary change; one query."""
    rejected = Verdict.moderation_state == "rejected"
    recheck = sa.and_(Verdict.needs_recheck.is_(True), ~rejected)
    row = db.session.execute(
        sa.select(sa.func.count(sa.case((rejected, Verdict.id))),
                  sa.func.count(sa.case((recheck, Verdict.id))))
        .join(Claim, Verdict.claim_id == Claim.id)
        .where(Verdict.reviewer_id == reviewer.id, Claim.status == "open")
    ).one()
    return WaitingVerdicts(*row)


@dataclass(frozen=True)
class ArticleProgress:
    article: Article
    claims: int
    judged: int
    recheck: int = 0


def article_progress_page(reviewer: User, page: int, per_page: int):
    """One page of articles with the reviewer's progress, in two queries whatever the page size."""
    pagination = db.paginate(
        # The list never shows bodies; leaving them out keeps the page light.
        sa.select(Article).options(defer(Article.body)).order_by(Article.id.desc()),
        page=page, per_page=per_page,
        error_out=False,
    )
    ids = [a.id for a in pagination.items]
    counts: dict[int, tuple[int, int, int]] = {}
    if ids:
        mine = sa.and_(Verdict.claim_id == Claim.id, Verdict.reviewer_id == reviewer.id)
        recheck = sa.func.count(sa.case((Verdict.needs_recheck.is_(True), Verdict.id)))
        rows = db.session.execute(
            sa.select(Claim.article_id, sa.func.count(Claim.id), sa.func.count(Verdict.id),
                      recheck)
            .outerjoin(Verdict, mine)
            .where(Claim.article_id.in_(ids), Claim.status == "open")
            .group_by(Claim.article_id)
        )
        counts = {article_id: (total, judged, rc) for article_id, total, judged, rc in rows}
    items = [ArticleProgress(a, *counts.get(a.id, (0, 0, 0))) for a in pagination.items]
    return pagination, items


def claims_with_my_verdicts(article: Article, reviewer: User) -> list[tuple[Claim, Verdict | None]]:
    """Every claim of the article with the reviewer's verdict on it, in one query.

    Live claims come in reading order, then the retired ones (parked at ``-id``, so the
    latest created first).
    """
    mine = sa.and_(Verdict.claim_id == Claim.id, Verdict.reviewer_id == reviewer.id)
    rows = db.session.execute(
        sa.select(Claim, Verdict)
        .outerjoin(Verdict, mine)
        .where(Claim.article_id == article.id)
        .order_by(Claim.retired_at.is_not(None), Claim.position)
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
