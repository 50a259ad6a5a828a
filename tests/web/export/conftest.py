"""Fixtures shared by the tests of the CSV export."""

from __future__ import annotations

import pytest


@pytest.fixture
def three_verdicts(reviewer_id, reviewer2_id, claims, make_verdict, hide_claim):
    """Store one verdict on each of the three claims, with the notes given: alice's
    "supported" on the first, bob's "disputed" on the second, alice's "unclear" on the
    third, which is then hidden (so it is in no export)."""
    def make(first_note: str, second_note: str, hidden_note: str) -> None:
        first, second, third = claims
        make_verdict(first, reviewer_id, "supported", first_note)
        make_verdict(second, reviewer2_id, "disputed", second_note)
        make_verdict(third, reviewer_id, "unclear", hidden_note)
        hide_claim(third)

    return make
