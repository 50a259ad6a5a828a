"""CSV rows for the two exports: column order, formula neutralisation, streaming encoding.

The verdict export has one row per verdict (``COLUMNS``, ``VerdictRecord``); the per-claim
export one row per live claim with its counts and final verdict (``CLAIM_COLUMNS``,
``ClaimRecord``). Both go through the same ``neutralise`` and the same chunked writer.

Pure Python: no Flask, no database. ``services/export.py`` feeds it rows from a query.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from annotator.text.timestamps import iso_utc

# The first columns of both exports: which claim of which article the row is about,
# written the same way in both (``_article_claim_cells``).
ARTICLE_CLAIM_COLUMNS = (
    "article_id", "article_title", "article_date", "claim_id", "claim_position",
)

COLUMNS = (
    *ARTICLE_CLAIM_COLUMNS, "claim_text", "verdict", "source_note", "source_url", "reviewer",
    "moderation_state", "moderated_by", "moderation_reason", "created_at", "updated_at",
    # Added later, at the end, so that scripts reading columns by position keep working.
    "needs_recheck", "claim_start", "claim_end",
)

# The per-claim export. The three label columns are the labels, in ``models.LABELS`` order
# (this module may not import the models; the export's tests check they match).
CLAIM_COLUMNS = (
    *ARTICLE_CLAIM_COLUMNS, "claim_start", "claim_end", "claim_text", "verdicts", "supported",
    "disputed", "unclear", "agreement_state", "final_verdict", "rationale", "final_sources",
    "decided_by", "decided_at", "needs_recheck",
)

# How both exports write a yes/no cell: words a spreadsheet will not turn into
# its own TRUE/FALSE type or a script into a number.
YES, NO = "true", "false"

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
    # The claim's boundaries changed (split, merge, re-split) after the verdict was saved:
    # it was given on other text than ``claim_text`` and must be checked again.
    needs_recheck: bool
    # The claim's character offsets in the article's text (end exclusive), as now.
    claim_start: int
    claim_end: int


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


def _date_cell(value: dt.date | None) -> str:
    """``YYYY-MM-DD``, empty when unknown."""
    return value.isoformat() if value else ""


def _article_claim_cells(record: VerdictRecord | ClaimRecord) -> list[str | int]:
    """The cells of ``ARTICLE_CLAIM_COLUMNS``: the start of a row in either export."""
    return [
        record.article_id,
        neutralise(record.article_title),
        _date_cell(record.article_date),
        record.claim_id,
        record.claim_position,
    ]


def row_for(record: VerdictRecord) -> list[str | int]:
    """The CSV cells of one verdict, in ``COLUMNS`` order."""
    return [
        *_article_claim_cells(record),
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
        YES if record.needs_recheck else NO,
        record.claim_start,
        record.claim_end,
    ]


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One live claim with its verdict counts, its state and the desk's final verdict.

    ``agreement_state`` is a key of ``claim_states.CLAIM_STATES``; the final verdict's
    fields are None (and ``final_sources`` empty) while the claim is undecided.
    ``needs_recheck``: the final verdict or any verdict on the claim awaits a re-check
    after a boundary change.
    """

    article_id: int
    article_title: str
    article_date: dt.date | None
    claim_id: int
    claim_position: int
    claim_start: int
    claim_end: int
    claim_text: str
    verdicts: int
    supported: int
    disputed: int
    unclear: int
    agreement_state: str
    final_verdict: str | None
    rationale: str | None
    final_sources: Sequence[str]
    decided_by: str | None
    decided_at: dt.datetime | None
    needs_recheck: bool


def claim_row_for(record: ClaimRecord) -> list[str | int]:
    """The CSV cells of one claim, in ``CLAIM_COLUMNS`` order.

    The sources share one cell, separated by single spaces: a source URL holds no space.
    """
    return [
        *_article_claim_cells(record),
        record.claim_start,
        record.claim_end,
        neutralise(record.claim_text),
        record.verdicts,
        record.supported,
        record.disputed,
        record.unclear,
        record.agreement_state,
        record.final_verdict or "",
        neutralise(record.rationale or ""),
        neutralise(" ".join(record.final_sources)),
        neutralise(record.decided_by or ""),
        iso_utc(record.decided_at),
        YES if record.needs_recheck else NO,
    ]


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[str | int]],
               batch: int = 500) -> Iterator[str]:
    """Yield the CSV text (``header`` first) in chunks of ``batch`` rows, RFC 4180 (CRLF,
    quoting), so that a long export is sent while it is read and never held whole."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    pending = 1
    for row in rows:
        writer.writerow(row)
        pending += 1
        if pending >= batch:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending or buffer.tell():
        yield buffer.getvalue()


def iter_csv(records: Iterable[VerdictRecord], batch: int = 500) -> Iterator[str]:
    """The verdict export's CSV text, header first, in chunks of ``batch`` rows."""
    return csv_chunks(COLUMNS, map(row_for, records), batch)


def iter_claim_csv(records: Iterable[ClaimRecord], batch: int = 500) -> Iterator[str]:
    """The per-claim export's CSV text, header first, in chunks of ``batch`` rows."""
    return csv_chunks(CLAIM_COLUMNS, map(claim_row_for, records), batch)
