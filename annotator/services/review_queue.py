"""The review queue: which claim a reviewer judges next (their place, the desk's order, the
rejected and re-check runs, today's skips), and their progress on the articles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app

from annotator.extensions import db
from annotator.models import (
    HINT_COLUMNS,
    MODERATION_STATES,
    Article,
    Claim,
    ClaimSkip,
    FinalVerdict,
    User,
    Verdict,
    VerdictRevision,
)
from annotator.services import queue_frontier, skips
from annotator.services.archive import in_live_article
from annotator.services.keyset import counted
from annotator.services.queue_frontier import PAST_EVERY_CLAIM, Frontier
from annotator.services.queue_order import current_queue_order
from annotator.text.hints import HINT_FILTERS
from annotator.text.sizes import COUNT_SHOWN_MAX

# The moderation states other than "rejected", named one by one: a reviewer's verdicts to
# re-check are then searched in ix_verdict_reviewer_state state by state, where "not
# rejected" would read every verdict of the reviewer.
NOT_REJECTED = tuple(state for state in MODERATION_STATES if state != "rejected")


def hint_filter(values: list[str]) -> tuple[str, ...]:
    """The known hint names among ``values`` (from the query string), in the UI's order.

    Unknown names are dropped: an old bookmark or a typo shows the plain queue, not an error.
    """
    wanted = set(values)
    return tuple(name for name in HINT_FILTERS if name in wanted)


def with_hints(query: sa.Select, hints: tuple[str, ...]) -> sa.Select:
    """Keep claims carrying any of the chosen hints (all claims when none is chosen)."""
    if not hints:
        return query
    return query.where(sa.or_(*(getattr(Claim, HINT_COLUMNS[name]).is_(True) for name in hints)))


def independent_reviews() -> sa.ScalarSelect:
    """How many independent verdicts the claim in the outer query has (REVIEWS_PER_CLAIM
    counts these)."""
    return (
        sa.select(sa.func.count(Verdict.id))
        .where(Verdict.claim_id == Claim.id, Verdict.independent_version.is_not(None))
        .scalar_subquery()
    )


def desk_order(order: str) -> tuple:
    """The desk's queue order (see ``queue_order.QUEUE_ORDERS``) as ORDER BY terms.

    Articles come in import order (oldest or newest first), each top to bottom; "fewest"
    puts the claims with fewest independent reviews first, oldest article first among
    equals, so the team spreads over the claims.
    """
    reading = (Claim.article_id.desc() if order == "newest" else Claim.article_id,
               Claim.position)
    return (independent_reviews(), *reading) if order == "fewest" else reading


def _unjudged_claims(hints: tuple[str, ...] = ()) -> sa.Select:
    """Open claims of live articles that the reviewer has no verdict on and that still
    need independent verdicts, unordered; the count is the query's second column.

    The reviewer and the target are parameters (``_queue_params``), so the statements
    the queue asks after every save are built once per process (``_reading_on``).

    A claim that has its REVIEWS_PER_CLAIM is never served, so nobody judges a claim the
    team has finished; one opened before it got them can still be judged (the claim page
    does not ask the queue).
    """
    mine = sa.select(Verdict.id).where(
        Verdict.claim_id == Claim.id, Verdict.reviewer_id == sa.bindparam("reviewer_id")
    )
    reviews = independent_reviews()
    return with_hints(
        sa.select(Claim, reviews.label("reviews"))
        .where(Claim.status == "open", ~mine.exists(), in_live_article(),
               reviews < sa.bindparam("reviews_per_claim")),
        hints,
    )


def _skipped_today() -> sa.ColumnElement[bool]:
    """The claim is one the reviewer skipped today (parameters as ``_unjudged_claims``)."""
    return Claim.id.in_(skips.skipped_ids_on(sa.bindparam("reviewer_id"),
                                             sa.bindparam("today")))


def _queue_params(reviewer: User, **more) -> dict:
    """The values of the queue statements' parameters, for ``reviewer`` now."""
    return {"reviewer_id": reviewer.id, "today": skips.utc_today(),
            "reviews_per_claim": current_app.config["REVIEWS_PER_CLAIM"], **more}


def _from_frontier() -> sa.ColumnElement[bool]:
    """The claim comes at or after the frontier (``from_article``, ``from_position``) in
    reading order: one range of the claims' (article_id, position) key."""
    return (sa.tuple_(Claim.article_id, Claim.position)
            >= sa.tuple_(sa.bindparam("from_article"), sa.bindparam("from_position")))


