"""CSV rows of the verdict export: column order, formula neutralisation, RFC 4180 quoting;
and streaming in chunks, for both exports (the per-claim rows' own tests are in
test_claim_csv_rows.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from annotator_testkit.csv_records import UNDECIDED, VERDICT, parse_csv

from annotator.text.csv_rows import (
    CLAIM_COLUMNS,
    COLUMNS,
    iter_claim_csv,
    iter_csv,
    neutralise,
    row_for,
)


def test_columns_are_in_the_documented_order():
    assert COLUMNS == (
        "article_id", "article_title", "article_date", "claim_id", "claim_position",
        "claim_text", "verdict", "source_note", "source_url", "reviewer", "moderation_state",
        "moderated_by", "moderation_reason", "created_at", "updated_at",
        "needs_recheck", "claim_start", "claim_end",
    )


def test_row_values_and_formats():
    row = row_for(VERDICT)
    assert dict(zip(COLUMNS, row, strict=True)) == {
        "article_id": 3, "article_title": "Budget «talks»", "article_date": "2025-04-03",
        "claim_id": 41, "claim_position": 2, "claim_text": "The U.S. economy grew by 2.5%.",
        "verdict": "supported", "source_note": "BEA release, table 1",
        "source_url": "https://bea.gov/x", "reviewer": "alice", "moderation_state": "approved",
        "moderated_by": "editor", "moderation_reason": "",
        "created_at": "2025-04-03T09:30:15Z", "updated_at": "2025-04-04T10:00:00Z",
        "needs_recheck": "false", "claim_start": 57, "claim_end": 87,
    }


def test_missing_optional_values_are_empty_cells():
    row = row_for(replace(VERDICT, article_date=None, source_url=None, moderated_by=None))
    assert row[2] == "" and row[8] == "" and row[11] == ""


def test_aware_times_are_converted_to_utc():
    plus_two = dt.timezone(dt.timedelta(hours=2))
    row = row_for(replace(VERDICT, created_at=dt.datetime(2025, 1, 1, 12, 0, tzinfo=plus_two)))
    assert row[13] == "2025-01-01T10:00:00Z"


@pytest.mark.parametrize(
    "dangerous",
    ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
     "=cmd|' /C calc'!A0"],
)
def test_formula_starts_are_neutralised_in_every_text_field(dangerous):
    record = replace(
        VERDICT, article_title=dangerous, claim_text=dangerous, source_note=dangerous,
        source_url=dangerous, reviewer=dangerous, moderated_by=dangerous,
        moderation_reason=dangerous,
    )
    row = row_for(record)
    for index in (1, 5, 7, 8, 9, 11, 12):
        assert row[index] == "'" + dangerous, COLUMNS[index]
    # The neutralised value survives a CSV round trip unchanged.
    assert parse_csv("".join(iter_csv([record])))[1][7] == "'" + dangerous


@pytest.mark.parametrize(
    "dangerous", ["  =1+1", " @SUM(A1)", "\uff1dHYPERLINK(1)", "\uff0b1", "\u200b=1", "\ufeff+1"]
)
def test_formula_behind_spaces_or_in_full_width_is_neutralised(dangerous):
    assert neutralise(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["Prices rose", "2 + 2 = 4", "x =not first", "", "«=»", "–5%"])
def test_harmless_text_is_untouched(harmless):
    assert neutralise(harmless) == harmless


def test_rfc4180_quoting_of_hostile_text():
    nasty = 'He said "no", then left;\r\nnew line\n<script>alert(1)</script>\u202e\u200b'
    text = "".join(iter_csv([replace(VERDICT, source_note=nasty, claim_text="a,b")]))
    lines = text.split("\r\n")
    assert lines[0] == ",".join(COLUMNS)
    assert '"He said ""no"", then left;' in text
    assert text.endswith("\r\n")
    rows = parse_csv(text)
    assert rows[1][7] == nasty and rows[1][5] == "a,b"
    assert len(rows) == 2


def test_header_only_without_records():
    assert "".join(iter_csv([])) == ",".join(COLUMNS) + "\r\n"


@pytest.mark.parametrize(
    ("chunks_of", "record", "columns"),
    [
        pytest.param(iter_csv, VERDICT, COLUMNS, id="verdicts"),
        pytest.param(iter_claim_csv, UNDECIDED, CLAIM_COLUMNS, id="claims"),
    ],
)
def test_streams_in_chunks_without_building_everything(chunks_of, record, columns):
    produced = 0

    def records():
        nonlocal produced
        for i in range(1200):
            produced += 1
            yield replace(record, claim_id=i)

    chunks = chunks_of(records(), batch=500)
    first = next(chunks)
    # The first chunk leaves before the generator has been drained.
    assert produced < 1200
    rest = list(chunks)
    rows = parse_csv(first + "".join(rest))
    assert rows[0] == list(columns)
    assert len(rows) == 1201
    assert [int(row[columns.index("claim_id")]) for row in rows[1:]] == list(range(1200))
    assert len(rest) >= 2
