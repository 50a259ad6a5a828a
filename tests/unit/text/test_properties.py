"""Property-based tests of the pure core: the splitter, the import parser, CSV neutralisation.

Strategies lean on what breaks text handling: punctuation-heavy alphabets, quotes,
abbreviations, every kind of line break, zero-width and bidirectional characters, plus
arbitrary text and bytes. Runs are derandomized so CI sees the same examples every time.
"""

from __future__ import annotations

import datetime

from annotator_testkit import hostile
from annotator_testkit.spreadsheet import runs_as_formula
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator.text.article_file import (
    MAX_SOURCE_CHARS,
    MAX_TITLE_CHARS,
    ImportRefused,
    ParsedArticle,
    parse_article,
)
from annotator.text.csv_rows import neutralise
from annotator.text.splitting import split_claims

BOUNDED = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

# Every character Python treats as a line boundary, plus the blanks around them.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
TRICKY = (
    " \t.!?,;:…\"'“”‘’«»„()[]{}-–—•*/\\%$€0123456789"
    "\u00a0\u200b\u2060\ufeff\u202e\u200e\u0301"
    "aAbBeEiIsStTuUxX"
) + LINE_BREAKS
WORDS = (
    "U.S.", "Mr.", "Dr.", "No.", "approx.", "a.m.", "p.m.", "Jan.", "e.g.", "i.e.", "etc.",
    "3.5", "$3", "...", "?!", "“", "”", "«", "»", "\"", "'", "(", ")", "• ", "- ", "1.", "2)",
    "Q:", "A:", "He said", "the minister", "Prices rose.", "Wages fell!", "Why?", "ok",
    "example.com/a?b=c", "\n", "\n\n", " ", "  ", "\t", "\u2028", "\r\n",
)

tricky_text = st.one_of(
    st.text(alphabet=TRICKY, max_size=400),
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join),
    st.lists(st.sampled_from(WORDS), max_size=80).map("".join),
    st.text(max_size=300),
    st.sampled_from(hostile.ALL + (hostile.LONG_LINE,)),
)


def assert_valid_spans(body: str, spans) -> None:
    """The contract every caller of the splitter relies on."""
    previous_end = 0
    for span in spans:
        assert 0 <= span.start < span.end <= len(body), span
        assert span.text == body[span.start:span.end]
        assert span.text == span.text.strip(), span
        assert span.text.splitlines() == [span.text], f"line break inside {span!r}"
        assert span.start >= previous_end, f"{span!r} overlaps the span before"
        previous_end = span.end


# --- splitter --------------------------------------------------------------------------


@BOUNDED
@given(tricky_text)
@example("." * 7000)
@example("a. " * 3000)
@example("“Prices rose. Wages fell,” he said.\u2028Next line")
@example("• 9. The first item • 10. The second item")
@example("x" * 13_000)
def test_splitter_never_raises_and_gives_valid_spans(body: str) -> None:
    assert_valid_spans(body, split_claims(body))


@BOUNDED
@given(st.text(alphabet=st.characters(categories=["Zs", "Zl", "Zp", "Cc"]), max_size=200))
def test_blank_body_has_no_claims(body: str) -> None:
    if body.strip():  # control characters such as \x01 are not blank
        assert_valid_spans(body, split_claims(body))
    else:
        assert split_claims(body) == []


@BOUNDED
@given(st.lists(tricky_text, min_size=2, max_size=5))
def test_no_claim_crosses_a_blank_line(paragraphs: list[str]) -> None:
    body = "\n\n".join(paragraphs)
    spans = split_claims(body)
    assert_valid_spans(body, spans)
    blank_lines = [i for i in range(len(body) - 1) if body[i:i + 2] == "\n\n"]
    for span in spans:
        assert not any(span.start <= i < span.end for i in blank_lines), span


@BOUNDED
@given(tricky_text)
def test_every_visible_character_outside_claims_is_a_bullet_or_blank(body: str) -> None:
    """Text is never dropped silently: what no claim covers is whitespace or list markup."""
    covered = set()
    for span in split_claims(body):
        covered.update(range(span.start, span.end))
    for index, char in enumerate(body):
        if index not in covered and not char.isspace():
            assert char in "•*-–—·‣▪◦", (index, char, body)


# --- import parser ---------------------------------------------------------------------

