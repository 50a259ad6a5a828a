"""Downloads: verdicts as CSV."""

from flask import Blueprint

bp = Blueprint("export", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
