"""The two apps annotator's speed is compared with, built from its libraries without it
(the stack alone lives in ``reference_stack.py``, so that the bare app loads Flask alone).

- **bare Flask**: sqlite3, one indexed read rendered into a page padded to annotator's
  claim page's size; a POST inserts one row. No ORM, login or CSRF: the limit for a page.
- **the stack alone**: Flask-SQLAlchemy with four minimal models, Flask-Login and
  CSRFProtect, logged in. The GET loads the user and the claim with its article through the
  ORM, the POST checks CSRF, adds a verdict and commits: the floor of annotator's
  libraries before any of its own work.

``bench_requests.py`` drives both in process beside annotator; ``bench_start.py`` serves
them under gunicorn (``reference_apps:served()``, configured by environment variables)
to time their start and weigh their workers. This module imports nothing of annotator's,
so what a worker serving it loads is the libraries alone.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from flask import Flask, abort, current_app, redirect, render_template, request
from jinja2 import DictLoader

LABELS = ("supported", "disputed", "unclear")
# Each claim as the reference apps store it: (id, article title, article body, claim text).
ClaimRow = tuple[int, str, str, str]

# The reference apps' claim page: what annotator's shows, padded to its size.
CLAIM_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Claim {{ claim_id }} · {{ title }}</title></head><body><main>
<p class="crumbs">{{ title }} › claim {{ claim_id }}</p><blockquote>{{ text }}</blockquote>
<article>{{ before }}<mark id="current">{{ text }}</mark>{{ after }}</article>
<form method="post" action="/claims/{{ claim_id }}">{% if csrf_token is defined %}
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">{% endif %}
{% for value in labels %}<label><input type="radio" name="verdict" value="{{ value }}"
required> {{ value|capitalize }}</label>{% endfor %}<textarea name="source_note"></textarea>
<input type="url" name="source_url"><button>Save verdict</button></form></main>
<!-- padding to annotator's page size: {{ filler }} --></body></html>"""
LOGIN_PAGE = """<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}"><button>Log in</button></form>"""

# The environment ``served()`` reads (bench_start.py sets it for each gunicorn it starts).
SERVED_APP, SERVED_DATABASE, SERVED_PAGE_BYTES = (
    "REFERENCE_APP", "REFERENCE_DATABASE", "REFERENCE_PAGE_BYTES")


def reference_app(name: str, page_bytes: int) -> Flask:
    """A plain Flask app whose templates are loaded (and compiled) once, as files are."""
    app = Flask(name)
    app.config.update(SECRET_KEY="bench", PAGE_BYTES=page_bytes, FILLER=None)
    app.jinja_loader = DictLoader({"claim.html": CLAIM_PAGE, "login.html": LOGIN_PAGE})
    return app


def render_padded(claim_id: int, title: str, body: str, text: str) -> str:
    """The claim page padded to annotator's size (the padding measured on the first one)."""
    before, _, after = body.partition(text)
    values = dict(claim_id=claim_id, title=title, text=text, before=before, after=after,
                  labels=LABELS)
    config = current_app.config
    if config["FILLER"] is None:
        unpadded = len(render_template("claim.html", filler="", **values).encode())
        config["FILLER"] = "x" * max(0, config["PAGE_BYTES"] - unpadded)
    return render_template("claim.html", filler=config["FILLER"], **values)


def checked_save() -> tuple[str, str]:
    """The least validation a save needs: a known label and a note (else 400)."""
    label, note = request.form.get("verdict", ""), request.form.get("source_note", "").strip()
    if label not in LABELS or not note:
        abort(400)
    return label, note


# --- bare Flask --------------------------------------------------------------------------

def build_bare(database: Path, rows: list[ClaimRow]) -> None:
    """The bare app's database: the claims, and an empty table of verdicts."""
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(
            "CREATE TABLE claim (id INTEGER PRIMARY KEY, title TEXT, body TEXT, text TEXT);"
            "CREATE TABLE verdict (id INTEGER PRIMARY KEY, claim_id INTEGER, label TEXT,"
            " source_note TEXT, created_at TEXT);")
        connection.executemany("INSERT INTO claim VALUES (?, ?, ?, ?)", rows)
    connection.close()


def bare_app(database: Path, page_bytes: int) -> Flask:
    """No ORM, login or CSRF: one indexed read per page, one committed insert per save."""
    connection = sqlite3.connect(database, timeout=15)
    app = reference_app("bare", page_bytes)

    @app.get("/claims/<int:claim_id>")
    def claim(claim_id: int):
        row = connection.execute("SELECT id, title, body, text FROM claim WHERE id = ?",
                                 (claim_id,)).fetchone()
        return render_padded(*row) if row else abort(404)

    @app.post("/claims/<int:claim_id>")
    def save(claim_id: int):
        label, note = checked_save()
        connection.execute("INSERT INTO verdict (claim_id, label, source_note, created_at)"
                           " VALUES (?, ?, ?, ?)",
                           (claim_id, label, note, dt.datetime.now(dt.UTC).isoformat()))
        connection.commit()
        return redirect(f"/claims/{claim_id + 1}")

    return app


def served() -> Flask:
    """The app gunicorn serves (``reference_apps:served()``), named by the environment.
    The bare app's workers load Flask alone: the stack's module is imported only for it."""
    environ = os.environ
    if environ[SERVED_APP] == "bare":
        make = bare_app
    else:
        from reference_stack import stack_app as make
    return make(Path(environ[SERVED_DATABASE]), int(environ[SERVED_PAGE_BYTES]))
