"""The audit log: one event per admin action, and the page that lists them newest first."""

from __future__ import annotations

from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import PASSWORD
from annotator_testkit.lists import audit_rows
from annotator_testkit.rows import audit_events, new_audit_events, verdict_id_of
from annotator_testkit.web import save, upload


def test_every_admin_action_writes_one_audit_event(
    app, claims, alice_verdict, reviewer_client, reviewer_id, admin_client, admin_id
):
    save(reviewer_client, claims[1], note="second", expect=302)
    second = verdict_id_of(app, claims[1], reviewer_id)
    actions = [
        (f"/admin/verdicts/{alice_verdict}/approve", {"version": "1"}, "verdict.approve"),
        (f"/admin/verdicts/{second}/reject", {"version": "1", "reason": "No."},
         "verdict.reject"),
        (f"/admin/claims/{claims[2]}/hide", {}, "claim.hide"),
        (f"/admin/claims/{claims[2]}/unhide", {}, "claim.unhide"),
        ("/admin/users", {"username": "carol", "password": PASSWORD, "role": "reviewer"},
         "user.create"),
        (f"/admin/users/{reviewer_id}/deactivate", {}, "user.deactivate"),
        (f"/admin/users/{reviewer_id}/activate", {}, "user.activate"),
    ]
    for path, data, action in actions:
        before = audit_events(app)
        admin_client.post(path, data=confirmed(data))
        written = new_audit_events(app, before)
        assert [(e[0], e[1]) for e in written] == [(action, admin_id)], path
    before = audit_events(app)
    upload(admin_client, [("budget.txt", b"title: Budget\n\nThe deficit fell to 3% of GDP.\n")])
    assert [(e[0], e[1]) for e in new_audit_events(app, before)] == [("article.import", admin_id)]


def test_audit_log_page_lists_events_newest_first(
    app, claims, alice_verdict, admin_client, admin_id
):
    admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={"version": "1"})
    admin_client.post(f"/admin/claims/{claims[2]}/hide", data=confirmed())
    admin_client.post("/admin/users",
                      data={"username": "carol", "password": PASSWORD, "role": "reviewer"})
    response = admin_client.get("/admin/audit")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = audit_rows(html)
    assert [action for _, action, _ in rows[:3]] == ["user.create", "claim.hide",
                                                     "verdict.approve"]
    assert {action for _, action, _ in rows[3:]} == {"user.create", "article.import"}
    assert all(who == "editor" for who, _, _ in rows[:3])
    assert rows[-1][0] == "system"  # the fixtures' events
    # Subjects by name, linked to the object: the account, the claim of its article.
    assert rows[0][2] == "carol"
    assert (f'<a href="/claims/{claims[2]}">claim 3 of The U.S. economy grew by 2.5% '
            "last year.</a>") in html
    assert "<dt>username</dt><dd>carol</dd>" in html
