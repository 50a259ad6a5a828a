"""Stale edits: a form loaded before someone else changed the row answers 409, keeps
what was typed, and writes nothing. Verdicts (a reviewer's other tab, an admin's
decision), moderation (a revised verdict, another admin's decision) and claim boundaries.
"""

from __future__ import annotations

import re

from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import PLAN_TEXT
from annotator_testkit.forms import form_version, hidden_inputs
from annotator_testkit.rows import (
    audit_events,
    snapshot,
    the_verdict,
    verdict_moderation,
    verdict_revisions,
    verdict_rows,
)
from annotator_testkit.web import login, moderate, save


def test_stale_version_is_refused_with_409_and_nothing_written(app, claims, reviewer_client):
    save(reviewer_client, claims[0], "supported", "Version one.")
    save(reviewer_client, claims[0], "disputed", "Version two.", version="1")  # other tab
    before = verdict_rows(app), verdict_revisions(app)

    response = save(reviewer_client, claims[0], "unclear", "MY TYPED TEXT", version="1")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "MY TYPED TEXT" in html  # what I typed is still in the form
    assert "Saved version 2" in html and "Version two." in html  # next to what is saved
    assert "changed since you opened this page" in html
    assert form_version(html) == "2"  # resubmitting is now possible, on purpose
    assert (verdict_rows(app), verdict_revisions(app)) == before

    # A "new verdict" form (empty version) or a garbled version cannot overwrite either.
    for version in ("", "abc", "3", "0"):
        response = save(reviewer_client, claims[0], "unclear", "MY TYPED TEXT", version=version)
        assert response.status_code == 409, version
    assert (verdict_rows(app), verdict_revisions(app)) == before

    assert save(reviewer_client, claims[0], "unclear", "MY TYPED TEXT",
                version="2").status_code == 302
    assert the_verdict(app).version == 3


def test_edit_started_before_moderation_is_refused(app, claims, reviewer_client, admin_client):
    save(reviewer_client, claims[0], "supported", "Version one.")
    loaded = form_version(reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True))
    moderate(admin_client, app, the_verdict(app).id, "approve")
    before = verdict_rows(app), verdict_revisions(app)
    response = save(reviewer_client, claims[0], "disputed", "Late edit.", version=loaded)
    assert response.status_code == 409
    assert (verdict_rows(app), verdict_revisions(app)) == before
    assert the_verdict(app).moderation_state == "approved"


def test_moderating_a_changed_verdict_is_refused(
    app, claims, alice_verdict, reviewer_client, admin_client
):
    page = admin_client.get("/admin/moderation").get_data(as_text=True)
    loaded = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert loaded == "1"
    save(reviewer_client, claims[0], "disputed", "ALICE-REVISED", version="1", expect=302)  # now v2

    before_events, before = audit_events(app), verdict_moderation(app, alice_verdict)
    admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={"version": loaded})
    stale = admin_client.post(f"/admin/verdicts/{alice_verdict}/reject",
                              data={"version": loaded, "reason": "Old text."})
    for garbage in ("", "abc", "99"):
        admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={"version": garbage})
    admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={})
    assert verdict_moderation(app, alice_verdict) == before
    assert before[:2] == ("pending", 2)
    assert audit_events(app) == before_events
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "changed this verdict after you loaded the page" in html
    # The reason the admin typed is still in its box, next to the revised text.
    assert "required>Old text.</textarea>" in html and "ALICE-REVISED" in html

    # The same approval cannot be applied twice either.
    admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={"version": "2"})
    assert verdict_moderation(app, alice_verdict)[:2] == ("approved", 3)
    admin_client.post(f"/admin/verdicts/{alice_verdict}/reject",
                      data={"version": "2", "reason": "Second thoughts."})
    assert verdict_moderation(app, alice_verdict)[:2] == ("approved", 3)


def test_refused_moderation_shows_the_verdict_with_the_typed_reason(
    app, make_article, claim_ids, reviewer_client, admin_client, make_user
):

    claim = claim_ids(make_article())[0]
    save(reviewer_client, claim)
    verdict = the_verdict(app)
    make_user("chief", "admin")
    chief = app.test_client()
    login(chief, "chief")
    chief.post(f"/admin/verdicts/{verdict.id}/approve", data={"version": str(verdict.version)})

    late = admin_client.post(f"/admin/verdicts/{verdict.id}/reject", data={
        "version": str(verdict.version), "reason": "My long careful reason.", "back": "claim"})
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "required>My long careful reason.</textarea>" in html
    assert "approved</span> by chief" in html
    assert f'href="/claims/{claim}">Back to the claim' in html
    assert the_verdict(app).moderation_state == "approved"


def test_stale_boundary_forms_are_refused_with_409(app, make_article, claim_ids, admin_client,
                                                  make_user):
    """Two admins load the article at the same version; the second change is refused."""
    article = make_article(PLAN_TEXT, "plan.txt")
    claims = claim_ids(article)
    make_user("chief", "admin")
    chief = app.test_client()
    assert login(chief, "chief").status_code == 302
    page = admin_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    form = hidden_inputs(page, f"/admin/claims/{claims[0]}/merge")
    chief_page = chief.get(f"/claims/{claims[1]}").get_data(as_text=True)
    chief_form = hidden_inputs(chief_page, f"/admin/claims/{claims[1]}/split")
    assert form["version"] == chief_form["version"] == "1"

    merged = admin_client.post(f"/admin/claims/{claims[0]}/merge", data=confirmed(form))
    assert merged.status_code == 302
    before = snapshot(app)
    for client, path, data in [
        (chief, f"/admin/claims/{claims[1]}/split", {**chief_form, "at": "8"}),
        (chief, f"/admin/claims/{claims[2]}/merge", chief_form),
        (chief, f"/admin/articles/{article}/resplit", chief_form),
        (admin_client, f"/admin/claims/{claims[0]}/merge", form),  # the same form twice
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 409, path
        assert "changed since you loaded the page" in response.get_data(as_text=True)
    assert snapshot(app) == before
