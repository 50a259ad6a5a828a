"""Paging by key: a long list read a page at a time, each page as cheap as the first.

OFFSET makes the database read and throw away every row before the page, so page 2,001
of a queue costs two thousand pages; a page that starts after the last row seen (its
sort key) is read straight from an index, whatever its depth. Links carry that key as a
cursor (``?after=…`` for the next page, ``?before=…`` for the previous one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from annotator.extensions import db

T = TypeVar("T")
# The key's parts: a timestamp and an id, or an id alone.
KeyPart = dt.datetime | int


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """One page of a list, with the cursors of its neighbours (None at either end)."""

    items: list[T]
    total: int
    before: str | None  # the cursor of the previous page
    after: str | None  # the cursor of the next page


def encode_cursor(key: Sequence[KeyPart]) -> str:
    """A sort key as text for a URL: ``2026-12-01T10:00:00.123456_42``."""
    return "_".join(part.isoformat() if isinstance(part, dt.datetime) else str(part)
                    for part in key)


def decode_cursor(text: str | None, kinds: Sequence[type]) -> tuple[KeyPart, ...] | None:
    """The sort key a cursor names, or None when it is absent or not a key of these kinds
    (an edited or stale link shows the first page rather than an error)."""
    parts = (text or "").split("_")
    if not text or len(parts) != len(kinds):
        return None
    try:
        key = tuple(dt.datetime.fromisoformat(part) if kind is dt.datetime else int(part)
                    for part, kind in zip(parts, kinds, strict=True))
    except ValueError:
        return None
    if any(isinstance(part, int) and not 0 <= part < 2**63 for part in key):
        return None
    return key


def counted(query: sa.Select, up_to: int | None = None) -> sa.Select:
    """The statement counting ``query``'s rows; with ``up_to``, at most ``up_to + 1`` of
    them: a larger number means "more than ``up_to``" (``text.sizes.count_shown``), and
    the count stops reading there."""
    if up_to is not None:
        query = query.limit(up_to + 1)
    return sa.select(sa.func.count()).select_from(query.subquery())


def count_rows(query: sa.Select, key: Sequence[Any], up_to: int | None = None) -> int:
    """How many rows ``query`` has (``counted``), counted over its ``key`` columns only:
    the count must not name or read wide columns."""
    return db.session.scalar(
        counted(query.with_only_columns(*key, maintain_column_froms=True), up_to))


def keyset_page(query: sa.Select, order: Sequence[Any], key_of: Callable[[T], tuple],
                *, descending: bool, after: tuple | None, before: tuple | None,
                size: int, options: Sequence[Any] = (), whole_rows: bool = False,
                total: int | None = None, count_up_to: int | None = None) -> KeysetPage[T]:
    """A page of ``query`` sorted by the columns ``order`` (together unique), starting
    after the key ``after`` or ending before the key ``before`` (the first page when
    neither is given). ``key_of`` reads an item's key back from a loaded item;
    ``options`` say what to load with the page's items (not with the count). The items
    are the query's first entity, or its whole rows with ``whole_rows`` (when the key
    holds a computed column). ``total``: the number of the query's rows, when the caller
    has counted them already (the query is then not counted again); else they are
    counted, up to ``count_up_to`` when given (see ``count_rows``)."""
    columns = sa.tuple_(*order)
    backwards = before is not None
    forward_desc = descending != backwards  # the direction rows are read in
    page = query.options(*options)
    if backwards:
        page = page.where(columns > sa.tuple_(*before) if descending
                          else columns < sa.tuple_(*before))
    elif after is not None:
        page = page.where(columns < sa.tuple_(*after) if descending
                          else columns > sa.tuple_(*after))
    page = page.order_by(*(c.desc() if forward_desc else c.asc() for c in order))
    result = db.session.execute(page.limit(size + 1))
    rows = list(result.all() if whole_rows else result.scalars().unique())
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    if total is None:
        total = count_rows(query, order, count_up_to)
    first, last = (key_of(rows[0]), key_of(rows[-1])) if rows else (None, None)
    has_before = more if backwards else after is not None and bool(rows)
    has_after = (before is not None and bool(rows)) if backwards else more
    return KeysetPage(
        items=rows, total=total,
        before=encode_cursor(first) if has_before and first else None,
        after=encode_cursor(last) if has_after and last else None,
    )
