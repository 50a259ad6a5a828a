"""Split an article body into claims: one sentence per claim.

How a body is cut, in order:

* Every line break is a hard boundary, so a claim never spans two lines and
  never crosses a paragraph break.  A headline or a list item without final
  punctuation is a claim of its own.
* A bullet or dash that starts a line ("- ", "• ", "* ", "– ") is a list
  marker, not claim text: the claim starts after it.  When the same bullet
  also marks further items inside the line (a run-in list such as
  "• 9. The first item • 10. The second item") every item keeps its bullet,
  so they read alike.  Numbers ("1.", "2)") and "Q:"/"A:" stay with the text.
* Within a line, a boundary that is certain (a whole word that is not a
  title, then ".", "!" or "?", then whitespace and a capital letter, outside
  brackets and embedded quotations) is cut directly, and a stretch whose
  other periods pySBD's own rules would keep ("3.5", "U.S. troops", "Mr.
  Smith", "Jan. 5") is a sentence as it stands.  Only the stretches that
  still hold an ambiguous mark (an abbreviation or initial before a capital,
  a list marker, an ellipsis, "?" or "!" mid-stretch) go through pySBD
  (English rules, ``clean=False``).  That gives what pySBD and the rules below
  give, and is 7 to 15 times faster on news than feeding pySBD every line.
* A quotation of several sentences gives one claim per sentence; the
  attribution stays with the last one ("«Prices rose. Wages fell», – the
  minister said." gives "«Prices rose." and "Wages fell», – the minister
  said.").  A quotation embedded in the grammar of its sentence stays whole:
  one that opens with a lowercase word (he called it “a mess. a real mess”),
  or one that directly follows a word and is directly followed by a
  lowercase word (He said “The plan is dead. We move on” and left.).  Its
  sentences are not claims on their own: the speaker, the verb and what
  follows belong to the same statement a fact-checker verifies.
* A piece that cannot start a sentence is joined to the one before: one
  that starts with a comma, a closing bracket or quotation mark, or a
  lowercase word after an abbreviation ("approx. two thirds"), one not
  separated by whitespace ("example.com/a?b=c"), a day, month or time zone
  after "a.m."/"p.m." ("5 p.m. Friday"), and the piece after a bare time of
  day ("At 5 a.m."), a title ("“Mr.") or a list marker alone ("• 10.").
* Claims are at most ``MAX_CLAIM_CHARS`` (6,000) characters.  Longer runs
  without a sentence end (a table flattened into one line, a pasted log) are
  cut at whitespace; a real sentence is never that long.

Offsets are computed here, never taken from pySBD, and the cost stays linear
in the body length.  This module is pure Python and knows nothing about Flask
or the database.
"""

from __future__ import annotations

import bisect
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
    from pysbd.lang.english import English as _PysbdEnglish

__all__ = ["MAX_CLAIM_CHARS", "ClaimSpan", "split_claims"]


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

# The longest claim.  A sentence of 5,000 characters is already far beyond
# anything a newsroom writes; longer runs are cut at whitespace so that one
# pasted table cannot become a single unreadable claim.
MAX_CLAIM_CHARS = 6000

# pySBD's abbreviation pass rescans the whole text for every abbreviation it
# meets, so its cost grows quadratically with the length of a single call
# (a 200 KB paragraph takes ~25 s).  It is fed windows of this size, grown up
# to twice MAX_CLAIM_CHARS only when a single sentence does not fit.
_WINDOW_CHARS = 3000
_MAX_WINDOW_CHARS = 2 * MAX_CLAIM_CHARS
# A window is only grown for prose: text denser in punctuation than this (a run
# of dots, "a. a. a.") is no long sentence, and pySBD is slowest on exactly that.
_MIN_CHARS_PER_MARK = 50

# How far past the expected position we look for a pySBD sentence.  pySBD
# normally only drops whitespace between sentences; a bounded search keeps a
# sentence that cannot be found (pySBD altered it) from costing a full scan.
_SEARCH_SLACK = 64


def split_claims(body: str) -> list[ClaimSpan]:
    """Split ``body`` into claims, one sentence each, in order of appearance.

    Every span satisfies ``span.text == body[span.start:span.end]``; its text
    is non-empty, has no surrounding whitespace and no line break; spans do
    not overlap; together they cover every non-whitespace character of
    ``body`` except bullets that start a line.  Never raises for any ``str``;
    blank input gives ``[]``.
    """
    claims: list[ClaimSpan] = []
    for line in _LINE_RE.finditer(body):
        text = line.group()
        if text.isspace():
            continue
        for start, end in _line_ranges(text):
            start, end = _strip(body, line.start() + start, line.start() + end)
            if start < end:
                claims.append(ClaimSpan(start, end, body[start:end]))
    return claims


