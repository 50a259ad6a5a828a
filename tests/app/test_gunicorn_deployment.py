"""The documented deployment (``gunicorn -c deploy/gunicorn.conf.py``) keeps serving while slow
clients trickle their headers in, and a download says how many rows it holds.

A real gunicorn on loopback with the repository's config file; the slow clients are real
sockets sending a request head one byte at a time. With the former command line (4 sync
workers), four such clients stopped every other request until they gave up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
SERVE_DIR = ROOT / "tests" / "load"  # serve.py: create_app on an instance folder of ours
# More than the 4 sync workers of the former command line (every one of them would be
# held), fewer than one gthread worker's threads: even if all land on one worker (its main
# loop accepts every pending connection), it keeps a thread free. Beyond that many slow
# clients per worker, the README's answer is a buffering proxy in front.
SLOW_CLIENTS = 6
BYTE_EVERY_S = 0.25
REQUESTS = 10
# Generous bounds: a served request takes milliseconds; a held server never answers.
ANSWER_WITHIN_S = 10
STARTUP_S = 60


def _gunicorn() -> list[str]:
    script = Path(sys.executable).with_name("gunicorn")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gunicorn"]
    from gunicorn.config import KNOWN_SETTINGS

    flags = {flag for setting in KNOWN_SETTINGS for flag in setting.cli or ()}
    if "--no-control-socket" in flags:  # one fixed path that parallel servers would share
        command.append("--no-control-socket")
    return command


@contextlib.contextmanager
def documented_server(folder: Path):
    """gunicorn with deploy/gunicorn.conf.py on a socket we bound (no race for the port)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("FLASK_") and key not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(ANNOTATOR_LOAD_INSTANCE=str(folder / "instance"), FLASK_SEED_ON_START="false")
    log = open(folder / "gunicorn.log", "wb")  # noqa: SIM115 (closed in finally)
    process = subprocess.Popen(
        [*_gunicorn(), "-c", str(CONFIG), "--bind", f"fd://{listener.fileno()}",
         "--pythonpath", str(SERVE_DIR), "serve:app"],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
        pass_fds=(listener.fileno(),), start_new_session=True,
    )
    listener.close()
    try:
        _wait_until_ready(url, process, folder)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        log.close()


def _wait_until_ready(url: str, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail((folder / "gunicorn.log").read_text(errors="replace")[-3000:])
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/setup", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    pytest.fail("gunicorn did not answer in time")


def _trickle(url: str, stop: threading.Event, sent: list[int]) -> None:
    """A slow client: a request head one byte at a time, never finished while the test runs."""
    host, port = url.removeprefix("http://").split(":")
    head = (b"GET /login HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
            + b"X-Slow: " + b"a" * 10_000)
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        for byte in head:
            if stop.is_set():
                return
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                return  # the server may close a client it considers too slow; fine
            sent.append(1)
            time.sleep(BYTE_EVERY_S)


@pytest.mark.backend("sqlite")
def test_slow_clients_do_not_hold_the_documented_server(tmp_path):
    with documented_server(tmp_path) as url:
        stop = threading.Event()
        sent: list[int] = []
        slow = [threading.Thread(target=_trickle, args=(url, stop, sent), daemon=True)
                for _ in range(SLOW_CLIENTS)]
        for client in slow:
            client.start()
        try:
            while len(sent) < SLOW_CLIENTS * 4:  # every slow client is connected and sending
                time.sleep(0.05)
            took = []
            for _ in range(REQUESTS):
                started = time.monotonic()
                answer = requests.get(f"{url}/login", timeout=ANSWER_WITHIN_S)
                took.append(time.monotonic() - started)
                assert answer.status_code == 200
                assert "Content-Security-Policy" in answer.headers
            assert max(took) < ANSWER_WITHIN_S
            assert all(client.is_alive() for client in slow)  # they were still trickling
        finally:
            stop.set()
            for client in slow:
                client.join(timeout=5)


def test_the_config_file_chooses_threaded_workers_and_a_timeout_above_the_import_limit():
    from annotator.settings import DEFAULTS

    settings: dict = {}
    exec(compile(CONFIG.read_text(), str(CONFIG), "exec"), settings)  # noqa: S102
    assert settings["worker_class"] == "gthread" and settings["threads"] > SLOW_CLIENTS
    assert settings["wsgi_app"] == "annotator:create_app()"
    assert settings["timeout"] > 2 * DEFAULTS["IMPORT_TIME_LIMIT_SECONDS"]
