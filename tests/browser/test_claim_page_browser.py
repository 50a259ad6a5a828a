"""The claim page holds still for a reviewer who works all day: nothing above the claim leaves
the screen on load (only the article panel scrolls to the claim), the "Saved" message does
not move the verdict buttons, the three verdicts share one row down to 360 px, the admin's
tools sit in their own panel and ask before acting, and the keyboard does the rest: "?"
lists the keys, j/k step through the claims, an error takes the focus and is tied to its
field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser.ui import complete_setup, confirm, flash, log_in, nav, submit

pytestmark = pytest.mark.browser

CLAIM_URL = re.compile(r"/claims/(\d+)")


@pytest.fixture(scope="module")
def server(start_server, make_context):
    """A server whose admin, "editor", exists; each test logs in as them."""
    started = start_server()
    context = make_context()
    complete_setup(context.new_page(), started.url, "editor")
    context.close()
    return started


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not rendered"
    return found


def assert_nothing_above_the_claim_left_the_screen(page: Page) -> None:
    assert page.evaluate("window.scrollY") == 0
    assert box(page, "p.crumbs")["y"] >= 0
    claim = box(page, "blockquote.current-claim")
    assert claim["y"] >= 0
    # The highlighted claim is centred inside the article panel, within its visible part.
    panel, mark = box(page, "article.in-context"), box(page, "mark#current")
    assert panel["y"] - 1 <= mark["y"]
    assert mark["y"] + mark["height"] <= panel["y"] + panel["height"] + 1


def verdict_rows(page: Page) -> set[float]:
    return {round(label.bounding_box()["y"]) for label in page.locator("label.label-choice").all()}


def save_with_keys(page: Page, key: str, note: str) -> None:
    page.keyboard.press(key)
    page.get_by_label("Source note").fill(note)
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844), (360, 740)])
def test_the_claim_page_holds_still(server, new_page, watcher, width, height):
    page = new_page(viewport={"width": width, "height": height})
    log_in(page, server.url, "editor")
    nav(page, "My queue")
    assert_nothing_above_the_claim_left_the_screen(page)
    assert len(verdict_rows(page)) == 1, "the three verdicts wrap to a second row"
    save_with_keys(page, "1", "Checked against the ministry's release.")
    expect(flash(page)).to_contain_text("Saved:")
    assert_nothing_above_the_claim_left_the_screen(page)
    with_message = box(page, "label.label-choice")
    # The same page without the message: the verdict buttons are where they were.
    page.reload()
    expect(flash(page)).to_have_count(0)
    assert box(page, "label.label-choice")["y"] == with_message["y"]
    assert len(verdict_rows(page)) == 1
    watcher.assert_clean()


def test_admin_tools_are_apart_and_ask_first(server, new_page, watcher):
    page = new_page(viewport={"width": 1366, "height": 768})
    log_in(page, server.url, "editor")
    nav(page, "My queue")
    claim_url = page.url
    tools = page.get_by_role("region", name="Admin tools")
    expect(tools.get_by_role("button", name="Hide claim (not checkable)")).to_be_visible()
    expect(tools.get_by_role("button", name="Save verdict")).to_have_count(0)
    save_top = box(page, "form.verdict-form button.primary")
    assert box(page, "section.admin-panel")["y"] > save_top["y"] + save_top["height"]
    submit(page, "Hide claim (not checkable)")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hide claim")
    # Cancelling changes nothing.
    page.get_by_role("link", name="Cancel, change nothing").click()
    expect(page).to_have_url(claim_url)
    expect(page.get_by_text("An admin hid this claim")).to_have_count(0)
    submit(page, "Hide claim (not checkable)")
    confirm(page, "Yes, hide the claim")
    expect(flash(page)).to_contain_text("Claim hidden")
    expect(page.get_by_text("An admin hid this claim")).to_be_visible()
    submit(page, "Unhide claim")
    confirm(page, "Yes, unhide the claim")
    expect(flash(page)).to_contain_text("Claim restored")
    watcher.assert_clean()


def test_keyboard_help_steps_and_errors(server, new_page, watcher):
    page = new_page(viewport={"width": 1366, "height": 768})
    log_in(page, server.url, "editor")
    nav(page, "My queue")
    first = page.url
    expect(page.get_by_role("button", name="Press ? for shortcuts")).to_be_visible()
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    rows = {row.split("\t")[0].strip(): row for row in help_dialog.locator("tr").all_inner_texts()}
    for key, what in [("1", "Supported"), ("2", "Disputed"), ("3", "Unclear"),
                      ("Ctrl+Enter", "Save verdict"), ("j", "Next claim"), ("k", "Previous claim"),
                      ("?", "Show this list"), ("Esc", "Close it")]:
        assert what in rows.get(key, ""), (key, rows)
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    # j and k step through the article's claims.
    with page.expect_navigation():
        page.keyboard.press("j")
    assert page.url != first
    with page.expect_navigation():
        page.keyboard.press("k")
    assert page.url == first
    # Not while typing: they are letters of the note then.
    page.keyboard.press("2")
    page.get_by_label("Source note").click()
    page.keyboard.type("jk")
    expect(page.get_by_label("Source note")).to_have_value("jk")
    assert page.url == first
    # A missing note: the page comes back with the focus on the note, the error tied to it.
    page.get_by_label("Source note").fill("")
    watcher.expected_statuses.add(422)
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    note = page.get_by_label("Source note")
    expect(note).to_be_focused()
    expect(note).to_have_attribute("aria-invalid", "true")
    described = note.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{name}") for name in described if name.endswith("error")]
    assert errors and errors[0].inner_text().strip()
    watcher.assert_clean()
