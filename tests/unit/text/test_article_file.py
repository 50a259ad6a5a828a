"""Unit tests for annotator.text.article_file: parsing uploads into articles, or refusing them."""

# The hand-checked seed claims are kept one string per line, unwrapped, so that
# they can be compared with the reference split at a glance.
# ruff: noqa: E501

from __future__ import annotations

import dataclasses
import datetime
import re

import pytest
from annotator_testkit.constants import SEEDS

from annotator.text.article_file import ImportRefused, ParsedArticle, parse_article

# Our hand-checked split of seeds/004 once its "date 2025-04-03" prefix is removed.
SEED_004_CLAIMS = [
    'Rubio reassured European allies of America’s commitment to NATO, stressing the US remains "as active as it has ever been" in the alliance.',
    "US Secretary of State Marco Rubio on Thursday reassured European allies of America’s commitment to NATO, stressing that the US remains “as active as it has ever been” in the alliance, amid concerns over President Donald Trump’s stance on the military organisation, foreign media reported.",
    "Rubio’s remarks came during a press conference alongside NATO Secretary General Mark Rutte in Brussels, where the two addressed the ongoing challenges facing the alliance.",
    "At the NATO ministerial meeting which followed, Rutte expressed condolences for the loss of four US soldiers during a NATO training exercise in Lithuania and thanked Rutte for his remarks while stressing the significance of the US military’s involvement in NATO operations.",
    "“The US is in NATO, as active as it has ever been,” Rubio said, while addressing concerns over President Trump’s approach to the alliance, the Guardian reported.",
    "Rubio sought to counter what he described as “hysteria and hyperbole” surrounding the US position within NATO.",
    "Referring to President Trump’s previous statements, he reportedly said Trump supports NATO but wants the alliance “to be stronger, more viable” and “invest more in national security.”",
    "President Trump “is not against NATO,” Rubio clarified, adding, “He is against a NATO that does not have the capabilities it needs to fulfill the obligations that the treaty imposes upon every member state.”",
    "While the process of strengthening the alliance would take time, the path forward needs to be clear, Rubio reportedly said amid the US administration’s push for NATO members to increase their defense spending and capabilities.",
    "“No one expects that you’re going to be able to do this in one year or two, but the pathway has to be real.”",
    "The US has long pressured European allies to meet defense spending targets set at 2% of GDP.",
]