def _line_ranges(line: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) ranges of the sentences of one line, possibly unstripped."""
    bullet = _BULLET_RE.match(line)
    if bullet is None:
        yield from _item_ranges(line, 0)
        return
    mark = bullet.group(1)
    starts = [0]
    if mark in _RUN_IN_BULLETS:
        starts += [m.start() + 1 for m in re.finditer(rf"\s{re.escape(mark)}\s", line)]
    if len(starts) == 1:
        yield from _item_ranges(line, bullet.end())
        return
    # A run-in list: each item, bullet included, is cut on its own.
    for start, end in zip(starts, [*starts[1:], len(line)], strict=True):
        for low, high in _item_ranges(line[start:end], 0):
            yield start + low, start + high


def _item_ranges(line: str, begin: int) -> Iterator[tuple[int, int]]:
    """Yield the sentence ranges of ``line[begin:]``, a line or a run-in list item."""
    quotations = _quotations(line, begin)
    embedded_spans = [span for span in quotations if _is_embedded(line, *span)]
    embedded = _Spans(embedded_spans)
    blocked = _Spans([*embedded_spans, *_brackets(line, begin)])
    for start, end in _chunks(line, begin, blocked, _Spans(quotations)):
        if _is_plain(line, start, end, embedded):
            yield from _capped(line, start, end)
        else:
            for low, high in _sentence_ranges(line, start, end, embedded):
                yield from _capped(line, low, high)


# A bullet or dash that starts a line, then whitespace; the claim starts after it.
_BULLET_RE = re.compile(r"\s*([-‐‑‒–—―•*·▪◦‣⁃●○■□►▸▶➢✓✔])\s+(?=\S)")
_RUN_IN_BULLETS = "•*·▪◦‣⁃●○■□►▸▶➢✓✔"


# --- quotations and brackets --------------------------------------------------------

_QUOTE_MARK_RE = re.compile(r"[\"«»“”„‹›‘’]")
_CLOSERS_FOR = {"«": "»", "“": "”", "„": "“”", "‹": "›", "‘": "’", '"': '"'}


def _quotations(line: str, begin: int) -> list[tuple[int, int]]:
    """Return the outermost quotations of ``line`` as (opening, after closing) ranges.

    A quotation never closed on its line runs to the end of the line.  A right
    single quote followed by a letter is an apostrophe ("don’t"), not a closing mark.
    """
    spans: list[tuple[int, int]] = []
    opened = -1
    closers = ""
    for mark in _QUOTE_MARK_RE.finditer(line, begin):
        char, pos = mark.group(), mark.start()
        if opened < 0:
            if char in _CLOSERS_FOR:
                opened, closers = pos, _CLOSERS_FOR[char]
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


def _is_embedded(line: str, opening: int, after: int) -> bool:
    """Tell whether the quotation ``line[opening:after]`` is part of its sentence's grammar."""
    if after >= len(line) and line[-1] not in "\"»”“›’":
        return False  # never closed: nothing to tell it from a quoted paragraph
    first = _FIRST_LETTER_RE.match(line, opening + 1, after)
    if first is not None and first.group(1).islower():
        return True
    follows_word = _BEFORE_OPENING_RE.search(line, max(0, opening - 8), opening) is not None
    continuation = _AFTER_CLOSING_RE.match(line, after)
    return follows_word and continuation is not None and continuation.group()[-1].islower()


_BRACKET_RE = re.compile(r"[()\[\]{}]")


def _brackets(line: str, begin: int) -> list[tuple[int, int]]:
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


class _Spans:
    """A set of ranges that answers "is this position strictly inside one?" in log time."""

    def __init__(self, spans) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def inside(self, pos: int) -> bool:
        """Tell whether ``pos`` lies after the start and before the end of a range."""
        index = bisect.bisect_left(self._starts, pos) - 1
        return index >= 0 and pos < self._ends[index]


# --- the fast path: certain boundaries and plain stretches ----------------------------

