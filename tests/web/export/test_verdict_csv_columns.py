"""The verdict CSV's last three columns: whether a verdict must be re-checked after a
boundary change, and the offsets of the claim it now stands on."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from annotator_testkit.confirm import confirmed
from annotator_testkit.web import save

from annotator.extensions import db
from annotator.models import Claim, Verdict
from annotator.text.csv_rows import COLUMNS

# The columns the export had before these three: their order must never change.
EARLIER_COLUMNS = (
    "article_id", "article_title", "article_date", "claim_id", "claim_position", "claim_text",
    "verdict", "source_note", "source_url", "reviewer", "moderation_state", "moderated_by",
    "moderation_reason", "created_at", "updated_at",
)


def _rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


def _offsets(app, claim_id: int) -> tuple[str, str]:
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        return str(claim.start), str(claim.end)


def test_new_columns_come_after_the_earlier_ones_in_their_order(admin_client):
    assert (*EARLIER_COLUMNS, "needs_recheck", "claim_start", "claim_end") == COLUMNS
    header = admin_client.get("/export/verdicts.csv").get_data(as_text=True)
    assert header == ",".join(COLUMNS) + "\r\n"


def test_offsets_are_the_claims_and_a_fresh_verdict_needs_no_recheck(
    app, admin_client, reviewer_client, claims
):
    save(reviewer_client, claims[0], "supported", expect=302)
    save(reviewer_client, claims[2], "disputed", expect=302)
    rows = _rows(admin_client.get("/export/verdicts.csv"))
    assert [(r["claim_id"], r["needs_recheck"], r["claim_start"], r["claim_end"])
            for r in rows] == [
        (str(claims[0]), "false", *_offsets(app, claims[0])),
        (str(claims[2]), "false", *_offsets(app, claims[2])),
    ]
    # The offsets cut the claim's text out of the article.
    with app.app_context():
        claim = db.session.get(Claim, claims[0])
        start, end = int(rows[0]["claim_start"]), int(rows[0]["claim_end"])
        assert claim.article.body[start:end] == rows[0]["claim_text"] == claim.text


def test_a_merge_marks_the_verdicts_and_the_row_carries_the_merged_offsets(
    app, admin_client, reviewer_client, reviewer2_client, claims, article
):
    save(reviewer_client, claims[0], "supported", note="ON-THE-FIRST", expect=302)
    save(reviewer2_client, claims[1], "disputed", note="ON-THE-SECOND", expect=302)
    save(reviewer_client, claims[2], "unclear", note="UNTOUCHED", expect=302)
    merged = admin_client.post(f"/admin/claims/{claims[0]}/merge", data=confirmed({"version": "1"}))
    assert merged.status_code == 302

    rows = {r["source_note"]: r for r in _rows(admin_client.get("/export/verdicts.csv"))}
    with app.app_context():
        live = db.session.scalars(sa.select(Claim).where(
            Claim.article_id == article, Claim.retired_at.is_(None))
            .order_by(Claim.position)).all()
        joined = live[0]
        expected = (str(joined.id), "true", str(joined.start), str(joined.end), joined.text)
    for note in ("ON-THE-FIRST", "ON-THE-SECOND"):
        row = rows[note]
        assert (row["claim_id"], row["needs_recheck"], row["claim_start"], row["claim_end"],
                row["claim_text"]) == expected, note
    assert rows["UNTOUCHED"]["needs_recheck"] == "false"

    # Saving the verdict again (even unchanged) is the re-check: the column follows.
    with app.app_context():
        version = db.session.scalar(sa.select(Verdict.version).where(
            Verdict.source_note == "ON-THE-FIRST"))
    save(reviewer_client, joined.id, "supported", note="ON-THE-FIRST", version=str(version),
         expect=302)
    rows = {r["source_note"]: r for r in _rows(admin_client.get("/export/verdicts.csv"))}
    assert rows["ON-THE-FIRST"]["needs_recheck"] == "false"
    assert rows["ON-THE-SECOND"]["needs_recheck"] == "true"


@pytest.mark.parametrize("who", ["reviewer", "admin"])
def test_reviewers_own_export_has_the_same_columns(who, reviewer_client, admin_client, claims):
    save(reviewer_client, claims[0], "supported", expect=302)
    client = reviewer_client if who == "reviewer" else admin_client
    text = client.get("/export/verdicts.csv").get_data(as_text=True)
    assert text.split("\r\n", 1)[0] == ",".join(COLUMNS)
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    assert row["needs_recheck"] == "false" and int(row["claim_end"]) > int(row["claim_start"])
