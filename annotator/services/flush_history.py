"""What a flush is writing, read from the session's attribute history: for the listeners
that keep derived data current around a flush (``desk_ranks``, ``queue_frontier``,
``progress_tallies``). Inside ``after_flush`` the history still holds the values before
the flush."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session


def changed(instance: object, *names: str) -> bool:
    """Whether any of the attributes ``names`` of ``instance`` changed."""
    state = sa.inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in names)


def changed_to(instance: object, name: str, value: object) -> bool:
    """Whether the attribute ``name`` of ``instance`` changed, to ``value``."""
    return changed(instance, name) and getattr(instance, name) == value


def flushed_inputs(session: Session, inputs: Mapping[type, tuple[str, ...]]) -> Iterator[object]:
    """The objects of the coming (or just run) flush that are new or deleted, or whose
    attributes named for their class in ``inputs`` changed; objects of other classes are
    left out."""
    for instances, whole in ((session.new, True), (session.deleted, True),
                             (session.dirty, False)):
        for instance in instances:
            names = inputs.get(type(instance))
            if names is not None and (whole or changed(instance, *names)):
                yield instance
