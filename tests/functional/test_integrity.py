"""Nothing lost, nothing doubled: re-saves, races, moderation history, first-start races."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa
from helpers import PASSWORD
from sqlalchemy.exc import IntegrityError

from annotator.extensions import db
from annotator.models import Article, SiteState, User, Verdict, VerdictRevision


def _save(client, claim_id, note="BLS table 3", label="supported", version=""):
    return client.post(f"/claims/{claim_id}", data={
        "verdict": label, "source_note": note, "source_url": "", "version": version})


def _verdict(app) -> Verdict:
    with app.app_context():
        verdict = db.session.scalar(sa.select(Verdict))
        db.session.expunge(verdict)
        return verdict


def test_identical_resubmission_changes_nothing_and_keeps_the_approval(
    app, make_article, claim_ids, reviewer_client, admin_client
):
    claim = claim_ids(make_article())[0]
    assert _save(reviewer_client, claim).status_code == 302
    # A double click: the second request carries the form's stale (empty) version.
    second = _save(reviewer_client, claim)
    assert second.status_code == 302
    verdict = _verdict(app)
    assert admin_client.post(f"/admin/verdicts/{verdict.id}/approve",
                             data={"version": str(verdict.version)}).status_code == 302
    approved = _verdict(app)

    again = _save(reviewer_client, claim, version=str(approved.version))
    assert again.status_code == 302
    page = reviewer_client.get(again.location).get_data(as_text=True)
    assert "already saved exactly like this; nothing changed" in page
    after = _verdict(app)
    assert (after.moderation_state, after.version) == ("approved", approved.version)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VerdictRevision)) == 1


def test_each_revision_keeps_what_moderation_decided_about_it(
    app, make_article, claim_ids, reviewer_client, admin_client
):
    claim = claim_ids(make_article())[0]
    _save(reviewer_client, claim, note="first note")
    verdict = _verdict(app)
    admin_client.post(f"/admin/verdicts/{verdict.id}/reject",
                      data={"version": str(verdict.version), "reason": "Wrong table."})
    rejected = _verdict(app)
    _save(reviewer_client, claim, note="second note", version=str(rejected.version))
    with app.app_context():
        first, second = db.session.scalars(
            sa.select(VerdictRevision).order_by(VerdictRevision.version)
        ).all()
        assert (first.source_note, first.moderation_state, first.moderation_reason) == (
            "first note", "rejected", "Wrong table.")
        assert first.moderated_by.username == "editor"
        assert (second.source_note, second.moderation_state) == ("second note", "pending")
    history = reviewer_client.get(f"/claims/{claim}").get_data(as_text=True)
    assert "Reason: Wrong table." in history


def test_rejected_verdicts_come_first_in_the_queue(
    app, make_article, claim_ids, reviewer_client, admin_client
):
    claims = claim_ids(make_article())
    _save(reviewer_client, claims[0])
    verdict = _verdict(app)
    admin_client.post(f"/admin/verdicts/{verdict.id}/reject",
                      data={"version": str(verdict.version), "reason": "Check again."})
    index = reviewer_client.get("/").get_data(as_text=True)
    assert "1 rejected verdict to revise" in index
    assert reviewer_client.get("/queue").location == f"/claims/{claims[0]}"


def test_setup_refuses_a_second_admin_even_when_racing(app, client):
    """The loser of two simultaneous setups finds the 'setup' row taken."""
    with app.app_context():
        db.session.add(SiteState(key="setup"))
        db.session.commit()
    response = client.post("/setup", data={
        "username": "late", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 200
    assert "Someone has just completed the setup" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_username_race_is_reported_as_taken(app, admin_client, monkeypatch):
    """Another request takes the name between our check and our insert."""
    from annotator.services import accounts

    monkeypatch.setattr(accounts, "find_user", lambda name: None)
    admin_client.post("/admin/users", data={
        "username": "dup", "password": PASSWORD, "role": "reviewer"})
    response = admin_client.post("/admin/users", data={
        "username": "DUP", "password": PASSWORD, "role": "reviewer"})
    assert response.status_code == 422
    assert "is taken" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.username_key == "dup")
        ) == 1


def test_import_retries_once_when_a_concurrent_import_wins(app, monkeypatch):

    from annotator.services import article_import

    calls = []
    real = article_import.import_blobs

    def flaky(blobs, actor):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return real(blobs, actor)

    monkeypatch.setattr(article_import, "import_blobs", flaky)
    with app.app_context():
        report = article_import.import_and_commit([("a.txt", b"The river rose by 2 m.")], None)
        assert len(report.imported) == 1 and len(calls) == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Article)) == 1


def test_header_metadata_is_stored_and_only_http_urls_are_linked(
    app, make_article, reviewer_client
):
    safe = make_article("source: Kyiv Post\nurl: https://kyivpost.com/a\nThe talks ended.", "a.txt")
    unsafe = make_article("url: javascript:alert(1)\nThe talks resumed.", "b.txt")
    with app.app_context():
        assert db.session.get(Article, safe).meta == {
            "source": "Kyiv Post", "url": "https://kyivpost.com/a"}
    page = reviewer_client.get(f"/articles/{safe}").get_data(as_text=True)
    assert 'href="https://kyivpost.com/a"' in page and "Kyiv Post" in page
    page = reviewer_client.get(f"/articles/{unsafe}").get_data(as_text=True)
    assert "javascript:" not in page


def test_pages_of_logged_in_users_are_not_cached(reviewer_client, client, admin_id):
    assert reviewer_client.get("/").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


@pytest.mark.parametrize("workers", [6])
def test_workers_starting_together_share_one_secret_key(tmp_path, workers):
    code = (
        "import sys; from annotator.settings import load_or_create_secret_key; "
        "print(load_or_create_secret_key(sys.argv[1]))"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                         text=True)
        for _ in range(workers)
    ]
    keys = {p.communicate(timeout=60)[0].strip() for p in processes}
    assert all(p.returncode == 0 for p in processes)
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary left over


def test_moderation_queue_shows_why_the_earlier_version_was_rejected(
    app, make_article, claim_ids, reviewer_client, admin_client
):
    claim = claim_ids(make_article())[0]
    _save(reviewer_client, claim, note="first note")
    verdict = _verdict(app)
    admin_client.post(f"/admin/verdicts/{verdict.id}/reject",
                      data={"version": str(verdict.version), "reason": "Cite the table."})
    _save(reviewer_client, claim, note="second note", version=str(_verdict(app).version))
    page = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert "second note" in page
    assert "rejected by editor: Cite the table." in page
    assert "first note" in page


def test_a_rejected_verdict_does_not_trap_the_queue(
    app, make_article, claim_ids, reviewer_client, admin_client
):
    claims = claim_ids(make_article())
    _save(reviewer_client, claims[0], note="my note")
    verdict = _verdict(app)
    admin_client.post(f"/admin/verdicts/{verdict.id}/reject",
                      data={"version": str(verdict.version), "reason": "Check again."})
    # Saving another claim goes on through the article, not back to the rejection...
    assert _save(reviewer_client, claims[1]).location == f"/claims/{claims[2]}"
    # ...while opening the queue offers the rejection first.
    assert reviewer_client.get("/queue").location == f"/claims/{claims[0]}"
    # Standing by the rejected text sends it back to moderation.
    rejected = _verdict(app)
    _save(reviewer_client, claims[0], note="my note", version=str(rejected.version))
    assert _verdict(app).moderation_state == "pending"
    assert reviewer_client.get("/queue").location == f"/claims/{claims[2]}"


def test_refused_moderation_shows_the_verdict_with_the_typed_reason(
    app, make_article, claim_ids, reviewer_client, admin_client, make_user
):
    from helpers import login

    claim = claim_ids(make_article())[0]
    _save(reviewer_client, claim)
    verdict = _verdict(app)
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
    assert _verdict(app).moderation_state == "approved"


def test_csrf_page_echoes_text_only_to_logged_in_users(make_app, admin_id):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/login", data={
        "username": "x", "password": "y", "source_note": "Call +1-555 to verify your account"})
    assert response.status_code == 400
    assert "Call +1-555" not in response.get_data(as_text=True)
