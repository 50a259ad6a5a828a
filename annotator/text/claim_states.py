"""Where a claim stands on its way to one final verdict, from plain facts about it.

One rule for the desk's filters and badges, the per-claim export and the progress figures:

* ``recheck``: the desk decided it, then its boundaries changed; the decision must be
  looked at again;
* ``decided``: the desk's final verdict stands;
* ``split``: the reviewers' current verdicts differ, however many there are;
* ``waiting``: fewer independent verdicts than the claim needs, none differing;
* ``unanimous``: enough independent verdicts, all the same label.

A split is shown before waiting: a disagreement is worth settling even before the last
review is in.
"""

from __future__ import annotations

from collections.abc import Iterable

CLAIM_STATES = ("split", "recheck", "unanimous", "waiting", "decided")

# What the desk and the exports call each state, in words.
STATE_NAMES = {
    "split": "split",
    "recheck": "to re-check",
    "unanimous": "unanimous",
    "waiting": "waiting for reviews",
    "decided": "decided",
}


def claim_state(labels: Iterable[str], independent: int, needed: int,
                decided: bool = False, decision_needs_recheck: bool = False) -> str:
    """The state of a claim.

    ``labels``: the current labels of every verdict on it; ``independent``: how many of
    those verdicts were saved independently; ``needed``: REVIEWS_PER_CLAIM; ``decided``:
    whether the desk set a final verdict, and ``decision_needs_recheck`` whether a
    boundary change has since marked it.
    """
    if decided:
        return "recheck" if decision_needs_recheck else "decided"
    distinct = set(labels)
    if len(distinct) > 1:
        return "split"
    if independent < needed or not distinct:
        return "waiting"
    return "unanimous"
