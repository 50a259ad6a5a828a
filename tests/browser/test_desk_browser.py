"""Two reviewers judge blind, the queue spreads them, and an editor settles their
disagreements on the decision desk by keyboard without losing their place."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser.ui import complete_setup, create_account, current_claim, flash, log_in, nav

pytestmark = pytest.mark.browser
CLAIM_URL = re.compile(r"/claims/(\d+)")


def judge_next(page: Page, key: str, note: str, url: str = "") -> str:
    """Judge the claim the queue shows, by keyboard; returns its text."""
    text = current_claim(page)
    page.keyboard.press(key)
    if url:
        page.get_by_label("Source URL (optional)").fill(url)
    page.get_by_label("Source note").click()
    page.keyboard.type(note)
    page.keyboard.press("Control+Enter")
    expect(flash(page)).to_contain_text("Saved:")
    return text


def test_the_desk_settles_disagreements_by_keyboard(start_server, new_page, watcher):
    server = start_server()
    admin = new_page(viewport={"width": 1366, "height": 768})
    complete_setup(admin, server.url, "editor")
    create_account(admin, "ann")
    create_account(admin, "ben")
    ann, ben = new_page(), new_page()
    log_in(ann, server.url, "ann")
    log_in(ben, server.url, "ben")

    # In the desk's default order (oldest article first, reading order) both start at the
    # first claim, which still needs its second independent review; ben judges it blind.
    nav(ann, "My queue")
    first = judge_next(ann, "1", "Ann: the readout confirms it.", "https://ann.example/1")
    nav(ben, "My queue")
    assert current_claim(ben) == first
    ann_claim_url = ben.url
    expect(ben.get_by_text("Other reviewers' verdicts appear once you have saved yours.")
           ).to_be_visible()
    judge_next(ben, "2", "Ben: the figures were revised since.", "https://ben.example/1")

    # The desk shows the split claim first, both verdicts side by side.
    nav(admin, "Desk")
    cards = admin.locator("article.desk-claim")
    expect(cards.first).to_have_class(re.compile(r"state-split"))
    expect(cards.first.locator("table.side-by-side")).to_contain_text("Ann: the readout")
    expect(cards.first.locator("table.side-by-side")).to_contain_text("Ben: the figures")
    expect(admin.locator("#desk-keys")).to_contain_text("next/previous claim")

    # By keyboard: j to the first claim, 2 for disputed, r for the rationale, Ctrl+Enter.
    admin.keyboard.press("j")
    admin.keyboard.press("k")
    admin.keyboard.press("2")
    expect(cards.first.get_by_role("radio", name=re.compile("Disputed"))).to_be_checked()
    admin.keyboard.press("r")
    admin.keyboard.type("The statistics office revised the figure on 3 April.")
    with admin.expect_navigation():
        admin.keyboard.press("Control+Enter")
    expect(flash(admin)).to_contain_text("decided: disputed")
    # Back at the same claim, now decided, instead of at the top of the page.
    assert re.search(r"/admin/desk#claim-\d+$", admin.url), admin.url
    decided = admin.locator(admin.url[admin.url.index("#"):])
    expect(decided).to_have_class(re.compile(r"state-decided"))
    expect(decided).to_contain_text("The statistics office revised the figure")
    expect(decided).to_contain_text("https://ann.example/1")

    # Ben, who saved his own verdict, now sees the desk's decision on the claim.
    ben.goto(ann_claim_url)
    expect(ben.locator("section.final-verdict")).to_contain_text("disputed")
    watcher.assert_clean()

