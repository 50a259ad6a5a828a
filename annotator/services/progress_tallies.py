"""The Progress page's team and reviewer figures, kept as running tallies.

Added up over every live claim and verdict on each view, they took 4.4 s at 100,000
articles. They are kept instead in ``team_tally`` and ``reviewer_tally`` and read from a
few rows.

Every figure is a sum over claims: each claim contributes itself, its verdicts and its
decision. So a change to some claims moves the figures by what those claims contribute
after it minus what they contributed before. Before each flush that may change a claim's
contribution (a verdict added, moved, relabelled, moderated or made independent or not;
a decision added, relabelled or marked to re-check; a claim hidden, opened or retired),
the session reads the contribution of the claims concerned; after the flush it reads it
again, with the claims the flush added, and keeps the difference. At the commit it adds
the differences to the tallies: the team's row first, then the reviewers' by id, one
statement each. In that fixed order, at the very end, two commits never wait for each
other's rows in a cycle. The team's figures are spread over ``TEAM_SHARDS`` rows, summed
when read, so concurrent commits do not all queue behind one row on PostgreSQL.

The contribution is read with the rule's own SQL (``team_figures``, ``reviewer_figures``)
restricted to those claims, so the tallies and a count from scratch cannot disagree on
what counts. The reads before and after see one state: the claims are locked first (the
write lock on SQLite, ``begin_writing``; on PostgreSQL their rows, FOR NO KEY UPDATE, the
lock a save takes on its claim), so no other transaction changes them in between.
Archiving an article is a Core UPDATE the session does not see: the archive service
counts it itself (``count_archive``).

The team's "verdicts still needed" depends on REVIEWS_PER_CLAIM. A SiteState row names
the setting (and the version of this rule) the tallies were computed for; a start with
another one, or the first start after the migration that added them, computes them again
from scratch (``database.prepare_database``). Until then, or in a process running with
another setting, the page adds the figures up itself.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from annotator.extensions import db
from annotator.models import (
    Article,
    Claim,
    FinalVerdict,
    ReviewerTally,
    SiteState,
    TeamTally,
    Verdict,
)
from annotator.services.archive import in_live_article
from annotator.services.flush_history import flushed_inputs
from annotator.services.transactions import begin_writing

_RULE_VERSION = 1
_COMPUTED_FOR = f"progress-tallies-v{_RULE_VERSION}-for-{{}}"
TEAM_SHARDS = 8

TEAM_FIGURES = ("claims", "verdicts_needed", "decided", "recheck")
REVIEWER_FIGURES = ("verdicts", "approved", "rejected", "pending", "on_decided", "agreeing")

# What a flush must change for a claim's contribution to change with it.
_INPUTS = {
    Verdict: ("claim_id", "reviewer_id", "label", "moderation_state", "independent_version"),
    FinalVerdict: ("claim_id", "label", "needs_recheck"),
    Claim: ("status", "retired_at"),
    Article: ("archived_at",),
}

# session.info: the claims and articles read before the flush, with what they contributed;
# and the differences the transaction's flushes made so far, by (owner, figure), the owner
# a reviewer's id or None for the team: one dict for the transaction, and one more for
# each savepoint open in it (a savepoint rolled back takes its differences with it).
_BEFORE = "annotator.progress_before"
_CHANGES = "annotator.progress_changes"


def live(claim=Claim, count_archived: bool = False) -> sa.ColumnElement[bool]:
    """Claims that take verdicts: open, not retired, in an article that is not archived
    (or in any article, with ``count_archived``: what an archived article's claims
    contributed before it was archived)."""
    conditions = [claim.status == "open", claim.retired_at.is_(None)]
    if not count_archived:
        conditions.append(in_live_article(claim))
    return sa.and_(*conditions)


def team_figures(needed: int, where: sa.ColumnElement[bool],
                 count_archived: bool = False) -> sa.Select:
    """Per live claim matching ``where``: its article, then the ``TEAM_FIGURES`` summed
    over the claims (group the result by the article id, or select the figures only).
    Read them with int(): a SUM of counts is a decimal on PostgreSQL."""
    independent = sa.and_(Verdict.claim_id == Claim.id, Verdict.independent_version.is_not(None))
    per_claim = (
        sa.select(Claim.id.label("claim_id"), Claim.article_id,
                  sa.func.count(Verdict.id).label("independent"))
        .outerjoin(Verdict, independent)
        .where(live(count_archived=count_archived), where)
        .group_by(Claim.id, Claim.article_id)
        .subquery()
    )
    missing = sa.case((per_claim.c.independent < needed, needed - per_claim.c.independent),
                      else_=0)
    recheck = sa.case((FinalVerdict.needs_recheck.is_(True), FinalVerdict.id))
    return (
        sa.select(per_claim.c.article_id, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(missing), 0),
                  sa.func.count(FinalVerdict.id), sa.func.count(recheck))
        .select_from(per_claim)
        .outerjoin(FinalVerdict, FinalVerdict.claim_id == per_claim.c.claim_id)
    )


def reviewer_figures(where: sa.ColumnElement[bool], count_archived: bool = False) -> sa.Select:
    """Per reviewer, the ``REVIEWER_FIGURES`` of their current verdicts on the live claims
    matching ``where``, after the reviewer's id."""
    state = Verdict.moderation_state
    agreeing = sa.case((FinalVerdict.label == Verdict.label, Verdict.id))
    return (
        sa.select(
            Verdict.reviewer_id,
            sa.func.count(Verdict.id),
            sa.func.count(sa.case((state == "approved", Verdict.id))),
            sa.func.count(sa.case((state == "rejected", Verdict.id))),
            sa.func.count(sa.case((state == "pending", Verdict.id))),
            sa.func.count(FinalVerdict.id),
            sa.func.count(agreeing),
        )
        .join(Claim, Verdict.claim_id == Claim.id)
        .outerjoin(FinalVerdict, FinalVerdict.claim_id == Claim.id)
        .where(live(count_archived=count_archived), where)
        .group_by(Verdict.reviewer_id)
    )


