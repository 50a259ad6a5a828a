"""The row count a download announces and the rows it streams are two statements, read in
one snapshot: a change committed between them is in neither, so ``X-Export-Rows`` always
counts exactly the rows that follow. (``test_row_count.py`` covers a save made after the
first byte.)"""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from annotator.extensions import db
from annotator.web.export.routes import ROWS_HEADER


def _data_rows(body: str) -> int:
    return len(list(csv.DictReader(io.StringIO(body, newline=""))))


@pytest.fixture
def between_count_and_rows(app):
    """Run ``change`` (once) just before the export's second statement, the one reading
    the rows, is sent: after the count was read, before any row was."""
    def arm(change) -> list[str]:
        sent: list[str] = []

        def before(_conn, _cursor, statement, *_):
            if "ORDER BY article.id" in statement and not sent:
                sent.append(statement)
                change()

        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", before)
        return sent

    return arm


@pytest.mark.parametrize(("url", "before", "after"), [
    # Hiding the first claim takes its verdict out of the verdict export (2 -> 1)...
    ("/export/verdicts.csv", 2, 1),
    # ...and the claim out of the per-claim export (3 -> 2).
    ("/export/claims.csv", 3, 2),
])
def test_a_change_committed_between_the_count_and_the_rows_is_in_neither(
    admin_client, reviewer_id, reviewer2_id, claims, make_verdict, hide_claim,
    between_count_and_rows, url, before, after,
):
    make_verdict(claims[0], reviewer_id, "supported", "first")
    make_verdict(claims[1], reviewer2_id, "disputed", "second")
    sent = between_count_and_rows(lambda: hide_claim(claims[0]))

    response = admin_client.get(url)
    body = response.get_data(as_text=True)

    assert sent, "the change was never made: the rows' statement was not recognised"
    assert int(response.headers[ROWS_HEADER]) == before == _data_rows(body)
    # The change was committed: the next download has neither the row nor its count.
    again = admin_client.get(url)
    assert int(again.headers[ROWS_HEADER]) == after == _data_rows(again.get_data(as_text=True))


def test_the_counts_are_the_rows_for_a_reviewer_and_with_nothing_to_export(
    admin_client, reviewer_client, reviewer_id, reviewer2_id, claims, make_verdict,
):
    """The count is its own statement now: it must choose exactly the rows' verdicts (a
    reviewer's own only, hidden claims left out) and say 0 for an empty export."""
    assert admin_client.get("/export/claims.csv").headers[ROWS_HEADER] == "3"
    for claim in claims:
        make_verdict(claim, reviewer2_id, "unclear", "theirs")
    make_verdict(claims[2], reviewer_id, "supported", "mine")
    mine = reviewer_client.get("/export/verdicts.csv")
    assert mine.headers[ROWS_HEADER] == "1" and _data_rows(mine.get_data(as_text=True)) == 1
    everyone = admin_client.get("/export/verdicts.csv")
    assert everyone.headers[ROWS_HEADER] == "4"
    assert _data_rows(everyone.get_data(as_text=True)) == 4
