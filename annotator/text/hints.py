"""Hints for reviewers about a claim: is it a quotation, who said it, what it holds.

Pure Python, no Flask, no model downloads: transparent rules, each one tested. A hint is
a pointer for the reviewer, never a verdict; the rules prefer missing a case to inventing
one. Invisible formatting characters (zero-width spaces, direction marks and overrides,
soft hyphens) are ignored.

Quotation (``quote``)

- A quotation is text between a pair of quotation marks: « », ‹ ›, “ ”, „ “ (or „ ”),
  straight double quotes " ", curly single quotes ‘ ’ and straight single quotes ' '.
- A quotation never runs past a line break. A double mark («, “, „, ") that is not closed
  before the line ends quotes to the end of the line, and a closing double mark with no
  opening one quotes from the start of the line: that is how a quotation split into one
  claim per sentence still marks each of its claims, even when a claim is looked at alone.
- Single quotes are apostrophes unless they clearly pair up: an opening single quote follows
  a space, the start of the line, a bracket or a dash and is followed by a letter; the closing
  one is not followed by a letter or digit; an unclosed single quote is ignored. So don't,
  rock 'n' roll, the '90s, the students' union and ’tis never make a quotation.
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
from itertools import islice

__all__ = ["HINT_FILTERS", "ClaimHints", "claim_hints", "hints_for_claims"]

# The names a reviewer can filter the queue by, in the order the UI lists them.
HINT_FILTERS = ("quote", "number", "percent", "money", "date")

MAX_SPEAKER_CHARS = 120


@dataclass(frozen=True, slots=True)
class ClaimHints:
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
    size = len(body)
    bounds = []
    for start, end in spans:
        start = min(max(start, 0), size)
        bounds.append((start, min(max(end, start), size)))

    quotations = _quotations(body)
    masked = _mask(body, quotations)
    counted = _merge([(q.start, q.end) for q in quotations if _counts(body, masked, q)])
    counted_ends = [end for _, end in counted]

    quote = [False] * len(bounds)
    speakers: list[str | None] = []
    members: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(bounds):
        speakers.append(_speaker(_visible(masked[start:end])))
        if start == end:
            continue
        # Quotations are disjoint and sorted, so the first one ending after the claim's
        # start is the only candidate for the first overlap; later ones follow in order.
        at = bisect_right(counted_ends, start)
        while at < len(counted) and counted[at][0] < end:
            quote[index] = True
            members.setdefault(at, []).append(index)
            at += 1

    inherited = list(speakers)
    for indexes in members.values():
        if len(indexes) < 2:
            continue
        ordered = sorted(indexes, key=lambda i: bounds[i])
        shared = speakers[ordered[-1]] or speakers[ordered[0]]
        for i in ordered:
            if inherited[i] is None:
                inherited[i] = shared

    return [
        _content_hints(body[start:end], quote[i], inherited[i])
        for i, (start, end) in enumerate(bounds)
    ]


# --- shared pieces ---------------------------------------------------------------------
#
# Every pattern that searches a claim starts with a digit, a sign or a list of literal words,
# never with a lookbehind or a word boundary: the regex engine then skips ahead to a possible
# first character instead of trying the whole pattern at every position, which keeps a 1 MiB
# article fast. Word boundaries are checked right after the first characters instead.

_NO_LETTER = r"(?![^\W\d_])"


def _words(words: str, capitalised: bool = True, whole: bool = True) -> str:
    """An alternation of the literal ``words`` (``|``-separated), each preceded by no letter.

    With ``capitalised`` each word also matches with a capital first letter (sentence start);
    with ``whole`` no letter may follow either.
    """
    variants = words.split("|")
    if capitalised:
        variants += [w[:1].upper() + w[1:] for w in variants if w[:1].islower()]
    # Longest first, so "September" is tried before "Sept" and "Sep".
    variants.sort(key=len, reverse=True)
    alternation = "|".join(f"{w}(?<![^\\W\\d_]{w})" for w in variants)
    return f"(?:{alternation})" + (_NO_LETTER if whole else "")


# --- quotations ------------------------------------------------------------------------

_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_MARK_RE = re.compile(f"[«»‹›“”„\"‘’'{_LINE_BREAKS}]")
_QUOTE_MARKS = "«»‹›“”„\"‘’'"
# What may stand right before an opening mark, besides whitespace and the start of a line.
_OPENERS_BEFORE = "([{<–—-―/" + _QUOTE_MARKS
# What may stand right after a closing mark, besides whitespace and the end of a line.
_CLOSERS_AFTER = ".,;:!?)]}>…–—-―/" + _QUOTE_MARKS

# Each family pairs up on its own, so an unmatched mark of one kind cannot swallow a
# quotation of another kind.
_FAMILY = {
    "«": "guillemet", "»": "guillemet",
    "‹": "single guillemet", "›": "single guillemet",
    "“": "curly", "”": "curly", "„": "curly",
    '"': "straight",
    "‘": "curly single", "’": "curly single",
    "'": "straight single",
}  # fmt: skip
_SINGLE_FAMILIES = frozenset({"curly single", "straight single"})


@dataclass(frozen=True, slots=True)
class _Quotation:
    start: int  # the opening mark, or the start of the line when there is none
    end: int  # just past the closing mark, or the end of the line when there is none
    opened: bool
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + self.opened, self.end - self.closed


def _quotations(body: str) -> list[_Quotation]:
    """Every quotation of ``body``, sorted by start; quotations of different families may nest."""
    found: list[_Quotation] = []
    open_at: dict[str, int] = {}
    # Where a closing mark without an opening one starts quoting: the line's start or the end
    # of the family's previous quotation, which also keeps a run of such marks linear.
    closed_at: dict[str, int] = {}
    line_start = 0
    size = len(body)

    def close_line(line_end: int) -> None:
        for family, start in open_at.items():
            if family not in _SINGLE_FAMILIES:
                found.append(_Quotation(start, line_end, True, False))
        open_at.clear()
        closed_at.clear()

    for match in _MARK_RE.finditer(body):
        pos = match.start()
        mark = match.group()
        if mark in _LINE_BREAKS:
            close_line(pos)
            line_start = pos + 1
            continue
        before = body[pos - 1] if pos > line_start else ""
        after = body[pos + 1] if pos + 1 < size and body[pos + 1] not in _LINE_BREAKS else ""
        can_open = (not before or before.isspace() or before in _OPENERS_BEFORE) and bool(
            after and not after.isspace()
        )
        can_close = bool(before and not before.isspace()) and (
            not after or after.isspace() or after in _CLOSERS_AFTER
        )
        family = _FAMILY[mark]
        start = open_at.get(family)

        if mark in "«‹„" or (mark == "“" and start is None):
            action = "open"
        elif mark == "“":
            # “ closes „ (German style); a second “ while one is open means a closing mark
            # went missing, so the quotation starts again.
            action = "close" if body[start] == "„" else "open"
        elif mark == "”" and start is None and can_open and not can_close:
            action = "open"  # Swedish style: ” opens as well as closes
        elif mark in "»›”":
            action = "close"
        elif mark == '"':
            if before.isdigit():
                continue
            if start is not None and can_close:
                action = "close"
            elif can_open:
                action = "open"
            elif can_close:
                action = "close"
            else:
                continue
        elif mark in "‘'":
            opens = can_open and after.isalpha()
            if start is not None and can_close and not after.isalnum() and mark == "'":
                action = "close"
            elif opens:
                action = "open"
            else:
                continue
        else:  # ’ closes only an open single quotation; otherwise it is an apostrophe.
            if start is None or not can_close or after.isalnum():
                continue
            action = "close"

        if action == "open":
            if start is not None and family not in _SINGLE_FAMILIES:
                found.append(_Quotation(start, pos, True, False))
            open_at[family] = pos
        elif start is not None:
            found.append(_Quotation(start, pos + 1, True, True))
            del open_at[family]
            closed_at[family] = pos + 1
        elif family not in _SINGLE_FAMILIES:
            found.append(_Quotation(closed_at.get(family, line_start), pos + 1, False, True))
            closed_at[family] = pos + 1
    close_line(size)
    found.sort(key=lambda q: (q.start, -q.end))
    return found


def _mask(body: str, quotations: list[_Quotation]) -> str:
    """``body`` with the inside of every quotation blanked out; marks and offsets stay."""
    pieces = []
    done = 0
    for start, end in _merge([q.inner for q in quotations]):
        if end > start:
            pieces.append(body[done:start])
            pieces.append(" " * (end - start))
            done = end
    pieces.append(body[done:])
    return "".join(pieces)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint ranges covering the same positions as ``ranges``."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_MIN_QUOTED_WORDS = 3


def _counts(body: str, masked: str, quotation: _Quotation) -> bool:
    """Whether a quotation is a direct quotation rather than a scare-quoted term."""
    start, end = quotation.inner
    words = sum(1 for _ in islice(_WORD_RE.finditer(body, start, end), _MIN_QUOTED_WORDS))
    if words >= _MIN_QUOTED_WORDS:
        return True
    if not words:
        return False
    return bool(
        _ATTRIBUTED_AFTER_RE.match(masked, quotation.end)
        or _ATTRIBUTED_BEFORE_RE.search(masked[max(0, quotation.start - 80) : quotation.start])
    )


# --- speaker ---------------------------------------------------------------------------

_VERBS = (
    "said|says|say|told|tells|wrote|writes|added|adds|stated|claimed|announced|announces"
    "|noted|insisted|insists|argued|argues|explained|explains|warned|warns|declared|declares"
    "|clarified|asserted|asserts|replied|tweeted|reported|admitted|admits|conceded|concedes"
    "|recalled|asked|asks|shouted|warn|insist|argue|explain|add|write|tell|declare|admit"
    "|concede|ask"
)
_VERB_SET = frozenset(_VERBS.split("|"))
_ATTRIBUTION_RE = re.compile(
    rf"(?P<according>{_words('according', True, False)}\s+to(?![\w'’-]))"
    rf"|{_words(_VERBS, False, False)}(?![\w'’-])"
)
_ATTRIBUTED_AFTER_RE = re.compile(
    rf"[\s,;:–—-]*(?:[^\W_][\w'’.-]*\s+){{0,4}}?(?:{_VERBS})(?![\w'’-])"
)
_ATTRIBUTED_BEFORE_RE = re.compile(rf"(?<![\w'’-])(?:{_VERBS})\s*[,:]?\s*$")
_BY_RE = re.compile(r"\s+by(?![\w'’-])")
_TOKEN_RE = re.compile(r"[^\W_][\w'’&.-]*")
_NEXT_TOKEN_RE = re.compile(r"[^\S\n]+([^\W_][\w'’&.-]*)")
_APPOSITION_RE = re.compile(
    r",\s*([A-Z][\w'’-]*(?:\s+[A-Z][\w'’.-]*){0,3}?)(?=[.!?]?\s*(?:$|[,;]))"
)
# Punctuation after which "said X" names X (inverted attribution).
_INVERTING = frozenset(",;:–—―-()" + _QUOTE_MARKS)


def _word_set(words: str) -> frozenset[str]:
    """The space-separated words of ``words``: long word lists stay readable in the source."""
    return frozenset(words.split())


_PRONOUNS = _word_set(
    "i you he she it we they this that these those one someone somebody everyone everybody "
    "anyone anybody nobody who whom which what"
)
_DETERMINERS = _word_set("the a an his her its their our my your this that these those")
# Words that may sit inside a speaker's name ("the head of the agency", "a spokesman for").
_NAME_PREPOSITIONS = frozenset({"of", "for", "at", "from"})
_LINKS = _word_set(
    "who whom whose which that where when while as after before following during in on to "
    "with because adding and but or nor since amid about over under if than into onto upon "
    "via within without per though although so whether then by than"
)
_TIME_WORDS = _word_set(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "tonight earlier later meanwhile however also now then separately here there"
)
_FORWARD_STOPS = _LINKS | (_NAME_PREPOSITIONS - {"of", "for"}) | _TIME_WORDS | _VERB_SET
_BACKWARD_STOPS = _LINKS | _VERB_SET
# Between a subject and its verb: "Rubio reportedly said", "the ministry has since said".
_SKIPPED = _word_set(
    "also has have had was were is are be been will would could should may might did does do "
    "not never later then once since previously again further too already"
)
_LY_NOUNS = _word_set(
    "family ally assembly rally supply monopoly anomaly bully folly jelly belly lily"
)
# Full stops that do not end a name: "Acme Inc. said", "said Gen. Smith".
_ABBREVIATIONS = _word_set(
    "inc. ltd. corp. co. plc. llc. bros. jr. sr. st. gen. gov. sen. rep. dr. mr. mrs. ms. "
    "prof. lt. col. maj. capt. sgt. adm. pres. rev. hon."
)
_MAX_NAME_WORDS = 10
# A claim with more attribution verbs than this is not a sentence; stop looking.
_MAX_ATTRIBUTIONS = 32
_LOOK_BACK = 240


def _speaker(text: str) -> str | None:
    """Who the claim says said it, read from text whose quotations are blanked out."""
    for match in islice(_ATTRIBUTION_RE.finditer(text), _MAX_ATTRIBUTIONS):
        if match.group("according"):
            name = _name_after(text, match.end())
        elif by := _BY_RE.match(text, match.end()):
            name = _name_after(text, by.end())
        elif (before := text[max(0, match.start() - 64) : match.start()].rstrip()[-1:]) in (
            _INVERTING
        ):
            name = _name_after(text, match.end(), strict=before in ",;")
        else:
            name = _name_before(text, match.start())
        if name:
            return name
    return None


def _name_after(text: str, pos: int, strict: bool = False) -> str | None:
    """The name that starts after ``pos`` ("said the official, who ..." -> "the official").

    After a bare comma ("The report, published on Monday, said exports fell") the verb may
    well have its subject before it, so with ``strict`` the name must start with an article
    or a capital letter.
    """
    spans: list[tuple[int, int]] = []
    while len(spans) < _MAX_NAME_WORDS:
        match = _NEXT_TOKEN_RE.match(text, pos)
        if not match:
            break
        token = match.group(1).rstrip("'’-")
        if token.lower().rstrip(".") in _FORWARD_STOPS:
            break
        sentence_end = _ends_sentence(token)
        if sentence_end:
            token = token[:-1]
        start = match.start(1)
        spans.append((start, start + len(token)))
        pos = start + len(token)
        if sentence_end or not text[pos : pos + 1].isspace():
            break
    if not spans:
        return None
    first = text[spans[0][0] : spans[0][1]]
    if strict and not (first[:1].isupper() or first.lower() in _DETERMINERS):
        return None
    name = text[spans[0][0] : spans[-1][1]]
    if apposition := _APPOSITION_RE.match(text, spans[-1][1]):
        added = apposition.group(1)
        last = added.rsplit(None, 1)[-1]
        if last.endswith(".") and "." not in last[:-1]:
            added = added[:-1]  # the sentence's full stop, not an abbreviation's
        name = f"{name}, {added}"
    return _tidy([text[a:b] for a, b in spans], name)


def _name_before(text: str, pos: int) -> str | None:
    """The name that ends right before ``pos`` ("Rubio reportedly said" -> "Rubio")."""
    window = max(0, pos - _LOOK_BACK)
    tokens = list(_TOKEN_RE.finditer(text, window, pos))
    if window and tokens and tokens[0].start() == window:
        tokens.pop(0)  # cut by the window: only part of a word
    taken: list[re.Match[str]] = []
    edge = pos
    for token in reversed(tokens):
        if text[token.end() : edge].strip():
            break  # punctuation between: the name cannot reach further back
        edge = token.start()
        word = token.group().rstrip("'’-")
        lower = word.lower()
        if not taken and (lower in _SKIPPED or _is_adverb(word)):
            continue
        if not taken and lower in _PRONOUNS:
            return None
        if lower in _BACKWARD_STOPS or _ends_sentence(word):
            break
        taken.append(token)
        if len(taken) == _MAX_NAME_WORDS:
            break
    taken.reverse()
    words = [t.group().rstrip("'’-") for t in taken]
    # Keep the name from its first article on, unless that article follows a preposition
    # of the name itself ("Thursday the minister" vs "officials at the ministry").
    for i, word in enumerate(words):
        if word.lower() in _DETERMINERS:
            if i and words[i - 1].lower() not in _NAME_PREPOSITIONS:
                words, taken = words[i:], taken[i:]
            break
    while words and (words[0].lower() in _TIME_WORDS or words[0].lower() in _NAME_PREPOSITIONS):
        words, taken = words[1:], taken[1:]
    if not words:
        return None
    return _tidy(words, text[taken[0].start() : taken[-1].start() + len(words[-1])])


def _ends_sentence(word: str) -> bool:
    """Whether a word's final full stop ends the sentence (not "U.S." nor "Inc.")."""
    return word.endswith(".") and "." not in word[:-1] and word.lower() not in _ABBREVIATIONS


