"""Per-claim CSV rows: column order, cell formats, formula neutralisation of every text
cell, RFC 4180 quoting. Streaming in chunks, the same writer as the verdict export's, is
tested for both exports in test_csv_rows.py."""

from __future__ import annotations

from dataclasses import replace

import pytest
from annotator_testkit import hostile
from annotator_testkit.csv_records import DECIDED, UNDECIDED, parse_csv
from annotator_testkit.spreadsheet import runs_as_formula

from annotator.text.csv_rows import CLAIM_COLUMNS, ClaimRecord, claim_row_for, iter_claim_csv

TEXT_COLUMNS = ("article_title", "claim_text", "rationale", "final_sources", "decided_by")


def cells(record: ClaimRecord) -> dict[str, str | int]:
    return dict(zip(CLAIM_COLUMNS, claim_row_for(record), strict=True))


def test_columns_are_in_the_documented_order():
    assert CLAIM_COLUMNS == (
        "article_id", "article_title", "article_date", "claim_id", "claim_position",
        "claim_start", "claim_end", "claim_text", "verdicts", "supported", "disputed",
        "unclear", "agreement_state", "final_verdict", "rationale", "final_sources",
        "decided_by", "decided_at", "needs_recheck",
    )


def test_a_decided_claim():
    assert cells(DECIDED) == {
        "article_id": 3, "article_title": "Budget «talks»", "article_date": "2025-04-03",
        "claim_id": 41, "claim_position": 2, "claim_start": 57, "claim_end": 87,
        "claim_text": "The U.S. economy grew by 2.5%.", "verdicts": 3, "supported": 2,
        "disputed": 1, "unclear": 0, "agreement_state": "decided",
        "final_verdict": "supported", "rationale": "The BEA release says so.",
        # One cell, the URLs separated by single spaces.
        "final_sources": "https://bea.gov/a https://bea.gov/b?x=1",
        "decided_by": "editor", "decided_at": "2025-04-05T09:30:15Z", "needs_recheck": "false",
    }


def test_an_undecided_claim_has_empty_decision_cells():
    row = cells(UNDECIDED)
    assert [row[c] for c in ("article_date", "final_verdict", "rationale", "final_sources",
                             "decided_by", "decided_at")] == [""] * 6
    assert (row["verdicts"], row["agreement_state"], row["needs_recheck"]) == (0, "waiting",
                                                                              "false")


def test_needs_recheck_is_written_as_a_word():
    assert cells(replace(DECIDED, needs_recheck=True))["needs_recheck"] == "true"


@pytest.mark.parametrize("dangerous", hostile.FORMULA)
def test_formula_starts_are_neutralised_in_every_text_cell(dangerous):
    record = replace(DECIDED, article_title=dangerous, claim_text=dangerous,
                     rationale=dangerous, final_sources=(dangerous,), decided_by=dangerous)
    row = cells(record)
    for column in TEXT_COLUMNS:
        assert row[column] == "'" + dangerous, column
        assert not runs_as_formula(row[column]), column
    # The neutralised value survives a CSV round trip unchanged.
    parsed = dict(zip(CLAIM_COLUMNS, parse_csv("".join(iter_claim_csv([record])))[1], strict=True))
    assert parsed["rationale"] == "'" + dangerous
    assert parsed["claim_text"] == "'" + dangerous


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_claim_or_rationale_starting_with_a_trigger(start):
    row = cells(replace(DECIDED, claim_text=start + "5% of voters", rationale=start + "1 vote"))
    assert row["claim_text"] == "'" + start + "5% of voters"
    assert row["rationale"] == "'" + start + "1 vote"


def test_only_the_first_source_can_start_the_cell():
    """A formula start inside the joined sources (a later URL) is not at the cell's start."""
    row = cells(replace(DECIDED, final_sources=("https://a.example", "=1+1")))
    assert row["final_sources"] == "https://a.example =1+1"


def test_commas_quotes_and_line_breaks_are_quoted():
    nasty_text = 'He said "no", then left;\r\nnew line'
    nasty_rationale = "First, the release.\nSecond, \"the\" table,\r\nthird."
    record = replace(DECIDED, claim_text=nasty_text, rationale=nasty_rationale,
                     article_title="a,b")
    text = "".join(iter_claim_csv([record]))
    assert text.split("\r\n", 1)[0] == ",".join(CLAIM_COLUMNS)
    assert '"He said ""no"", then left;' in text
    assert text.endswith("\r\n")
    rows = parse_csv(text)
    assert len(rows) == 2
    parsed = dict(zip(CLAIM_COLUMNS, rows[1], strict=True))
    assert (parsed["claim_text"], parsed["rationale"], parsed["article_title"]) == (
        nasty_text, nasty_rationale, "a,b")


def test_header_only_without_records():
    assert "".join(iter_claim_csv([])) == ",".join(CLAIM_COLUMNS) + "\r\n"
