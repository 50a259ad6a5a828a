"""Each claim's place on the decision desk, stored on the claim as ``Claim.desk_rank``.

The desk lists its claims by state (splits first), then oldest article first, then in
reading order, and counts them per state. Computed on every page view, that meant reading
the verdicts of every claim on the desk each time: about 5 s a page at 100,000 articles.
Stored, and indexed with the article and the position (``ix_claim_desk``), a page of the
desk is read by key like any other list.

The rank is the index in ``CLAIM_STATES`` of the claim's state, by ``state_rank`` (the
rule of ``text.claim_states.claim_state`` in SQL), or None when the claim is not on the
desk: it takes no verdicts (hidden, retired, in an archived article) or has neither a
verdict nor a decision.

The session keeps the ranks current: after every flush that adds a verdict or a final
verdict, changes a label, an independence, a decision's re-check mark, a verdict's claim
or a claim's status, one UPDATE recomputes the ranks of the claims concerned from the
database. No service has to remember it, and a write path added later is covered. Those
claims are already locked by the change (a save or a decision locks its claim, a
boundary change its article's claims, a status change its row), so on PostgreSQL the
UPDATE, a statement of its own, sees every change committed before it. Archiving, a Core
UPDATE of the article, ranks its claims itself (``rank_claims_where``), locking them first.

A rank depends on REVIEWS_PER_CLAIM (enough independent verdicts make "unanimous" of
"waiting"), so every process should run with the same value, command lines included. A
SiteState row names the value (and the version of this rule) the stored ranks were
computed for; a start with another one, or the first start after the migration that added
the column, ranks every claim again (``database.prepare_database``), in batches.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from annotator.extensions import db
from annotator.models import Article, Claim, FinalVerdict, SiteState, Verdict
from annotator.services.archive import in_live_article
from annotator.services.flush_history import flushed_inputs
from annotator.services.transactions import begin_writing
from annotator.text.claim_states import CLAIM_STATES

# SiteState key naming the rule's version and the REVIEWS_PER_CLAIM the stored ranks were
# computed for: a change of either ranks every claim again at the next start.
_RULE_VERSION = 1
_COMPUTED_FOR = f"desk-ranks-v{_RULE_VERSION}-for-{{}}"

# Claims ranked per transaction when every claim is ranked again.
RANK_BATCH = 20_000

# What a flush must change for a claim's rank to change with it.
_RANK_INPUTS = {
    Verdict: ("claim_id", "label", "independent_version"),
    FinalVerdict: ("claim_id", "needs_recheck"),
    Claim: ("status", "retired_at"),
    Article: ("archived_at",),  # the archive service writes it by SQL and ranks itself
}


def state_rank(verdicts, distinct_labels, independent, needed, decided, recheck):
    """``claim_state`` as an SQL expression giving the state's index in CLAIM_STATES.

    The arguments are SQL expressions: the claim's number of verdicts, of distinct labels
    among them (or any number above 1 when they differ), of independent ones, the reviews
    needed, whether a final verdict exists and whether it is marked to re-check.
    """
    rank = CLAIM_STATES.index
    return sa.case(
        (sa.and_(decided, recheck), rank("recheck")),
        (decided, rank("decided")),
        (distinct_labels > 1, rank("split")),
        (sa.or_(independent < needed, verdicts == 0), rank("waiting")),
        else_=rank("unanimous"),
    )


def _rank_of_claim(needed: int) -> sa.ColumnElement:
    """The rank of the claim in the outer statement, from its verdicts and decision."""
    def of_verdicts(column):
        return sa.select(column).where(Verdict.claim_id == Claim.id).scalar_subquery()

    verdicts = of_verdicts(sa.func.count(Verdict.id))
    # MIN and MAX of the labels read the same index as the counts: 1 when they agree.
    labels = of_verdicts(sa.case((sa.func.min(Verdict.label) == sa.func.max(Verdict.label), 1),
                                 else_=2))
    independent = of_verdicts(sa.func.count(Verdict.independent_version))
    recheck = (sa.select(FinalVerdict.needs_recheck)
               .where(FinalVerdict.claim_id == Claim.id).scalar_subquery())
    decided = recheck.is_not(None)
    return sa.case(
        (sa.or_(Claim.status != "open", Claim.retired_at.is_not(None),
                sa.not_(in_live_article())), sa.null()),
        (sa.and_(verdicts == 0, sa.not_(decided)), sa.null()),
        else_=state_rank(verdicts, labels, independent, needed, decided,
                         sa.func.coalesce(recheck, sa.false())),
    )


def _needed() -> int:
    return current_app.config["REVIEWS_PER_CLAIM"]


def refresh(claim_ids: Iterable[int], article_ids: Iterable[int] = (),
            connection: sa.Connection | None = None) -> None:
    """Recompute the stored ranks of these claims (and of every claim of these articles),
    in one statement. The caller holds their rows locked (see the module's docstring)."""
    claims = sorted({claim_id for claim_id in claim_ids if claim_id is not None})
    articles = sorted(set(article_ids))
    if not (claims or articles):
        return
    (connection or db.session.connection()).execute(
        _refresh_statement(_needed()), {"claims": claims, "articles": articles})


@functools.cache
def _refresh_statement(needed: int) -> sa.Update:
    """``refresh``'s UPDATE, built once per REVIEWS_PER_CLAIM with the ids as parameters:
    every save runs it, and building it anew took a fifth of a save's time."""
    return (sa.update(Claim)
            .where(sa.or_(Claim.id.in_(sa.bindparam("claims", expanding=True)),
                          Claim.article_id.in_(sa.bindparam("articles", expanding=True))))
            .values(desk_rank=_rank_of_claim(needed))
            .execution_options(synchronize_session=False))


def rank_claims_where(condition: sa.ColumnElement[bool]) -> None:
    """Lock the claims matching ``condition`` in id order, then recompute the ranks that
    changed. Two statements: on PostgreSQL the lock waits for any change still holding one
    of them, and the UPDATE, a new statement, then sees what it committed."""
    begin_writing()
    db.session.execute(sa.select(Claim.id).where(condition).order_by(Claim.id)
                       .with_for_update(key_share=True)).all()
    rank = _rank_of_claim(_needed())
    db.session.execute(sa.update(Claim).where(condition, Claim.desk_rank.is_distinct_from(rank))
                       .values(desk_rank=rank).execution_options(synchronize_session=False))


def refresh_all_in_batches(batch_size: int = RANK_BATCH) -> Iterator[int]:
    """Rank every claim for the configured REVIEWS_PER_CLAIM, ``batch_size`` claim ids at a
    time, and remember the setting after the last batch. After each batch it yields the
    claims done so far: the caller commits there, so neither database holds a lock on a
    million claims at once, and servers still running keep saving in between."""
    low, high = db.session.execute(sa.select(sa.func.min(Claim.id), sa.func.max(Claim.id))).one()
    if low is not None:
        for start in range(low, high + 1, batch_size):
            rank_claims_where(Claim.id.between(start, start + batch_size - 1))
            yield min(start + batch_size, high + 1) - low
    db.session.execute(sa.delete(SiteState).where(SiteState.key.like("desk-ranks-%")))
    db.session.add(SiteState(key=_COMPUTED_FOR.format(_needed())))
    db.session.flush()


def refresh_pending() -> bool:
    """Whether the stored ranks were computed for another REVIEWS_PER_CLAIM, or never."""
    return db.session.get(SiteState, _COMPUTED_FOR.format(_needed())) is None


def stale_ranks(needed: int | None = None) -> list[int]:
    """The ids of the claims whose stored rank is not what their verdicts and decision
    say now, for ``needed`` reviews per claim (by default the configured number); for
    the tests and for checking a database by hand."""
    expected = _rank_of_claim(_needed() if needed is None else needed)
    return list(db.session.scalars(
        sa.select(Claim.id).where(Claim.desk_rank.is_distinct_from(expected))
        .order_by(Claim.id)))


def computed_for() -> int | None:
    """The REVIEWS_PER_CLAIM the stored ranks were computed for, None if never."""
    keys = db.session.scalars(sa.select(SiteState.key).where(
        SiteState.key.like(_COMPUTED_FOR.format("%")))).all()
    return int(keys[0].rsplit("-", 1)[1]) if keys else None


def _changed_inputs(session: Session) -> Iterator[object]:
    """The objects of the flush whose change may move a claim on the desk."""
    for instance in flushed_inputs(session, _RANK_INPUTS):
        if isinstance(instance, (Claim, Article)) and instance in session.new:
            continue  # nothing judged yet
        yield instance


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """The claims, and the articles whose every claim, the flush may have moved: those of
    new or removed verdicts and decisions, those whose inputs changed, the claims a
    verdict moved away from (``claim_id`` keeps its old value in its history:
    ``active_history`` in the models), an article archived or restored."""
    claims: set[int] = set()
    articles: set[int] = set()
    for instance in _changed_inputs(session):
        if isinstance(instance, Article):
            articles.add(instance.id)
        elif isinstance(instance, Claim):
            claims.add(instance.id)
        else:
            claims.update(sa.inspect(instance).attrs.claim_id.history.sum())
            claims.add(instance.claim_id)
    return claims, articles


def _after_flush(session: Session, _context) -> None:
    # Still in the flush: new, dirty and deleted hold what was just written, with its
    # history, and the new rows have their ids.
    claims, articles = _touched(session)
    if claims or articles:
        refresh(claims, articles, session.connection())


def keep_ranks_current() -> None:
    """Have every session recompute the ranks its flushes touch (once per process)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)
