"""The whole workflow in a real browser, as the desk does it, through visible UI only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser.ui import (
    complete_setup,
    create_account,
    current_claim,
    download_csv,
    flash,
    log_in,
    log_out,
    nav,
    verdict_form,
)

FIRST_NOTE = "Matches the State Department readout of 3 April, paragraph 2."
SECOND_NOTE = "The official said the opposite in the briefing transcript."
REVISED_NOTE = "The transcript is ambiguous; the recording is not public yet."
CLAIM_URL = re.compile(r"/claims/\d+$")
REJECTION = "The transcript you cite is about another meeting; check the date."


def test_whole_workflow(start_server, new_page, watcher):
    """Setup, a reviewer, verdicts with notes, approve and reject, revise, CSV, logout."""
    server = start_server()
    admin = new_page()

    # The first visitor sets the site up and creates a reviewer account.
    complete_setup(admin, server.url, "editor")
    create_account(admin, "alice")
    expect(admin.get_by_role("row", name=re.compile(r"^alice reviewer active"))).to_be_visible()

    # The reviewer logs in on their own computer and opens their queue.
    reviewer = new_page()
    reviewer.goto(server.url + "/")
    expect(reviewer).to_have_url(re.compile(r"/login"))
    log_in(reviewer, server.url, "alice")
    reviewer.get_by_role("link", name=re.compile(r"Continue my queue")).click()
    expect(reviewer).to_have_url(CLAIM_URL)
    first_claim = current_claim(reviewer)
    first_url = reviewer.url

    # First claim by keyboard: 1 picks "supported", Ctrl+Enter saves from inside the note.
    # The note has a "3" in it: typed into the note, it must not change the verdict.
    reviewer.keyboard.press("1")
    expect(reviewer.get_by_role("radio", name="Supported")).to_be_checked()
    reviewer.get_by_label("Source note").click()
    reviewer.keyboard.type(FIRST_NOTE)
    reviewer.keyboard.press("Control+Enter")
    expect(flash(reviewer)).to_contain_text("Saved: supported. It now waits for moderation.")

    # Saving went on to the next claim; this one by mouse, with a source URL.
    expect(reviewer).not_to_have_url(first_url)
    second_claim = current_claim(reviewer)
    second_url = reviewer.url
    assert second_claim != first_claim
    reviewer.get_by_role("radio", name="Disputed").click()
    reviewer.get_by_label("Source note").fill(SECOND_NOTE)
    reviewer.get_by_label("Source URL (optional)").fill("https://example.org/transcript")
    reviewer.get_by_role("button", name="Save verdict").click()
    expect(flash(reviewer)).to_contain_text("Saved: disputed. It now waits for moderation.")

    # The admin approves the first verdict and rejects the second with a reason.
    nav(admin, "Desk")
    admin.get_by_role("link", name="moderation list").click()
    expect(admin.get_by_role("heading", name="Moderation queue")).to_contain_text("2 waiting")
    first_card = admin.locator("li.card").filter(has_text=FIRST_NOTE)
    second_card = admin.locator("li.card").filter(has_text=SECOND_NOTE)
    expect(first_card.locator("blockquote")).to_have_text(first_claim)
    expect(second_card.locator("blockquote")).to_have_text(second_claim)
    first_card.get_by_role("button", name="Approve").click()
    expect(flash(admin)).to_contain_text("alice's verdict on claim")
    expect(flash(admin)).to_contain_text("approved")
    second_card = admin.locator("li.card").filter(has_text=SECOND_NOTE)
    second_card.get_by_label("Reason for rejection").fill(REJECTION)
    second_card.get_by_role("button", name="Reject").click()
    expect(flash(admin)).to_contain_text("rejected")
    expect(admin.get_by_text("Nothing waits for moderation.")).to_be_visible()

    # The reviewer is told about the rejection, reads the reason and revises.
    nav(reviewer, "Articles")
    reviewer.get_by_role("link", name="1 rejected verdict to revise").click()
    expect(reviewer).to_have_url(second_url)
    rejection = reviewer.get_by_role("alert")
    expect(rejection).to_contain_text("Rejected by editor")
    expect(rejection).to_contain_text(REJECTION)
    expect(verdict_form(reviewer).get_by_label("Source note")).to_have_value(SECOND_NOTE)
    expect(reviewer.get_by_role("radio", name="Disputed")).to_be_checked()
    reviewer.keyboard.press("3")
    expect(reviewer.get_by_role("radio", name="Unclear")).to_be_checked()
    reviewer.get_by_label("Source note").fill(REVISED_NOTE)
    reviewer.get_by_role("button", name="Save verdict").click()
    expect(flash(reviewer)).to_contain_text("Saved: unclear. It now waits for moderation.")

    # The revision keeps the rejected version in the reviewer's history.
    reviewer.goto(second_url)
    expect(reviewer.get_by_role("alert")).to_have_count(0)
    history = reviewer.locator("details.history")
    history.locator("summary").click()
    expect(history.locator("summary")).to_have_text("My earlier versions (1)")
    expect(history).to_contain_text(SECOND_NOTE)
    expect(history).to_contain_text(f"Reason: {REJECTION}")

    # The revised verdict waits for the admin again, with what was decided before.
    nav(admin, "Desk")
    admin.get_by_role("link", name="moderation list").click()
    expect(admin.get_by_role("heading", name="Moderation queue")).to_contain_text("1 waiting")
    card = admin.locator("li.card")
    expect(card).to_have_count(1)
    expect(card.locator("blockquote")).to_have_text(second_claim)
    expect(card).to_contain_text(REVISED_NOTE)
    expect(card.locator(".badge.label-unclear")).to_be_visible()
    expect(card.locator("details.earlier summary")).to_contain_text(
        f"rejected by editor: {REJECTION}"
    )

    # The admin downloads every verdict as CSV through the browser.
    name, rows = download_csv(admin)
    assert re.fullmatch(r"verdicts-all-\d{8}T\d{6}Z\.csv", name), name
    by_claim = {row["claim_text"]: row for row in rows}
    assert len(rows) == 2 and set(by_claim) == {first_claim, second_claim}, rows
    first, second = by_claim[first_claim], by_claim[second_claim]
    assert (first["verdict"], first["source_note"], first["source_url"]) == (
        "supported", FIRST_NOTE, ""
    )
    assert (first["reviewer"], first["moderation_state"], first["moderated_by"]) == (
        "alice", "approved", "editor"
    )
    assert (second["verdict"], second["source_note"], second["source_url"]) == (
        "unclear", REVISED_NOTE, "https://example.org/transcript"
    )
    assert (second["moderation_state"], second["moderated_by"], second["moderation_reason"]) == (
        "pending", "", ""
    )

    # The reviewer downloads their own verdicts, then both log out.
    name, rows = download_csv(reviewer)
    assert re.fullmatch(r"verdicts-alice-\d{8}T\d{6}Z\.csv", name), name
    assert sorted(row["verdict"] for row in rows) == ["supported", "unclear"]
    for page in (reviewer, admin):
        log_out(page)
        expect(page).to_have_url(re.compile(r"/login$"))
        # The session is gone: a protected page leads back to the login form.
        page.goto(server.url + "/export/")
        expect(page).to_have_url(re.compile(r"/login\?next=%2Fexport%2F$"))
        expect(flash(page)).to_contain_text("Please log in to continue.")
        expect(page.get_by_role("button", name="Log in")).to_be_visible()

    watcher.assert_clean()


@pytest.fixture(scope="module")
def desk(live_server, make_context):
    """A set-up site with an admin and two reviewers, created through the UI once per module."""
    context = make_context()
    try:
        admin = context.new_page()
        complete_setup(admin, live_server.url, "editor")
        create_account(admin, "ruth")
        create_account(admin, "sam")
    finally:
        context.close()
    return live_server


def wait_for_dialogs(page, watcher, count: int) -> None:
    """Give a dialog the browser is about to open a moment to arrive."""
    for _ in range(50):
        if len(watcher.dialogs) >= count:
            return
        page.wait_for_timeout(100)


def open_queue(new_page, base_url: str, username: str):
    """Log in on a new page and open the queue's next claim; return the page and its URL."""
    page = new_page()
    log_in(page, base_url, username)
    nav(page, "My queue")
    expect(page).to_have_url(CLAIM_URL)
    return page, page.url


