"""The slow path: pySBD's sentences, cut again inside quotations and joined again where
pySBD cut too early.

pySBD cuts after an abbreviation before a lowercase word, after "a.m." before a day, after
a list marker alone, before a closing bracket or quotation mark.  Each of those pieces
cannot start a sentence, so ``sentence_ranges`` joins it to the sentence before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from annotator.text.splitting.offsets import MAX_CLAIM_CHARS, Spans, is_blank, strip
from annotator.text.splitting.pysbd_segments import pysbd_ranges
from annotator.text.splitting.quotations import LineSpans, ends_abbreviation, split_quotation
from annotator.text.vocabulary import SENTENCE_ENDING_WORDS, SENTENCE_OPENING_WORDS, TITLES


def sentence_ranges(
    line: str, start: int, end: int, spans: LineSpans
) -> Iterator[tuple[int, int]]:
    """Yield the sentence ranges of ``line[start:end]`` found by pySBD and our rules."""
    embedded = spans.embedded
    pending: tuple[int, int] | None = None
    for low, high in _extra_cuts(line, pysbd_ranges(line, start, end), embedded):
        for piece in split_quotation(line, low, high, embedded):
            if pending is not None:
                pending, piece = _detach_head(line, pending, piece, spans.quoted)
                if is_blank(line, *piece):
                    continue
            if pending is not None and _continues(line, pending, piece, spans):
                pending = (pending[0], piece[1])
                continue
            if pending is not None:
                yield pending
            pending = piece
    if pending is not None:
        yield pending


# A dotted abbreviation, then a pronoun or a determiner: pySBD keeps "D.C. The" together.
# Not at the start of a sentence: "U.S. They" there is no sentence of its own.
_INITIALISM_THEN_OPENER_RE = re.compile(
    rf"(?<=[\w,;:)”\"’'»][ \t\xa0])(?:[A-Z]\.){{2,}}"
    rf"(?=[ \t\xa0]+(?:{'|'.join(SENTENCE_OPENING_WORDS)})\b)"
)
# Words that never end a sentence: articles, conjunctions and prepositions that need what
# follows ("Talks with [...] Germany failed.", "either 1) Cut the budget").
NEVER_LAST_WORDS = (
    "a", "an", "the", "and", "or", "nor", "but", "either", "neither", "of", "with", "from",
    "between", "than", "whether", "because", "via", "into", "onto", "upon", "among",
)  # fmt: skip
# One negative look-behind per word (each of a fixed width), from just after the opening
# bracket: the pattern starts with the bracket, which lets the engine skip ahead to it.
_NOT_AFTER_NEVER_LAST_WORD = "".join(
    rf"(?<!(?<![\w.]){word}[ \t\xa0][\[(])" for word in NEVER_LAST_WORDS
)
# A bracketed ellipsis (an omission) before a capital, as "..." before one: pySBD keeps
# "rise [...] Ozone" together.  Not after a word that needs what follows ("Talks with
# [...] Germany failed."): the omission is then inside the sentence.
_BRACKETED_ELLIPSIS_THEN_CAPITAL_RE = re.compile(
    rf"[\[(](?i:{_NOT_AFTER_NEVER_LAST_WORD})(?:\.\.\.|…)[\])](?=[ \t\xa0]+[A-Z])"
)
# A plain word that pySBD lists as an abbreviation, before "I" ("placed in me. I intend").
_ENDING_WORD_THEN_I_RE = re.compile(
    rf"(?<![\w.])(?i:{'|'.join(sorted(SENTENCE_ENDING_WORDS))})\.(?=[ \t\xa0]+I[\s'’])"
)
# A quotation that ends with a quoted word ("and 'the public'.") before a capital.
_NESTED_QUOTATION_END_RE = re.compile(r"[.!?]['’][\"”»](?=[ \t\xa0]+[\"“«‘]?[A-Z])")


def _extra_cuts(
    line: str, ranges: Iterator[tuple[int, int]], embedded: Spans
) -> Iterator[tuple[int, int]]:
    """Cut each range again where pySBD misses a sentence end: after a dotted
    abbreviation followed by a word that opens a sentence ("Washington D.C. | The
    visas"), after a bracketed ellipsis before a capital ("rise [...] | Ozone"), after a
    quotation that ends with a quoted word ("'the public'.\" | The name"), after a plain
    word that pySBD takes for an abbreviation before "I" ("in me. | I intend")."""
    for low, high in ranges:
        cuts = sorted(
            match.end()
            for pattern in _EXTRA_CUT_PATTERNS
            for match in pattern.finditer(line, low, high)
            if not embedded.inside(match.end())
        )
        for cut in cuts:
            if cut > low:
                yield low, cut
                low = cut
        yield low, high


_EXTRA_CUT_PATTERNS = (
    _INITIALISM_THEN_OPENER_RE,
    _BRACKETED_ELLIPSIS_THEN_CAPITAL_RE,
    _NESTED_QUOTATION_END_RE,
    _ENDING_WORD_THEN_I_RE,
)


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
_MARKER_ONLY_RE = re.compile(r"(?:[•⁃*·▪◦‣●○■□►▸▶➢✓✔]\s*(?:\d{1,3}|[A-Za-z])|\d{1,3})(?:\.\)?|\))")
# "a.m." and "p.m." end a sentence unless a day, a month or a time zone follows.  The
# names are short alternations here, not built from the vocabulary tables: the pattern
# also takes day abbreviations ("Tues", "Thurs") and a few looser spellings that a list of
# whole names would drop, so rebuilding it would change where claims end.
_CLOCK_END_RE = re.compile(r"[ap]\.m\.$", re.IGNORECASE)
AFTER_CLOCK_RE = re.compile(
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


# After a sentence end, a mark that closes it and stands apart from the next word: a
# closing quotation mark ("…with your work.' | She smiled."), an emoticon ("right? :)")
# or emoji ("Really? 😀", "We won! 🎉🎉"): pictographs, symbols and dingbats, with their
# skin tones, variation selectors and joiners.
_SENTENCE_END_RE = re.compile(r"(?:[.!?…][\"”’'»)\]]*)$")
EMOJI = "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF][\U0001F3FB-\U0001F3FF\uFE0F\u200D]*"
_DETACHED_HEAD_RE = re.compile(
    rf"\s*(?:(?P<mark>[\"'”’»›])|[:;]-?[()DPp]|(?:{EMOJI})+)(?=\s+[\"“‘«]?[A-Z0-9])"
)


def _detach_head(
    line: str, previous: tuple[int, int], piece: tuple[int, int], quoted: Spans
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Move a closing mark, an emoticon or emoji that starts ``piece`` to the end of
    ``previous`` when the sentence there has ended and a new one follows the mark.

    Not a straight double quote that opens a quotation (``quoted`` starts there): typed
    with a space after it ('He left. " We won," she said.'), it belongs to what follows.
    """
    head = _DETACHED_HEAD_RE.match(line, piece[0], piece[1])
    if head is None or not _SENTENCE_END_RE.search(line, *strip(line, *previous)):
        return previous, piece
    if _opens_quotation(line, head.start("mark"), quoted):
        return previous, piece
    return (previous[0], head.end()), (head.end(), piece[1])


def _opens_quotation(line: str, pos: int, quoted: Spans) -> bool:
    """Tell whether the mark at ``pos`` is a straight double quote that opens a quotation
    (a curly or angle mark says by its shape whether it opens or closes)."""
    return pos >= 0 and line[pos] == '"' and quoted.starts_at(pos)


def _continues(
    line: str, previous: tuple[int, int], piece: tuple[int, int], spans: LineSpans
) -> bool:
    """Tell whether ``piece`` is the rest of the sentence in ``previous``.

    Never when the two together would be longer than a claim may be: those cuts
    in overlong stretches are deliberate.
    """
    if piece[1] - previous[0] > MAX_CLAIM_CHARS:
        return False
    if _PUNCTUATION_START_RE.match(line, piece[0], piece[1]):
        return True
    if _is_fragment(line, previous, piece, spans.quoted):
        return True
    if piece[0] == previous[1] and piece[0] < len(line) and line[piece[0]].isalnum():
        return True  # no whitespace: a URL, an e-mail address, "Yahoo!Inc"
    if spans.embedded.inside(piece[0]):
        return True
    head, tail = strip(line, *previous)
    if _ends_with_title(line, head, tail):
        return True
    if _CLOSING_WORD_RE.match(line, piece[0], piece[1]) and line.count(
        "(", head, tail
    ) > line.count(")", head, tail):
        return True  # "(published on April | 5) covers": "5)" closes, it is no list marker
    if _MARKER_ONLY_RE.fullmatch(line, head, tail):
        return not _MARKER_ONLY_RE.fullmatch(line, *strip(line, *piece))
    if _CLOCK_END_RE.search(line, head, tail) and _continues_clock(line, head, tail, piece):
        return True
    if _SHORT_WORD_END_RE.search(line, max(head, tail - 6), tail) and _LOWERCASE_WORD_RE.match(
        line, piece[0], piece[1]
    ):
        return True  # "$1.2 bn. in 2024": no sentence starts with a lowercase word
    return (
        tail > head
        and line[tail - 1] == "."
        and _AFTER_ABBREVIATION_RE.match(line, piece[0], piece[1]) is not None
        and ends_abbreviation(line, head, tail - 1)
    )


def _continues_clock(line: str, head: int, tail: int, piece: tuple[int, int]) -> bool:
    """Tell whether ``piece`` goes on with ``line[head:tail]``, which ends with "a.m." or
    "p.m.": after a time of day alone, or before a day, a month or a time zone."""
    return bool(_CLOCK_ONLY_RE.fullmatch(line, head, tail) or AFTER_CLOCK_RE.match(line, *piece))


# A short lowercase word and a period ("bn.", "approx.") before a piece that starts with
# an all-lowercase word ("in 2024"; "iPhone sales rose" may still start a sentence).
_SHORT_WORD_END_RE = re.compile(r"(?<![\w.])[a-z]{1,4}\.$")
_LOWERCASE_WORD_RE = re.compile(r"\s*[a-z]+(?![\w.])")


# pySBD knows the titles too, but not after an opening quotation mark ("“Mr. Smith agreed.").
_TITLE_END_RE = re.compile(r"(?:^|(?<=[\s«“\"'‘(\[{]))([A-Za-z]{2,6})\.$")


def _ends_with_title(line: str, head: int, tail: int) -> bool:
    """Tell whether ``line[head:tail]`` ends with a title such as "Mr." or "Gen."."""
    title = _TITLE_END_RE.search(line, max(head, tail - 8), tail)
    return title is not None and title.group(1).lower() in TITLES


# Pieces that are no sentence of their own (issue 14): a run of dots alone ("which also
# .. a bit"), a lowercase word after two or more dots, an inline enumeration item that
# starts with a lowercase word ("You either 1) cut the budget, or 2) raise the tax.")
# unless a sentence ended before it, and, after a quotation, the dash of its attribution
# ("— the minister") or a bracketed source ("(2012).").
_DOTS_ONLY_RE = re.compile(r"\s*[.…]+\s*")
_MARKS_ONLY_RE = re.compile(r"\s*[\"'”’»›]+\s*")
_CLOSING_MARK_START_RE = re.compile(r"\s*([\"'’])\s")
_LONE_INITIALISM_RE = re.compile(r"(?:[A-Z]\.){2,}")
_AFTER_DOTS_RE = re.compile(r"(?:\.\.|…)$")
_LOWERCASE_START_RE = re.compile(r"\s*[a-z]")
# Emoji before a lowercase word, as an emoticon there, go on with the sentence before.
_EMOJI_THEN_LOWERCASE_RE = re.compile(rf"\s*(?:{EMOJI})+\s+[a-z]")
_INLINE_ITEM_RE = re.compile(r"\s*\(?(?:\d{1,2}|[a-z])\)\s+(?:(?P<lowercase>[a-z])|[A-Z])")
# What comes before an inline item that starts with a capital, inside a sentence: a
# comma, a colon or a semicolon, or a word that never ends a sentence ("either", "or").
_ITEM_INSIDE_SENTENCE_RE = re.compile(
    rf"(?:[,:;]|(?<![\w.])(?i:{'|'.join(NEVER_LAST_WORDS)}))$"
)
_AFTER_QUOTATION_RE = re.compile(r"[\"”’'»›]$")
_ATTRIBUTION_RE = re.compile(r"\s*(?:[—–]|--?)\s")
_SOURCE_ONLY_RE = re.compile(r"\s*\([^().!?]{1,60}\)[.,;]?\s*")


def _is_fragment(
    line: str, previous: tuple[int, int], piece: tuple[int, int], quoted: Spans
) -> bool:
    """Tell whether ``piece`` is a fragment that belongs to the sentence ``previous``."""
    if _DOTS_ONLY_RE.fullmatch(line, *piece) or _MARKS_ONLY_RE.fullmatch(line, *piece):
        return True
    head, tail = strip(line, *previous)
    if _LONE_INITIALISM_RE.fullmatch(line, head, tail):
        return True  # "U.S." alone does not end a sentence: it starts one
    closing = _CLOSING_MARK_START_RE.match(line, *piece)
    if (
        closing is not None
        and _SENTENCE_END_RE.search(line, head, tail)
        and not _opens_quotation(line, closing.start(1), quoted)
    ):
        return True  # '" — the minister', '" (2012).': the quotation closes here
    if _AFTER_DOTS_RE.search(line, head, tail) and _LOWERCASE_START_RE.match(line, *piece):
        return True
    if _EMOJI_THEN_LOWERCASE_RE.match(line, *piece):
        return True  # "Really? 😀 it was fine."
    item = _INLINE_ITEM_RE.match(line, *piece)
    if item is not None and item.group("lowercase"):
        return not _SENTENCE_END_RE.search(line, head, tail)
    if item is not None:
        return _ITEM_INSIDE_SENTENCE_RE.search(line, max(head, tail - 10), tail) is not None
    if _AFTER_QUOTATION_RE.search(line, head, tail):
        return bool(_ATTRIBUTION_RE.match(line, *piece) or _SOURCE_ONLY_RE.fullmatch(line, *piece))
    return False
