"""The kinds of error found on real news (issue 14), each with near misses that must not
change.  The sentences are our own."""

from __future__ import annotations

import re

from annotator_testkit.splitting import claim_table, sentences, texts, through_pysbd_alone

CASES = [
    # 1. A dotted abbreviation before a pronoun or a determiner ends the sentence ...
    sentences(
        "initialism-then-the",
        "The team arrived in Washington D.C.",
        "The visas had been refused twice.",
    ),
    sentences("initialism-then-they", "The aid came from the U.K.", "They sent more later."),
    sentences("initialism-then-it", "The order was filed in the U.S.", "It was refused."),
    # ... but not before a name or a noun that may belong to it.
    sentences("initialism-then-name", "The U.S. Army left the base on Monday."),
    sentences("initialism-then-noun", "Aid came from the U.S. Officials said it was late."),
    sentences("initialism-mid-sentence", "The D.C. police said the road was closed."),
    # 2. A short abbreviation before a lowercase word goes on with the sentence.
    sentences("bn-before-lowercase", "The fund lost $1.2 bn. in 2024, said Gen. John K. Harlow."),
    sentences("approx-before-lowercase", "It weighs approx. two tons, the firm said."),
    sentences("short-word-before-capital", "The fund lost $1.2 bn.", "In 2025 it gained."),
    sentences("not-all-lowercase", "Sales fell at the shop.", "iPhone sales rose."),
    # 8. A common word that pySBD lists as an abbreviation ends the sentence before "I".
    sentences("me-then-i", "I thank you for the trust placed in me.", "I intend to honour it."),
    sentences("in-then-i", "Nobody let us in.", "I knocked twice."),
    sentences("am-then-i", "That is who I am.", "I will not change."),
    sentences("title-then-i-stays", "He met Gen. I. Petrov on Monday."),
    # 1, at the start of a sentence: "U.S." there opens it, before any capitalised word.
    sentences("initialism-opens-line", "U.S. Officials said on Monday that the talks had failed."),
    sentences("initialism-opens-headline", "U.S. Officials Say Talks Failed"),
    sentences(
        "initialism-opens-second-sentence",
        "Talks failed.",
        "U.S. Officials said on Monday that the deal was off.",
    ),
    sentences("initialism-opens-before-pronoun", "U.S. They said no to the plan."),
    # 3. A quotation resumed after its attribution is cut like any quotation ...
    sentences(
        "resumed-quotation-two-sentences",
        '"The harbour is safe," the engineer said, "and the dam will hold.',
        'We checked it twice."',
    ),
    sentences(
        "resumed-quotation-curly-three-sentences",
        "“Prices rose,” Ruiz told the council, “but wages did not.",
        "Families are worse off.",
        "We must act.”",
    ),
    sentences(
        "resumed-quotation-issue-example",
        '"We wanted to show," the captain told the press, "that a small club can win.',
        'We did it."',
    ),
    # ... but one sentence stays one claim, and a quotation in the grammar stays whole.
    sentences("resumed-quotation-one-sentence", '"We lost," the coach said, "but not by much."'),
    sentences(
        "embedded-quotation-stays-whole",
        'He called the deal "a bargain, for now. It may not last" and walked out.',
    ),
    sentences(
        "quotation-after-full-stop-attribution",
        '"We lost," the coach said.',
        '"But not by much.',
        'Next week we win."',
    ),
    # 4. A quotation that ends with a quoted word ends its sentence ...
    sentences(
        "nested-single-straight",
        "She called the levy \"a tax on 'the poor'.\"",
        "The phrase spread.",
    ),
    sentences(
        "nested-single-curly", "He said it was “a matter for ‘the courts’.”", "The judge disagreed."
    ),
    sentences(
        "nested-issue-example",
        "He called it \"a gap between the lab and 'the public'.\"",
        "The name stuck.",
    ),
    sentences(
        "nested-in-quoted-sentences",
        'He said: "It is a gap.',
        "It is between the lab and 'the public'.\"",
        "The name stuck.",
    ),
    # ... but not before a lowercase word.
    sentences("nested-then-lowercase", "She called it \"a 'temporary' fix.\" it was not."),
    sentences("nested-then-and", "He called it \"the 'plan'.\" and left."),
    # 5. A bracketed ellipsis before a capital ends a sentence, as "..." does ...
    sentences(
        "bracketed-ellipsis-in-quotation",
        '"Turnout would fall [...]',
        'Young voters stayed home," the report said.',
    ),
    sentences("bracketed-ellipsis-curly", "“Costs grew [...]", "The board knew it,” she wrote."),
    sentences(
        "bracketed-ellipsis-issue-example",
        '"Yields would rise [...]',
        'Ozone is well understood," she said.',
    ),
    sentences(
        "bracketed-ellipsis-outside-quotation",
        "The vote was delayed [...]",
        "The council did not say why.",
    ),
    sentences("parenthesised-ellipsis", "The report (…)", "Nobody read it."),
    # ... but not before a lowercase word, nor after a word that never ends a sentence
    # (an article, a conjunction, a preposition): the omission is inside the sentence.
    sentences(
        "bracketed-ellipsis-then-lowercase", '"Talks with [...] ministers stalled," he said.'
    ),
    sentences("bracketed-ellipsis-after-with", "Talks with [...] Germany failed."),
    sentences(
        "bracketed-ellipsis-after-between", "The deal between [...] France and Spain collapsed."
    ),
    sentences("bracketed-ellipsis-after-the", "He blamed the [...] Ministry for the delay."),
    sentences("parenthesised-ellipsis-after-and", "Rome and (…) Paris signed the accord."),
    sentences(
        "bracketed-ellipsis-after-of-in-quotation",
        '"The future of [...] Europe is at stake," she said.',
    ),
    # Near misses: a word that only starts like one of them still ends the sentence.
    sentences(
        "bracketed-ellipsis-after-withdrawn", "The bid was withdrawn [...]", "Germany objected."
    ),
    sentences("bracketed-ellipsis-after-verb", "The talks failed [...]", "Germany left the table."),
    # 6. An inline enumeration of lowercase items stays one sentence ...
    sentences("inline-enumeration", "You can 1) pay the fine, or 2) appeal the ruling."),
    sentences(
        "inline-enumeration-letters", "The board may a) raise fees, b) cut staff, or c) do both."
    ),
    sentences("inline-enumeration-after-colon", "The steps are: 1) file the form, 2) pay the fee."),
    sentences(
        "inline-enumeration-issue-example", "You either 1) cut the budget, or 2) raise the tax."
    ),
    # ... and so does one whose items start with a capital, after a comma, a colon or a
    # word that never ends a sentence ("either", "or") ...
    sentences(
        "inline-enumeration-capitalised", "You either 1) Cut the budget, or 2) Raise the tax."
    ),
    sentences(
        "inline-enumeration-capitalised-after-colon",
        "The steps are: 1) File the form, 2) Pay the fee.",
    ),
    sentences(
        "inline-enumeration-capitalised-letters",
        "Voters can either a) Accept the deal, or b) Reject it.",
    ),
    # ... but a sentence end before it, or capitalised items after any other word, still cut.
    sentences(
        "enumeration-after-sentence",
        "Officials did three things.",
        "1) cut the budget, 2) froze hiring.",
    ),
    sentences("list-items-capitalised", "1) Pay the fine", "2) Appeal the ruling"),
    sentences("list-items-sentences", "1) Pay the fine.", "2) Appeal the ruling."),
    sentences("list-items-after-a-sentence", "Officials did three things.", "1) Cut the budget."),
    sentences("list-items-after-a-noun", "Two options", "1) Cut the budget", "2) Raise the tax"),
    # 7. Two dots in speech are no sentence end before a lowercase word ...
    sentences("two-dots-speech", "so we tried .. it did not work .. anyway"),
    sentences("two-dots-issue-example", "which also .. a bit like maths .. for example"),
    sentences("two-dots-then-capital", "It was hard ..", "We tried again."),
    sentences("ellipsis-then-lowercase", "She stopped... then went on."),
    # ... a closing quotation mark stays with the sentence it closes ...
    sentences("closing-single-quote", "I told him it was good work.'", "He nodded."),
    sentences(
        "closing-single-quote-after-quoted-sentences",
        "I told him: 'It was good work.",
        "Keep going.'",
        "He nodded.",
    ),
    sentences("closing-quote-one-sentence", '"Taxes will rise."', "The minister left."),
    sentences(
        "closing-quote-after-a-space",
        '"Taxes will rise.',
        'Nobody likes it. "',
        "The minister left.",
    ),
    # ... but a straight quote that opens a quotation, typed with a space after it, goes
    # with the quotation it opens ...
    sentences("opening-quote-with-a-space", "He left.", '" We won," she said.'),
    sentences("opening-quote-with-a-space-after-a-question", "Who won?", '" We did," she said.'),
    sentences(
        "opening-quote-with-spaces-around",
        "Prices rose.",
        '" It is a disaster, " the mayor said.',
    ),
    # ... and a quotation in straight single quotes gives one claim per sentence, as one in
    # any other quotation marks, whichever path the line takes ...
    sentences(
        "single-quoted-sentences-then-sentence",
        "She told us: 'The dam is safe.",
        "The cracks are old.'",
        "Nobody believed her.",
    ),
    sentences(
        "single-quoted-sentences-with-attribution", "'We lost.", "We learn,' the coach said."
    ),
    sentences("apostrophes-are-no-quotation", "It's the players' union.", "They voted no."),
    sentences("apostrophe-before-a-year", "The '90s were kind.", "Prices fell."),
    # ... an attribution or a source after a quotation stays with its last sentence ...
    sentences(
        "em-dash-attribution", '"Taxes will rise.', 'Nobody likes it." — the finance minister'
    ),
    sentences(
        "en-dash-attribution",
        '"Taxes will rise.',
        'Nobody likes it." – a senior official, on Monday',
    ),
    sentences("initial-attribution", '"The data was faked.', 'It was retracted." — R. Okafor'),
    sentences("source-year", '"The data was faked.', 'It was retracted." (2019).'),
    sentences("bracketed-sentence-not-after-quotation", "He left.", "(See chart.)"),
    # ... and an emoticon after a question mark ends its sentence before a capital.
    sentences("emoticon-smile", "Did it work? :)", "Yes, it did."),
    sentences("emoticon-wink", "Is this the end? ;)", "Not quite."),
    sentences("emoticon-frown", "Really? :(", "We lost."),
    sentences("emoticon-then-lowercase", "Really? :) great news."),
    # ... and so does emoji after "?" or "!", as an emoticon does.
    sentences("emoji-after-question", "Really? 😀", "It was fine."),
    sentences("emoji-after-exclamation", "We won! 🎉🎉", "The fans sang all night."),
    sentences("emoji-with-skin-tone", "Is it over? 👍🏽", "Yes, it is."),
    sentences("emoji-then-lowercase", "Really? 😀 it was fine."),
    sentences("emoji-before-the-mark", "Fans celebrated 🎉.", "The club won."),
]


@claim_table(CASES)
def test_error_kinds_of_real_news(body: str, expected: list[str]) -> None:
    assert texts(body) == expected


# The cases that read as whole sentences, so two more sentences may stand around them.
_IN_PARAGRAPH = [
    case
    for case in CASES
    if all(re.search(r"[.!?][\"”’'»)]*$", claim) for claim in case.values[1])
    and re.match(r"[\"“‘'(]?[A-Z0-9]", case.values[0])
]


@claim_table(CASES)
def test_error_kinds_through_pysbd_alone(body: str, expected: list[str], monkeypatch) -> None:
    """Without the fast path (every line through pySBD and our rules) the claims are the
    same: the fixes do not depend on which path a line takes."""
    through_pysbd_alone(monkeypatch)
    assert texts(body) == expected


@claim_table(_IN_PARAGRAPH)
def test_error_kinds_inside_a_paragraph(body: str, expected: list[str]) -> None:
    """Each case keeps its claims between two ordinary sentences on the same line."""
    paragraph = f"The council met on Monday. {body} The session closed at noon."
    assert texts(paragraph) == [
        "The council met on Monday.",
        *expected,
        "The session closed at noon.",
    ]