def _contribution_statement(needed: int, where: sa.ColumnElement[bool],
                            count_archived: bool = False) -> sa.CompoundSelect:
    """The team's figures (owner NULL) and each reviewer's, over the claims matching
    ``where``, as rows of an owner and six numbers, in one statement."""
    def numbers(columns):
        padded = list(columns) + [sa.literal(0)] * (len(REVIEWER_FIGURES) - len(columns))
        return [sa.cast(column, sa.BigInteger) for column in padded]

    team = team_figures(needed, where, count_archived)
    team = team.with_only_columns(sa.cast(sa.null(), sa.Integer),
                                  *numbers(team.selected_columns[1:]))
    reviewers = reviewer_figures(where, count_archived)
    reviewers = reviewers.with_only_columns(reviewers.selected_columns[0],
                                            *numbers(reviewers.selected_columns[1:]))
    return sa.union_all(team, reviewers)


@functools.cache
def _contribution_of_claims(needed: int, count_archived: bool = False) -> sa.CompoundSelect:
    """``_contribution_statement`` over the claims named by id and the claims of the
    articles named by id (expanding parameters "claims" and "articles"), built once."""
    where = sa.or_(Claim.id.in_(sa.bindparam("claims", expanding=True)),
                   Claim.article_id.in_(sa.bindparam("articles", expanding=True)))
    return _contribution_statement(needed, where, count_archived)


def _as_figures(rows) -> dict[tuple[int | None, str], int]:
    figures: dict[tuple[int | None, str], int] = {}
    for owner, *numbers in rows:
        names = TEAM_FIGURES if owner is None else REVIEWER_FIGURES
        for name, number in zip(names, numbers, strict=False):
            if number:
                figures[owner, name] = int(number)
    return figures


def _needed() -> int:
    return current_app.config["REVIEWS_PER_CLAIM"]


def _contribution(connection: sa.Connection, claims, articles,
                  count_archived: bool = False) -> dict[tuple[int | None, str], int]:
    rows = connection.execute(_contribution_of_claims(_needed(), count_archived),
                              {"claims": sorted(claims), "articles": sorted(articles)})
    return _as_figures(rows)


def _changes(session: Session) -> list[dict[tuple[int | None, str], int]]:
    return session.info.setdefault(_CHANGES, [{}])


def _add(changes: dict, more: dict, sign: int = 1) -> None:
    for key, number in more.items():
        changes[key] = changes.get(key, 0) + sign * number


def _keep(session: Session, before: dict, after: dict, sign: int = 1) -> None:
    """Keep what ``after`` adds to ``before``, in the innermost open savepoint's share."""
    changes = _changes(session)[-1]
    _add(changes, after, sign)
    _add(changes, before, -sign)


# --- keeping them current --------------------------------------------------------------


def _claims_of(instance) -> set[int]:
    """The claims a verdict or decision is on, before and after the flush (the history
    keeps the one a verdict leaves; a claim set through the relationship counts too).
    Read before the flush: a claim id the session let expire can still be loaded."""
    state = sa.inspect(instance)
    claims = set(state.attrs.claim_id.history.sum())
    claim = state.dict.get("claim")
    if claim is not None and claim.id is not None:
        claims.add(claim.id)
    if not claims - {None} and state.persistent:
        claims.add(instance.claim_id)
    claims.discard(None)
    return claims


