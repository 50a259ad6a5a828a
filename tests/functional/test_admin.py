"""The admin desk through the web: moderation, hiding claims, accounts, imports, audit log."""

from __future__ import annotations

import csv
import gc
import io
import re
import warnings

import helpers
import pytest
import sqlalchemy as sa
from helpers import ARTICLE_TEXT, PASSWORD, login
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.test import encode_multipart

from annotator.extensions import db
from annotator.models import Article, AuditEvent, Claim, User, Verdict

# --- helpers ---------------------------------------------------------------------------


def save(client, claim_id, *args, **kwargs):
    """``helpers.save``, which must succeed (a 302 to the next claim)."""
    response = helpers.save(client, claim_id, *args, **kwargs)
    assert response.status_code == 302, response.status_code
    return response


def verdict(app, verdict_id):
    with app.app_context():
        v = db.session.get(Verdict, verdict_id)
        return (v.moderation_state, v.version, v.moderated_by_id, v.moderated_at,
                v.moderation_reason)


def verdict_id_of(app, claim_id, reviewer_id):
    with app.app_context():
        return db.session.scalar(
            sa.select(Verdict.id).where(Verdict.claim_id == claim_id,
                                        Verdict.reviewer_id == reviewer_id)
        )


def events(app):
    """Every audit event as (action, actor id, target type, target id, details)."""
    with app.app_context():
        return [
            (e.action, e.actor_id, e.target_type, e.target_id, e.details)
            for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
        ]


def new_events(app, before):
    return events(app)[len(before):]


def flashes(client) -> str:
    """The text of the next page, where flashed messages land."""
    return client.get("/admin/users").get_data(as_text=True)


def csv_claim_ids(response) -> list[int]:
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    return [int(row["claim_id"]) for row in table]


def upload(client, files, **kwargs):
    # The body is encoded here, in memory: the test client would spool a large body to a
    # temporary file that nobody closes when the app refuses it unread (a 413).
    boundary, body = encode_multipart(
        MultiDict([("files", FileStorage(io.BytesIO(data), name)) for name, data in files])
    )
    return client.post(
        "/admin/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        **kwargs,
    )


def dispose(extra_app):
    with extra_app.app_context():
        db.engine.dispose()


@pytest.fixture
def claims(make_article, claim_ids):
    return claim_ids(make_article())


@pytest.fixture
def alice_verdict(app, claims, reviewer_client, reviewer_id):
    save(reviewer_client, claims[0], "supported", "ALICE-NOTE")
    return verdict_id_of(app, claims[0], reviewer_id)


# --- moderation queue ------------------------------------------------------------------


def test_moderation_queue_lists_pending_verdicts_oldest_first(
    app, claims, reviewer_client, reviewer2_client, admin_client, reviewer_id
):
    save(reviewer_client, claims[0], note="ALICE-C1-PENDING")
    save(reviewer2_client, claims[1], note="BOB-C2-PENDING")
    save(reviewer_client, claims[1], note="ALICE-C2-APPROVED")
    save(reviewer2_client, claims[2], note="BOB-C3-ON-HIDDEN-CLAIM")
    approved = verdict_id_of(app, claims[1], reviewer_id)
    admin_client.post(f"/admin/verdicts/{approved}/approve", data={"version": "1"})
    admin_client.post(f"/admin/claims/{claims[2]}/hide")

    page = admin_client.get("/admin/moderation")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "(2 waiting)" in html
    assert "ALICE-C1-PENDING" in html and "BOB-C2-PENDING" in html
    assert "ALICE-C2-APPROVED" not in html
    assert "BOB-C3-ON-HIDDEN-CLAIM" not in html
    assert html.index("ALICE-C1-PENDING") < html.index("BOB-C2-PENDING")
    assert len(re.findall(r'name="version" value="1"', html)) == 4  # approve + reject, twice


def test_empty_moderation_queue(admin_client):
    html = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert "Nothing waits for moderation." in html
    assert "(0 waiting)" in html
    assert admin_client.get("/admin/").location == "/admin/moderation"


# --- approve / reject ------------------------------------------------------------------


