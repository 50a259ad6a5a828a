"""Unit tests for annotator.text.splitting: one claim per sentence, exact offsets."""

# The hand-checked seed claims are kept one string per line, unwrapped, so that
# they can be compared with the reference split at a glance.
# ruff: noqa: E501

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

import pytest
from annotator_testkit.constants import SEEDS
from annotator_testkit.splitting import assert_valid_spans, claim_table, sentences, texts

from annotator.text.splitting import MAX_CLAIM_CHARS, ClaimSpan, holds_paragraph_break, split_claims

# Our hand-checked split of seeds/000 (the file has no metadata header).
SEED_000_CLAIMS = [
    "Brussels – On Thursday, U.S. Secretary of State Marco Rubio and his NATO counterparts expressed their full backing for Ukraine and President Donald Trump's efforts to end the war, while acknowledging that Russia needs to do more.",
    "This was stated by a senior State Department official to reporters after the first day of the NATO foreign ministers' meeting in Brussels, as reported by the Washington correspondent of the Kyiv Post, currently in Brussels.",
    "«Russia has yet to demonstrate a commitment to ceasefire, and several allies raised this issue», – said the official following a full day of discussions in various formats, including the Ukraine-NATO Council meeting, which Rubio attended for the first time.",
    "Allies also discussed the need to increase defense contributions.",
    "The U.S. emphasized the importance of NATO's collective security and the expansion of the Alliance's defense industry base, the official noted.",
    "In particular, some members of the Alliance pledged to increase defense spending to 5%, but did not specify timelines.",
    "Rubio's first visit to NATO headquarters occurred against the backdrop of deteriorating relations between the U.S. and Europe due to new global tariffs imposed by President Donald Trump.",
    "European allies have also been eagerly awaiting details regarding Washington's plans to reduce its participation in NATO in order to better coordinate the strengthening of European defense to avoid security gaps on the continent.",
    "«The United States remains as active in NATO as ever», – Rubio told reporters, standing beside NATO Secretary General Mark Rutte.",
    "He also condemned the «hysteria and exaggeration» in the media regarding Donald Trump's intentions, despite ongoing signals from Washington indicating that the Alliance in its current form might no longer be relevant.",
    "Rubio added that Trump is «against NATO that lacks the capabilities needed to fulfill the obligations imposed by the treaty on each member country».",
    "In response to a question from the Kyiv Post regarding the U.S. stance on Europe's desire to purchase weapons locally, the State Department official stated: «We emphasize that there should be no restrictions on purchases».",
    "However, some European allies are deeply concerned about Trump's rhetorical attacks and insults directed at allies like Canada and Denmark.",
    "Rubio and Danish Foreign Minister Lars Løkke Rasmussen met in the corridors of the ministerial meeting, where Rubio reaffirmed the strong relations between the two countries, according to the State Department's report on the meeting.",
    "«They discussed common priorities, including increasing NATO defense spending and burden-sharing, as well as countering threats to the Alliance, including from Russia and China.",
    "They also discussed current coordination efforts to strengthen stability and security in Europe and ensure lasting peace in Ukraine», – noted Rubio's spokesperson, Tami Brue.",
    "In response to a question about how the U.S. reconciles its policy differences with European policies regarding support for Ukraine, the State Department official assured that there are no significant discrepancies among allies on this issue, and that support for Ukraine's position is clear.",
    "«Most Alliance members recognize that Ukraine seeks a ceasefire and broader peace», – the official emphasized.",
]


# --- basics -------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", " ", "\n\n\n", "\t \r\n \u2028 \xa0"])
def test_blank_body_has_no_claims(body: str) -> None:
    assert split_claims(body) == []


