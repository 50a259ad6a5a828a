"""Quotations and brackets in one line, as the splitter sees them.

Where they are (outermost quotations, outermost brackets), whether a quotation is part
of its sentence's grammar (then it is never cut), and where a quotation of several
sentences is cut into one claim per sentence.  The quotation marks and their pairings
come from ``annotator.text.vocabulary``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from annotator.text.splitting.offsets import NO_SPANS, Spans
from annotator.text.vocabulary import (
    SENTENCE_INNER_ABBREVIATIONS,
    SINGLE_QUOTE_CLOSES,
    SINGLE_QUOTE_OPENS,
    SPLITTER_QUOTATION_CLOSERS,
)

_CLOSING_MARKS = "".join(SPLITTER_QUOTATION_CLOSERS.values())
_QUOTE_MARKS = "".join(dict.fromkeys("".join(SPLITTER_QUOTATION_CLOSERS) + _CLOSING_MARKS))
_QUOTE_MARK_RE = re.compile(f"[{_QUOTE_MARKS}]")
_BRACKETS = "()[]{}"


def _marks(chars: str) -> tuple[str, str]:
    """``chars``, and those of them an ASCII line can hold."""
    return chars, "".join(char for char in chars if char.isascii())


# A line without any of these has no quotation and no bracket: most lines of news.
_QUOTE_OR_BRACKET_MARKS = _marks(_QUOTE_MARKS + _BRACKETS)
_BRACKET_MARKS = _marks(_BRACKETS)


def _holds_any(line: str, begin: int, marks: tuple[str, str]) -> bool:
    """Tell whether ``line[begin:]`` holds any of ``marks`` (made by ``_marks``).

    One search of the string per mark, not the regular-expression engine, which tests
    every character against a set and takes several times longer on a line of news.
    """
    every, in_ascii = marks
    if begin:
        return any(line.find(mark, begin) >= 0 for mark in every)
    return any(map(line.__contains__, in_ascii if line.isascii() else every))


class LineSpans(NamedTuple):
    """Where the cuts of one line are constrained."""

    embedded: Spans  # quotations that are part of their sentence's grammar
    blocked: Spans  # embedded quotations and brackets: no cut inside
    quoted: Spans  # every outermost quotation


def line_spans(line: str, begin: int) -> LineSpans:
    """The quotations and brackets of ``line[begin:]``, as the cutting rules read them."""
    if not _holds_any(line, begin, _QUOTE_OR_BRACKET_MARKS):
        return _NO_LINE_SPANS  # most lines: nothing to look up
    quotations = outermost_quotations(line, begin)
    embedded = Spans.ordered(embedded_quotations(line, quotations))
    bracketed = brackets(line, begin) if _holds_any(line, begin, _BRACKET_MARKS) else None
    if not bracketed:
        blocked = embedded
    elif embedded.empty:
        blocked = Spans.ordered(bracketed)  # outermost brackets: in order, apart
    else:
        blocked = Spans([*embedded.ranges(), *bracketed])
    return LineSpans(embedded, blocked, Spans.ordered(quotations))


# One outermost quotation: an opening mark, then everything up to one of its closing marks
# or to the end of the line.  Marks of other kinds inside it, and closing marks before any
# opening one, are passed over, as the loop below reads them.  Not the ‘ ’ pair, whose
# closing mark may be an apostrophe: a line with "‘" goes through the loop.
_QUOTATION_RE = re.compile(
    "|".join(
        f"{re.escape(opener)}[^{re.escape(closers)}]*+(?:[{re.escape(closers)}]|\\Z)"
        for opener, closers in SPLITTER_QUOTATION_CLOSERS.items()
        if opener != "‘"
    )
)


def outermost_quotations(line: str, begin: int) -> list[tuple[int, int]]:
    """Return the outermost quotations of ``line`` as (opening, after closing) ranges.

    A quotation never closed on its line runs to the end of the line.  A right
    single quote followed by a letter is an apostrophe ("don’t"), not a closing mark.
    """
    if "‘" not in line:
        return [match.span() for match in _QUOTATION_RE.finditer(line, begin)]
    return quotations_mark_by_mark(line, begin)


def quotations_mark_by_mark(line: str, begin: int) -> list[tuple[int, int]]:
    """``outermost_quotations`` read one mark at a time: the rule itself, which the
    regular expression above follows for every pair but ‘ ’ (a test compares them)."""
    spans: list[tuple[int, int]] = []
    opened = -1
    closers = ""
    for mark in _QUOTE_MARK_RE.finditer(line, begin):
        char, pos = mark.group(), mark.start()
        if opened < 0:
            if char in SPLITTER_QUOTATION_CLOSERS:
                opened, closers = pos, SPLITTER_QUOTATION_CLOSERS[char]
        elif char in closers:
            if char == "’" and pos + 1 < len(line) and line[pos + 1].isalpha():
                continue
            spans.append((opened, pos + 1))
            opened = -1
    if opened >= 0:
        spans.append((opened, len(line)))
    return spans


_FIRST_LETTER_RE = re.compile(r"[\W\d_]*([^\W\d_])")
_BEFORE_OPENING_RE = re.compile(r"\w[ \t\xa0]+$")
_AFTER_CLOSING_RE = re.compile(r"[ \t\xa0]+[^\W\d_]")


def is_embedded(line: str, opening: int, after: int) -> bool:
    """Tell whether the quotation ``line[opening:after]`` is part of its sentence's grammar.

    It is when it opens with a lowercase word (he called it “a mess. a real mess”), or
    when it directly follows a word and is directly followed by a lowercase word (He
    said “The plan is dead. We move on” and left.).
    """
    if after >= len(line) and line[-1] not in _CLOSING_MARKS:
        return False  # never closed: nothing to tell it from a quoted paragraph
    if _opens_lowercase(line, opening + 1, after):
        return True
    if after >= len(line) or line[after] not in " \t\xa0":
        return False  # no lowercase word can follow directly
    continuation = _AFTER_CLOSING_RE.match(line, after)
    return (
        continuation is not None
        and continuation.group()[-1].islower()
        and _BEFORE_OPENING_RE.search(line, max(0, opening - 8), opening) is not None
    )


def _opens_lowercase(line: str, start: int, end: int) -> bool:
    """Tell whether the first letter of ``line[start:end]`` is lowercase (read at once
    when that is its first character and an ASCII letter, as in most quotations)."""
    first_char = line[start] if start < end else ""
    if first_char.isascii() and first_char.isalpha():
        return first_char.islower()
    first = _FIRST_LETTER_RE.match(line, start, end)
    return first is not None and first.group(1).islower()


def embedded_quotations(line: str, quotations: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the quotations of ``quotations`` that are part of their sentence's grammar.

    A quotation that resumes one interrupted by its attribution is not, even when it
    opens with a lowercase word ("We wanted to show," the captain said, "that a small
    club can win. We did it."): it is the rest of the quoted speech, whose sentences
    are claims like those of any quotation.
    """
    embedded = []
    previous_end = -1
    for opening, after in quotations:
        if is_embedded(line, opening, after) and not _resumes(line, previous_end, opening):
            embedded.append((opening, after))
        previous_end = after
    return embedded


