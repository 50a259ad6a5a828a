"""Importing articles into the database: store parsed text and its claims, skip duplicates."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from annotator.extensions import db
from annotator.models import Article, Claim, User
from annotator.services import audit, claim_hints
from annotator.services.transactions import begin_writing
from annotator.text.article_file import ImportRefused, ParsedArticle, parse_article
from annotator.text.hints import ClaimHints

# The files of a web import are read and split in a child process of this fork server
# (see prepare_blobs_within); it preloads this module and the splitter (which the app
# servers load only on first use) so a child starts in milliseconds.
_CHILDREN = multiprocessing.get_context("forkserver")
_CHILDREN.set_forkserver_preload([__name__, "annotator.text.splitting"])


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
    # Files refused because reading and splitting them overran the import's time limit.
    timed_out: list[str] = field(default_factory=list)

    def merge(self, other: ImportReport) -> None:
        """Add the outcomes of another batch of the same import."""
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.refused += other.refused
        self.timed_out += other.timed_out

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


@dataclass(frozen=True)
class PreparedArticle:
    """A file read, split and given its hints: everything an import computes before it
    touches the database, as plain values that can cross from a child process."""

    parsed: ParsedArticle
    hints: list[ClaimHints]


def prepare_file(name: str, raw: bytes, max_bytes: int, max_claims: int) -> PreparedArticle | str:
    """Parse, split and compute the hints of one file, without the database; a refusal is
    returned as its message. This is the slow, CPU-bound part of an import."""
    try:
        parsed = parse_article(raw, name, max_bytes=max_bytes, max_claims=max_claims)
    except ImportRefused as refusal:
        return str(refusal)
    spans = [(span.start, span.end) for span in parsed.claims]
    return PreparedArticle(parsed, claim_hints.hints_for_claims(parsed.body, spans))


def _prepare_task(task: tuple[str, bytes, int, int]) -> PreparedArticle | str:
    """``prepare_file`` with its arguments packed, as a process pool passes them."""
    return prepare_file(*task)


# What the child process runs: a module attribute, so a test can put a slow stand-in here.
prepare_task = _prepare_task


def _limits() -> tuple[int, int]:
    config = current_app.config
    return config["MAX_ARTICLE_BYTES"], config["MAX_CLAIMS_PER_ARTICLE"]


def prepare_blobs(blobs: Iterable[tuple[str, bytes]]) -> list[PreparedArticle | str]:
    """Prepare every file in this process (no time limit: the command line, the seeds)."""
    max_bytes, max_claims = _limits()
    return [prepare_file(name, raw, max_bytes, max_claims) for name, raw in blobs]


class TooSlow(str):
    """The refusal of a file that was not read and split within the time limit."""


def _too_slow(name: str, seconds: float) -> TooSlow:
    shown = PurePosixPath(name.replace("\\", "/")).name or "upload.txt"
    return TooSlow(
        f"{shown}: could not be read and split within the {seconds:g} s an import through "
        "the web may take; nothing of it was imported. Import it on the server with "
        "`flask --app annotator import FILE`, which has no time limit."
    )


def prepare_blobs_within(blobs: list[tuple[str, bytes]],
                         seconds: float) -> list[PreparedArticle | str]:
    """Prepare the files in a child process that is killed when ``seconds`` have passed;
    every file not done by then is refused with a message saying so.

    A child process is the one limit that holds everywhere: a regular expression stuck
    in C code cannot be interrupted by a signal or a check in Python, and signals reach
    only a process's main thread, which under gunicorn's gthread workers and ``flask
    run`` is not the thread serving the request. The child comes from a fork server (a
    fresh single-threaded process), never forked from a threaded worker.
    """
    max_bytes, max_claims = _limits()
    tasks = [(name, raw, max_bytes, max_claims) for name, raw in blobs]
    deadline = time.monotonic() + seconds
    results: list[PreparedArticle | str] = []
    with _CHILDREN.Pool(processes=1) as pool:  # leaving the block kills the child
        done = pool.imap(prepare_task, tasks)
        for _file in blobs:
            try:
                results.append(done.next(timeout=max(0.0, deadline - time.monotonic())))
            except multiprocessing.TimeoutError:
                break
    results += [_too_slow(name, seconds) for name, _raw in blobs[len(results):]]
    return results


def store_article(prepared: PreparedArticle, actor: User | None) -> Article | None:
    """Add an article and its claims; return None when the same text is already stored."""
    parsed = prepared.parsed
    existing = db.session.scalar(sa.select(Article.id).where(Article.checksum == parsed.checksum))
    if existing is not None:
        return None
    claims = [
        Claim(position=i, start=span.start, end=span.end, text=span.text)
        for i, span in enumerate(parsed.claims, start=1)
    ]
    claim_hints.apply_hints(claims, prepared.hints)
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


def _record(report: ImportReport, prepared: PreparedArticle, article: Article | None) -> None:
    if article is None:
        report.duplicates.append(prepared.parsed.source)
    else:
        report.imported.append(ImportedArticle(article.id, article.title, article.source,
                                               len(prepared.parsed.claims)))


def import_blobs(blobs: Iterable[tuple[str, bytes]], actor: User | None) -> ImportReport:
    """Prepare and store each ``(file name, content)`` in the caller's transaction (tests
    and small fixtures); refusals are reported, not raised. Imports that others wait on
    use ``import_and_commit``."""
    report = ImportReport()
    for prepared in prepare_blobs(blobs):
        if isinstance(prepared, str):
            report.refused.append(prepared)
        else:
            _record(report, prepared, store_article(prepared, actor))
    return report


def store_and_commit(prepared: PreparedArticle, actor: User | None) -> Article | None:
    """Store one prepared article in a transaction of its own and commit it.

    The transaction takes its turn as a writer first (``begin_writing``), like a save:
    on SQLite a save that arrives meanwhile then queues behind this one article instead
    of spending its busy timeout on it. Another process importing the same text at the
    same moment makes the commit fail on the checksum's unique index (PostgreSQL); then
    it runs once more, and finds the text present.
    """
    for attempt in (1, 2):
        try:
            begin_writing()
            article = store_article(prepared, actor)
            db.session.commit()
            return article
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def import_and_commit(blobs: list[tuple[str, bytes]], actor: User | None,
                      time_limit: float | None = None) -> ImportReport:
    """Import files: first read and split every one (within ``time_limit`` seconds, in a
    child process, when given), holding no lock; then store each article in its own short
    transaction. So the database's write lock is never held while text is split, and a
    reviewer's save waits at most for one article's insert, never for a whole batch.
    """
    prepared_files = (prepare_blobs(blobs) if time_limit is None
                      else prepare_blobs_within(blobs, time_limit))
    db.session.rollback()  # no read transaction of ours stays open across the inserts
    report = ImportReport()
    for prepared in prepared_files:
        if isinstance(prepared, str):
            report.refused.append(prepared)
            if isinstance(prepared, TooSlow):
                report.timed_out.append(prepared)
        else:
            article = store_and_commit(prepared, actor)
            _record(report, prepared, article)
    return report


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
