"""The per-claim CSV download: admins only, one row per live claim with its verdict
counts, its state by ``claim_states.claim_state`` and the desk's final verdict."""

from __future__ import annotations

import csv
import io

import pytest
from annotator_testkit.claim_export import claims_in_every_state
from annotator_testkit.constants import SECOND_ARTICLE
from annotator_testkit.rows import snapshot
from annotator_testkit.team import decide, judge

from annotator.models import LABELS
from annotator.text.csv_rows import CLAIM_COLUMNS
from annotator.web.export.routes import ROWS_HEADER

EXPECTED_COLUMNS = (
    "article_id", "article_title", "article_date", "claim_id", "claim_position",
    "claim_start", "claim_end", "claim_text", "verdicts", "supported", "disputed", "unclear",
    "agreement_state", "final_verdict", "rationale", "final_sources", "decided_by",
    "decided_at", "needs_recheck",
)


@pytest.fixture
def desk(app, make_article, admin_id, reviewer_id, reviewer2_id):
    return claims_in_every_state(app, make_article, admin_id, reviewer_id, reviewer2_id)


def table(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))


def test_the_columns_are_the_documented_ones_and_the_labels_are_the_models():
    assert CLAIM_COLUMNS == EXPECTED_COLUMNS
    assert CLAIM_COLUMNS[9:12] == LABELS


def test_one_row_per_live_claim_with_counts_state_and_decision(admin_client, desk):
    response = admin_client.get("/export/claims.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="claims-')
    assert response.headers["Cache-Control"] == "no-store"
    assert response.is_streamed
    header, *rows = table(response)
    assert tuple(header) == EXPECTED_COLUMNS
    assert response.get_data(as_text=True).startswith(",".join(EXPECTED_COLUMNS) + "\r\n")
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    assert response.headers[ROWS_HEADER] == str(len(rows)) == "7"
    # Hidden and retired claims are left out; the rest in article and claim order.
    ids = [int(c["claim_id"]) for c in cells]
    assert desk.hidden_claim not in ids and desk.retired_claim not in ids
    assert [(c["article_id"], c["claim_position"]) for c in cells] == [
        (str(desk.plan), "1"), (str(desk.plan), "2"), (str(desk.plan), "3"),
        (str(desk.plan), "4"), (str(desk.budget), "1"), (str(desk.budget), "2"),
        (str(desk.budget), "3"),
    ]
    for got, expected in zip(cells, desk.expected, strict=True):
        assert {column: got[column] for column in expected} == expected, got


def test_a_decided_claim_carries_its_decision(admin_client, desk):
    rows = {int(r["claim_id"]): r for r in csv.DictReader(
        io.StringIO(admin_client.get("/export/claims.csv").get_data(as_text=True), newline=""))}
    decided = rows[int(desk.expected[2]["claim_id"])]
    assert decided["decided_by"] == "editor"
    assert decided["decided_at"].endswith("Z") and "T" in decided["decided_at"]
    assert decided["article_title"].startswith("Officials said the plan")
    assert decided["article_date"] == ""
    # The offsets are the claim's span of the article's text.
    assert (decided["claim_start"], decided["claim_end"]) == ("84", "146")
    assert decided["claim_text"] == "The minister replied on Monday, saying the figures were sound."
    undecided = rows[int(desk.expected[1]["claim_id"])]
    assert [undecided[c] for c in ("final_verdict", "rationale", "final_sources",
                                   "decided_by", "decided_at")] == [""] * 5


def test_a_decision_after_a_boundary_change_is_decided_again(app, admin_client, admin_id, desk):
    merged = int(desk.expected[3]["claim_id"])
    decide(app, merged, admin_id, "supported")
    rows = {int(r["claim_id"]): r for r in csv.DictReader(
        io.StringIO(admin_client.get("/export/claims.csv").get_data(as_text=True), newline=""))}
    assert rows[merged]["agreement_state"] == "decided"
    assert rows[merged]["final_verdict"] == "supported"
    # Alice's verdict on the merged claim still awaits her re-check.
    assert rows[merged]["needs_recheck"] == "true"


def test_reviews_per_claim_decides_when_a_claim_is_unanimous(make_app, client_for, make_article,
                                                              admin_id, reviewer_id,
                                                              reviewer2_id):
    app = make_app(REVIEWS_PER_CLAIM=3)
    desk = claims_in_every_state(app, make_article, admin_id, reviewer_id, reviewer2_id)
    response = client_for("editor", on=app).get("/export/claims.csv")
    rows = {int(r["claim_id"]): r for r in csv.DictReader(
        io.StringIO(response.get_data(as_text=True), newline=""))}
    # Two agreeing verdicts of the three needed.
    assert rows[int(desk.expected[1]["claim_id"])]["agreement_state"] == "waiting"


def test_an_empty_desk_gives_the_header_only(admin_client):
    response = admin_client.get("/export/claims.csv")
    assert response.headers[ROWS_HEADER] == "0"
    assert response.get_data(as_text=True) == ",".join(EXPECTED_COLUMNS) + "\r\n"


def test_reviewers_are_refused_and_do_not_see_the_link(app, reviewer_client, admin_client, desk):
    before = snapshot(app)
    response = reviewer_client.get("/export/claims.csv")
    assert response.status_code == 403
    assert b"agreement_state" not in response.data
    assert snapshot(app) == before
    page = reviewer_client.get("/export/").get_data(as_text=True)
    assert "/export/claims.csv" not in page and "/export/verdicts.csv" in page
    admin_page = admin_client.get("/export/").get_data(as_text=True)
    assert "/export/claims.csv" in admin_page
    assert "agreement_state" in admin_page and "to re-check" in admin_page


def test_anonymous_visitors_are_sent_to_login(client, admin_id):
    response = client.get("/export/claims.csv")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_download_costs_the_same_statements_however_many_claims(
        app, admin_client, desk, make_article, claim_ids, reviewer_id, count_queries):
    """Counts come from one grouped statement, not a query per claim."""
    with count_queries() as few:
        assert admin_client.get("/export/claims.csv").status_code == 200
    more = make_article(SECOND_ARTICLE, "second.txt")
    judge(app, claim_ids(more)[0], reviewer_id, "supported")
    with count_queries() as many:
        response = admin_client.get("/export/claims.csv")
        assert response.headers[ROWS_HEADER] == "9"
        response.get_data()
    assert many.count == few.count
