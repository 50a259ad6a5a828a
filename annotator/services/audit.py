"""The audit log: record an event; page through it filtered by actor, action and date,
with every actor and subject named in a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from annotator.extensions import db
from annotator.models import Article, AuditEvent, Claim, User
from annotator.services.keyset import KeysetPage, keyset_page
from annotator.text.audit_details import ReadableDetails, describe, named, referenced_ids

EVENTS_CURSOR = (int,)
# The subject kinds whose names the log resolves, by the event's target type.
_TARGET_KINDS = {"user": "account", "claim": "claim", "article": "article"}


@dataclass(frozen=True)
class AuditQuery:
    """The log's filters; each None when not asked for (or not valid)."""

    actor_id: int | None = None
    action: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditQuery:
        """The filters the query string asks for. A bad date is ignored with a message
        saying so; an unknown actor or action simply matches nothing."""
        problems: list[str] = []
        actor = (args.get("actor") or "").strip()
        date_from = _date(args.get("from"), "from", problems)
        date_to = _date(args.get("to"), "to", problems)
        if date_from and date_to and date_from > date_to:
            problems.append(f"The “from” date ({date_from}) is after the “to” date "
                            f"({date_to}); the date range is ignored.")
            date_from = date_to = None
        return cls(
            actor_id=int(actor) if actor.isdecimal() and int(actor) < 2**31 else None,
            action=(args.get("action") or "").strip()[:64] or None,
            date_from=date_from, date_to=date_to, problems=tuple(problems),
        )

    def as_args(self) -> dict[str, str]:
        """The query-string arguments that reproduce these filters."""
        pairs = {"actor": self.actor_id, "action": self.action, "from": self.date_from,
                 "to": self.date_to}
        return {name: str(value) for name, value in pairs.items() if value is not None}


def _date(text: str | None, name: str, problems: list[str]) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:39] + "…"
        problems.append(f"“{shown}” is not a date like 2026-12-01; the “{name}” date "
                        "is ignored.")
        return None


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    actor: str
    subject: str
    details: ReadableDetails


@dataclass(frozen=True)
class AuditPage:
    page: KeysetPage[AuditEvent]
    rows: list[EventRow]
    actors: list[tuple[int, str]]  # the filter's choices: every account, by name
    actions: list[str]  # every action the log holds


def _filtered(query: AuditQuery) -> sa.Select:
    select = sa.select(AuditEvent)
    if query.actor_id is not None:
        select = select.where(AuditEvent.actor_id == query.actor_id)
    if query.action is not None:
        select = select.where(AuditEvent.action == query.action)
    if query.date_from is not None:
        select = select.where(AuditEvent.created_at >= dt.datetime.combine(
            query.date_from, dt.time()))
    if query.date_to is not None:
        select = select.where(AuditEvent.created_at < dt.datetime.combine(
            query.date_to + dt.timedelta(days=1), dt.time()))
    return select


def events_page(*, after: tuple | None, before: tuple | None, size: int,
                query: AuditQuery | None = None) -> KeysetPage[AuditEvent]:
    """One page of the audit log, newest first, paged by key, with the actors loaded."""
    return keyset_page(
        _filtered(query or AuditQuery()), (AuditEvent.id,), lambda event: (event.id,),
        descending=True, after=after, before=before, size=size,
        options=(joinedload(AuditEvent.actor),),
    )


def _wanted_ids(events: list[AuditEvent]) -> dict[str, set[int]]:
    wanted: dict[str, set[int]] = {"account": set(), "claim": set(), "article": set()}
    for event in events:
        kind = _TARGET_KINDS.get(event.target_type)
        if kind and event.target_id is not None:
            wanted[kind].add(event.target_id)
        for kind, ids in referenced_ids(event.details).items():
            wanted[kind] |= ids
    return wanted


def resolve_names(events: list[AuditEvent]) -> dict[str, dict[int, str]]:
    """Names of the accounts, claims and articles the events mention: at most one query
    per kind, whatever the number of events."""
    wanted = _wanted_ids(events)
    names: dict[str, dict[int, str]] = {"account": {}, "claim": {}, "article": {}}
    if wanted["account"]:
        names["account"] = dict(db.session.execute(
            sa.select(User.id, User.username).where(User.id.in_(wanted["account"]))).all())
    if wanted["article"]:
        names["article"] = dict(db.session.execute(
            sa.select(Article.id, Article.title).where(Article.id.in_(wanted["article"]))
        ).all())
    if wanted["claim"]:
        rows = db.session.execute(
            sa.select(Claim.id, Claim.position, Article.title)
            .join(Article, Article.id == Claim.article_id)
            .where(Claim.id.in_(wanted["claim"])))
        names["claim"] = {ident: (f"claim {position} of {title}" if position > 0
                                  else f"a retired claim of {title}")
                          for ident, position, title in rows}
    return names


def _subject(event: AuditEvent, names: dict[str, dict[int, str]]) -> str:
    kind = _TARGET_KINDS.get(event.target_type)
    if kind and event.target_id is not None:
        return named(kind, event.target_id, names)
    claim_id = (event.details or {}).get("claim_id")
    if event.target_type == "verdict" and isinstance(claim_id, int):
        return f"verdict {event.target_id} on {named('claim', claim_id, names)}"
    return " ".join(str(part) for part in (event.target_type, event.target_id)
                    if part is not None)


def audit_page(query: AuditQuery, *, after: tuple | None, before: tuple | None,
               size: int) -> AuditPage:
    """The audit log page: the events, their actors, subjects and details in words, and
    the filter's choices; a fixed number of queries whatever the page's size."""
    page = events_page(after=after, before=before, size=size, query=query)
    names = resolve_names(page.items)
    rows = [EventRow(event, event.actor.username if event.actor else "system",
                     _subject(event, names), describe(event.action, event.details, names))
            for event in page.items]
    actors = [(ident, username) for ident, username in db.session.execute(
        sa.select(User.id, User.username).order_by(User.username_key))]
    actions = list(db.session.scalars(sa.select(AuditEvent.action).distinct()
                                      .order_by(AuditEvent.action)))
    return AuditPage(page, rows, actors, actions)


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
