"""Unit tests for annotator.text.splitting on news text: what a fact-checking desk meets daily.

Every sentence here is written for these tests.  Each case names the rule it checks;
the expected claims are what a fact-checker wants to judge, one at a time.  A case made
with ``sentences`` lists only the expected claims: its body is them joined by single spaces.
"""

from __future__ import annotations

import pytest
from annotator_testkit.splitting import (
    claim_table,
    random_paragraphs,
    rows,
    sentences,
    texts,
    through_pysbd_alone,
)

from annotator.text.splitting import MAX_CLAIM_CHARS, split_claims

# --- quotations ---------------------------------------------------------------------

QUOTATIONS = [
    sentences(
        "guillemets-with-dash-attribution",
        "«The port will reopen in spring», – said the harbour master on Monday.",
    ),
    sentences(
        "curly-with-attribution",
        "“We have enough grain for the winter,” Ruiz said.",
        "Prices fell.",
    ),
    sentences(
        "straight-with-attribution",
        '"The figures are final," the statistics office said.',
        "They were not.",
    ),
    sentences(
        "single-curly-with-attribution",
        "‘Nobody told us about the fee,’ a parent said.",
        "The school disagreed.",
    ),
    sentences(
        "german-quotes", "„Die Brücke bleibt gesperrt“, sagte der Bürgermeister.", "Sie ist alt."
    ),
    sentences("single-guillemets", "‹Le pont restera fermé›, a déclaré le maire.", "Il est vieux."),
    sentences(
        "several-sentences-guillemets",
        "«Exports doubled.",
        "Imports halved.",
        "Nobody expected it», – the minister said.",
    ),
    sentences(
        "several-sentences-curly",
        "“The dam is safe.",
        "The inspection found no cracks,” the engineer told reporters.",
    ),
    sentences(
        "several-sentences-straight", '"Turnout was low.', 'Young voters stayed home," Okoro said.'
    ),
    sentences(
        "several-sentences-after-colon",
        "The governor said: “We will rebuild.",
        "The money is there.",
        "Work starts in May.”",
    ),
    sentences(
        "several-sentences-german", "„Wir bauen neu.", "Das Geld ist da“, sagte die Ministerin."
    ),
    sentences(
        "question-inside-quote-then-attribution",
        "“Who pays for the repairs?” asked a resident.",
        "The council did not answer.",
    ),
    sentences(
        "exclamation-inside-quote-then-attribution",
        '"Close the gates!" the officer shouted.',
        "The crowd left.",
    ),
    sentences(
        "interrobang-inside-guillemets",
        "«Who approved this?!» the headline asked.",
        "Nobody replied.",
    ),
    sentences("two-quotes-two-claims", "“Rents will fall,” the mayor said.", "“Wages will not.”"),
]


# A quotation embedded in the grammar of its sentence is one statement with its verb
# and what follows; its inner sentences are not claims of their own.
EMBEDDED = [
    sentences("the-known-case", "He said “the plan is dead. We move on” and left."),
    sentences(
        "opens-lowercase-guillemets",
        "The auditor called the accounts «a mess. a complete mess» in her report.",
    ),
    sentences(
        "opens-uppercase-but-continues-lowercase",
        "The coach said “We lost. We learn” and walked to the bus.",
        "Fans stayed.",
    ),
    sentences("single-quotes", "She said ‘the offer is final. We wait’ before the vote."),
]


# --- abbreviations, titles, initials, numbers -------------------------------------------

ABBREVIATIONS = [
    sentences("countries", "U.S. and U.K. officials met in Geneva.", "The E.U. sent an observer."),
    sentences(
        "u.s.-before-a-sentence-starter",
        "The aid came from the U.S.",
        "How it will be spent is unclear.",
    ),
    sentences(
        "titles", "Gen. Ortiz briefed Sen. Hale and Rep. Ng.", "Dr. Imre and Mr. Ba took notes."
    ),
    sentences(
        "more-titles", "Prof. Lund told Gov. Reyes that St. Paul had flooded.", "Mrs. Reyes agreed."
    ),
    sentences(
        "initials", "The order was signed by Donald J. Trump and Kamala D. Harris.", "Both spoke."
    ),
    sentences(
        "number-sign", "The bill, No. 4412, passed.", "It was the No. 1 priority of the year."
    ),
    sentences("no.-10", "The plan reached No. 10 Downing Street on Friday.", "It was rejected."),
    sentences(
        "months",
        "The law passed on Jan. 12 and took effect on Sept. 1.",
        "It expires in Oct. 2030.",
    ),
    sentences(
        "company-at-sentence-end",
        "The contract went to Halvorsen Inc.",
        "The losing bid came from Tarn Ltd.",
    ),
    sentences(
        "company-mid-sentence", "Kestrel Corp. and Halvorsen Inc. merged in 2021, creating a giant."
    ),
    sentences(
        "etc-at-sentence-end",
        "The fund covers roads, bridges, tunnels etc.",
        "The rest goes to rail.",
    ),
    sentences(
        "vs-and-avenue",
        "The case Dorn vs. Ohio was heard on Fifth Ave. in March.",
        "It lasted a week.",
    ),
    sentences(
        "e.g.-and-i.e.",
        "Some costs, e.g. fuel, rose; others, i.e. rent, fell.",
        "Wages stayed flat.",
    ),
    sentences(
        "title-after-an-opening-quote",
        "“Dr. Reyes signed it.",
        "The board did not,” the clerk said.",
    ),
    sentences(
        "days-ending-sentences-are-no-list",
        "Prices rose on Dec. 7.",
        "Wages fell on Dec. 8.",
        "Rents held on March 9.",
    ),
    sentences("ordinals", "Turnout came 2nd.", "The city ranked 43rd in the survey."),
]


