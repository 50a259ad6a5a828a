"""Saving and revising a verdict through the claim page: validation, the configured note
limit, every version kept as a revision, a revised verdict back in moderation, identical
resubmissions, hidden claims. Conflicting edits (409) are in ``web/test_stale_edits.py``.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import PASSWORD
from annotator_testkit.forms import form_version
from annotator_testkit.rows import the_verdict, verdict_revisions, verdict_rows
from annotator_testkit.web import moderate, save

from annotator.extensions import db
from annotator.models import AuditEvent, Verdict, VerdictRevision


def counts(app):
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count(Verdict.id))),
                db.session.scalar(sa.select(sa.func.count(VerdictRevision.id))))


def audit_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


def test_revising_keeps_every_version_as_a_revision(app, claims, reviewer_client, reviewer_id):
    assert save(reviewer_client, claims[0], "supported", "First note.",
                "https://example.org/a").status_code == 302
    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert form_version(page) == "1"
    assert "First note." in page

    assert save(reviewer_client, claims[0], "disputed", "Second note.", "",
                version="1").status_code == 302

    verdict = the_verdict(app)
    assert (verdict.claim_id, verdict.reviewer_id, verdict.label, verdict.source_note,
            verdict.source_url, verdict.version) == (
        claims[0], reviewer_id, "disputed", "Second note.", None, 2)
    assert verdict_revisions(app, verdict.id) == [
        (1, "supported", "First note.", "https://example.org/a"),
        (2, "disputed", "Second note.", None),
    ]
    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert form_version(page) == "2"
    assert "My earlier versions (1)" in page
    assert "First note." in page


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_revising_a_moderated_verdict_sends_it_back_to_pending(
    app, claims, reviewer_client, admin_client, action
):
    save(reviewer_client, claims[0], "supported", "First note.")
    verdict = the_verdict(app)
    moderate(admin_client, app, verdict.id, action,
             "Not a primary source." if action == "reject" else None)
    moderated = the_verdict(app)
    assert moderated.moderation_state == ("approved" if action == "approve" else "rejected")
    assert moderated.moderated_by_id is not None

    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    loaded = form_version(page)
    assert loaded == str(moderated.version)
    assert save(reviewer_client, claims[0], "unclear", "Revised note.",
                version=loaded).status_code == 302

    revised = the_verdict(app)
    assert (revised.label, revised.source_note, revised.moderation_state) == (
        "unclear", "Revised note.", "pending")
    assert (revised.moderated_by_id, revised.moderated_at, revised.moderation_reason) == (
        None, None, None)
    history = verdict_revisions(app, revised.id)
    assert [(h[1], h[2]) for h in history] == [("supported", "First note."),
                                               ("unclear", "Revised note.")]
    assert history[-1][0] == revised.version
    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert "Rejected by" not in page and "Approved by" not in page
    # ...and the verdict is back in the moderation queue.
    assert "Revised note." in admin_client.get("/admin/moderation").get_data(as_text=True)


@pytest.mark.parametrize(
    "label, note, url",
    [
        ("true", "A note.", ""),
        ("", "A note.", ""),
        ("SUPPORTED", "A note.", ""),
        ("supported", "", ""),
        ("supported", "   \n  ", ""),
        ("supported", "A note.", "javascript:alert(1)"),
        ("supported", "A note.", "JaVaScRiPt:alert(1)"),
        ("supported", "A note.", " javascript:alert(1)"),
        ("supported", "A note.", "data:text/html,<script>alert(1)</script>"),
        ("supported", "A note.", "file:///etc/passwd"),
        ("supported", "A note.", "ftp://example.org/report.pdf"),
        ("supported", "A note.", "http://"),
        ("supported", "A note.", "example.org/report"),
        ("supported", "A note.", "https://exa mple.org/"),
        ("supported", "A note.", "//example.org/report"),
        ("supported", "A note.", "https://example.org/" + "a" * 2048),
    ],
)
def test_invalid_verdict_is_refused_with_422_and_nothing_written(
    app, claims, reviewer_client, label, note, url
):
    response = save(reviewer_client, claims[0], label, note, url)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_missing_verdict_field_is_refused(app, claims, reviewer_client):
    response = reviewer_client.post(
        f"/claims/{claims[0]}", data={"source_note": "A note.", "version": ""}
    )
    assert response.status_code == 422
    assert counts(app) == (0, 0)


def test_note_length_limit_comes_from_the_configuration(app, claims, reviewer_client):
    limit = app.config["SOURCE_NOTE_MAX_LENGTH"]
    response = save(reviewer_client, claims[0], note="x" * (limit + 1))
    assert response.status_code == 422
    assert f"the limit is {limit:,}" in response.get_data(as_text=True)
    assert counts(app) == (0, 0)
    assert save(reviewer_client, claims[0], note="x" * limit).status_code == 302
    assert counts(app) == (1, 1)


def test_smaller_configured_note_limit_is_honoured(make_app, claims, reviewer_id):
    small = make_app(SOURCE_NOTE_MAX_LENGTH=40)
    try:
        client = small.test_client()
        assert client.post(
            "/login", data={"username": "alice", "password": PASSWORD}).status_code == 302
        assert save(client, claims[0], note="y" * 41).status_code == 422
        assert counts(small) == (0, 0)
        assert save(client, claims[0], note="y" * 40).status_code == 302
    finally:
        with small.app_context():
            db.engine.dispose()


def test_invalid_revision_leaves_the_saved_verdict_alone(app, claims, reviewer_client):
    save(reviewer_client, claims[0], "supported", "Good note.", "https://example.org/")
    before = verdict_rows(app), verdict_revisions(app)
    for label, note, url in [("bogus", "x", ""), ("unclear", "", ""),
                             ("unclear", "x", "javascript:alert(1)")]:
        assert save(reviewer_client, claims[0], label, note, url,
                    version="1").status_code == 422
    assert (verdict_rows(app), verdict_revisions(app)) == before


def test_valid_urls_are_stored_trimmed(app, claims, reviewer_client):
    assert save(reviewer_client, claims[0], url="  https://example.org/report?id=1  ").status_code \
        == 302
    assert save(reviewer_client, claims[1], url="HTTP://example.org/x").status_code == 302
    assert save(reviewer_client, claims[2], url="").status_code == 302
    assert [r.source_url for r in verdict_rows(app)] == [
        "https://example.org/report?id=1", "HTTP://example.org/x", None]


def test_saving_on_a_hidden_claim_is_refused(app, claims, reviewer_client, admin_client):
    assert save(reviewer_client, claims[0], "supported", "Before hiding.").status_code == 302
    assert admin_client.post(f"/admin/claims/{claims[0]}/hide", data=confirmed()).status_code == 302
    assert admin_client.post(f"/admin/claims/{claims[1]}/hide", data=confirmed()).status_code == 302
    before = verdict_rows(app), verdict_revisions(app), audit_count(app)

    page = reviewer_client.get(f"/claims/{claims[1]}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "An admin hid this claim as not checkable" in html
    assert 'class="verdict-form"' not in html

    # A claim without my verdict, and one with it (a form loaded before the claim was hidden).
    for claim, version in ((claims[1], ""), (claims[0], "1")):
        response = save(reviewer_client, claim, "disputed", "After hiding.", version=version)
        assert response.status_code == 302
        assert response.location == f"/claims/{claim}"
        followed = reviewer_client.get(response.location)
        assert followed.status_code == 200
        assert (
            "This claim was hidden by an admin; it takes no verdicts. Nothing was saved."
            in followed.get_data(as_text=True)
        )
        assert (verdict_rows(app), verdict_revisions(app), audit_count(app)) == before


def test_identical_resubmission_changes_nothing_and_keeps_the_approval(
    app, make_article, claim_ids, reviewer_client, admin_client
):
    claim = claim_ids(make_article())[0]
    assert save(reviewer_client, claim).status_code == 302
    # A double click: the second request carries the form's stale (empty) version.
    second = save(reviewer_client, claim)
    assert second.status_code == 302
    verdict = the_verdict(app)
    assert admin_client.post(f"/admin/verdicts/{verdict.id}/approve",
                             data={"version": str(verdict.version)}).status_code == 302
    approved = the_verdict(app)

    again = save(reviewer_client, claim, version=str(approved.version))
    assert again.status_code == 302
    page = reviewer_client.get(again.location).get_data(as_text=True)
    assert "already saved exactly like this; nothing changed" in page
    after = the_verdict(app)
    assert (after.moderation_state, after.version) == ("approved", approved.version)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VerdictRevision)) == 1
