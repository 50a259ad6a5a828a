"""The production deployment: ``.venv/bin/gunicorn -c deploy/gunicorn.conf.py``.

Why these settings (README, "Running for a team"):

- ``gthread`` workers, several threads each. A sync worker is one request at a time, from
  its first header byte to its last body byte: four clients that send their headers
  slowly, or four slow downloads, took all four sync workers and the desk stopped. With
  threads, a slow client holds one thread of 32; a connection idle between requests
  (keep-alive) holds none, it waits in the worker's selector.
- ``timeout`` is how long the arbiter waits for a worker's heartbeat. A gthread worker
  beats from its main loop while its threads serve, so a long export to a slow reader is
  never killed mid-row (with sync workers, a transfer longer than the timeout was). It
  only catches a worker that is truly stuck. It stays above the app's own limit on the
  work of an import request (IMPORT_TIME_LIMIT_SECONDS, 20 s by default).
- Exposed to the internet, put a buffering reverse proxy (nginx) in front: it reads whole
  requests before passing them on and absorbs slow readers, so no client, however many
  connections it opens, can hold the app's threads.

Every value can be overridden on the command line (``-w 2``, ``-b 0.0.0.0:8000``) or with
the environment variables read below.
"""

import gc
import os

wsgi_app = "annotator:create_app()"
bind = os.environ.get("ANNOTATOR_BIND", "127.0.0.1:8000")

worker_class = "gthread"
# Processes: about one per core (several processes also survive a crashed worker).
workers = int(os.environ.get("ANNOTATOR_WORKERS", "4"))
# Threads per process: requests waiting on the database or on a slow client do not use
# the CPU, so a few per process let many be served at once. SQLite serialises writers
# anyway (busy timeout 15 s), so more threads would only queue on its lock.
threads = int(os.environ.get("ANNOTATOR_THREADS", "8"))

# Load the app once in the master, then fork the workers: they share its code and data
# (copy-on-write) instead of each importing it again. Measured with 5 workers: memory
# 258 -> 92 MiB (PSS), first answer after a restart 3.4 -> 0.7 s. The app opens no
# database connection that outlives its start, so none is shared between workers. Code
# changes need a restart (SIGHUP only re-forks the workers from the loaded app).
preload_app = True


def pre_fork(server, worker):
    """Freeze what the master loaded so the workers' garbage collector leaves those pages
    alone (a collection would write to them and un-share them)."""
    gc.freeze()


# Heartbeat timeout (see above): well above IMPORT_TIME_LIMIT_SECONDS.
timeout = 60
# On restart (SIGHUP) or stop (SIGTERM), requests in flight, such as an export, get this
# long to finish.
graceful_timeout = 30
# Idle keep-alive connections are closed after this many seconds.
keepalive = 5
# Bounds on a request's head: a client cannot make a worker buffer huge headers.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

