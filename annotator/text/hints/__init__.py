"""Hints for reviewers about a claim: is it a quotation, who said it, what it holds.

Pure Python, no Flask, no model downloads: transparent rules, each one tested. A hint is
a pointer for the reviewer, never a verdict; the rules prefer missing a case to inventing
one. Invisible formatting characters (zero-width spaces, direction marks and overrides,
soft hyphens) are ignored.

The rules below are implemented one detector a module: ``quotations`` (quote),
``speakers`` (speaker) and ``figures`` (number, percent, money, date); this package
joins them per claim.  The shared tables (quotation marks, abbreviations, months) are in
``annotator.text.vocabulary``.

Quotation (``quote``)

- A quotation is text between a pair of quotation marks: « », ‹ ›, “ ”, „ “ (or „ ”),
  straight double quotes " ", curly single quotes ‘ ’ and straight single quotes ' '.
- A quotation never runs past a line break. A double mark («, “, „, ") that is not closed
  before the line ends quotes to the end of the line, and a closing double mark with no
  opening one quotes from the start of the line: that is how a quotation split into one
  claim per sentence still marks each of its claims, even when a claim is looked at alone.
- Single quotes are apostrophes unless they clearly pair up. A straight single quote follows
  the splitter's rule (``vocabulary.SINGLE_QUOTE_OPENS`` and ``..._CLOSES``, one source
  for both): it opens before a word that no word character precedes ("said:'We"),
  closes after a word or a sentence end that no word character follows ("won.'"), and inside
  a word it is an apostrophe. A curly opening quote follows a space, the start of the line, a
  bracket or a dash and is followed by a letter; the curly closing one is not followed by a
  letter or digit. An unclosed single quote is ignored. So don't, the '90s, the students'
  union and ’tis never make a quotation (rock 'n' roll makes one of a single word, which
  does not count, below).
- A straight double quote right after a digit is an inch mark (a 12" pipe), not a quote.
- Scare quotes do not count: a quotation counts when it holds at least three words, or when
  it is attributed right next to its marks ("“No,” he said", "he said: “No.”").
- Across claims (``hints_for_claims``): every claim that a counted quotation touches is a
  quote, and a quotation that covers several claims passes its speaker (below) to those
  of its claims that name none themselves: the speaker found in its last claim, else the
  one found in its first claim.

Speaker (``speaker``)

- Only text outside quotation marks is read: words inside a quotation are the quoted
  person's, not an attribution.
- Attribution verbs: say, says, said, tell, tells, told, write, writes, wrote, add, adds,
  added, ask, asks, asked, warn, warns, warned, insist, insists, insisted, argue, argues,
  argued, explain, explains, explained, declare, declares, declared, admit, admits, admitted,
  concede, concedes, conceded, announces, announced, asserts, asserted, stated, claimed,
  noted, clarified, replied, tweeted, reported, recalled, shouted. Forms that are also nouns
  (state, states, claim, claims, note, notes, report, reports) are left out. The first verb (in
  reading order) that yields a speaker wins.
- "according to X" and "<verb> by X" (stated by a senior official) give X.
- "<verb> X" after a comma, colon, dash or quotation mark gives X ("», – said the official",
  ", said Senator Marco Rubio"); X stops at the first comma, other punctuation, relative or
  linking word (who, which, that, following, after, in, on, at, to, from, ...), so
  "said the official following talks" gives "the official". A name in apposition at the end
  is kept ("noted Rubio's spokesperson, Tami Brue"). After a bare comma X must start with an
  article or a capital letter ("The report, published on Monday, said exports fell" names
  nobody).
- "X <verb>" gives the words just before the verb up to punctuation or a linking word,
  skipping adverbs and auxiliaries (Rubio reportedly said, the ministry has said); words
  before the first article are dropped when they are not part of the name ("On Thursday the
  minister said" gives "the minister"). "and" ends a name ("Rubio and Rutte said" gives
  "Rutte"); a full stop ends it too, except after an abbreviation (Acme Inc., Gen. Smith).
- Pronouns (he, she, they, it, we, ...) give no speaker; they are not resolved.
- A leading "The", "A" or "An" is lower-cased unless every word of the name is capitalised
  (the ministry, the State Department official, The Guardian). A speaker is cut to 120
  characters at a word boundary and is never empty.

Numbers (``number``)

- Digits standing as a number: 12, 1,200, 3.5, 1.2m, 2.5bn, 10am, 5km, 3rd, the 1990s.
- Not: digits glued to letters or after a letter and a hyphen (G7, 5G, mp3, F-16, COVID-19),
  an ordinal directly before a capitalised word (the 101st Airborne, 1st Amendment), and
  phone numbers (+44 20 7946 0958, (555) 123-4567, 555-123-4567).
- Number words: two to twenty, thirty to ninety, hundred, thousand, million, billion,
  trillion and dozen. Not "one" (mostly a pronoun), not ordinal words (first, second), not
  vague plurals (dozens, hundreds, thousands, millions).
- A percentage, an amount of money or a date is also a number: the number filter is a
  superset of the other three.

Percentages (``percent``)

- A number followed by %, ‰, ‱, percent, per cent, pct, pp, percentage point(s) or basis
  point(s): 2.5%, 40 percent, forty per cent, 0.5 percentage points, 25 basis points.

Money (``money``)

- A currency sign next to a number, on either side: $1.2 bn, US$5, €300, £5m, ¥100, 10 €,
  50¢ (signs: $ € £ ¥ ₹ ₽ ₩ ₴ ₺ ₪ ₦ ₱ ฿ ₫ ¢).
- An ISO currency code next to a number: USD 10, 10 EUR (USD EUR GBP JPY CNY RMB CHF CAD AUD
  NZD INR RUB UAH PLN SEK NOK DKK TRY BRL ZAR HKD SGD KRW MXN).
- A number (digits or number word, with an optional scale) followed by a currency word:
  10 dollars, 1.2bn dollars, a million dollars, 50 cents, 3 euros, 10 pounds, 100 yen (also
  pence, yuan, renminbi, rupees, roubles, hryvnias, francs, lira, pesos, bucks, quid). "pounds
  of" is a weight (5 pounds of flour).
- Vague amounts of a currency: millions of dollars, billions of euros.

Dates (``date``)

- The month names January, February, July, September, October, November, December.
- The month names that are also ordinary words or first names (March, April, May, June,
  August) only next to a day or year (May 5, 5 May, May 2024) or after a time word
  (in, since, until, by, from, through, during, before, after, of, early, late, mid, last,
  next, this, between, around): "in May", "mid-March". So "prices may rise", "May I",
  "the March on Washington" are not dates.
- Abbreviated months next to a day or year: Jan. 5, Sept 2024, 5 Jan.
- Numeric dates: 2025-04-03, 2025/04/03, 03/04/2025, 3/4/25, 03.04.2025, 03-04-2025.
- Weekdays: Monday ... Sunday.
- A year 1900-2099 after a time word (in 2024, since 1990, by 2030, between 2019, fiscal
  2024, year 2024), decades (the 1990s, the '90s), year ranges (2019-2024, 2019-20) and
  quarters (Q3 2024, H1 2025). A year used as an adjective is only a number ("a 2024 model",
  "the 2024 election").
- Relative dates: yesterday, tomorrow, tonight; last / next / this / past / coming / previous
  week, weekend, month, year, quarter, decade, season, morning, afternoon, evening, night;
  "... days / weeks / months / years / decades ago". Not "today" or "now", which mostly
  mean "these days".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.text.hints.figures import figure_hints
from annotator.text.hints.quotations import (
    find_quotations,
    is_direct_quotation,
    mask_quotations,
    merge_ranges,
)
from annotator.text.hints.speakers import MAX_SPEAKER_CHARS, speaker

__all__ = ["HINT_FILTERS", "MAX_SPEAKER_CHARS", "ClaimHints", "claim_hints", "hints_for_claims"]

# The names a reviewer can filter the queue by, in the order the UI lists them.
HINT_FILTERS = ("quote", "number", "percent", "money", "date")


@dataclass(frozen=True, slots=True)
class ClaimHints:
    """What the rules above say about one claim; each field is one hint."""

    quote: bool = False
    speaker: str | None = None
    number: bool = False
    percent: bool = False
    money: bool = False
    date: bool = False


def claim_hints(text: str) -> ClaimHints:
    """The hints for one claim's text on its own."""
    return hints_for_claims(text, [(0, len(text))])[0]


