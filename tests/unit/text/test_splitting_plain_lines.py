"""The quick lane for lines of plain prose (``annotator.text.splitting.plain_lines``)
changes no claim: with it and without it every body splits the same way.

Each body is split twice, once as ``split_claims`` does it and once with the lane
switched off (every line through the fast and slow paths), and the claims must match,
offsets included.  The bodies are news paragraphs written for these tests and
deterministic soups of the tokens where the rules differ (titles, initials, dotted
abbreviations, times, list markers, quotation marks, brackets, ellipses).  The lane's
own quick lane (``sure_lines``, whole sentences by regular expression) is checked the
same way: switched off, the claims must not change.
"""

from __future__ import annotations

import random

import pytest
from annotator_testkit.splitting import offsets, offsets_without, random_paragraphs, token_soup

import annotator.text.splitting as splitting
import annotator.text.splitting.plain_lines as plain_lines
from annotator.text.splitting import MAX_CLAIM_CHARS
from annotator.text.splitting.offsets import NO_SPANS
from annotator.text.splitting.plain_lines import plain_line_ranges
from annotator.text.splitting.quotations import (
    line_spans,
    outermost_quotations,
    quotations_mark_by_mark,
)
from annotator.text.splitting.sure_lines import sure_line_ranges

PARAGRAPHS = [
    "Mr. Alvarez said on Monday that inflation rose by 3.5% in Jan. last year. Prices fell.",
    "The U.S. Treasury and the U.K. Treasury disagreed. Donald J. Trump met Gen. Haddad.",
    "Polls close at 8 p.m. Friday. The count starts at 9 a.m. on Saturday.",
    "Acme Inc. reported a loss of $1.2 billion. The shares fell 4.5% to $31.20 in May.",
    "The vote at No. 10 is set for Oct. 3. Critics, e.g. Ms. Duarte, say it is late.",
    "He said the figure was 27.0%... and then corrected himself. Nobody asked why.",
    "Details are at https://example.org/a/b.html and press@example.org. Write to us.",
    "“We are ready,” Sen. Whitfield told reporters. «Taxes will fall. Spending will not».",
    'He called it "a mess. a real mess" and left. The report (published Sept. 30) is out.',
    "Is the ceasefire holding? Officials think so! The talks resume on March 3. Good.",
    "The talks moved to the U.S. They failed. It came from the E.U. Officials said so.",
    "I thank you for the trust placed in me. I intend to honour it. Yes, I am.",
    "Growth was 2.5% in 2023. It was 3,400 units. The 21st. meeting was short.",
]

TOKENS = (
    "The", "the", "He", "I", "In", "it", "rose", "fell", "Mr.", "Dr.", "Gen.", "U.S.", "J.",
    "a.m.", "p.m.", "No.", "no.", "Jan.", "Oct.", "May.", "e.g.", "Inc.", "approx.", "bn.",
    "in.", "me.", "3.5%", "2024.", "5.", "(see 5)", "2)", "(a.", "“It", "rose.”", '"We',
    'won."', "it's", "work.'", "«Oui»", "said.", "word!", "word?", "Ltd.,", "example.org.",
    "St.", "Sept.", "30.", "3,000.", "Officials", "They", "A", "a", "x" * 70 + ".", "...",
    "…", "..", "[...]", ":)", "-", "•", "\t", "and", "Tuesday.", "etc.", "Corp.",
)  # fmt: skip