def test_approve(app, alice_verdict, admin_client, admin_id, reviewer_id):
    before = events(app)
    response = admin_client.post(f"/admin/verdicts/{alice_verdict}/approve",
                                 data={"version": "1"})
    assert (response.status_code, response.location) == (302, "/admin/moderation?page=1")
    state, version, moderator, moderated_at, reason = verdict(app, alice_verdict)
    assert (state, version, moderator, reason) == ("approved", 2, admin_id, None)
    assert moderated_at is not None
    [event] = new_events(app, before)
    assert event[:4] == ("verdict.approve", admin_id, "verdict", alice_verdict)
    assert event[4]["before"] == "pending" and event[4]["after"] == "approved"
    assert event[4]["reviewer_id"] == reviewer_id
    html = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert "alice&#39;s verdict on claim 1 approved." in html
    assert "Nothing waits for moderation." in html


def test_moderating_from_the_claim_page_returns_there(app, claims, alice_verdict, admin_client):
    response = admin_client.post(f"/admin/verdicts/{alice_verdict}/approve",
                                 data={"version": "1", "back": "claim"})
    assert response.location == f"/claims/{claims[0]}"
    assert verdict(app, alice_verdict)[0] == "approved"


@pytest.mark.parametrize(
    "data",
    [
        {"version": "1", "reason": ""},
        {"version": "1", "reason": "   \n "},
        {"version": "1"},
        {"version": "1", "reason": "x" * 2001},
    ],
    ids=["empty", "blank", "missing", "too-long"],
)
def test_reject_without_a_valid_reason_changes_nothing(app, alice_verdict, admin_client, data):
    before_events, before = events(app), verdict(app, alice_verdict)
    response = admin_client.post(f"/admin/verdicts/{alice_verdict}/reject", data=data)
    assert response.status_code == 422  # the verdict again, with what was typed kept
    assert verdict(app, alice_verdict) == before
    assert before[0] == "pending"
    assert events(app) == before_events
    html = response.get_data(as_text=True)
    assert "Nothing was changed." in html
    if data.get("reason", "").strip():
        assert f'required>{data["reason"]}</textarea>' in html


def test_reject_with_reason(app, alice_verdict, admin_client, admin_id):
    before = events(app)
    response = admin_client.post(
        f"/admin/verdicts/{alice_verdict}/reject",
        data={"version": "1", "reason": "  Cite the data, not the press release.  "},
    )
    assert response.status_code == 302
    state, version, moderator, moderated_at, reason = verdict(app, alice_verdict)
    assert (state, version, moderator) == ("rejected", 2, admin_id)
    assert reason == "Cite the data, not the press release."
    [event] = new_events(app, before)
    assert event[:4] == ("verdict.reject", admin_id, "verdict", alice_verdict)
    assert event[4]["reason"] == "Cite the data, not the press release."
    assert event[4]["after"] == "rejected"


def test_reject_reason_limit_follows_the_configuration(make_app, alice_verdict, admin_id):
    """MODERATION_REASON_MAX_LENGTH is a documented setting; a longer reason is refused."""
    small = make_app(MODERATION_REASON_MAX_LENGTH=50)
    try:
        client = small.test_client()
        assert login(client, "editor").status_code == 302
        client.post(f"/admin/verdicts/{alice_verdict}/reject",
                    data={"version": "1", "reason": "r" * 51})
        assert verdict(small, alice_verdict)[0] == "pending"
    finally:
        dispose(small)


def test_admin_cannot_moderate_own_verdict(app, claims, admin_client, admin_id, make_user):
    save(admin_client, claims[0], note="EDITOR-NOTE")
    own = verdict_id_of(app, claims[0], admin_id)
    before_events, before = events(app), verdict(app, own)
    # Not offered in the queue, and refused when posted anyway.
    assert "EDITOR-NOTE" not in admin_client.get("/admin/moderation").get_data(as_text=True)
    admin_client.post(f"/admin/verdicts/{own}/approve", data={"version": "1"})
    response = admin_client.post(f"/admin/verdicts/{own}/reject",
                                 data={"version": "1", "reason": "Mine."})
    assert verdict(app, own) == before
    assert events(app) == before_events
    assert response.status_code == 409
    assert "You cannot moderate your own verdict" in response.get_data(as_text=True)

    # Another admin can.
    chief_id = make_user("chief", "admin")
    chief = app.test_client()
    assert login(chief, "chief").status_code == 302
    chief.post(f"/admin/verdicts/{own}/approve", data={"version": "1"})
    assert verdict(app, own)[:3] == ("approved", 2, chief_id)


