"""An admin fixes claim boundaries under judged claims, in a real browser, through visible UI.

Two reviewers judge an article; the admin splits, merges, undoes the merge, re-splits and
loses a race against their own second tab. No verdict may disappear on the way: each one is
either on a live claim (and in the CSV with that claim's current text) or on a retired claim
listed on the article page.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from browser.ui import (
    complete_setup,
    confirm,
    create_account,
    download_csv,
    flash,
    import_article,
    log_in,
    nav,
    submit,
)

TITLE = "Trade figures for the first quarter"
ARTICLE = (
    f"title: {TITLE}\n"
    "Exports rose by 4% in March. Officials praised the result. The minister said nothing.\n"
    "\n"
    "Imports fell by 2% in April. Traders blamed the weather.\n"
)
EXPORTS = "Exports rose by 4% in March."
OFFICIALS = "Officials praised the result."
MINISTER = "The minister said nothing."
MERGED = f"{OFFICIALS} {MINISTER}"
IMPORTS = "Imports fell by 2% in April."

RUTH_EXPORTS = "Ruth: the statistics office release shows 4.1% for March."
RUTH_OFFICIALS = "Ruth: the ministry's press release quotes two officials."
RUTH_MINISTER = "Ruth: no statement by the minister in the wire copy."
SAM_EXPORTS = "Sam: the customs table gives 3.8%, not 4%."
SAM_MINISTER = "Sam: the minister spoke on radio that evening."
SAVED = 5

CSV_HEADER = [
    "article_id", "article_title", "article_date", "claim_id", "claim_position",
    "claim_text", "verdict", "source_note", "source_url", "reviewer", "moderation_state",
    "moderated_by", "moderation_reason", "created_at", "updated_at", "needs_recheck",
    "claim_start", "claim_end",
]
RECHECK = "Check again: an admin changed this claim's boundaries"


def claim_link(page: Page, text: str):
    """The claim's link in the article body; its name ends with the state, e.g. "(recheck)"."""
    pattern = re.compile("^" + re.escape(text) + r" \(\w+\)$")
    return page.locator("article.body").get_by_role("link", name=pattern)


def open_claim(page: Page, article_url: str, text: str) -> str:
    page.goto(article_url)
    claim_link(page, text).click()
    expect(page.locator("blockquote.current-claim")).to_have_text(text)
    return page.url


def judge(page: Page, article_url: str, text: str, verdict: str, note: str) -> None:
    open_claim(page, article_url, text)
    page.get_by_role("radio", name=verdict).click()
    page.get_by_label("Source note").fill(note)
    page.get_by_role("button", name="Save verdict").click()
    expect(flash(page)).to_contain_text(f"Saved: {verdict.lower()}.")


def open_boundaries(page: Page):
    tools = page.locator("details.boundaries")
    tools.locator("summary").click()
    return tools


def split_at(page: Page, cut: str) -> None:
    """Choose the gap whose label reads ``cut`` (words, " | ", words) and split there."""
    tools = open_boundaries(page)
    before, after = cut.split(" | ")
    tools.get_by_role("radio", name=f"{before} (split here) {after}", exact=True).check()
    submit(page, "Split here")
    confirm(page, "Yes, split the claim")


def other_verdicts(page: Page):
    """The verdicts an admin sees listed under "Other reviewers" on a claim page."""
    return page.locator("ul.others > li")


def expect_my_verdict(page: Page, url: str, note: str, recheck: bool) -> None:
    page.goto(url)
    expect(page.get_by_label("Source note")).to_have_value(note)
    alerts = page.get_by_role("alert").filter(has_text="Check again")
    expect(alerts).to_have_count(1 if recheck else 0)
    if recheck:
        expect(alerts).to_contain_text(RECHECK)


def articles_recheck(page: Page, count: int) -> None:
    """The Articles page counts the reader's verdicts to re-check, overall and per article."""
    nav(page, "Articles")
    row = page.get_by_role("row", name=re.compile(re.escape(TITLE)))
    button = page.get_by_role("link", name=re.compile(r"verdicts? to re-check"))
    if count:
        expect(row).to_contain_text(f"{count} to re-check")
        plural = "" if count == 1 else "s"
        expect(button).to_have_text(f"{count} verdict{plural} to re-check")
    else:
        expect(row).not_to_contain_text("to re-check")
        expect(button).to_have_count(0)