def _is_adverb(word: str) -> bool:
    """Whether a lower-case word is an -ly adverb (reportedly), not a noun (family, ally)."""
    return word.islower() and word.endswith("ly") and word not in _LY_NOUNS


def _tidy(words: list[str], name: str) -> str | None:
    """A presentable speaker, or None when the words do not make one."""
    lowered = [w.lower() for w in words]
    if lowered[0] in _PRONOUNS or all(w in _DETERMINERS for w in lowered):
        return None
    if lowered[0] in ("the", "a", "an") and any(w[:1].islower() for w in words[1:]):
        name = lowered[0] + name[len(words[0]) :]
    name = " ".join(name.split())
    if len(name) > MAX_SPEAKER_CHARS:
        cut = name.rfind(" ", 0, MAX_SPEAKER_CHARS + 1)
        name = name[: cut if cut > 0 else MAX_SPEAKER_CHARS]
    name = name.strip(" ,;:–—-'’\"")
    return name or None


# --- numbers, percentages, money, dates ------------------------------------------------

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty"
    "|ninety|hundred|thousand|million|billion|trillion|dozen"
)
# Where a unit follows, "one" and "half" are plainly numbers.
_AMOUNT_WORDS = _words(f"one|half|{_NUMBER_WORDS}")
_SCALE = r"(?:\s?(?:k|m|mn|bn|b|tn|thousand|million|billion|trillion)(?![^\W\d_]))"