def _concerned(session: Session) -> tuple[set[int], set[int]]:
    """The claims (and the articles whose every claim) the coming flush may change the
    contribution of, among those already in the database."""
    claims: set[int] = set()
    articles: set[int] = set()
    for instance in flushed_inputs(session, _INPUTS):
        if isinstance(instance, Article):
            articles.add(instance.id)
        elif isinstance(instance, Claim):
            claims.add(instance.id)
        else:
            claims.update(_claims_of(instance))
    # New claims and articles have no id yet, nor anything to count before the flush.
    claims.discard(None)
    articles.discard(None)
    return claims, articles


def _lock(connection: sa.Connection, claims: set[int], articles: set[int]) -> None:
    """Hold the claims still until the commit: the write lock on SQLite, their rows, in
    id order, on PostgreSQL."""
    if connection.dialect.name == "sqlite":
        begin_writing()
        return
    connection.execute(
        sa.select(Claim.id)
        .where(sa.or_(Claim.id.in_(sorted(claims)), Claim.article_id.in_(sorted(articles))))
        .order_by(Claim.id).with_for_update(key_share=True)
    ).all()


def _before_flush(session: Session, _context, _instances) -> None:
    session.info.pop(_BEFORE, None)
    claims, articles = _concerned(session)
    if not (claims or articles):
        return
    connection = session.connection()
    _lock(connection, claims, articles)
    session.info[_BEFORE] = (claims, articles, _contribution(connection, claims, articles))


def _after_flush(session: Session, _context) -> None:
    claims, articles, before = session.info.pop(_BEFORE, (set(), set(), {}))
    added = {instance.id for instance in session.new if isinstance(instance, Claim)}
    if claims or articles or added:
        after = _contribution(session.connection(), claims | added, articles)
        _keep(session, before, after)


def count_archive(article_id: int, archived: bool) -> None:
    """Count an article just archived (its claims stop contributing) or restored (they
    contribute again). The caller changed ``archived_at`` by SQL and locked the article's
    claims (``desk_ranks.rank_claims_where``), so what they contribute as live claims is
    what they contributed before the archive, or contribute after the restore."""
    session = db.session()
    as_live = _contribution(session.connection(), (), (article_id,), count_archived=True)
    _keep(session, {}, as_live, sign=-1 if archived else 1)


def _upsert(connection: sa.Connection, model, key: str, rows: list[dict]) -> None:
    """Add ``rows``' figures to the model's rows of the same key, creating those missing."""
    connection.execute(_upsert_statement(connection.dialect.name, model, key), rows)


@functools.cache
def _upsert_statement(dialect_name: str, model, key: str) -> sa.Insert:
    """``_upsert``'s INSERT ... ON CONFLICT DO UPDATE, built once: every save runs it, and
    building it anew took longer than the rest of the save's tally work."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    table = model.__table__
    insert = dialect.insert(table)
    return insert.on_conflict_do_update(
        index_elements=[key],
        set_={column.name: column + insert.excluded[column.name]
              for column in table.c if column.name != key})


def _before_commit(session: Session) -> None:
    # The commit's own flush comes after this hook: flush first, so its changes count.
    session.flush()
    levels = _changes(session)
    if session.in_nested_transaction():
        # A savepoint released: its differences now belong to the level around it.
        if len(levels) > 1:
            _add(levels[-2], levels.pop())
            levels.append({})
        return
    _write(session.connection(), levels[0])
    levels[0] = {}


def _write(connection: sa.Connection, changes: dict[tuple[int | None, str], int]) -> None:
    """Add the differences to the tallies: the team's row, then the reviewers' in id order.
    Then, if the tallies were counted for another REVIEWS_PER_CLAIM than this process's (a
    recount by a server started with another one, committed meanwhile), mark them to be
    counted again: this process's "verdicts still needed" do not add up with them."""
    owners: dict[int | None, dict[str, int]] = {}
    for (owner, name), number in changes.items():
        if number:
            owners.setdefault(owner, {})[name] = number
    if not owners:
        return
    team = owners.pop(None, None)
    if team:
        row = {"shard": random.randrange(TEAM_SHARDS)}
        row.update({name: team.get(name, 0) for name in TEAM_FIGURES})
        _upsert(connection, TeamTally, "shard", [row])
    if owners:
        rows = [{"reviewer_id": owner, **{name: figures.get(name, 0) for name in REVIEWER_FIGURES}}
                for owner, figures in sorted(owners.items())]
        _upsert(connection, ReviewerTally, "reviewer_id", rows)
    # After the rows: a recount holds them (PostgreSQL) until it has committed its setting.
    if connection.scalar(_setting_statement(), {"key": _COMPUTED_FOR.format(_needed())}) is None:
        connection.execute(sa.delete(SiteState).where(SiteState.key.like("progress-tallies-%")))


