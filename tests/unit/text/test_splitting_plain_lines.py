"""The quick lane for lines of plain prose (``annotator.text.splitting.plain_lines``)
changes no claim: with it and without it every body splits the same way.

Each body is split twice, once as ``split_claims`` does it and once with the lane
switched off (every line through the fast and slow paths), and the claims must match,
offsets included.  The bodies are news paragraphs written for these tests and
deterministic soups of the tokens where the rules differ (titles, initials, dotted
abbreviations, times, list markers, quotation marks, brackets, ellipses).
"""

from __future__ import annotations

import random

import pytest

import annotator.text.splitting as splitting
from annotator.text.splitting import MAX_CLAIM_CHARS, split_claims
from annotator.text.splitting.plain_lines import plain_line_ranges

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
    with monkeypatch.context() as patch:
        patch.setattr(splitting, "plain_line_ranges", lambda line: None)
        return [(claim.start, claim.end) for claim in split_claims(body)]


def claims(body: str) -> list[tuple[int, int]]:
    return [(claim.start, claim.end) for claim in split_claims(body)]


def test_news_paragraphs_split_the_same_with_and_without_the_lane(monkeypatch) -> None:
    rng = random.Random(14)
    body = "\n\n".join(
        " ".join(rng.choice(PARAGRAPHS) for _ in range(rng.randint(1, 5))) for _ in range(200)
    )
    assert claims(body) == claims_without_lane(body, monkeypatch)


def test_the_lane_takes_plain_news_lines() -> None:
    """The lane is really used (or the test above would prove nothing about it)."""
    taken = [paragraph for paragraph in PARAGRAPHS if plain_line_ranges(paragraph) is not None]
    assert len(taken) >= len(PARAGRAPHS) - 2


@pytest.mark.parametrize("seed", range(4))
def test_token_soups_split_the_same_with_and_without_the_lane(seed: int, monkeypatch) -> None:
    rng = random.Random(seed)
    lines = [
        rng.choice(("", " ")).join(rng.choice(TOKENS) + " " for _ in range(rng.randint(1, 25)))
        for _ in range(400)
    ]
    body = "\n".join(lines)
    assert claims(body) == claims_without_lane(body, monkeypatch)
    assert any(plain_line_ranges(line) is not None for line in lines)


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
    assert claims(line) == claims_without_lane(line, monkeypatch)