# A rule is a pattern, or a pattern for the rare part of a phrase ("percent", "dollars",
# "May", "2024") plus one for what must end right before it ("40", "a million", "in"): anchoring
# on the rare part keeps short common words such as "in" or "one" from being tried everywhere.
# A rule also names the words (or a digit, _DIGIT) without which it cannot match, so that a
# claim is only searched by the rules whose words it holds.
_DIGIT = "0"
_BEFORE_WINDOW = 48


@dataclass(frozen=True, slots=True)
class _Rule:
    anchor: re.Pattern[str]
    before: re.Pattern[str] | None
    needs: frozenset[str] | None


def _rule(pattern: str, before: str | None = None, needs: str | None = None) -> _Rule:
    """A rule: ``pattern``, preceded by ``before`` when given, never without one of ``needs``."""
    return _Rule(
        re.compile(pattern),
        re.compile(rf"(?:{before})\Z") if before else None,
        _with_capitals(needs) if needs else None,
    )


def _with_capitals(words: str) -> frozenset[str]:
    """The ``|``-separated words, each also with a capital first letter."""
    variants = words.split("|")
    return frozenset(variants + [w[:1].upper() + w[1:] for w in variants])


_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _vocabulary(text: str) -> set[str]:
    """The words of ``text``, plus _DIGIT when it holds a digit."""
    words = set(_LETTERS_RE.findall(text))
    if _DIGIT_RE.search(text):
        words.add(_DIGIT)
    return words


