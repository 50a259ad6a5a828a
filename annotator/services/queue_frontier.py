"""Where a reviewer's queue can start looking: the first claim, in reading order, that it
could serve them, remembered per process and moved back only as far as changes require.

The queue's next claim is the first claim, in the desk's order, that is open, in a live
article, still short of its independent verdicts and not judged by the reviewer. A
reviewer who judged the first 100,000 claims made every look walk past those 100,000
(83 ms). Saving a verdict only ever takes claims out of queues; the changes that can put
one back, or put a new one before another, are few and rare (a claim added, opened,
re-positioned or un-retired, a verdict moved, un-counted or removed, an article restored,
a backup restored). Each of those writes a new random token, the queue's epoch, in the
same transaction (``site_state`` row ``queue-epoch``), and a ``QueueChange`` row under
that token with the first place in reading order it may have put a claim at. So while
the token is unchanged, no claim before a reviewer's remembered first one has become
servable, and the queue starts there. After changes, it starts at the first place any
of them names, if that comes earlier: a split in article 90,000 sends a frontier at
article 95,000 back to article 90,000, not to the first claim. A new epoch at start
(none yet) or after a restore names the first claim; so does an epoch whose row is no
longer kept (at most the newest ``CHANGES_KEPT`` are) or missing.

The memory is per app (per process), never shared through the database: the read path
writes nothing. The token is read first, then the changes up to it, then the claim is
looked for: a change committed in between makes the claim found no later than the truth,
and the next request sees the new token anyway. On PostgreSQL, a change writes the token
before its row, and holds the token's row locked to its commit, so the rows' ids follow
the order of the commits: a reader never sees a later change without an earlier one.
"""

from __future__ import annotations

import secrets
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from annotator.extensions import db
from annotator.models import Article, Claim, QueueChange, SiteState, Verdict
from annotator.services.flush_history import changed, changed_to

# session.info: the first place the transaction's changes may have put a claim at so far,
# and the claims whose place is still to be read (those of verdicts the flush changed).
_LOW_MARK = "annotator.queue_low_mark"
_CLAIMS_TO_PLACE = "annotator.queue_claims_to_place"
_MEMORY = "annotator.queue_frontiers"
# Changes kept, at most (rows with ids this far below the newest are removed): a frontier
# remembered more changes ago starts from the first claim.
CHANGES_KEPT = 1000


class Frontier(NamedTuple):
    """A place in reading order: every claim before it is out of the reviewer's queue."""

    article_id: int
    position: int


# Before every claim, and past every claim: the queue is empty (skips and hints aside)
# until the epoch changes, and a statement bounded by it finds nothing at once.
START = Frontier(0, 0)
PAST_EVERY_CLAIM = Frontier(2**63 - 1, 0)


@cache
def _epoch_statement() -> sa.Select:
    return sa.select(SiteState.value).where(SiteState.key == sa.bindparam("key"))


def current_epoch() -> str | None:
    """The queue's epoch now; None when the row is missing (then nothing is remembered)."""
    return db.session.scalar(_epoch_statement(), {"key": SiteState.QUEUE_EPOCH})


def remembered(epoch: str | None, key: tuple) -> Frontier:
    """Where the queue for ``key`` (reviewer, setting) can start under ``epoch``: the
    frontier remembered under it; else the one remembered under an earlier epoch, moved
    back to the first place the changes since then name; else the first claim."""
    if epoch is None:
        return START
    found = current_app.extensions.get(_MEMORY, {}).get(key)
    if found is None:
        return START
    then, frontier = found
    if then == epoch:
        return frontier
    since = _first_place_changed(then, epoch)
    return START if since is None else min(frontier, since)


def remember(epoch: str | None, key: tuple, frontier: Frontier) -> None:
    if epoch is not None:
        current_app.extensions.setdefault(_MEMORY, {})[key] = (epoch, frontier)


@cache
def _changes_since_statement() -> sa.Select:
    """The ids of the rows of epochs ``then`` and ``now``, and the first place named by the
    rows between them: one statement, so one snapshot. Read in two, a change committed
    in between could prune rows the second one then missed."""
    def id_of(name: str):
        return (sa.select(QueueChange.id).where(QueueChange.epoch == sa.bindparam(name))
                .scalar_subquery())

    def first(column):
        return (sa.select(column)
                .where(QueueChange.id > id_of("then"), QueueChange.id <= id_of("now"))
                .order_by(QueueChange.article_id, QueueChange.position, QueueChange.id)
                .limit(1).scalar_subquery())

    return sa.select(id_of("then"), id_of("now"), first(QueueChange.article_id),
                     first(QueueChange.position))


def _first_place_changed(then: str, now: str) -> Frontier | None:
    """The first place named by the changes after epoch ``then`` up to epoch ``now``;
    None when they are not all known (either epoch has no row)."""
    then_id, now_id, article_id, position = db.session.execute(
        _changes_since_statement(), {"then": then, "now": now}).one()
    if then_id is None or now_id is None or now_id <= then_id or article_id is None:
        return None
    return Frontier(article_id, position)


def queue_may_have_grown(session: Session, at: Frontier) -> None:
    """Have this transaction write a new epoch when it commits, naming ``at`` (or an
    earlier place already named) as the first place it may have put a claim at: for
    changes made with a Core statement, which the flush does not see (restoring an
    archived article, re-numbering an article's claims)."""
    low = session.info.get(_LOW_MARK)
    session.info[_LOW_MARK] = at if low is None else min(low, at)


