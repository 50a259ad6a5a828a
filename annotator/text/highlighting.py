"""Cutting an article body into plain and claim parts, for highlighting in templates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar


class Span(Protocol):
    start: int
    end: int


S = TypeVar("S", bound=Span)


def segments(body: str, spans: Sequence[S]) -> list[tuple[str, S | None]]:
    """Split ``body`` into consecutive parts, each either plain text (None) or one span's text.

    Spans are taken in offset order; a span overlapping the previous one or lying outside
    the body is skipped rather than breaking the page.
    """
    parts: list[tuple[str, S | None]] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.start < cursor or span.end > len(body) or span.start >= span.end:
            continue
        if span.start > cursor:
            parts.append((body[cursor : span.start], None))
        parts.append((body[span.start : span.end], span))
        cursor = span.end
    if cursor < len(body):
        parts.append((body[cursor:], None))
    return parts
