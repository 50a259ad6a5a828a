"""Fixing claim boundaries through the admin routes: split, merge, hide, re-split.

Whatever the sequence of changes: no verdict or revision is lost, claim texts equal their
span of the body, live positions run 1..n in reading order, every change is audited, and
the claims' stored hints are recomputed. Stale boundary forms: ``web/test_stale_edits.py``;
reviewers refused: ``security/test_access_matrix.py``; with CSRF on: ``security/test_csrf.py``.
"""

from __future__ import annotations

import csv
import io
import random

import pytest
import sqlalchemy as sa
from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import PLAN_TEXT
from annotator_testkit.forms import hidden_inputs
from annotator_testkit.hints import NEWS, computed, fake_hints, stored
from annotator_testkit.rows import audit_events, snapshot
from annotator_testkit.web import save

from annotator.extensions import db
from annotator.models import Article, AuditEvent, Claim, Verdict, VerdictRevision
from annotator.services import claim_hints
from annotator.text import splitting
from annotator.text.splitting import ClaimSpan, split_claims


@pytest.fixture
def article_text():
    """Every test here works on the five claims of ``PLAN_TEXT``."""
    return PLAN_TEXT, "plan.txt"


def test_the_article_has_five_claims(claims):
    assert len(claims) == 5


def live(app, article_id):
    """The live claims as (id, position, start, end, text, status), in position order."""
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            sa.select(Claim.id, Claim.position, Claim.start, Claim.end, Claim.text, Claim.status)
            .where(Claim.article_id == article_id, Claim.retired_at.is_(None))
            .order_by(Claim.position))]


def retired(app, article_id):
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            sa.select(Claim.id, Claim.position, Claim.text, Claim.status)
            .where(Claim.article_id == article_id, Claim.retired_at.is_not(None))
            .order_by(Claim.id))]


def verdicts(app):
    """Every verdict: id -> (claim id, reviewer id, note, needs_recheck, version)."""
    with app.app_context():
        return {r.id: (r.claim_id, r.reviewer_id, r.source_note, r.needs_recheck, r.version)
                for r in db.session.execute(
                    sa.select(Verdict.id, Verdict.claim_id, Verdict.reviewer_id,
                              Verdict.source_note, Verdict.needs_recheck, Verdict.version))}


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                     for model in (Verdict, VerdictRevision, AuditEvent))


def version(app, article_id) -> str:
    with app.app_context():
        return str(db.session.get(Article, article_id).boundary_version)


def check_invariants(app, article_id):
    """Offsets are the truth, positions are contiguous, live claims do not overlap."""
    with app.app_context():
        article = db.session.get(Article, article_id)
        body = article.body
        rows = db.session.scalars(
            sa.select(Claim).where(Claim.article_id == article_id).order_by(Claim.id)).all()
        for claim in rows:
            assert claim.text == body[claim.start:claim.end], claim
            assert claim.text.strip() == claim.text and claim.text
            if claim.is_retired:
                assert claim.position == -claim.id and claim.status == "hidden"
        alive = sorted((c for c in rows if not c.is_retired), key=lambda c: c.position)
        assert [c.position for c in alive] == list(range(1, len(alive) + 1))
        for first, second in zip(alive, alive[1:], strict=False):
            assert first.end <= second.start, (first, second)


def split(client, claim_id, at, app, article_id, expect=302, **extra):
    data = {"at": str(at), "version": version(app, article_id), **extra}
    response = client.post(f"/admin/claims/{claim_id}/split", data=confirmed(data))
    assert response.status_code == expect, response.get_data(as_text=True)
    return response


def merge(client, claim_id, app, article_id, expect=302):
    response = client.post(f"/admin/claims/{claim_id}/merge",
                           data=confirmed({"version": version(app, article_id)}))
    assert response.status_code == expect, response.get_data(as_text=True)
    return response


