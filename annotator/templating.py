"""Template helpers: formatting filters and the forms every page needs."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from .timeutil import iso_utc


def register_template_helpers(app: Flask) -> None:
    """Add filters and globals used across templates."""

    @app.template_filter("utc")
    def utc(value: dt.datetime | None) -> str:
        return iso_utc(value).replace("T", " ").replace("Z", " UTC")

    @app.context_processor
    def forms():
        from .auth.forms import LogoutForm

        # formdata=None: never read the request body here, it may be the cause of an
        # error page (a 413) being rendered.
        return {"logout_form": LogoutForm(formdata=None)}
