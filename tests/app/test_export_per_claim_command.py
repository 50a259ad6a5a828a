"""``flask --app annotator export-csv --per-claim``: the per-claim CSV on standard output
(bytes, CRLF row ends) or written to a file beside its target and renamed; the same bytes
as the admins' web download."""

from __future__ import annotations

import csv
import io

import pytest
from annotator_testkit.claim_export import claims_in_every_state

from annotator.text.csv_rows import CLAIM_COLUMNS
from annotator.web.export.routes import ROWS_HEADER


@pytest.fixture
def desk(app, make_article, admin_id, reviewer_id, reviewer2_id):
    return claims_in_every_state(app, make_article, admin_id, reviewer_id, reviewer2_id)


def per_claim_stdout(runner) -> bytes:
    result = runner.invoke(args=["export-csv", "--per-claim"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_standard_output_holds_the_same_rows_as_the_web_download(runner, admin_client, desk):
    printed = per_claim_stdout(runner)
    download = admin_client.get("/export/claims.csv")
    assert printed == download.data
    rows = list(csv.reader(io.StringIO(printed.decode("utf-8"), newline="")))
    assert tuple(rows[0]) == CLAIM_COLUMNS
    assert [r[3] for r in rows[1:]] == [e["claim_id"] for e in desk.expected]
    assert len(rows) - 1 == int(download.headers[ROWS_HEADER])
    assert printed.count(b"\r\n") >= len(rows)  # RFC 4180 row ends reach the pipe


def test_output_file_is_written_beside_and_renamed(runner, desk, tmp_path):
    target = tmp_path / "claims.csv"
    result = runner.invoke(args=["export-csv", "--per-claim", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == per_claim_stdout(runner)
    assert not (tmp_path / "claims.csv.partial").exists()
    assert f"({len(desk.expected)} rows)" in result.stderr


def test_without_the_flag_the_export_is_still_one_row_per_verdict(runner, desk):
    header = per_claim_stdout(runner).split(b"\r\n", 1)[0]
    assert header.split(b",")[-1] == b"needs_recheck"
    result = runner.invoke(args=["export-csv"])
    assert result.exit_code == 0
    assert result.stdout_bytes.split(b"\r\n", 1)[0].split(b",")[6] == b"verdict"


def test_an_unwritable_target_is_a_clear_error(runner, desk, tmp_path):
    target = tmp_path / "missing" / "claims.csv"
    result = runner.invoke(args=["export-csv", "--per-claim", "-o", str(target)])
    assert result.exit_code == 1
    assert "Cannot write" in result.output and "No such file or directory" in result.output
    assert "Traceback" not in result.output


def test_no_claims_gives_the_header_only(runner):
    assert per_claim_stdout(runner) == (",".join(CLAIM_COLUMNS) + "\r\n").encode()
