"""The CSV download in the web UI: who gets which rows, headers, streaming."""

from __future__ import annotations

import csv
import io

from annotator.extensions import db
from annotator.models import Claim, Verdict
from annotator.text.csv_rows import COLUMNS


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


def test_admin_gets_every_verdict_reviewer_only_theirs(
    app, admin_client, reviewer_client, reviewer_id, reviewer2_id, make_article, claim_ids
):
    first, second, third = claim_ids(make_article())
    with app.app_context():
        db.session.add_all([
            Verdict(claim_id=first, reviewer_id=reviewer_id, label="supported", source_note="a"),
            Verdict(claim_id=second, reviewer_id=reviewer2_id, label="disputed", source_note="b"),
            Verdict(claim_id=third, reviewer_id=reviewer_id, label="unclear", source_note="c"),
        ])
        db.session.get(Claim, third).status = "hidden"
        db.session.commit()

    response = admin_client.get("/export/verdicts.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="verdicts-all-')
    assert response.is_streamed
    header = response.get_data(as_text=True).split("\r\n", 1)[0]
    assert tuple(header.split(",")) == COLUMNS
    rows = _rows(response)
    assert sorted((r["reviewer"], r["verdict"]) for r in rows) == [
        ("alice", "supported"), ("bob", "disputed")
    ]

    mine = _rows(reviewer_client.get("/export/verdicts.csv"))
    assert [(r["reviewer"], r["source_note"]) for r in mine] == [("alice", "a")]


def test_export_page_links_the_download(reviewer_client):
    page = reviewer_client.get("/export/").get_data(as_text=True)
    assert "/export/verdicts.csv" in page
    assert "Your verdicts" in page


def test_anonymous_cannot_download(client, admin_id):
    response = client.get("/export/verdicts.csv")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
