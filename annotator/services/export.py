"""The exports out of the database as CSV, streamed row by row: every verdict, or one
summary row per live claim."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from annotator.extensions import db
from annotator.models import LABELS, Article, Claim, FinalVerdict, User, Verdict
from annotator.services.archive import live_article
from annotator.text.claim_states import claim_state
from annotator.text.csv_rows import ClaimRecord, VerdictRecord, iter_claim_csv, iter_csv


@dataclass(frozen=True)
class CsvExport:
    """An export about to be streamed: how many data rows it will hold, and its chunks.

    Both are read in one transaction that sees one snapshot of the database (see
    ``_reading_one_snapshot``): a client that counts fewer rows than ``rows`` knows its
    copy was cut off.
    """

    rows: int
    chunks: Iterator[str]
    # Closes the rows' connection: call it when the download ends, even if it was dropped
    # before the first chunk (a generator that never started never runs its cleanup).
    close: Callable[[], None]


def _verdicts_queries(reviewer: User | None) -> tuple[sa.Select, sa.Select]:
    """The verdict export's rows, and the statement counting them.

    The count reads the same verdicts without the rows' columns and names: every verdict
    has its author (a required key), and a moderator joins at most once, so neither
    changes the number.
    """
    chosen = (
        sa.select(sa.func.count()).select_from(Verdict)
        .join(Claim, Verdict.claim_id == Claim.id)
        .join(Article, Claim.article_id == Article.id)
        # Archived articles are in no export.
        .where(Claim.status != "hidden", live_article())
    )
    if reviewer is not None:
        chosen = chosen.where(Verdict.reviewer_id == reviewer.id)
    author = aliased(User)
    moderator = aliased(User)
    rows = (
        chosen.with_only_columns(
            Article.id, Article.title, Article.published_on,
            Claim.id, Claim.position, Claim.text,
            Verdict.label, Verdict.source_note, Verdict.source_url,
            author.username, Verdict.moderation_state, moderator.username,
            Verdict.moderation_reason, Verdict.created_at, Verdict.updated_at,
            Verdict.needs_recheck, Claim.start, Claim.end,
        )
        .join(author, Verdict.reviewer_id == author.id)
        .outerjoin(moderator, Verdict.moderated_by_id == moderator.id)
        .order_by(Article.id, Claim.position, author.username)
        .execution_options(yield_per=1000)
    )
    return rows, chosen


def verdicts_export(reviewer: User | None = None) -> CsvExport:
    """Every verdict on a visible claim (only ``reviewer``'s when given), in reading order,
    as CSV chunks, with the number of rows known before the first chunk is sent."""
    rows, count = _verdicts_queries(reviewer)
    return _export(rows, count, lambda found: iter_csv(VerdictRecord(*row) for row in found))


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


def _claims_queries() -> tuple[sa.Select, sa.Select]:
    """The claim export's rows, and the statement counting them (the live claims: each
    outer join below adds at most one row to a claim)."""
    chosen = (
        sa.select(sa.func.count()).select_from(Claim)
        .join(Article, Claim.article_id == Article.id)
        # Live claims only: hidden and retired ones are in no export.
        .where(Claim.retired_at.is_(None), Claim.status == "open", live_article())
    )
    counts = _verdict_counts()
    decider = aliased(User)

    def counted(name: str) -> sa.ColumnElement[int]:
        # A claim without verdicts has no row in ``counts``: zero, not NULL.
        return sa.func.coalesce(counts.c[name], 0).label(name)

    rows = (
        chosen.with_only_columns(
            Article.id.label("article_id"), Article.title.label("article_title"),
            Article.published_on.label("article_date"), Claim.id.label("claim_id"),
            Claim.position.label("claim_position"), Claim.start.label("claim_start"),
            Claim.end.label("claim_end"), Claim.text.label("claim_text"),
            counted("verdicts"), *(counted(label) for label in LABELS),
            counted("independent"), counted("verdict_recheck"),
            FinalVerdict.label.label("final_verdict"), FinalVerdict.rationale,
            FinalVerdict.sources.label("final_sources"), decider.username.label("decided_by"),
            FinalVerdict.decided_at, FinalVerdict.needs_recheck.label("final_recheck"),
        )
        .outerjoin(counts, counts.c.claim_id == Claim.id)
        .outerjoin(FinalVerdict, FinalVerdict.claim_id == Claim.id)
        .outerjoin(decider, FinalVerdict.decided_by_id == decider.id)
        .order_by(Article.id, Claim.position)
        .execution_options(yield_per=1000)
    )
    return rows, chosen


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
    rows, count = _claims_queries()
    return _export(rows, count,
                   lambda found: iter_claim_csv(_claim_record(row, needed) for row in found))


def _reading_one_snapshot(connection: Connection) -> Connection:
    """``connection``, its statements from now until it is closed reading one snapshot.

    The count and the rows are two statements: a save committed between them must be in
    neither. Python's SQLite driver begins no transaction for reads, so each statement
    would see the database as it was when it started; an explicit (deferred) BEGIN makes
    the first read take a snapshot (WAL) that the transaction keeps, without blocking
    writers. PostgreSQL's READ COMMITTED also takes a snapshot per statement;
    REPEATABLE READ keeps the first one for the whole transaction. Closing the connection
    rolls the read transaction back.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
        return connection
    return connection.execution_options(isolation_level="REPEATABLE READ")


def _export(rows: sa.Select, count: sa.Select,
            to_csv: Callable[[Iterator[sa.Row]], Iterator[str]]) -> CsvExport:
    """Count the export's rows with ``count``, then stream ``rows`` through ``to_csv``.

    The count has its own statement: computed with the rows, as a window over them, it
    made the database build and sort the whole result before the first row (10 s at a
    million verdicts, where the count alone takes 1 s). Both read one snapshot, so the
    count is exactly the rows that follow. The rows come in the order of the indexes they
    are read by, fetched in batches, so memory stays flat however many there are. They
    are read on a connection of their own, closed when the chunks end (or the download
    is dropped): the request's session is closed when the view returns, before the body
    is streamed, and would take a server-side cursor (PostgreSQL) with it.
    """
    connection = db.engine.connect()
    try:
        snapshot = _reading_one_snapshot(connection)
        total = snapshot.scalar(count)
        result = snapshot.execute(rows)
    except BaseException:
        connection.close()
        raise

    def close() -> None:
        result.close()
        connection.close()

    return CsvExport(total, _chunks(result, close, to_csv), close)


def _chunks(result: sa.CursorResult, close: Callable[[], None],
            to_csv: Callable[[Iterator[sa.Row]], Iterator[str]]) -> Iterator[str]:
    """The CSV text of the rows of ``result``; then ``close``."""
    try:
        yield from to_csv(iter(result))
    finally:
        close()


def verdicts_csv(reviewer: User | None = None) -> Iterator[str]:
    """The CSV export as chunks of text."""
    return verdicts_export(reviewer).chunks