@cache
def _first_in_queue() -> sa.Select:
    """Where the first claim the queue could serve stands in reading order, looking from
    the frontier on; skips and hint filters aside, so it bounds every queue of the
    reviewer."""
    return (_unjudged_claims().with_only_columns(Claim.article_id, Claim.position)
            .where(_from_frontier()).order_by(Claim.article_id, Claim.position).limit(1))


def _serving_params(reviewer: User) -> dict:
    """``_queue_params`` with the reviewer's frontier: looked for from the one remembered
    (``queue_frontier``), which costs as many steps as the claims they judged since, or
    those after the first place a change since then names."""
    params = _queue_params(reviewer)
    epoch = queue_frontier.current_epoch()
    key = (reviewer.id, params["reviews_per_claim"])
    start = queue_frontier.remembered(epoch, key)
    if start != PAST_EVERY_CLAIM:
        found = db.session.execute(_first_in_queue(), {
            **params, "from_article": start.article_id, "from_position": start.position,
        }).first()
        start = Frontier(*found) if found is not None else PAST_EVERY_CLAIM
        queue_frontier.remember(epoch, key, start)
    return {**params, "from_article": start.article_id, "from_position": start.position}


def _my_verdicts_where(reviewer: User, condition, hints: tuple[str, ...],
                       order: str) -> sa.Select:
    """Open claims of live articles on which the reviewer's verdict meets ``condition``,
    in reading order (the desk's ``order``, oldest article first when it sorts by reviews)."""
    return with_hints(
        sa.select(Claim)
        .join(Verdict, Verdict.claim_id == Claim.id)
        .where(Verdict.reviewer_id == reviewer.id, condition, Claim.status == "open",
               in_live_article())
        .order_by(*desk_order("oldest" if order == "fewest" else order)),
        hints,
    )


def _rejected_claims(reviewer: User, hints: tuple[str, ...], order: str) -> sa.Select:
    """Open claims on which the reviewer's verdict was rejected, in reading order."""
    return _my_verdicts_where(reviewer, Verdict.moderation_state == "rejected", hints, order)


def _recheck_claims(reviewer: User, hints: tuple[str, ...], order: str) -> sa.Select:
    """Open claims whose boundaries changed under the reviewer's verdict, in reading order.

    A rejected one is left to the rejected list, which is offered first anyway.
    """
    return _my_verdicts_where(
        reviewer,
        sa.and_(Verdict.needs_recheck.is_(True), Verdict.moderation_state.in_(NOT_REJECTED)),
        hints, order,
    )


def first_unjudged_in(article: Article, reviewer: User) -> Claim | None:
    """The first open claim of the article that the reviewer has not judged and that
    still needs verdicts, in reading order; the ones skipped today last."""
    return db.session.scalar(
        _unjudged_claims().where(Claim.article_id == article.id)
        .order_by(_skipped_today(), Claim.position).limit(1),
        _queue_params(reviewer),
    )


# How many of the reviewer's verdicts ``_latest_save`` reads per statement.
_PLACE_BATCH = 20


class _Save(NamedTuple):
    created_at: dt.datetime
    revision_id: int
    claim_id: int


def _latest_save(reviewer: User) -> _Save | None:
    """The reviewer's latest saved revision (by time, then id), None before their first.

    Read from the index on the reviewer's verdicts by their last change (``updated_at``),
    newest first, a batch of verdicts with their revisions at a time, instead of sorting
    every revision of the reviewer. A save sets its verdict's ``updated_at`` to the
    revision's ``created_at`` (``verdicts._write``), and moderation only moves it later;
    so once the verdicts reach back before the latest save found so far, none further on
    holds a later one. The walk reads the verdicts changed since the reviewer's latest
    save: one batch, unless moderators worked through more of them since.
    """
    best: _Save | None = None
    after: tuple[dt.datetime, int] | None = None
    while True:
        chosen = sa.select(Verdict.id, Verdict.updated_at, Verdict.claim_id).where(
            Verdict.reviewer_id == reviewer.id)
        if after is not None:
            chosen = chosen.where(sa.tuple_(Verdict.updated_at, Verdict.id) < sa.tuple_(*after))
        batch = chosen.order_by(Verdict.updated_at.desc(), Verdict.id.desc()).limit(
            _PLACE_BATCH).subquery()
        rows = db.session.execute(
            sa.select(batch, VerdictRevision.created_at, VerdictRevision.id)
            .outerjoin(VerdictRevision, VerdictRevision.verdict_id == batch.c.id)
        ).all()
        for _, _, claim_id, created_at, revision_id in rows:
            if created_at is not None and (best is None or (created_at, revision_id)
                                           > (best.created_at, best.revision_id)):
                best = _Save(created_at, revision_id, claim_id)
        verdicts = {(updated_at, verdict_id) for verdict_id, updated_at, *_ in rows}
        if len(verdicts) < _PLACE_BATCH:
            return best
        after = min(verdicts)
        if best is not None and after[0] < best.created_at:
            return best


