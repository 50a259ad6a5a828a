"""The checked input and the helpers every figure is made with.

The input is what a service can read straight from the database: one
``(claim_id, reviewer_id, label)`` per reviewer and claim (the caller picks each reviewer's
first independent verdict), the final verdicts ``{claim_id: label}`` and the article of
each claim ``{claim_id: article_id}``. Ids are ints or strings, so the report sorts
and serialises them as they are. Bad input raises ``AgreementInputError`` naming the
rating at fault; nothing is half computed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from annotator.text.agreement import wording
from annotator.text.agreement.coefficients import (
    Coefficient,
    Undefined,
    mean_pair_agreement,
    nominal_alpha,
)
from annotator.text.agreement.report import Figure, Id, Scale

# The app's list is annotator.models.LABELS; text/ may not import it, so the caller passes
# it and this default only mirrors it for scripts and tests.
DEFAULT_LABELS = ("supported", "disputed", "unclear")

Rating = tuple[Id, Id, str]


class AgreementInputError(ValueError):
    """The ratings cannot be counted as given; the message names the value at fault."""


def order(value: Id) -> tuple[bool, Id]:
    """A sort key for ids: numbers first, then strings (a mix never compares int to str)."""
    return (isinstance(value, str), value)


def _check_id(kind: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise AgreementInputError(f"A {kind} id must be a number or a string, got {value!r}.")


@dataclass(frozen=True)
class RatingTable:
    """The checked input: per claim, each reviewer's label; sorted by claim id."""

    labels: tuple[str, ...]
    by_claim: dict[Id, dict[Id, str]]
    final: dict[Id, str]
    article_of: dict[Id, Id]
    names: dict[Id, str]

    @classmethod
    def build(
        cls, ratings: Iterable[Rating], labels: Sequence[str], final: Mapping[Id, str],
        article_of: Mapping[Id, Id], names: Mapping[Id, str],
    ) -> RatingTable:
        labels = tuple(labels)
        if not labels or len(set(labels)) != len(labels):
            raise AgreementInputError(f"The labels must be distinct and not empty: {labels!r}.")
        by_claim: dict[Id, dict[Id, str]] = defaultdict(dict)
        for rating in ratings:
            claim, reviewer, label = _unpack(rating, labels)
            if reviewer in by_claim[claim]:
                raise AgreementInputError(
                    f"Reviewer {reviewer!r} has two ratings on claim {claim!r}; "
                    "pass one per reviewer and claim (their first independent verdict).")
            by_claim[claim][reviewer] = label
        for claim, label in final.items():
            _check_id("claim", claim)
            if label not in labels:
                raise AgreementInputError(
                    f"The final verdict on claim {claim!r} is {label!r}, not one of {labels}.")
        for claim, article in article_of.items():
            _check_id("claim", claim)
            _check_id("article", article)
        return cls(labels, {claim: dict(sorted(by_claim[claim].items(), key=lambda i: order(i[0])))
                            for claim in sorted(by_claim, key=order)},
                   dict(final), dict(article_of), dict(names))

    def name(self, reviewer: Id) -> str:
        return str(self.names.get(reviewer, reviewer))

    def pairable(self) -> dict[Id, dict[Id, str]]:
        """The claims with two or more verdicts: the only ones agreement can be measured on."""
        return {claim: rated for claim, rated in self.by_claim.items() if len(rated) >= 2}

    def reviewers(self) -> list[Id]:
        return sorted({r for rated in self.by_claim.values() for r in rated}, key=order)


def _unpack(rating: object, labels: tuple[str, ...]) -> Rating:
    try:
        claim, reviewer, label = rating  # type: ignore[misc]
    except (TypeError, ValueError):
        raise AgreementInputError(
            f"A rating must be (claim_id, reviewer_id, label), got {rating!r}.") from None
    _check_id("claim", claim)
    _check_id("reviewer", reviewer)
    if label not in labels:
        raise AgreementInputError(
            f"Reviewer {reviewer!r} gave claim {claim!r} the label {label!r}, "
            f"which is not one of {labels}.")
    return claim, reviewer, label


def figure(
    coefficient: Coefficient, scale: Scale, claims: int, verdicts: int, explanation: str,
    computed_on: str | None = None, reasons: Mapping[Undefined, str] | None = None,
) -> Figure:
    """A ``Figure`` from a coefficient: percent scaled to 0-100; a reason in words if undefined."""
    value = coefficient.value
    if value is not None and scale == "percent":
        value *= 100
    reason = None
    if coefficient.undefined is not None:
        reason = (reasons or {}).get(coefficient.undefined, coefficient.undefined.value)
    return Figure(
        value=None if value is None else float(value), scale=scale, claims=claims,
        verdicts=verdicts, computed_on=computed_on or wording.computed_on(claims, verdicts),
        explanation=explanation, undefined_reason=reason)


def share(agreeing: int, total: int, undefined: Undefined) -> Coefficient:
    """``agreeing / total`` as a coefficient, undefined when nothing was counted."""
    return Coefficient(Fraction(agreeing, total)) if total else Coefficient.missing(undefined)


def label_counts(rated: Mapping[Id, str]) -> Counter[str]:
    """How many verdicts on one claim carry each label."""
    return Counter(rated.values())


def alpha_and_percent(pairable: Mapping[Id, Mapping[Id, str]]) -> tuple[Coefficient, Coefficient]:
    """Krippendorff's alpha and mean pairwise agreement on the same claims."""
    units = [label_counts(rated) for rated in pairable.values()]
    return nominal_alpha(units), mean_pair_agreement(units)
