"""Every page passes axe-core's checks with no serious or critical violation, in the light
and in the dark colour scheme (colour contrast included): login, setup, Articles, an
article, a claim (with its "Saved" message and its shortcut list open), the desk, agreement,
progress, users, import, audit log, export, password, and a confirmation page.

axe-core is fetched by ``.ci/run`` (``python tests/browser/axe.py``) into a cache folder;
without it the test is skipped, except under CI, where it fails. Each run writes what it
found to ``test-artifacts/accessibility-<scheme>.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser import axe
from browser.conftest import ARTIFACTS, _in_ci
from browser.ui import complete_setup, flash, nav, submit

pytestmark = pytest.mark.browser

# Impacts that fail the test; "minor" and "moderate" are reported in the artifact only.
FAILING_IMPACTS = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5), count: v.nodes.length}));
}"""


def axe_script() -> Path:
    path = axe.script_path()
    if not path.is_file():
        message = (f"axe-core {axe.VERSION} is missing at {path}: fetch it with "
                   "`.venv/bin/python tests/browser/axe.py` (.ci/run does)")
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


class Audit:
    """The violations found on each page checked, by name."""

    def __init__(self, script: Path):
        self.script = script
        self.found: dict[str, list[dict]] = {}

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(self.script))
        self.found[name] = page.evaluate(RUN_AXE)

    def counts(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for violations in self.found.values():
            for violation in violations:
                impact = violation["impact"]
                totals[impact] = totals.get(impact, 0) + violation["count"]
        return totals

    def failing(self) -> list[str]:
        return [
            f"{name}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
            for name, violations in self.found.items() for v in violations
            if v["impact"] in FAILING_IMPACTS
        ]

    def save(self, scheme: str) -> None:
        ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
        report = {"axe_core": axe.VERSION, "scheme": scheme, "counts": self.counts(),
                  "pages": self.found}
        path = ARTIFACTS.parent / f"accessibility-{scheme}.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False))


def visit_every_page(audit: Audit, new_page, url: str, scheme: str) -> None:
    options = {"viewport": {"width": 1366, "height": 768}, "color_scheme": scheme,
               "bypass_csp": True}  # the app's CSP would refuse the injected checker
    page = new_page(**options)
    page.goto(url + "/")
    audit.check(page, "setup")
    complete_setup(page, url, "editor")
    audit.check(page, "articles")
    anonymous = new_page(**options)
    anonymous.goto(url + "/login")
    audit.check(anonymous, "login")

    nav(page, "My queue")
    audit.check(page, "claim")
    page.keyboard.press("1")
    page.get_by_label("Source note").fill("Checked against the ministry's release.")
    submit(page, "Save verdict")
    expect(flash(page)).to_contain_text("Saved:")
    audit.check(page, "claim after saving")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    audit.check(page, "claim with the shortcut list")
    page.keyboard.press("Escape")
    submit(page, "Hide claim (not checkable)")
    audit.check(page, "confirmation")
    page.get_by_role("link", name="Cancel, change nothing").click()
    page.locator("p.crumbs a").nth(1).click()
    audit.check(page, "article")
    for name in ("Desk", "Agreement", "Progress", "Users", "Import", "Audit log", "Export",
                 "Password"):
        if name == "Password":
            page.get_by_role("link", name="Password", exact=True).click()
        else:
            nav(page, name)
        audit.check(page, name.lower())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_the_accessibility_check(start_server, new_page, watcher, scheme):
    audit = Audit(axe_script())
    server = start_server()
    visit_every_page(audit, new_page, server.url, scheme)
    audit.save(scheme)
    if os.environ.get("ANNOTATOR_A11Y_REPORT_ONLY"):
        return
    assert audit.failing() == [], "\n".join(audit.failing())
    watcher.assert_clean()
