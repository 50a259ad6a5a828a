"""CSV downloads: verdicts (admins get every verdict, reviewers their own) and the
per-claim summary (admins only)."""

from flask import Response, abort, render_template
from flask_login import current_user

from annotator.services.export import CsvExport, claims_export, verdicts_export
from annotator.text.claim_states import STATE_NAMES
from annotator.text.csv_rows import CLAIM_COLUMNS
from annotator.text.timestamps import utcnow
from annotator.web.export import bp

# Documented in the README ("CSV columns"): how a client checks that it got every row.
ROWS_HEADER = "X-Export-Rows"


@bp.route("/")
def index():
    """What can be downloaded, and what the columns mean."""
    return render_template("export/index.html", claim_columns=CLAIM_COLUMNS,
                           claim_states=STATE_NAMES)


@bp.route("/verdicts.csv")
def verdicts():
    """Stream the verdicts as CSV, row batch by row batch, saying in advance how many."""
    reviewer = None if current_user.is_admin else current_user
    scope = "all" if reviewer is None else current_user.username
    return _download(verdicts_export(reviewer), f"verdicts-{scope}")


@bp.route("/claims.csv")
def claims():
    """Stream one row per live claim. Admins only: its counts and states sum up every
    reviewer's verdicts, which a reviewer may see only claim by claim, after their own."""
    if not current_user.is_admin:
        abort(403)
    return _download(claims_export(), "claims")


def _download(export: CsvExport, name: str) -> Response:
    """The streamed attachment ``<name>-<UTC time>.csv`` with its row count header."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    response = Response(
        export.chunks,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"',
            "Cache-Control": "no-store",
            # Data rows the body will hold (the header row not counted). The body is sent
            # chunked, ending only after the last row; a client that counts fewer rows, or
            # sees no final chunk, holds a copy that was cut off.
            ROWS_HEADER: str(export.rows),
        },
    )
    # The rows come on a connection of their own (see services.export), not the request's
    # session, so the stream needs no request context; it is closed however it ends.
    response.call_on_close(export.close)
    return response
