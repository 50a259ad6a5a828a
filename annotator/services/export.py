"""The exports out of the database as CSV, streamed row by row: every verdict, or one
summary row per live claim."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from annotator.extensions import db
from annotator.models import LABELS, Article, Claim, FinalVerdict, User, Verdict
from annotator.services.archive import live_article
from annotator.text.claim_states import claim_state
from annotator.text.csv_rows import ClaimRecord, VerdictRecord, iter_claim_csv, iter_csv


@dataclass(frozen=True)
class CsvExport:
    """An export about to be streamed: how many data rows it will hold, and its chunks.

    Both come from one SQL statement, so they see the same snapshot of the database: a
    client that counts fewer rows than ``rows`` knows its copy was cut off.
    """

    rows: int
    chunks: Iterator[str]
    # Closes the rows' connection: call it when the download ends, even if it was dropped
    # before the first chunk (a generator that never started never runs its cleanup).
    close: Callable[[], None]


def _verdicts_query(reviewer: User | None) -> sa.Select:
    author = aliased(User)
    moderator = aliased(User)
    query = (
        sa.select(
            Article.id, Article.title, Article.published_on,
            Claim.id, Claim.position, Claim.text,
            Verdict.label, Verdict.source_note, Verdict.source_url,
            author.username, Verdict.moderation_state, moderator.username,
            Verdict.moderation_reason, Verdict.created_at, Verdict.updated_at,
            Verdict.needs_recheck, Claim.start, Claim.end,
            # The total, computed by the same statement as the rows: one snapshot.
            sa.func.count().over().label("total"),
        )
        .join(Claim, Verdict.claim_id == Claim.id)
        .join(Article, Claim.article_id == Article.id)
        .join(author, Verdict.reviewer_id == author.id)
        .outerjoin(moderator, Verdict.moderated_by_id == moderator.id)
        # Archived articles are in no export.
        .where(Claim.status != "hidden", live_article())
        .order_by(Article.id, Claim.position, author.username)
        .execution_options(yield_per=1000)
    )
    if reviewer is not None:
        query = query.where(Verdict.reviewer_id == reviewer.id)
    return query


def verdicts_export(reviewer: User | None = None) -> CsvExport:
    """Every verdict on a visible claim (only ``reviewer``'s when given), in reading order,
    as CSV chunks, with the number of rows known before the first chunk is sent."""
    return _export(_verdicts_query(reviewer),
                   lambda rows: iter_csv(VerdictRecord(*row[:-1]) for row in rows))


def _verdict_counts() -> sa.Subquery:
    """Per claim: its verdicts, how many carry each label, how many were saved
    independently, and whether any awaits a re-check; one GROUP BY, done by the database."""
    return (
        sa.select(
            Verdict.claim_id,
            sa.func.count().label("verdicts"),
            *(sa.func.sum(sa.case((Verdict.label == label, 1), else_=0)).label(label)
              for label in LABELS),
            sa.func.count(Verdict.independent_version).label("independent"),
            sa.func.max(sa.case((Verdict.needs_recheck == sa.true(), 1), else_=0))
            .label("verdict_recheck"),
        )
        .group_by(Verdict.claim_id)
        .subquery("verdict_counts")
    )


def _claims_query() -> sa.Select:
    counts = _verdict_counts()
    decider = aliased(User)

    def counted(name: str) -> sa.ColumnElement[int]:
        # A claim without verdicts has no row in ``counts``: zero, not NULL.
        return sa.func.coalesce(counts.c[name], 0).label(name)

    return (
        sa.select(
            Article.id.label("article_id"), Article.title.label("article_title"),
            Article.published_on.label("article_date"), Claim.id.label("claim_id"),
            Claim.position.label("claim_position"), Claim.start.label("claim_start"),
            Claim.end.label("claim_end"), Claim.text.label("claim_text"),
            counted("verdicts"), *(counted(label) for label in LABELS),
            counted("independent"), counted("verdict_recheck"),
            FinalVerdict.label.label("final_verdict"), FinalVerdict.rationale,
            FinalVerdict.sources.label("final_sources"), decider.username.label("decided_by"),
            FinalVerdict.decided_at, FinalVerdict.needs_recheck.label("final_recheck"),
            # The total, computed by the same statement as the rows: one snapshot.
            sa.func.count().over().label("total"),
        )
        .join(Article, Claim.article_id == Article.id)
        .outerjoin(counts, counts.c.claim_id == Claim.id)
        .outerjoin(FinalVerdict, FinalVerdict.claim_id == Claim.id)
        .outerjoin(decider, FinalVerdict.decided_by_id == decider.id)
        # Live claims only: hidden and retired ones are in no export.
        .where(Claim.retired_at.is_(None), Claim.status == "open", live_article())
        .order_by(Article.id, Claim.position)
        .execution_options(yield_per=1000)
    )


def _claim_record(row: sa.Row, needed: int) -> ClaimRecord:
    """The export's record of one claim's row; its state by the one rule, ``claim_state``."""
    counts = {label: getattr(row, label) for label in LABELS}
    final_recheck = bool(row.final_recheck)
    state = claim_state(
        [label for label in LABELS for _ in range(counts[label])],
        independent=row.independent, needed=needed,
        decided=row.final_verdict is not None, decision_needs_recheck=final_recheck,
    )
    return ClaimRecord(
        article_id=row.article_id, article_title=row.article_title,
        article_date=row.article_date, claim_id=row.claim_id,
        claim_position=row.claim_position, claim_start=row.claim_start,
        claim_end=row.claim_end, claim_text=row.claim_text, verdicts=row.verdicts, **counts,
        agreement_state=state, final_verdict=row.final_verdict, rationale=row.rationale,
        final_sources=tuple(row.final_sources or ()), decided_by=row.decided_by,
        decided_at=row.decided_at, needs_recheck=final_recheck or bool(row.verdict_recheck),
    )


def claims_export() -> CsvExport:
    """One row per live claim, in reading order: its verdict counts, state and final
    verdict, as CSV chunks, with the number of rows known before the first chunk is sent.

    Everyone's verdicts are summed up in it: callers offer it to admins only.
    """
    # Read now: the chunks are produced after the request (and its app context) ended.
    needed = current_app.config["REVIEWS_PER_CLAIM"]
    return _export(_claims_query(),
                   lambda rows: iter_claim_csv(_claim_record(row, needed) for row in rows))


def _export(query: sa.Select, to_csv: Callable[[Iterator[sa.Row]], Iterator[str]]) -> CsvExport:
    """Run ``query`` (its last column the window count ``total``) and stream its rows
    through ``to_csv``.

    Rows are fetched in batches, so memory stays flat however many there are. They are
    read on a connection of their own, closed when the chunks end (or the download is
    dropped): the request's session is closed when the view returns, before the body is
    streamed, and would take a server-side cursor (PostgreSQL) with it.
    """
    connection = db.engine.connect()
    try:
        result = connection.execute(query)
        first = result.fetchone()
    except BaseException:
        connection.close()
        raise
    total = 0 if first is None else first.total

    def close() -> None:
        result.close()
        connection.close()

    return CsvExport(total, _chunks(result, first, close, to_csv), close)


def _chunks(result: sa.CursorResult, first: sa.Row | None, close: Callable[[], None],
            to_csv: Callable[[Iterator[sa.Row]], Iterator[str]]) -> Iterator[str]:
    """The CSV text of ``first`` and the rest of ``result``; then ``close``."""
    try:
        rows = iter(()) if first is None else itertools.chain([first], result)
        yield from to_csv(rows)
    finally:
        close()


def verdicts_csv(reviewer: User | None = None) -> Iterator[str]:
    """The CSV export as chunks of text."""
    return verdicts_export(reviewer).chunks
