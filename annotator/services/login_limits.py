"""Login limits: refused password attempts counted in the database every app server shares.

Each attempt is *taken* before its password is checked: one INSERT ... ON CONFLICT DO
UPDATE ... WHERE hits below the limit both checks and counts, atomically, on SQLite (one
writer at a time) and on PostgreSQL (the conflicting row is locked, and the WHERE is
evaluated on its newest version). Of a burst of 60 parallel attempts, in one worker or
spread over many, exactly the limit get through; the rest are refused before any
expensive password hash is computed. An attempt that succeeds is given back (``refund``),
so people who type their password right are never slowed down.

Counts follow a sliding window, as most rate limiters do: the previous window's count,
weighted by how much of it still overlaps the last period, plus the current window's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from annotator.extensions import db
from annotator.models import LoginAttemptCount
from annotator.services.errors import DomainError


@dataclass(frozen=True)
class Limit:
    """At most ``amount`` refused attempts in any ``seconds``."""

    amount: int
    seconds: int


@dataclass(frozen=True)
class Taken:
    """One attempt counted in one window: what ``refund`` gives back."""

    key: str
    window_start: int


class TooManyAttempts(DomainError):
    """A limit is reached; ``retry_after`` seconds from now an attempt can go through."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many refused attempts.")
        self.retry_after = retry_after


def parse_limits(text: str) -> list[Limit]:
    """``"10 per minute; 100 per hour"`` as limits (the notation of the ``limits`` package)."""
    from limits import parse_many

    return [Limit(item.amount, item.get_expiry()) for item in parse_many(text)]


def _upsert(dialect: str):
    return (postgresql if dialect == "postgresql" else sqlite).insert(LoginAttemptCount)


def _take_one(key: str, limit: Limit, now: float) -> Taken:
    """Count one attempt under ``key`` unless ``limit`` is reached (then raise)."""
    period = limit.seconds
    start = int(now // period) * period
    full_key = f"{key}:{period}"[:200]
    previous = db.session.scalar(
        sa.select(LoginAttemptCount.hits).where(
            LoginAttemptCount.key == full_key, LoginAttemptCount.window_start == start - period
        )
    ) or 0
    # The previous window no longer grows: its weighted share can be read apart.
    carried = math.floor(previous * (start + period - now) / period)
    if carried < limit.amount:
        insert = _upsert(db.engine.dialect.name).values(
            key=full_key, window_start=start, hits=1, expires_at=start + 2 * period
        )
        table = LoginAttemptCount.__table__
        counted = db.session.scalar(
            insert.on_conflict_do_update(
                index_elements=[table.c.key, table.c.window_start],
                set_={"hits": table.c.hits + 1},
                where=table.c.hits + carried < limit.amount,
            ).returning(table.c.hits)
        )
        if counted is not None:
            return Taken(full_key, start)
    current = db.session.scalar(
        sa.select(LoginAttemptCount.hits).where(
            LoginAttemptCount.key == full_key, LoginAttemptCount.window_start == start
        )
    ) or 0
    raise TooManyAttempts(_retry_after(limit, now - start, current, previous))


def _retry_after(limit: Limit, elapsed: float, current: int, previous: int) -> int:
    """Seconds until the sliding count falls below the limit (no attempt in between)."""
    period = limit.seconds
    if current >= limit.amount:
        # In the next window this one weighs current * (1 - t/period).
        wait = period - elapsed + period * (1 - limit.amount / current)
    else:
        # current + previous * (period - elapsed - t) / period < amount
        wait = period - elapsed - (limit.amount - current) * period / previous
    return max(1, math.ceil(wait) + 1)


def take(keys: list[tuple[str, list[Limit]]], now: float) -> list[Taken]:
    """Count one attempt under every key, against each of its limits, or none at all.

    Raises ``TooManyAttempts`` when any limit is reached; the caller rolls back, so the
    refused attempt counts nowhere (a name locked by failures opens again when they age).
    Keys and limits are taken in the order given, the same in every request, so two
    requests never wait on each other's rows in opposite orders. The caller commits.
    """
    db.session.execute(
        sa.delete(LoginAttemptCount).where(LoginAttemptCount.expires_at < int(now))
    )
    return [_take_one(key, limit, now) for key, limits in keys for limit in limits]


def refund(taken: list[Taken]) -> None:
    """Give back attempts that turned out right; the caller commits."""
    for entry in taken:
        db.session.execute(
            sa.update(LoginAttemptCount)
            .where(LoginAttemptCount.key == entry.key,
                   LoginAttemptCount.window_start == entry.window_start,
                   LoginAttemptCount.hits > 0)
            .values(hits=LoginAttemptCount.hits - 1)
        )
