"""Template helpers: formatting filters, and the limits forms show (from where they live)."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from annotator.models import SOURCE_URL_MAX_LENGTH
from annotator.text.sizes import count_shown
from annotator.text.timestamps import iso_utc
from annotator.text.web_addresses import ascii_url


def register_template_helpers(app: Flask) -> None:
    """Add filters and globals used across templates."""
    app.jinja_env.globals["SOURCE_URL_MAX_LENGTH"] = SOURCE_URL_MAX_LENGTH
    app.jinja_env.filters["ascii_url"] = ascii_url
    app.jinja_env.filters["count_shown"] = count_shown

    @app.template_filter("utc")
    def utc(value: dt.datetime | None) -> str:
        return iso_utc(value).replace("T", " ").replace("Z", " UTC")