# The attribution between the two parts of an interrupted quotation: no sentence end and
# no quotation mark, ended by a comma ("," the captain told the press, ").
_INTERRUPTION_RE = re.compile(r"[^.!?\"“”«»„]{1,120},[ \t\xa0]+")


def _resumes(line: str, previous_end: int, opening: int) -> bool:
    """Tell whether the quotation at ``opening`` resumes the one that ends at
    ``previous_end``: that one closes on a comma, and only an attribution ended by a
    comma stands between them."""
    return (
        previous_end >= 2
        and line[previous_end - 2] == ","
        and _INTERRUPTION_RE.fullmatch(line, previous_end, opening) is not None
    )


_BRACKET_RE = re.compile(r"[()\[\]{}]")


def brackets(line: str, begin: int) -> list[tuple[int, int]]:
    """Return the outermost bracketed ranges of ``line``; an unclosed one runs to the end."""
    spans: list[tuple[int, int]] = []
    depth = 0
    opened = 0
    for mark in _BRACKET_RE.finditer(line, begin):
        if mark.group() in "([{":
            if depth == 0:
                opened = mark.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, mark.end()))
    if depth:
        spans.append((opened, len(line)))
    return spans


# --- quotations inside a pySBD segment ----------------------------------------
#
# pySBD protects everything between quotation marks, so a quotation of several
# sentences comes back as one segment.  For fact-checking each quoted sentence
# is a claim of its own, so inside a pySBD segment we add a boundary after
# sentence punctuation when all of these hold:
#   * a quotation is open at that point (« “ opened and not yet closed by » ”,
#     an odd number of straight double quotes so far in the segment, or a straight
#     single quote that opens a word, as in "'It was", not yet closed by one that ends
#     a word or a sentence, as in "going.'");
#   * the punctuation is followed by whitespace and then an uppercase letter
#     (so `."` / `.»` never qualify: there the quotation closes, as in
#     'She turned to him, "This is great." she said.');
#   * a single period does not end an abbreviation or an initial
#     ("Mr. Smith", "U.S. troops", "George W. Bush").
# A straight single quote inside a word is an apostrophe ("don't") and changes nothing;
# one before a word after a letter ("the players' union") closes nothing that was open.

