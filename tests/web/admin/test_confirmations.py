"""Hide, unhide, split, merge, re-split and deactivate ask first, without JavaScript: the
first POST (the page's button) answers with a confirmation page and changes nothing; its
"Yes, ..." form posts the same fields with confirm=yes, and that does the action."""

from __future__ import annotations

import pytest
from annotator_testkit.confirm import say_yes
from annotator_testkit.forms import form_for
from annotator_testkit.rows import audit_events, snapshot

from annotator.web.admin.confirmation import CONFIRMED


def actions(claims, article, reviewer_id):
    """(name, url, first step's form, button text, audit action) of each confirmed action."""
    return {
        "hide": (f"/admin/claims/{claims[0]}/hide", {}, "Yes, hide the claim", "claim.hide"),
        "split": (f"/admin/claims/{claims[1]}/split", {"at": "9", "version": "1"},
                  "Yes, split the claim", "claim.split"),
        "merge": (f"/admin/claims/{claims[0]}/merge", {"version": "1"},
                  "Yes, merge the claims", "claim.merge"),
        "resplit": (f"/admin/articles/{article}/resplit", {"version": "1"},
                    "Yes, re-split the article", "article.resplit"),
        "deactivate": (f"/admin/users/{reviewer_id}/deactivate", {},
                       "Yes, deactivate alice", "user.deactivate"),
    }


@pytest.mark.parametrize("name", ["hide", "split", "merge", "resplit", "deactivate"])
def test_the_first_step_asks_and_changes_nothing(
    app, claims, article, reviewer_id, admin_client, name
):
    url, data, button, action = actions(claims, article, reviewer_id)[name]
    before = snapshot(app)
    first = admin_client.post(url, data=data)
    assert first.status_code == 200
    assert snapshot(app) == before
    html = first.get_data(as_text=True)
    assert button in html and "Cancel, change nothing" in html
    # The "Yes" form posts back to the same address with the same fields, plus confirm=yes.
    values = form_for(html, url).hidden()
    assert values["confirm"] == CONFIRMED
    assert {key: values[key] for key in data} == data

    events = audit_events(app)
    second = say_yes(admin_client, url, first)
    assert second.status_code == 302, second.get_data(as_text=True)
    assert [e[0] for e in audit_events(app)][len(events):] == [action]


def test_unhide_asks_too(app, claims, admin_client, hide_claim):
    hide_claim(claims[0])
    before = snapshot(app)
    first = admin_client.post(f"/admin/claims/{claims[0]}/unhide")
    assert first.status_code == 200 and "Yes, unhide the claim" in first.get_data(as_text=True)
    assert snapshot(app) == before
    assert say_yes(admin_client, f"/admin/claims/{claims[0]}/unhide", first).status_code == 302
    assert snapshot(app) != before


def test_a_stale_boundary_form_is_refused_before_asking(app, claims, admin_client):
    """A form loaded before another change is refused at once, not after a confirmation."""
    before = snapshot(app)
    response = admin_client.post(f"/admin/claims/{claims[0]}/merge", data={"version": "7"})
    assert response.status_code == 409
    assert "changed since you loaded the page" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_a_bad_form_is_refused_before_asking(app, claims, admin_client):
    before = snapshot(app)
    response = admin_client.post(f"/admin/claims/{claims[1]}/split", data={"version": "1"})
    assert response.status_code == 422
    assert "Yes, split" not in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_activating_an_account_does_not_ask(app, reviewer_id, admin_client):
    """Letting someone back in destroys nothing: one click, as before."""
    admin_client.post(f"/admin/users/{reviewer_id}/deactivate", data={"confirm": CONFIRMED})
    response = admin_client.post(f"/admin/users/{reviewer_id}/activate")
    assert response.status_code == 302
    assert "alice is now active" in admin_client.get("/admin/users").get_data(as_text=True)