def test_moderating_a_changed_verdict_is_refused(
    app, claims, alice_verdict, reviewer_client, admin_client
):
    page = admin_client.get("/admin/moderation").get_data(as_text=True)
    loaded = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert loaded == "1"
    save(reviewer_client, claims[0], "disputed", "ALICE-REVISED", version="1")  # now v2

    before_events, before = events(app), verdict(app, alice_verdict)
    admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={"version": loaded})
    stale = admin_client.post(f"/admin/verdicts/{alice_verdict}/reject",
                              data={"version": loaded, "reason": "Old text."})
    for garbage in ("", "abc", "99"):
        admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={"version": garbage})
    admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={})
    assert verdict(app, alice_verdict) == before
    assert before[:2] == ("pending", 2)
    assert events(app) == before_events
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "changed this verdict after you loaded the page" in html
    # The reason the admin typed is still in its box, next to the revised text.
    assert "required>Old text.</textarea>" in html and "ALICE-REVISED" in html

    # The same approval cannot be applied twice either.
    admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={"version": "2"})
    assert verdict(app, alice_verdict)[:2] == ("approved", 3)
    admin_client.post(f"/admin/verdicts/{alice_verdict}/reject",
                      data={"version": "2", "reason": "Second thoughts."})
    assert verdict(app, alice_verdict)[:2] == ("approved", 3)


# --- hiding claims ---------------------------------------------------------------------


def test_hide_and_unhide_claim(
    app, claims, reviewer_client, reviewer2_client, admin_client, admin_id
):
    save(reviewer_client, claims[0], note="ALICE-C1")
    save(reviewer2_client, claims[0], note="BOB-C1")
    save(reviewer_client, claims[1], note="ALICE-C2")
    before = events(app)

    response = admin_client.post(f"/admin/claims/{claims[0]}/hide")
    assert (response.status_code, response.location) == (302, f"/claims/{claims[0]}")
    with app.app_context():
        assert db.session.get(Claim, claims[0]).status == "hidden"
        kept = db.session.scalar(
            sa.select(sa.func.count(Verdict.id)).where(Verdict.claim_id == claims[0]))
    assert kept == 2
    [event] = new_events(app, before)
    assert event[:4] == ("claim.hide", admin_id, "claim", claims[0])
    assert (event[4]["before"], event[4]["after"]) == ("open", "hidden")
    assert "Claim hidden" in admin_client.get(f"/claims/{claims[0]}").get_data(as_text=True)

    assert csv_claim_ids(admin_client.get("/export/verdicts.csv")) == [claims[1]]
    assert csv_claim_ids(reviewer_client.get("/export/verdicts.csv")) == [claims[1]]
    assert csv_claim_ids(reviewer2_client.get("/export/verdicts.csv")) == []
    moderation = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert "ALICE-C1" not in moderation and "ALICE-C2" in moderation
    assert reviewer2_client.get("/queue").location == f"/claims/{claims[1]}"

    before = events(app)
    response = admin_client.post(f"/admin/claims/{claims[0]}/unhide")
    assert (response.status_code, response.location) == (302, f"/claims/{claims[0]}")
    with app.app_context():
        assert db.session.get(Claim, claims[0]).status == "open"
    [event] = new_events(app, before)
    assert event[:4] == ("claim.unhide", admin_id, "claim", claims[0])
    assert (event[4]["before"], event[4]["after"]) == ("hidden", "open")
    assert csv_claim_ids(admin_client.get("/export/verdicts.csv")) == [
        claims[0], claims[0], claims[1]]
    assert "ALICE-C1" in admin_client.get("/admin/moderation").get_data(as_text=True)


# --- accounts --------------------------------------------------------------------------


