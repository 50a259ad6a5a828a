"""A real gunicorn server (4 workers, loopback only) filled the way a desk fills it.

The server runs the real app (CSRF on, real password hashing) on a fresh instance folder,
with a fresh PostgreSQL database when ``ANNOTATOR_TEST_DATABASE_URL`` is set (see
``tests/annotator_testkit/databases.py``). The admin, the reviewers and the extra articles
are created through the web forms, so the load starts from what the app itself wrote.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa
from annotator_testkit import databases
from annotator_testkit.constants import PASSWORD
from annotator_testkit.forms import form_for

LOAD_DIR = Path(__file__).resolve().parent
WORKERS = 4
ADMIN = "loadadmin"
REVIEWER_NAMES = tuple(f"reviewer{i}" for i in range(1, 9))
# The reviewer who works in two tabs; kept out of the load so its verdicts stay predictable.
TWO_TAB_REVIEWER = "desk"
# Extra articles on top of the 29 seed claims, so that reviewers spend a good part of the
# run on first verdicts instead of only revising the same few claims.
ARTICLES = 6
LINES_PER_ARTICLE = 80
# Per request: connecting, then waiting for the answer. A server stuck longer than this is
# a failure to report, not something to wait out.
TIMEOUT = (10, 60)
STARTUP_SECONDS = 120
STOP_SECONDS = 20


@dataclass
class LoadServer:
    base_url: str
    process: subprocess.Popen
    backend: str
    database_url: str
    log_path: Path
    claim_ids: list[int] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def worker_pids(self) -> set[int]:
        """The gunicorn workers: the master's child processes."""
        return child_pids(self.process.pid)

    def cpu_seconds(self) -> float:
        """CPU time used by the master and its workers so far, ended workers included."""
        total = _cpu_ticks(self.process.pid, children=True)
        total += sum(_cpu_ticks(pid) for pid in self.worker_pids())
        return total / os.sysconf("SC_CLK_TCK")

    def busy_workers(self) -> set[int]:
        """Workers holding an open client connection: in the middle of a request."""
        port = f"{int(urlsplit(self.base_url).port):04X}"
        connected = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(OSError), open(table) as handle:
                for row in handle.readlines()[1:]:
                    local, _remote, state = row.split()[1:4]
                    if local.endswith(":" + port) and state == "01":  # ESTABLISHED
                        connected.add(f"socket:[{row.split()[9]}]")
        busy = set()
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    with contextlib.suppress(OSError):
                        if os.readlink(f"/proc/{pid}/fd/{fd}") in connected:
                            busy.add(pid)
        return busy

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    @contextlib.contextmanager
    def database(self) -> Iterator[sa.Connection]:
        """A connection of our own to the server's database, to check what it stored."""
        engine = sa.create_engine(self.database_url, poolclass=sa.NullPool)
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()


def child_pids(parent: int) -> set[int]:
    """Processes whose parent is ``parent``, read from /proc (Linux)."""
    children = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue  # it ended while we looked
        # The command name in parentheses may itself contain spaces and parentheses.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == parent:
            children.add(int(entry))
    return children


def _cpu_ticks(pid: int, children: bool = False) -> int:
    """utime + stime of a process; with ``children``, also of its ended, reaped children."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return sum(int(value) for value in fields[11:15 if children else 13])


def _gunicorn_command() -> list[str]:
    script = Path(sys.executable).with_name("gunicorn")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gunicorn"]
    from gunicorn.config import KNOWN_SETTINGS

    flags = {flag for setting in KNOWN_SETTINGS for flag in setting.cli or ()}
    # Newer gunicorn opens a control socket at one fixed path in the home folder, which
    # servers running side by side (other test runs) would fight over; we do not use it.
    if "--no-control-socket" in flags:
        command.append("--no-control-socket")
    return command


def _server_environment(instance: Path, database_url: str | None) -> dict[str, str]:
    # The developer's own settings must not leak into a run meant to use the defaults.
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith("FLASK_") and key not in ("DATABASE_URL", "SECRET_KEY")
    }
    env["ANNOTATOR_LOAD_INSTANCE"] = str(instance)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the master (it stops its workers), SIGKILL to whatever is left after a wait."""
    if process.poll() is not None:
        return
    workers = child_pids(process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_SECONDS)
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _wait_until_ready(server: LoadServer) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with requests.get(server.url("/setup"), timeout=2, allow_redirects=False) as answer:
                if answer.status_code == 200:
                    return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within {STARTUP_SECONDS} s:\n{server.log_tail()}")


