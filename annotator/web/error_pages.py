"""Error pages that say what happened and that nothing was changed."""

from __future__ import annotations

import datetime as dt

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from annotator.extensions import db
from annotator.text.article_file import human_size
from annotator.text.timestamps import utcnow
from annotator.web.rate_limits import retry_after_seconds

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have access to this page.",
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
    413: "The upload is too large.",
    429: "Too many attempts.",
    500: "Something went wrong on our side. Nothing was saved; please try again.",
}


def _wants_json() -> bool:
    """Scripts that ask for JSON get JSON; browsers (and */*) get a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


# Text people type at length; if their form is refused, the error page gives it back.
KEPT_FIELDS = {"source_note": "Your source note", "source_url": "Your source URL",
               "reason": "Your reason"}


def render_error(code: int, message: str, kept: dict[str, str] | None = None, **extra):
    if _wants_json():
        return {"error": message, "status": code, **extra}, code
    return render_template("errors/error.html", code=code, message=message,
                           kept=kept or {}, **extra), code


def register(app: Flask) -> None:
    """Attach the handlers to ``app``."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        # Only for someone logged in: an anonymous cross-site post must not be able to
        # put its own text on our pages.
        kept = {label: request.form[name] for name, label in KEPT_FIELDS.items()
                if current_user.is_authenticated and request.form.get(name, "").strip()}
        return render_error(
            400,
            "This form was not accepted: its security token is missing or expired "
            f"({error.description}). Nothing was changed. Go back, reload the page and try again.",
            kept,
        )

    @app.errorhandler(413)
    def too_large(_error):
        limit = human_size(app.config["MAX_CONTENT_LENGTH"])
        return render_error(413, f"The upload is larger than the {limit} limit. Nothing was saved.")

    @app.errorhandler(429)
    def too_many_attempts(_error):
        db.session.rollback()
        seconds = retry_after_seconds()
        # Guessing must show in the log, where operators look for it.
        app.logger.warning("Rate limit: refused %s %s from %s for %d s", request.method,
                           request.path, request.remote_addr, seconds)
        at = (utcnow() + dt.timedelta(seconds=seconds)).strftime("%H:%M:%S")
        wait = f"{seconds} seconds" if seconds < 120 else f"{-(-seconds // 60)} minutes"
        body, code = render_error(
            429,
            f"Too many refused attempts. Nothing was changed. Please wait {wait} "
            f"(until {at} UTC) and try again.",
            retry_after=seconds,
        )
        return body, code, {"Retry-After": str(seconds)}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        return render_error(code, MESSAGES.get(code, error.description or "Error."))

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        if app.debug:
            raise error  # the developer wants the debugger, not a friendly page
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500, MESSAGES[500])
