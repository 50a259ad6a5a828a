"""The audit log: who did what to which object, when, with before/after details."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from annotator.extensions import db
from annotator.models import AuditEvent, User
from annotator.services.keyset import KeysetPage, keyset_page

EVENTS_CURSOR = (int,)


def events_page(*, after: tuple | None, before: tuple | None,
                size: int) -> KeysetPage[AuditEvent]:
    """One page of the audit log, newest first, paged by key, with the actors loaded."""
    return keyset_page(
        sa.select(AuditEvent), (AuditEvent.id,), lambda event: (event.id,), descending=True,
        after=after, before=before, size=size, options=(joinedload(AuditEvent.actor),),
    )


def record(actor: User | None, action: str, target: object, **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=getattr(target, "id", None),
        details=details,
    )
    db.session.add(event)
    return event
