"""The reviewer's desk: articles, claims in context, the verdict form, the queue."""

from flask import Blueprint

bp = Blueprint("review", __name__)

from . import progress, routes  # noqa: E402,F401  (routes attach themselves to bp)

from . import skips  # noqa: E402,F401  # isort: skip
