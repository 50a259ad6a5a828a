"""The audit log's names, readable changes and filters: actor and subject by name in a
bounded number of queries, before/after as a table of changed fields, filters by actor,
action and date range kept in the address and by the pager, bad dates ignored with a
clear message."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from annotator_testkit.lists import add_event, audit_rows, pager_link, redate_events
from annotator_testkit.pages import assert_escaped

from annotator.extensions import db
from annotator.models import Claim, User
from annotator.services import moderation

OLD_DAY = dt.datetime(2026, 3, 10, 12, 0)
NEW_DAY = dt.datetime(2026, 3, 20, 9, 30)


@pytest.fixture
def moderated(app, claims, alice_verdict, admin_client, admin_id, reviewer_id):
    """Alice's verdict approved on the page, claim 3 hidden through the service."""
    admin_client.post(f"/admin/verdicts/{alice_verdict}/approve", data={"version": "1"})
    with app.app_context():
        moderation.set_hidden(db.session.get(Claim, claims[2]), True,
                              db.session.get(User, admin_id))
        db.session.commit()
    return alice_verdict


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_actors_subjects_and_changes_are_shown_by_name(admin_client, moderated, claims):
    html = page(admin_client, "/admin/audit")
    rows = audit_rows(html)
    assert rows[0] == ("editor", "claim.hide",
                       "claim 3 of The U.S. economy grew by 2.5% last year.")
    assert rows[1] == ("editor", "verdict.approve",
                       f"verdict {moderated} on claim 1 of The U.S. economy grew by 2.5% "
                       "last year.")
    assert ("system", "user.create", "alice") in rows
    # The changes as a table of fields, the reviewer by name, never a raw dict or "id 2".
    assert '<th scope="row">moderation</th><td>pending</td><td>approved</td>' in html
    assert '<th scope="row">status</th><td>open</td><td>hidden</td>' in html
    assert "<dt>reviewer</dt><dd>alice</dd>" in html
    assert "{&#39;" not in html and "{'" not in html and "reviewer id" not in html


def test_a_split_is_shown_as_claim_texts_not_a_dict(app, admin_client, admin_id, claims):
    with app.app_context():
        claim = db.session.get(Claim, claims[0])
        span = {"id": claim.id, "start": claim.start, "end": claim.end, "text": claim.text}
    add_event(app, admin_id, "claim.split", target=claim, before=span, after=[span, span],
              article_id=claim.article_id, new_claim_id=claims[1])
    html = page(admin_client, "/admin/audit?action=claim.split")
    assert "<dt>new claim</dt><dd>claim 2 of The U.S. economy" in html
    assert f"“{span['text']}” (characters {span['start']}–{span['end']})" in html
    assert "{'id'" not in html and "&#39;id&#39;" not in html


def test_filter_by_actor_action_and_dates(app, admin_client, admin_id, reviewer_id,
                                          make_user):
    redate_events(app, OLD_DAY)  # the fixtures' own events
    add_event(app, admin_id, "user.deactivate", when=NEW_DAY, before=True, after=False)
    add_event(app, reviewer_id, "user.password", when=NEW_DAY, username="alice")
    add_event(app, admin_id, "user.activate", when=OLD_DAY, before=False, after=True)

    by_actor = audit_rows(page(admin_client, f"/admin/audit?actor={reviewer_id}"))
    assert by_actor == [("alice", "user.password", "alice")]
    by_action = audit_rows(page(admin_client, "/admin/audit?action=user.deactivate"))
    assert by_action == [("editor", "user.deactivate", "editor")]
    newest = audit_rows(page(admin_client, "/admin/audit?from=2026-03-15"))
    assert [action for _, action, _ in newest] == ["user.password", "user.deactivate"]
    oldest = audit_rows(page(admin_client, "/admin/audit?to=2026-03-10"))
    assert "user.activate" in [a for _, a, _ in oldest]
    assert not {"user.password", "user.deactivate"} & {a for _, a, _ in oldest}
    one_day = audit_rows(page(admin_client,
                              f"/admin/audit?from=2026-03-20&to=2026-03-20&actor={admin_id}"))
    assert one_day == [("editor", "user.deactivate", "editor")]
    html = page(admin_client, f"/admin/audit?actor={admin_id}&action=user.activate")
    assert f'<option value="{admin_id}" selected>editor</option>' in html
    assert '<option value="user.activate" selected>user.activate</option>' in html


@pytest.mark.parametrize(("query", "message"), [
    ("from=2026-02-30", "“2026-02-30” is not a date like 2026-12-01; the “from” date is ignored."),
    ("to=yesterday", "“yesterday” is not a date like 2026-12-01; the “to” date is ignored."),
    ("from=2026-03-21&to=2026-03-01", "The “from” date (2026-03-21) is after the “to” date"),
])
def test_a_bad_date_is_ignored_with_a_clear_message(app, admin_client, admin_id, query,
                                                    message):
    everything = audit_rows(page(admin_client, "/admin/audit"))
    html = page(admin_client, f"/admin/audit?{query}")
    assert message in html
    assert 'role="alert"' in html
    assert audit_rows(html) == everything  # the bad filter is ignored, not applied


@pytest.mark.parametrize("query", [
    "actor=abc", "actor=-1", f"actor={10**30}", "action=" + "x" * 5000,
    "action=%25", "action=<script>alert(1)</script>", "from=" + "9" * 5000,
    "from=<b>x</b>", "actor=&action=&from=&to=",
])
def test_hostile_filters_never_error(admin_client, admin_id, query):
    html = page(admin_client, f"/admin/audit?{query}")
    assert "<script>alert(1)</script>" not in html


def test_an_unknown_actor_or_action_matches_nothing(admin_client, admin_id):
    assert "No event matches these filters." in page(admin_client, "/admin/audit?actor=999")
    assert "No event matches" in page(admin_client, "/admin/audit?action=user.nothing")


def test_hostile_text_in_details_is_escaped(app, admin_client, admin_id):
    payload = "<img src=x onerror=alert(1)>"
    add_event(app, admin_id, "user.create", username=payload, before={"a": payload},
              after={"a": "b"})
    assert_escaped(page(admin_client, "/admin/audit"), payload)


def test_the_pager_keeps_the_filters(app, admin_client, admin_id):
    app.config["PAGE_SIZE"] = 3
    for n in range(8):
        add_event(app, admin_id, "user.password", when=NEW_DAY, username=f"u{n}")
    add_event(app, admin_id, "user.activate", when=NEW_DAY)  # filtered out
    url, seen = "/admin/audit?action=user.password&from=2026-03-20", []
    while url:
        html = page(admin_client, url)
        seen += audit_rows(html)
        url = pager_link(html, "Older")
        if url:
            assert "action=user.password" in url and "from=2026-03-20" in url
    assert len(seen) == 8 and {a for _, a, _ in seen} == {"user.password"}
    previous = pager_link(html, "&larr; Newer")
    assert previous and "action=user.password" in previous
    assert re.search(r"<span>\d of 8</span>", html)
