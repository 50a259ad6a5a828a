"""Resetting a reviewer's forgotten password from the Users page (admins).

The admin gets a temporary password, shown once on the answer to the confirmed POST and
kept nowhere else (not in the audit log, not in a flash message that would travel in the
session cookie); the account must replace it at its next login.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from annotator.extensions import db
from annotator.models import User
from annotator.services import accounts
from annotator.web.admin import bp, confirmation
from annotator.web.admin.forms import ActionForm


def _resetting(user: User) -> confirmation.Confirmation:
    return confirmation.Confirmation(
        f"Reset {user.username}'s password?",
        (f"{user.username}'s password stops working now, and every open session of the "
         "account is logged out.",
         "The next page shows a temporary password once: give it to them privately. At "
         "their next login they must choose a new password before anything else.",
         "Nothing else changes: their verdicts and role stay."),
        f"Yes, reset {user.username}'s password", url_for("admin.users"),
    )


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def reset_password(user_id: int):
    """Give an account a temporary password it must change at its next login."""
    user = db.get_or_404(User, user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if user.id != current_user.id and user.is_active and not confirmation.is_confirmed(form):
        return confirmation.ask(_resetting(user))
    try:
        password = accounts.reset_to_temporary_password(user, current_user)
        db.session.commit()
    except accounts.AccountError as error:
        db.session.rollback()
        flash(f"{error} Nothing was changed.", "error")
        return redirect(url_for("admin.users"))
    # No redirect: the password must not be stored anywhere to show it after one.
    return render_template("admin/password_reset.html", user=user, password=password)
