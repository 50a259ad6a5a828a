"""Posting an admin action that asks for confirmation first (annotator/web/admin/confirmation.py):
the form as the confirmation page's "Yes, ..." button posts it."""

from __future__ import annotations

from annotator.web.admin.confirmation import CONFIRMED
from annotator_testkit.forms import hidden_inputs


def confirmed(data: dict | None = None) -> dict:
    """``data`` (the first step's form) with the confirmation the second step adds."""
    return {**(data or {}), "confirm": CONFIRMED}


def say_yes(client, url: str, first_step):
    """Post the "Yes, ..." form of the confirmation page ``first_step`` answered with, as a
    browser would: exactly its hidden inputs (its own CSRF token, the carried fields)."""
    assert first_step.status_code == 200, first_step.status_code
    html = first_step.get_data(as_text=True)
    return client.post(url, data=hidden_inputs(html, url))
