"""Verdicts out of the database as CSV, streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from annotator.extensions import db
from annotator.models import Article, Claim, User, Verdict
from annotator.text.csv_rows import VerdictRecord, iter_csv


def verdict_records(reviewer: User | None = None) -> Iterator[VerdictRecord]:
    """Every verdict on a visible claim (only ``reviewer``'s when given), in reading order.

    Rows are fetched in batches, so memory stays flat however many verdicts there are.
    """
    author = aliased(User)
    moderator = aliased(User)
    query = (
        sa.select(
            Article.id, Article.title, Article.published_on,
            Claim.id, Claim.position, Claim.text,
            Verdict.label, Verdict.source_note, Verdict.source_url,
            author.username, Verdict.moderation_state, moderator.username,
            Verdict.moderation_reason, Verdict.created_at, Verdict.updated_at,
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
    for row in db.session.execute(query):
        yield VerdictRecord(*row)


def verdicts_csv(reviewer: User | None = None) -> Iterator[str]:
    """The CSV export as chunks of text."""
    return iter_csv(verdict_records(reviewer))
