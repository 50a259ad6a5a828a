"""Each claim's place on the decision desk, stored on the claim as ``Claim.desk_rank``.

The desk lists its claims by state (splits first), then oldest article first, then in
reading order, and counts them per state. Computed on every page view, that meant reading
the verdicts of every claim on the desk each time: about 5 s a page at 100,000 articles.
Stored, and indexed with the article and the position (``ix_claim_desk``), a page of the
desk is read by key like any other list.

The rank is the index in ``CLAIM_STATES`` of the claim's state, by ``state_rank`` (the
rule of ``text.claim_states.claim_state`` in SQL), or None when the claim is not on the
desk: it takes no verdicts (hidden, retired) or has neither a verdict nor a decision. An
archived article's claims keep their ranks; the desk leaves them out by their article, so
archiving stays a change of one column.

The session keeps the ranks current: after every flush that adds a verdict or a final
verdict, changes a label, an independence, a decision's re-check mark, a verdict's claim
or a claim's status, one UPDATE recomputes the ranks of the claims concerned from the
database. No service has to remember it, and a write path added later is covered.

A rank depends on REVIEWS_PER_CLAIM (enough independent verdicts make "unanimous" of
"waiting"). A SiteState row names the value the stored ranks were computed for; a start
with another value (or the first start after the migration that added the column)
computes every claim's rank again (``database.finish_migrations``).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from annotator.extensions import db
from annotator.models import Claim, FinalVerdict, SiteState, Verdict
from annotator.text.claim_states import CLAIM_STATES

# SiteState key naming the REVIEWS_PER_CLAIM the stored ranks were computed for.
_COMPUTED_FOR = "desk-ranks-for-{}"

# What a flush must change for a claim's rank to change with it.
_RANK_INPUTS = {
    Verdict: ("claim_id", "label", "independent_version"),
    FinalVerdict: ("claim_id", "needs_recheck"),
    Claim: ("status", "retired_at"),
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
        (sa.or_(Claim.status != "open", Claim.retired_at.is_not(None)), sa.null()),
        (sa.and_(verdicts == 0, sa.not_(decided)), sa.null()),
        else_=state_rank(verdicts, labels, independent, needed, decided,
                         sa.func.coalesce(recheck, sa.false())),
    )


def _needed() -> int:
    return current_app.config["REVIEWS_PER_CLAIM"]


def refresh(claim_ids: Iterable[int], connection: sa.Connection | None = None) -> None:
    """Recompute the stored ranks of these claims, in one statement."""
    ids = sorted({claim_id for claim_id in claim_ids if claim_id is not None})
    if not ids:
        return
    statement = (sa.update(Claim).where(Claim.id.in_(ids))
                 .values(desk_rank=_rank_of_claim(_needed()))
                 .execution_options(synchronize_session=False))
    (connection or db.session.connection()).execute(statement)


def refresh_all() -> None:
    """Recompute every claim's rank for the configured REVIEWS_PER_CLAIM and remember
    that value; the caller commits."""
    needed = _needed()
    db.session.execute(sa.update(Claim).values(desk_rank=_rank_of_claim(needed))
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.delete(SiteState).where(SiteState.key.like(_COMPUTED_FOR.format("%"))))
    db.session.add(SiteState(key=_COMPUTED_FOR.format(needed)))
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


def _changed(instance, names: tuple[str, ...]) -> bool:
    state = sa.inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in names)


def _claims_touched(session: Session) -> set[int]:
    """The claims whose rank the flush may have changed: those of new or removed verdicts
    and decisions, those whose inputs changed, and the claims a verdict moved away from."""
    touched: set[int] = set()
    for instances, whole in ((session.new, True), (session.deleted, True),
                             (session.dirty, False)):
        for instance in instances:
            names = _RANK_INPUTS.get(type(instance))
            if names is None or not (whole or _changed(instance, names)):
                continue
            if isinstance(instance, Claim):
                touched.add(instance.id)
                continue
            touched.update(sa.inspect(instance).attrs.claim_id.history.sum())
            touched.add(instance.claim_id)
    return touched


def _after_flush(session: Session, _context) -> None:
    # Still in the flush: new, dirty and deleted hold what was just written, with its
    # history, and the new rows have their ids.
    touched = _claims_touched(session)
    if touched:
        refresh(touched, session.connection())


def keep_ranks_current() -> None:
    """Have every session recompute the ranks its flushes touch (once per process)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)