# A quotation mark, or a whole run of sentence punctuation followed by whitespace. A
# straight single quote opens or closes by ``vocabulary.SINGLE_QUOTE_OPENS`` and
# ``..._CLOSES`` (the hints follow the same rule). The look-behind and possessive "++"
# make each run match at most once, so a long run of dots cannot make the scan quadratic.
_QUOTE_OR_STOP_RE = re.compile(
    rf"""[«»“”"]|(?P<single_open>{SINGLE_QUOTE_OPENS})|(?P<single_close>{SINGLE_QUOTE_CLOSES})"""
    r"|(?<![.!?])[.!?]++(?=\s)"
)
_NEXT_WORD_RE = re.compile(r"\s+(\S)")
_DOTTED_ABBREVIATION_RE = re.compile(r"[^\W\d_]{1,2}(?:\.[^\W\d_]{1,2})+")
_OPENING_QUOTES = "«“"
_CLOSING_QUOTES = "»”"
_WORD_PREFIX = "«“\"'‘([{"
_MAX_ABBREVIATION_CHARS = 12


def split_quotation(line: str, start: int, end: int, embedded: Spans) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` split after each sentence ending inside a quotation.

    Not inside an ``embedded`` quotation: that one is part of its sentence.
    """
    depth = 0
    straight_open = single_open = False
    for mark in _QUOTE_OR_STOP_RE.finditer(line, start, end):
        text = mark.group()
        if mark.lastgroup:
            single_open = mark.lastgroup == "single_open"
        elif text in _OPENING_QUOTES:
            depth += 1
        elif text in _CLOSING_QUOTES:
            depth = max(depth - 1, 0)
        elif text == '"':
            straight_open = not straight_open
        elif (
            (depth or straight_open or single_open)
            and not embedded.inside(mark.end())
            and _is_quoted_boundary(line, start, mark, end)
        ):
            yield start, mark.end()
            start = mark.end()
    yield start, end


def _is_quoted_boundary(line: str, start: int, mark: re.Match[str], end: int) -> bool:
    """Tell whether the sentence punctuation ``mark`` inside a quotation ends a sentence."""
    if not _starts_sentence(line, mark.end(), end):
        return False
    return mark.group() != "." or not ends_abbreviation(line, start, mark.start())


def _starts_sentence(line: str, pos: int, end: int) -> bool:
    """Tell whether whitespace then an uppercase letter follow ``pos``."""
    word = _NEXT_WORD_RE.match(line, pos, end)
    return word is not None and word.group(1).isupper()


def ends_abbreviation(line: str, start: int, period: int) -> bool:
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
        or word.lower() in SENTENCE_INNER_ABBREVIATIONS
        or _DOTTED_ABBREVIATION_RE.fullmatch(word) is not None
    )


_NO_LINE_SPANS = LineSpans(NO_SPANS, NO_SPANS, NO_SPANS)
