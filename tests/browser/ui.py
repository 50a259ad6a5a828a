"""What people do in the app, as browser steps: only visible links, buttons and labelled fields."""

from __future__ import annotations

import csv
import io
import re

from annotator_testkit.constants import PASSWORD
from playwright.sync_api import Page, expect


def flash(page: Page):
    """The flashed messages at the top of the page."""
    return page.locator("ul.flashes")


def complete_setup(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """The first visitor creates the admin account on the setup page they are sent to."""
    page.goto(base_url + "/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    page.get_by_label("Admin username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create admin account").click()
    expect(flash(page)).to_contain_text(f"Welcome, {username}. Your admin account is ready.")


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header .who")).to_contain_text(username)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(flash(page)).to_contain_text("You are logged out.")


def nav(page: Page, name: str) -> None:
    """Follow a link of the main navigation."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def create_account(admin: Page, username: str, role: str = "reviewer",
                   password: str = PASSWORD) -> None:
    """An admin creates an account on the Users page."""
    nav(admin, "Users")
    fill_account_form(admin, username, role, password)
    expect(flash(admin)).to_contain_text(f"Account {username} ({role}) created.")


def fill_account_form(admin: Page, username: str, role: str = "reviewer",
                      password: str = PASSWORD) -> None:
    admin.get_by_label("Username").fill(username)
    admin.get_by_label("Initial password").fill(password)
    admin.get_by_label("Role").select_option(role)
    submit(admin, "Create account")


def submit(page: Page, button: str) -> None:
    """Click a form's submit button and wait until the page it leads to has loaded.

    A click does not wait for the answer; checks that follow must not read the old page.
    """
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def confirm(page: Page, button: str) -> None:
    """Say yes on the page an admin action asks for confirmation on (hide, split, merge,
    re-split, deactivate): it says what will happen and offers to cancel."""
    expect(page.get_by_role("link", name="Cancel, change nothing")).to_be_visible()
    submit(page, button)


def import_article(admin: Page, file_name: str, text: str | bytes) -> None:
    """An admin uploads one plain-text file on the Import page."""
    nav(admin, "Import")
    content = text.encode() if isinstance(text, str) else text
    admin.get_by_label("Article files (UTF-8 plain text)").set_input_files(
        files=[{"name": file_name, "mimeType": "text/plain", "buffer": content}]
    )
    admin.get_by_role("button", name="Import").click()
    expect(admin.get_by_role("heading", name="Result")).to_be_visible()


def verdict_form(page: Page):
    return page.locator("form.verdict-form")


def current_claim(page: Page) -> str:
    return page.locator("blockquote.current-claim").inner_text()


def download_csv(page: Page) -> tuple[str, list[dict[str, str]]]:
    """Download the CSV from the Export page; return its file name and rows."""
    nav(page, "Export")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    failure = download.failure()
    assert failure is None, f"the CSV download failed: {failure}"
    with open(download.path(), encoding="utf-8", newline="") as handle:
        raw = handle.read()
    return download.suggested_filename, list(csv.DictReader(io.StringIO(raw, newline="")))
