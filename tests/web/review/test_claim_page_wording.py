"""Small things the claim page and the navigation say: the navigation marks the page on
screen, a closed claim (hidden or retired) offers no change it cannot take and shows no
internal version counter, the re-check notice has its own class (not the badge's)."""

from __future__ import annotations

import re

import pytest
from annotator_testkit.confirm import confirmed
from annotator_testkit.web import save


def current_links(html: str) -> list[str]:
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', html)


@pytest.mark.parametrize("path, name", [
    ("/", "Articles"), ("/export/", "Export"), ("/progress", "Progress"),
    ("/admin/desk", "Desk"), ("/admin/import", "Import"), ("/admin/users", "Users"),
    ("/admin/audit", "Audit log"), ("/admin/agreement", "Agreement"),
    ("/account/password", "Password"),
])
def test_the_navigation_marks_the_current_page(admin_client, path, name):
    assert current_links(admin_client.get(path).get_data(as_text=True)) == [name]


def test_a_claim_page_marks_no_navigation_link(claims, reviewer_client):
    assert current_links(reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)) == []


def test_a_hidden_claim_with_an_approved_verdict_offers_no_change(
    app, claims, reviewer_id, make_verdict, admin_id, admin_client, reviewer_client
):
    make_verdict(claims[0], reviewer_id, state="approved", moderated_by_id=admin_id)
    assert admin_client.post(f"/admin/claims/{claims[0]}/hide",
                             data=confirmed()).status_code == 302
    html = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert "Approved by editor" in html
    assert "sends it back to moderation" not in html
    assert "Saved version" not in html and "Your saved verdict" in html
    assert 'class="verdict-form"' not in html


def test_a_retired_claim_offers_no_change(app, claims, reviewer_client, admin_client):
    save(reviewer_client, claims[1], note="On the second claim.", expect=302)
    assert admin_client.post(f"/admin/claims/{claims[0]}/merge",
                             data=confirmed({"version": "1"})).status_code == 302
    html = reviewer_client.get(f"/claims/{claims[1]}").get_data(as_text=True)
    assert "this claim no longer exists" in html
    assert "sends it back to moderation" not in html and "Saved version" not in html


def test_the_recheck_notice_has_its_own_class(app, claims, reviewer_client, admin_client):
    save(reviewer_client, claims[0], note="Before the merge.", expect=302)
    admin_client.post(f"/admin/claims/{claims[0]}/merge", data=confirmed({"version": "1"}))
    html = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert 'class="recheck-notice" role="alert"' in html
    assert not re.search(r'class="recheck"', html)
