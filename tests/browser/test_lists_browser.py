"""The Articles page and the audit log in Chromium at 390 px (a phone) and 1280 px: no
horizontal scrolling of the page, dates on one line (never one character a line), and a
search through the form that lands in the address."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser.ui import complete_setup, create_account, import_article, log_in, nav

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
HASHED = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.txt"

# How many lines each element's text takes (the height of its text, not of its cell,
# which a table stretches to the row's height), in its own line height.
LINES_OF = """
(elements) => elements.map((el) => {
  const style = getComputedStyle(el);
  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
  const text = document.createRange();
  text.selectNodeContents(el);
  return Math.round(text.getBoundingClientRect().height / line);
})
"""
PAGE_OVERFLOW = ("() => document.documentElement.scrollWidth - "
                 "document.documentElement.clientWidth")


@pytest.fixture(scope="module")
def desk(start_server, make_context):
    """An admin and a reviewer; two articles (one under a hash-like file name); a few
    audited actions."""
    server = start_server()
    context = make_context(viewport=DESKTOP)
    admin = context.new_page()
    complete_setup(admin, server.url, "editor")
    create_account(admin, "ann")
    import_article(admin, HASHED, "title: Budget deficit falls to 3% of GDP\n"
                   "source: Kyiv Post\ndate: 2025-04-03\n\nThe deficit fell to 3% of GDP.\n"
                   "Spending rose by 4% in March.\n")
    import_article(admin, "ministers.txt", "title: Ministers meet in Brussels\n\n"
                   "Ministers met on Tuesday.\n")
    yield server
    context.close()


def assert_fits(page: Page, date_cells: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1")).to_be_visible()
    assert page.evaluate(PAGE_OVERFLOW) <= 0, "the page scrolls sideways"
    hidden = page.locator(".table-wrap").evaluate_all(
        "(wraps) => wraps.map((wrap) => wrap.scrollWidth - wrap.clientWidth)")
    assert hidden and max(hidden) <= 0, "a table is wider than its place"
    cells = page.locator(date_cells)
    expect(cells.first).to_be_visible()
    lines = cells.evaluate_all(LINES_OF)
    assert lines and max(lines) <= 1, lines  # a date on one line, not a character a line


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_articles_page_fits_and_searches(desk, new_page, viewport):
    page = new_page(viewport=viewport)
    log_in(page, desk.url, "editor")
    nav(page, "Articles")
    assert_fits(page, "table.articles td.date")
    rows = page.locator("table.articles tbody tr")
    expect(rows.first.locator("td.article-name a")).to_have_text("Ministers meet in Brussels")
    expect(page.get_by_role("link", name=re.compile(HASHED[:12]))).to_have_count(0)

    page.get_by_label("Search title or source").fill("kyiv")
    page.get_by_label("Sort by").select_option("published")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?q=kyiv&state=&sort=published&dir=desc$"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Budget deficit falls to 3% of GDP")
    expect(rows.first.locator(".file-name")).to_contain_text(HASHED)
    expect(rows.first).to_contain_text("verdicts still needed")  # the team's progress
    assert_fits(page, "table.articles td.date")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_audit_log_fits_and_filters(desk, new_page, viewport):
    page = new_page(viewport=viewport)
    log_in(page, desk.url, "editor")
    page.goto(desk.url + "/admin/audit")
    assert_fits(page, "table.audit td.when time")
    for cells in ("table.audit td.action", "table.audit td.who"):
        assert max(page.locator(cells).evaluate_all(LINES_OF)) <= 1, cells
    expect(page.locator("table.audit td.subject").first).to_have_text(
        "Ministers meet in Brussels")

    page.get_by_label("Action").select_option("user.create")
    page.get_by_label("From").fill("2001-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"action=user\.create&from=2001-01-01"))
    actions = page.locator("table.audit td.action")
    expect(actions).to_have_count(2)  # the editor (setup) and ann
    expect(page.locator("table.audit td.subject")).to_have_text(["ann", "editor"])
    assert_fits(page, "table.audit td.when time")

    page.goto(desk.url + "/admin/audit?from=someday")
    expect(page.get_by_role("alert")).to_contain_text("“someday” is not a date")


def test_a_reviewer_sees_their_own_progress(desk, new_page):
    page = new_page(viewport=PHONE)
    log_in(page, desk.url, "ann")
    nav(page, "Articles")
    expect(page.locator("table.articles td.progress").first).to_contain_text("0 / 1 judged")
    assert_fits(page, "table.articles td.date")
