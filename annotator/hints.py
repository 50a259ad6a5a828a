"""Hints for reviewers about a claim: is it a quotation, who said it, what it holds.

Pure Python, no Flask, no model downloads: transparent rules, each one tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["HINT_FILTERS", "ClaimHints", "claim_hints", "hints_for_claims"]

# The names a reviewer can filter the queue by, in the order the UI lists them.
HINT_FILTERS = ("quote", "number", "percent", "money", "date")


@dataclass(frozen=True, slots=True)
class ClaimHints:
    quote: bool = False
    speaker: str | None = None
    number: bool = False
    percent: bool = False
    money: bool = False
    date: bool = False


def claim_hints(text: str) -> ClaimHints:
    """The hints for one claim's text on its own."""
    return ClaimHints()


def hints_for_claims(body: str, spans: Sequence[tuple[int, int]]) -> list[ClaimHints]:
    """The hints for every claim of an article, given as (start, end) offsets into ``body``.

    Context may matter: a quotation split into one claim per sentence is a quotation in every
    one of its claims, and the speaker named at its end applies to all of them.
    """
    return [claim_hints(body[start:end]) for start, end in spans]