def resplit(client, app, article_id, expect=302):
    response = client.post(f"/admin/articles/{article_id}/resplit",
                           data=confirmed({"version": version(app, article_id)}))
    assert response.status_code == expect, response.get_data(as_text=True)
    return response


def csv_rows(client):
    response = client.get("/export/verdicts.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def judge(claims, reviewer_client, reviewer2_client):
    """Save Alice's verdicts, then Bob's, each given as {claim index: note}."""

    def save_notes(alice: dict[int, str], bob: dict[int, str]) -> None:
        for client, notes in ((reviewer_client, alice), (reviewer2_client, bob)):
            for index, note in notes.items():
                save(client, claims[index], note=note, expect=302)

    return save_notes


def test_split_keeps_verdicts_on_the_first_part_and_marks_them(
    app, article, claims, admin_client, admin_id, judge
):
    judge(alice={0: "ALICE-C1", 1: "ALICE-C2"}, bob={1: "BOB-C2"})
    before_verdicts, before_counts = verdicts(app), counts(app)
    text = "Critics disagreed, citing inflation."
    at = len("Critics disagreed,")

    response = split(admin_client, claims[1], at, app, article)
    assert response.location == f"/claims/{claims[1]}"
    rows = live(app, article)
    assert [r[4] for r in rows[:4]] == [
        "Officials said the plan would cost $3 billion.", "Critics disagreed,",
        "citing inflation.", "The minister replied on Monday, saying the figures were sound.",
    ]
    assert rows[1][0] == claims[1] and rows[2][0] not in claims
    assert [r[0] for r in rows[3:]] == claims[2:]
    check_invariants(app, article)

    after = verdicts(app)
    assert set(after) == set(before_verdicts)
    for vid, (claim, reviewer, note, recheck, ver) in after.items():
        old = before_verdicts[vid]
        assert (claim, reviewer, note) == old[:3]  # nothing moved, nothing lost
        assert recheck is (claim == claims[1])
        assert ver == old[4] + (claim == claims[1])
    assert counts(app)[:2] == before_counts[:2]

    [event] = audit_events(app, "claim.split")
    assert event[:4] == ("claim.split", admin_id, "claim", claims[1])
    details = event[4]
    assert details["before"]["text"] == text
    assert [part["text"] for part in details["after"]] == ["Critics disagreed,",
                                                           "citing inflation."]
    assert details["new_claim_id"] == rows[2][0]
    assert sorted(details["recheck_verdicts"]) == sorted(
        vid for vid, v in after.items() if v[0] == claims[1])
    page = admin_client.get(response.location).get_data(as_text=True)
    assert "Claim split in two" in page


@pytest.mark.parametrize("at", ["0", "36", "999", "-3", "abc", ""])
def test_bad_split_points_change_nothing(app, article, claims, admin_client, reviewer_client,
                                         at):
    save(reviewer_client, claims[1], expect=302)
    before = snapshot(app)
    response = admin_client.post(f"/admin/claims/{claims[1]}/split",
                                 data=confirmed({"at": at, "version": version(app, article)}))
    assert response.status_code == 422
    assert "Nothing was changed." in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_missing_or_bad_version_and_missing_claims(app, article, claims, admin_client):
    before = snapshot(app)
    for path, data in [
        (f"/admin/claims/{claims[0]}/split", {"at": "9"}),
        (f"/admin/claims/{claims[0]}/split", {"at": "9", "version": "x"}),
        (f"/admin/claims/{claims[0]}/merge", {}),
        (f"/admin/articles/{article}/resplit", {"version": ""}),
    ]:
        assert admin_client.post(path, data=data).status_code == 422, (path, data)
    for path in ["/admin/claims/999/split", "/admin/claims/999/merge",
                 "/admin/articles/999/resplit"]:
        assert admin_client.post(path, data={"at": "3", "version": "1"}).status_code == 404
    assert snapshot(app) == before


def test_merge_moves_verdicts_and_keeps_conflicts_on_the_retired_claim(
    app, article, claims, admin_client, admin_id, reviewer_id, reviewer2_client, judge
):
    judge(alice={0: "ALICE-C1", 1: "ALICE-C2"}, bob={1: "BOB-C2"})
    ids = {note: vid for vid, (_, _, note, _, _) in verdicts(app).items()}
    before_counts = counts(app)

    response = merge(admin_client, claims[0], app, article)
    assert response.location == f"/claims/{claims[0]}"
    rows = live(app, article)
    merged = ("Officials said the plan would cost $3 billion. Critics disagreed, citing "
              "inflation.")
    assert rows[0][:5] == (claims[0], 1, 0, len(merged), merged)
    assert [r[0] for r in rows[1:]] == claims[2:]
    assert retired(app, article) == [(claims[1], -claims[1], "Critics disagreed, citing "
                                      "inflation.", "hidden")]
    check_invariants(app, article)

    after = verdicts(app)
    assert after[ids["ALICE-C1"]][0] == claims[0] and after[ids["ALICE-C1"]][3] is True
    assert after[ids["BOB-C2"]][0] == claims[0] and after[ids["BOB-C2"]][3] is True
    # Alice already judged the first claim: her verdict on the second stays with it.
    assert after[ids["ALICE-C2"]][:2] == (claims[1], reviewer_id)
    assert counts(app)[:2] == before_counts[:2]

    [event] = audit_events(app, "claim.merge")
    assert event[:4] == ("claim.merge", admin_id, "claim", claims[0])
    assert [part["id"] for part in event[4]["before"]] == [claims[0], claims[1]]
    assert event[4]["after"]["text"] == merged
    assert event[4]["moved_verdicts"] == [ids["BOB-C2"]]
    assert event[4]["kept_on_retired"] == [ids["ALICE-C2"]]
    assert event[4]["retired_claim_id"] == claims[1]

    # The CSV shows every verdict on live claims, with the merged text; not the retired one.
    table = csv_rows(admin_client)
    assert sorted(r["source_note"] for r in table) == ["ALICE-C1", "BOB-C2"]
    assert {r["claim_text"] for r in table} == {merged}
    # The retired claim is listed for admins and its page says what became of it.
    article_page = admin_client.get(f"/articles/{article}").get_data(as_text=True)
    assert "Retired claims (1)" in article_page
    claim_page = admin_client.get(f"/claims/{claims[1]}").get_data(as_text=True)
    assert "this claim no longer exists" in claim_page and "ALICE-C2" in claim_page
    # It takes no verdicts and cannot be unhidden around the boundary rules.
    assert save(reviewer2_client, claims[1]).status_code == 302
    unhide = admin_client.post(f"/admin/claims/{claims[1]}/unhide", data=confirmed())
    assert unhide.status_code == 409
    assert admin_client.post(f"/admin/claims/{claims[1]}/merge",
                             data=confirmed({"version": version(app, article)})).status_code == 422
    assert verdicts(app) == after


def test_merge_refuses_a_paragraph_break_and_the_last_claim(app, article, claims,
                                                            admin_client):
    before = snapshot(app)
    response = admin_client.post(f"/admin/claims/{claims[2]}/merge",
                                 data=confirmed({"version": "1"}))
    assert response.status_code == 422
    assert "paragraph break" in response.get_data(as_text=True)
    response = admin_client.post(f"/admin/claims/{claims[4]}/merge",
                                 data=confirmed({"version": "1"}))
    assert response.status_code == 422
    assert "last claim" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_merge_may_cross_a_single_line_break(app, article, claims, admin_client):
    merge(admin_client, claims[1], app, article)
    rows = live(app, article)
    assert rows[1][4] == ("Critics disagreed, citing inflation.\nThe minister replied on "
                          "Monday, saying the figures were sound.")
    check_invariants(app, article)


def test_split_then_merge_gives_the_original_back(
    app, article, claims, admin_client, reviewer_client, reviewer2_client
):
    save(reviewer_client, claims[2], note="ALICE", expect=302)
    save(reviewer2_client, claims[2], note="BOB", expect=302)
    original = live(app, article)
    before = verdicts(app)

    split(admin_client, claims[2], len("The minister replied on Monday,"), app, article)
    second = live(app, article)[3][0]
    merge(admin_client, claims[2], app, article)

    assert live(app, article) == original
    assert retired(app, article) == [(second, -second, "saying the figures were sound.",
                                      "hidden")]
    after = verdicts(app)
    assert {vid: v[:3] for vid, v in after.items()} == {vid: v[:3] for vid, v in
                                                        before.items()}
    assert all(v[3] for v in after.values())
    check_invariants(app, article)


def test_merge_then_split_at_the_same_point_revives_the_absorbed_claim(
    app, article, claims, admin_client, judge
):
    judge(alice={3: "ALICE-4", 4: "ALICE-5"}, bob={4: "BOB-5"})
    original = live(app, article)

    merge(admin_client, claims[3], app, article)
    split(admin_client, claims[3], len("Opposition leaders asked for a vote."), app, article)

    assert live(app, article) == original
    assert retired(app, article) == []
    placed = {v[2]: v[0] for v in verdicts(app).values()}
    # Alice's verdict on the absorbed claim comes back with it, and so does Bob's, which
    # the merge had moved onto the merged claim: the undo is complete.
    assert placed == {"ALICE-4": claims[3], "ALICE-5": claims[4], "BOB-5": claims[4]}
    with app.app_context():
        assert db.session.scalars(sa.select(Verdict.moved_from_claim_id)).all() == [None] * 3
    [event] = audit_events(app, "claim.split")
    assert event[4]["revived"] is True and event[4]["new_claim_id"] == claims[4]
    bob = next(i for i, v in verdicts(app).items() if v[2] == "BOB-5")
    assert event[4]["returned_verdicts"] == [bob]
    # It moved twice; a form opened on the merged claim must not land on it any more.
    assert verdicts(app)[bob][3] is True
    assert {row["source_note"]: row["claim_text"] for row in csv_rows(admin_client)}[
        "BOB-5"] == "The vote is set for June."
    check_invariants(app, article)


def test_a_resplit_that_revives_a_claim_returns_the_verdicts_a_merge_moved(
    app, article, claims, admin_client, judge
):
    judge(alice={3: "ALICE-4"}, bob={4: "BOB-5"})
    original = live(app, article)

    merge(admin_client, claims[3], app, article)
    assert {v[2]: v[0] for v in verdicts(app).values()}["BOB-5"] == claims[3]
    resplit(admin_client, app, article)

    # The merged claim's text is gone, so it is retired and its first sentence is a new
    # claim; the second sentence is the absorbed claim, revived with the verdict it lost.
    now = live(app, article)
    assert [row[2:] for row in now] == [row[2:] for row in original]
    assert now[4][0] == claims[4] and now[3][0] not in claims
    placed = {v[2]: v[0] for v in verdicts(app).values()}
    assert placed == {"ALICE-4": now[3][0], "BOB-5": claims[4]}
    [event] = audit_events(app, "article.resplit")
    alice, bob = (next(i for i, v in verdicts(app).items() if v[2] == note)
                  for note in ("ALICE-4", "BOB-5"))
    assert event[4]["moved_verdicts"] == {
        str(bob): [claims[3], claims[4]], str(alice): [claims[3], now[3][0]],
    }
    check_invariants(app, article)


def test_hide_and_unhide_round_trip_keeps_positions(app, article, claims, admin_client):
    original = live(app, article)
    admin_client.post(f"/admin/claims/{claims[0]}/hide", data=confirmed())
    assert live(app, article)[0][5] == "hidden"
    admin_client.post(f"/admin/claims/{claims[0]}/unhide", data=confirmed())
    assert live(app, article) == original


def test_recheck_is_shown_offered_and_cleared_by_saving_again(
    app, article, claims, admin_client, reviewer_client, reviewer_id
):
    save(reviewer_client, claims[0], "supported", "MY-NOTE", expect=302)
    save(reviewer_client, claims[1], "supported", "OTHER", expect=302)
    [vid] = [v for v, row in verdicts(app).items() if row[2] == "MY-NOTE"]
    stale_version = str(verdicts(app)[vid][4])
    split(admin_client, claims[0], len("Officials said"), app, article)

    # The form loaded before the change is stale now.
    response = save(reviewer_client, claims[0], "supported", "MY-NOTE",
                            version=stale_version)
    assert response.status_code == 409
    index = reviewer_client.get("/").get_data(as_text=True)
    assert "1 verdict to re-check" in index and "1 to re-check" in index
    assert reviewer_client.get("/queue").location == f"/claims/{claims[0]}"
    page = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert "an admin changed this claim's boundaries" in page
    assert "state-recheck" in reviewer_client.get(f"/articles/{article}").get_data(
        as_text=True)

    # Saving exactly the same verdict again confirms it: a new revision, back to moderation.
    current = hidden_inputs(page, f"/claims/{claims[0]}")["version"]
    save(reviewer_client, claims[0], "supported", "MY-NOTE", version=current, expect=302)
    claim, _, note, recheck, ver = verdicts(app)[vid]
    assert (claim, note, recheck, ver) == (claims[0], "MY-NOTE", False, int(current) + 1)
    with app.app_context():
        revisions = db.session.scalars(
            sa.select(VerdictRevision.version).where(VerdictRevision.verdict_id == vid)
            .order_by(VerdictRevision.version)).all()
        assert revisions == [1, ver]
        assert db.session.get(Verdict, vid).moderation_state == "pending"
    assert "to re-check" not in reviewer_client.get("/").get_data(as_text=True)
    # A further identical save is a no-op again.
    save(reviewer_client, claims[0], "supported", "MY-NOTE", version=str(ver), expect=302)
    assert verdicts(app)[vid][4] == ver


def by_lines(body: str) -> list[ClaimSpan]:
    """Another splitter: one claim per line."""
    spans, offset = [], 0
    for line in body.split("\n"):
        text = line.strip()
        if text:
            start = offset + line.index(text)
            spans.append(ClaimSpan(start, start + len(text), text))
        offset += len(line) + 1
    return spans


def test_resplit_with_unchanged_splitter_changes_no_claim(
    app, article, claims, admin_client, admin_id, reviewer_client
):
    save(reviewer_client, claims[0], expect=302)
    admin_client.post(f"/admin/claims/{claims[1]}/hide", data=confirmed())
    original, before = live(app, article), verdicts(app)
    response = resplit(admin_client, app, article)
    assert response.location == f"/articles/{article}"
    assert live(app, article) == original  # the hidden claim stays hidden
    assert verdicts(app) == before
    [event] = audit_events(app, "article.resplit")
    assert event[:4] == ("article.resplit", admin_id, "article", article)
    assert event[4]["unchanged"] == 5 and event[4]["retired_claims"] == []


def test_resplit_after_the_splitter_changed_keeps_verdicts_of_unchanged_claims(
    app, article, claims, admin_client, reviewer_client, reviewer2_client, monkeypatch
):
    save(reviewer_client, claims[0], note="ALICE-1", expect=302)
    save(reviewer_client, claims[1], note="ALICE-2", expect=302)
    save(reviewer2_client, claims[1], note="BOB-2", expect=302)
    save(reviewer_client, claims[2], note="ALICE-3", expect=302)  # a line on its own: unchanged
    admin_client.post(f"/admin/claims/{claims[2]}/hide", data=confirmed())
    before_counts = counts(app)
    monkeypatch.setattr(splitting, "split_claims", by_lines)

    resplit(admin_client, app, article)
    rows = live(app, article)
    assert [r[4] for r in rows] == [line for line in PLAN_TEXT.split("\n") if line]
    assert rows[1][:1] + rows[1][5:] == (claims[2], "hidden")
    first_line = rows[0][0]
    assert first_line not in claims
    assert {r[0] for r in retired(app, article)} == {claims[0], claims[1], claims[3],
                                                     claims[4]}
    placed = {v[2]: (v[0], v[3]) for v in verdicts(app).values()}
    assert placed["ALICE-3"] == (claims[2], False)  # unchanged: same claim, no re-check
    assert placed["ALICE-1"] == (first_line, True)  # moved to the line holding its text
    assert placed["BOB-2"] == (first_line, True)
    assert placed["ALICE-2"] == (claims[1], False)  # alice already has one there
    assert counts(app)[:2] == before_counts[:2]
    check_invariants(app, article)

    # Back to the sentence splitter: the old claims come back with what they kept.
    monkeypatch.setattr(splitting, "split_claims", split_claims)
    resplit(admin_client, app, article)
    assert [r[0] for r in live(app, article)] == claims
    # Bob's verdict returns to the revived claim it was taken from; Alice's first, taken
    # from a claim that comes back too, returns to it.
    placed = {v[2]: v[0] for v in verdicts(app).values()}
    assert placed == {"ALICE-1": claims[0], "BOB-2": claims[1], "ALICE-2": claims[1],
                      "ALICE-3": claims[2]}
    assert retired(app, article) == sorted(
        (c, -c, text, "hidden") for c, text in [(first_line, rows[0][4]), (rows[2][0],
                                                                          rows[2][4])])
    check_invariants(app, article)
    assert counts(app)[:2] == before_counts[:2]


def test_random_sequences_keep_every_invariant(
    app, article, claims, admin_client, reviewer_client, reviewer2_client, monkeypatch
):
    for n, claim in enumerate(claims):
        save(reviewer_client, claim, note=f"ALICE-{n}", expect=302)
        if n % 2:
            save(reviewer2_client, claim, note=f"BOB-{n}", expect=302)
    total = counts(app)[:2]
    notes = sorted(v[2] for v in verdicts(app).values())
    splitter = {"current": split_claims}
    monkeypatch.setattr(splitting, "split_claims", lambda body: splitter["current"](body))
    rng = random.Random(20261123)
    for _step in range(40):
        rows = live(app, article)
        claim_id, *_rest, text, _status = rows[rng.randrange(len(rows))]
        action = rng.choice(["split", "split", "merge", "merge", "resplit", "hide"])
        if action == "split":
            points = [n for n in range(1, len(text)) if text[n] == " "]
            if points:
                split(admin_client, claim_id, rng.choice(points), app, article)
        elif action == "merge":
            response = admin_client.post(f"/admin/claims/{claim_id}/merge",
                                         data=confirmed({"version": version(app, article)}))
            assert response.status_code in (302, 422)
        elif action == "resplit":
            splitter["current"] = rng.choice([split_claims, by_lines])
            resplit(admin_client, app, article)
        else:
            admin_client.post(f"/admin/claims/{claim_id}/hide", data=confirmed())
            if rng.random() < 0.7:
                admin_client.post(f"/admin/claims/{claim_id}/unhide", data=confirmed())
        check_invariants(app, article)
        assert counts(app)[:2] == total
        assert sorted(v[2] for v in verdicts(app).values()) == notes

    done = {e[0] for e in audit_events(app)}
    assert {"claim.split", "claim.merge", "article.resplit", "claim.hide"} <= done

    # The CSV holds exactly the verdicts on live, shown claims, each with its claim's text.
    with app.app_context():
        expected = sorted(
            (note, text) for note, text in db.session.execute(
                sa.select(Verdict.source_note, Claim.text).join(Claim)
                .where(Claim.status == "open", Claim.retired_at.is_(None)))
        )
    assert sorted((r["source_note"], r["claim_text"]) for r in csv_rows(admin_client)) \
        == expected
    assert expected


def test_merging_a_hidden_claim_with_an_open_one_gives_an_open_claim(
    app, article, claims, admin_client
):
    admin_client.post(f"/admin/claims/{claims[3]}/hide", data=confirmed())
    merge(admin_client, claims[3], app, article)
    assert live(app, article)[3][::5] == (claims[3], "open")
    [event] = audit_events(app, "claim.merge")
    assert [part["status"] for part in event[4]["before"]] == ["hidden", "open"]


def test_verdicts_left_on_retired_claims_leave_moderation_and_queues(
    app, article, claims, admin_client, reviewer_client, reviewer2_client
):
    save(reviewer_client, claims[3], note="ALICE-FIRST", expect=302)
    save(reviewer_client, claims[4], note="ALICE-KEPT-ON-RETIRED", expect=302)
    merge(admin_client, claims[3], app, article)
    page = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert "ALICE-FIRST" in page and "ALICE-KEPT-ON-RETIRED" not in page
    # Bob's queue never offers the retired claim.
    seen = []
    for _ in range(10):
        location = reviewer2_client.get("/queue").location
        if location == "/":
            break
        claim_id = int(location.rsplit("/", 1)[1])
        seen.append(claim_id)
        save(reviewer2_client, claim_id, expect=302)
    assert sorted(seen) == [c for c in claims if c != claims[4]]


def test_a_reviewer_can_read_their_verdict_on_a_retired_or_hidden_claim(
    app, article, claims, admin_client, reviewer_client
):
    save(reviewer_client, claims[0], note="ALICE-ON-HIDDEN", expect=302)
    save(reviewer_client, claims[3], note="ALICE-FIRST", expect=302)
    save(reviewer_client, claims[4], note="ALICE-KEPT-ON-RETIRED", expect=302)
    merge(admin_client, claims[3], app, article)
    admin_client.post(f"/admin/claims/{claims[0]}/hide", data=confirmed())
    for claim, note in ((claims[4], "ALICE-KEPT-ON-RETIRED"), (claims[0], "ALICE-ON-HIDDEN")):
        page = reviewer_client.get(f"/claims/{claim}").get_data(as_text=True)
        assert 'class="verdict-form"' not in page
        assert note in page


def test_boundary_changes_recompute_the_hints(app, make_article, claim_ids, admin_client,
                                              monkeypatch):
    monkeypatch.setattr(claim_hints, "hints_for_claims", fake_hints)
    article = make_article(NEWS, "news.txt")
    claims = claim_ids(article)
    admin_client.post(f"/admin/claims/{claims[0]}/merge", data=confirmed({"version": "1"}))
    assert stored(app, article)[0] == (True, "Rubio", True, True, False, True)
    admin_client.post(f"/admin/claims/{claims[0]}/split", data=confirmed({
        "version": "2", "at": str(len('"We will not back down," Rubio said on Monday.'))}))
    assert stored(app, article)[:2] == [
        (True, "Rubio", False, False, False, True), (False, None, True, True, False, False)]


def test_stored_hints_are_what_the_hints_module_says(app, make_article, claim_ids,
                                                     admin_client):
    """End to end with the real rules, whatever they are: import, then a split."""
    article = make_article(NEWS, "news.txt")
    assert stored(app, article) == computed(app, article)
    claims = claim_ids(article)
    admin_client.post(f"/admin/claims/{claims[2]}/split", data=confirmed({
        "version": "1", "at": str(len("The deal is worth $2 billion,"))}))
    assert len(stored(app, article)) == 5
    assert stored(app, article) == computed(app, article)