def test_leaving_a_typed_note_asks_first(desk, new_page, watcher):
    """A stray click away from a typed, unsaved note is held up by the browser's warning."""
    reviewer, claim_url = open_queue(new_page, desk.url, "ruth")

    # Nothing typed yet: leaving asks nothing.
    nav(reviewer, "Articles")
    expect(reviewer.get_by_role("heading", name="Articles")).to_be_visible()

    reviewer.goto(claim_url)
    note = "Half-written note about the ministry figures"
    reviewer.get_by_label("Source note").fill(note)
    nav(reviewer, "Articles")
    wait_for_dialogs(reviewer, watcher, 1)
    # The watcher dismisses every dialog: "stay on the page", so the typed note is still there.
    assert watcher.dialogs == [("beforeunload", "")]
    watcher.dialogs.clear()
    expect(reviewer).to_have_url(claim_url)
    expect(reviewer.get_by_label("Source note")).to_have_value(note)

    # Saving is leaving on purpose: no warning.
    reviewer.get_by_role("radio", name="Unclear").click()
    reviewer.get_by_role("button", name="Save verdict").click()
    expect(flash(reviewer)).to_contain_text("Saved: unclear.")
    nav(reviewer, "Articles")
    expect(reviewer.get_by_role("heading", name="Articles")).to_be_visible()
    watcher.assert_clean()