def test_create_user(app, admin_client, admin_id):
    before = events(app)
    response = admin_client.post(
        "/admin/users", data={"username": "carol", "password": PASSWORD, "role": "reviewer"})
    assert (response.status_code, response.location) == (302, "/admin/users")
    response = admin_client.post(
        "/admin/users", data={"username": "Chief", "password": PASSWORD, "role": "admin"})
    assert response.status_code == 302
    with app.app_context():
        people = {u.username: (u.role, u.is_active, u.username_key)
                  for u in db.session.scalars(sa.select(User))}
    assert people["carol"] == ("reviewer", True, "carol")
    assert people["Chief"] == ("admin", True, "chief")
    created = new_events(app, before)
    assert [(e[0], e[1], e[4]) for e in created] == [
        ("user.create", admin_id, {"username": "carol", "role": "reviewer"}),
        ("user.create", admin_id, {"username": "Chief", "role": "admin"}),
    ]
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "Account carol (reviewer) created." in page
    assert "<td>carol</td>" in page
    carol = app.test_client()
    assert login(carol, "carol").location == "/"
    assert carol.get("/admin/users").status_code == 403


@pytest.mark.parametrize(
    "username, password, role, message",
    [
        ("ALICE", PASSWORD, "reviewer", "is taken"),
        ("Alice", PASSWORD, "admin", "is taken"),
        ("  alice ", PASSWORD, "reviewer", "is taken"),
        ("carol", "short", "reviewer", "at least 10 characters"),
        ("carol", "123456789", "reviewer", "at least 10 characters"),
        ("c", PASSWORD, "reviewer", "2 to 40 characters"),
        ("has space", PASSWORD, "reviewer", "2 to 40 characters"),
        ("<script>", PASSWORD, "reviewer", "2 to 40 characters"),
        ("-carol", PASSWORD, "reviewer", "2 to 40 characters"),
        ("çarol", PASSWORD, "reviewer", "2 to 40 characters"),
        ("c" * 41, PASSWORD, "reviewer", "40"),
        ("", PASSWORD, "reviewer", "This field is required."),
        ("carol", PASSWORD, "superuser", "Not a valid choice"),
    ],
)
def test_create_user_refusals(app, admin_client, reviewer_id, username, password, role, message):
    with app.app_context():
        before_users = db.session.scalar(sa.select(sa.func.count(User.id)))
    before_events = events(app)
    response = admin_client.post(
        "/admin/users", data={"username": username, "password": password, "role": role})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == before_users
    assert events(app) == before_events


def test_deactivate_and_activate(
    app, claims, admin_client, admin_id, reviewer_client, reviewer_id
):
    save(reviewer_client, claims[0], note="ALICE-NOTE")
    assert reviewer_client.get("/").status_code == 200
    before = events(app)

    response = admin_client.post(f"/admin/users/{reviewer_id}/deactivate")
    assert (response.status_code, response.location) == (302, "/admin/users")
    with app.app_context():
        assert db.session.get(User, reviewer_id).is_active is False
        assert db.session.scalar(sa.select(sa.func.count(Verdict.id))) == 1  # verdicts stay
    [event] = new_events(app, before)
    assert event[:4] == ("user.deactivate", admin_id, "user", reviewer_id)
    assert "alice is now deactivated." in flashes(admin_client)

    # Her open session stops at the next request; she cannot log in again.
    response = reviewer_client.get("/claims/1")
    assert (response.status_code, response.location) == (302, "/login?next=%2Fclaims%2F1")
    assert reviewer_client.post(f"/claims/{claims[1]}", data={
        "verdict": "supported", "source_note": "x", "version": ""}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Verdict.id))) == 1
    fresh = app.test_client()
    assert login(fresh, "alice").status_code == 200
    assert fresh.get("/").status_code == 302

    before = events(app)
    assert admin_client.post(f"/admin/users/{reviewer_id}/activate").location == "/admin/users"
    with app.app_context():
        assert db.session.get(User, reviewer_id).is_active is True
    [event] = new_events(app, before)
    assert event[:4] == ("user.activate", admin_id, "user", reviewer_id)
    # Reactivation does not revive the sessions that were open before the deactivation.
    assert reviewer_client.get("/").status_code == 302
    assert login(fresh, "alice").location == "/"


