"""The audit log: who did what to which object, when, with before/after details."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from annotator.extensions import db
from annotator.models import AuditEvent, User


def events_page(page: int, per_page: int):
    """One page of the audit log, newest first, with the actors loaded."""
    return db.paginate(
        sa.select(AuditEvent).options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc()),
        page=page, per_page=per_page, error_out=False,
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
