"""Error pages that say what happened and that nothing was changed."""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from annotator.extensions import db
from annotator.text.sizes import human_size
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


def kept_text() -> dict[str, str]:
    """The long text a logged-in user posted, to give back on an error page (an anonymous
    cross-site post must not put its text there)."""
    if request.method != "POST" or not current_user.is_authenticated:
        return {}
    return {label: request.form[name] for name, label in KEPT_FIELDS.items()
            if request.form.get(name, "").strip()}


def csrf_error(error: CSRFError):
    """A form without a valid token: nothing changed; a logged-in user's long text is
    given back on the page (an anonymous cross-site post must not put its text there)."""
    db.session.rollback()
    return render_error(
        400,
        "This form was not accepted: its security token is missing or expired "
        f"({error.description}). Nothing was changed. Go back, reload the page and try again.",
        kept_text(),
    )


def too_large(_error):
    """An upload over MAX_CONTENT_LENGTH, or with more parts (files and fields) than
    MAX_FORM_PARTS: each says its own cause, since the cure differs."""
    config = current_app.config
    if (request.content_length or 0) <= config["MAX_CONTENT_LENGTH"]:
        return render_error(
            413, f"The upload holds more than {config['MAX_FORM_PARTS']:,} files and fields "
            "in one form. Nothing was saved; send the files in several smaller batches.")
    limit = human_size(config["MAX_CONTENT_LENGTH"])
    return render_error(413, f"The upload is larger than the {limit} limit. Nothing was saved.")


def too_many_attempts(_error):
    """A rate limit was hit: say how long to wait, and log it where operators look."""
    db.session.rollback()
    seconds = retry_after_seconds()
    current_app.logger.warning("Rate limit: refused %s %s from %s for %d s", request.method,
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


def http_error(error: HTTPException):
    """Every other HTTP error, with our wording."""
    code = error.code or 500
    return render_error(code, MESSAGES.get(code, error.description or "Error."))


def server_error(error: Exception):
    """An unexpected error: roll back, log it, and show a page without a traceback."""
    db.session.rollback()
    if current_app.debug:
        raise error  # the developer wants the debugger, not a friendly page
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    # A save that failed for a server reason (a locked database, a full disk) gives the
    # typed note back, so the reviewer can try again without retyping it.
    return render_error(500, MESSAGES[500], kept_text())


def register(app: Flask) -> None:
    """Attach the handlers to ``app``."""
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(413, too_large)
    app.register_error_handler(429, too_many_attempts)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, server_error)