def test_admin_cannot_deactivate_themselves(app, admin_client, admin_id, make_user):
    before = events(app)
    response = admin_client.post(f"/admin/users/{admin_id}/deactivate")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, admin_id).is_active is True
    assert events(app) == before
    assert "You cannot deactivate your own account." in flashes(admin_client)
    assert admin_client.get("/admin/users").status_code == 200

    # Another admin can be deactivated, and loses admin access at once.
    chief_id = make_user("chief", "admin")
    chief = app.test_client()
    assert login(chief, "chief").status_code == 302
    admin_client.post(f"/admin/users/{chief_id}/deactivate")
    assert chief.get("/admin/users").location == "/login?next=%2Fadmin%2Fusers"


# --- imports ---------------------------------------------------------------------------

LIMIT = 300
BATCH = [
    ("good.txt", ARTICLE_TEXT.encode()),
    ("copy-of-good.txt", ARTICLE_TEXT.encode()),
    ("empty.txt", b""),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
    ("latin1.txt", "Le café a fermé. Les prix ont augmenté.\n".encode("latin-1")),
    ("big.txt", b"Prices rose again this year. " * 20),
]


def test_import_upload_reports_each_file(make_app, admin_id):
    assert len(BATCH[-1][1]) > LIMIT >= len(ARTICLE_TEXT.encode())
    small = make_app(MAX_ARTICLE_BYTES=LIMIT)
    try:
        client = small.test_client()
        assert login(client, "editor").status_code == 302
        before = events(small)
        response = upload(client, BATCH)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "1 imported, 1 already present, 4 refused" in html
        assert "(3 claims, from good.txt)" in html
        assert "<h3>Already present</h3><ul><li>copy-of-good.txt</li></ul>" in html
        assert "empty.txt: the file is empty" in html
        assert "image.txt: looks like a binary file (it contains NUL bytes), not text" in html
        assert "latin1.txt: not UTF-8 text (invalid byte 0xE9" in html
        assert "big.txt: the file is" in html
        assert "larger than the 300 bytes limit" in html
        with small.app_context():
            stored = db.session.execute(sa.select(Article.source, Article.title)).all()
            claims = db.session.scalar(sa.select(sa.func.count(Claim.id)))
        assert [tuple(r) for r in stored] == [
            ("good.txt", "The U.S. economy grew by 2.5% last year.")]
        assert claims == 3
        imported = new_events(small, before)
        assert [(e[0], e[1], e[2]) for e in imported] == [("article.import", admin_id, "article")]

        # The same upload again changes nothing.
        before = events(small)
        again = upload(client, BATCH).get_data(as_text=True)
        assert "0 imported, 2 already present, 4 refused" in again
        with small.app_context():
            assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 1
            assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 3
        assert events(small) == before
    finally:
        dispose(small)


def test_oversized_file_message_does_not_misstate_its_size(make_app, admin_id):
    """The refusal names the file's size; it must not report a size the file does not have."""
    small = make_app(MAX_ARTICLE_BYTES=LIMIT)
    try:
        client = small.test_client()
        assert login(client, "editor").status_code == 302
        html = upload(client, [BATCH[-1]]).get_data(as_text=True)
        assert "larger than the 300 bytes limit" in html
        assert f"the file is {LIMIT + 1} bytes" not in html, "reports 301 bytes for a 580-byte file"
    finally:
        dispose(small)


def test_uploaded_file_names_are_reduced_to_a_base_name(app, admin_client):
    response = upload(admin_client, [
        ("../../etc/notes.txt", b"The deficit fell to 3% of GDP.\n"),
        ("/home/ed/drafts/report.txt", b"Unemployment stayed at 5%.\n"),
    ])
    assert response.status_code == 200
    assert "2 imported" in response.get_data(as_text=True)
    with app.app_context():
        sources = set(db.session.scalars(sa.select(Article.source)))
    assert sources == {"notes.txt", "report.txt"}


