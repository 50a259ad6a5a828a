"""The quick lane: a line of plain prose cut into sentences with a few regular
expressions and the fast path's own judgement of each sentence end.

In most lines of news every mark is a period, "!" or "?" before whitespace (with closing
quotation marks or brackets), a period between two letters or digits ("3.5", "U.S"), a
period before a comma, dots before a lowercase word, or a bracket that closes.  For such a
line the fast path would make every stretch a claim of its own, so the slow path never
runs; this lane finds the same cuts with two passes of the regular-expression engine over
the line and one judgement per sentence end (``fast_path.ends_sentence`` and
``fast_path.keeps_sentence``, answered at once for a plain word or a title), instead of
building chunks and stretches and judging every mark of each.  Quotations and brackets
are read as the fast path reads them (``quotations.line_spans``).  That makes splitting
news about twice as fast.  A line whose every sentence end is of a few common kinds is
first offered to ``sure_lines``, which finds the same cuts with one regular expression
per sentence and no judgement in Python.

The lane only accepts what it is sure of: a line with anything else (a bullet, a list
marker "2)", "?" or "!" before a lowercase word, a period that pySBD might take for a
sentence end, a straight single quote after a sentence end, a sentence longer than a claim
may be) gives ``None``, and the caller splits it the ordinary way.  (The caller offers the
item of a line with a bullet again without its bullet, as a line of its own.)  Unit tests
check that the lane changes no claim, on news and on generated token soups.
"""

from __future__ import annotations

import bisect
import re

from annotator.text.splitting.fast_path import ends_sentence, keeps_sentence
from annotator.text.splitting.offsets import MAX_CLAIM_CHARS, Spans
from annotator.text.splitting.pysbd_segments import ALL_ABBREVIATIONS, PREPOSITIVE_ABBREVIATIONS
from annotator.text.splitting.quotations import LineSpans, line_spans
from annotator.text.splitting.sure_lines import sure_line_ranges
from annotator.text.vocabulary import SENTENCE_INNER_ABBREVIATIONS

# The closing marks fast_path.is_plain strips from the end of a stretch.  Not the straight
# single quote: after "." it leaves the period a mark to judge, so such a line ("…your
# work.' She") goes the ordinary way.
_CLOSERS = '"”’»)\\]'
# A line whose every mark is one the lane can judge: text that holds no mark, runs of ".",
# "!" or "?" (and closing marks) before whitespace, each judged below, a period between two
# word characters or before a comma, dots before a lowercase word, a closing bracket after a
# letter, a digit or "%", and at the end of the line a run of ".", "!" or "?" and closing
# marks.  Not a line that starts with a bullet or a dash: the lane leaves those alone.
# (Each mark is read with the text after it: the engine takes one step of its loop per
# mark, not two.)
_NO_MARK = "[^.!?…•⁃)]*+"
_MARKS_KNOWN_RE = re.compile(
    r"(?!\s*[-‐‑‒–—―•*·▪◦‣⁃●○■□►▸▶➢✓✔]\s)"
    rf"{_NO_MARK}(?:(?:[.!?]++[{_CLOSERS}]*+(?=\s)"
    r"|(?<=[A-Za-z0-9_])\.(?=[A-Za-z0-9_])"
    r"|\.(?=[,;:])"
    r"|(?<![.!?])(?:\.\.\.?|…)(?=\s+[a-z])"
    rf"|(?<=[A-Za-z0-9%])\)){_NO_MARK})*+"
    rf"[.!?]*+[{_CLOSERS}]*+\s*+"
)
# A run of sentence punctuation and closing marks before whitespace, where the closing
# marks end, and whether a capital letter (after an opening quotation mark) follows.
# (The pattern starts with the punctuation itself, which lets the engine skip to it.)
_STOP_RE = re.compile(
    rf"[.!?](?<![.!?][.!?])[.!?]*+(?P<closers>[{_CLOSERS}]*+)(\s++)"
    rf"(?P<capital>(?=[\"“«‘„]?[A-Z]))?"
)
_ELLIPSIS_BEFORE_LOWERCASE_RE = re.compile(r"\.\.\.?(?=\s+[a-z])")