# Every abbreviation pySBD knows.  After a title (a "prepositive" abbreviation) pySBD
# never ends a sentence; after the others it ends one before a capital, except "I".
_PYSBD = _PysbdEnglish.Abbreviation
_ALL_ABBREVIATIONS = frozenset(
    word.lower()
    for words in (_PYSBD.ABBREVIATIONS, _PYSBD.PREPOSITIVE_ABBREVIATIONS,
                  _PYSBD.NUMBER_ABBREVIATIONS)
    for word in words
)  # fmt: skip
_PREPOSITIVE = frozenset(_PYSBD.PREPOSITIVE_ABBREVIATIONS)

# Sentence punctuation, closing marks, then whitespace and a capital letter: a boundary
# when the word before it is a whole word (letters with inner apostrophes or hyphens,
# a year, a large number, a percentage, an ordinal, a day after a month, an e-mail or
# web address) and no title ("Mr.", "Gen.", "St."), so "Acme Inc. The shares fell" is
# two sentences, as pySBD has it.  A single letter (an initial), a short number (a
# list marker) and anything with an inner period are left to pySBD.
# The look-behind and possessive quantifiers make each run of punctuation match at
# most once, so a long run of dots cannot make the scan quadratic.
_END_RE = re.compile(r"(?<![.!?])[.!?]++[\"”’»)\]]*+(?=\s+[\"“«‘„]?[A-Z])")
_WHOLE_WORD_RE = re.compile(
    r"[(\[\"“«‘„]*"
    r"([A-Za-z][A-Za-z'’-]*[A-Za-z]|\d{1,3}(?:,\d{3})+|\d{4,}|\d+(?:\.\d+)?%"
    r"|\d+(?:st|nd|rd|th)|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+)"
)
_LONGEST_WORD = 80
# A day after a month ("on March 3.", "on Sept. 30.") is no list marker.
_DAY_RE = re.compile(r"\d{1,2}")
_MONTH_BEFORE_RE = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|January|February|March"
    r"|April|May|June|July|August|September|October|November|December"
)
_I_NEXT_RE = re.compile(r"\s+I(?:\s|'|’)")
# Marks that may end a sentence or start a list item; each is judged in _is_plain.
_MARK_RE = re.compile(r"[.!?…•⁃)]")
_TRAILING_CLOSERS = "\"”’»)]"


def _chunks(
    line: str, begin: int, blocked: _Spans, quoted: _Spans
) -> Iterator[tuple[int, int]]:
    """Cut ``line[begin:]`` at the boundaries that are certain.

    Never inside brackets or an embedded quotation.  Inside another quotation a
    boundary is certain when our quotation rule (below) would cut there too.
    """
    start = begin
    for end in _END_RE.finditer(line, begin):
        if blocked.inside(end.end()):
            continue
        word = _word_before(line, start, end.start())
        if word is None:
            continue
        lowered = word.group(word.lastindex or 0).lower()
        if (
            lowered in _PREPOSITIVE
            or (lowered in _ALL_ABBREVIATIONS and _I_NEXT_RE.match(line, end.end()))
            or (lowered in _ABBREVIATIONS and quoted.inside(end.end()))
        ):
            continue
        yield start, end.end()
        start = end.end()
    yield start, len(line)


def _word_before(line: str, start: int, pos: int) -> re.Match[str] | None:
    """Match _WHOLE_WORD_RE on the whitespace-free token that ends at ``pos``."""
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
        if _MONTH_BEFORE_RE.fullmatch(line, month_start, space):
            return _DAY_RE.fullmatch(line, token_start, pos)
    return _WHOLE_WORD_RE.fullmatch(line, token_start, pos)


def _is_plain(line: str, start: int, end: int, embedded: _Spans) -> bool:
    """Tell whether ``line[start:end]`` is one sentence whatever pySBD would say.

    True when nothing but its final punctuation could end a sentence: every other
    mark is inside an embedded quotation (which our rules keep whole) or is a period
    that pySBD's own rules always keep inside a sentence.
    """
    start, end = _strip(line, start, end)
    while end > start and line[end - 1] in _TRAILING_CLOSERS:
        end -= 1
    while end > start and line[end - 1] in ".!?":
        end -= 1
    for mark in _MARK_RE.finditer(line, start, end):
        char, pos = mark.group(), mark.start()
        if embedded.inside(pos):
            continue
        if char == ")":
            closes = line.rfind("(", start, pos) > line.rfind(")", start, pos)
            if line[pos - 1].isdigit() and not closes:
                return False  # "2)" starts a list item unless it closes a bracket
        elif char != "." or not _keeps_sentence(line, start, pos):
            return False
    return True


