"""Skips: a reviewer's "not now" on a claim, which sends it to the end of their queue for
the day (UTC). A skip is not a verdict: it counts nowhere but in its owner's queue, and
undoing it keeps the row (``undone_at``), so every skip stays on record.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import Claim, ClaimSkip, User, Verdict
from annotator.services.archive import in_live_article
from annotator.services.errors import DomainError
from annotator.text.timestamps import utcnow


class SkipRefused(DomainError):
    """The claim cannot be skipped (it is in no queue, or already judged)."""


def utc_today() -> dt.date:
    """The day a skip holds for: the UTC date, the same for every reviewer."""
    return utcnow().date()


def _judged_by(reviewer: User) -> sa.ColumnElement[bool]:
    return (sa.select(Verdict.id)
            .where(Verdict.claim_id == Claim.id, Verdict.reviewer_id == reviewer.id)
            .exists())


def active_skip_on(reviewer_id, day) -> sa.ColumnElement[bool]:
    """The ClaimSkip row is the reviewer's, for that day, and not undone (the id and day
    as values, or as parameters of a statement built once)."""
    return sa.and_(ClaimSkip.reviewer_id == reviewer_id, ClaimSkip.skipped_on == day,
                   ClaimSkip.undone_at.is_(None))


def active_skip_today(reviewer: User) -> sa.ColumnElement[bool]:
    """The ClaimSkip row is the reviewer's, for today, and not undone."""
    return active_skip_on(reviewer.id, utc_today())


def skipped_ids_on(reviewer_id, day) -> sa.Select:
    """The ids of the claims the reviewer skipped that day and has not unskipped (for
    ``Claim.id.in_``/``not_in``)."""
    return sa.select(ClaimSkip.claim_id).where(active_skip_on(reviewer_id, day))


def latest_skip(reviewer: User) -> sa.Row | None:
    """The reviewer's latest skip that was not undone, as (created_at, claim_id); None
    when there is none. Read from the index on the reviewer's skips by time, newest
    first: it passes only the skips undone since."""
    return db.session.execute(
        sa.select(ClaimSkip.created_at, ClaimSkip.claim_id)
        .where(ClaimSkip.reviewer_id == reviewer.id, ClaimSkip.undone_at.is_(None))
        .order_by(ClaimSkip.created_at.desc(), ClaimSkip.id.desc()).limit(1)
    ).first()


def _skip_today(claim: Claim, reviewer: User) -> ClaimSkip | None:
    return db.session.scalar(
        sa.select(ClaimSkip).where(active_skip_today(reviewer), ClaimSkip.claim_id == claim.id)
        .order_by(ClaimSkip.id).limit(1))


def skip_claim(claim: Claim, reviewer: User) -> tuple[ClaimSkip, bool]:
    """Skip ``claim`` for today: (the skip, whether it is new). Skipping it again the same
    day returns the existing skip and changes nothing.

    Raises SkipRefused, nothing changed, for a claim that is in no queue (hidden, retired,
    archived article) or that the reviewer has already judged: there is nothing to put off.
    """
    if claim.is_retired or claim.status != "open":
        raise SkipRefused("This claim is not in any queue (hidden or retired): "
                          "there is nothing to skip.")
    if claim.article.archived_at is not None:
        raise SkipRefused("This claim's article is archived: it is not in any queue.")
    if db.session.scalar(sa.select(_judged_by(reviewer).where(Claim.id == claim.id))):
        raise SkipRefused("You have already judged this claim: a skip is for claims "
                          "you have not judged. Nothing was skipped.")
    existing = _skip_today(claim, reviewer)
    if existing is not None:
        return existing, False
    skip = ClaimSkip(claim_id=claim.id, reviewer_id=reviewer.id, skipped_on=utc_today())
    db.session.add(skip)
    db.session.flush()
    return skip, True


def undo_skip(claim: Claim, reviewer: User) -> bool:
    """Bring back a claim skipped today to its place in the queue; False when it was not
    skipped today (nothing to undo, nothing changed). The skip row stays, marked undone."""
    skip = _skip_today(claim, reviewer)
    if skip is None:
        return False
    skip.undone_at = utcnow()
    db.session.flush()
    return True


def _counted() -> tuple[sa.ColumnElement[bool], ...]:
    return (Claim.status == "open", Claim.retired_at.is_(None), in_live_article())


def skipped_today(reviewer: User) -> list[Claim]:
    """The claims the reviewer skipped today that still wait in their queue (open, in a
    live article, not judged since), in the order they were skipped."""
    return list(db.session.scalars(
        sa.select(Claim).join(ClaimSkip, ClaimSkip.claim_id == Claim.id)
        .where(active_skip_today(reviewer), ~_judged_by(reviewer), *_counted())
        .order_by(ClaimSkip.created_at, ClaimSkip.id)))


def skipped_today_count(reviewer: User) -> sa.Select:
    """The count of the claims ``skipped_today`` lists, as a query (to run alone or as a
    column of another query)."""
    return (sa.select(sa.func.count(sa.distinct(Claim.id)))
            .join(ClaimSkip, ClaimSkip.claim_id == Claim.id)
            .where(active_skip_today(reviewer), ~_judged_by(reviewer), *_counted()))


def count_skipped_today(reviewer: User) -> int:
    """How many claims ``skipped_today`` lists, in one count query."""
    return db.session.scalar(skipped_today_count(reviewer))
