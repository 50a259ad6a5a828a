"""Cutting text for display: an article body into plain and claim parts (to highlight the
claims in context), and a claim into the places an admin may split it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
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


_WORD_GAP_RE = re.compile(r"\s+")
# Words shown either side of a cut point, enough to recognise the place.
SNIPPET_WORDS = 4


@dataclass(frozen=True)
class CutPoint:
    """A place a claim can be split: ``at`` characters into its text."""

    at: int
    before: str
    after: str


def cut_points(text: str) -> list[CutPoint]:
    """Every gap between words of ``text``, with a few words either side for the label."""
    points = []
    for gap in _WORD_GAP_RE.finditer(text):
        if gap.start() == 0 or gap.end() == len(text):
            continue
        before = text[: gap.start()].split()
        after = text[gap.end():].split()
        points.append(CutPoint(
            gap.start(),
            ("…" if len(before) > SNIPPET_WORDS else "") + " ".join(before[-SNIPPET_WORDS:]),
            " ".join(after[:SNIPPET_WORDS]) + ("…" if len(after) > SNIPPET_WORDS else ""),
        ))
    return points