_WORD_CHAR_RE = re.compile(r"\w", re.ASCII)
_TOKEN_BEFORE_RE = re.compile(r"(?:(?<=\s)|^)(\S{1,12})$")
_DOTTED_RE = re.compile(r"[A-Za-z](?:\.[A-Za-z])+")
_NEXT_WORD_AFTER_RE = re.compile(r"\s+(\w+)")
_ABBREVIATIONS_BEFORE_LOWERCASE = frozenset(_PYSBD.ABBREVIATIONS)
_NUMBER_ABBREVIATIONS = frozenset(_PYSBD.NUMBER_ABBREVIATIONS)
_SENTENCE_STARTERS = frozenset(_PysbdEnglish.AbbreviationReplacer.SENTENCE_STARTERS)


def _keeps_sentence(line: str, start: int, period: int) -> bool:
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
    if word.lower() in _PREPOSITIVE:
        return True
    next_word = _NEXT_WORD_AFTER_RE.match(line, period + 1)
    if next_word is None:
        return False
    following = next_word.group(1)
    if word.lower() in ("a.m", "p.m"):
        # pySBD ends a sentence after a time before a capital; our rules judge that.
        return not following[0].isupper() or _AFTER_CLOCK_RE.match(line, period + 1) is not None
    if _DOTTED_RE.fullmatch(word) or (len(word) == 1 and word.isupper()):
        return word != "I" and following not in _SENTENCE_STARTERS
    if word.lower() in _NUMBER_ABBREVIATIONS:
        return following[0].isdigit()
    if word.lower() in _ABBREVIATIONS_BEFORE_LOWERCASE:
        return following[0].islower() or following[0].isdigit()
    return False


