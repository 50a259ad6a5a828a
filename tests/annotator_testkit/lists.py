"""Reading the Articles page and the audit log back: their rows, their pager links, and
audit events written or re-dated directly."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

from annotator.extensions import db
from annotator.models import AuditEvent, User
from annotator.services import audit

_CELL = r'<td class="{name}" data-label="[^"]*">(.*?)</td>'


def _cells(html: str, name: str) -> list[str]:
    return [html_module.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(_CELL.format(name=name), html, re.S)]


def audit_rows(html: str) -> list[tuple[str, str, str]]:
    """The audit log's rows as (who, action, subject), top to bottom."""
    return list(zip(_cells(html, "who"), _cells(html, "action"), _cells(html, "subject"),
                    strict=True))


def article_titles(html: str) -> list[str]:
    """The Articles page's rows: each article's title, top to bottom."""
    return [html_module.unescape(title) for title in
            re.findall(r'<td class="article-name"><a href="/articles/\d+">([^<]*)</a>', html)]


def pager_link(html: str, words: str) -> str | None:
    """The address of the pager link starting with ``words``, unescaped, or None."""
    found = re.search(r'<a href="([^"]+)">' + re.escape(words), html)
    return html_module.unescape(found.group(1)) if found else None


def add_event(app, actor_id: int | None, action: str, *, when: dt.datetime | None = None,
              target=None, **details) -> int:
    """Record an audit event through the service (dated ``when`` if given); its id."""
    with app.app_context():
        actor = db.session.get(User, actor_id) if actor_id else None
        event = audit.record(actor, action, target if target is not None else actor,
                             **details)
        db.session.flush()
        if when is not None:
            event.created_at = when
        db.session.commit()
        return event.id


def redate_events(app, when: dt.datetime) -> None:
    """Move every audit event so far to ``when``."""
    with app.app_context():
        for event in db.session.scalars(db.select(AuditEvent)):
            event.created_at = when
        db.session.commit()
