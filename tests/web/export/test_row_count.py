"""A download that was cut off can never look complete: ``X-Export-Rows`` says, before the
first byte of the body, how many data rows the CSV holds, counted in the same snapshot
as the rows it reads; the body has no Content-Length, so servers send it chunked and its end
only after the last row."""

from __future__ import annotations

import csv
import io

from annotator.web.export.routes import ROWS_HEADER


def _data_rows(body: str) -> int:
    return len(list(csv.DictReader(io.StringIO(body, newline=""))))


def test_the_row_count_header_matches_the_rows(admin_client, reviewer_client, three_verdicts):
    three_verdicts("A note\non two lines, \"quoted\".", "b", "hidden below")
    for client, expected in ((admin_client, 2), (reviewer_client, 1)):
        response = client.get("/export/verdicts.csv")
        assert response.status_code == 200
        assert response.headers[ROWS_HEADER] == str(expected)
        assert "Content-Length" not in response.headers  # streamed: chunked on the wire
        assert _data_rows(response.get_data(as_text=True)) == expected


def test_an_empty_export_says_zero(admin_client):
    response = admin_client.get("/export/verdicts.csv")
    assert response.headers[ROWS_HEADER] == "0"
    assert _data_rows(response.get_data(as_text=True)) == 0


def test_a_copy_cut_short_counts_fewer_rows_than_announced(
    admin_client, reviewer_id, reviewer2_id, claims, make_verdict
):
    for claim in claims:
        make_verdict(claim, reviewer_id, "supported", "x" * 200)
        make_verdict(claim, reviewer2_id, "disputed", "y" * 200)
    response = admin_client.get("/export/verdicts.csv")
    body = response.get_data(as_text=True)
    announced = int(response.headers[ROWS_HEADER])
    assert announced == 6 == _data_rows(body)
    cut = body[: len(body) * 2 // 3]
    assert _data_rows(cut) < announced


def test_a_verdict_saved_while_the_download_runs_does_not_break_the_count(
    admin_client, reviewer_id, reviewer2_id, claims, make_verdict
):
    """The count and the rows come from one read transaction, one snapshot: a save that
    commits after the download started is in neither."""
    make_verdict(claims[0], reviewer_id, "supported", "before")
    response = admin_client.get("/export/verdicts.csv", buffered=False)
    announced = int(response.headers[ROWS_HEADER])
    make_verdict(claims[1], reviewer2_id, "disputed", "during")
    body = b"".join(response.response).decode()
    response.close()
    assert announced == 1 == _data_rows(body)


def test_a_download_gives_its_connection_back_however_it_ends(
        app, admin_client, reviewer_id, claims, make_verdict):
    """The rows come on a connection of their own, opened before the first byte: a
    download read to its end, one dropped after a chunk and one dropped before any must
    each give it back to the pool (on PostgreSQL the rows are a server-side cursor,
    which the request's session would have closed under the stream)."""
    from annotator.extensions import db

    for claim in claims:
        make_verdict(claim, reviewer_id)
    with app.app_context():
        pool = db.engine.pool
    idle = pool.checkedout()
    whole = admin_client.get("/export/verdicts.csv")
    assert _data_rows(whole.get_data(as_text=True)) == 3
    assert pool.checkedout() == idle
    for chunks_read in (1, 0):
        response = admin_client.get("/export/verdicts.csv", buffered=False)
        body = iter(response.response)
        for _ in range(chunks_read):
            assert next(body)
        response.close()
        assert pool.checkedout() == idle
