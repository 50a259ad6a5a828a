"""CSV download: admins get every verdict, reviewers their own."""

from flask import Response, render_template
from flask_login import current_user

from annotator.services.export import verdicts_export
from annotator.text.timestamps import utcnow
from annotator.web.export import bp

# Documented in the README ("CSV columns"): how a client checks that it got every row.
ROWS_HEADER = "X-Export-Rows"


@bp.route("/")
def index():
    """What can be downloaded, and what the columns mean."""
    return render_template("export/index.html")


@bp.route("/verdicts.csv")
def verdicts():
    """Stream the verdicts as CSV, row batch by row batch, saying in advance how many."""
    reviewer = None if current_user.is_admin else current_user
    scope = "all" if reviewer is None else current_user.username
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    export = verdicts_export(reviewer)
    response = Response(
        export.chunks,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="verdicts-{scope}-{stamp}.csv"',
            "Cache-Control": "no-store",
            # Data rows the body will hold (the header row not counted). The body is sent
            # chunked, ending only after the last row; a client that counts fewer rows, or
            # sees no final chunk, holds a copy that was cut off.
            ROWS_HEADER: str(export.rows),
        },
    )
    # The rows come on a connection of their own (see verdicts_export), not the request's
    # session, so the stream needs no request context; it is closed however it ends.
    response.call_on_close(export.close)
    return response
