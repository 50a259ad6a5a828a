"""Rate limits on the password forms (login, setup, password change), with Flask-Limiter."""

import time

from flask import Response, current_app, request
from flask_login import current_user

# Only refused attempts count (a wrong password, a wrong current password, a refused setup
# form): people who type their password right are never slowed down, and an answer of 429
# does not count either, so hammering a locked name cannot extend its lock beyond the
# window in which the failures happened.

LIMITER_KEY = "annotator.limiter"

# (endpoint, setting with the limits, what the limits are counted per)
LIMITED_ENDPOINTS = (
    ("auth.login", "LOGIN_LIMITS_PER_ADDRESS", "address"),
    ("auth.login", "LOGIN_LIMITS_PER_USERNAME", "username"),
    ("auth.setup", "SETUP_LIMITS_PER_ADDRESS", "address"),
    ("auth.change_password", "PASSWORD_CHANGE_LIMITS_PER_ACCOUNT", "account"),
)


def _address_key() -> str:
    # ``remote_addr`` is the proxy's address unless PROXY_HOPS lets ProxyFix replace it.
    return f"address:{request.remote_addr or 'unknown'}"


def _username_key() -> str:
    from annotator.services.accounts import username_key

    # Cut to the longest username: a huge field must not become a huge storage key.
    return "username:" + username_key(request.form.get("username", ""))[:40]


def _account_key() -> str:
    return f"account:{current_user.get_id() if current_user.is_authenticated else '-'}"


KEY_FUNCTIONS = {"address": _address_key, "username": _username_key, "account": _account_key}


def _refused(response: Response) -> bool:
    """A form sent back with errors counts; a success (redirect) or a 429 does not."""
    return not (300 <= response.status_code < 400 or response.status_code == 429)


def configure_rate_limits(app) -> None:
    """Limit the password forms of ``app`` with its own Flask-Limiter instance.

    Flask-Limiter keeps its storage and switches on the instance, so one instance serves one
    app; a module-level one would be shared by every app a process builds (the tests build
    hundreds). The counts live in ``RATELIMIT_STORAGE_URI``: ``memory://`` counts per
    process, a ``redis://`` server lets several app servers share them.
    """
    from flask_limiter import Limiter

    limiter = Limiter(key_func=_address_key, app=app)
    app.extensions[LIMITER_KEY] = limiter
    for endpoint, setting, per in LIMITED_ENDPOINTS:
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(
            app.config[setting], key_func=KEY_FUNCTIONS[per], methods=["POST"],
            deduct_when=_refused, scope=f"{endpoint}:{per}",
        )(view)


def retry_after_seconds() -> int:
    """Seconds until the limit the current request broke lets a new attempt through."""
    limiter = current_app.extensions.get(LIMITER_KEY)
    limit = limiter.current_limit if limiter is not None else None
    if limit is None:
        return 60
    return max(1, int(limit.reset_at - time.time()))