def claims_without_lane(body: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The claims of ``body`` with every line split the ordinary way."""
    return offsets_without(monkeypatch, splitting, "plain_line_ranges", body)


def test_news_paragraphs_split_the_same_with_and_without_the_lane(monkeypatch) -> None:
    body = "\n\n".join(random_paragraphs(14, PARAGRAPHS, count=200, most=5))
    assert offsets(body) == claims_without_lane(body, monkeypatch)


def test_the_lane_takes_plain_news_lines() -> None:
    """The lane is really used (or the test above would prove nothing about it)."""
    taken = [paragraph for paragraph in PARAGRAPHS if plain_line_ranges(paragraph) is not None]
    assert len(taken) >= len(PARAGRAPHS) - 2


@pytest.mark.parametrize("seed", range(4))
def test_token_soups_split_the_same_with_and_without_the_lane(seed: int, monkeypatch) -> None:
    lines = token_soup(seed, TOKENS, count=400, most=25)
    body = "\n".join(lines)
    assert offsets(body) == claims_without_lane(body, monkeypatch)
    assert any(plain_line_ranges(line) is not None for line in lines)


BULLETS = ("- ", "• ", "* ", "– ", "1. ", "2) ", "Q: ", "")


@pytest.mark.parametrize("seed", range(3))
def test_bulleted_lines_split_the_same_with_and_without_the_lane(seed: int, monkeypatch) -> None:
    """A list item is offered to the lane without its bullet: the claims must be those the
    ordinary way gives the whole line, bullet and all."""
    rng = random.Random(seed)
    items = (token_soup(200 + seed, TOKENS, count=150, most=12)
             + random_paragraphs(300 + seed, PARAGRAPHS, count=150, most=2))
    body = "\n".join(rng.choice(BULLETS) + item for item in items)
    assert offsets(body) == claims_without_lane(body, monkeypatch)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("- The first item. The second sentence.", id="bullet"),
        pytest.param("It was fine with your work.' She smiled.", id="straight-single-closer"),
        pytest.param("You can 1) pay the fine, or 2) appeal.", id="list-marker"),
        pytest.param("It rose 5 p.m.. The end.", id="two-periods"),
        pytest.param("Is it? yes it is.", id="question-before-lowercase"),
        pytest.param("word " * (MAX_CLAIM_CHARS // 4) + "end.", id="longer-than-a-claim"),
    ],
)
def test_the_lane_leaves_what_it_cannot_judge(line: str, monkeypatch) -> None:
    assert plain_line_ranges(line) is None
    assert offsets(line) == claims_without_lane(line, monkeypatch)


# --- the lane's own quick lane: whole sentences by regular expression (sure_lines) -------

# Tokens where the sentence kinds of sure_lines border on others: e-mail addresses, days
# after months, ellipses, dotted abbreviations and times before each kind of word, and
# embedded quotations whose inner periods are hidden.
SURE_TOKENS = (
    *TOKENS, "press@example.org.", "a@b.co.", "x" * 25 + "@example.org.", "March", "May",
    "3.", "23.", "123.", "2024.", "12.5%.", "27.0%...", "27.0%....", "U.N.", "e.g.",
    "A.M.", "p.m.", "Friday", "EST", "Inc.", "No.", "pp.", "art.", "I.", "V.", "K.",
    "A.B.C.D.E.F.G.", "“a", "step.", "mess.”", "mess”", "and", "left.", "said,", "«We",
    "won.»", "5)", "(see", "it.)", "Jan.\u00a05.", "x\tRose.", "The", "A", "Millions",
)  # fmt: skip


def claims_without_sure_lines(body: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The claims of ``body`` with the sentence regular expressions switched off."""
    return offsets_without(monkeypatch, plain_lines, "sure_line_ranges", body)


def test_news_paragraphs_split_the_same_with_and_without_sure_lines(monkeypatch) -> None:
    body = "\n\n".join(random_paragraphs(41, PARAGRAPHS, count=200, most=5))
    assert offsets(body) == claims_without_sure_lines(body, monkeypatch)


@pytest.mark.parametrize("seed", range(6))
def test_token_soups_split_the_same_with_and_without_sure_lines(seed: int, monkeypatch) -> None:
    body = "\n".join(token_soup(100 + seed, SURE_TOKENS, count=500, most=30, gaps=" \t "))
    assert offsets(body) == claims_without_sure_lines(body, monkeypatch)


def test_sure_lines_take_plain_news_and_hide_embedded_quotations() -> None:
    """The regular expressions are really used (or the tests above prove nothing)."""
    taken = [line for line in PARAGRAPHS if sure_line_ranges(line, NO_SPANS) is not None]
    assert len(taken) >= len(PARAGRAPHS) // 2
    line = "He called it “a step. a modest one” and left. Officials agreed."
    assert sure_line_ranges(line, NO_SPANS) is None  # "step. a" is judged by no rule
    hidden = sure_line_ranges(line, line_spans(line, 0).embedded)  # embedded: hidden
    assert (
        hidden
        == plain_line_ranges(line)
        == [(0, line.index(" Off")), (line.index("Off"), len(line))]
    )


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("It rose. he said so.", id="lowercase-after-a-word"),
        pytest.param("He paid 5. Then he left.", id="short-number-before-a-capital"),
        pytest.param("It came from the U.S. They left.", id="dotted-before-a-starter"),
        pytest.param("It came from x\tRose. They left.", id="tab-before-the-word"),
        pytest.param("At 5 p.m. The end.", id="time-before-a-capital"),
    ],
)
def test_sure_lines_leave_what_they_cannot_judge(line: str, monkeypatch) -> None:
    assert sure_line_ranges(line, NO_SPANS) is None
    assert offsets(line) == claims_without_sure_lines(line, monkeypatch)


# --- the quotations of a line found by one regular expression (quotations.py) ----------


@pytest.mark.parametrize("seed", range(3))
def test_quotations_by_regular_expression_match_the_mark_by_mark_rule(seed: int) -> None:
    """Lines without "‘" find their outermost quotations with one regular expression;
    on soups of every mark (closing marks first, nested and unclosed quotations,
    apostrophes) it finds what the mark-by-mark rule finds, from any starting point."""
    rng = random.Random(500 + seed)
    atoms = [*"«»‹›“”„\"’' .a", "He said", "don’t", "Up."]
    for _ in range(3000):
        line = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 25)))
        begin = rng.randint(0, len(line))
        assert outermost_quotations(line, begin) == quotations_mark_by_mark(line, begin), line

