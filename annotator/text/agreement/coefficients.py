"""The coefficients themselves, on counts: exact arithmetic, and a reason instead of a crash.

Each function takes the smallest thing its formula needs (per claim, how many verdicts
carried each label; or a pair's confusion matrix) and returns a ``Coefficient``: a value,
or ``None`` with the ``Undefined`` reason when the formula would divide by zero. Sums are
kept as ``Fraction`` until the end, so a result never depends on the order the claims
came in (float sums do, in the last digit) and perfect agreement is exactly 1.0.

Labels here are any hashable values; which labels exist is the caller's business.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

LabelCounts = Mapping[Hashable, int]


class Undefined(StrEnum):
    """Why a coefficient has no value, in words an editor can read."""

    NOTHING_TO_PAIR = (
        "No claim has verdicts from two or more reviewers, so there is nothing to compare.")
    ONE_REVIEWER = "Only one reviewer has given verdicts, so there is no one to agree with."
    NO_VERDICTS = "No verdict is counted yet, so there is nothing to compare."
    ONE_LABEL_ONLY = (
        "Every verdict counted carries the same label, so chance alone would already explain "
        "complete agreement and the coefficient cannot say more."
    )
    NO_SHARED_CLAIMS = "These reviewers have no claim in common."
    NO_DECISIONS = "None of the claims this reviewer judged has a final verdict yet."


@dataclass(frozen=True)
class Coefficient:
    """A computed value, or ``None`` and the reason it is undefined (never NaN)."""

    value: Fraction | None
    undefined: Undefined | None = None

    @classmethod
    def missing(cls, reason: Undefined) -> Coefficient:
        return cls(None, reason)


def nominal_alpha(units: Iterable[LabelCounts]) -> Coefficient:
    """Krippendorff's alpha for nominal data, missing values allowed.

    ``units`` gives, per claim, the number of verdicts with each label. A claim with fewer
    than two verdicts is not pairable and is left out, as Krippendorff (2011) prescribes.
    With the coincidence matrix o and its margins n_c (n in all):
    alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k.
    """
    margins: Counter[Hashable] = Counter()
    total = 0
    # Agreeing ordered pairs, summed per claim size (integers; one division per size).
    pairs_by_size: Counter[int] = Counter()
    for counts in units:
        size = sum(counts.values())
        if size < 2:
            continue
        total += size
        margins.update(counts)
        pairs_by_size[size] += sum(k * (k - 1) for k in counts.values())
    # The diagonal of the coincidence matrix, summed.
    coinciding = sum((Fraction(p, size - 1) for size, p in pairs_by_size.items()), Fraction(0))
    if total == 0:
        return Coefficient.missing(Undefined.NOTHING_TO_PAIR)
    expected = total * total - sum(n * n for n in margins.values())
    if expected == 0:
        return Coefficient.missing(Undefined.ONE_LABEL_ONLY)
    observed = total - coinciding
    return Coefficient(1 - (total - 1) * observed / expected)


def fleiss_kappa(units: Sequence[LabelCounts]) -> Coefficient:
    """Fleiss' kappa (Fleiss 1971) over units that all have the same number of verdicts.

    P_i = (sum_j n_ij^2 - m) / (m (m - 1)); P_bar their mean; p_j = sum_i n_ij / (N m);
    P_e = sum_j p_j^2; kappa = (P_bar - P_e) / (1 - P_e).
    """
    sizes = {sum(counts.values()) for counts in units}
    if not units or min(sizes) < 2:
        return Coefficient.missing(Undefined.NOTHING_TO_PAIR)
    if len(sizes) != 1:
        raise ValueError(f"Fleiss' kappa needs the same number of ratings per unit, got {sizes}")
    (raters,) = sizes
    claims = len(units)
    observed = Fraction(
        sum(sum(k * k for k in counts.values()) - raters for counts in units),
        claims * raters * (raters - 1),
    )
    margins: Counter[Hashable] = Counter()
    for counts in units:
        margins.update(counts)
    expected = sum(Fraction(n, claims * raters) ** 2 for n in margins.values())
    if expected == 1:
        return Coefficient.missing(Undefined.ONE_LABEL_ONLY)
    return Coefficient((observed - expected) / (1 - expected))


def cohen_kappa(confusion: Sequence[Sequence[int]]) -> Coefficient:
    """Cohen's kappa (Cohen 1960) from a square confusion matrix of counts.

    Row i, column j counts the items the first rater put in category i and the second in
    category j. kappa = (p_o - p_e) / (1 - p_e), p_e from each rater's own margins.
    """
    total = sum(sum(row) for row in confusion)
    if total == 0:
        return Coefficient.missing(Undefined.NO_SHARED_CLAIMS)
    size = len(confusion)
    rows = [sum(row) for row in confusion]
    columns = [sum(row[j] for row in confusion) for j in range(size)]
    observed = Fraction(sum(confusion[i][i] for i in range(size)), total)
    expected = Fraction(sum(r * c for r, c in zip(rows, columns, strict=True)), total * total)
    if expected == 1:
        return Coefficient.missing(Undefined.ONE_LABEL_ONLY)
    return Coefficient((observed - expected) / (1 - expected))


def mean_pair_agreement(units: Iterable[LabelCounts]) -> Coefficient:
    """Percent agreement: per claim, the share of agreeing pairs of verdicts, averaged over the
    pairable claims (each claim weighs the same).

    On claims that all have the same number of verdicts this is Fleiss' P_bar.
    """
    pairs_by_size: Counter[int] = Counter()
    claims = 0
    for counts in units:
        size = sum(counts.values())
        if size >= 2:
            claims += 1
            pairs_by_size[size] += sum(k * (k - 1) for k in counts.values())
    if not claims:
        return Coefficient.missing(Undefined.NOTHING_TO_PAIR)
    total = sum((Fraction(p, size * (size - 1)) for size, p in pairs_by_size.items()), Fraction(0))
    return Coefficient(total / claims)
