"""One notion of "now" for the whole app: naive datetimes that are always UTC.

Naive UTC stores identically on SQLite (which has no time zones) and PostgreSQL
``timestamp without time zone``, so values compare and sort the same everywhere.
"""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current UTC time without tzinfo, at microsecond precision."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso_utc(value: datetime | None) -> str:
    """Format a datetime as ISO 8601 in UTC with a ``Z`` suffix; naive values are UTC."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"
