"""How long annotator's app server takes to start and what its workers weigh, against
bare Flask and against its libraries alone, served the same way in one run.

    .venv/bin/python benchmarks/bench_start.py [--workers 5] [--repeat 3] [--json PATH]

First table, served: gunicorn with ``--workers`` sync workers on 127.0.0.1, as the peer
harness serves annotator (``gunicorn 'annotator:create_app()'``), each app on a database
of its own already at its newest schema. The cold start is the time from launching
gunicorn to the first answer of its first page (annotator's and the stack's login page,
the bare app's claim page); the memory is the PSS summed over the master and its
workers once it stops growing (at least 3 s later: every worker has booted). The apps
take turns, run by run, and the medians of ``--repeat`` runs are shown. The apps: bare
Flask and the stack alone (Flask-SQLAlchemy, Flask-Login, CSRF; ``reference_apps.py``),
annotator, and annotator as ``deploy/gunicorn.conf.py`` runs it (loaded once in the
master, then forked; gthread workers).

Second table, where one worker's start goes: a fresh interpreter imports Flask, then
SQLAlchemy's ORM, then Flask-SQLAlchemy, Flask-Login and Flask-WTF, then annotator's
package, then calls ``create_app()``; the CPU seconds and the growth of the resident
memory of each step (medians of ``--repeat`` processes). When ``PYTHONDONTWRITEBYTECODE``
is set and annotator is an editable checkout without ``__pycache__`` folders, every
worker compiles annotator's source at each start: the table says whether it did.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
SETTLE_SECONDS = 3  # after the first answer, for every worker to finish booting
START_LIMIT_SECONDS = 120
PAGE_BYTES = 11_000  # about annotator's claim page; only the reference apps' padding


@dataclass(frozen=True)
class Served:
    """One app as gunicorn serves it: its command line, environment and first page."""
    name: str
    arguments: list[str]
    environment: dict[str, str]
    first_page: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(**settings: str) -> dict[str, str]:
    """The defaults only, as the peer harness starts annotator, plus ``settings``."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("FLASK_") and key not in ("DATABASE_URL", "SECRET_KEY")}
    return {**environment, **settings}


def reference_apps_served(folder: Path, rows: list, page_bytes: int) -> list[Served]:
    """Bare Flask and the stack alone, each on a database of its own in ``folder`` holding
    ``rows`` (``reference_apps.ClaimRow``), and how gunicorn serves them."""
    from reference_apps import SERVED_APP, SERVED_DATABASE, SERVED_PAGE_BYTES, build_bare
    from reference_stack import build_stack

    apps = []
    for name, build in (("bare", build_bare), ("stack", build_stack)):
        database = folder / f"{name}.db"
        build(database, rows)
        apps.append(Served(name, ["--chdir", str(HERE), "reference_apps:served()"],
                           clean_environment(**{SERVED_APP: name, SERVED_DATABASE: str(database),
                                                SERVED_PAGE_BYTES: str(page_bytes)}),
                           "/claims/1" if name == "bare" else "/login"))
    return apps


