"""The confirmation step of the admin actions that look destructive (hide, unhide, split,
merge, re-split, deactivate), without JavaScript.

The first POST, from the button on the page, changes nothing: it answers with a page that
says what will happen and a "Yes, ..." button posting the same form again with
``confirm=yes``. Only that second POST does the action. The form is validated (CSRF token
included) at both steps, so a refused form is refused before anyone is asked to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request, url_for

# The value the "Yes, ..." button posts in the form's ``confirm`` field.
CONFIRMED = "yes"
# Fields of the first POST that the confirmation page does not carry over itself.
_NOT_CARRIED = ("csrf_token", "confirm")


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says: a question, what will happen, the button's words."""

    title: str
    consequences: tuple[str, ...]
    button: str
    cancel_url: str
    quote: str | None = None


def is_confirmed(form) -> bool:
    """True when the form came from the confirmation page's "Yes, ..." button."""
    return form.confirm.data == CONFIRMED


def ask(confirmation: Confirmation):
    """The confirmation page for this request's form: status 200, nothing changed."""
    carried = [(name, value) for name, value in request.form.items(multi=True)
               if name not in _NOT_CARRIED]
    action = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
    return render_template(
        "admin/confirm.html", confirmation=confirmation, carried=carried, action=action,
        confirmed=CONFIRMED,
    )


def hiding(claim, hidden: bool) -> Confirmation:
    """Hide or unhide a claim."""
    back = url_for("review.claim", claim_id=claim.id)
    if hidden:
        return Confirmation(
            f"Hide claim {claim.position} as not checkable?",
            ("It leaves every reviewer's queue, the desk and the exports.",
             "Its verdicts are kept; unhiding it brings it back."),
            "Yes, hide the claim", back, claim.text,
        )
    return Confirmation(
        f"Unhide claim {claim.position}?",
        ("It comes back to the reviewers' queues, the desk and the exports.",
         "Its verdicts, kept while it was hidden, count again."),
        "Yes, unhide the claim", back, claim.text,
    )


def splitting(claim, at: int) -> Confirmation:
    """Split a claim at ``at`` code points into its text (Python counts them the same way)."""
    first, second = claim.text[:at].rstrip(), claim.text[at:].lstrip()
    return Confirmation(
        f"Split claim {claim.position} in two?",
        (f"First part: “{first}”", f"Second part: “{second}”",
         "Verdicts stay on the first part and are marked for re-check."),
        "Yes, split the claim", url_for("review.claim", claim_id=claim.id), claim.text,
    )


def merging(claim) -> Confirmation:
    """Merge a claim with the next claim of its article."""
    return Confirmation(
        f"Merge claim {claim.position} with claim {claim.position + 1}?",
        ("The two claims become one; the second is retired (kept, listed on the article page).",
         "Both claims' verdicts go to the merged claim, marked for re-check."),
        "Yes, merge the claims", url_for("review.claim", claim_id=claim.id), claim.text,
    )


def resplitting(article) -> Confirmation:
    """Split an article's text again with the current rules."""
    return Confirmation(
        f"Re-split “{article.title}” with the current rules?",
        ("Claims whose text is unchanged keep their verdicts.",
         "The verdicts of claims that change move to the claim that took over their text "
         "and are marked for re-check; the old claims are retired."),
        "Yes, re-split the article", url_for("review.article", article_id=article.id),
    )


def deactivating(user) -> Confirmation:
    """Stop an account from logging in."""
    return Confirmation(
        f"Deactivate {user.username}'s account?",
        (f"{user.username} can no longer log in, and is logged out everywhere.",
         "Their verdicts stay; activating the account again lets them back in."),
        f"Yes, deactivate {user.username}", url_for("admin.users"),
    )
