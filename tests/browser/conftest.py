"""Browser tests: Debian's Chromium, driven by Playwright, against the app served by gunicorn.

Every test here is marked ``browser``. Without ``/usr/bin/chromium`` the folder is skipped,
except under CI, where the tests fail so that a missing browser cannot pass unnoticed.

The server is the real app in a subprocess (two gunicorn workers, CSRF on, seeds imported on
first start) with its instance folder in a temporary directory and, when the suite runs on
PostgreSQL, its own throwaway database. A failing test leaves a full-page screenshot of each
of its open pages in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from annotator_testkit import databases

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # No internet here, and none needed: every other host fails at once instead of waiting
    # for a DNS answer (a page that escaped a hostile <base href="//evil.example/"> would).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
ARTIFACTS = REPO / "test-artifacts" / "browser"
GUNICORN = Path(sys.executable).with_name("gunicorn")
# Playwright's waits, for actions and for expect(); a page of this app answers in
# milliseconds, so this only bounds how long a broken test hangs on a busy two-core machine.
TIMEOUT_MS = 15_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _chromium_problem() -> str | None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return (
        f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium "
        "(install it with `apt-get install chromium`; Playwright cannot download its own here)"
    )


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests ``browser``; skip them when Chromium is absent outside CI."""
    problem = _chromium_problem()
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if problem and not _in_ci():
            item.add_marker(pytest.mark.skip(reason=problem))


# --- the live server --------------------------------------------------------------------


@dataclass
class LiveServer:
    """One running gunicorn serving the app; ``url`` has no trailing slash."""

    url: str
    instance: Path
    log: Path
    process: subprocess.Popen
    database_url: str | None = None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError as error:
            return f"(server log unreadable: {error})"

    def stop(self) -> None:
        """Terminate gunicorn (it stops its workers), killing it if it does not end in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_env(instance: Path, database_url: str | None) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        # Settings of the machine running the tests must not leak into the app under test.
        if not key.startswith("FLASK_") and key not in ("DATABASE_URL", "SECRET_KEY")
    }
    env["ANNOTATOR_BROWSER_INSTANCE"] = str(instance)
    env["PYTHONUNBUFFERED"] = "1"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _wait_until_up(server: LiveServer, deadline: float) -> bool:
    """Poll the login page until the app answers; False if gunicorn exited first."""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(server.url + "/login", timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    return False


def _start_server(folder: Path) -> LiveServer:
    instance = folder / "instance"
    instance.mkdir(parents=True)
    database_url = databases.create_database() if databases.backend() == "postgresql" else None
    # Another process may take the free port between the probe and gunicorn's bind: retry.
    for attempt in range(3):
        port = _free_port()
        log = folder / f"gunicorn-{attempt}.log"
        with open(log, "wb") as log_file:
            process = subprocess.Popen(
                [
                    str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                    "--no-control-socket", "--graceful-timeout", "5",
                    "--pythonpath", str(REPO / "tests"), "browser.live_app:app",
                ],
                cwd=REPO, env=_server_env(instance, database_url),
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
            )
        server = LiveServer(f"http://127.0.0.1:{port}", instance, log, process, database_url)
        try:
            if _wait_until_up(server, time.monotonic() + 60):
                return server
        except BaseException:
            server.stop()
            raise
        server.stop()
        if "Address already in use" not in server.log_tail():
            break
    if database_url:
        databases.drop_database(database_url)
    pytest.fail(f"the app did not start under gunicorn; its log:\n{server.log_tail()}")


# Every server started in this session, so that a failure report can show their logs.
SERVERS: list[LiveServer] = []


@pytest.fixture(scope="session")
def start_server(tmp_path_factory):
    """Start a fresh app server (empty database, seeds imported); all stop at session end."""

    def start() -> LiveServer:
        server = _start_server(tmp_path_factory.mktemp("live"))
        SERVERS.append(server)
        return server

    yield start
    for server in SERVERS:
        server.stop()
        if server.database_url:
            databases.drop_database(server.database_url)


@pytest.fixture(scope="module")
def live_server(start_server):
    """A server shared by the tests of one module."""
    server = start_server()
    yield server
    server.stop()


# --- the browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Debian's Chromium, launched once for the session."""
    problem = _chromium_problem()
    if problem:
        pytest.fail(f"CI is set and {problem}")
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    chromium = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


