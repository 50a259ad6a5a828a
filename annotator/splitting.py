"""Split an article body into claims: one sentence per claim.

Sentence boundaries come from pySBD (English rules, ``clean=False``).  On top of
it we add things of our own:

* every line break is a hard boundary, so a claim never spans two lines;
* a quotation holding several sentences is split into one claim per sentence
  (pySBD deliberately keeps quoted text together);
* a piece that cannot start a sentence (a comma, a lowercase word, an amount
  after an abbreviation such as "approx.") is joined to the sentence before it;
* offsets are computed here, never taken from pySBD, and very long lines are
  fed to pySBD in bounded windows so the cost stays linear in the body length.

This module is pure Python and knows nothing about Flask or the database.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

# pysbd 0.3.4 contains regex literals with invalid escape sequences.  When no
# cached bytecode exists, compiling them warns, and with warnings-as-errors
# (our pytest configuration) the import itself would fail.  Silence only the
# import; nothing in the library's runtime behaviour depends on it.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pysbd

__all__ = ["ClaimSpan", "split_claims"]


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    """One claim of a body: ``text == body[start:end]``, stripped, one line."""

    start: int
    end: int
    text: str


# One segmenter for the process.  We only call its ``processor()`` factory,
# which builds fresh per-call state, so sharing it between threads is safe
# (``Segmenter.segment`` stores the text on the instance and is not).
_SEGMENTER = pysbd.Segmenter(language="en", clean=False)

# Everything str.splitlines() treats as a line boundary.  Each is a hard claim
# boundary, which also guarantees that no claim contains a newline.
_LINE_RE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")

# pySBD's abbreviation pass rescans the whole text for every abbreviation it
# meets, so its cost grows quadratically with the length of a single call
# (a 200 KB paragraph takes ~25 s).  Lines longer than this are segmented in
# windows of about this size; ordinary paragraphs are far shorter.
_WINDOW_CHARS = 3000

# How far past the expected position we look for a pySBD sentence.  pySBD
# normally only drops whitespace between sentences; a bounded search keeps a
# sentence that cannot be found (pySBD altered it) from costing a full scan.
_SEARCH_SLACK = 64


def split_claims(body: str) -> list[ClaimSpan]:
    """Split ``body`` into claims, one sentence each, in order of appearance.

    Every span satisfies ``span.text == body[span.start:span.end]``; its text
    is non-empty, has no surrounding whitespace and no line break; spans do
    not overlap; together they cover every non-whitespace character of
    ``body``.  Never raises for any ``str``; blank input gives ``[]``.
    """
    claims: list[ClaimSpan] = []
    for line in _LINE_RE.finditer(body):
        if line.group().isspace():
            continue
        for start, end in _sentence_ranges(line.group()):
            start, end = _strip(body, line.start() + start, line.start() + end)
            if start < end:
                claims.append(ClaimSpan(start, end, body[start:end]))
    return claims


def _sentence_ranges(line: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) ranges of the sentences of one line, possibly unstripped."""
    pending: tuple[int, int] | None = None
    for start, end in _pysbd_ranges(line):
        for piece in _split_quotation(line, start, end):
            if pending is not None and _continues(line, pending, piece):
                pending = (pending[0], piece[1])
                continue
            if pending is not None:
                yield pending
            pending = piece
    if pending is not None:
        yield pending


# A piece that starts like this cannot begin a sentence: the cut before it was wrong
# ("No. 10 Downing St., spoke at 3 p.m." must not yield ", spoke at 3 p.m.").
_PUNCTUATION_START_RE = re.compile(r"\s*[,;:)\]}%]")
# After an abbreviation these go on with the same sentence: a lowercase word
# ("approx. two thirds") but not a list marker ("b. The second item"), or an amount
# ("approx. $3 trillion"). After a real sentence end they may start a new one
# ("Sales fell. iPhone sales rose.").
_AFTER_ABBREVIATION_RE = re.compile(r"\s*(?:[a-z](?![.)])|[$€£¥\d])")


