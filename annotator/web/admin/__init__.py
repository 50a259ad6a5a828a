"""The admin desk: moderation, claims, accounts, imports, the audit log."""

from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("admin", __name__)


@bp.before_request
def admins_only():
    """Every admin page answers 403 to anyone but an admin (the login gate ran before)."""
    if not (current_user.is_authenticated and current_user.is_admin):
        abort(403)


from . import routes  # noqa: E402,F401  (routes attach themselves to bp)

from . import agreement  # noqa: E402,F401  # isort: skip
from . import desk  # noqa: E402,F401  # isort: skip
from . import articles  # noqa: E402,F401  # isort: skip
from . import settings  # noqa: E402,F401  # isort: skip
from . import accounts  # noqa: E402,F401  # isort: skip
