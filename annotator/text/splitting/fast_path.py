"""The fast path: the sentence boundaries that are certain, and the stretches that are
one sentence whatever pySBD would say.

Most of a news line is cut here without pySBD.  Only a stretch that still holds an
ambiguous mark (an abbreviation or an initial before a capital, a list marker, an
ellipsis, "?" or "!" mid-stretch) goes on to the slow path.  The rules mirror what pySBD
and the slow path would decide, so both paths give the same claims (a unit test checks
that by switching this path off).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from annotator.text.splitting.offsets import Spans, strip
from annotator.text.splitting.pysbd_segments import (
    ABBREVIATIONS_BEFORE_LOWERCASE,
    ALL_ABBREVIATIONS,
    NUMBER_ABBREVIATIONS,
    PREPOSITIVE_ABBREVIATIONS,
    SENTENCE_MARK_RE,
    SENTENCE_STARTERS,
)
from annotator.text.splitting.slow_path import AFTER_CLOCK_RE
from annotator.text.vocabulary import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    SENTENCE_ENDING_WORDS,
    SENTENCE_INNER_ABBREVIATIONS,
)

# Sentence punctuation, closing marks, then whitespace and a capital letter: a boundary
# when the word before it is a whole word (letters with inner apostrophes or hyphens,
# a year, a large number, a percentage, an ordinal, a day after a month, an e-mail or
# web address) and no title ("Mr.", "Gen.", "St."), so "Acme Inc. The shares fell" is
# two sentences, as pySBD has it.  A single letter (an initial), a short number (a
# list marker) and anything with an inner period are left to pySBD.
# The look-behind and possessive quantifiers make each run of punctuation match at
# most once, so a long run of dots cannot make the scan quadratic; the pattern starts
# with the punctuation itself, which lets the engine skip ahead to it.
_END_RE = re.compile(r"[.!?](?<![.!?][.!?])[.!?]*+[\"”’'»)\]]*+(?=\s+[\"“«‘„]?[A-Z])")
_WHOLE_WORD_RE = re.compile(
    r"[(\[\"'“«‘„]*"
    r"([A-Za-z][A-Za-z'’-]*[A-Za-z]|\d{1,3}(?:,\d{3})+|\d{4,}|\d+(?:\.\d+)?%"
    r"|\d+(?:st|nd|rd|th)|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+)"
)
_LONGEST_WORD = 80
# A day after a month ("on March 3.", "on Sept. 30.") is no list marker.  "May." counts
# too: a stray period after May still makes it the month before a day.
_DAY_RE = re.compile(r"\d{1,2}")
MONTH_BEFORE_DAY_RE = re.compile(rf"(?:{'|'.join(MONTH_ABBREVIATIONS)}|May)\.|{'|'.join(MONTHS)}")
_I_NEXT_RE = re.compile(r"\s+I(?:\s|'|’)")
_TRAILING_CLOSERS = '"”’»)]'
_QUOTE_CLOSERS_BEFORE_END = "'’\"”»"


def chunks(line: str, begin: int, blocked: Spans, quoted: Spans) -> Iterator[tuple[int, int]]:
    """Cut ``line[begin:]`` at the boundaries that are certain.

    Never inside brackets or an embedded quotation.  Inside another quotation a
    boundary is certain when the quotation rule of the slow path would cut there too.
    """
    start = begin
    for end in _END_RE.finditer(line, begin):
        if blocked.inside(end.end()) or not ends_sentence(
            line, start, end.start(), end.end(), quoted
        ):
            continue
        yield start, end.end()
        start = end.end()
    yield start, len(line)


def ends_sentence(line: str, start: int, mark: int, after: int, quoted: Spans) -> bool:
    """Tell whether the sentence punctuation ``line[mark:after]``, which whitespace and a
    capital letter follow, ends a sentence that began at ``start`` beyond doubt: a whole
    word stands before it, and no title, no abbreviation before "I", no abbreviation
    inside a quotation."""
    word = _word_before(line, start, mark)
    if word is None:
        return False
    lowered = word.group(word.lastindex or 0).lower()
    return not (
        lowered in PREPOSITIVE_ABBREVIATIONS
        or (
            lowered in ALL_ABBREVIATIONS
            and lowered not in SENTENCE_ENDING_WORDS
            and _I_NEXT_RE.match(line, after)
        )
        or (lowered in SENTENCE_INNER_ABBREVIATIONS and quoted.inside(after))
    )


def _word_before(line: str, start: int, pos: int) -> re.Match[str] | None:
    """Match _WHOLE_WORD_RE on the whitespace-free token that ends at ``pos``.

    Closing quotation marks just before the punctuation are no part of the word: a
    quotation that ends with a quoted word ("and 'the public'.") ends its sentence too.
    """
    while pos > start and line[pos - 1] in _QUOTE_CLOSERS_BEFORE_END:
        pos -= 1
    low = max(start, pos - _LONGEST_WORD)
    space = line.rfind(" ", low, pos)
    if space < 0 and low > start:
        return None  # longer than any word
    token_start = space + 1 if space >= 0 else low
    inner = line[token_start:pos].split()
    if len(inner) > 1:  # another kind of whitespace inside
        token_start = pos - len(inner[-1])
    if _DAY_RE.fullmatch(line, token_start, pos) and space > start:
        month_start = line.rfind(" ", start, space) + 1 or start
        if MONTH_BEFORE_DAY_RE.fullmatch(line, month_start, space):
            return _DAY_RE.fullmatch(line, token_start, pos)
    return _WHOLE_WORD_RE.fullmatch(line, token_start, pos)


def is_plain(line: str, start: int, end: int, embedded: Spans) -> bool:
    """Tell whether ``line[start:end]`` is one sentence whatever pySBD would say.

    True when nothing but its final punctuation could end a sentence: every other
    mark is inside an embedded quotation (which our rules keep whole) or is a period
    that pySBD's own rules always keep inside a sentence.
    """
    start, end = strip(line, start, end)
    # A list marker that starts the stretch stays with its item, as the slow path has
    # it: "• The item", "9. The item", "• 9. The item".
    marker = _LEADING_MARKER_RE.match(line, start, end)
    if marker is not None:
        start = marker.end()
    while end > start and line[end - 1] in _TRAILING_CLOSERS:
        end -= 1
    while end > start and line[end - 1] in ".!?":
        end -= 1
    for mark in _MARK_OR_ELLIPSIS_RE.finditer(line, start, end):
        char, pos = mark.group(), mark.start()
        if mark.lastgroup or embedded.inside(pos):
            continue  # dots before a lowercase word: the slow path joins what follows
        if char == ")":
            closes = line.rfind("(", start, pos) > line.rfind(")", start, pos)
            if line[pos - 1].isdigit() and not closes:
                return False  # "2)" starts a list item unless it closes a bracket
        elif char != "." or not keeps_sentence(line, start, pos):
            return False
    return True


# Every mark of SENTENCE_MARK_RE, but two or three dots before a lowercase word match as
# one ("27.0%... and then"): no sentence ends there.
_MARK_OR_ELLIPSIS_RE = re.compile(
    rf"(?P<ellipsis>(?<![.!?])(?:\.\.\.?|…)(?=\s+[a-z]))|{SENTENCE_MARK_RE.pattern}"
)
_LEADING_MARKER_RE = re.compile(r"(?:[•⁃]\s+)?(?:\d{1,3}\.\s+(?=[A-Za-z]))?")
_WORD_CHAR_RE = re.compile(r"\w", re.ASCII)
_TOKEN_BEFORE_RE = re.compile(r"(?:(?<=\s)|^)(\S{1,12})$")
_DOTTED_RE = re.compile(r"[A-Za-z](?:\.[A-Za-z])+")
_NEXT_WORD_AFTER_RE = re.compile(r"\s+(\w+)")


def keeps_sentence(line: str, start: int, period: int) -> bool:
    """Tell whether pySBD keeps the period at ``period`` inside its sentence.

    Only the commonest cases of news text: a period between two word characters
    ("3.5", "example.org", the inner periods of "U.S."), a title before a name
    ("Mr. Smith"), an abbreviation before a lowercase word or a number ("Jan. 5"),
    a period before a comma ("Acme Ltd., the firm"), a time before a lowercase word,
    a dotted abbreviation not followed by a word that starts sentences ("U.S.
    troops", "e.g. taxes") and a middle initial ("Donald J. Trump").
    """
    after = line[period + 1] if period + 1 < len(line) else ""
    if period > start and _WORD_CHAR_RE.match(line[period - 1]) and _WORD_CHAR_RE.match(after):
        return True
    if after in ",;:":
        return True  # our rules join a piece that starts with one of these
    if not after.isspace():
        return False
    token = _TOKEN_BEFORE_RE.search(line, max(start, period - 12), period)
    if token is None:
        return False
    word = token.group(1)
    if word.lower() in PREPOSITIVE_ABBREVIATIONS:
        return True
    next_word = _NEXT_WORD_AFTER_RE.match(line, period + 1)
    if next_word is None:
        return False
    following = next_word.group(1)
    if word.lower() in ("a.m", "p.m"):
        # pySBD ends a sentence after a time before a capital; our rules judge that.
        return not following[0].isupper() or AFTER_CLOCK_RE.match(line, period + 1) is not None
    if _DOTTED_RE.fullmatch(word) or (len(word) == 1 and word.isupper()):
        return word != "I" and following not in SENTENCE_STARTERS
    if word.lower() in NUMBER_ABBREVIATIONS:
        return following[0].isdigit()
    if word.lower() in ABBREVIATIONS_BEFORE_LOWERCASE:
        return following[0].islower() or following[0].isdigit()
    return False