def place_of(reviewer: User) -> Claim | None:
    """Where the reviewer was last working: the claim of their latest saved verdict or
    skip (an undone skip does not count), whichever is later; None for a newcomer.

    Each is found by an index (``_latest_save``, ``skips.latest_skip``), so opening the
    queue costs the same however many verdicts and skips the reviewer has.
    """
    latest_skip = skips.latest_skip(reviewer)
    latest = max((row for row in (_latest_save(reviewer), latest_skip) if row is not None),
                 key=lambda row: row.created_at, default=None)
    return None if latest is None else db.session.get(Claim, latest.claim_id)


@cache
def _reading_on(hints: tuple[str, ...], order: str) -> tuple[sa.Select, sa.Select]:
    """The first claim of the queue in the desk's order, and the next one after a place
    (``article_id``, ``position``) in its article; claims skipped today left out. Built
    once per process for each filter and order: after every save the queue asks one or
    both, and building them cost more than running them."""
    query = _unjudged_claims(hints).where(~_skipped_today()).order_by(*desk_order(order))
    onwards = (query.where(Claim.article_id == sa.bindparam("article_id"),
                           Claim.position > sa.bindparam("position"))
               .order_by(None).order_by(Claim.position).limit(1))
    if order == "fewest":
        onwards = onwards.where(independent_reviews() == sa.bindparam("reviews"))
    # Only the first claim needs the frontier: reading on is one article's claims.
    return query.where(_from_frontier()).limit(1), onwards


def _next_unjudged(reviewer: User, place: Claim | None, hints: tuple[str, ...], order: str,
                   serving: Callable[[], dict]) -> Claim | None:
    """The next claim after ``place`` in its article, else the first in the desk's order;
    claims skipped today are left out (they come last, see ``next_claim_for``).

    With "fewest reviews first", reading on in the article is only among claims with as
    few reviews as the fewest anywhere: spreading the team comes before keeping the place.
    ``serving()`` gives the parameters with the reviewer's frontier (``_serving_params``),
    read when first needed: after most saves, reading on finds the next claim without it.
    """
    first, onwards = _reading_on(hints, order)
    if place is None:
        return db.session.scalar(first, serving())
    here = {"article_id": place.article_id, "position": place.position}
    if order != "fewest":
        # Reading on needs no look at the rest of the queue (nor the frontier): ask first.
        return (db.session.scalar(onwards, {**_queue_params(reviewer), **here})
                or db.session.scalar(first, serving()))
    row = db.session.execute(first, serving()).first()
    if row is None:
        return None
    later = db.session.scalar(onwards, {**serving(), **here, "reviews": row.reviews})
    return later if later is not None else row[0]


def _first_skipped(hints: tuple[str, ...], params: dict) -> Claim | None:
    """The claim skipped earliest today among those still waiting for the reviewer."""
    return db.session.scalar(
        _unjudged_claims(hints)
        .join(ClaimSkip, ClaimSkip.claim_id == Claim.id)
        .where(skips.active_skip_on(sa.bindparam("reviewer_id"), sa.bindparam("today")),
               _from_frontier())
        .order_by(ClaimSkip.created_at, ClaimSkip.id).limit(1),
        params,
    )


def _first_of(*queries: sa.Select) -> Claim | None:
    for query in queries:
        found = db.session.scalar(query.limit(1))
        if found is not None:
            return found
    return None


def next_claim_for(reviewer: User, after: Claim | None = None, hints: tuple[str, ...] = (),
                   *, in_run: bool = False) -> Claim | None:
    """The next claim in my queue (only claims with one of ``hints`` when given).

    Opening the queue (no ``after``), and after saving a rejected or re-check verdict
    (``in_run``), offers my rejected verdicts to revise, then my verdicts to re-check, one
    after the other. Otherwise: the next claim after ``after`` (or after my place, see
    ``place_of``) in its article, then the desk's order (``_next_unjudged``); then the
    rejected and re-check verdicts; the claims I skipped today come last of all.
    """
    order = current_queue_order()

    def first_waiting() -> Claim | None:
        return _first_of(_rejected_claims(reviewer, hints, order),
                         _recheck_claims(reviewer, hints, order))

    if after is None or in_run:
        found = first_waiting()
        if found is not None:
            return found
    place = after if after is not None else place_of(reviewer)
    serving = cache(lambda: _serving_params(reviewer))  # read once, and only if needed
    return (_next_unjudged(reviewer, place, hints, order, serving) or first_waiting()
            or _first_skipped(hints, serving()))