def retired_verdicts(admin: Page, article_url: str) -> dict[str, list[str]]:
    """Each retired claim listed on the article page, with the verdicts kept on it."""
    admin.goto(article_url)
    items = admin.locator("ul.retired > li")
    found = {}
    for n in range(items.count()):
        admin.goto(article_url)
        item = admin.locator("ul.retired > li").nth(n)
        text = re.sub(r"^claim \d+: | \(retired .*\)$", "", item.inner_text())
        item.get_by_role("link").click()
        expect(admin.locator(".notice")).to_contain_text("this claim no longer exists")
        notes = other_verdicts(admin).locator("p.note").all_inner_texts()
        found[text] = sorted(notes)
    return found


def csv_notes(admin: Page) -> dict[str, str]:
    """Download the CSV; map each verdict's note to the claim text it is exported with."""
    _, rows = download_csv(admin)
    assert rows, "the CSV has no rows"
    assert list(rows[0]) == CSV_HEADER, list(rows[0])
    ours = [row for row in rows if row["article_title"] == TITLE]
    assert len(ours) == len(rows), "verdicts from another article"
    notes = {row["source_note"]: row["claim_text"] for row in ours}
    assert len(notes) == len(ours), ours
    return notes


def test_fixing_boundaries_under_judged_claims_loses_no_verdict(start_server, new_page, watcher):
    """Split, merge, undo, re-split and a stale tab under two reviewers' verdicts."""
    server = start_server()
    admin = new_page()
    complete_setup(admin, server.url, "editor")
    create_account(admin, "ruth")
    create_account(admin, "sam")

    import_article(admin, "trade.txt", ARTICLE)
    admin.get_by_role("link", name=TITLE).click()
    expect(admin.get_by_role("heading", name=TITLE)).to_be_visible()
    article_url = admin.url

    ruth, sam = new_page(), new_page()
    log_in(ruth, server.url, "ruth")
    log_in(sam, server.url, "sam")
    nav(ruth, "Articles")
    ruth.get_by_role("link", name=TITLE).click()
    expect(ruth).to_have_url(article_url)
    judge(ruth, article_url, EXPORTS, "Supported", RUTH_EXPORTS)
    judge(ruth, article_url, OFFICIALS, "Supported", RUTH_OFFICIALS)
    judge(ruth, article_url, MINISTER, "Disputed", RUTH_MINISTER)
    judge(sam, article_url, EXPORTS, "Disputed", SAM_EXPORTS)
    judge(sam, article_url, MINISTER, "Unclear", SAM_MINISTER)
    articles_recheck(ruth, 0)

    # 1. Split a claim both reviewers judged; the preview shows the cut before it is made.
    exports_url = open_claim(admin, article_url, EXPORTS)
    sam.goto(exports_url)
    tools = open_boundaries(admin)
    tools.get_by_role("radio", name="Exports rose by 4% (split here) in March.").check()
    expect(admin.locator("blockquote.current-claim")).to_have_text("Exports rose by 4% | in March.")
    submit(admin, "Split here")
    confirm(admin, "Yes, split the claim")
    expect(flash(admin)).to_contain_text(
        "Claim split in two: “Exports rose by 4%” and “in March.”. Verdicts stay on the first part"
    )
    expect(admin).to_have_url(exports_url)
    expect(admin.locator("p.crumbs")).to_contain_text("claim 1 of 6")
    expect(admin.locator("blockquote.current-claim")).to_have_text("Exports rose by 4%")
    expect(other_verdicts(admin)).to_have_count(2)
    admin.goto(article_url)
    expect(claim_link(admin, "Exports rose by 4%")).to_have_count(1)
    expect(claim_link(admin, "in March.")).to_have_count(1)
    admin.locator("article.body").get_by_role("link", name=re.compile(r"^in March\.")).click()
    expect(admin.get_by_text("No other verdicts yet.")).to_be_visible()
    # Sam's form was loaded before the split: saving it must not pass for a re-check.
    sam.get_by_label("Source note").fill("Sam, from the page loaded before the split.")
    watcher.expected_statuses.add(409)
    with sam.expect_response(exports_url) as answer:
        sam.get_by_role("button", name="Save verdict").click()
    assert answer.value.status == 409
    expect(flash(sam)).to_contain_text("Your verdict on this claim changed since you opened")
    expect(flash(sam)).to_contain_text("Nothing was saved")
    for page, note in ((ruth, RUTH_EXPORTS), (sam, SAM_EXPORTS)):
        expect_my_verdict(page, exports_url, note, recheck=True)
        expect(page.locator("blockquote.current-claim")).to_have_text("Exports rose by 4%")
        articles_recheck(page, 1)
        page.goto(article_url)
        expect(claim_link(page, "Exports rose by 4%")).to_have_accessible_name(
            "Exports rose by 4% (recheck)"
        )

    # 2. Merge a claim only Ruth judged with the next one, judged by both.
    officials_url = open_claim(admin, article_url, OFFICIALS)
    minister_url = open_claim(admin, article_url, MINISTER)
    admin.goto(officials_url)
    open_boundaries(admin)
    submit(admin, "Merge with the next claim")
    confirm(admin, "Yes, merge the claims")
    expect(flash(admin)).to_contain_text("Claims merged.")
    expect(admin).to_have_url(officials_url)
    expect(admin.locator("blockquote.current-claim")).to_have_text(MERGED)
    expect(other_verdicts(admin)).to_have_count(2)
    expect(other_verdicts(admin).filter(has_text="ruth")).to_contain_text(RUTH_OFFICIALS)
    expect(other_verdicts(admin).filter(has_text="sam")).to_contain_text(SAM_MINISTER)
    admin.goto(article_url)
    expect(admin.get_by_role("heading", name="Retired claims (1)")).to_be_visible()
    retired = admin.locator("ul.retired > li")
    expect(retired).to_have_count(1)
    expect(retired).to_contain_text(MINISTER)
    minister_path = minister_url.removeprefix(server.url)
    expect(retired.get_by_role("link")).to_have_attribute("href", minister_path)
    assert retired_verdicts(admin, article_url) == {MINISTER: [RUTH_MINISTER]}
    expect_my_verdict(ruth, officials_url, RUTH_OFFICIALS, recheck=True)
    expect_my_verdict(sam, officials_url, SAM_MINISTER, recheck=True)
    # A retired claim takes no new verdicts: Ruth sees hers, but no form to change it.
    ruth.goto(minister_url)
    expect(ruth.locator(".notice")).to_contain_text("this claim no longer exists")
    expect(ruth.get_by_role("heading", name="My verdict")).to_contain_text("disputed")
    expect(ruth.get_by_role("button", name="Save verdict")).to_have_count(0)
    articles_recheck(ruth, 2)
    articles_recheck(sam, 2)
    # Nothing disappeared: four verdicts exported, the fifth kept on the retired claim.
    assert csv_notes(admin) == {
        RUTH_EXPORTS: "Exports rose by 4%", SAM_EXPORTS: "Exports rose by 4%",
        RUTH_OFFICIALS: MERGED, SAM_MINISTER: MERGED,
    }

    # 3. A split at the same point undoes the merge: the retired claim comes back.
    admin.goto(officials_url)
    split_at(admin, "Officials praised the result. | The minister said nothing.")
    expect(flash(admin)).to_contain_text(f"Claim split in two: “{OFFICIALS}” and “{MINISTER}”")
    admin.goto(article_url)
    expect(admin.get_by_role("heading", name=re.compile("Retired claims"))).to_have_count(0)
    claim_link(admin, MINISTER).click()
    expect(admin).to_have_url(minister_url)
    expect(admin.locator(".notice")).to_have_count(0)
    expect(other_verdicts(admin)).to_have_count(2)
    expect(other_verdicts(admin).filter(has_text="ruth")).to_contain_text(RUTH_MINISTER)
    expect(other_verdicts(admin).filter(has_text="sam")).to_contain_text(SAM_MINISTER)
    expect_my_verdict(ruth, minister_url, RUTH_MINISTER, recheck=False)
    # Sam's verdict, which the merge had moved onto the first claim, goes back with the
    # claim it was about; it moved twice, so Sam is asked to look again.
    expect_my_verdict(sam, minister_url, SAM_MINISTER, recheck=True)

    # 4. Re-split: the claims the splitter still produces keep their verdicts.
    admin.goto(article_url)
    submit(admin, "Re-split the article")
    confirm(admin, "Yes, re-split the article")
    expect(flash(admin)).to_contain_text(
        "Article re-split: 4 claims unchanged, 1 new or restored, 2 retired, 2 verdicts moved"
    )
    expect(admin.get_by_role("heading", name="Retired claims (2)")).to_be_visible()
    expect(claim_link(admin, EXPORTS)).to_have_count(1)
    new_exports_url = open_claim(admin, article_url, EXPORTS)
    assert new_exports_url != exports_url
    for page, url, note, recheck in (
        (ruth, officials_url, RUTH_OFFICIALS, True),
        (ruth, minister_url, RUTH_MINISTER, False),
        (ruth, new_exports_url, RUTH_EXPORTS, True),
        (sam, minister_url, SAM_MINISTER, True),
        (sam, new_exports_url, SAM_EXPORTS, True),
    ):
        expect_my_verdict(page, url, note, recheck)
    assert retired_verdicts(admin, article_url) == {"Exports rose by 4%": [], "in March.": []}

    # 5. The same split form open in two tabs: the second submission is refused.
    imports_url = open_claim(admin, article_url, IMPORTS)
    other_tab = admin.context.new_page()
    watcher.attach(other_tab)
    other_tab.goto(imports_url)
    split_at(admin, "Imports fell by 2% | in April.")
    expect(flash(admin)).to_contain_text("Claim split in two: “Imports fell by 2%” and “in April.”")
    tools = open_boundaries(other_tab)
    tools.get_by_role("radio", name="Imports fell (split here) by 2% in April.").check()
    watcher.expected_statuses.add(409)
    with other_tab.expect_response(re.compile(r"/split$")) as answer:
        submit(other_tab, "Split here")
    assert answer.value.status == 409
    expect(other_tab.get_by_role("heading", name="Claim boundaries not changed")).to_be_visible()
    expect(other_tab.get_by_role("alert")).to_contain_text(
        "The claims of this article were changed since you loaded the page"
    )
    expect(other_tab.get_by_role("alert")).to_contain_text("Nothing was changed.")
    admin.goto(article_url)
    expect(claim_link(admin, "Imports fell by 2%")).to_have_count(1)
    expect(claim_link(admin, "in April.")).to_have_count(1)
    expect(claim_link(admin, "Imports fell")).to_have_count(0)
    expect(admin.locator("article.body a.claim")).to_have_count(6)

    # 6. Saving a verdict to re-check again, unchanged, confirms it.
    articles_recheck(ruth, 2)
    ruth.goto(new_exports_url)
    expect(ruth.get_by_role("radio", name="Supported")).to_be_checked()
    ruth.get_by_role("button", name="Save verdict").click()
    expect(flash(ruth)).to_contain_text("Saved: supported.")
    expect_my_verdict(ruth, new_exports_url, RUTH_EXPORTS, recheck=False)
    articles_recheck(ruth, 1)
    ruth.goto(article_url)
    expect(claim_link(ruth, EXPORTS)).to_have_accessible_name(f"{EXPORTS} (supported)")

    # 7. Every verdict saved is in the CSV with its claim's current text, or on a retired claim.
    notes = csv_notes(admin)
    assert notes == {
        RUTH_EXPORTS: EXPORTS, SAM_EXPORTS: EXPORTS,
        RUTH_OFFICIALS: OFFICIALS, SAM_MINISTER: MINISTER,
        RUTH_MINISTER: MINISTER,
    }
    kept = retired_verdicts(admin, article_url)
    assert len(notes) + sum(len(v) for v in kept.values()) == SAVED

    # Every change is in the audit log.
    nav(admin, "Audit log")
    actions = admin.get_by_role("cell")
    expect(actions.filter(has_text=re.compile(r"^claim\.split$"))).to_have_count(3)
    expect(actions.filter(has_text=re.compile(r"^claim\.merge$"))).to_have_count(1)
    expect(actions.filter(has_text=re.compile(r"^article\.resplit$"))).to_have_count(1)

    watcher.assert_clean()
