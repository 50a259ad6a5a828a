"""Desk-wide settings an admin chooses in the app: the order of the review queue."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice

from annotator.extensions import db
from annotator.services import queue_order
from annotator.web.admin import bp


class QueueOrderForm(FlaskForm):
    # The service checks the value (one rule, one message), so the field does not.
    queue_order = RadioField(
        "Order of the review queue", validate_choice=False,
        choices=[SelectChoice(value, label) for value, label in queue_order.QUEUE_ORDERS.items()],
    )
    submit = SubmitField("Save")


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Show the desk's settings; POST changes the queue order (audited)."""
    form = QueueOrderForm()
    if not form.is_submitted():
        form.queue_order.data = queue_order.current_queue_order()
        return _render(form)
    if not form.validate():
        return _render(form, 422)
    try:
        changed = queue_order.set_queue_order(form.queue_order.data, current_user)
        db.session.commit()
    except queue_order.UnknownQueueOrder as error:
        db.session.rollback()
        form.queue_order.errors = [*form.queue_order.errors, str(error)]
        return _render(form, 422)
    label = queue_order.QUEUE_ORDERS[form.queue_order.data]
    flash(f"The review queue now serves: {label}." if changed
          else f"The review queue already served: {label}; nothing changed.",
          "success" if changed else "info")
    return redirect(url_for("admin.settings"))


def _render(form: QueueOrderForm, status: int = 200):
    return render_template("admin/settings.html", form=form,
                           current=queue_order.current_queue_order()), status
