"""Logging in and out, the first-start setup, and the login gate in front of every page."""

import hmac

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user

bp = Blueprint("auth", __name__)

# Everything else needs a logged-in, active account.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "auth.setup", "static"})
# All an account whose password an admin reset may reach until it has chosen a new one.
NEW_PASSWORD_ENDPOINTS = frozenset({"auth.change_password", "auth.logout", "static"})
NEW_PASSWORD_NEEDED = ("An admin reset your password. Choose a new one to go on: type the "
                       "temporary password as the current one.")


def configure_login(login_manager: LoginManager) -> None:
    """Tell Flask-Login how to load users and where to send anonymous visitors."""
    from annotator.extensions import db
    from annotator.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str):
        # A deactivated account, or one whose sessions were ended, is logged out here.
        user_id, _, token = session_id.partition(":")
        try:
            user = db.session.get(User, int(user_id))
        except ValueError:
            return None
        if user is None or not user.is_active or not hmac.compare_digest(
            user.session_token, token
        ):
            return None
        return user


def start_session(user) -> None:
    """Log ``user`` in on a new, empty session.

    Whatever the browser's session held before is dropped, above all Flask-WTF's CSRF
    secret (``session["csrf_token"]``): a token fetched anonymously, or by the account that
    used this browser before, is refused from now on, and a session prepared by someone
    else (session fixation) gains nothing.
    """
    session.clear()
    login_user(user)


def end_session(user) -> None:
    """Log ``user`` out for good: a copy of the session cookie taken before is refused too.

    The session lives in a signed cookie, so forgetting it here is not enough: the
    account's session token, part of the id the cookie carries (``User.get_id``), is
    replaced, which ends every session of the account, in every browser, at its next
    request (Flask-Login's remember cookie carries the same id). The caller commits.
    """
    user.end_sessions()
    logout_user()
    session.clear()


def _setup_done() -> bool:
    """True once an account exists; remembered per process because it never turns false."""
    from annotator.services.accounts import any_user_exists

    if not current_app.extensions.get("annotator.setup_done"):
        current_app.extensions["annotator.setup_done"] = any_user_exists()
    return current_app.extensions["annotator.setup_done"]


@bp.before_app_request
def require_login():
    """Send the first visitor to setup, and everyone not logged in to the login page."""
    if request.endpoint in ("static",):
        return None
    if not _setup_done():
        if request.endpoint != "auth.setup":
            return redirect(url_for("auth.setup"))
        return None
    if current_user.is_authenticated:
        return _require_new_password()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return current_app.login_manager.unauthorized()


def _require_new_password():
    """Keep an account with a temporary password on the Password page until it has chosen
    its own: the temporary one was seen by the admin who reset it. (The page itself says
    why, ``NEW_PASSWORD_NEEDED``.)"""
    if not current_user.must_change_password or request.endpoint in NEW_PASSWORD_ENDPOINTS:
        return None
    return redirect(url_for("auth.change_password"))


from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
