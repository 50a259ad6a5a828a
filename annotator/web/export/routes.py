"""CSV download: admins get every verdict, reviewers their own."""

from flask import Response, render_template, stream_with_context
from flask_login import current_user

from annotator.services.export import verdicts_csv
from annotator.text.timestamps import utcnow
from annotator.web.export import bp


@bp.route("/")
def index():
    """What can be downloaded, and what the columns mean."""
    return render_template("export/index.html")


@bp.route("/verdicts.csv")
def verdicts():
    """Stream the verdicts as CSV, row batch by row batch."""
    reviewer = None if current_user.is_admin else current_user
    scope = "all" if reviewer is None else current_user.username
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    chunks = stream_with_context(verdicts_csv(reviewer))
    return Response(
        chunks,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="verdicts-{scope}-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )
