"""Importing articles into the database: store parsed text and its claims, skip duplicates."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from annotator.extensions import db
from annotator.models import Article, Claim, User
from annotator.services import audit
from annotator.services.claim_hints import store_hints
from annotator.text.article_file import ImportRefused, ParsedArticle, parse_article


@dataclass(frozen=True)
class ImportedArticle:
    """What a report keeps of a stored article: plain values, no live database object."""

    id: int
    title: str
    source: str
    claims: int


@dataclass
class ImportReport:
    """What happened to each file of one import."""

    imported: list[ImportedArticle] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def merge(self, other: ImportReport) -> None:
        """Add the outcomes of another batch of the same import."""
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.refused += other.refused

    def summary(self) -> str:
        """One line for a flash message or the terminal."""
        return (
            f"{len(self.imported)} imported, {len(self.duplicates)} already present, "
            f"{len(self.refused)} refused"
        )


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders as every ``*.txt`` below them, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path


def store_article(parsed: ParsedArticle, actor: User | None) -> Article | None:
    """Add an article and its claims; return None when the same text is already stored."""
    existing = db.session.scalar(sa.select(Article.id).where(Article.checksum == parsed.checksum))
    if existing is not None:
        return None
    claims = [
        Claim(position=i, start=span.start, end=span.end, text=span.text)
        for i, span in enumerate(parsed.claims, start=1)
    ]
    store_hints(parsed.body, claims)
    article = Article(
        title=parsed.title,
        source=parsed.source,
        published_on=parsed.published_on,
        body=parsed.body,
        checksum=parsed.checksum,
        meta=parsed.metadata,
        imported_by_id=actor.id if actor else None,
        claims=claims,
    )
    db.session.add(article)
    db.session.flush()
    audit.record(actor, "article.import", article, source=parsed.source,
                 title=parsed.title, claims=len(parsed.claims))
    return article


def import_blobs(blobs: Iterable[tuple[str, bytes]], actor: User | None) -> ImportReport:
    """Parse and store each ``(file name, content)``; refusals are reported, not raised.

    The caller commits: an admin upload is one transaction; nothing is written for a
    refused file because parsing happens before anything touches the session.
    """
    report = ImportReport()
    max_bytes = current_app.config["MAX_ARTICLE_BYTES"]
    max_claims = current_app.config["MAX_CLAIMS_PER_ARTICLE"]
    for name, raw in blobs:
        try:
            parsed = parse_article(raw, name, max_bytes=max_bytes, max_claims=max_claims)
        except ImportRefused as refusal:
            report.refused.append(str(refusal))
            continue
        article = store_article(parsed, actor)
        if article is None:
            report.duplicates.append(parsed.source)
        else:
            report.imported.append(
                ImportedArticle(article.id, article.title, article.source, len(parsed.claims))
            )
    return report


def import_and_commit(blobs: list[tuple[str, bytes]], actor: User | None) -> ImportReport:
    """Import in one transaction and commit it.

    Another process importing the same text at the same moment makes our commit fail on
    the checksum's unique index; then the whole batch runs once more, and this time that
    text is found and reported as already present instead of failing the import.
    """
    for attempt in (1, 2):
        try:
            report = import_blobs(blobs, actor)
            db.session.commit()
            return report
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def read_limited(path: Path, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes, so an enormous file is refused without loading it."""
    with path.open("rb") as handle:
        return handle.read(limit + 1)


def import_folder(folder: Path, actor: User | None) -> ImportReport:
    """Import and commit every ``*.txt`` file below ``folder`` (used for the seeds)."""
    limit = current_app.config["MAX_ARTICLE_BYTES"]
    return import_and_commit(
        [(p.name, read_limited(p, limit)) for p in expand_paths([folder])], actor
    )
