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
* Judgement calls on news (issue 14).  A dotted abbreviation ("D.C.", "U.K.") ends
  its sentence when a pronoun or a determiner follows ("in Washington D.C. The visas"),
  not before any other capitalised word ("U.S. Officials" stays whole: it may be a
  name), and never when it starts the sentence ("U.S. Officials said on Monday…",
  "U.S. They said…" are one claim each).  A short lowercase word with a period goes on
  before an all-lowercase word ("$1.2 bn. in 2024").  Words that pySBD lists as
  abbreviations but that are plain English ("me", "in", "am", "is", "no") end a
  sentence before "I".  A quotation resumed after its attribution ('"We wanted to
  show," the captain said, "that we can win. We did it."') is cut like any quotation,
  although it opens with a lowercase word.  A quotation that ends with a quoted word
  ('"…and 'the public'." The name') ends its sentence before a capital.  A bracketed
  ellipsis ("[...]", "(…)") before a capital ends a sentence, as "..." does, except
  after a word that never ends one (an article, a conjunction, a preposition:
  ``slow_path.NEVER_LAST_WORDS``), where the omission is inside the sentence ("Talks
  with [...] Germany failed.").  An inline enumeration item ("1)", "b)") goes on with
  the sentence when it starts with a lowercase word ("You either 1) cut the budget,
  or 2) raise the tax.") unless a sentence ended just before it, and when it starts
  with a capital after a comma, a colon, a semicolon or a word that never ends a
  sentence ("You either 1) Cut the budget, or 2) Raise the tax."); after any other
  word a capitalised item starts a list item ("1) Pay the fine 2) Appeal").  Two dots
  ("..") before a lowercase word go on, and a run of dots alone is never a claim.  A
  closing quotation mark, an emoticon (":)", ";-)", ":(") or emoji ("😀", "🎉🎉",
  "👍🏽") after a sentence end stays with that sentence ("…your work.' | She smiled.",
  "right? :) | It was", "Really? 😀 | It was fine."), but a straight double quote that
  opens a quotation, typed with a space after it, goes with the quotation ("He left. |
  \" We won,\" she said.").  A quotation in straight single quotes gives one claim
  per sentence like any other ("'It was good work. | Keep going.' | He nodded."): a
  single quote before a word that no letter precedes opens it, one after a word or a
  sentence end that no letter follows closes it, one inside a word is an apostrophe.
  After a quotation, a dash attribution ("— the minister", "— J. Smith") or a
  bracketed source alone ("(2012).") stays with its last sentence.
* Claims are at most ``MAX_CLAIM_CHARS`` (6,000) characters.  Longer runs
  without a sentence end (a table flattened into one line, a pasted log) are
  cut at whitespace; a real sentence is never that long.

Offsets are computed here, never taken from pySBD, and the cost stays linear
in the body length on any input: stretches that need pySBD are handed to it in
groups of at least 400 characters (each call has a fixed cost), and text without a
letter or digit never reaches it.  This package is pure Python and knows nothing about Flask
or the database.

Where each step lives:

* ``plain_lines``: the quick lane.  A line without a bullet whose every mark the fast
  path judges alone (most lines of news) is cut with a few regular expressions and one
  judgement per sentence end, without building stretches; a line it is not sure of goes
  the ordinary way, and the claims are the same either way.  The one item of a line that
  starts with a bullet is offered to it as a line of its own;
* ``sure_lines``: inside the quick lane, a line whose every sentence end is of a few
  common kinds (a plain word, a year, a percentage, an e-mail address or a day before a
  capital; a title, an initial, a time or an abbreviation that stays) is cut whole
  sentence by whole sentence by one regular expression, with no judgement in Python;
* ``lines``: one line into sentence ranges (list markers, run-in lists), handing
  each stretch to the fast or the slow path;
* ``fast_path``: the certain boundaries and the stretches that need no pySBD;
* ``slow_path``: pySBD's sentences, cut inside quotations and joined where a
  piece cannot start a sentence;
* ``pysbd_segments``: pySBD on bounded windows, and the tables pySBD works with;
* ``quotations``: quotations and brackets of a line, and the cut inside quotations;
* ``offsets``: stripping, the length cap, and a fast set of ranges.

The quotation marks, line breaks, abbreviations and month names come from
``annotator.text.vocabulary``, which the reviewer hints read too.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.text.splitting.lines import line_ranges, single_item_start
from annotator.text.splitting.offsets import MAX_CLAIM_CHARS, strip
from annotator.text.splitting.plain_lines import plain_line_ranges
from annotator.text.vocabulary import LINE_BREAKS

__all__ = ["MAX_CLAIM_CHARS", "ClaimSpan", "holds_paragraph_break", "split_claims"]


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    """One claim of a body: ``text == body[start:end]``, stripped, one line."""

    start: int
    end: int
    text: str




# Most claims are made here: set each field of the frozen span through its slot, as the
# generated ``__init__`` does, without its call and its three ``object.__setattr__``.
_new_claim = object.__new__
_set_start = ClaimSpan.start.__set__
_set_end = ClaimSpan.end.__set__
_set_text = ClaimSpan.text.__set__


def holds_paragraph_break(gap: str) -> bool:
    """Whether the text between two claims holds a blank line (two line breaks, a CRLF
    counting as one): a claim never crosses it, so merging across it is refused."""
    return sum(gap.count(ch) for ch in LINE_BREAKS) - gap.count("\r\n") >= 2


def split_claims(body: str) -> list[ClaimSpan]:
    """Split ``body`` into claims, one sentence each, in order of appearance.

    Every span satisfies ``span.text == body[span.start:span.end]``; its text
    is non-empty, has no surrounding whitespace and no line break; spans do
    not overlap; together they cover every non-whitespace character of
    ``body`` except bullets that start a line.  Never raises for any ``str``;
    blank input gives ``[]``.
    """
    claims: list[ClaimSpan] = []
    append = claims.append
    # Each line break (the characters of LINE_BREAKS, which are those str.splitlines
    # breaks at) is a hard claim boundary, which also guarantees that no claim contains
    # one.  The string's own method finds them far faster than a regular expression.
    end_of_line = 0
    for piece in body.splitlines(keepends=True):
        offset = end_of_line
        end_of_line += len(piece)
        text = piece.rstrip(LINE_BREAKS)
        if not text or text.isspace():
            continue
        plain = plain_line_ranges(text)
        if plain is None and (item := single_item_start(text)) is not None:
            # A list item: after its bullet the quick lane reads it as a line of its own.
            plain = plain_line_ranges(text[item:])
            if plain is not None:
                text, offset = text[item:], offset + item
        if plain is not None:
            for low, high in plain:
                claim = _new_claim(ClaimSpan)
                _set_start(claim, offset + low)
                _set_end(claim, offset + high)
                _set_text(claim, text[low:high])
                append(claim)
            continue
        for start, end in line_ranges(text):
            start, end = strip(body, offset + start, offset + end)
            if start < end:
                append(ClaimSpan(start, end, body[start:end]))
    return claims
