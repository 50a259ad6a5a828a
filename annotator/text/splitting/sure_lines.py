"""The quick lane's own quick lane: a line whose every sentence end is of a few common
kinds is cut sentence by sentence by one regular expression, with no judgement in Python.

``plain_lines`` judges each run of sentence punctuation before whitespace one by one with
the fast path's rules.  On news most of those runs are of a handful of kinds, each
preceded by a space (or the start of the line), whose verdict those rules give whatever
else the line holds:

* cut before a capital letter: a word of two to sixty ASCII letters that is no
  abbreviation ("rose. The"), a year or a larger number ("in 2024. The"), a percentage
  ("4.5%. The"), a short e-mail address, a day after a month ("on Jan. 5. The", "on
  March 3. The");
* kept: a title with its period ("Mr. Smith"), an initial (not "I") or a dotted
  abbreviation (not a time of day) before a word that does not start sentences ("J.
  Trump", "U.S. troops"), "a.m." or "p.m." before a lowercase word, a digit or a day or
  time zone ("5 p.m. Friday"), an abbreviation that pySBD keeps before a number or a
  lowercase word ("No. 10", "Inc. reported"), two or three dots before a lowercase word.

``sure_line_ranges`` gives the sentences of a line only when every such run is of these
kinds (the runs inside an embedded quotation, which the fast path ignores, are hidden
first), else None.  ``plain_lines`` checks first that every other mark of the line is one
it knows, and afterwards that no cut falls inside brackets or an embedded quotation, that
no claim is too long and that list markers close their brackets; then the claims are the
ones its own loop would give.  Unit tests compare the claims with and without this lane.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from annotator.text.splitting.offsets import Spans
from annotator.text.splitting.pysbd_segments import (
    ABBREVIATIONS_BEFORE_LOWERCASE,
    ALL_ABBREVIATIONS,
    NUMBER_ABBREVIATIONS,
    PREPOSITIVE_ABBREVIATIONS,
    SENTENCE_STARTERS,
)
from annotator.text.splitting.slow_path import AFTER_CLOCK_RE
from annotator.text.vocabulary import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    QUOTATION_MARKS,
    SENTENCE_INNER_ABBREVIATIONS,
)


def _any_case(words: Iterable[str]) -> str:
    """An alternation that matches any of the lowercase ASCII ``words`` in any case,
    written as a tree of their letters so that the engine never tries them one by one."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branch(tree)


def _branch(node: dict) -> str:
    parts = [
        f"[{char.upper()}{char}]{_branch(child)}" if char else ""
        for char, child in sorted(node.items(), reverse=True)
    ]
    return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"


def _plain(words: Iterable[str], shortest: int = 1, longest: int = 60) -> list[str]:
    """The words of ``words`` made of ASCII letters only, within the lengths given."""
    return [
        word for word in words if re.fullmatch("[a-z]+", word) and shortest <= len(word) <= longest
    ]