def test_a_stale_form_is_refused_and_keeps_the_typed_text(desk, new_page, watcher):
    """The same verdict edited in two browsers: the later save is refused, nothing is lost."""
    laptop, claim_url = open_queue(new_page, desk.url, "sam")
    laptop.get_by_role("radio", name="Supported").click()
    laptop.get_by_label("Source note").fill("First reading: the figures match the ministry table.")
    laptop.get_by_role("button", name="Save verdict").click()
    expect(flash(laptop)).to_contain_text("Saved: supported.")
    laptop.get_by_role("link", name="← previous").click()
    expect(laptop).to_have_url(claim_url)

    # The same reviewer opens the same verdict on a second computer and changes it there.
    desktop = new_page()
    log_in(desktop, desk.url, "sam")
    desktop.goto(claim_url)
    desktop.get_by_role("radio", name="Disputed").click()
    desktop.get_by_label("Source note").fill("Second reading: the table was corrected on Friday.")
    desktop.get_by_role("button", name="Save verdict").click()
    expect(flash(desktop)).to_contain_text("Saved: disputed.")

    # The laptop still shows the first version; saving from it must not overwrite the second.
    typed = "Laptop edit: the ministry table and the wire story agree."
    laptop.get_by_role("radio", name="Unclear").click()
    laptop.get_by_label("Source note").fill(typed)
    watcher.expected_statuses.add(409)
    with laptop.expect_response(claim_url) as answer:
        laptop.get_by_role("button", name="Save verdict").click()
    assert answer.value.status == 409
    expect(flash(laptop)).to_contain_text(
        "Your verdict on this claim changed since you opened this page"
    )
    expect(flash(laptop)).to_contain_text("Nothing was saved")
    # What was typed is still in the form, next to the version that is saved now.
    expect(laptop.get_by_label("Source note")).to_have_value(typed)
    expect(laptop.get_by_role("radio", name="Unclear")).to_be_checked()
    saved = laptop.locator(".saved-version")
    expect(saved).to_contain_text("Second reading: the table was corrected on Friday.")
    expect(saved.locator(".badge")).to_have_text("disputed")

    # Saving again is the reviewer's deliberate choice, and now it goes through.
    laptop.get_by_role("button", name="Save verdict").click()
    expect(flash(laptop)).to_contain_text("Saved: unclear.")
    desktop.goto(claim_url)
    expect(desktop.get_by_label("Source note")).to_have_value(typed)
    history = desktop.locator("details.history summary")
    expect(history).to_have_text("My earlier versions (2)")
    watcher.assert_clean()