def _continues(line: str, previous: tuple[int, int], piece: tuple[int, int]) -> bool:
    """Tell whether ``piece`` is the rest of the sentence in ``previous``.

    Never when the two together would be longer than a forced cut allows: those cuts
    in overlong sentences are deliberate.
    """
    if piece[1] - previous[0] > _WINDOW_CHARS // 2:
        return False
    if _PUNCTUATION_START_RE.match(line, piece[0], piece[1]):
        return True
    head, tail = _strip(line, *previous)
    return (
        tail > head
        and line[tail - 1] == "."
        and _AFTER_ABBREVIATION_RE.match(line, piece[0], piece[1]) is not None
        and _ends_abbreviation(line, head, tail - 1)
    )


def _pysbd_ranges(line: str) -> Iterator[tuple[int, int]]:
    """Yield pySBD's sentence ranges of ``line``, working in bounded windows.

    In each window every sentence but the last is final: the last one may be
    cut short by the window's edge, so the next window starts where it
    starts.  If that would advance less than half a window (one sentence of
    thousands of characters), we cut it at whitespace instead, which keeps
    the total cost linear at the price of an arbitrary break inside a
    sentence that is far too long to be a useful claim anyway.
    """
    pos = 0
    while pos < len(line):
        if len(line) - pos <= _WINDOW_CHARS:
            yield from _locate(line, pos, len(line))
            return
        limit = pos + _WINDOW_CHARS
        ranges = _locate(line, pos, limit)
        yield from ranges[:-1]
        last_start = ranges[-1][0] if ranges else pos
        if last_start - pos >= _WINDOW_CHARS // 2:
            pos = last_start
        else:
            cut = _forced_cut(line, max(last_start, pos + _WINDOW_CHARS // 2), limit)
            yield last_start, cut
            pos = cut


def _forced_cut(line: str, low: int, high: int) -> int:
    """Return a cut position in (low, high]: after the last whitespace, else ``high``."""
    for i in range(high - 1, low, -1):
        if line[i].isspace():
            return i + 1
    return high


def _locate(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Segment ``line[start:end]`` with pySBD and find each sentence in ``line``.

    pySBD's own offsets are wrong for repeated sentences, and pySBD sometimes
    returns text that is not in the input (it uses private placeholder
    characters, which clash with the same characters in the input).  So we
    search for each sentence from a moving cursor; text we cannot match
    becomes a range of its own, which keeps every character of the input in
    exactly one range.
    """
    text = line[start:end]
    ranges: list[tuple[int, int]] = []
    cursor = 0
    missed = 0  # length of sentences not found since the cursor last moved
    for sentence in _pysbd_sentences(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        limit = min(len(text), cursor + missed + len(sentence) + _SEARCH_SLACK)
        found = text.find(sentence, cursor, limit)
        if found < 0:
            missed += len(sentence)
            continue
        if not _is_blank(text, cursor, found):
            ranges.append((start + cursor, start + found))
        ranges.append((start + found, start + found + len(sentence)))
        cursor = found + len(sentence)
        missed = 0
    if not _is_blank(text, cursor, len(text)):
        ranges.append((start + cursor, end))
    return ranges


def _pysbd_sentences(text: str) -> list[str]:
    """Return pySBD's sentences for ``text``, or ``[text]`` if pySBD fails.

    ``Segmenter.segment`` re-finds every sentence with a regex scan of the
    whole text (quadratic, and it silently drops sentences it cannot find);
    the processor alone gives the same sentences without that step.
    """
    try:
        sentences = _SEGMENTER.processor(text).process()
    except Exception:  # a third-party parser must never break an import
        return [text]
    return [sentence for sentence in sentences or () if isinstance(sentence, str)]


def _is_blank(text: str, start: int, end: int) -> bool:
    """Tell whether ``text[start:end]`` is empty or whitespace only."""
    return start >= end or text[start:end].isspace()


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``(start, end)`` so that ``text[start:end]`` has no outer whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- quotations -------------------------------------------------------------
#
# pySBD protects everything between quotation marks, so a quotation of several
# sentences comes back as one segment.  For fact-checking each quoted sentence
# is a claim of its own, so inside a pySBD segment we add a boundary after
# sentence punctuation when all of these hold:
#   * a quotation is open at that point (« “ opened and not yet closed by » ”,
#     or an odd number of straight double quotes so far in the segment);
#   * the punctuation is followed by whitespace and then an uppercase letter
#     (so `."` / `.»` never qualify: there the quotation closes, as in
#     'She turned to him, "This is great." she said.');
#   * a single period does not end an abbreviation or an initial
#     ("Mr. Smith", "U.S. troops", "George W. Bush").
# Single quotes are ignored because they double as apostrophes.

# A quotation mark, or a whole run of sentence punctuation followed by
# whitespace.  The look-behind and possessive "++" make each run match at most
# once, so a long run of dots cannot make the scan quadratic.
_QUOTE_OR_STOP_RE = re.compile(r'[«»“”"]|(?<![.!?])[.!?]++(?=\s)')
_NEXT_WORD_RE = re.compile(r"\s+(\S)")
_DOTTED_ABBREVIATION_RE = re.compile(r"[^\W\d_]{1,2}(?:\.[^\W\d_]{1,2})+")
_OPENING_QUOTES = "«“"
_CLOSING_QUOTES = "»”"
_WORD_PREFIX = "«“\"'‘([{"
_MAX_ABBREVIATION_CHARS = 12

# Abbreviations that usually stay inside a sentence.  Words that are also
# common sentence endings (e.g. "no", "is", "me") are left out on purpose:
# leaving a quotation whole is only a missed split, but a false abbreviation
# would be a mid-sentence break.
_ABBREVIATIONS = frozenset(
    {
        # titles and ranks
        "mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "drs", "prof", "sr", "jr",
        "st", "rev", "hon", "pres", "gov", "sen", "sens", "rep", "reps", "gen", "col",
        "lt", "maj", "capt", "cmdr", "adm", "sgt", "cpl", "pvt", "det", "insp", "supt",
        # organisations and addresses
        "co", "corp", "inc", "ltd", "bros", "dept", "univ", "assn", "ave", "blvd", "rd",
        "mt", "ft",
        # references
        "vs", "etc", "al", "cf", "viz", "approx", "esp", "est", "fig", "vol", "nos", "pp",
        # months
        "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip


def _split_quotation(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` split after each sentence ending inside a quotation."""
    depth = 0
    straight_open = False
    for mark in _QUOTE_OR_STOP_RE.finditer(line, start, end):
        text = mark.group()
        if text in _OPENING_QUOTES:
            depth += 1
        elif text in _CLOSING_QUOTES:
            depth = max(depth - 1, 0)
        elif text == '"':
            straight_open = not straight_open
        elif (depth or straight_open) and _is_quoted_boundary(line, start, mark, end):
            yield start, mark.end()
            start = mark.end()
    yield start, end


def _is_quoted_boundary(line: str, start: int, mark: re.Match[str], end: int) -> bool:
    """Tell whether the sentence punctuation ``mark`` inside a quotation ends a sentence."""
    if not _starts_sentence(line, mark.end(), end):
        return False
    return mark.group() != "." or not _ends_abbreviation(line, start, mark.start())


def _starts_sentence(line: str, pos: int, end: int) -> bool:
    """Tell whether whitespace then an uppercase letter follow ``pos``."""
    word = _NEXT_WORD_RE.match(line, pos, end)
    return word is not None and word.group(1).isupper()


def _ends_abbreviation(line: str, start: int, period: int) -> bool:
    """Tell whether the word just before the period at ``period`` is an abbreviation."""
    word_start = period
    lowest = max(start, period - _MAX_ABBREVIATION_CHARS - 1)
    while word_start > lowest and not line[word_start - 1].isspace():
        word_start -= 1
    if word_start == lowest and word_start > start and not line[word_start - 1].isspace():
        return False  # a long word is no abbreviation
    word = line[word_start:period].lstrip(_WORD_PREFIX)
    return (
        (len(word) == 1 and word.isalpha())
        or word.lower() in _ABBREVIATIONS
        or _DOTTED_ABBREVIATION_RE.fullmatch(word) is not None
    )