TIMES_AND_NUMBERS = [
    sentences(
        "time-mid-sentence",
        "The polls open at 7:30 a.m. in most districts.",
        "Queues formed early.",
    ),
    sentences(
        "time-ends-a-sentence", "The hearing starts at 10:30 a.m.", "Reporters must register first."
    ),
    sentences(
        "time-then-weekday", "Nominations close at 5 p.m. Friday.", "The list is published Monday."
    ),
    sentences(
        "time-then-time-zone", "The launch is at 6 a.m. GMT on Tuesday.", "It was delayed twice."
    ),
    sentences(
        "time-opening-a-sentence",
        "At 6 a.m. Ms. Ito left the station.",
        "She returned at 8 P.M.",
        "Ms. Ito then filed.",
    ),
    sentences(
        "decimals-percent-money",
        "Growth slowed to 2.5% while debt hit $1.2 bn and €3.75 million.",
        "Rates held.",
    ),
    sentences("money-ends-a-sentence", "The fine was $4.50.", "Nobody paid it."),
    sentences("thousands", "The strike involved 12,500 workers.", "Another 1,000 joined later."),
]


PUNCTUATION = [
    sentences(
        "ellipsis-mid-sentence",
        "The minister paused... then denied everything.",
        "Nobody believed him.",
    ),
    sentences(
        "ellipsis-ends-a-sentence", "The count went on and on....", "Finally the result came."
    ),
    sentences("unicode-ellipsis", "The numbers… they did not add up.", "Auditors were called in…"),
    sentences("question-exclamation", "Was the vote rigged?!", "No.", "The audit found nothing!"),
    sentences(
        "url", "The data is at https://stats.example.org/2024/table.csv?year=2024.", "It is free."
    ),
    sentences(
        "e-mail", "Send corrections to desk.editor@example.co.uk before noon.", "We reply fast."
    ),
    sentences(
        "parentheses-with-a-sentence-inside",
        "The mayor (she was re-elected in May. Twice, in fact.) opened the bridge.",
    ),
    sentences(
        "parenthesised-sentence",
        "The mine closed.",
        "(It had run at a loss.)",
        "Workers protested.",
    ),
    sentences(
        "day-closing-a-parenthesis-is-no-list-item",
        "The survey (run on April 5) and the poll (run on Feb. 6) differ... a lot.",
        "Why?",
    ),
    sentences("brackets", "The statement [translated by us] was short.", "It named no one."),
    sentences(
        "emoji", "Fans celebrated 🎉.", "The club won the cup 🏆!", "Next season starts in August."
    ),
]


# --- layout: lines, paragraphs, lists, news furniture ------------------------------------------

LAYOUT = rows(
    (
        "headline-byline-dateline",
        "Storm closes ports along the coast\nBy Amara Osei\n\n"
        "LISBON (Reuters) - Three ports closed on Monday. Ferries stayed in harbour.",
        [
            "Storm closes ports along the coast",
            "By Amara Osei",
            "LISBON (Reuters) - Three ports closed on Monday.",
            "Ferries stayed in harbour.",
        ],
    ),
    (
        "dateline-with-en-dash",
        "Kyiv – The council met on Friday. It voted twice.",
        ["Kyiv – The council met on Friday.", "It voted twice."],
    ),
    (
        "paragraph-break-ends-a-claim",
        "The talks went on past midnight and\n\nnobody left the room.",
        ["The talks went on past midnight and", "nobody left the room."],
    ),
    (
        "open-quotation-ends-with-its-paragraph",
        "«The first paragraph of a long quote.\n\n«The second paragraph closes it.»",
        ["«The first paragraph of a long quote.", "«The second paragraph closes it.»"],
    ),
    (
        "question-and-answer",
        "Q: Did the ministry know?\nA: Yes. It was told in March.",
        ["Q: Did the ministry know?", "A: Yes.", "It was told in March."],
    ),
    (
        "numbered-lists-keep-their-numbers",
        "1. Taxes rise.\n2) Pensions fall\n3. The deficit shrinks",
        ["1. Taxes rise.", "2) Pensions fall", "3. The deficit shrinks"],
    ),
    (
        "bullets-are-not-claim-text",
        "Key points:\n- Taxes rise by 2%\n• Pensions fall.\n* The deficit shrinks\n– Debt grows",
        ["Key points:", "Taxes rise by 2%", "Pensions fall.", "The deficit shrinks", "Debt grows"],
    ),
    (
        "bullet-item-with-two-sentences",
        "• Exports fell. Imports rose.",
        ["Exports fell.", "Imports rose."],
    ),
    (
        "indented-bullet",
        "   - The mayor resigned",
        ["The mayor resigned"],
    ),
    (
        "run-in-bullets-keep-their-bullets",
        "• Exports fell • Imports rose",
        ["• Exports fell", "• Imports rose"],
    ),
    (
        "run-in-numbered-bullets",
        "• 3. Exports fell • 4. Imports rose",
        ["• 3. Exports fell", "• 4. Imports rose"],
    ),
    (
        "negative-number-is-no-bullet",
        "-3% was the worst month since 2009.",
        ["-3% was the worst month since 2009."],
    ),
    (
        "crlf-tabs-and-no-break-spaces",
        "Rates held.\r\nBanks\tagreed.\xa0Savers\xa0did not.\r\n",
        ["Rates held.", "Banks\tagreed.", "Savers\xa0did not."],
    ),
)