def test_claim_span_is_immutable() -> None:
    span = split_claims("Prices rose.")[0]
    assert span == ClaimSpan(0, 12, "Prices rose.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 3  # type: ignore[misc]


def test_offsets_point_into_the_body_with_indentation() -> None:
    body = "   \n  Prices rose in May.   Wages fell.  \n\n\tNobody cared. "
    spans = split_claims(body)
    assert_valid_spans(body, spans)
    assert [(s.start, s.end) for s in spans] == [(6, 25), (28, 39), (44, 57)]


def test_repeated_sentences_get_their_own_offsets() -> None:
    # pySBD's own char spans point every repeat at the first occurrence.
    spans = split_claims("Yes. Yes. Yes.")
    assert [(s.start, s.end, s.text) for s in spans] == [
        (0, 4, "Yes."),
        (5, 9, "Yes."),
        (10, 14, "Yes."),
    ]


def test_seed_000_gives_the_hand_checked_claims() -> None:
    body = (SEEDS / "000_5298dac2f517366a.txt").read_text(encoding="utf-8")
    assert texts(body) == SEED_000_CLAIMS
    assert len(SEED_000_CLAIMS) == 18


# --- sentence boundaries ------------------------------------------------------------
# A ``sentences`` case lists the expected claims; its body is them joined by single spaces.


SENTENCE_BOUNDARIES = [
    sentences(
        "titles-and-U.S.",
        "Mr. Smith met Dr. Jones in the U.S. on Monday.",
        "They talked for an hour.",
    ),
    sentences(
        "U.K.-mid-sentence",
        "The U.K. and the U.S. signed the deal in Geneva.",
        "It took effect at once.",
    ),
    sentences(
        "titles-starting-sentences",
        "The vote was 5 to 4.",
        "Sen. Warren voted no.",
        "Gov. Newsom agreed.",
    ),
    sentences(
        "initial", "The memo was signed by George W. Bush in 2003.", "It was published later."
    ),
    sentences(
        "decimals-and-money",
        "Inflation rose to 3.5% in May.",
        "A loaf now costs $4.99 in most shops.",
    ),
    sentences(
        "e-mail", "Write to press.office@example.org for details.", "We answer within a day."
    ),
    sentences(
        "url", "The full text is at https://example.org/news/2025/story.html today.", "It is long."
    ),
    sentences("ellipsis-mid-sentence", "He paused... and then went on.", "Nobody noticed."),
    sentences("double-punctuation", "Can you believe it?!", "The vote passed.", "Really??", "Yes!"),
]


# --- quotations ------------------------------------------------------------------


QUOTATIONS = [
    sentences("guillemets", "«Prices rose.", "Wages fell.", "Nobody cared», the minister said."),
    sentences("curly-with-abbreviations", "“Mr. Smith agreed.", "The U.S. did not,” she said."),
    sentences(
        "straight-quotes", '"The talks failed.', 'We will try again," the envoy said on Friday.'
    ),
    sentences(
        "abbreviation-inside-quote",
        "The envoy said: «Talks with the U.K. resumed.",
        "Progress is slow».",
    ),
    sentences("initial-inside-quote", "“It was John F. Kennedy who said it.", "Nobody else did.”"),
    sentences("question-inside-quote", "«Is it over?", "No.", "It has just begun»"),
    sentences("quote-closing-after-period-stays-whole", 'He looked up, "We won." he whispered.'),
    sentences(
        "lowercase-after-period-stays-whole",
        "The report called it «a mess. a real mess» and moved on.",
    ),
    sentences(
        "digit-after-period-stays-whole",
        "Officials said there were 3.5 million «voters. 20 percent» of them new.",
    ),
]


# --- line breaks --------------------------------------------------------------------


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r", "\n\n", "\u2028", "\v", "\f"])
def test_every_line_break_ends_a_claim(line_break: str) -> None:
    body = f"A heading without a full stop{line_break}The text starts here. It goes on"
    assert texts(body) == [
        "A heading without a full stop",
        "The text starts here.",
        "It goes on",
    ]


def test_open_quotation_does_not_continue_over_a_line_break() -> None:
    body = "«The quote opens here.\nAnd this line. Is separate»"
    assert texts(body) == ["«The quote opens here.", "And this line.", "Is separate»"]


# --- robustness ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Ends with a NUL\x00. Next one.", id="nul"),
        pytest.param("Bell\x07 and escape\x1b[31m. Red text.", id="control-chars"),
        pytest.param("Emoji 🎉 party. 👍🏽 Approved by 👩‍👩‍👧.", id="emoji"),
        pytest.param("\u202eReversed text. \u200fRTL mark. Zero\u200bwidth.", id="bidi"),
        pytest.param("Lone \ud800 surrogate. Another.", id="lone-surrogate"),
        pytest.param("\ufeffBOM at the start. Then text.", id="bom"),
        # Characters pySBD uses internally as placeholders change its output.
        pytest.param("A ∯ sign. A ȸ sign. ♨ ☝ ✪ ☏ &ᓰ& &ᓱ& &⎋& &ᓴ& &$& done.", id="pysbd-markers"),
        pytest.param("?!?! ... . . . !!! «» “” \" '", id="punctuation-only"),
        pytest.param('(((((((((( [[[[ {{{{ «««« """"""" ', id="unbalanced"),
    ],
)
def test_odd_input_gives_valid_spans(body: str) -> None:
    texts(body)