# Runs before any page script. It counts Content-Security-Policy violations, which are what
# an escaping mistake causes first (the policy then blocks the injected script), and it turns
# the flag the hostile payloads set, ``window.__pwned``, into a console error the moment a
# payload sets it, in whichever frame and whenever that happens.
WATCH_SCRIPT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
(function () {
  var value;
  Object.defineProperty(window, "__pwned", {
    configurable: false,
    get: function () { return value; },
    set: function (given) {
      value = given;
      console.error("a hostile script ran: window.__pwned = " + given);
    }
  });
})();
"""


@dataclass
class Watcher:
    """What went wrong in a test's pages: console errors, uncaught errors, dialogs.

    Dialogs are dismissed as they come; any dialog a payload opened means a script ran.
    """

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[tuple[str, str]] = field(default_factory=list)
    pages: list = field(default_factory=list)
    # Statuses the test provokes on purpose (a refused form answers 409/422): Chromium reports
    # each as a "Failed to load resource" console error, which is then expected.
    expected_statuses: set[int] = field(default_factory=set)

    def attach(self, page) -> None:
        """Listen to ``page`` until ``detach`` (pages may outlive one test)."""
        self.pages.append(page)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("dialog", self._on_dialog)

    def detach(self) -> None:
        for page in self.pages:
            page.remove_listener("console", self._on_console)
            page.remove_listener("pageerror", self._on_page_error)
            page.remove_listener("dialog", self._on_dialog)

    def _on_page_error(self, error) -> None:
        self.page_errors.append(str(error))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        status = re.search(r"the server responded with a status of (\d{3})", text)
        if status and int(status.group(1)) in self.expected_statuses:
            return
        location = message.location.get("url", "") if message.location else ""
        self.console_errors.append(f"{location}: {text}")

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    def csp_violations(self) -> list[str]:
        found = []
        for page in self.pages:
            if page.is_closed():
                continue
            for violation in page.evaluate("window.__cspViolations || []"):
                found.append(f"{page.url}: {violation}")
        return found

    def problems(self) -> list[str]:
        return [
            *(f"console error: {text}" for text in self.console_errors),
            *(f"uncaught page error: {text}" for text in self.page_errors),
            *(f"{kind} dialog opened: {text!r}" for kind, text in self.dialogs),
            *(f"CSP violation: {text}" for text in self.csp_violations()),
        ]

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the browser reported:\n" + "\n".join(problems)


@pytest.fixture
def watcher():
    return Watcher()


def open_context(browser, **options):
    """A fresh browser context (one person's cookies) with the watch script in every page."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(WATCH_SCRIPT)
    return context


@pytest.fixture(scope="session")
def make_context(browser):
    """Open a fresh watched context; for fixtures that keep a session over several tests."""
    return lambda **options: open_context(browser, **options)


@pytest.fixture
def new_page(browser, watcher, request):
    """Open a page in a fresh context, watched; closed after the test."""
    contexts = []

    def open_page(**context_options):
        context = open_context(browser, **context_options)
        contexts.append(context)
        page = context.new_page()
        watcher.attach(page)
        return page

    request.node.browser_watcher = watcher
    yield open_page
    watcher.detach()
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def _screenshot_name(nodeid: str) -> str:
    name = nodeid.split("::", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:150]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """After a failure, save each open page of the test as a full-page screenshot."""
    report = yield
    watcher = getattr(item, "browser_watcher", None)
    if report.failed and report.when in ("setup", "call") and watcher is not None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        saved = []
        for number, page in enumerate(watcher.pages, start=1):
            if page.is_closed():
                continue
            suffix = f"-{number}" if len(watcher.pages) > 1 else ""
            path = ARTIFACTS / f"{_screenshot_name(item.nodeid)}{suffix}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception as error:  # a crashed page must not hide the test's own failure
                saved.append(f"{page.url}: no screenshot ({error})")
            else:
                saved.append(f"{page.url}: {path}")
        if saved:
            report.sections.append(("browser screenshots", "\n".join(saved)))
        for server in SERVERS:
            if server.process.poll() is not None or report.when == "call":
                report.sections.append((f"server log {server.url}", server.log_tail(2000)))
    return report