def test_hostile_file_names_are_escaped(app, admin_client):
    img = "<img src=x onerror=alert(1)>"  # browsers send '"' as %22, so no quote here
    bold = "<b onmouseover=alert(1)>"
    response = upload(admin_client, [
        (f"{img}.txt", b"The deficit fell to 3% of GDP.\n"),
        (f"{bold}.txt", b""),
    ])
    pages = [response, admin_client.get("/"), admin_client.get("/admin/audit")]
    with app.app_context():
        pages.append(admin_client.get(f"/articles/{db.session.scalar(sa.select(Article.id))}"))
    for page in pages:
        html = page.get_data(as_text=True)
        assert "<img src=x onerror=alert(1)>" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;.txt" in html
    report = response.get_data(as_text=True)
    assert bold not in report
    assert "&lt;b onmouseover=alert(1)&gt;.txt: the file is empty" in report


def test_import_without_files_is_refused(app, admin_client):
    response = admin_client.post("/admin/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose at least one file." in response.get_data(as_text=True)


def test_request_over_the_size_limit_answers_413_page_and_changes_nothing(app, admin_client):
    """A browser upload over MAX_CONTENT_LENGTH gets the 413 page with a clear message."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    before = events(app)
    escaped = None
    try:
        response = upload(admin_client, [("huge.txt", b"a" * (limit + 1024))])
    except RequestEntityTooLarge as error:
        escaped = repr(error)
    if escaped:
        # Collect the request's spooled upload here, so it cannot warn in a later test.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        pytest.fail(f"no 413 page: rendering it raised again and escaped the app: {escaped}")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "The upload is larger than the 8 MiB limit. Nothing was saved." in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0
    assert events(app) == before


def test_request_over_the_size_limit_answers_413_json(app, admin_client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    before = events(app)
    response = upload(admin_client, [("huge.txt", b"a" * (limit + 1024))],
                      headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert response.json == {
        "error": "The upload is larger than the 8 MiB limit. Nothing was saved.", "status": 413}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0
    assert events(app) == before


def test_413_message_names_a_limit_below_one_mib_correctly(make_app, admin_id):
    small = make_app(MAX_CONTENT_LENGTH=64 * 1024)
    try:
        client = small.test_client()
        assert login(client, "editor").status_code == 302
        # JSON, so this checks the message independently of the HTML error page.
        response = upload(client, [("big.txt", b"a" * (100 * 1024))],
                          headers={"Accept": "application/json"})
        assert response.status_code == 413
        message = response.json["error"]
        assert "Nothing was saved." in message
        assert "the 0 MiB limit" not in message, f"message claims a 0 MiB limit: {message!r}"
        with small.app_context():
            assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0
    finally:
        dispose(small)


# --- audit log -------------------------------------------------------------------------


def test_every_admin_action_writes_one_audit_event(
    app, claims, alice_verdict, reviewer_client, reviewer_id, admin_client, admin_id
):
    save(reviewer_client, claims[1], note="second")
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
        before = events(app)
        admin_client.post(path, data=data)
        written = new_events(app, before)
        assert [(e[0], e[1]) for e in written] == [(action, admin_id)], path
    before = events(app)
    upload(admin_client, [("budget.txt", b"title: Budget\n\nThe deficit fell to 3% of GDP.\n")])
    assert [(e[0], e[1]) for e in new_events(app, before)] == [("article.import", admin_id)]


def test_audit_log_page_lists_events_newest_first(
    app, claims, alice_verdict, admin_client, admin_id
):
    admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={"version": "1"})
    admin_client.post(f"/admin/claims/{claims[2]}/hide")
    admin_client.post("/admin/users",
                      data={"username": "carol", "password": PASSWORD, "role": "reviewer"})
    response = admin_client.get("/admin/audit")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>.*?</tr>", html, re.S)
    actions = [re.findall(r"<td>([a-z]+\.[a-z]+)</td>", row)[0] for row in rows]
    assert actions[:3] == ["user.create", "claim.hide", "verdict.approve"]
    assert set(actions[3:]) == {"user.create", "article.import"}  # the fixtures, by "system"
    assert all("<td>editor</td>" in row for row in rows[:3])
    assert "<td>system</td>" in rows[-1]
    assert f'<a href="/claims/{claims[2]}">claim {claims[2]}</a>' in html
    assert "<dt>username</dt><dd>carol</dd>" in html