def test_random_text_always_gives_valid_spans() -> None:
    pieces = [
        *"aAbZ .!?,;:\"'«»“”‘’()\t\n\r\x00\x0b\x85\u2028\u200b\u202e€$1.-–…∯ȸ♨&ᓰ⎋",
        "Mr. ", "U.S. ", "e.g. ", "No. 5", "J. ", "a@b.com", "http://x.y/z.html", " ... ",
        "&ᓰ&", "&⎋&", "\r\n", "The ", "said ",
    ]  # fmt: skip
    rng = random.Random(20250403)
    for _ in range(1500):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        texts(body)


# --- long and pathological bodies ---------------------------------------------------------
# Only validity is asserted; these used to take minutes with a quadratic
# approach (pySBD alone needs ~25 s for one 200 KB paragraph).


def _many_lines() -> str:
    line = "The minister said prices rose by 3.5% in May. Critics, e.g. Mr. Li, disagreed."
    return "\n".join(f"{i} {line}" for i in range(10_000))  # ~0.9 MB, 10k lines


def _long_paragraph() -> str:
    sentence = "In the U.S. «Talks failed. Nobody cares», said Dr. Smith on Jan. 5th. "
    return sentence * 2_700  # ~200 KB on one line


# name: (body factory, expected number of claims or None when any is fine)
PATHOLOGICAL = {
    "10k-lines": (_many_lines, 20_000),
    "long-paragraph": (_long_paragraph, 2_700 * 2),
    "no-punctuation": (lambda: "word " * 40_000, None),
    "no-whitespace": (lambda: "x" * 200_000, None),
    "tiny-sentences": (lambda: "a. " * 50_000, 50_000),
    "dots": (lambda: "." * 100_000, None),
    "spaces": (lambda: "a" + " " * 200_000 + "b.", None),
    "endless-quote": (lambda: "«" + "Stop. " * 30_000, 30_000),
}


@pytest.mark.parametrize(("make_body", "count"), PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_bodies_finish_with_valid_spans(
    make_body: Callable[[], str], count: int | None
) -> None:
    body = make_body()
    spans = split_claims(body)
    assert_valid_spans(body, spans)
    assert len(spans) == count if count is not None else spans


# --- pieces that cannot start a sentence ---------------------------------------------------


JOINED_PIECES = [
    sentences(
        "comma-after-abbreviation",
        "Dr. Jane Doe, of No. 10 Downing St., spoke at 3 p.m.",
        "The vote is on Tuesday.",
    ),
    sentences(
        "amount-after-abbreviation",
        "The bill would cost approx. $3 trillion over 10 yrs.",
        "Critics disagreed.",
    ),
    sentences("lowercase-list-markers-stay-apart", "a. The first item", "b. The second item"),
    sentences(
        "lowercase-brand-after-a-sentence-end",
        "Apple reported results on Monday.",
        "iPhone sales rose 5%.",
        "eBay fell.",
    ),
    sentences("lowercase-name-after-a-sentence-end", "He spoke.", "de Blasio replied later."),
    sentences("amount-after-a-real-sentence-end", "She has $100.00.", "$50 of it is mine."),
]


@claim_table(SENTENCE_BOUNDARIES, QUOTATIONS, JOINED_PIECES)
def test_split_gives_the_expected_claims(body: str, expected: list[str]) -> None:
    assert texts(body) == expected


@pytest.mark.parametrize("head", ["", "Why? "], ids=["plain", "through-pysbd"])
def test_joining_never_undoes_the_cut_of_an_overlong_sentence(head: str) -> None:
    body = head + "word " * 5000
    spans = split_claims(body)
    assert_valid_spans(body, spans)
    assert len(spans) > 2 and max(len(s.text) for s in spans) <= MAX_CLAIM_CHARS


@pytest.mark.parametrize(
    ("gap", "blank_line"),
    [
        (" ", False),
        ("\n", False),
        ("\r\n", False),
        (" \n  ", False),
        ("\n\n", True),
        ("\r\n\r\n", True),
        ("\n \n", True),
        ("\u2029\u2029", True),
        ("\r\r", True),
    ],
)
def test_a_paragraph_break_is_a_blank_line_whatever_the_line_ends(gap, blank_line):
    """What a merge may not cross: the same line breaks the splitter cuts at."""
    assert holds_paragraph_break(gap) is blank_line
