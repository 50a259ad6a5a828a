"""The CSV download in the web UI: who gets which rows, the headers, streaming."""

from __future__ import annotations

import csv
import io

from annotator_testkit.web import verdict_form

from annotator.text.csv_rows import COLUMNS


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


def test_admin_gets_every_verdict_reviewer_only_theirs(
    admin_client, reviewer_client, three_verdicts
):
    three_verdicts("a", "b", "c")

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


def test_reviewer_csv_holds_only_own_verdicts_admin_csv_holds_all(
    app, make_article, claim_ids, admin_client, reviewer_client, reviewer2_client
):
    claim = claim_ids(make_article())[0]
    reviewer_client.post(f"/claims/{claim}", data=verdict_form(note="ALICE-NOTE"))
    reviewer2_client.post(f"/claims/{claim}", data=verdict_form(note="BOB-NOTE"))
    mine = reviewer_client.get("/export/verdicts.csv")
    assert mine.status_code == 200 and mine.mimetype == "text/csv"
    assert b"ALICE-NOTE" in mine.data and b"BOB-NOTE" not in mine.data
    everything = admin_client.get("/export/verdicts.csv").data
    assert b"ALICE-NOTE" in everything and b"BOB-NOTE" in everything