# The Articles page says "1,000+ claims left" beyond this: counting every claim of a large
# desk (a million at 100,000 articles) took seconds, more than the rest of the page.
QUEUE_SIZE_SHOWN_MAX = COUNT_SHOWN_MAX


def queue_size(reviewer: User, hints: tuple[str, ...] = ()) -> int:
    """How many open claims still need independent verdicts and wait for this reviewer's
    (the ones skipped today included: they are still in the queue, at its end), counted
    up to ``QUEUE_SIZE_SHOWN_MAX + 1``: a larger number means "more than the maximum"."""
    return db.session.scalar(
        counted(_unjudged_claims(hints).where(_from_frontier()), QUEUE_SIZE_SHOWN_MAX),
        _serving_params(reviewer),
    )


def any_open_claims() -> bool:
    """Whether any live article has a claim that takes verdicts."""
    return db.session.scalar(
        sa.select(sa.literal(True)).select_from(Claim)
        .where(Claim.status == "open", in_live_article()).limit(1)
    ) is not None


class WaitingVerdicts(NamedTuple):
    rejected: int
    recheck: int
    skipped: int = 0  # claims skipped today, still waiting at the end of the queue


def _my_open_verdicts(reviewer: User, *conditions) -> sa.ScalarSelect:
    """How many of the reviewer's verdicts on open claims of live articles meet the
    conditions, up to ``QUEUE_SIZE_SHOWN_MAX + 1``: each count a direct search of the
    reviewer index, not a pass over every verdict of the reviewer."""
    return counted(
        sa.select(Verdict.id).join(Claim, Verdict.claim_id == Claim.id)
        .where(Verdict.reviewer_id == reviewer.id, *conditions, Claim.status == "open",
               in_live_article()),
        QUEUE_SIZE_SHOWN_MAX,
    ).scalar_subquery()


def waiting_verdicts(reviewer: User) -> WaitingVerdicts:
    """How many of the reviewer's verdicts on open claims of live articles were rejected
    and await revision, how many (not rejected) await a re-check after a boundary change
    (each up to ``QUEUE_SIZE_SHOWN_MAX + 1``), and how many claims they skipped today
    (``skips.skipped_today``); one query."""
    row = db.session.execute(sa.select(
        _my_open_verdicts(reviewer, Verdict.moderation_state == "rejected"),
        _my_open_verdicts(reviewer, Verdict.moderation_state.in_(NOT_REJECTED),
                          Verdict.needs_recheck.is_(True)),
        skips.skipped_today_count(reviewer).scalar_subquery(),
    )).one()
    return WaitingVerdicts(*row)


def claims_with_my_verdicts(article: Article, reviewer: User
                            ) -> list[tuple[Claim, Verdict | None, bool]]:
    """Every claim of the article with the reviewer's verdict on it and whether the desk
    decided it, in one query.

    Live claims come in reading order, then the retired ones (parked at ``-id``, so the
    latest created first).
    """
    mine = sa.and_(Verdict.claim_id == Claim.id, Verdict.reviewer_id == reviewer.id)
    rows = db.session.execute(
        sa.select(Claim, Verdict, FinalVerdict.id.is_not(None))
        .outerjoin(Verdict, mine)
        .outerjoin(FinalVerdict, FinalVerdict.claim_id == Claim.id)
        .where(Claim.article_id == article.id)
        .order_by(Claim.retired_at.is_not(None), Claim.position)
    )
    return [(claim, verdict, bool(decided)) for claim, verdict, decided in rows]


@dataclass(frozen=True)
class ArticlePage:
    """One article with every claim in my state."""

    article: Article
    claims: list[Claim]  # the live claims, in reading order
    retired: list[Claim]
    mine: dict[int, Verdict | None]  # my verdict by claim id
    judged: int  # of the claims that take verdicts
    total: int
    decided: frozenset[int] = frozenset()  # ids of the live claims the desk has decided


def article_page(article: Article, reviewer: User) -> ArticlePage:
    """The article page's data for ``reviewer``, in one query."""
    rows = claims_with_my_verdicts(article, reviewer)
    live = [claim for claim, _, _ in rows if not claim.is_retired]
    return ArticlePage(
        article=article, claims=live,
        retired=[claim for claim, _, _ in rows if claim.is_retired],
        mine={claim.id: verdict for claim, verdict, _ in rows},
        judged=sum(1 for c, v, _ in rows if v is not None and not c.is_hidden),
        total=sum(1 for c in live if not c.is_hidden),
        decided=frozenset(c.id for c, _, decided in rows if decided and not c.is_retired),
    )
