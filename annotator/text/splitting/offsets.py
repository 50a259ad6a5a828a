"""Offset arithmetic on one line: stripping a range, capping its length, and a set of
ranges that answers "is this position inside one?" quickly.

Every pass of the splitter works on ``(start, end)`` offsets into the line, never on
copies of the text, so that the claims' offsets are exact and the cost stays linear.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

# The longest claim.  A sentence of 5,000 characters is already far beyond
# anything a newsroom writes; longer runs are cut at whitespace so that one
# pasted table cannot become a single unreadable claim.
MAX_CLAIM_CHARS = 6000


class Spans:
    """A set of ranges that answers "is this position strictly inside one?" in log time."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        """Merge overlapping ``spans`` so that one bisection answers each question."""
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]
        self.empty = not merged  # a plain attribute: the lines without ranges ask it often

    @classmethod
    def ordered(cls, spans: list[tuple[int, int]]) -> Spans:
        """The set of ``spans``, which are already in order and do not overlap (the
        quotations of a line): nothing to sort or merge."""
        if not spans:
            return NO_SPANS
        made = cls.__new__(cls)
        made._starts = [start for start, _ in spans]
        made._ends = [end for _, end in spans]
        made.empty = False
        return made

    def ranges(self) -> list[tuple[int, int]]:
        """The ranges of the set, in order."""
        return list(zip(self._starts, self._ends, strict=True))

    def starts_at(self, pos: int) -> bool:
        """Tell whether a range of the set starts at ``pos``."""
        if self.empty:
            return False
        index = bisect.bisect_left(self._starts, pos)
        return index < len(self._starts) and self._starts[index] == pos

    def inside(self, pos: int) -> bool:
        """Tell whether ``pos`` lies after the start and before the end of a range."""
        if self.empty:
            return False
        index = bisect.bisect_left(self._starts, pos) - 1
        return index >= 0 and pos < self._ends[index]


# The empty set, shared by every line without quotations or brackets.
NO_SPANS = Spans(())


def strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``(start, end)`` so that ``text[start:end]`` has no outer whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def is_blank(text: str, start: int, end: int) -> bool:
    """Tell whether ``text[start:end]`` is empty or whitespace only."""
    return start >= end or text[start:end].isspace()


def capped(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)``, cut at whitespace into pieces of at most MAX_CLAIM_CHARS."""
    start, end = strip(line, start, end)
    while end - start > MAX_CLAIM_CHARS:
        cut = forced_cut(line, start + MAX_CLAIM_CHARS // 2, start + MAX_CLAIM_CHARS)
        yield start, cut
        start = cut
    yield start, end


def forced_cut(line: str, low: int, high: int) -> int:
    """Return a cut position in (low, high]: after the last whitespace, else ``high``."""
    for i in range(high - 1, low, -1):
        if line[i].isspace():
            return i + 1
    return high
