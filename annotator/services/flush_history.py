"""What a flush is writing, read from the session's attribute history: for the listeners
that keep derived data current after a flush (``desk_ranks``, ``queue_frontier``). Inside
``after_flush`` the history still holds the values before the flush."""

from __future__ import annotations

import sqlalchemy as sa


def changed(instance: object, *names: str) -> bool:
    """Whether any of the attributes ``names`` of ``instance`` changed."""
    state = sa.inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in names)


def changed_to(instance: object, name: str, value: object) -> bool:
    """Whether the attribute ``name`` of ``instance`` changed, to ``value``."""
    return changed(instance, name) and getattr(instance, name) == value
