"""Guards on what a request carries before any view sees it.

Numbers and text in URLs and forms reach the database: an id beyond the integer columns'
range makes PostgreSQL (and SQLite's driver) raise instead of finding nothing, and a NUL
character cannot be stored in a PostgreSQL text column at all. Both are turned into clear
answers here, once, instead of in every view.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from annotator.models import MAX_INTEGER
from annotator.services.keyset import decode_cursor
from annotator.web.error_pages import render_error


class IdConverter(IntegerConverter):
    """``<int:...>`` in routes: a number no row can have is a 404, not a database error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(url_map, *args, **kwargs)


def id_arg(name: str) -> int | None:
    """An id from the query string; None when absent or not a number. Out of range → 0,
    which no row has, so the caller's lookup answers 404."""
    value = request.args.get(name, type=int)
    if value is None:
        return None
    return value if 0 < value <= MAX_INTEGER else 0


def _has_nul() -> bool:
    sources = [request.args]
    if request.method in ("POST", "PUT", "PATCH"):
        sources.append(request.form)
    return any("\x00" in value
               for source in sources for _, values in source.lists() for value in values)


def register(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_nul_characters():
        if _has_nul():
            return render_error(
                400,
                "The request contains a NUL character, which no text field accepts. "
                "Nothing was changed; remove it and try again.",
            )
        return None


def posted_version(value: str | None) -> int | None:
    """The version a form was loaded with, as posted back: None when empty (a new record),
    -1 when not a number or beyond any version, which matches none and is refused as stale."""
    if not value:
        return None
    try:
        version = int(value)
    except ValueError:
        return -1
    return version if 0 < version <= MAX_INTEGER else -1


def cursor_args(kinds: tuple[type, ...]) -> dict[str, tuple | None]:
    """The ``after`` and ``before`` cursors of a list paged by key, each None when absent
    or not a key of these kinds (an edited link shows the first page)."""
    return {name: decode_cursor(request.args.get(name), kinds) for name in ("after", "before")}


def cursor_query() -> dict[str, str]:
    """The cursors of the current page as they came, to link back to the same page."""
    return {name: request.args[name] for name in ("after", "before") if request.args.get(name)}