def hints_for_claims(body: str, spans: Sequence[tuple[int, int]]) -> list[ClaimHints]:
    """The hints for every claim of an article, given as (start, end) offsets into ``body``.

    Context may matter: a quotation split into one claim per sentence is a quotation in every
    one of its claims, and the speaker named at its end applies to all of them. Offsets are
    clamped to the body; an empty or reversed span gives empty hints.
    """
    bounds = _clamped(spans, len(body))
    quotations = find_quotations(body)
    masked = mask_quotations(body, quotations)
    counted = merge_ranges(
        [(q.start, q.end) for q in quotations if is_direct_quotation(body, masked, q)]
    )
    speakers = [speaker(_visible(masked[start:end])) for start, end in bounds]
    quote, members = _quoted_claims(bounds, counted)
    inherited = _shared_speakers(speakers, members, bounds)
    return [
        ClaimHints(quote[i], inherited[i], *figure_hints(_visible(body[start:end])))
        for i, (start, end) in enumerate(bounds)
    ]


def _clamped(spans: Sequence[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """The spans inside ``[0, size]``, each with ``start <= end``."""
    bounds = []
    for start, end in spans:
        start = min(max(start, 0), size)
        bounds.append((start, min(max(end, start), size)))
    return bounds


def _quoted_claims(
    bounds: list[tuple[int, int]], counted: list[tuple[int, int]]
) -> tuple[list[bool], dict[int, list[int]]]:
    """Which claims a counted quotation touches, and for each quotation its claims."""
    counted_ends = [end for _, end in counted]
    quote = [False] * len(bounds)
    members: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(bounds):
        if start == end:
            continue
        # Quotations are disjoint and sorted, so the first one ending after the claim's
        # start is the only candidate for the first overlap; later ones follow in order.
        at = bisect_right(counted_ends, start)
        while at < len(counted) and counted[at][0] < end:
            quote[index] = True
            members.setdefault(at, []).append(index)
            at += 1
    return quote, members


def _shared_speakers(
    speakers: list[str | None], members: dict[int, list[int]], bounds: list[tuple[int, int]]
) -> list[str | None]:
    """The speakers, with a quotation's speaker given to those of its claims that name none.

    The quotation's speaker is the one found in its last claim, else in its first.
    """
    inherited = list(speakers)
    for indexes in members.values():
        if len(indexes) < 2:
            continue
        ordered = sorted(indexes, key=lambda i: bounds[i])
        shared = speakers[ordered[-1]] or speakers[ordered[0]]
        for i in ordered:
            if inherited[i] is None:
                inherited[i] = shared
    return inherited


# Invisible formatting characters: zero-width spaces, direction marks and overrides, soft
# hyphens.  They hide inside words ("sa\u200bid") and would make a rule miss.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff]+"
)


def _visible(text: str) -> str:
    """``text`` without invisible formatting characters."""
    return _INVISIBLE_RE.sub("", text) if _INVISIBLE_RE.search(text) else text
