"""The order in which the review queue serves claims, chosen by an admin for the whole desk.

Kept as a ``Setting`` row (key ``queue_order``) so an admin changes it in the app; an
installation that never chose has the default, oldest article first, so importing new
articles never moves anyone's place.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import Setting, User
from annotator.services import audit
from annotator.services.errors import DomainError
from annotator.text.timestamps import utcnow

QUEUE_ORDER_KEY = "queue_order"

# value -> what the settings page calls it; the first is the default.
QUEUE_ORDERS = {
    "oldest": "Oldest article first (each article top to bottom)",
    "newest": "Newest article first (each article top to bottom)",
    "fewest": "Fewest reviews first (then oldest article first)",
}
DEFAULT_QUEUE_ORDER = next(iter(QUEUE_ORDERS))


class UnknownQueueOrder(DomainError):
    field = "queue_order"


def check_queue_order(value: str | None) -> str:
    """``value`` if it names a queue order; otherwise the refusal saying which exist."""
    if value not in QUEUE_ORDERS:
        raise UnknownQueueOrder(
            f"Unknown queue order {value!r}: choose one of {', '.join(QUEUE_ORDERS)}.")
    return value


@cache
def _stored_value() -> sa.Select:
    return sa.select(Setting.value).where(Setting.key == sa.bindparam("key"))


def current_queue_order() -> str:
    """The desk's queue order; the default when none was chosen (or a stored value is no
    longer known, so an old row cannot break the queue). Asked after every save: one
    column by key, from a statement built once."""
    value = db.session.scalar(_stored_value(), {"key": QUEUE_ORDER_KEY})
    return value if value in QUEUE_ORDERS else DEFAULT_QUEUE_ORDER


def set_queue_order(value: str | None, actor: User) -> bool:
    """Make ``value`` the desk's queue order, audited; False when it already was.

    Raises UnknownQueueOrder (nothing changed) for a value that names no order.
    """
    check_queue_order(value)
    before = current_queue_order()
    if value == before:
        return False
    row = db.session.get(Setting, QUEUE_ORDER_KEY)
    if row is None:
        row = Setting(key=QUEUE_ORDER_KEY, value=value)
        db.session.add(row)
    row.value, row.updated_by_id = value, actor.id
    row.updated_at = utcnow()
    audit.record(actor, "setting.change", row, key=QUEUE_ORDER_KEY, before=before, after=value)
    db.session.flush()
    return True
