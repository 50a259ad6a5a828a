"""The audit log: who did what to which object, when, with before/after details."""

from __future__ import annotations

from typing import Any

from .extensions import db
from .models import AuditEvent, User


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