def plain_line_ranges(line: str) -> list[tuple[int, int]] | None:
    """Return the stripped sentence ranges of ``line``, or None when the lane is not
    sure of them."""
    if _MARKS_KNOWN_RE.fullmatch(line) is None:
        return None
    spans = line_spans(line, 0)
    numbered = _number_brackets(line) if ")" in line else []
    sure = sure_line_ranges(line, spans.embedded)
    if sure is not None and (
        # Most lines: no claim can be too long, and no cut can fall inside brackets or
        # an embedded quotation or leave a "2)" unclosed.
        (spans.blocked.empty and not numbered and len(line) <= MAX_CLAIM_CHARS)
        or _within_limits(line, sure, spans, numbered)
    ):
        return sure
    ranges = []
    start = 0  # where the current stretch begins, as fast_path counts it
    claim_start = len(line) - len(line.lstrip())
    for stop in _STOP_RE.finditer(line):
        end, after = stop.span(2)
        if after >= len(line):
            break  # the end of the line
        mark = stop.start()
        word = _plain_word_before(line, start, mark)
        if stop.lastgroup == "capital" and _cuts(line, start, mark, end, word, spans):
            if end - claim_start > MAX_CLAIM_CHARS or (
                numbered and not _brackets_close(line, start, end, numbered, spans.embedded)
            ):
                return None
            ranges.append((claim_start, end))
            start, claim_start = end, after
        elif (spans.embedded.empty or not spans.embedded.inside(mark)) and not _keeps(
            line, start, stop, word
        ):
            return None
    tail = len(line.rstrip())
    if tail - claim_start > MAX_CLAIM_CHARS or (
        numbered and not _brackets_close(line, start, tail, numbered, spans.embedded)
    ):
        return None
    if claim_start < tail:
        ranges.append((claim_start, tail))
    return ranges


def _number_brackets(line: str) -> list[int]:
    """Where a closing bracket follows a digit: a list marker ("2)") unless it closes a
    bracket.  (Found with the string's own search: the engine would test every
    character.)"""
    found = []
    pos = line.find(")")
    while pos >= 0:
        if pos and line[pos - 1] in _DIGITS:
            found.append(pos)
        pos = line.find(")", pos + 1)
    return found


_DIGITS = frozenset("0123456789")


def _within_limits(
    line: str, ranges: list[tuple[int, int]], spans: LineSpans, numbered: list[int]
) -> bool:
    """Tell whether the loop below would keep ``ranges``: none is longer than a claim
    may be, none ends inside brackets or an embedded quotation, and every "2)" closes a
    bracket of its stretch (which begins where the range before ends)."""
    if len(line) > MAX_CLAIM_CHARS and any(
        end - start > MAX_CLAIM_CHARS for start, end in ranges
    ):
        return False
    if not spans.blocked.empty and any(spans.blocked.inside(end) for _, end in ranges):
        return False
    stretch_start = 0
    for _, end in ranges if numbered else ():
        if not _brackets_close(line, stretch_start, end, numbered, spans.embedded):
            return False
        stretch_start = end
    return True


def _plain_word_before(line: str, start: int, mark: int) -> str | None:
    """The word of ASCII letters between a space (or the start of the line) and
    ``mark``, if that is the token that fast_path reads there."""
    low = max(start, mark - _LONGEST_PLAIN_WORD - 1)
    space = line.rfind(" ", low, mark)
    if space < 0 and low > 0:
        return None
    word = line[space + 1 : mark]
    if len(word) <= _LONGEST_PLAIN_WORD and word.isalpha() and word.isascii():
        return word
    return None


# fast_path looks no further back than 80 characters for the word before a period.
_LONGEST_PLAIN_WORD = 60


def _cuts(line: str, start: int, mark: int, end: int, word: str | None, spans: LineSpans) -> bool:
    """Tell whether ``fast_path.chunks`` cuts after the punctuation ``line[mark:end]``,
    which whitespace and a capital follow.  Answered at once when ``word``, the token
    before it, is a plain word: a single letter (an initial) or a title never ends a
    sentence there, any other word that is no abbreviation does."""
    if not spans.blocked.empty and spans.blocked.inside(end):
        return False
    if word is not None:
        lowered = word.lower()
        if len(word) == 1 or lowered in PREPOSITIVE_ABBREVIATIONS:
            return False
        if lowered not in _ABBREVIATIONS:
            return True
    return ends_sentence(line, start, mark, end, spans.quoted)


def _keeps(line: str, start: int, stop: re.Match[str], word: str | None) -> bool:
    """Tell whether the punctuation ``stop`` stays inside its sentence as the fast path
    judges it: one period that pySBD keeps, or dots before a lowercase word."""
    if stop.group("closers"):
        return False
    mark, end = stop.start(), stop.start(2)
    if end - mark == 1:
        if line[mark] != ".":
            return False
        if word is not None and len(word) <= 12 and word.lower() in PREPOSITIVE_ABBREVIATIONS:
            return True  # a title: what keeps_sentence finds first
        return keeps_sentence(line, start, mark)
    dots = _ELLIPSIS_BEFORE_LOWERCASE_RE.match(line, mark)
    return dots is not None and dots.end() == end


# Every word whose period ends_sentence may judge otherwise than a plain word's.
_ABBREVIATIONS = PREPOSITIVE_ABBREVIATIONS | ALL_ABBREVIATIONS | SENTENCE_INNER_ABBREVIATIONS


def _brackets_close(line: str, start: int, end: int, numbered: list[int], embedded: Spans) -> bool:
    """Tell whether every "2)" of the stretch ``line[start:end]`` closes a bracket opened
    in the stretch (or lies in an embedded quotation), as ``fast_path.is_plain`` asks."""
    return all(
        embedded.inside(pos) or line.rfind("(", start, pos) > line.rfind(")", start, pos)
        for pos in numbered[bisect.bisect_left(numbered, start) : bisect.bisect_left(numbered, end)]
    )
