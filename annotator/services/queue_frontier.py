"""Where a reviewer's queue can start looking: the first claim, in reading order, that it
could serve them, remembered per process while the queue's epoch is unchanged.

The queue's next claim is the first claim, in the desk's order, that is open, in a live
article, still short of its independent verdicts and not judged by the reviewer. A
reviewer who judged the first 100,000 claims made every look walk past those 100,000
(83 ms). Saving a verdict only ever takes claims out of queues; the changes that can put
one back, or put a new one before another, are few and rare (a claim added, opened,
re-positioned or un-retired, a verdict moved, un-counted or removed, an article restored,
a backup restored). Each of those writes a new random token, the queue's epoch, in the
same transaction (``site_state`` row ``queue-epoch``). So while the token is unchanged, no
claim before a reviewer's remembered first one has become servable, and the queue starts
there; after a change, it looks from the start once and remembers again.

The memory is per app (per process), never shared through the database: the read path
writes nothing. The token is read first, then the claim is looked for: a change committed
in between makes the claim found no later than the truth, and the next request sees the
new token anyway.
"""

from __future__ import annotations

import secrets
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from annotator.extensions import db
from annotator.models import Article, Claim, SiteState, Verdict
from annotator.services.flush_history import changed, changed_to

_MAY_GROW = "annotator.queue_may_grow"
_MEMORY = "annotator.queue_frontiers"


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


def remembered(epoch: str | None, key: tuple) -> Frontier | None:
    """The frontier remembered for ``key`` (reviewer, setting) under ``epoch``, if any."""
    if epoch is None:
        return None
    found = current_app.extensions.get(_MEMORY, {}).get(key)
    return found[1] if found is not None and found[0] == epoch else None


def remember(epoch: str | None, key: tuple, frontier: Frontier) -> None:
    if epoch is not None:
        current_app.extensions.setdefault(_MEMORY, {})[key] = (epoch, frontier)


def queue_may_have_grown(session: Session) -> None:
    """Have this transaction write a new epoch when it commits: for changes made with a
    Core statement, which the flush does not see (restoring an archived article,
    re-numbering an article's claims)."""
    session.info[_MAY_GROW] = True


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
    return True


def new_epoch(connection: sa.Connection) -> None:
    """Write a new token: every remembered frontier is forgotten."""
    connection.execute(sa.update(SiteState).where(SiteState.key == SiteState.QUEUE_EPOCH)
                       .values(value=_new_token()))


def _new_token() -> str:
    return secrets.token_hex(16)


def _may_grow_a_queue(session: Session) -> bool:
    """Whether the flush may have put a claim (back) in someone's queue, or before another:
    a claim added or removed, opened, moved, re-numbered or un-retired; an article
    restored or removed; a verdict moved, removed or no longer independent."""
    for instance in session.new:
        if isinstance(instance, Claim):
            return True
    for instance in session.deleted:
        if isinstance(instance, (Claim, Article, Verdict)):
            return True
    for instance in session.dirty:
        if isinstance(instance, Claim) and (
                changed(instance, "position", "article_id")
                or changed_to(instance, "status", "open")
                or changed_to(instance, "retired_at", None)):
            return True
        if isinstance(instance, Article) and changed_to(instance, "archived_at", None):
            return True
        if isinstance(instance, Verdict) and (
                changed(instance, "claim_id", "reviewer_id")
                or changed_to(instance, "independent_version", None)):
            return True
    return False


def _after_flush(session: Session, _context) -> None:
    if _may_grow_a_queue(session):
        queue_may_have_grown(session)


def _before_commit(session: Session) -> None:
    # The commit's own flush comes after this hook: flush first, so its changes count.
    # The epoch is written last in the transaction, so waiting for its row (PostgreSQL)
    # never holds a lock another writer needs.
    session.flush()
    if session.info.pop(_MAY_GROW, False):
        new_epoch(session.connection())


def _after_transaction_end(session: Session, transaction) -> None:
    # Only the outermost: a savepoint rolled back leaves what the transaction did before it.
    if transaction.parent is None:
        session.info.pop(_MAY_GROW, None)


def keep_epoch_current() -> None:
    """Have every session write a new epoch when it commits a change that may grow a
    queue (once per process)."""
    for name, listener in (("after_flush", _after_flush), ("before_commit", _before_commit),
                           ("after_transaction_end", _after_transaction_end)):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)