_CLOSERS = '"”’»)\\]'
# A run of sentence punctuation that stands before whitespace, as plain_lines' _STOP_RE
# reads it (the run is taken whole, so the engine cannot read part of it).
_RUN = rf"[.!?]++[{_CLOSERS}]*+(?=\s)"
_CAPITAL_NEXT = r"(?=\s++[\"“«‘„]?[A-Z])"
_BEFORE = r"(?<![^ ])"  # a space or the start of the line before the token
# Words whose period the fast path may judge otherwise than a plain word's.
_ABBREVIATION = _any_case(
    _plain(PREPOSITIVE_ABBREVIATIONS | ALL_ABBREVIATIONS | SENTENCE_INNER_ABBREVIATIONS)
)
# A day after a month ("on Jan. 5", "on March 3"): the month and a space before the day.
_AFTER_MONTH = "|".join(
    f"(?<= {month} )|(?<=^{month} )"
    for month in [*(f"{name}\\." for name in MONTH_ABBREVIATIONS), "May\\.", *MONTHS]
)
# The runs that end a sentence before a capital letter: after a plain word, a year or a
# larger number, a percentage, an e-mail address (short enough for the fast path's
# eighty-character look back) or a day after a month.
_CUT = (
    rf"{_BEFORE}(?:(?=[A-Za-z]{{2,60}}+[.!?])(?!{_ABBREVIATION}[.!?])[A-Za-z]{{2,60}}+"
    rf"|[0-9]{{4,20}}+|[0-9]{{1,20}}+(?:\.[0-9]{{1,20}}+)?+%"
    rf"|[\w.+-]{{1,20}}+@[\w-]{{1,15}}+(?:\.[\w-]{{1,10}}+){{1,3}}+"
    rf"|(?:{_AFTER_MONTH})[0-9]{{1,2}}+)"
    rf"{_RUN}{_CAPITAL_NEXT}"
)
# Abbreviations whose period pySBD keeps before a number, or before a number or a
# lowercase word (titles are kept before anything).  A single letter is read as an
# initial first, so only words of two letters or more are taken here.
_BEFORE_NUMBER = NUMBER_ABBREVIATIONS - PREPOSITIVE_ABBREVIATIONS
_BEFORE_LOWERCASE = (
    ABBREVIATIONS_BEFORE_LOWERCASE - NUMBER_ABBREVIATIONS - PREPOSITIVE_ABBREVIATIONS
)
# The single periods kept inside a sentence, whatever follows or as said above.  (First a
# look at the token's shape and at what follows, which every kind above meets: a word no
# longer than a title, an initial or a dotted abbreviation, or a short word before a
# lowercase word or a digit.  Most sentence ends are then passed over without trying a
# single word of the long lists.)
_STARTER = "|".join(sorted(SENTENCE_STARTERS, key=len, reverse=True))
_LONGEST_TITLE = max(len(word) for word in _plain(PREPOSITIVE_ABBREVIATIONS))
_KEPT = (
    rf"{_BEFORE}(?=[A-Za-z]{{1,{_LONGEST_TITLE}}}+\.\s|[A-Za-z](?:\.[A-Za-z]){{1,5}}+\.\s"
    rf"|[A-Za-z]{{2,11}}+\.\s++[a-z0-9])"
    rf"(?:{_any_case(_plain(PREPOSITIVE_ABBREVIATIONS))}"
    rf"|(?:[A-HJ-Z]|(?![aApP]\.[mM]\.)[A-Za-z](?:\.[A-Za-z]){{1,5}}+)(?=\.\s++(?!(?:{_STARTER})(?!\w))\w)"
    rf"|[aApP]\.[mM](?=\.(?:\s++[a-z0-9]|{AFTER_CLOCK_RE.pattern}))"
    rf"|(?=[A-Za-z]{{2,11}}+\.\s++[0-9]){_any_case(_plain(_BEFORE_NUMBER, 2, 11))}(?=\.)"
    rf"|(?=[A-Za-z]{{2,11}}+\.\s++[a-z0-9]){_any_case(_plain(_BEFORE_LOWERCASE, 2, 11))}(?=\.))"
    rf"\.(?=\s)"
)
# A token that ends in no run of sentence punctuation before whitespace.
_TOKEN = rf"(?:[^\s.!?]++|[.!?]++[{_CLOSERS}]*+(?!\s))++(?![.!?])"
# A token that ends in two or three dots before a lowercase word ("27.0%... and").
_ELLIPSIS = rf"(?:[^\s.!?]++|[.!?]++[{_CLOSERS}]*+(?!\s))*+(?<![.!?])\.\.\.?+(?=\s++[a-z])"
# Text without sentence punctuation, up to the last whitespace before the next mark (or
# the end of the line): plain tokens, skipped in one step of the engine instead of one
# token at a time.  Atomic, so the engine never gives back part of it; the token after
# it, which holds the mark, is read by the patterns above.
_PLAIN_TOKENS = r"(?>(?:[^.!?]*\s)?)"
# One sentence from its first character: tokens and kept periods, then a cut (and the
# whitespace after it), or the end of the line (perhaps after a last run of punctuation
# and trailing whitespace: no boundary to judge there).  Failing that, the rest of the
# line as "unjudged": the pattern matches wherever the sentence before ended, so that
# ``finditer`` reads the line sentence after sentence and never searches ahead.  (The
# plain text before each token is skipped once, as part of the step before: were it
# part of the loop's own step, the text before the sentence's end would be read twice,
# once by the step that fails there and once more after the loop.)
_SENTENCE_RE = re.compile(
    rf"{_PLAIN_TOKENS}(?:(?:{_TOKEN}|{_KEPT}|{_ELLIPSIS})\s*+{_PLAIN_TOKENS})*+"
    rf"(?:{_CUT}(?P<space>\s++)"
    rf"|(?:[^\s.!?]++|[.!?]++[{_CLOSERS}]*+(?!\s))*+[.!?]++[{_CLOSERS}]*+\s*+\Z|\Z)"
    rf"|(?P<unjudged>.+)",
    re.DOTALL,
)


def sure_line_ranges(line: str, embedded: Spans) -> list[tuple[int, int]] | None:
    """Return the stripped sentence ranges of ``line`` when every run of sentence
    punctuation before whitespace is of a kind judged above, else None.

    Inside an ``embedded`` quotation the fast path never cuts before its last run of
    punctuation and ignores every other run, so those runs are hidden from the regular
    expressions first.
    """
    text = line if embedded.empty else _hide_embedded_runs(line, embedded)
    ranges = []
    start = len(text) - len(text.lstrip()) if text[:1].isspace() else 0
    for sentence in _SENTENCE_RE.finditer(text, start):
        end, after = sentence.span(_SPACE)
        if end < 0:
            if sentence.lastgroup == "unjudged":
                return None
            break
        ranges.append((start, end))
        start = after
    tail = len(text.rstrip()) if text[-1:].isspace() else len(text)
    if start < tail:
        ranges.append((start, tail))
    return ranges


# The number of the group "space" (a number is looked up faster than a name).
_SPACE = _SENTENCE_RE.groupindex["space"]


def _hide_embedded_runs(line: str, embedded: Spans) -> str:
    """``line`` with every ".", "!" and "?" inside an embedded quotation made a NUL,
    except the punctuation and quotation marks that end the quotation.

    Such a run's sentence end lies inside the quotation, where the fast path never
    cuts, and its mark lies inside too, so the fast path ignores it whatever it is.  A
    NUL joins the token it stands in, which is then no word and no abbreviation: a run
    after such a token is judged by no rule here, and the line goes the ordinary way.
    """
    pieces = []
    done = 0
    for opening, after in embedded.ranges():
        inner_end = after
        while inner_end > opening + 1 and line[inner_end - 1] in _RUN_CHARS:
            inner_end -= 1
        pieces += [line[done : opening + 1], line[opening + 1 : inner_end].translate(_HIDE)]
        done = inner_end
    pieces.append(line[done:])
    return "".join(pieces)


_HIDE = str.maketrans(".!?", "\0\0\0")
# Sentence punctuation, closing brackets and every quotation mark: what may end a
# quotation after its last word.
_RUN_CHARS = f".!?{_CLOSERS}{QUOTATION_MARKS}"
