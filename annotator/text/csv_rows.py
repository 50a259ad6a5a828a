"""CSV rows for verdicts: column order, formula neutralisation, streaming encoding.

Pure Python: no Flask, no database. ``exporting.py`` feeds it rows from a query.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from annotator.text.timestamps import iso_utc

COLUMNS = (
    "article_id", "article_title", "article_date", "claim_id", "claim_position", "claim_text",
    "verdict", "source_note", "source_url", "reviewer", "moderation_state", "moderated_by",
    "moderation_reason", "created_at", "updated_at",
)

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
# The full-width forms count too: some importers fold them to ASCII.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@dataclass(frozen=True, slots=True)
class VerdictRecord:
    """One verdict with what the export needs of its claim, article and people."""

    article_id: int
    article_title: str
    article_date: dt.date | None
    claim_id: int
    claim_position: int
    claim_text: str
    verdict: str
    source_note: str
    source_url: str | None
    reviewer: str
    moderation_state: str
    moderated_by: str | None
    moderation_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


# Spaces, zero-width characters and the byte-order mark. Any other whitespace (an em or
# ideographic space, a line break) and any invisible format character (bidirectional
# marks, the soft hyphen) is looked through as well: see ``_invisible``.
INVISIBLE = " \u00a0\u200b\u200c\u200d\u2060\ufeff"


def _invisible(char: str) -> bool:
    """Whether ``char`` shows nothing and may be trimmed by a pipeline before a spreadsheet."""
    return char in INVISIBLE or char.isspace() or unicodedata.category(char) == "Cf"


def neutralise(text: str) -> str:
    """Make a text cell inert in spreadsheets by prefixing an apostrophe to formula starts.

    Leading spaces and invisible characters are looked through, because some importers
    trim them before parsing (a tab or carriage return among them is a trigger itself).
    """
    if not text or text[0].isalnum():  # the common case: no character to look through
        return text
    for char in text:
        if char in FORMULA_TRIGGERS:
            return "'" + text
        if not _invisible(char):
            return text
    return text


def row_for(record: VerdictRecord) -> list[str | int]:
    """The CSV cells of one verdict, in ``COLUMNS`` order."""
    return [
        record.article_id,
        neutralise(record.article_title),
        record.article_date.isoformat() if record.article_date else "",
        record.claim_id,
        record.claim_position,
        neutralise(record.claim_text),
        record.verdict,
        neutralise(record.source_note),
        neutralise(record.source_url or ""),
        neutralise(record.reviewer),
        record.moderation_state,
        neutralise(record.moderated_by or ""),
        neutralise(record.moderation_reason or ""),
        iso_utc(record.created_at),
        iso_utc(record.updated_at),
    ]


def iter_csv(records: Iterable[VerdictRecord], batch: int = 500) -> Iterator[str]:
    """Yield the CSV text (header first) in chunks of ``batch`` rows, RFC 4180 (CRLF, quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    pending = 1
    for record in records:
        writer.writerow(row_for(record))
        pending += 1
        if pending >= batch:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending or buffer.tell():
        yield buffer.getvalue()
