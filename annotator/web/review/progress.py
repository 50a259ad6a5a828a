"""The team's Progress page: what is left to review and decide, and each reviewer's figures."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from annotator.services import progress as team_progress
from annotator.web.guards import cursor_args
from annotator.web.review import bp


@bp.route("/progress")
def progress():
    """Per article (newest first, paged by key) and for the whole team: claims, verdicts
    still needed, decisions. Per reviewer: verdicts, moderation, agreement with the final
    verdicts; an admin sees everyone, a reviewer only their own row."""
    page = team_progress.progress_page(
        current_user, **cursor_args(team_progress.PROGRESS_CURSOR),
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template("review/progress.html", progress=page)
