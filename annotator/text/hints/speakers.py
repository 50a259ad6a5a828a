"""Who a claim says said it: the speaker hint.

The rules are listed at the top of ``annotator.text.hints`` (Speaker).  Only text outside
quotation marks is read (the caller blanks quotations out), and a pronoun names nobody.
"""

from __future__ import annotations

import re
from itertools import islice

from annotator.text.hints.patterns import any_word, word_set
from annotator.text.vocabulary import NAME_ABBREVIATIONS, QUOTATION_MARKS, WEEKDAYS

MAX_SPEAKER_CHARS = 120

# The verbs of attribution, as a regex alternation; also read by the quotation rule.
ATTRIBUTION_VERBS = (
    "said|says|say|told|tells|wrote|writes|added|adds|stated|claimed|announced|announces"
    "|noted|insisted|insists|argued|argues|explained|explains|warned|warns|declared|declares"
    "|clarified|asserted|asserts|replied|tweeted|reported|admitted|admits|conceded|concedes"
    "|recalled|asked|asks|shouted|warn|insist|argue|explain|add|write|tell|declare|admit"
    "|concede|ask"
)
_VERB_SET = frozenset(ATTRIBUTION_VERBS.split("|"))
_ATTRIBUTION_RE = re.compile(
    rf"(?P<according>{any_word('according', True, False)}\s+to(?![\w'’-]))"
    rf"|{any_word(ATTRIBUTION_VERBS, False, False)}(?![\w'’-])"
)
_BY_RE = re.compile(r"\s+by(?![\w'’-])")
_TOKEN_RE = re.compile(r"[^\W_][\w'’&.-]*")
_NEXT_TOKEN_RE = re.compile(r"[^\S\n]+([^\W_][\w'’&.-]*)")
_APPOSITION_RE = re.compile(
    r",\s*([A-Z][\w'’-]*(?:\s+[A-Z][\w'’.-]*){0,3}?)(?=[.!?]?\s*(?:$|[,;]))"
)
# Punctuation after which "said X" names X (inverted attribution).
_INVERTING = frozenset(",;:–—―-()" + QUOTATION_MARKS)

_PRONOUNS = word_set(
    "i you he she it we they this that these those one someone somebody everyone everybody "
    "anyone anybody nobody who whom which what"
)
_DETERMINERS = word_set("the a an his her its their our my your this that these those")
# Words that may sit inside a speaker's name ("the head of the agency", "a spokesman for").
_NAME_PREPOSITIONS = frozenset({"of", "for", "at", "from"})
_LINKS = word_set(
    "who whom whose which that where when while as after before following during in on to "
    "with because adding and but or nor since amid about over under if than into onto upon "
    "via within without per though although so whether then by than"
)
_TIME_WORDS = frozenset(day.lower() for day in WEEKDAYS) | word_set(
    "today yesterday tomorrow tonight earlier later meanwhile however also now then "
    "separately here there"
)
_FORWARD_STOPS = _LINKS | (_NAME_PREPOSITIONS - {"of", "for"}) | _TIME_WORDS | _VERB_SET
_BACKWARD_STOPS = _LINKS | _VERB_SET
# Between a subject and its verb: "Rubio reportedly said", "the ministry has since said".
_SKIPPED = word_set(
    "also has have had was were is are be been will would could should may might did does do "
    "not never later then once since previously again further too already"
)
_LY_NOUNS = word_set(
    "family ally assembly rally supply monopoly anomaly bully folly jelly belly lily"
)
# Full stops that do not end a name: "Acme Inc. said", "said Gen. Smith".
_ABBREVIATIONS = frozenset(f"{abbreviation}." for abbreviation in NAME_ABBREVIATIONS)
_MAX_NAME_WORDS = 10
# A claim with more attribution verbs than this is not a sentence; stop looking.
_MAX_ATTRIBUTIONS = 32
_LOOK_BACK = 240


def speaker(text: str) -> str | None:
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
    taken = _tokens_before(text, pos)
    if taken is None:
        return None
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


def _tokens_before(text: str, pos: int) -> list[re.Match[str]] | None:
    """The words that may make the name ending at ``pos``, in reading order.

    Adverbs and auxiliaries right before the verb are skipped; None when the subject is a
    pronoun, which names nobody.
    """
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
    return taken


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
