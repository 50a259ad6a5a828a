"""One line of a body into sentence ranges: list markers first, then each stretch through
the fast path, or the slow path when the fast one cannot decide.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from annotator.text.splitting.fast_path import chunks, is_plain
from annotator.text.splitting.offsets import MAX_CLAIM_CHARS, capped
from annotator.text.splitting.quotations import LineSpans, line_spans
from annotator.text.splitting.slow_path import sentence_ranges

# A bullet or dash that starts a line, then whitespace; the claim starts after it.
_BULLET_RE = re.compile(r"\s*([-‐‑‒–—―•*·▪◦‣⁃●○■□►▸▶➢✓✔])\s+(?=\S)")
# The bullets that may also mark further items inside the line (dashes may not: inside a
# line they are punctuation).
_RUN_IN_BULLETS = "•*·▪◦‣⁃●○■□►▸▶➢✓✔"


def single_item_start(line: str) -> int | None:
    """Where the text of the one list item of ``line`` starts, after its bullet; None when
    the line starts with no bullet, or when the same bullet marks further items inside
    it (a run-in list)."""
    bullet = _BULLET_RE.match(line)
    if bullet is None:
        return None
    mark = bullet.group(1)
    if mark in _RUN_IN_BULLETS and re.search(rf"\s{re.escape(mark)}\s", line):
        return None
    return bullet.end()


def line_ranges(line: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) ranges of the sentences of one line, possibly unstripped."""
    item = single_item_start(line)
    if item is not None:
        yield from _item_ranges(line, item)
        return
    bullet = _BULLET_RE.match(line)
    if bullet is None:
        yield from _item_ranges(line, 0)
        return
    mark = bullet.group(1)
    starts = [0, *(m.start() + 1 for m in re.finditer(rf"\s{re.escape(mark)}\s", line))]
    # A run-in list: each item, bullet included, is cut on its own.
    for start, end in zip(starts, [*starts[1:], len(line)], strict=True):
        for low, high in _item_ranges(line[start:end], 0):
            yield start + low, start + high


def _item_ranges(line: str, begin: int) -> Iterator[tuple[int, int]]:
    """Yield the sentence ranges of ``line[begin:]``, a line or a run-in list item.

    Stretches that need pySBD are gathered until they hold ``_MIN_SLOW_CHARS`` (each
    pySBD call has a fixed cost of about 0.15 ms, so a line of thousands of tiny
    stretches such as "Yes! A? Yes! A?" would otherwise cost 20 s per MiB); the
    certain boundaries between them are cut again afterwards, so the claims stay the
    ones each stretch gives on its own.
    """
    if _LETTER_OR_DIGIT_RE.search(line, begin) is None:
        # Punctuation alone ("* * *", a run of bullets) is one piece, as pySBD has it.
        yield from capped(line, begin, len(line))
        return
    spans = line_spans(line, begin)
    embedded = spans.embedded
    group: list[tuple[int, int]] = []
    for start, end in chunks(line, begin, spans.blocked, spans.quoted):
        if is_plain(line, start, end, embedded):
            if group:
                yield from _slow_ranges(line, group, spans)
                group = []
            if end - start <= MAX_CLAIM_CHARS:
                yield start, end  # the caller strips it
            else:
                yield from capped(line, start, end)
            continue
        group.append((start, end))
        if end - group[0][0] >= _MIN_SLOW_CHARS:
            yield from _slow_ranges(line, group, spans)
            group = []
    yield from _slow_ranges(line, group, spans)


_LETTER_OR_DIGIT_RE = re.compile(r"[^\W_]")
# The shortest stretch handed to pySBD when more stretches that need it follow.
_MIN_SLOW_CHARS = 400


def _slow_ranges(
    line: str, group: list[tuple[int, int]], spans: LineSpans
) -> Iterator[tuple[int, int]]:
    """Yield the sentence ranges of the adjacent stretches ``group`` found by the slow
    path in one pass, cut at the certain boundaries between the stretches."""
    if not group:
        return
    cuts = [end for _, end in group[:-1]]
    for low, high in sentence_ranges(line, group[0][0], group[-1][1], spans):
        for cut in cuts[bisect.bisect_right(cuts, low) : bisect.bisect_left(cuts, high)]:
            yield from capped(line, low, cut)
            low = cut
        yield from capped(line, low, high)