def parse(text: str | bytes, filename: str = "report.txt", **kwargs: int) -> ParsedArticle:
    """Parse ``text`` (UTF-8 encoded if a str) and check the claim offsets."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    article = parse_article(raw, filename, **kwargs)
    for claim in article.claims:
        assert claim.text == article.body[claim.start : claim.end]
    return article


def seed(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


# --- the seed articles --------------------------------------------------------------


def test_seed_000_has_no_metadata_and_18_claims() -> None:
    article = parse(seed("000_5298dac2f517366a.txt"), "000_5298dac2f517366a.txt")
    assert article.source == "000_5298dac2f517366a.txt"
    assert article.metadata == {}
    assert article.published_on is None
    assert len(article.claims) == 18
    texts = [claim.text for claim in article.claims]
    assert texts[0].startswith("Brussels – On Thursday, U.S. Secretary of State Marco Rubio")
    assert "Allies also discussed the need to increase defense contributions." in texts
    assert texts[14:16] == [
        "«They discussed common priorities, including increasing NATO defense spending and burden-sharing, as well as countering threats to the Alliance, including from Russia and China.",
        "They also discussed current coordination efforts to strengthen stability and security in Europe and ensure lasting peace in Ukraine», – noted Rubio's spokesperson, Tami Brue.",
    ]


def test_seed_000_title_is_its_first_sentence_shortened() -> None:
    article = parse(seed("000_5298dac2f517366a.txt"))
    first = article.claims[0].text
    assert len(first) > 140
    assert article.title == (
        "Brussels – On Thursday, U.S. Secretary of State Marco Rubio and his NATO counterparts "
        "expressed their full backing for Ukraine and…"
    )
    assert len(article.title) <= 140


def test_seed_004_date_prefix_is_metadata_and_the_rest_is_body() -> None:
    article = parse(seed("004_b6295adf8f330b18.txt"))
    assert article.metadata == {"date": "2025-04-03"}
    assert article.published_on == datetime.date(2025, 4, 3)
    assert article.body.startswith("Rubio reassured European allies of America’s commitment")
    assert "date" not in article.body[:20]
    assert [claim.text for claim in article.claims] == SEED_004_CLAIMS
    assert article.title == SEED_004_CLAIMS[0]


def test_reimporting_a_seed_gives_the_same_checksum() -> None:
    first = parse(seed("004_b6295adf8f330b18.txt"), "a.txt")
    second = parse(seed("004_b6295adf8f330b18.txt"), "b.txt")
    assert first.checksum == second.checksum
    assert re.fullmatch(r"[0-9a-f]{64}", first.checksum)


# --- metadata header ----------------------------------------------------------------


def test_header_lines_are_metadata() -> None:
    article = parse(
        "Title: NATO ministers meet\n"
        "SOURCE: Kyiv Post\n"
        "url: https://example.org/story?id=1\n"
        "date: 2025-04-03\n"
        "\n"
        "Ministers met in Brussels. They agreed on little.\n"
    )
    assert article.metadata == {
        "title": "NATO ministers meet",
        "source": "Kyiv Post",
        "url": "https://example.org/story?id=1",
        "date": "2025-04-03",
    }
    assert article.title == "NATO ministers meet"
    assert article.published_on == datetime.date(2025, 4, 3)
    assert article.body == "Ministers met in Brussels. They agreed on little."
    assert [claim.text for claim in article.claims] == [
        "Ministers met in Brussels.",
        "They agreed on little.",
    ]


def test_date_on_its_own_line_before_the_text() -> None:
    article = parse("\ufeff  date 2025-01-31\nPrices rose.")
    assert article.published_on == datetime.date(2025, 1, 31)
    assert article.body == "Prices rose."


@pytest.mark.parametrize(
    "text",
    [
        "Dates are rising. Figs too.",
        "Date night is popular. So are films.",
        "date 2025-4-3 was a Thursday. It rained.",
        "Dated 2025-04-03, the memo was short.",
        "Updates: none so far. More soon.",
    ],
)
def test_ordinary_text_is_not_taken_for_metadata(text: str) -> None:
    article = parse(text)
    assert article.metadata == {}
    assert article.body == text


def test_repeated_key_ends_the_header() -> None:
    article = parse("title: One\ntitle: Two\nText here.")
    assert article.metadata == {"title": "One"}
    assert article.body == "title: Two\nText here."


def test_empty_title_falls_back_to_the_first_sentence() -> None:
    article = parse("title:\nThe first sentence. The second.")
    assert article.metadata == {}
    assert article.title == "The first sentence."


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("date 2025-13-45 Prices rose.", "'2025-13-45'"),
        ("date: 2025-02-30\nPrices rose.", "'2025-02-30'"),
        ("Date: tomorrow\nPrices rose.", "'tomorrow'"),
    ],
)
def test_invalid_date_is_refused(text: str, shown: str) -> None:
    with pytest.raises(ImportRefused, match=r"^report\.txt: invalid date") as refusal:
        parse(text)
    assert shown in str(refusal.value)


# --- title ----------------------------------------------------------------------------


def test_title_is_cut_at_a_word_boundary() -> None:
    words = " ".join(f"word{i}" for i in range(100)) + "."
    article = parse(words)
    assert len(article.title) <= 140
    assert article.title.endswith("…")
    kept = article.title.removesuffix("…")
    assert words.startswith(kept + " ")


def test_title_without_spaces_is_cut_hard() -> None:
    article = parse("x" * 500 + ".")
    assert article.title == "x" * 139 + "…"


def test_long_metadata_title_is_shortened_but_kept_in_metadata() -> None:
    long_title = "A very long headline " * 20
    article = parse(f"title: {long_title}\nBody text.")
    assert len(article.title) <= 140 and article.title.endswith("…")
    assert article.metadata["title"] == long_title.strip()


def test_title_collapses_whitespace() -> None:
    assert parse("Prices \t rose   sharply.").title == "Prices rose sharply."


# --- normalisation and checksum -------------------------------------------------------


def test_same_text_with_different_encoding_details_has_one_checksum() -> None:
    plain = b"title: Prices\n\nPrices rose.\nWages fell.\n"
    variants = [
        plain,
        plain.replace(b"\n", b"\r\n"),
        plain.replace(b"\n", b"\r"),
        b"\xef\xbb\xbf" + plain,
        b"title: Prices   \n\nPrices rose.\t \nWages fell.   \n\n\n",
        b"\n\n  " + plain + b"  \n",
    ]
    articles = [parse(raw) for raw in variants]
    assert {a.body for a in articles} == {"Prices rose.\nWages fell."}
    assert len({a.checksum for a in articles}) == 1


def test_checksum_follows_the_text_not_the_header_or_file_name() -> None:
    base = parse("Prices rose.").checksum
    assert parse("Prices fell.").checksum != base
    assert parse("date 2025-04-03 Prices rose.").checksum == base
    assert parse("title: Prices\nPrices rose.").checksum == base
    assert parse("Prices rose.", filename="other.txt").checksum == base


def test_hostile_text_is_kept_verbatim() -> None:
    text = '<script>alert(1)</script> Is this "safe"? Tom & Jerry <b>say</b> no.'
    article = parse(text)
    assert article.body == text
    assert "".join(claim.text for claim in article.claims).count("<script>alert(1)</script>") == 1


def test_a_few_control_characters_do_not_make_text_binary() -> None:
    text = "An escape \x1b[1m here. " + "Plain words go on. " * 10
    assert parse(text).body == text.strip()


def test_parsed_article_is_immutable() -> None:
    article = parse("Prices rose.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.title = "other"  # type: ignore[misc]


# --- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param(b"", "the file is empty", id="empty"),
        pytest.param(b" \n\t \r\n ", "contains only whitespace", id="whitespace"),
        pytest.param(b"\xef\xbb\xbf \n\xc2\xa0\n", "contains only whitespace", id="bom-and-spaces"),
        pytest.param(b"PK\x03\x04\x00\x00binary", "binary file (it contains NUL bytes)", id="nul"),
        pytest.param(bytes(range(1, 32)) * 3 + b"abc", "binary file", id="control-chars"),
        pytest.param(
            b"caf\xe9", "not UTF-8 text (invalid byte 0xE9 at position 3, line 1)", id="latin-1"
        ),
        pytest.param(b"ok\nline\n\xff", "invalid byte 0xFF at position 8, line 3", id="where"),
        pytest.param("Héllo".encode("utf-16"), "UTF-16", id="utf-16"),
        pytest.param(b"title: Only\ndate: 2025-04-03\n\n", "only metadata", id="metadata-only"),
        pytest.param(b"date 2025-04-03   \n", "only metadata", id="date-only"),
    ],
)
def test_refused_files(raw: bytes, reason: str) -> None:
    with pytest.raises(ImportRefused) as refusal:
        parse_article(raw, "report.txt")
    message = str(refusal.value)
    assert message.startswith("report.txt: ")
    assert reason in message


def test_refusal_is_a_value_error() -> None:
    assert issubclass(ImportRefused, ValueError)


def test_oversized_file_is_refused_with_readable_sizes() -> None:
    with pytest.raises(ImportRefused) as refusal:
        parse_article(b"a" * 1_572_864, "big.txt")
    assert str(refusal.value) == "big.txt: the file is larger than the 1 MiB limit"


def test_size_limit_is_configurable() -> None:
    parse_article(b"Short text.", "ok.txt", max_bytes=11)
    with pytest.raises(ImportRefused, match=r"900 bytes limit"):
        parse_article(b"a" * 901, "small.txt", max_bytes=900)


# --- file name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "source"),
    [
        ("report.txt", "report.txt"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Desktop\\report.txt", "report.txt"),
        ("/tmp/uploads/story one.txt", "story one.txt"),
        ("rep\x00ort\r\n.txt", "report.txt"),
        ("\u202etxt.exe", "txt.exe"),
        ("  spaced.txt  ", "spaced.txt"),
        ("", "untitled.txt"),
        ("..", "untitled.txt"),
        ("dir/", "untitled.txt"),
        ("Доклад №1.txt", "Доклад №1.txt"),
    ],
)
def test_source_is_a_safe_base_name(filename: str, source: str) -> None:
    assert parse("Prices rose.", filename).source == source


def test_long_file_name_is_cut_keeping_the_extension() -> None:
    source = parse("Prices rose.", "n" * 300 + ".txt").source
    assert len(source) == 255
    assert source.endswith("n.txt")


def test_refusal_names_the_safe_file_name() -> None:
    with pytest.raises(ImportRefused, match=r"^evil\.txt: the file is empty$"):
        parse_article(b"", "../../ev\x1bil.txt")


# --- claim limit -------------------------------------------------------------------------


def test_too_many_claims_is_refused_before_splitting() -> None:
    with pytest.raises(ImportRefused, match=r"log\.txt: more than 2,000 claims"):
        parse_article(b"a. " * 300_000, "log.txt")


def test_claim_limit_counts_real_claims() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(6)).encode()
    assert len(parse_article(text, "ok.txt", max_claims=6).claims) == 6
    with pytest.raises(ImportRefused, match="more than 5 claims"):
        parse_article(text, "long.txt", max_claims=5)


def test_claim_pre_check_counts_a_paragraph_break_once() -> None:
    body = "\n\n".join(f"Paragraph {i} has one sentence." for i in range(1400))
    assert len(parse_article(body.encode(), "long.txt").claims) == 1400


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u2066", "\u2067", "\u200f", "\u061c"])
def test_direction_controls_never_reach_a_title_or_a_header_value(control):
    """A right-to-left override in a title would reverse it on every page that lists it."""
    raw = (f"title: Minister{control} resigns\nsource: Daily{control} Post\n\n"
           "The minister resigned on Monday.").encode()
    parsed = parse_article(raw, "a.txt")
    assert parsed.title == "Minister resigns"
    assert parsed.metadata == {"title": "Minister resigns", "source": "Daily Post"}
    first_sentence = parse_article(f"Aid{control} arrived on Monday. It was late.".encode(),
                                   "b.txt")
    assert first_sentence.title == "Aid arrived on Monday."