@contextlib.contextmanager
def running_server(folder: Path) -> Iterator[LoadServer]:
    """Start gunicorn on a fresh instance (and database), fill the desk; stop and drop after."""
    instance = folder / "instance"
    database_url = (
        databases.create_database(prefix="annot_load") if databases.server_url() else None
    )
    # We bind the socket and hand it to gunicorn, so no other program can take the port
    # between our choosing it and gunicorn listening on it.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    process = None
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        port = listener.getsockname()[1]
        log_path = folder / "gunicorn.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [*_gunicorn_command(), "--workers", str(WORKERS),
                 "--bind", f"fd://{listener.fileno()}", "--pythonpath", str(LOAD_DIR),
                 "--graceful-timeout", "10", "serve:app"],
                cwd=folder, env=_server_environment(instance, database_url),
                stdout=log, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),),
                start_new_session=True,
            )
        listener.close()
        server = LoadServer(
            base_url=f"http://127.0.0.1:{port}", process=process, backend=databases.backend(),
            database_url=database_url or f"sqlite:///{instance / 'annotator.sqlite'}",
            log_path=log_path,
        )
        _wait_until_ready(server)
        _prepare_desk(server)
        yield server
    finally:
        listener.close()
        if process is not None:
            _stop(process)
        if database_url:
            databases.drop_database(database_url)


# --- through the web forms ---------------------------------------------------------------


def submit(session: requests.Session, server: LoadServer, path: str, values: dict,
           files=None) -> requests.Response:
    """GET the page at ``path``, fill its form posting to ``path``, POST it (no redirects)."""
    with session.get(server.url(path), timeout=TIMEOUT) as page:
        assert page.status_code == 200, f"GET {path}: {page.status_code}"
        data = form_for(page.text, path).values()
    data.update(values)
    return session.post(server.url(path), data=data, files=files, timeout=TIMEOUT,
                        allow_redirects=False)


def log_in(session: requests.Session, server: LoadServer, username: str) -> None:
    """Log in through the real login form, once per session."""
    with submit(session, server, "/login", {"username": username, "password": PASSWORD}) as done:
        if done.status_code == 429:
            pytest.fail(
                f"logging {username} in was rate limited (429): the load tests log each "
                "session in once; the login limit must let a desk of this size log in"
            )
        location = urlsplit(done.headers.get("Location", "")).path
        assert done.status_code == 302 and location != "/login", (
            f"logging {username} in failed: {done.status_code} -> {location!r}"
        )


def synthetic_article(number: int) -> bytes:
    lines = [f"title: Bridge inspections, district {number}"]
    for line in range(1, LINES_PER_ARTICLE + 1):
        lines.append(
            f"Inspectors in district {number} found {line * 7 + number} bridges needing "
            f"repair in survey {line}, against {line * 5} the year before."
        )
    return ("\n".join(lines) + "\n").encode()


def _prepare_desk(server: LoadServer) -> None:
    with requests.Session() as admin:
        with submit(admin, server, "/setup",
                    {"username": ADMIN, "password": PASSWORD, "confirm": PASSWORD}) as done:
            assert done.status_code == 302, f"setup: {done.status_code}\n{done.text[:2000]}"
        for name in (*REVIEWER_NAMES, TWO_TAB_REVIEWER):
            with submit(admin, server, "/admin/users",
                        {"username": name, "password": PASSWORD, "role": "reviewer"}) as done:
                assert done.status_code == 302, f"creating {name}: {done.status_code}"
        files = [("files", (f"bridges-{n}.txt", synthetic_article(n), "text/plain"))
                 for n in range(1, ARTICLES + 1)]
        with submit(admin, server, "/admin/import", {}, files=files) as done:
            assert done.status_code == 200, f"import: {done.status_code}"
    with server.database() as conn:
        server.claim_ids = list(conn.scalars(
            sa.text("SELECT id FROM claim WHERE status = 'open' ORDER BY id")
        ))
    lines = ARTICLES * LINES_PER_ARTICLE
    assert len(server.claim_ids) > lines, (
        f"{len(server.claim_ids)} open claims after importing {lines} lines and the seeds"
    )
