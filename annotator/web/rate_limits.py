"""Rate limits on the password forms (login, setup, password change).

Only refused attempts count (a wrong password, a wrong current password, a refused setup
form): people who type their password right are never slowed down, and an answer of 429
does not count either, so hammering a locked name cannot extend its lock beyond the window
in which the failures happened.

Each POST first takes its attempt from the counts in the database
(``services.login_limits``), in one atomic step that all workers and all app servers on
the database share, and only then runs the view: beyond the limit the answer is 429 before
any password hash is computed. The view's success gives the attempt back.
"""

from __future__ import annotations

import functools
import time

from flask import Response, abort, current_app, g, request
from flask_login import current_user

from annotator.extensions import db
from annotator.services import login_limits

# endpoint -> ((setting with the limits, what the limits are counted per), ...)
LIMITED_ENDPOINTS = {
    "auth.login": (("LOGIN_LIMITS_PER_ADDRESS", "address"),
                   ("LOGIN_LIMITS_PER_USERNAME", "username")),
    "auth.setup": (("SETUP_LIMITS_PER_ADDRESS", "address"),),
    "auth.change_password": (("PASSWORD_CHANGE_LIMITS_PER_ACCOUNT", "account"),),
}


def _address_key() -> str:
    # ``remote_addr`` is the proxy's address unless PROXY_HOPS lets ProxyFix replace it.
    return request.remote_addr or "unknown"


def _username_key() -> str:
    from annotator.services.accounts import username_key

    # Cut to the longest username: a huge field must not become a huge storage key.
    return username_key(request.form.get("username", ""))[:40]


def _account_key() -> str:
    return current_user.get_id() if current_user.is_authenticated else "-"


KEY_FUNCTIONS = {"address": _address_key, "username": _username_key, "account": _account_key}


def _refused(response: Response) -> bool:
    """A form sent back with errors counts; a success (redirect) does not."""
    return not 300 <= response.status_code < 400


def clock() -> float:
    """Seconds since the epoch, as the limits count them (the tests pin it)."""
    return time.time()


def _limited(view, endpoint: str, rules):
    """``view`` behind the limits of ``rules`` on POST."""

    @functools.wraps(view)
    def limited_view(*args, **kwargs):
        if request.method != "POST" or not current_app.config["RATELIMIT_ENABLED"]:
            return view(*args, **kwargs)
        keys = [
            (f"{endpoint}:{per}:{KEY_FUNCTIONS[per]()}",
             login_limits.parse_limits(current_app.config[setting]))
            for setting, per in rules
        ]
        try:
            taken = login_limits.take(keys, clock())
        except login_limits.TooManyAttempts as refused:
            db.session.rollback()
            g.retry_after = refused.retry_after
            abort(429)
        db.session.commit()  # counted for every worker before the password is checked
        response = current_app.make_response(view(*args, **kwargs))
        if not _refused(response):
            login_limits.refund(taken)
            db.session.commit()
        return response

    return limited_view


def configure_rate_limits(app) -> None:
    """Put the password forms of ``app`` behind their limits (read from the settings at
    each request, so tests and operators can change them)."""
    for endpoint, rules in LIMITED_ENDPOINTS.items():
        app.view_functions[endpoint] = _limited(app.view_functions[endpoint], endpoint, rules)


def retry_after_seconds() -> int:
    """Seconds until the limit the current request broke lets a new attempt through."""
    return int(g.get("retry_after", 60))
