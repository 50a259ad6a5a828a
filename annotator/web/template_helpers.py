"""Template helpers: formatting filters."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from annotator.text.timestamps import iso_utc


def register_template_helpers(app: Flask) -> None:
    """Add filters and globals used across templates."""

    @app.template_filter("utc")
    def utc(value: dt.datetime | None) -> str:
        return iso_utc(value).replace("T", " ").replace("Z", " UTC")