def _applies(text: str, words: set[str], rules: tuple[_Rule, ...]) -> bool:
    """Whether any of the rules finds its phrase in ``text`` (whose words are ``words``)."""
    for rule in rules:
        if rule.needs is not None and rule.needs.isdisjoint(words):
            continue
        for match in rule.anchor.finditer(text):
            start = match.start()
            if rule.before is None or rule.before.search(
                text, max(0, start - _BEFORE_WINDOW), start
            ):
                return True
    return False


_DIGIT_RE = re.compile(r"\d")
_NUMBER_RE = re.compile(
    r"\d(?<![^\W\d_]\d)(?<![^\W\d_]-\d)(?<!\d\d)(?<!\d[.,]\d)"  # not G7, F-16, nor mid-number
    r"(?!\d*(?:st|nd|rd|th)\s+[A-Z])"  # an ordinal before a capitalised word names something
    r"(?>\d*(?:[.,]\d+)*)"
    rf"(?:[a-z]{{1,3}})?{_NO_LETTER}"  # 1.2m, 5km, 1990s, 3rd, but not 5G
)
_NUMBER_WORD_SET = _with_capitals(_NUMBER_WORDS)
_PHONE_RES = (
    re.compile(r"\+(?<![\w+]\+)\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\w)"),
    re.compile(r"\(\d{3}\)\s?\d{3}[\s.-]\d{4}(?!\w)"),
    re.compile(r"\d(?<![\w.-]\d)\d\d[.-]\d{3}[.-]\d{4}(?![\w-])"),
)