def _capped(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)``, cut at whitespace into pieces of at most MAX_CLAIM_CHARS."""
    start, end = _strip(line, start, end)
    while end - start > MAX_CLAIM_CHARS:
        cut = _forced_cut(line, start + MAX_CLAIM_CHARS // 2, start + MAX_CLAIM_CHARS)
        yield start, cut
        start = cut
    yield start, end


# --- the slow path: pySBD and our rules on top --------------------------------------------


def _sentence_ranges(
    line: str, start: int, end: int, embedded: _Spans
) -> Iterator[tuple[int, int]]:
    """Yield the sentence ranges of ``line[start:end]`` found by pySBD and our rules."""
    pending: tuple[int, int] | None = None
    for low, high in _pysbd_ranges(line, start, end):
        for piece in _split_quotation(line, low, high, embedded):
            if pending is not None and _continues(line, pending, piece, embedded):
                pending = (pending[0], piece[1])
                continue
            if pending is not None:
                yield pending
            pending = piece
    if pending is not None:
        yield pending


# A piece that starts like this cannot begin a sentence: the cut before it was wrong
# ("No. 10 Downing St., spoke at 3 p.m." must not yield ", spoke at 3 p.m.", and a
# closing quotation mark belongs to the sentence it closes).
_PUNCTUATION_START_RE = re.compile(r"\s*[,;:)\]}%”»›]")
# After an abbreviation these go on with the same sentence: a lowercase word
# ("approx. two thirds") but not a list marker ("b. The second item"), or an amount
# ("approx. $3 trillion"). After a real sentence end they may start a new one
# ("Sales fell. iPhone sales rose.").
_AFTER_ABBREVIATION_RE = re.compile(r"\s*(?:[a-z](?![.)])|[$€£¥\d])")
# A short word that closes a bracket ("5)" after an open "(").
_CLOSING_WORD_RE = re.compile(r"\s*[^\s()]{1,4}\)")
# A list marker alone ("9.", "• 10.", "b)") is no sentence: it belongs to its item.
_MARKER_ONLY_RE = re.compile(
    r"(?:[•⁃*·▪◦‣●○■□►▸▶➢✓✔]\s*(?:\d{1,3}|[A-Za-z])|\d{1,3})(?:\.\)?|\))"
)
# "a.m." and "p.m." end a sentence unless a day, a month or a time zone follows.
_CLOCK_END_RE = re.compile(r"[ap]\.m\.$", re.IGNORECASE)
_AFTER_CLOCK_RE = re.compile(
    r"\s*(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?|Jan(?:uary)?"
    r"|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|[ECMP][SD]?T|GMT|UTC|BST|CES?T|EES?T|MSK"
    r"|(?:Eastern|Central|Mountain|Pacific|Atlantic|Greenwich)\s+(?:[Tt]ime|Standard|Daylight))\b"
)
# A time of day alone is no sentence: "At 5 a.m." belongs to what follows.
_CLOCK_ONLY_RE = re.compile(
    r"(?:(?:at|by|from|until|till|before|after|around|about|since|shortly after)\s+)?"
    r"\d{1,2}(?:[:.]\d{2})?\s*[ap]\.m\.",
    re.IGNORECASE,
)


def _continues(
    line: str, previous: tuple[int, int], piece: tuple[int, int], embedded: _Spans
) -> bool:
    """Tell whether ``piece`` is the rest of the sentence in ``previous``.

    Never when the two together would be longer than a claim may be: those cuts
    in overlong stretches are deliberate.
    """
    if piece[1] - previous[0] > MAX_CLAIM_CHARS:
        return False
    if _PUNCTUATION_START_RE.match(line, piece[0], piece[1]):
        return True
    if piece[0] == previous[1] and piece[0] < len(line) and line[piece[0]].isalnum():
        return True  # no whitespace: a URL, an e-mail address, "Yahoo!Inc"
    if embedded.inside(piece[0]):
        return True
    head, tail = _strip(line, *previous)
    if _ends_with_title(line, head, tail):
        return True
    if _CLOSING_WORD_RE.match(line, piece[0], piece[1]) and line.count(
        "(", head, tail
    ) > line.count(")", head, tail):
        return True  # "(published on April | 5) covers": "5)" closes, it is no list marker
    if _MARKER_ONLY_RE.fullmatch(line, head, tail):
        return not _MARKER_ONLY_RE.fullmatch(line, *_strip(line, *piece))
    if _CLOCK_END_RE.search(line, head, tail):
        if _CLOCK_ONLY_RE.fullmatch(line, head, tail):
            return True
        if _AFTER_CLOCK_RE.match(line, piece[0], piece[1]):
            return True
    return (
        tail > head
        and line[tail - 1] == "."
        and _AFTER_ABBREVIATION_RE.match(line, piece[0], piece[1]) is not None
        and _ends_abbreviation(line, head, tail - 1)
    )


# Titles always stand before a name.  pySBD knows them too, but not after an opening
# quotation mark ("“Mr. Smith agreed.").
_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "prof", "rev", "hon", "pres", "gov",
        "sen", "sens", "rep", "reps", "gen", "col", "lt", "maj", "capt", "cmdr", "adm", "sgt",
        "cpl", "pvt", "det", "insp", "supt",
    }
)  # fmt: skip
_TITLE_END_RE = re.compile(r"(?:^|(?<=[\s«“\"'‘(\[{]))([A-Za-z]{2,6})\.$")


def _ends_with_title(line: str, head: int, tail: int) -> bool:
    """Tell whether ``line[head:tail]`` ends with a title such as "Mr." or "Gen."."""
    title = _TITLE_END_RE.search(line, max(head, tail - 8), tail)
    return title is not None and title.group(1).lower() in _TITLES


def _pysbd_ranges(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield pySBD's sentence ranges of ``line[start:end]``, working in bounded windows.

    In each window every sentence but the last is final: the last one may be
    cut short by the window's edge, so the next window starts where it
    starts.  If that would advance less than half a window (one very long
    sentence), the window is doubled up to ``_MAX_WINDOW_CHARS``; beyond that
    we cut at whitespace, which keeps the total cost linear at the price of an
    arbitrary break inside a run far too long to be a useful claim anyway.
    """
    pos = start
    window = _WINDOW_CHARS
    while pos < end:
        if end - pos <= window:
            yield from _locate(line, pos, end)
            return
        limit = pos + window
        ranges = _locate(line, pos, limit)
        last_start = ranges[-1][0] if ranges else pos
        if (
            last_start - pos < window // 2
            and window < _MAX_WINDOW_CHARS
            and len(_MARK_RE.findall(line, pos, limit)) <= window // _MIN_CHARS_PER_MARK
        ):
            window *= 2
            continue
        yield from ranges[:-1]
        if last_start - pos >= window // 2:
            pos = last_start
        else:
            cut = _forced_cut(line, max(last_start, pos + window // 2), limit)
            yield last_start, cut
            pos = cut
        window = _WINDOW_CHARS


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
# --- quotations inside a pySBD segment ----------------------------------------
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


def _split_quotation(
    line: str, start: int, end: int, embedded: _Spans
) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` split after each sentence ending inside a quotation.

    Not inside an ``embedded`` quotation: that one is part of its sentence.
    """
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
        elif (
            (depth or straight_open)
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