def prepare(folder: Path, workers: int) -> list[Served]:
    """Each app's database, built before any timing, and how gunicorn serves it."""
    rows = [(number, f"Article {number // 50}", f"Sentence {number} of the article.",
             f"Sentence {number} of the article.") for number in range(1, 201)]
    apps = reference_apps_served(folder, rows, PAGE_BYTES)
    instance = folder / "annotator"
    settings = {"DATABASE_URL": f"sqlite:///{instance / 'annotator.sqlite'}",
                "SECRET_KEY": "bench-start", "FLASK_SEED_ON_START": "false"}
    # One start creates the schema, so every timed start finds it current, as a restart does.
    start = f"import annotator; annotator.create_app(instance_path={str(instance)!r})"
    done = subprocess.run([sys.executable, "-c", start], env=clean_environment(**settings),
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"annotator did not start:\n{done.stderr}")
    apps.append(annotator_served("annotator", instance, [], **settings))
    apps.append(annotator_served("annotator, deploy/gunicorn.conf.py", instance,
                                 ["-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                                 **settings, ANNOTATOR_WORKERS=str(workers)))
    return apps


def annotator_served(name: str, instance: Path, arguments: list[str], **settings: str) -> Served:
    """annotator from this checkout as gunicorn serves it, with ``arguments`` and ``settings``
    (its environment). Its instance folder (locks, an optional config.py) is ``instance``,
    not the checkout's own ``instance/``, which a benchmark must leave alone."""
    factory = f"annotator:create_app(instance_path={str(instance)!r})"
    return Served(name, ["--chdir", str(ROOT), *arguments, factory],
                  clean_environment(**settings), "/login")


def answers(url: str) -> bool:
    """Whether ``url`` gives a 2xx or 3xx answer (a redirect is not followed)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=5) as response:
            return response.status < 400
    except urllib.error.HTTPError as error:
        return 300 <= error.code < 400
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def process_tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc (Linux)."""
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = (task / "children").read_text().split()
            waiting.extend(int(child) for child in children)
    return found


def pss_mib(pid: int) -> float:
    """Proportional set size: shared pages split between the processes sharing them."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no Pss in /proc/{pid}/smaps_rollup")


def settled_memory(server_pid: int) -> list[float]:
    """The PSS of the master, then of each worker, once their total stops growing
    (workers still starting after the first answer would be counted short): at least
    SETTLE_SECONDS after the answer."""
    time.sleep(SETTLE_SECONDS)
    memory = [pss_mib(pid) for pid in process_tree(server_pid)]
    for _ in range(START_LIMIT_SECONDS):
        time.sleep(1)
        again = [pss_mib(pid) for pid in process_tree(server_pid)]
        if len(again) == len(memory) and abs(sum(again) - sum(memory)) < 0.5:
            return again
        memory = again
    return memory


@contextmanager
def serving(app: Served, workers: int) -> Iterator[tuple[str, float, int]]:
    """Launch gunicorn with ``workers`` sync workers on a free port of 127.0.0.1 and wait
    for its first answer; yield its address, the seconds until that answer and the
    master's pid; stop it (SIGTERM) when done. A server that does not answer stops the run
    with the end of its log."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               *app.arguments]
    with tempfile.TemporaryFile(mode="w+") as log:
        started = time.perf_counter()
        server = subprocess.Popen(command, env=app.environment, stdout=log, stderr=log)
        try:
            while not answers(base + app.first_page):
                if server.poll() is not None or \
                        time.perf_counter() - started > START_LIMIT_SECONDS:
                    raise RuntimeError(f"{app.name} did not answer")
                time.sleep(0.02)
            yield base, time.perf_counter() - started, server.pid
        except RuntimeError as error:
            server.kill()
            server.wait(timeout=60)
            log.seek(0)
            raise SystemExit(f"{error}:\n{log.read()[-3000:]}") from None
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=60)


def one_start(app: Served, workers: int) -> dict[str, float]:
    """Launch gunicorn, time its first answer, weigh the tree once it has settled, stop."""
    with serving(app, workers) as (_base, cold_start, server_pid):
        memory = settled_memory(server_pid)
        if len(memory) != workers + 1:
            raise RuntimeError(f"{app.name}: {len(memory)} processes, expected {workers + 1}")
    return {"cold_start_s": cold_start, "pss_mib": sum(memory),
            "pss_mib_per_worker": statistics.median(memory[1:])}


# A fresh interpreter's start, step by step: CPU seconds and resident memory after each.
_STEPS = """
import json, os, sys, time
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
marks = [("interpreter", time.process_time(), rss())]
def step(name, code):
    exec(code, globals())
    marks.append((name, time.process_time(), rss()))
step("Flask", "import flask")
step("SQLAlchemy's ORM", "import sqlalchemy.orm")
step("Flask-SQLAlchemy, Flask-Login, Flask-WTF", "import flask_sqlalchemy, flask_login, flask_wtf")
step("annotator's package", "import annotator")
step("create_app()", "annotator.create_app()")
compiled = any(name.startswith("annotator") and getattr(module, "__cached__", None)
               and not os.path.exists(module.__cached__)
               for name, module in sys.modules.items())
print(json.dumps({"marks": marks, "compiled_source": compiled}))
"""


def start_steps(environment: dict[str, str]) -> tuple[dict[str, dict[str, float]], bool]:
    done = subprocess.run([sys.executable, "-c", _STEPS], env=environment, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"the start steps failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    marks = result["marks"]
    steps = {"interpreter": {"cpu_s": marks[0][1], "rss_mib": marks[0][2]}}
    steps.update({name: {"cpu_s": cpu - marks[i][1], "rss_mib": rss - marks[i][2]}
                  for i, (name, cpu, rss) in enumerate(marks[1:])})
    return steps, result["compiled_source"]


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (>= 1)")
    parser.add_argument("--repeat", type=int, default=3, help="starts of each app (>= 1)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.workers < 1 or args.repeat < 1:
        parser.error("--workers and --repeat must be at least 1")
    if not GUNICORN.exists():
        parser.error(f"no gunicorn beside {sys.executable}: pip install gunicorn")
    return args


def print_served(served: dict[str, dict[str, float]], workers: int) -> None:
    bare, stack = served["bare"], served["stack"]
    print(f"Served by gunicorn, {workers} workers (sync; the deploy configuration's: gthread):"
          " medians\n")
    print("| app | cold start s | ÷ bare | ÷ stack | PSS MiB, all | ÷ bare | ÷ stack "
          "| PSS MiB per worker |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, figures in served.items():
        start, memory = figures["cold_start_s"], figures["pss_mib"]
        print(f"| {name} | {start:.2f} | {start / bare['cold_start_s']:.2f}x "
              f"| {start / stack['cold_start_s']:.2f}x | {memory:.1f} "
              f"| {memory / bare['pss_mib']:.2f}x | {memory / stack['pss_mib']:.2f}x "
              f"| {figures['pss_mib_per_worker']:.1f} |")


def print_steps(steps: dict[str, dict[str, float]], compiled: bool) -> None:
    print("\nOne worker's start, step by step (fresh interpreter): medians\n")
    print("| step | CPU s | resident MiB added |")
    print("| --- | ---: | ---: |")
    for name, figures in steps.items():
        print(f"| {name} | {figures['cpu_s']:.3f} | {figures['rss_mib']:.1f} |")
    setting = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "unset"
    print(f"\nannotator's source compiled at each start: {'yes' if compiled else 'no'}"
          f" (PYTHONDONTWRITEBYTECODE {setting})")


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as name:
        apps = prepare(Path(name), args.workers)
        runs: dict[str, list] = {app.name: [] for app in apps}
        for _ in range(args.repeat):
            for app in apps:
                runs[app.name].append(one_start(app, args.workers))
        served = {name: median_of(figures) for name, figures in runs.items()}
        step_runs = [start_steps(apps[2].environment) for _ in range(args.repeat)]
    steps = {name: median_of([run[name] for run, _ in step_runs]) for name in step_runs[0][0]}
    compiled = any(flag for _, flag in step_runs)
    print_served(served, args.workers)
    print_steps(steps, compiled)
    if args.json:
        args.json.write_text(json.dumps({"workers": args.workers, "repeat": args.repeat,
                                         "served": served, "steps": steps,
                                         "compiled_source": compiled}, indent=2))


if __name__ == "__main__":
    main()
