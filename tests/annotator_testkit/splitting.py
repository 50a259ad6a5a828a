"""The splitter's promises about its spans, and the cases of its example tables.

The splitting tests share one table shape: cases of a body and the claims it must give,
made with ``sentences`` (the body is the claims joined by spaces) or ``rows`` (any body),
run by a test parametrized with ``claim_table`` that asserts ``texts(body) == expected``.
The same tables are checked again with a lane of the splitter switched off
(``through_pysbd_alone``, ``offsets_without``): the lanes must never change a claim.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

import pytest

import annotator.text.splitting as splitting
from annotator.text.splitting import ClaimSpan, lines, split_claims

# Every character Python treats as a line boundary.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# Whitespace, one bullet, whitespace: what is left out before a claim when it starts a line.
BULLET_GAP = re.compile(r"\s*[-‐‑‒–—―•*·▪◦‣⁃●○■□►▸▶➢✓✔]\s+")


def assert_valid_spans(body: str, spans: list[ClaimSpan]) -> None:
    """Check every promise split_claims makes about its result."""
    previous_end = 0
    for span in spans:
        # No text is lost: between two claims there is only whitespace, or a bullet
        # that starts a line (a list marker is not part of the claim).
        gap = body[previous_end : span.start]
        starts_line = previous_end == 0 or any(mark in gap for mark in LINE_BREAKS)
        assert not gap.strip() or (starts_line and BULLET_GAP.fullmatch(gap)), f"lost {gap!r}"
        assert isinstance(span, ClaimSpan)
        assert span.text == body[span.start : span.end]
        assert span.text, "empty claim"
        assert span.text == span.text.strip(), "claim has surrounding whitespace"
        assert not any(mark in span.text for mark in LINE_BREAKS), "claim spans lines"
        assert span.start >= previous_end, "claims overlap or are out of order"
        previous_end = span.end
    # Nothing but whitespace follows the last claim (a bullet there would be lost text).
    assert not body[previous_end:].strip(), f"lost {body[previous_end:]!r}"


def texts(body: str) -> list[str]:
    """Split ``body`` and return the claim texts, after checking the spans."""
    spans = split_claims(body)
    assert_valid_spans(body, spans)
    return [span.text for span in spans]


def offsets(body: str) -> list[tuple[int, int]]:
    """Split ``body`` and return the (start, end) of each claim."""
    return [(span.start, span.end) for span in split_claims(body)]


def sentences(name: str, *claims: str):
    """A case whose body is its expected claims joined by single spaces."""
    return pytest.param(" ".join(claims), list(claims), id=name)


def rows(*cases: tuple[str, str, list[str]]) -> list:
    """Cases from (id, body, expected claims) rows, for bodies that are not just their
    claims joined by spaces (line breaks, bullets, odd spacing)."""
    return [pytest.param(body, expected, id=name) for name, body, expected in cases]


def claim_table(*tables: list):
    """Parametrize a test with the (body, expected claims) cases of ``tables``."""
    cases = [case for table in tables for case in table]
    return pytest.mark.parametrize(("body", "expected"), cases)


def through_pysbd_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch the quick lane and the fast path off for the rest of the test: no plain
    lines, no certain boundaries and no plain stretches, so every line goes through pySBD
    and our rules."""
    monkeypatch.setattr(splitting, "plain_line_ranges", lambda line: None)
    monkeypatch.setattr(lines, "is_plain", lambda *args: False)
    monkeypatch.setattr(lines, "chunks", lambda line, begin, *args: [(begin, len(line))])


def offsets_without(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str, body: str
) -> list[tuple[int, int]]:
    """The claims of ``body`` with the lane ``owner.name`` switched off (answering None,
    "not sure", for every line), so that the ordinary way splits every line."""
    with monkeypatch.context() as patch:
        patch.setattr(owner, name, lambda *args: None)
        return offsets(body)


# --- random bodies ----------------------------------------------------------------------
# Deterministic for their seed, so that a failure can be run again: split with a lane of the
# splitter and without it, they must give the same claims.


def random_paragraphs(seed: int, pieces: Sequence[str], *, count: int, most: int) -> list[str]:
    """``count`` paragraphs, each 1 to ``most`` of ``pieces`` (sentences, or paragraphs of
    a few) drawn at random and joined by single spaces."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, most))) for _ in range(count)]


def token_soup(
    seed: int, tokens: Sequence[str], *, count: int, most: int, gaps: str = " "
) -> list[str]:
    """``count`` lines of 1 to ``most`` tokens drawn at random, each followed by a gap drawn
    from ``gaps`` (a single gap takes no draw), then joined with a space or without one:
    each token where the rules differ (titles, initials, times, list markers, quotation
    marks) meets every kind of neighbour."""
    rng = random.Random(seed)

    def gap() -> str:
        return gaps if len(gaps) == 1 else rng.choice(gaps)

    return [
        rng.choice(("", " ")).join(rng.choice(tokens) + gap() for _ in range(rng.randint(1, most)))
        for _ in range(count)
    ]


# --- adversarial shapes ---------------------------------------------------------------
# Inputs built to find super-linear spots: long runs of one kind of punctuation, quotation
# marks of every kind, list markers, abbreviations, one huge quotation, text without a
# space.  Each is a unit repeated up to a size; the splitter and the hints must take time
# proportional to that size on every one (tests/unit/text/test_splitting_linear.py, and
# ``benchmarks/bench_split.py --adversarial`` prints seconds per MiB).
ADVERSARIAL_UNITS = {
    "run of !;": "!;",
    "run of ?,": "?,",
    "run of ?!.,;:": "?!.,;:",
    "quote marks": "\"'“”‘’«»„‹›",
    "straight quotes": '" ',
    "list markers 1.": "1. ",
    "abbreviations Dr.": "Dr. ",
    "initials A.": "A. ",
    "dotted U.S.": "U.S. ",
    "ellipses": "... ",
    "6,000-char quotation": "“" + "word " * 1199 + "end.” ",
    "no spaces": "Word.Word,Word!Word?",
    "one character": "a",
    "one period": ".",
    "sentences": "It rose. ",
    "quoted sentences": "“It rose. It fell.” ",
    "brackets": "(a. B) ",
    "run-in list": "• 1. A ",
    "many tiny stretches": "Yes! A? ",
    "short quotations": "Mr.››Dr.»",
    "one-line list items": "1. A\n",
}


def adversarial(shape: str, size: int) -> str:
    """``ADVERSARIAL_UNITS[shape]`` repeated to exactly ``size`` characters."""
    unit = ADVERSARIAL_UNITS[shape]
    return (unit * (size // len(unit) + 1))[:size]
