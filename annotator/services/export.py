"""Verdicts out of the database as CSV, streamed row by row."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from annotator.extensions import db
from annotator.models import Article, Claim, User, Verdict
from annotator.text.csv_rows import VerdictRecord, iter_csv


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
            # The total, computed by the same statement as the rows: one snapshot.
            sa.func.count().over().label("total"),
        )
        .join(Claim, Verdict.claim_id == Claim.id)
        .join(Article, Claim.article_id == Article.id)
        .join(author, Verdict.reviewer_id == author.id)
        .outerjoin(moderator, Verdict.moderated_by_id == moderator.id)
        .where(Claim.status != "hidden")
        .order_by(Article.id, Claim.position, author.username)
        .execution_options(yield_per=1000)
    )
    if reviewer is not None:
        query = query.where(Verdict.reviewer_id == reviewer.id)
    return query


def verdicts_export(reviewer: User | None = None) -> CsvExport:
    """Every verdict on a visible claim (only ``reviewer``'s when given), in reading order,
    as CSV chunks, with the number of rows known before the first chunk is sent.

    Rows are fetched in batches, so memory stays flat however many verdicts there are.
    They are read on a connection of their own, closed when the chunks end (or the
    download is dropped): the request's session is closed when the view returns, before
    the body is streamed, and would take a server-side cursor (PostgreSQL) with it.
    """
    connection = db.engine.connect()
    try:
        result = connection.execute(_verdicts_query(reviewer))
        first = result.fetchone()
    except BaseException:
        connection.close()
        raise
    total = 0 if first is None else first.total

    def close() -> None:
        result.close()
        connection.close()

    return CsvExport(total, _chunks(result, first, close), close)


def _chunks(result: sa.CursorResult, first: sa.Row | None,
            close: Callable[[], None]) -> Iterator[str]:
    """The CSV text of ``first`` and the rest of ``result``; then ``close``."""
    try:
        rows = iter(()) if first is None else itertools.chain([first], result)
        yield from iter_csv(VerdictRecord(*row[:-1]) for row in rows)
    finally:
        close()


def verdicts_csv(reviewer: User | None = None) -> Iterator[str]:
    """The CSV export as chunks of text."""
    return verdicts_export(reviewer).chunks
