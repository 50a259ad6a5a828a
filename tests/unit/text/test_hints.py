"""Unit tests for annotator.text.hints: quotation, speaker, number, percentage, money and date."""

from __future__ import annotations

import dataclasses
import re

import pytest

from annotator.text.hints import (
    HINT_FILTERS,
    MAX_SPEAKER_CHARS,
    ClaimHints,
    claim_hints,
    hints_for_claims,
)
from annotator.text.hints.quotations import find_quotations
from annotator.text.vocabulary import SINGLE_QUOTE_CLOSES, SINGLE_QUOTE_OPENS

# The rule the splitter reads (splitting.quotations) and the hints must follow.
SINGLE_QUOTE_OPENS_RE = re.compile(SINGLE_QUOTE_OPENS)
SINGLE_QUOTE_CLOSES_RE = re.compile(SINGLE_QUOTE_CLOSES)


def spans_of(body: str, *claims: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each claim, found in order in ``body``."""
    spans = []
    pos = 0
    for claim in claims:
        start = body.index(claim, pos)
        spans.append((start, start + len(claim)))
        pos = start + len(claim)
    return spans


# --- the interface -------------------------------------------------------------------


def test_filters_name_boolean_fields_of_the_hints():
    fields = {f.name: f.type for f in dataclasses.fields(ClaimHints)}
    assert HINT_FILTERS == ("quote", "number", "percent", "money", "date")
    assert all(fields[name] == "bool" for name in HINT_FILTERS)
    assert fields["speaker"] == "str | None"


def test_hints_are_frozen_values():
    hints = claim_hints("Prices rose 5% in 2024.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hints.quote = True  # type: ignore[misc]
    assert hints == ClaimHints(number=True, percent=True, date=True)


@pytest.mark.parametrize("text", ["", " ", "\n\t \u00a0", "\u200b\u200e\u202e"])
def test_empty_and_blank_text_has_no_hints(text):
    assert claim_hints(text) == ClaimHints()
    assert hints_for_claims(text, [(0, len(text))]) == [ClaimHints()]


def test_no_spans_give_no_hints():
    assert hints_for_claims("“Anything at all,” she said.", []) == []


def test_plain_sentence_has_no_hints():
    assert claim_hints("Allies also discussed the need to increase defense contributions.") == (
        ClaimHints()
    )


# --- quotations ----------------------------------------------------------------------

QUOTES = [
    "«Russia has yet to demonstrate a commitment», – said the official.",
    "‹Nous sommes prêts à négocier›, a dit le ministre.",
    "“The US is in NATO, as active as it has ever been,” Rubio said.",
    "„Wir schaffen das“, sagte die Kanzlerin.",
    "„Wir schaffen das”, sagte die Kanzlerin.",
    '"The economy is strong," the minister said.',
    "‘We will not back down on this,’ the union said.",
    "'We will not back down on this,' the union said.",
    "The minister said “we will cut taxes” next year.",
    "Rubio added that Trump is «against NATO that lacks the capabilities».",
    "“Never,” he said.",
    "“No,” Rubio said.",
    "He said: “Never.”",
    "“Yes!” shouted the crowd, the police said.",
    "‘Don’t go there again,’ she warned.",
    "“I told ’em no,” the farmer said.",
    "”Vi är redo att förhandla”, sade ministern.",
]


NOT_QUOTES = [
    "Don't expect prices to fall, economists warn.",
    "He loved rock 'n' roll and the music of the '90s.",
    "It was rock ’n’ roll in the ’90s.",
    "The students' union and the teachers' union met.",
    "The students’ union and the teachers’ union met.",
    "’Tis the season for budget cuts.",
    "'Tis the season for budget cuts.",
    "The so-called “reform” was passed on a vote.",
    'The so-called "reform" was passed on a vote.',
    "The so-called ‘reform’ was passed on a vote.",
    "The so-called «reform» was passed on a vote.",
    "Critics called it “fake news” without evidence.",
    'The factory makes 12" pipes and 6" valves.',
    "He is 6'2\" tall and weighs 80 kg.",
    "The rock ’n’ roll years ended, as Jones’ band’s fans know.",
    "O'Brien and D'Angelo didn't attend.",
]


def test_three_quoted_words_make_a_quotation_without_attribution():
    assert claim_hints("He condemned the «hysteria and exaggeration» in the media.").quote
    assert not claim_hints("He condemned the «hysteria» in the media.").quote


def test_a_quotation_does_not_cross_a_line_break():
    body = "“The first paragraph has an unclosed quotation\nThe next line is plain reporting."
    spans = spans_of(
        body, "“The first paragraph has an unclosed quotation", "The next line is plain reporting."
    )
    assert [h.quote for h in hints_for_claims(body, spans)] == [True, False]


def test_a_stray_closing_mark_quotes_from_the_start_of_its_line_only():
    body = "Plain first line here.\nThey also discussed lasting peace», – noted the spokesperson."
    spans = spans_of(
        body,
        "Plain first line here.",
        "They also discussed lasting peace», – noted the spokesperson.",
    )
    first, second = hints_for_claims(body, spans)
    assert first.quote is False
    assert second == ClaimHints(quote=True, speaker="the spokesperson")


def test_an_unclosed_single_quote_is_an_apostrophe():
    assert not claim_hints("‘We will win this fight tomorrow night at home.").quote


@pytest.mark.parametrize(
    "text",
    [
        "She told us:'The dam is safe and sound.' Nobody believed her.",
        "They chanted,'We want our money back now' all night.",
        "The album '1989 and more songs' sold well.",
    ],
)
def test_a_straight_single_quote_opens_a_quotation_where_the_splitter_opens_one(text):
    """After a colon or a comma with no space, or before a digit: the splitter's rule."""
    quotations = [(q.start, q.end) for q in find_quotations(text)]
    opening, closing = text.index("'"), text.rindex("'")
    assert quotations == [(opening, closing + 1)]
    assert SINGLE_QUOTE_OPENS_RE.match(text, opening)
    assert SINGLE_QUOTE_CLOSES_RE.match(text, closing)
    assert claim_hints(text).quote


def test_a_straight_single_quote_after_a_bracket_closes_nothing_as_in_the_splitter():
    text = "'We will (not) give up our fight (ever)' she said."
    assert not SINGLE_QUOTE_CLOSES_RE.match(text, text.rindex("'"))
    assert find_quotations(text) == []


@pytest.mark.parametrize("text", [*NOT_QUOTES, *QUOTES])
def test_hints_and_splitter_read_every_straight_single_quote_alike(text):
    """Each quotation in straight single quotes that the hints find opens and closes where
    the splitter's rule says a quotation opens and closes."""
    for quotation in find_quotations(text):
        if quotation.opened and text[quotation.start] == "'":
            assert SINGLE_QUOTE_OPENS_RE.match(text, quotation.start)
        if quotation.closed and text[quotation.end - 1] == "'":
            assert SINGLE_QUOTE_CLOSES_RE.match(text, quotation.end - 1)


def test_a_closed_single_quotation_spanning_claims_marks_each_claim():
    body = "‘We will win. We always do,’ the coach said. Fans cheered."
    claims = ("‘We will win.", "We always do,’ the coach said.", "Fans cheered.")
    hints = hints_for_claims(body, spans_of(body, *claims))
    assert [h.quote for h in hints] == [True, True, False]
    assert [h.speaker for h in hints] == ["the coach", "the coach", None]


def test_nested_quotation_of_another_family_is_part_of_the_outer_one():
    text = "“He told me ‘never again’ and left,” the witness said."
    assert claim_hints(text) == ClaimHints(quote=True, speaker="the witness")


# --- quotations over several claims ------------------------------------------------

SPLIT_QUOTE = (
    "Rubio met Rasmussen in Brussels. «They discussed common priorities, including NATO "
    "defense spending. They also discussed ways to ensure lasting peace in Ukraine», – noted "
    "Rubio's spokesperson, Tami Brue. Allies welcomed the talks."
)
SPLIT_CLAIMS = (
    "Rubio met Rasmussen in Brussels.",
    "«They discussed common priorities, including NATO defense spending.",
    "They also discussed ways to ensure lasting peace in Ukraine», – noted Rubio's "
    "spokesperson, Tami Brue.",
    "Allies welcomed the talks.",
)


def test_split_quotation_marks_every_claim_and_shares_the_speaker_named_at_its_end():
    hints = hints_for_claims(SPLIT_QUOTE, spans_of(SPLIT_QUOTE, *SPLIT_CLAIMS))
    assert [h.quote for h in hints] == [False, True, True, False]
    speaker = "Rubio's spokesperson, Tami Brue"
    assert [h.speaker for h in hints] == [None, speaker, speaker, None]


def test_split_quotation_of_three_claims_with_straight_quotes():
    body = (
        '"Prices will rise. Wages will not. That is the truth," the governor said on Monday. '
        "Markets fell."
    )
    claims = (
        '"Prices will rise.',
        "Wages will not.",
        'That is the truth," the governor said on Monday.',
        "Markets fell.",
    )
    hints = hints_for_claims(body, spans_of(body, *claims))
    assert [h.quote for h in hints] == [True, True, True, False]
    assert [h.speaker for h in hints] == ["the governor"] * 3 + [None]
    assert [h.date for h in hints] == [False, False, True, False]


def test_speaker_named_before_a_split_quotation_applies_to_all_of_it():
    body = "The mayor said: “The bridge will close. It will reopen in spring.” Traffic slowed."
    claims = ("The mayor said: “The bridge will close.", "It will reopen in spring.”")
    hints = hints_for_claims(body, spans_of(body, *claims))
    assert [(h.quote, h.speaker) for h in hints] == [(True, "the mayor"), (True, "the mayor")]


def test_claim_inside_a_split_quotation_keeps_no_speaker_from_quoted_words():
    body = "“I met him. Trump said no to the plan. We left,” the envoy said."
    claims = ("“I met him.", "Trump said no to the plan.", "We left,” the envoy said.")
    hints = hints_for_claims(body, spans_of(body, *claims))
    assert [h.speaker for h in hints] == ["the envoy"] * 3


def test_split_quotation_with_pronoun_attribution_has_no_speaker():
    body = "“We are ready. We will talk,” he said."
    hints = hints_for_claims(body, spans_of(body, "“We are ready.", "We will talk,” he said."))
    assert [(h.quote, h.speaker) for h in hints] == [(True, None), (True, None)]


def test_claims_looked_at_alone_still_see_the_open_or_closing_mark():
    assert claim_hints("«They discussed common priorities, including defense.").quote
    assert claim_hints("They also discussed peace», – noted the spokesperson.") == ClaimHints(
        quote=True, speaker="the spokesperson"
    )


def test_spans_in_any_order_and_out_of_range_offsets():
    body = "“Taxes will rise. Spending will fall,” the minister said."
    first, second = spans_of(body, "“Taxes will rise.", "Spending will fall,” the minister said.")
    tail = body.index("the minister")
    hints = hints_for_claims(body, [second, first, (-5, 3), (tail, 10_000), (30, 20)])
    assert hints[0] == hints[1] == ClaimHints(quote=True, speaker="the minister")
    assert hints[2].quote is True  # clamped to the body's first characters
    assert hints[3].speaker == "the minister"
    assert hints[4] == ClaimHints()


def test_claim_hints_matches_a_single_span_of_the_same_text():
    for text in [*QUOTES, *NOT_QUOTES]:
        assert hints_for_claims(text, [(0, len(text))]) == [claim_hints(text)]


def test_offsets_into_a_longer_body_read_only_the_claim():
    body = "Growth was 3% in 2024. Officials met on Monday. The talks were friendly."
    hints = hints_for_claims(
        body, spans_of(body, "Growth was 3% in 2024.", "Officials met on Monday.", "talks")
    )
    assert hints == [
        ClaimHints(number=True, percent=True, date=True),
        ClaimHints(number=True, date=True),
        ClaimHints(),
    ]


# --- speakers ------------------------------------------------------------------------

SPEAKERS = [
    (
        "«Russia has yet to commit», – said the official following a full day of talks.",
        "the official",
    ),
    ('"The US is in NATO, as active as ever," Rubio said.', "Rubio"),
    ("“We are ready to talk,” said Senator Marco Rubio.", "Senator Marco Rubio"),
    ("“We are ready to talk,” said Senator Marco Rubio on Thursday.", "Senator Marco Rubio"),
    ("Exports fell sharply, according to the ministry.", "the ministry"),
    ("According to a UN report, hunger is rising.", "a UN report"),
    (
        "Rubio and Rasmussen met, according to the State Department's report on the meeting.",
        "the State Department's report",
    ),
    ("«NATO remains strong», – Rubio told reporters, standing beside Mark Rutte.", "Rubio"),
    ("The senator wrote that the bill was unfair.", "the senator"),
    ("Economists say inflation will ease.", "Economists"),
    ("Rubio added that Trump is «against a NATO without capabilities».", "Rubio"),
    (
        "The State Department official stated: «There should be no restrictions».",
        "the State Department official",
    ),
    ("The company claimed record profits.", "the company"),
    ("The ministry announced new sanctions.", "the ministry"),
    ("“It will pass,” said Jane Doe, who chairs the committee.", "Jane Doe"),
    (
        "This was stated by a senior State Department official to reporters.",
        "a senior State Department official",
    ),
    ("The path forward must be clear, Rubio reportedly said amid the talks.", "Rubio"),
    ("The ministry has since said the figures were wrong.", "the ministry"),
    ("On Thursday the minister said taxes would rise.", "the minister"),
    ("Officials at the ministry said the data were wrong.", "Officials at the ministry"),
    ("A spokesman for the agency said it would appeal.", "a spokesman for the agency"),
    ("The head of the agency said it would appeal.", "the head of the agency"),
    ("“We will appeal,” The Guardian reported.", "The Guardian"),
    ("“We will appeal,” noted Rubio's spokesperson, Tami Brue.", "Rubio's spokesperson, Tami Brue"),
    ("The U.S. ambassador said talks would resume.", "the U.S. ambassador"),
    ("The New York Times reported the leak.", "The New York Times"),
    ("Prices will rise, analysts argue.", "analysts"),
    ("The economy, said the minister, is strong.", "the minister"),
    ("Inflation will ease, the central bank said in a statement.", "the central bank"),
    ("The family said the report was wrong.", "the family"),
    ("The deal was announced by the Prime Minister's office.", "the Prime Minister's office"),
    ("Prices will rise, analysts warn.", "analysts"),
    ("Inflation will ease, said the minister.", "the minister"),
    ("Inflation will ease, said Finance Minister Jane Roe.", "Finance Minister Jane Roe"),
    ("Acme Inc. said profits rose.", "Acme Inc."),
    ("“We are ready,” said Gen. Mark Smith.", "Gen. Mark Smith"),
    ("Rubio said Trump supports NATO.", "Rubio"),
]


@pytest.mark.parametrize(("text", "speaker"), SPEAKERS)
def test_speaker_named_by_the_sentence(text, speaker):
    assert claim_hints(text).speaker == speaker


NO_SPEAKER = [
    "“We are ready,” he said.",
    "“We are ready,” she told reporters.",
    "They say the plan will fail.",
    "It was reported that the plan failed.",
    "Referring to earlier statements, he reportedly said Trump supports NATO.",
    "The minister refused to say whether taxes would rise.",
    "The stated goal is lower taxes.",
    "The reported cases rose sharply.",
    "The minister, who said nothing, left early.",
    "Allies also discussed the need to increase defense contributions.",
    "“Trump said no to the deal and walked out of the room.”",
    "Says who?",
    "said",
    "according to",
    "“Quoted words only, with nobody named.”",
    "The report, published on Monday, said exports fell.",
]


@pytest.mark.parametrize("text", NO_SPEAKER)
def test_no_speaker_for_pronouns_quoted_words_and_non_attributions(text):
    assert claim_hints(text).speaker is None


def test_speaker_inside_the_quotation_is_not_the_speaker_of_the_claim():
    assert claim_hints("“Trump said no,” Rubio said.").speaker == "Rubio"


def test_first_attribution_in_reading_order_wins():
    text = "“Talks failed,” the envoy said, according to the ministry."
    assert claim_hints(text).speaker == "the envoy"


def test_speaker_is_capped_at_a_word_boundary_and_never_empty():
    name = " ".join(["Commissioner"] * 9) + " " + "X" * 200
    text = f"“We will appeal,” said {name}."
    speaker = claim_hints(text).speaker
    assert speaker
    assert len(speaker) <= MAX_SPEAKER_CHARS
    assert speaker == " ".join(["Commissioner"] * 9)
    long_word = "Y" * 500
    speaker = claim_hints(f"“We will appeal,” said {long_word}.").speaker
    assert speaker == "Y" * MAX_SPEAKER_CHARS


def test_speaker_ignores_invisible_characters():
    assert claim_hints("“We are ready,” Ru\u200bbio sa\u200bid.").speaker == "Rubio"


# --- numbers -------------------------------------------------------------------------

NUMBERS = [
    "The bill passed with 12 votes.",
    "About 1,200 people attended.",
    "Growth reached 3.5 overall.",
    "The city has 1.2m residents.",
    "The 1990s were calmer.",
    "The meeting starts at 10am.",
    "The road is 5km long.",
    "It was the 3rd attempt.",
    "It finished in 12th place.",
    "Three people were injured.",
    "Twenty-five ships sailed.",
    "A dozen officials resigned.",
    "The deficit reached a trillion.",
    "Boeing delivered its 737 jets late.",
    "The vote was 52 to 48.",
    "The score was 3-2.",
    "The report ran to 40\u200b0 pages.",
    "The plant employs ٣٠٠ workers.",
    "Article 5 applies.",
]


NOT_NUMBERS = [
    "The G7 leaders met.",
    "The 5G network expanded.",
    "The F-16 jets landed.",
    "COVID-19 cases fell.",
    "He listened to an mp3 file.",
    "The 101st Airborne deployed.",
    "The 1st Amendment protects speech.",
    "Call +44 20 7946 0958 for details.",
    "Call (555) 123-4567 for details.",
    "Call 555-123-4567 for details.",
    "One of the ministers resigned.",
    "Dozens of people protested.",
    "Thousands of people protested.",
    "Hundreds gathered outside.",
    "The first vote failed.",
    "Prices may rise.",
    "Someone often forgets.",
]


# --- percentages ---------------------------------------------------------------------

PERCENTS = [
    "Inflation was 2.5%.",
    "Inflation was 2.5 %.",
    "Inflation was 2.5\u00a0%.",
    "Support fell 40 percent.",
    "Support fell 40 per cent.",
    "Support fell forty percent.",
    "Support fell one percent.",
    "Rates rose 0.5 percentage points.",
    "Rates rose two percentage points.",
    "Rates rose 25 basis points.",
    "The error is 3‰.",
    "Turnout rose 40-percent.",
    "Unemployment was 5pp higher.",
    "The rate was 5pct.",
]


NOT_PERCENTS = [
    "A percentage of voters stayed home.",
    "The percent sign is %.",
    "Rates rose by several percentage points.",
    "Interest rates rose sharply.",
    "The percentage was disputed.",
]


# --- money ---------------------------------------------------------------------------

MONEY = [
    "It cost $1.2 bn.",
    "It cost $1.2 billion.",
    "It cost US$5.",
    "It cost €300.",
    "It cost £5m.",
    "It cost ¥100.",
    "It cost ₴2,000.",
    "It cost 10 €.",
    "It cost 10€.",
    "It cost 50¢.",
    "It cost USD 10.",
    "It cost 10 EUR.",
    "It cost 10 dollars.",
    "It cost 10 US dollars.",
    "It cost 3 euros.",
    "It cost 5 pounds.",
    "It cost 1.2bn dollars.",
    "It cost a million dollars.",
    "It cost three billion dollars.",
    "It cost 50 cents.",
    "It cost 100 yen.",
    "It cost 20 hryvnias.",
    "It cost millions of dollars.",
    "It cost billions of euros.",
]


NOT_MONEY = [
    "The dollar weakened against the euro.",
    "Dollars and euros were exchanged.",
    "She bought 5 pounds of flour.",
    "The $ sign was missing.",
    "The euro area grew.",
    "He has a yen for travel.",
    "The company earned 5 percent more.",
]


# --- dates ---------------------------------------------------------------------------

DATES = [
    "It happened on Jan. 5.",
    "It happened in January 2024.",
    "It happened on 5 March.",
    "It happened on 5th of May.",
    "It happened on March 3.",
    "It happened on May 5, 2024.",
    "It happened in May 2024.",
    "It happened in May.",
    "It happened in mid-March.",
    "It happened by the end of June.",
    "It happened in April.",
    "It happened in September.",
    "It happened on Sept. 12.",
    "It happened on 12 Sept.",
    "It happened on 2025-04-03.",
    "It happened on 2025/04/03.",
    "It happened on 03/04/2025.",
    "It happened on 3/4/25.",
    "It happened on 03.04.2025.",
    "It happened on Monday.",
    "It happened in 2024.",
    "It has grown since 1990.",
    "It must be done by 2030.",
    "It happened in the year 2001.",
    "It happened in the 1990s.",
    "It happened in the ’90s.",
    "It covered 2019-2024.",
    "It covered the 2019–20 season.",
    "Sales grew in Q3 2024.",
    "It happened yesterday.",
    "It will happen tomorrow.",
    "It happened last week.",
    "It will happen next month.",
    "Sales rose this year.",
    "It happened three days ago.",
    "It happened a few weeks ago.",
]


NOT_DATES = [
    "Prices may rise.",
    "May I ask a question?",
    "May the best team win.",
    "They will march on the capital.",
    "The March on Washington was peaceful.",
    "April Smith chaired the panel.",
    "June Carter sang.",
    "An august body met.",
    "He bought a 2024 model.",
    "The 2024 election was close.",
    "In 1,200 cases the court ruled.",
    "Version 1.2.3 was released.",
    "The shop is open 24/7.",
    "Today's world is complex.",
    "The meeting starts at 10:30.",
    "They marched for a week.",
]


# --- every boolean hint, found and not found -------------------------------------

# hint: (texts that carry it, texts that do not)
BOOLEAN_HINTS = {
    "quote": (QUOTES, NOT_QUOTES),  # apostrophes, scare quotes and inch marks are no quotes
    "number": (NUMBERS, NOT_NUMBERS),
    "percent": (PERCENTS, NOT_PERCENTS),
    "money": (MONEY, NOT_MONEY),
    "date": (DATES, NOT_DATES),
}


def hint_cases(found: bool) -> list:
    """One case per (hint, text) pair, with an id such as ``date: It happened in May.``."""
    return [
        pytest.param(hint, text, id=f"{hint}: {text}")
        for hint, (carry, lack) in BOOLEAN_HINTS.items()
        for text in (carry if found else lack)
    ]


@pytest.mark.parametrize(("hint", "text"), hint_cases(found=True))
def test_the_hint_is_found(hint, text):
    assert getattr(claim_hints(text), hint) is True


@pytest.mark.parametrize(("hint", "text"), hint_cases(found=False))
def test_the_hint_is_not_found(hint, text):
    assert getattr(claim_hints(text), hint) is False


@pytest.mark.parametrize(
    "text",
    [
        "Defense spending rose to 5%.",
        "He spent $5.",
        "They met on Monday.",
        "It fell 40 percent.",
        *PERCENTS,
        *MONEY,
        *DATES,
    ],
)
def test_percentages_money_and_dates_are_numbers_too(text):
    assert claim_hints(text).number is True


# --- the seed article's style, end to end ------------------------------------------


def test_a_realistic_paragraph():
    body = (
        "Brussels – On Thursday, U.S. Secretary of State Marco Rubio met his NATO counterparts. "
        "«Russia has yet to demonstrate a commitment to ceasefire», – said the official. "
        "Some members pledged to increase defense spending to 5%, but did not specify timelines."
    )
    claims = (
        "Brussels – On Thursday, U.S. Secretary of State Marco Rubio met his NATO counterparts.",
        "«Russia has yet to demonstrate a commitment to ceasefire», – said the official.",
        "Some members pledged to increase defense spending to 5%, but did not specify timelines.",
    )
    assert hints_for_claims(body, spans_of(body, *claims)) == [
        ClaimHints(number=True, date=True),
        ClaimHints(quote=True, speaker="the official"),
        ClaimHints(number=True, percent=True),
    ]


# --- hostile text --------------------------------------------------------------------

HOSTILE = [
    "\u202e“!dias eh ”,ydaer era eW“\u202c",
    "“We\u200b are\u200b ready”\u200b,\u200b Rubio said.",
    "\u200b" * 1000,
    "“" * 10_000,
    "”" * 10_000,
    '"' * 10_000,
    "'" * 10_000,
    "’" * 10_000,
    "«»" * 5_000,
    "„“”" * 3_000,
    "said " * 5_000,
    "according to " * 3_000,
    "1" * 20_000,
    "1." * 10_000,
    "+1" * 10_000,
    "$" * 10_000 + "5",
    "May " * 5_000,
    "in " * 5_000 + "2024",
    "\x00\ud800\ufffd said \U0001f600",
    "“" + "word " * 20_000 + "” the official said.",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_does_not_crash(text):
    hints = claim_hints(text)
    assert isinstance(hints, ClaimHints)
    assert hints.speaker is None or 0 < len(hints.speaker) <= MAX_SPEAKER_CHARS


def test_hostile_quotation_resists_invisible_characters():
    hints = claim_hints("“We\u200b are\u200b ready”\u200b,\u200b Rubio said.")
    assert hints == ClaimHints(quote=True, speaker="Rubio")


def test_an_article_of_two_thousand_claims():
    claims = [
        f"“Prices rose {i}% in May {1990 + i % 100},” said Minister Number {i}."
        for i in range(2000)
    ]
    body = " ".join(claims)
    hints = hints_for_claims(body, spans_of(body, *claims))
    assert len(hints) == 2000
    assert all(h.quote and h.percent and h.date for h in hints)
    assert hints[7].speaker == "Minister Number 7"