def article_may_have_grown(session: Session, article_id: int) -> None:
    """``queue_may_have_grown`` from the article's first claim on: a Core statement (the
    flush does not see it) that may have brought any of the article's claims back, or
    moved them (restoring the article, re-numbering its claims)."""
    queue_may_have_grown(session, Frontier(article_id, 0))


def ensure_epoch() -> bool:
    """Add the epoch's row, or its token, where it is missing; True when it was. Run at
    start, under the start's lock, so two workers starting together add one row."""
    row = db.session.get(SiteState, SiteState.QUEUE_EPOCH)
    if row is not None and row.value is not None:
        return False
    if row is None:
        row = SiteState(key=SiteState.QUEUE_EPOCH)
        db.session.add(row)
    row.value = _new_token()
    db.session.flush()
    # Its row names the first claim: whatever was remembered before is forgotten.
    _record_change(db.session.connection(), row.value, START)
    return True


def new_epoch(connection: sa.Connection, at: Frontier = START) -> None:
    """Write a new token, and the change's row naming ``at``: frontiers remembered before
    move back to ``at`` at most (by default the first claim: every frontier is
    forgotten). The token first: on PostgreSQL its row stays locked to the commit, so
    the rows' ids follow the commits."""
    token = _new_token()
    connection.execute(sa.update(SiteState).where(SiteState.key == SiteState.QUEUE_EPOCH)
                       .values(value=token))
    _record_change(connection, token, at)


def _record_change(connection: sa.Connection, token: str, at: Frontier) -> None:
    inserted = connection.execute(sa.insert(QueueChange).values(
        epoch=token, article_id=at.article_id, position=at.position))
    newest, = inserted.inserted_primary_key
    connection.execute(sa.delete(QueueChange).where(QueueChange.id <= newest - CHANGES_KEPT))


def _new_token() -> str:
    return secrets.token_hex(16)


def _place(claim: Claim) -> Frontier:
    """The claim's place, from what the session holds (a deleted claim cannot load)."""
    loaded = sa.inspect(claim).dict
    if "article_id" in loaded and "position" in loaded:
        return Frontier(loaded["article_id"], loaded["position"])
    return START


def _places_changed(session: Session) -> tuple[list[Frontier], set[int]]:
    """What the flush may have put (back) in someone's queue, or before another: the
    places of claims added, removed, opened, moved or un-retired and of articles restored
    or removed; and the ids of the claims whose verdicts moved, went or stopped counting
    as independent (their places are read at the commit)."""
    places: list[Frontier] = []
    claims: set[int] = set()
    for instance in session.new:
        if isinstance(instance, Claim):
            places.append(_place(instance))
    for instance in session.deleted:
        if isinstance(instance, Claim):
            places.append(_place(instance))
        elif isinstance(instance, Article):
            places.append(Frontier(instance.id, 0))
        elif isinstance(instance, Verdict):
            _verdict_claims(instance, claims, places)
    for instance in session.dirty:
        if isinstance(instance, Claim) and (
                changed(instance, "position", "article_id")
                or changed_to(instance, "status", "open")
                or changed_to(instance, "retired_at", None)):
            places.append(_place(instance))
        elif isinstance(instance, Article) and changed_to(instance, "archived_at", None):
            places.append(Frontier(instance.id, 0))
        elif isinstance(instance, Verdict) and (
                changed(instance, "claim_id", "reviewer_id")
                or changed_to(instance, "independent_version", None)):
            _verdict_claims(instance, claims, places)
    claims.discard(None)
    return places, claims


def _verdict_claims(verdict: Verdict, claims: set[int], places: list[Frontier]) -> None:
    """Add the verdict's claims to ``claims``: both of a verdict moved (the history keeps
    the one it left). When the session holds neither (the attribute was expired), the
    place is unknown: the first claim is named."""
    known = [claim_id for claim_id in sa.inspect(verdict).attrs.claim_id.history.sum()
             if claim_id is not None]
    if known:
        claims.update(known)
    else:
        places.append(START)


def _after_flush(session: Session, _context) -> None:
    places, claims = _places_changed(session)
    for place in places:
        queue_may_have_grown(session, place)
    if claims:
        session.info.setdefault(_CLAIMS_TO_PLACE, set()).update(claims)


@cache
def _first_claim_statement() -> sa.Select:
    return (sa.select(Claim.article_id, Claim.position)
            .where(Claim.id.in_(sa.bindparam("claim_ids", expanding=True)))
            .order_by(Claim.article_id, Claim.position).limit(1))


def _before_commit(session: Session) -> None:
    # The commit's own flush comes after this hook: flush first, so its changes count.
    # The epoch is written last in the transaction, so waiting for its row (PostgreSQL)
    # never holds a lock another writer needs.
    session.flush()
    claims = session.info.pop(_CLAIMS_TO_PLACE, None)
    if claims:
        first = session.execute(_first_claim_statement(), {"claim_ids": sorted(claims)}).first()
        # A claim gone since cannot be served: it names no place.
        if first is not None:
            queue_may_have_grown(session, Frontier(*first))
    low = session.info.pop(_LOW_MARK, None)
    if low is not None:
        new_epoch(session.connection(), low)


def _after_transaction_end(session: Session, transaction) -> None:
    # Only the outermost: a savepoint rolled back leaves what the transaction did before it.
    if transaction.parent is None:
        session.info.pop(_LOW_MARK, None)
        session.info.pop(_CLAIMS_TO_PLACE, None)


def keep_epoch_current() -> None:
    """Have every session write a new epoch when it commits a change that may grow a
    queue (once per process)."""
    for name, listener in (("after_flush", _after_flush), ("before_commit", _before_commit),
                           ("after_transaction_end", _after_transaction_end)):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)
