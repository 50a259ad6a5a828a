"""Blind review: other reviewers' verdicts stay hidden from a reviewer until they have
saved their own; admins see them to moderate.
"""

from __future__ import annotations

from annotator_testkit.web import save


def test_other_reviewers_verdicts_are_hidden_until_i_save_mine(
    app, article, claims, reviewer_client, reviewer2_client, admin_client
):
    assert save(reviewer2_client, claims[0], "disputed", "BOB-SECRET-NOTE",
                "https://bob.example/src").status_code == 302

    def leaks(response):
        html = response.get_data(as_text=True)
        return "BOB-SECRET-NOTE" in html or "bob.example" in html or "<strong>bob</strong>" in html

    page = reviewer_client.get(f"/claims/{claims[0]}")
    assert not leaks(page)
    assert "verdicts appear once you have saved yours." in page.get_data(as_text=True)
    # Neither a refused save (422) nor a conflict (409) shows them.
    assert not leaks(save(reviewer_client, claims[0], "disputed", ""))
    assert not leaks(save(reviewer_client, claims[0], "disputed", "x", version="1"))
    assert not leaks(reviewer_client.get(f"/articles/{article}"))
    assert not leaks(reviewer_client.get("/export/verdicts.csv"))

    # An admin moderates, so an admin sees them without a verdict of their own.
    assert leaks(admin_client.get(f"/claims/{claims[0]}"))

    assert save(reviewer_client, claims[0], "supported", "ALICE-NOTE").status_code == 302
    page = reviewer_client.get(f"/claims/{claims[0]}")
    assert leaks(page)
    assert "ALICE-NOTE" in reviewer2_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
