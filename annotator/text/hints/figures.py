"""Numbers, percentages, amounts of money and dates in a claim: the figure hints.

The rules are listed at the top of ``annotator.text.hints`` (Numbers, Percentages, Money,
Dates).  Month and weekday names come from ``annotator.text.vocabulary``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.text.hints.patterns import NO_LETTER, any_word
from annotator.text.vocabulary import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty"
    "|ninety|hundred|thousand|million|billion|trillion|dozen"
)
# Where a unit follows, "one" and "half" are plainly numbers.
_AMOUNT_WORDS = any_word(f"one|half|{_NUMBER_WORDS}")
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
    """A compiled rule: the anchor, what must end right before it, the words it needs."""

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


def _words_of(text: str) -> set[str]:
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
    rf"(?:[a-z]{{1,3}})?{NO_LETTER}"  # 1.2m, 5km, 1990s, 3rd, but not 5G
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
        rf"|basis(?<![^\W\d_]basis)\s+points?){NO_LETTER}",
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
_CURRENCY_WORDS = any_word(_CURRENCY_WORD_LIST, capitalised=False)
_CURRENCY_ADJECTIVES = (
    r"(?:(?:US|U\.S\.|Canadian|Australian|Hong\s+Kong|New\s+Zealand|Singapore)\s+)?"
)
_MONEY_RULES = (
    _rule(rf"[{_CURRENCY_SIGNS}]\s?\d"),
    _rule(
        rf"\d{_SCALE}?\s?(?:[{_CURRENCY_SIGNS}¢]|(?:{_CURRENCY_CODES}){NO_LETTER})", None, _DIGIT
    ),
    _rule(rf"{any_word(_CURRENCY_CODES, capitalised=False)}\s?\d", None, _DIGIT),
    _rule(
        # 5 pounds of flour is a weight.
        rf"{_CURRENCY_WORDS}(?!(?<=pound)\s+of\b)(?!(?<=pounds)\s+of\b)",
        rf"(?:(?:\d|{_AMOUNT_WORDS}){_SCALE}?[\s-]*"
        rf"|{any_word('hundreds|thousands|millions|billions|trillions')}\s+of\s+)"
        + _CURRENCY_ADJECTIVES,
        _CURRENCY_WORD_LIST,
    ),
)

_MONTHS = "|".join(MONTHS)
_MONTH_ABBREVIATIONS = "|".join(MONTH_ABBREVIATIONS)
# Months that are also ordinary words or first names ("prices may rise", "the March on
# Washington") count only next to a day or year, or after a time word.
_AMBIGUOUS_MONTHS = "March|April|May|June|August"
_PLAIN_MONTHS = "|".join(m for m in MONTHS if m not in _AMBIGUOUS_MONTHS.split("|"))
_ANY_MONTH = any_word(f"{_MONTHS}|{_MONTH_ABBREVIATIONS}", capitalised=False)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_TIME_WORDS_BEFORE = (
    "in|since|until|till|by|from|through|throughout|during|before|after|of|early|late|mid"
    "|last|next|this|between|around"
)
_NOT_MORE_DIGITS = r"(?![\d,.]?\d|[^\W\d_]|\s?%)"
_WEEKDAYS = "|".join(WEEKDAYS)
_DATE_RULES = (
    _rule(
        any_word(_PLAIN_MONTHS, False),
        None,
        _PLAIN_MONTHS,
    ),
    _rule(
        rf"(?:{any_word(_MONTHS, False)}|{any_word(_MONTH_ABBREVIATIONS, False, False)}"
        rf"(?:\.|{NO_LETTER}))\s+(?:{_DAY}|{_YEAR}){_NOT_MORE_DIGITS}",
        None,
        f"{_MONTHS}|{_MONTH_ABBREVIATIONS}",
    ),
    _rule(
        rf"\d(?<![\d.,]\d)\d?(?:st|nd|rd|th)?\s+(?:of\s+)?{_ANY_MONTH}",
        None,
        f"{_MONTHS}|{_MONTH_ABBREVIATIONS}",
    ),
    _rule(
        any_word(_AMBIGUOUS_MONTHS, False),
        rf"{any_word(_TIME_WORDS_BEFORE)}[\s-]+",
        _AMBIGUOUS_MONTHS,
    ),
    _rule(
        r"(?:19|20)(?<!\w\d\d)\d(?:0s"
        + NO_LETTER
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
        any_word(_WEEKDAYS, False, False) + rf"s?{NO_LETTER}",
        None,
        _WEEKDAYS + "|" + _WEEKDAYS.replace("|", "s|") + "s",
    ),
    _rule(
        rf"(?:19|20)(?<!\w\d\d)\d\d{_NOT_MORE_DIGITS}",
        rf"{any_word(_TIME_WORDS_BEFORE + '|year|spring|summer|autumn|winter|fiscal|FY')}[\s-]+",
        _DIGIT,
    ),
    _rule(r"['’‘](?<![^\W_].)\d0s" + NO_LETTER, None, _DIGIT),
    _rule(rf"[QH](?<![\w][QH])[1-4]\s?{_YEAR}(?!\d)", None, _DIGIT),
    _rule(any_word("yesterday|tomorrow|tonight"), None, "yesterday|tomorrow|tonight"),
    _rule(
        r"(?:week|weekend|month|year|quarter|decade|spring|summer|autumn|winter|morning"
        rf"|afternoon|evening|night)s?{NO_LETTER}",
        rf"{any_word('last|next|this|past|coming|previous')}\s+",
        "last|next|this|past|coming|previous",
    ),
    _rule(
        any_word("day|days|week|weeks|month|months|year|years|decade|decades|centuries", False)
        + rf"\s+ago{NO_LETTER}",
        None,
        "ago",
    ),
)


def figure_hints(text: str) -> tuple[bool, bool, bool, bool]:
    """``(number, percent, money, date)`` for a claim's text, invisible characters removed.

    A percentage, an amount of money or a date is also a number.
    """
    words = _words_of(text)
    percent = _applies(text, words, _PERCENT_RULES)
    money = _applies(text, words, _MONEY_RULES)
    date = _applies(text, words, _DATE_RULES)
    number = percent or money or date or not _NUMBER_WORD_SET.isdisjoint(words)
    if not number and _DIGIT in words:
        for phone in _PHONE_RES:
            text = phone.sub(" ", text)
        number = bool(_NUMBER_RE.search(text))
    return number, percent, money, date