_PERCENT_RULES = (
    _rule(r"[%‰‱％]", r"\d\s?", _DIGIT),
    _rule(
        r"(?:percentage(?<![^\W\d_]percentage)\s+points?|percent(?<![^\W\d_]percent)"
        r"|per(?<![^\W\d_]per)\s?cent|pct(?<![^\W\d_]pct)|pp(?<![^\W\d_]pp)"
        rf"|basis(?<![^\W\d_]basis)\s+points?){_NO_LETTER}",
        rf"(?:\d|{_AMOUNT_WORDS})[\s-]*",
        "percent|per|pct|pp|percentage|basis",
    ),
)

_CURRENCY_SIGNS = "$€£¥₹₽₩₴₺₪₦₱฿₫"
_CURRENCY_CODES = (
    "USD|EUR|GBP|JPY|CNY|RMB|CHF|CAD|AUD|NZD|INR|RUB|UAH|PLN|SEK|NOK|DKK|TRY|BRL|ZAR|HKD|SGD"
    "|KRW|MXN"
)
_CURRENCY_WORD_LIST = (
    "dollar|dollars|euro|euros|pound|pounds|pence|cent|cents|yen|yuan|renminbi|rupee|rupees"
    "|rouble|roubles|ruble|rubles|hryvnia|hryvnias|franc|francs|lira|liras|peso|pesos|bucks"
    "|quid"
)
_CURRENCY_WORDS = _words(_CURRENCY_WORD_LIST, capitalised=False)
_CURRENCY_ADJECTIVES = (
    r"(?:(?:US|U\.S\.|Canadian|Australian|Hong\s+Kong|New\s+Zealand|Singapore)\s+)?"
)
_MONEY_RULES = (
    _rule(rf"[{_CURRENCY_SIGNS}]\s?\d"),
    _rule(
        rf"\d{_SCALE}?\s?(?:[{_CURRENCY_SIGNS}¢]|(?:{_CURRENCY_CODES}){_NO_LETTER})", None, _DIGIT
    ),
    _rule(rf"{_words(_CURRENCY_CODES, capitalised=False)}\s?\d", None, _DIGIT),
    _rule(
        # 5 pounds of flour is a weight.
        rf"{_CURRENCY_WORDS}(?!(?<=pound)\s+of\b)(?!(?<=pounds)\s+of\b)",
        rf"(?:(?:\d|{_AMOUNT_WORDS}){_SCALE}?[\s-]*"
        rf"|{_words('hundreds|thousands|millions|billions|trillions')}\s+of\s+)"
        + _CURRENCY_ADJECTIVES,
        _CURRENCY_WORD_LIST,
    ),
)

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBREVIATIONS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_ANY_MONTH = _words(f"{_MONTHS}|{_MONTH_ABBREVIATIONS}", capitalised=False)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_TIME_WORDS_BEFORE = (
    "in|since|until|till|by|from|through|throughout|during|before|after|of|early|late|mid"
    "|last|next|this|between|around"
)
_NOT_MORE_DIGITS = r"(?![\d,.]?\d|[^\W\d_]|\s?%)"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DATE_RULES = (
    _rule(
        _words("January|February|July|September|October|November|December", False),
        None,
        "January|February|July|September|October|November|December",
    ),
    _rule(
        rf"(?:{_words(_MONTHS, False)}|{_words(_MONTH_ABBREVIATIONS, False, False)}"
        rf"(?:\.|{_NO_LETTER}))\s+(?:{_DAY}|{_YEAR}){_NOT_MORE_DIGITS}",
        None,
        f"{_MONTHS}|{_MONTH_ABBREVIATIONS}",
    ),
    _rule(
        rf"\d(?<![\d.,]\d)\d?(?:st|nd|rd|th)?\s+(?:of\s+)?{_ANY_MONTH}",
        None,
        f"{_MONTHS}|{_MONTH_ABBREVIATIONS}",
    ),
    _rule(
        _words("March|April|May|June|August", False),
        rf"{_words(_TIME_WORDS_BEFORE)}[\s-]+",
        "March|April|May|June|August",
    ),
    _rule(
        r"(?:19|20)(?<!\w\d\d)\d(?:0s"
        + _NO_LETTER
        + r"|\d(?:([-/])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d|[-/.]\d)"
        + rf"|\s?[-–]\s?(?:{_YEAR}|\d\d)(?!\d|[-–/.]\d)))",
        None,
        _DIGIT,
    ),
    _rule(
        r"\d(?<![\d./-]\d)\d?([/.-])\d\d?\1" rf"(?:{_YEAR}|(?<=/)\d\d)(?![\d/.-]\d)",
        None,
        _DIGIT,
    ),
    _rule(
        _words(_WEEKDAYS, False, False) + rf"s?{_NO_LETTER}",
        None,
        _WEEKDAYS + "|" + _WEEKDAYS.replace("|", "s|") + "s",
    ),
    _rule(
        rf"(?:19|20)(?<!\w\d\d)\d\d{_NOT_MORE_DIGITS}",
        rf"{_words(_TIME_WORDS_BEFORE + '|year|spring|summer|autumn|winter|fiscal|FY')}[\s-]+",
        _DIGIT,
    ),
    _rule(r"['’‘](?<![^\W_].)\d0s" + _NO_LETTER, None, _DIGIT),
    _rule(rf"[QH](?<![\w][QH])[1-4]\s?{_YEAR}(?!\d)", None, _DIGIT),
    _rule(_words("yesterday|tomorrow|tonight"), None, "yesterday|tomorrow|tonight"),
    _rule(
        r"(?:week|weekend|month|year|quarter|decade|spring|summer|autumn|winter|morning"
        rf"|afternoon|evening|night)s?{_NO_LETTER}",
        rf"{_words('last|next|this|past|coming|previous')}\s+",
        "last|next|this|past|coming|previous",
    ),
    _rule(
        _words("day|days|week|weeks|month|months|year|years|decade|decades|centuries", False)
        + rf"\s+ago{_NO_LETTER}",
        None,
        "ago",
    ),
)

_INVISIBLE_RE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff]+"
)


def _visible(text: str) -> str:
    """``text`` without invisible formatting characters."""
    return _INVISIBLE_RE.sub("", text) if _INVISIBLE_RE.search(text) else text


def _content_hints(text: str, quote: bool, speaker: str | None) -> ClaimHints:
    """The hints of one claim's text, given what its context says about quotation."""
    text = _visible(text)
    words = _vocabulary(text)
    percent = _applies(text, words, _PERCENT_RULES)
    money = _applies(text, words, _MONEY_RULES)
    date = _applies(text, words, _DATE_RULES)
    number = percent or money or date or not _NUMBER_WORD_SET.isdisjoint(words)
    if not number and _DIGIT in words:
        for phone in _PHONE_RES:
            text = phone.sub(" ", text)
        number = bool(_NUMBER_RE.search(text))
    return ClaimHints(quote, speaker, number, percent, money, date)