@functools.cache
def _setting_statement() -> sa.Select:
    return sa.select(SiteState.key).where(SiteState.key == sa.bindparam("key"))


def _after_transaction_create(session: Session, transaction) -> None:
    if transaction.nested:
        _changes(session).append({})


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.nested:
        # Released, its share was handed to the level around it; rolled back, it is dropped.
        levels = _changes(session)
        if len(levels) > 1:
            levels.pop()
    elif transaction.parent is None:
        session.info.pop(_CHANGES, None)
        session.info.pop(_BEFORE, None)


def keep_tallies_current() -> None:
    """Have every session count its changes into the tallies (once per process)."""
    for name, listener in (("before_flush", _before_flush), ("after_flush", _after_flush),
                           ("before_commit", _before_commit),
                           ("after_transaction_create", _after_transaction_create),
                           ("after_transaction_end", _after_transaction_end)):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)


# --- computing them from scratch, and reading them -------------------------------------


def tallied_for() -> int | None:
    """The REVIEWS_PER_CLAIM the tallies were computed for, None if never."""
    keys = db.session.scalars(sa.select(SiteState.key).where(
        SiteState.key.like(_COMPUTED_FOR.format("%")))).all()
    return int(keys[0].rsplit("-", 1)[1]) if keys else None


def recount_pending() -> bool:
    """Whether the tallies were computed for another REVIEWS_PER_CLAIM or rule, or never."""
    return db.session.get(SiteState, _COMPUTED_FOR.format(_needed())) is None


def from_scratch() -> dict[tuple[int | None, str], int]:
    """Every figure added up over every claim and verdict now, by (owner, figure)."""
    return _as_figures(db.session.execute(_contribution_statement(_needed(), sa.true())))


def stored() -> dict[tuple[int | None, str], int]:
    """The tallies as stored, by (owner, figure), the team's shards summed; one query."""
    team, reviewer = TeamTally.__table__.c, ReviewerTally.__table__.c
    width = len(REVIEWER_FIGURES) - len(TEAM_FIGURES)
    sums = sa.select(sa.cast(sa.null(), sa.Integer),
                     *(sa.cast(sa.func.coalesce(sa.func.sum(team[name]), 0), sa.BigInteger)
                       for name in TEAM_FIGURES),
                     *[sa.cast(sa.literal(0), sa.BigInteger)] * width)
    rows = sa.select(reviewer.reviewer_id, *(reviewer[name] for name in REVIEWER_FIGURES))
    return _as_figures(db.session.execute(sa.union_all(sums, rows)))


def recount() -> None:
    """Compute every tally from scratch for the configured REVIEWS_PER_CLAIM, in the
    caller's transaction, and remember the setting. Servers still running wait meanwhile
    (the write lock on SQLite, the tables locked on PostgreSQL): a commit that counted its
    change before is in the count, one that counts after adds to it."""
    begin_writing()
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE team_tally, reviewer_tally IN EXCLUSIVE MODE")
    connection.execute(sa.delete(TeamTally))
    connection.execute(sa.delete(ReviewerTally))
    figures = from_scratch()
    connection.execute(sa.insert(TeamTally).values(
        shard=0, **{name: figures.get((None, name), 0) for name in TEAM_FIGURES}))
    reviewers = sorted({owner for owner, _name in figures if owner is not None})
    if reviewers:
        connection.execute(sa.insert(ReviewerTally), [
            {"reviewer_id": owner, **{name: figures.get((owner, name), 0)
                                      for name in REVIEWER_FIGURES}}
            for owner in reviewers])
    connection.execute(sa.delete(SiteState).where(SiteState.key.like("progress-tallies-%")))
    db.session.add(SiteState(key=_COMPUTED_FOR.format(_needed())))
    db.session.flush()


@dataclass(frozen=True)
class Tallies:
    """The team's and the reviewers' figures as the page shows them, by (owner, figure)."""

    figures: dict[tuple[int | None, str], int]

    def team(self, name: str) -> int:
        return self.figures.get((None, name), 0)

    def reviewer(self, reviewer_id: int) -> tuple[int, ...]:
        return tuple(self.figures.get((reviewer_id, name), 0) for name in REVIEWER_FIGURES)


def current() -> Tallies:
    """The tallies, when they were computed for the configured REVIEWS_PER_CLAIM; else the
    figures added up from scratch (slow at scale, but never wrong)."""
    return Tallies(from_scratch() if recount_pending() else stored())