KNOWN_KEYS = {"title", "source", "url", "date"}
HEADER_LINES = st.sampled_from([
    "title: ", "source: ", "url: ", "date: ", "date ", "Title:", "URL :", "date: 2025-04-03",
    "date 2025-02-30", "date 2025-04-03 ", "date: ٢٠٢٥-٠٤-٠٣", "title:\u200b", "\ufeff",
    "url: javascript:alert(1)", "title: <script>alert(1)</script>", "\n", "\r\n", "",
])
file_text = st.one_of(
    tricky_text,
    st.lists(st.one_of(HEADER_LINES, tricky_text), max_size=8).map("\n".join),
)
file_names = st.one_of(
    st.text(max_size=300),
    st.sampled_from(hostile.XSS + hostile.UNICODE + hostile.SQL),
    st.sampled_from(["", ".", "..", "../../etc/passwd", "C:\\x\\y.txt", "a\x00b.txt",
                     "x" * 400 + ".txt", "report\u202etxt.exe"]),
)
raw_bytes = st.one_of(
    st.binary(max_size=2000),
    file_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.tuples(file_text, st.binary(max_size=8)).map(lambda p: p[0].encode() + p[1]),
    st.sampled_from([b"\xff\xfe a", b"\xfe\xff", b"\xef\xbb\xbf", b"\xed\xa0\x80 text"]),
)


def assert_consistent(parsed: ParsedArticle) -> None:
    assert isinstance(parsed.body, str) and parsed.body == parsed.body.strip()
    assert parsed.claims
    assert_valid_spans(parsed.body, parsed.claims)
    assert set(parsed.metadata) <= KNOWN_KEYS
    assert all(isinstance(v, str) and v == v.strip() and v for v in parsed.metadata.values())
    assert parsed.title.strip() and len(parsed.title) <= MAX_TITLE_CHARS
    assert "\n" not in parsed.title
    assert parsed.source and len(parsed.source) <= MAX_SOURCE_CHARS
    assert not any(ch in parsed.source for ch in "/\\\x00\u202e")
    assert len(parsed.checksum) == 64
    if "date" in parsed.metadata:
        assert parsed.published_on == datetime.date.fromisoformat(parsed.metadata["date"])
    else:
        assert parsed.published_on is None


@BOUNDED
@given(raw_bytes, file_names)
def test_parser_refuses_or_gives_a_consistent_article(raw: bytes, name: str) -> None:
    try:
        parsed = parse_article(raw, name)
    except ImportRefused as refusal:
        # The message is fit to show: it names the (cleaned) file and holds no raw bytes.
        assert str(refusal).split(":", 1)[0]
        assert "\x00" not in str(refusal)
        return
    assert_consistent(parsed)


@BOUNDED
@given(file_text, file_names)
def test_parser_on_utf8_text(text: str, name: str) -> None:
    try:
        parsed = parse_article(text.encode("utf-8", "surrogatepass"), name, max_claims=50)
    except ImportRefused:
        return
    assert_consistent(parsed)
    assert len(parsed.claims) <= 50


@BOUNDED
@given(st.sampled_from(".!? \t"), st.sampled_from([100_000, 400_000, 1_000_000]))
def test_parser_handles_huge_runs_of_one_character(char: str, size: int) -> None:
    """A boundary pre-check that backtracked made a file of a million dots take hours."""
    try:
        parsed = parse_article(("Start " + char * size + " end").encode(), "run.txt")
    except ImportRefused as refusal:
        assert str(refusal).startswith("run.txt: ")
        return
    assert_consistent(parsed)


# --- CSV neutralisation ----------------------------------------------------------------



cell_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=" \t\r\n\u00a0\u200b\u2060\ufeff\u3000\u2003\u200e\u202e=+-@＝＋－＠'a1",
            max_size=20),
    st.sampled_from(hostile.FORMULA),
    st.tuples(st.text(alphabet=" \u200b\u3000\u202e\n", max_size=5),
              st.sampled_from("=+-@\t\r＝＋－＠"), st.text(max_size=10)).map("".join),
)


@BOUNDED
@given(cell_text)
def test_neutralised_cells_never_start_a_formula(text: str) -> None:
    cell = neutralise(text)
    assert not runs_as_formula(cell), repr(cell)
    assert cell in (text, "'" + text)
    # Only what would run is touched: everything else arrives exactly as written.
    assert (cell != text) == runs_as_formula(text)


@BOUNDED
@given(cell_text)
def test_neutralising_twice_changes_nothing_more(text: str) -> None:
    once = neutralise(text)
    assert neutralise(once) == once
