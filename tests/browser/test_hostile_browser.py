"""Hostile input through the browser: it is stored and shown as text, and never runs.

Each payload of ``payloads.PAYLOADS`` goes, through the real forms, into an article's text,
its title header line and its file name, a reviewer's source note and an admin's rejection
reason; then every page that shows them is opened by the admin, by the reviewer, and by an
admin whose browser ignores the Content-Security-Policy (so that escaping alone is tested:
with the policy on, an escaping mistake would be blocked and only reported). Usernames with
other characters than the allowed ones are refused at account creation and login, and are
shown back escaped in the form.
Source URLs with other schemes than http(s) are refused with a message; http(s) URLs that
try to break out of their link are shown as links to exactly themselves.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from browser.payloads import (
    BREAKOUT_SOURCE_URLS,
    HOSTILE_SOURCE_URLS,
    PAYLOADS,
    REFUSED_FIELDS,
    STORED_FIELDS,
    Payload,
)
from browser.ui import (
    complete_setup,
    create_account,
    download_csv,
    fill_account_form,
    flash,
    import_article,
    log_in,
    nav,
    submit,
    verdict_form,
)

CLAIM_URL = re.compile(r"/claims/(\d+)$")
# The documented rule: 2 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit.
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{1,39}")

# What an injected element or attribute would leave in the page. The app's own markup has
# none of these: one script (app.js), no inline style, no handlers, no frames or images.
FIND_INJECTED = """
() => {
  const found = [];
  const banned = "iframe, frame, object, embed, base, style, svg, math, img, video, audio, " +
    "source, template";
  for (const element of document.querySelectorAll(banned)) {
    found.push("<" + element.tagName.toLowerCase() + "> element");
  }
  for (const script of document.scripts) {
    if (!script.src || new URL(script.src).pathname !== "/static/app.js") {
      found.push("script " + (script.src || script.textContent.slice(0, 60)));
    }
  }
  for (const link of document.querySelectorAll("link")) {
    if (!["stylesheet", "icon"].includes(link.rel)) { found.push("link rel=" + link.rel); }
  }
  for (const meta of document.querySelectorAll("meta")) {
    if (!meta.hasAttribute("charset") && meta.name !== "viewport") {
      found.push("meta " + meta.outerHTML.slice(0, 60));
    }
  }
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on") || name === "style" || name === "srcdoc") {
        found.push(element.tagName.toLowerCase() + " [" + name + "]");
      }
    }
  }
  for (const element of document.querySelectorAll("[href], [action], [formaction], [src]")) {
    const raw = element.getAttribute("href") || element.getAttribute("action") ||
      element.getAttribute("formaction") || element.getAttribute("src") || "";
    let protocol = "unparsable:";
    try { protocol = new URL(raw, location.href).protocol; } catch (error) { /* reported */ }
    if (!["http:", "https:"].includes(protocol) && !raw.startsWith("data:,")) {
      found.push(element.tagName.toLowerCase() + " pointing to " + raw.slice(0, 60));
    }
  }
  if (document.title.indexOf("annotator") < 0) { found.push("title replaced: " + document.title); }
  return found;
}
"""

# Text of the elements matching a selector, leaving out the words only screen readers get.
TEXTS_OF = """
(selector) => Array.from(document.querySelectorAll(selector)).map((element) => {
  const copy = element.cloneNode(true);
  copy.querySelectorAll(".sr-only").forEach((hidden) => hidden.remove());
  return copy.textContent;
})
"""

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def file_name_for(text: str) -> str:
    """The payload as a file name a file system accepts: no path separators in it.

    The lookalike slashes keep the payload's shape (another trick hostile names use).
    """
    return text.replace("/", "\u2215").replace("\\", "\u2216") + ".txt"


def shown_file_names(name: str) -> tuple[str, ...]:
    """The names the desk may show: bidirectional controls, which can disguise a file's type,
    are dropped; '"' arrives as sent or as %22 (HTML's multipart encoding), by browser."""
    shown = BIDI_CONTROLS.sub("", name).strip()
    return (shown, shown.replace('"', "%22"))


def shown_title(text: str) -> str:
    """Titles are one line: runs of white space become one space, and bidirectional
    controls, which would reverse the title wherever it is listed, are dropped."""
    return " ".join(BIDI_CONTROLS.sub("", text).split())


def spreadsheet_cell(text: str) -> str:
    """A cell a spreadsheet would run as a formula is exported behind an apostrophe."""
    if text.lstrip(" ")[:1] in ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"):
        return "'" + text
    return text


def expected_piece(text: str, limit: int) -> str:
    """What must be visible of a value the app may shorten (titles, file names): all of it,
    or its first part when it is longer than the app keeps."""
    return text if len(text) <= limit else text[:100]


def typed(page: Page, text: str) -> str:
    """What a username field takes of ``text``: the browser stops at its maxlength."""
    limit = page.get_by_label("Username").get_attribute("maxlength")
    return text[: int(limit)] if limit else text


class Findings:
    """Every failed check of one payload, so one run reports them all."""

    def __init__(self, payload: Payload):
        self.payload = payload
        self.failures: list[str] = []

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.failures.append(message)

    def visit(self, page: Page, where: str, url: str | None = None, fits: bool = True) -> None:
        """Open ``url`` (or stay), then check that nothing was injected into the page and,
        with ``fits``, that no long value pushes the page wider than the window."""
        if url is not None:
            page.goto(url)
        page.wait_for_load_state()
        try:
            injected = page.evaluate(FIND_INJECTED)
            pwned = page.evaluate("window.__pwned === undefined ? null : window.__pwned")
        except PlaywrightError as error:
            # An injected redirect (a meta refresh, a script) takes the page away.
            self.check(False, f"{where}: the page went away by itself: {error.message}")
            return
        self.check(not injected, f"{where}: injected into the page: {injected}")
        self.check(pwned is None, f"{where}: a script ran (window.__pwned = {pwned!r})")
        if fits:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            self.check(overflow <= 1, f"{where}: the page is {overflow} px wider than the window")

    def shows(self, page: Page, where: str, field: str, selector: str,
              text: str | tuple[str, ...]) -> None:
        """``text`` (or one of several acceptable forms of it) appears, as text, in an element
        matching ``selector``."""
        texts = page.evaluate(TEXTS_OF, selector)
        wanted = text if isinstance(text, tuple) else (text,)
        self.check(
            any(one in found for found in texts for one in wanted),
            f"{where}: the {field} is not shown as text in {selector!r}: expected "
            f"{wanted[0][:120]!r}, found {[found[:160] for found in texts][:6]}",
        )

    def reachable(self, page: Page, where: str, locator, what: str) -> None:
        """``locator`` is visible and lies within the window's width (no sideways scrolling
        needed to reach it)."""
        box = locator.bounding_box() if locator.count() == 1 else None
        width = page.evaluate("document.documentElement.clientWidth")
        self.check(
            box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width,
            f"{where}: {what} is not within the window (box {box}, window width {width})",
        )

    def assert_none(self) -> None:
        assert not self.failures, (
            f"payload {self.payload.name!r}:\n  " + "\n  ".join(self.failures)
        )


@pytest.fixture(scope="module")
def logins(live_server, make_context):
    """Set the site up through the UI once per module (the admin "editor", the reviewer
    "rita") and keep both logins, so that each test's fresh browsers start logged in."""
    states = {}
    context = make_context()
    try:
        page = context.new_page()
        complete_setup(page, live_server.url, "editor")
        create_account(page, "rita")
        states["editor"] = context.storage_state()
    finally:
        context.close()
    context = make_context()
    try:
        log_in(context.new_page(), live_server.url, "rita")
        states["rita"] = context.storage_state()
    finally:
        context.close()
    return live_server.url, states


@pytest.fixture
def people(logins, new_page):
    """Fresh browsers for one test: the admin, the reviewer, a visitor who is not logged in,
    and the admin again in a browser that ignores the Content-Security-Policy."""
    base_url, states = logins
    return (
        base_url,
        new_page(storage_state=states["editor"]),
        new_page(storage_state=states["rita"]),
        new_page(),
        new_page(storage_state=states["editor"], bypass_csp=True),
    )


@pytest.mark.parametrize("payload", PAYLOADS, ids=[payload.name for payload in PAYLOADS])
def test_hostile_text_is_shown_as_text_and_never_runs(payload, people, watcher):
    """The payload, in each field that stores it, is shown as exactly its text on every page
    that shows the field, and runs nowhere; as a username it is refused and shown back."""
    base_url, admin, reviewer, visitor, unprotected = people
    value = {field: payload.for_field(field) for field in STORED_FIELDS + REFUSED_FIELDS}
    findings = Findings(payload)
    title = expected_piece(shown_title(value["title"]), 140)
    file_name = tuple(
        expected_piece(name, 255) for name in shown_file_names(file_name_for(value["file_name"]))
    )
    # A plain line after the payload keeps the body unique to this case (a re-import of the
    # same body would be ignored) and gives the article a claim without payload.
    body = f"{value['body']}\nThe closing line of the {payload.name} case is plain."
    note, reason = value["note"].strip(), value["reason"].strip()

    # The admin imports the file; the import report names it and links the article.
    admin.goto(base_url + "/")
    import_article(
        admin, file_name_for(value["file_name"]), f"title: {value['title']}\n{body}\n"
    )
    expect(flash(admin)).to_contain_text("1 imported")
    findings.visit(admin, "import report")
    findings.shows(admin, "import report", "title", "main li a", title)
    findings.shows(admin, "import report", "file name", "main li", file_name)
    article_url = base_url + admin.locator("main ul li a[href^='/articles/']").get_attribute(
        "href"
    )

    # The reviewer judges the article's first claim with the payload as the note.
    reviewer.goto(article_url)
    reviewer.get_by_role("link", name=re.compile("Judge the claims of this article")).click()
    expect(reviewer).to_have_url(CLAIM_URL)
    claim_url = reviewer.url
    claim_path = "/claims/" + CLAIM_URL.search(claim_url).group(1)
    claim_text = reviewer.locator("blockquote.current-claim").text_content()
    reviewer.get_by_role("radio", name="Disputed").click()
    reviewer.get_by_label("Source note").fill(value["note"])
    reviewer.get_by_role("button", name="Save verdict").click()
    expect(flash(reviewer)).to_contain_text("Saved: disputed.")

    # The admin rejects it from the claim page, with the payload as the reason.
    admin.goto(claim_url)
    others = admin.locator("ul.others")
    others.get_by_label("Reason for rejection").fill(value["reason"])
    others.get_by_role("button", name="Reject").click()
    expect(flash(admin)).to_contain_text("rejected")

    for page, who in ((admin, "admin"), (unprotected, "admin without CSP")):
        where = f"claim page ({who})"
        findings.visit(page, where, claim_url)
        findings.shows(page, where, "title", "p.crumbs a", title)
        findings.shows(page, where, "article text", "article.in-context", value["body"])
        findings.shows(page, where, "note", "ul.others .note", note)
        findings.shows(page, where, "reason", "ul.others", f"Rejected: {reason}")
        findings.check(title in page.title(),
                       f"{where}: the title is not in the window title {page.title()!r}")

    where = "claim page (reviewer)"
    findings.visit(reviewer, where, claim_url)
    findings.shows(reviewer, where, "reason", ".rejection .note", reason)
    findings.shows(reviewer, where, "article text", "article.in-context", value["body"])
    findings.check(
        verdict_form(reviewer).get_by_label("Source note").input_value() == note,
        f"{where}: the note in the form is not exactly what was saved",
    )
    save = reviewer.get_by_role("button", name="Save verdict")
    findings.reachable(reviewer, where, save, "the Save verdict button")
    # Standing by the rejected verdict sends it back to moderation, with its history.
    save.click()
    expect(flash(reviewer)).to_contain_text("Saved: disputed.")

    for page, who in ((admin, "admin"), (unprotected, "admin without CSP")):
        where = f"article list ({who})"
        findings.visit(page, where, base_url + "/")
        findings.shows(page, where, "title", "table.list td a", title)
        findings.shows(page, where, "file name", "table.list .file-name", file_name)

        where = f"article page ({who})"
        findings.visit(page, where, article_url)
        findings.shows(page, where, "title", "h1", title)
        findings.shows(page, where, "file name", "p.meta", file_name)
        findings.shows(page, where, "article text", "article.body", value["body"])

        where = f"moderation queue ({who})"
        findings.visit(page, where, base_url + "/admin/moderation")
        card = f"li.card:has(a[href='{claim_path}'])"
        findings.shows(page, where, "title", f"{card} p.meta a", title)
        findings.shows(page, where, "claim", f"{card} blockquote", claim_text)
        findings.shows(page, where, "note", f"{card} > p.note", note)
        findings.shows(page, where, "reason", f"{card} details.earlier summary", reason)
        for button in ("Approve", "Reject"):
            findings.reachable(page, where, page.locator(card).get_by_role("button", name=button),
                               f"the {button} button")

        where = f"decision desk ({who})"
        article_id = article_url.rsplit("/", 1)[1]
        findings.visit(page, where, base_url + "/admin/desk?article=" + article_id)
        card = f"article.desk-claim:has(a[href='{claim_path}'])"
        findings.shows(page, where, "title", f"{card} h2 a", title)
        findings.shows(page, where, "claim", f"{card} blockquote.claim-text", claim_text)
        findings.shows(page, where, "note", f"{card} table.side-by-side p.note", note)
        findings.reachable(page, where, page.locator(card).get_by_role("button", name="Approve"),
                           "the Approve button")

        where = f"audit log ({who})"
        findings.visit(page, where, base_url + "/admin/audit")
        findings.shows(page, where, "title", "dl.details dd", title)
        findings.shows(page, where, "file name", "dl.details dd", file_name)
        findings.shows(page, where, "reason", "dl.details dd", reason)

        for where, path in (("users page", "/admin/users"), ("export page", "/export/")):
            findings.visit(page, f"{where} ({who})", base_url + path)

    # The CSV carries the values unchanged, formulas neutralised.
    _name, rows = download_csv(admin)
    rows = [
        row for row in rows
        if row["claim_text"] == spreadsheet_cell(claim_text) and row["reviewer"] == "rita"
    ]
    findings.check(len(rows) == 1, f"CSV: {len(rows)} rows for the claim, expected 1")
    for row in rows:
        findings.check(row["source_note"] == spreadsheet_cell(note),
                       f"CSV: source_note is {row['source_note'][:120]!r}")
        findings.check(row["article_title"].startswith(spreadsheet_cell(title)),
                       f"CSV: article_title is {row['article_title'][:120]!r}")
    # Approving keeps the shared moderation queue short for the next payloads.
    admin.goto(base_url + "/admin/moderation")
    admin.locator(f"li.card:has(a[href='{claim_path}'])").get_by_role(
        "button", name="Approve"
    ).click()
    expect(flash(admin)).to_contain_text("approved")

    # A username is letters, digits, '.', '_', '-': anything else is refused, and the form
    # says why and shows the name back as typed (the browser stops at the field's maxlength).
    watcher.expected_statuses.add(422)
    nav(admin, "Users")
    accounts = admin.locator("table.list tbody tr").count()
    name = typed(admin, value["username"])
    fill_account_form(admin, value["username"])
    where = "users page after creating an account"
    findings.visit(admin, where)
    if USERNAME.fullmatch(name):
        # What remains of a long payload within the limit can be a fine name.
        findings.shows(admin, where, "username", "table.list td", name)
    else:
        error = admin.locator(".field.has-error .error")
        findings.check(
            error.count() == 1 and re.search(
                r"A username has 2 to 40 characters|cannot be longer than 40",
                error.inner_text(),
            ) is not None,
            f"{where}: no clear refusal message next to the refused username",
        )
        findings.check(admin.get_by_label("Username").input_value() == name,
                       f"{where}: the username field does not show the refused name as typed")
        findings.check(admin.locator("table.list tbody tr").count() == accounts,
                       f"{where}: an account was created for a refused name")

    visitor.goto(base_url + "/login")
    visitor.get_by_label("Username").fill(value["login"])
    visitor.get_by_label("Password").fill("not the password at all")
    submit(visitor, "Log in")
    where = "login page after a refused username"
    findings.visit(visitor, where)
    findings.check(
        re.search(r"Unknown username|cannot be longer than 40",
                  visitor.locator("main").inner_text()) is not None,
        f"{where}: no clear refusal message",
    )
    findings.check(visitor.get_by_label("Username").input_value() == typed(visitor, value["login"]),
                   f"{where}: the username field does not show the name as typed")

    findings.assert_none()
    watcher.assert_clean()


def test_source_urls_other_than_http_are_refused(people, watcher):
    """javascript:, data:, file: and friends are refused with a message; nothing is saved."""
    base_url, _admin, reviewer, _visitor, _unprotected = people
    note = "Checked against the ministry's published table."
    nav_to_queue(reviewer, base_url)
    claim_url = reviewer.url
    watcher.expected_statuses.add(422)
    findings = Findings(Payload("source URL", "not http(s)"))
    for url in HOSTILE_SOURCE_URLS:
        where = f"source URL {url!r}"
        reviewer.get_by_role("radio", name="Supported").click()
        reviewer.get_by_label("Source note").fill(note)
        reviewer.get_by_label("Source URL (optional)").fill(url)
        with reviewer.expect_response(claim_url) as answer:
            submit(reviewer, "Save verdict")
        findings.check(answer.value.status == 422, f"{where}: answered {answer.value.status}")
        findings.visit(reviewer, where)
        errors = reviewer.locator(".field.has-error").filter(
            has=reviewer.get_by_label("Source URL (optional)")
        ).locator(".error")
        findings.check(
            errors.count() == 1 and errors.inner_text()
            == "The source URL must start with http:// or https:// and name a host.",
            f"{where}: no clear message next to the URL field",
        )
        # What was typed stays in the form (a URL field drops its outer white space).
        findings.check(
            reviewer.get_by_label("Source URL (optional)").input_value() == url.strip()
            and reviewer.get_by_label("Source note").input_value() == note
            and reviewer.get_by_role("radio", name="Supported").is_checked(),
            f"{where}: the form lost what was typed",
        )
    findings.assert_none()

    # Nothing was saved: the claim is still unjudged for this reviewer.
    reviewer.goto(claim_url)
    expect(reviewer.get_by_text("Other reviewers' verdicts appear once you have saved yours."))\
        .to_be_visible()
    expect(reviewer.get_by_label("Source note")).to_have_value("")
    expect(reviewer.locator(".mine")).to_have_count(0)
    watcher.assert_clean()


def nav_to_queue(page: Page, base_url: str) -> None:
    """Open the reviewer's next unjudged claim."""
    page.goto(base_url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My queue").click()
    expect(page).to_have_url(CLAIM_URL)


@pytest.mark.parametrize("url", BREAKOUT_SOURCE_URLS)
def test_source_urls_that_try_to_leave_their_link_stay_links(url, people, watcher):
    """A valid http(s) URL with quotes and markup is saved and linked as exactly itself."""
    base_url, admin, reviewer, _visitor, unprotected = people
    nav_to_queue(reviewer, base_url)
    claim_url = reviewer.url
    reviewer.get_by_role("radio", name="Unclear").click()
    reviewer.get_by_label("Source note").fill("The link says it all.")
    reviewer.get_by_label("Source URL (optional)").fill(url)
    reviewer.get_by_role("button", name="Save verdict").click()
    expect(flash(reviewer)).to_contain_text("Saved: unclear.")

    findings = Findings(Payload("source URL", url))
    findings.visit(reviewer, "claim page (reviewer)", claim_url)
    findings.check(reviewer.get_by_label("Source URL (optional)").input_value() == url,
                   "claim page (reviewer): the URL field does not hold the saved URL")
    claim_path = "/claims/" + CLAIM_URL.search(claim_url).group(1)
    for page, who in ((admin, "admin"), (unprotected, "admin without CSP")):
        for where, address, scope in (
            (f"claim page ({who})", claim_url, "ul.others"),
            (f"moderation queue ({who})", base_url + "/admin/moderation",
             f"li.card:has(a[href='{claim_path}'])"),
        ):
            findings.visit(page, where, address)
            links = page.locator(f"{scope} a[target=_blank]")
            hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
            texts = [links.nth(i).text_content() for i in range(links.count())]
            findings.check(hrefs == [url] and texts == [url],
                           f"{where}: source links {list(zip(hrefs, texts, strict=True))}")
    admin.locator(f"li.card:has(a[href='{claim_path}'])").get_by_role(
        "button", name="Approve"
    ).click()
    expect(flash(admin)).to_contain_text("approved")
    findings.assert_none()
    watcher.assert_clean()


def test_article_header_urls_are_linked_only_when_http(people, watcher):
    """An imported article's ``url:`` header becomes the "original" link only for http(s),
    and then exactly as written."""
    base_url, admin, _reviewer, _visitor, unprotected = people
    cases = [(url, None) for url in HOSTILE_SOURCE_URLS]
    cases += [(url, url) for url in BREAKOUT_SOURCE_URLS]
    admin.goto(base_url + "/admin/import")
    admin.get_by_label("Article files (UTF-8 plain text)").set_input_files(files=[
        {
            "name": f"header-url-{number}.txt",
            "mimeType": "text/plain",
            "buffer": f"url: {url}\nThe header URL case number {number} is plain.\n".encode(),
        }
        for number, (url, _linked) in enumerate(cases)
    ])
    admin.get_by_role("button", name="Import").click()
    expect(flash(admin)).to_contain_text(f"{len(cases)} imported")
    imported = admin.locator("main ul:not(.flashes) li:has(a[href^='/articles/'])")
    articles = {
        imported.nth(i).text_content(): imported.nth(i).locator("a").get_attribute("href")
        for i in range(imported.count())
    }
    findings = Findings(Payload("header url", "url: …"))
    for number, (url, linked) in enumerate(cases):
        name = f"from header-url-{number}.txt)"
        (path,) = [href for text, href in articles.items() if name in text]
        for page, who in ((admin, "admin"), (unprotected, "admin without CSP")):
            where = f"article page with url: {url!r} ({who})"
            findings.visit(page, where, base_url + path)
            original = page.get_by_role("link", name="original", exact=True)
            if linked is None:
                findings.check(original.count() == 0, f"{where}: linked as the original")
            else:
                findings.check(original.count() == 1 and original.get_attribute("href") == url,
                               f"{where}: the original link is not exactly the header URL")
    findings.assert_none()
    watcher.assert_clean()


# Payloads that do something when printed raw into a page (the others are inert text; for
# them the checks that matter are that they are shown exactly, as above).
ACTIVE = {
    "script-tag", "img-onerror", "svg-onload", "attribute-breakout", "single-quote-breakout",
    "textarea-breakout", "title-breakout", "javascript-link", "iframe-srcdoc",
    "autofocus-onfocus", "details-ontoggle", "mutation-xss", "base-and-meta", "polyglot",
    "css-injection",
}


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_the_checks_catch_a_payload_printed_raw(bypass_csp, new_page, watcher):
    """The checks above can fail: a page that prints a payload without escaping, under the
    app's own Content-Security-Policy or without one, is caught for every active payload."""
    from annotator.web.headers import CONTENT_SECURITY_POLICY

    def page_printing(text: str):
        def serve(route):
            if route.request.url.endswith("/static/app.js"):
                route.fulfill(body="", content_type="text/javascript")
                return
            route.fulfill(
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
                body=(
                    "<!doctype html><html><head><meta charset='utf-8'>"
                    "<title>Claim 1 · annotator</title>"
                    "<script src='/static/app.js' defer></script></head>"
                    f"<body><main><p class='note'>{text}</p></main></body></html>"
                ),
            )

        return serve

    missed = []
    for payload in PAYLOADS:
        # A page of its own for each payload: whatever one does late (a refresh, a focus
        # handler) cannot be counted against the next.
        page = new_page(bypass_csp=bypass_csp)
        page.route("http://unescaped.test/**", page_printing(payload.for_field("note")))
        findings = Findings(payload)
        before = len(watcher.problems())
        # Unstyled on purpose, so its width says nothing about ours.
        findings.visit(page, "raw page", "http://unescaped.test/claims/1", fits=False)
        caught = bool(findings.failures) or len(watcher.problems()) > before
        # The context, not the page: closing a page whose injected refresh is still under
        # way can wait for ever.
        page.context.close()
        if caught != (payload.name in ACTIVE):
            missed.append(f"{payload.name}: caught={caught}")
    assert not missed, "the checks misjudge raw payloads:\n" + "\n".join(missed)
