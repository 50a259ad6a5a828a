"""Sample records of the two CSV exports (``annotator.text.csv_rows``) and the reader their
tests check the written text with, shared by the unit tests of both row kinds."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace

from annotator.text.csv_rows import ClaimRecord, VerdictRecord

# One verdict, every optional field filled but the moderation reason.
VERDICT = VerdictRecord(
    article_id=3, article_title="Budget «talks»", article_date=dt.date(2025, 4, 3),
    claim_id=41, claim_position=2, claim_text="The U.S. economy grew by 2.5%.",
    verdict="supported", source_note="BEA release, table 1", source_url="https://bea.gov/x",
    reviewer="alice", moderation_state="approved", moderated_by="editor",
    moderation_reason=None,
    created_at=dt.datetime(2025, 4, 3, 9, 30, 15, 123456),
    updated_at=dt.datetime(2025, 4, 4, 10, 0, 0),
    needs_recheck=False, claim_start=57, claim_end=87,
)

# The same claim with a final verdict from the desk, and without one.
DECIDED = ClaimRecord(
    article_id=3, article_title="Budget «talks»", article_date=dt.date(2025, 4, 3),
    claim_id=41, claim_position=2, claim_start=57, claim_end=87,
    claim_text="The U.S. economy grew by 2.5%.", verdicts=3, supported=2, disputed=1,
    unclear=0, agreement_state="decided", final_verdict="supported",
    rationale="The BEA release says so.",
    final_sources=("https://bea.gov/a", "https://bea.gov/b?x=1"), decided_by="editor",
    decided_at=dt.datetime(2025, 4, 5, 9, 30, 15, 999999), needs_recheck=False,
)
UNDECIDED = replace(
    DECIDED, article_date=None, verdicts=0, supported=0, disputed=0, agreement_state="waiting",
    final_verdict=None, rationale=None, final_sources=(), decided_by=None, decided_at=None,
)


def parse_csv(text: str) -> list[list[str]]:
    """The rows of CSV ``text``, read as RFC 4180 says (line breaks inside quoted cells
    stay in their cell), so that a test sees what a spreadsheet would."""
    return list(csv.reader(io.StringIO(text, newline="")))
