"""Views: login, logout, first-start setup, changing one's password."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from annotator.extensions import db
from annotator.services import accounts
from annotator.web.auth import (
    NEW_PASSWORD_NEEDED,
    _setup_done,
    bp,
    end_session,
    start_session,
)
from annotator.web.auth.forms import LoginForm, PasswordForm, SetupForm


def safe_next(target: str | None) -> str | None:
    """Accept only a path on this site, so a crafted link cannot send users elsewhere."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("review.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None:
            flash("Unknown username, wrong password, or a deactivated account.", "error")
        else:
            start_session(user)
            return redirect(safe_next(form.next.data) or url_for("review.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (a POST with CSRF, so another site cannot log you out)."""
    # CSRFProtect has already refused this request if its token was missing or wrong.
    if current_user.is_authenticated:
        end_session(current_user._get_current_object())
        db.session.commit()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """Create the first admin account; closed for good once any account exists."""
    if _setup_done():
        return redirect(url_for("auth.login"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_first_admin(form.username.data, form.password.data)
        except accounts.AccountError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error))
        except IntegrityError:
            db.session.rollback()
            form.username.errors.append("Someone has just completed the setup; log in instead.")
        else:
            db.session.commit()
            current_app.extensions["annotator.setup_done"] = True
            start_session(user)
            flash(f"Welcome, {user.username}. Your admin account is ready.", "success")
            return redirect(url_for("review.index"))
    return render_template(
        "auth/setup.html", form=form, min_length=current_app.config["MIN_PASSWORD_LENGTH"]
    )


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Change one's own password; the account's other sessions are logged out. After an
    admin's reset this is the only page the account can open until it is done."""
    form = PasswordForm()
    if request.method == "GET" and current_user.must_change_password:
        flash(NEW_PASSWORD_NEEDED, "info")
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current.data, form.password.data)
        except accounts.AccountError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error))
        else:
            db.session.commit()
            # The session token changed, which ended this session too: start a new one here.
            start_session(user)
            flash("Your password was changed; other sessions were logged out.", "success")
            return redirect(url_for("review.index"))
    return render_template(
        "auth/password.html", form=form, min_length=current_app.config["MIN_PASSWORD_LENGTH"]
    ), (422 if form.errors else 200)