@claim_table(QUOTATIONS, EMBEDDED, ABBREVIATIONS, TIMES_AND_NUMBERS, PUNCTUATION, LAYOUT)
def test_news_text_gives_the_expected_claims(body: str, expected: list[str]) -> None:
    assert texts(body) == expected


def test_a_bullet_is_left_out_of_the_span() -> None:
    body = "Summary\n- Turnout was 61%"
    span = split_claims(body)[1]
    assert (span.start, span.end, span.text) == (10, 25, "Turnout was 61%")


# --- long sentences -------------------------------------------------------------------------


def long_sentence(words: int, extra: str = "") -> str:
    """A single grammatical sentence of ``words`` clauses, ending with one period."""
    clause = "and the council noted that the budget for road repairs had grown again"
    body = f"The report{extra} said that " + ", ".join([clause] * words) + "."
    return body


@pytest.mark.parametrize("extra", ["", " by Dr. Lee of the U.S. Treasury"], ids=["plain", "abbr"])
def test_a_five_thousand_character_sentence_stays_one_claim(extra: str) -> None:
    sentence = long_sentence(75, extra)
    assert 5000 <= len(sentence) <= MAX_CLAIM_CHARS
    body = f"Costs rose. {sentence} Nobody objected."
    assert texts(body) == ["Costs rose.", sentence, "Nobody objected."]


@pytest.mark.parametrize("extra", ["", " by Dr. Lee of the U.S. Treasury"], ids=["plain", "abbr"])
def test_only_a_run_longer_than_the_limit_is_cut(extra: str) -> None:
    sentence = long_sentence(300, extra)
    claims = texts(sentence)
    assert len(claims) >= len(sentence) // MAX_CLAIM_CHARS
    assert max(len(claim) for claim in claims) <= MAX_CLAIM_CHARS
    assert "".join(claims).replace(" ", "") == sentence.replace(" ", "")


# --- the fast path gives what pySBD and our rules give ------------------------------------------

SENTENCES = [
    "Mr. Alvarez said on Monday that inflation rose by 3.5% in Jan. last year.",
    "The U.S. Treasury and the U.K. Treasury disagreed.",
    "Donald J. Trump met Gen. Haddad at 10:30 a.m. in the capital.",
    "«Taxes will fall. Spending will not», – the minister said.",
    "“We are ready,” Sen. Whitfield told reporters.",
    '"Nobody can say the deficit is solved," Dr. Okafor said.',
    "Acme Inc. reported a loss of $1.2 billion.",
    "Is the ceasefire holding? Officials think so.",
    "The report (published Sept. 30) covers 18 countries.",
    "Details are at https://example.org/a/b.html and press@example.org.",
    "Critics, e.g. Ms. Duarte, say the plan failed.",
    "Polls close at 8 p.m. Friday.",
    "He paused... and went on.",
    "The vote at No. 10 is set for Oct. 3.",
    "Growth was 2.5% in 2023.",
    "Sales rose at Borealis Corp. The shares fell.",
    "It came from the U.S. How it got there is unclear.",
]


def test_the_fast_path_agrees_with_pysbd_and_our_rules(monkeypatch) -> None:
    paragraphs = random_paragraphs(1123, SENTENCES, count=300, most=6)
    fast = [texts(paragraph) for paragraph in paragraphs]
    # Without certain boundaries and plain stretches every line goes through pySBD.
    through_pysbd_alone(monkeypatch)
    reference = [texts(paragraph) for paragraph in paragraphs]
    assert fast == reference
    assert sum(len(claims) for claims in fast) > 600
