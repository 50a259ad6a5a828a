"""Where the quotations of an article are, and which of them are direct quotations.

The rules are listed at the top of ``annotator.text.hints`` (Quotation).  The marks and
how they pair come from ``annotator.text.vocabulary``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from annotator.text.hints.speakers import ATTRIBUTION_VERBS
from annotator.text.vocabulary import (
    LINE_BREAKS,
    QUOTATION_FAMILIES,
    QUOTATION_MARKS,
    SINGLE_QUOTATION_MARKS,
    SINGLE_QUOTE_CLOSES,
    SINGLE_QUOTE_OPENS,
)

_SINGLE_QUOTE_OPENS_RE = re.compile(SINGLE_QUOTE_OPENS)
_SINGLE_QUOTE_CLOSES_RE = re.compile(SINGLE_QUOTE_CLOSES)

_MARK_RE = re.compile(f"[{QUOTATION_MARKS}{LINE_BREAKS}]")
# What may stand right before an opening mark, besides whitespace and the start of a line.
_OPENERS_BEFORE = "([{<–—-―/" + QUOTATION_MARKS
# What may stand right after a closing mark, besides whitespace and the end of a line.
_CLOSERS_AFTER = ".,;:!?)]}>…–—-―/" + QUOTATION_MARKS

# Each family pairs up on its own (vocabulary.QUOTATION_FAMILIES).  A single-quote family
# never quotes to the end of a line: an unclosed single mark is an apostrophe.
_FAMILY_OF = {mark: family for family in QUOTATION_FAMILIES for mark in family}
_SINGLE_FAMILIES = frozenset(f for f in QUOTATION_FAMILIES if f[0] in SINGLE_QUOTATION_MARKS)

_OPEN = "open"
_CLOSE = "close"


@dataclass(frozen=True, slots=True)
class Quotation:
    """One quotation: its range in the body and whether its marks are really there."""

    start: int  # the opening mark, or the start of the line when there is none
    end: int  # just past the closing mark, or the end of the line when there is none
    opened: bool
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        """The range between the marks."""
        return self.start + self.opened, self.end - self.closed


def find_quotations(body: str) -> list[Quotation]:
    """Every quotation of ``body``, sorted by start; quotations of different families may nest."""
    found: list[Quotation] = []
    open_at: dict[str, int] = {}
    # Where a closing mark without an opening one starts quoting: the line's start or the end
    # of the family's previous quotation, which also keeps a run of such marks linear.
    closed_at: dict[str, int] = {}
    line_start = 0
    for match in _MARK_RE.finditer(body):
        pos = match.start()
        mark = match.group()
        if mark in LINE_BREAKS:
            _close_line(found, open_at, pos)
            closed_at.clear()
            line_start = pos + 1
            continue
        family = _FAMILY_OF[mark]
        start = open_at.get(family)
        action = _action(body, pos, line_start, None if start is None else body[start])
        if action is _OPEN:
            if start is not None and family not in _SINGLE_FAMILIES:
                found.append(Quotation(start, pos, True, False))
            open_at[family] = pos
        elif action is _CLOSE and start is not None:
            found.append(Quotation(start, pos + 1, True, True))
            del open_at[family]
            closed_at[family] = pos + 1
        elif action is _CLOSE and family not in _SINGLE_FAMILIES:
            found.append(Quotation(closed_at.get(family, line_start), pos + 1, False, True))
            closed_at[family] = pos + 1
    _close_line(found, open_at, len(body))
    found.sort(key=lambda q: (q.start, -q.end))
    return found


def _close_line(found: list[Quotation], open_at: dict[str, int], line_end: int) -> None:
    """End the quotations still open where a line ends; none runs past a line break."""
    for family, start in open_at.items():
        if family not in _SINGLE_FAMILIES:
            found.append(Quotation(start, line_end, True, False))
    open_at.clear()


def _action(body: str, pos: int, line_start: int, opened_by: str | None) -> str | None:
    """What the quotation mark at ``pos`` does: _OPEN, _CLOSE, or None when it is no mark
    here (an apostrophe, an inch mark).

    ``opened_by`` is the mark that opened the quotation of the same family still open on
    this line, if any.
    """
    mark = body[pos]
    before = body[pos - 1] if pos > line_start else ""
    after = body[pos + 1] if pos + 1 < len(body) and body[pos + 1] not in LINE_BREAKS else ""
    can_open = (not before or before.isspace() or before in _OPENERS_BEFORE) and bool(
        after and not after.isspace()
    )
    can_close = bool(before and not before.isspace()) and (
        not after or after.isspace() or after in _CLOSERS_AFTER
    )
    if mark in "«‹„" or (mark == "“" and opened_by is None):
        return _OPEN
    if mark == "“":
        # “ closes „ (German style); a second “ while one is open means a closing mark
        # went missing, so the quotation starts again.
        return _CLOSE if opened_by == "„" else _OPEN
    if mark == "”" and opened_by is None and can_open and not can_close:
        return _OPEN  # Swedish style: ” opens as well as closes
    if mark in "»›”":
        return _CLOSE
    if mark == '"':
        if before.isdigit():
            return None  # an inch mark: a 12" pipe
        if opened_by is not None and can_close:
            return _CLOSE
        return _OPEN if can_open else _CLOSE if can_close else None
    if mark == "'":
        # The splitter's rule (one source): see vocabulary.SINGLE_QUOTE_OPENS.
        if opened_by is not None and _SINGLE_QUOTE_CLOSES_RE.match(body, pos):
            return _CLOSE
        return _OPEN if _SINGLE_QUOTE_OPENS_RE.match(body, pos) else None
    if mark == "‘":
        return _OPEN if can_open and after.isalpha() else None
    # ’ closes only an open single quotation; otherwise it is an apostrophe.
    if opened_by is None or not can_close or after.isalnum():
        return None
    return _CLOSE


def mask_quotations(body: str, quotations: list[Quotation]) -> str:
    """``body`` with the inside of every quotation blanked out; marks and offsets stay."""
    pieces = []
    done = 0
    for start, end in merge_ranges([q.inner for q in quotations]):
        if end > start:
            pieces.append(body[done:start])
            pieces.append(" " * (end - start))
            done = end
    pieces.append(body[done:])
    return "".join(pieces)


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint ranges covering the same positions as ``ranges``."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_MIN_QUOTED_WORDS = 3
# An attribution right next to the marks: "“No,” he said", "he said: “No.”".  Both are
# looked for in a bounded window, and the separators match possessively: the masked
# text can hold long runs of blanks, and an unbounded scan there from every quotation
# made a line of many quotations quadratic.
_ATTRIBUTION_WINDOW = 80
_ATTRIBUTED_AFTER_RE = re.compile(
    rf"[\s,;:–—-]*+(?:[^\W_][\w'’.-]*\s+){{0,4}}?(?:{ATTRIBUTION_VERBS})(?![\w'’-])"
)
_ATTRIBUTED_BEFORE_RE = re.compile(rf"(?<![\w'’-])(?:{ATTRIBUTION_VERBS})\s*[,:]?\s*$")


def is_direct_quotation(body: str, masked: str, quotation: Quotation) -> bool:
    """Whether a quotation is a direct quotation rather than a scare-quoted term."""
    start, end = quotation.inner
    words = sum(1 for _ in islice(_WORD_RE.finditer(body, start, end), _MIN_QUOTED_WORDS))
    if words >= _MIN_QUOTED_WORDS:
        return True
    if not words:
        return False
    return bool(
        _ATTRIBUTED_AFTER_RE.match(masked, quotation.end, quotation.end + 2 * _ATTRIBUTION_WINDOW)
        or _ATTRIBUTED_BEFORE_RE.search(
            masked[max(0, quotation.start - _ATTRIBUTION_WINDOW) : quotation.start]
        )
    )
