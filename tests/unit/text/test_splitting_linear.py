"""The splitter and the hints take time proportional to the size of any input.

Each adversarial shape (``annotator_testkit.splitting.ADVERSARIAL_UNITS``) and a generated
soup of punctuation, quotation marks and abbreviations is timed at two sizes, four times
apart.  The bounds are far from the measured figures (all shapes take at most about
10 s per MiB, and 4x the size takes about 4x the time), so that a slow, busy machine
never fails them, while a quadratic spot (16x the time for 4x the size) always does.
CPU time of this process, not wall time: other processes on the machine do not count.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from annotator_testkit.splitting import ADVERSARIAL_UNITS, adversarial, assert_valid_spans
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.text.hints import hints_for_claims
from annotator.text.splitting import split_claims

SMALL = 16 * 1024
LARGE = 4 * SMALL
# 4x the size may take at most this many times the time ...
MAX_GROWTH = 12
# ... measured against at least this much CPU time for the small size, so that timer
# resolution on a fast shape cannot fail the ratio.
FLOOR_SECONDS = 0.03
# And no shape may cost more than this per MiB, for the splitter or the hints alone.
MAX_SECONDS_PER_MIB = 30.0
# A measurement over the bounds is taken again, up to this many times in all, and the
# least time counts: a busy machine slows a run down, it never speeds one up.
ATTEMPTS = 3


def cpu_seconds(work: Callable[[], object]) -> float:
    """CPU time of this process spent in ``work()``."""
    start = time.process_time()
    work()
    return time.process_time() - start


def assert_linear(small: str, large: str) -> None:
    """Split and hint both texts; fail when the time grows faster than the size."""
    for name, run in (("split", _split), ("hints", _hints)):
        low = cpu_seconds(lambda run=run: run(small))
        high = float("inf")
        for _ in range(ATTEMPTS):
            high = min(high, cpu_seconds(lambda run=run: run(large)))
            bound = min(MAX_GROWTH * max(low, FLOOR_SECONDS), _seconds_for(len(large)))
            if high <= bound:
                break
        assert high <= MAX_GROWTH * max(low, FLOOR_SECONDS), (name, low, high)
        assert high <= _seconds_for(len(large)), (name, high)


def _seconds_for(chars: int) -> float:
    return MAX_SECONDS_PER_MIB * chars / (1024 * 1024)


def _split(text: str) -> None:
    assert_valid_spans(text, split_claims(text))


def _hints(text: str) -> None:
    spans = [(span.start, span.end) for span in split_claims(text)]
    assert len(hints_for_claims(text, spans)) == len(spans)


@pytest.mark.parametrize("shape", ADVERSARIAL_UNITS)
def test_each_adversarial_shape_is_linear(shape: str) -> None:
    assert_linear(adversarial(shape, SMALL), adversarial(shape, LARGE))


# What makes sentence splitting and quotation finding slow: sentence and clause
# punctuation, quotation marks of every kind, abbreviations, initials, list markers,
# brackets, bullets, and the whitespace between them (or none at all).
SOUP_ATOMS = (
    "!", ";", "?", ",", ".", ":", "…", '"', "'", "“", "”", "‘", "’", "«", "»", "„", "‹", "›",
    "(", ")", "[", "]", "•", "—", "Dr.", "Mr.", "No.", "U.S.", "e.g.", "a.m.", "A.", "1.",
    "2)", "I", "The", "word", "said", " ", " ", "\t", "\n",
)  # fmt: skip


def _repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(SOUP_ATOMS), min_size=2, max_size=30).map("".join))
def test_punctuation_soup_is_linear(unit: str) -> None:
    assert_linear(_repeated(unit, SMALL), _repeated(unit, LARGE))


# Shapes aimed at the quick lane for plain lines: a period and a tab again and again (the
# word before each period is looked for within a bounded window), and numbered brackets
# between many sentence ends (each stretch checks only its own brackets).
LANE_SHAPES = {"periods and tabs": "a.\t", "numbered brackets": "It (5) rose. "}


@pytest.mark.parametrize("shape", LANE_SHAPES)
def test_plain_line_shapes_are_linear(shape: str) -> None:
    assert_linear(_repeated(LANE_SHAPES[shape], SMALL), _repeated(LANE_SHAPES[shape], LARGE))
