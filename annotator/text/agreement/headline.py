"""The headline figures (alpha, Fleiss' kappa, percent agreement) and the per-label figures.

Fleiss' kappa, as Fleiss defined it in 1971, needs the same number of verdicts on every
claim. Rather than mixing in one of the several generalisations for varying numbers,
it is computed over the claims having the most common number of verdicts (two or
more; on a tie, the larger number), and its sentence says which number that was. With
``REVIEWS_PER_CLAIM`` set, nearly every finished claim has that number. Alpha, which
allows any number, covers all pairable claims.

Per label, the measure is Krippendorff's alpha on the data made binary ("this label" or
"another label"): the same chance-corrected scale as the headline alpha, with missing
verdicts handled the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from annotator.text.agreement import wording
from annotator.text.agreement.coefficients import (
    Coefficient,
    Undefined,
    fleiss_kappa,
    nominal_alpha,
)
from annotator.text.agreement.report import Figure, Id, LabelAgreement
from annotator.text.agreement.table import RatingTable, alpha_and_percent, figure, label_counts

Pairable = Mapping[Id, Mapping[Id, str]]


def _lone_reviewer(table: RatingTable) -> dict[Undefined, str]:
    """With fewer than two reviewers, "nothing to pair" is better said as "one reviewer",
    or as "no verdict" when there is none at all."""
    reviewers = len(table.reviewers())
    if reviewers == 0:
        return {Undefined.NOTHING_TO_PAIR: Undefined.NO_VERDICTS.value}
    if reviewers == 1:
        return {Undefined.NOTHING_TO_PAIR: Undefined.ONE_REVIEWER.value}
    return {}


def figures(table: RatingTable, pairable: Pairable) -> tuple[Figure, Figure, Figure]:
    """Krippendorff's alpha, Fleiss' kappa and percent agreement over ``pairable``."""
    claims, verdicts = len(pairable), sum(len(rated) for rated in pairable.values())
    reasons = _lone_reviewer(table)
    alpha, percent = alpha_and_percent(pairable)
    return (
        figure(alpha, "coefficient", claims, verdicts, wording.ALPHA, reasons=reasons),
        _fleiss(pairable, reasons),
        figure(percent, "percent", claims, verdicts, wording.PERCENT, reasons=reasons),
    )


def _fleiss(pairable: Pairable, reasons: Mapping[Undefined, str]) -> Figure:
    sizes = Counter(len(rated) for rated in pairable.values())
    if not sizes:
        return figure(Coefficient.missing(Undefined.NOTHING_TO_PAIR), "coefficient", 0, 0,
                      wording.explain(wording.FLEISS, which=""),
                      reasons=reasons)
    raters = max(sizes, key=lambda size: (sizes[size], size))
    units = [label_counts(rated) for rated in pairable.values() if len(rated) == raters]
    left_out = len(pairable) - len(units)
    qualifier = f"with exactly {raters} verdicts"
    if left_out:
        qualifier += f" ({wording.plural(left_out, 'claim')} with another number left out)"
    return figure(
        fleiss_kappa(units), "coefficient", len(units), len(units) * raters,
        wording.explain(wording.FLEISS, which=f", here {raters}"),
        computed_on=wording.computed_on(len(units), len(units) * raters, qualifier),
        reasons=reasons)


def per_label(table: RatingTable, pairable: Pairable) -> tuple[LabelAgreement, ...]:
    """One label against the rest, for every label in the table's order."""
    claims, verdicts = len(pairable), sum(len(rated) for rated in pairable.values())
    entries = []
    for label in table.labels:
        units = []
        disputed = []
        for claim, rated in pairable.items():
            with_label = sum(1 for given in rated.values() if given == label)
            units.append({True: with_label, False: len(rated) - with_label})
            if 0 < with_label < len(rated):
                disputed.append(claim)
        used = sum(unit[True] for unit in units)
        reasons = {
            **_lone_reviewer(table),
            Undefined.ONE_LABEL_ONLY: wording.explain(
                wording.LABEL_ALWAYS_USED if used else wording.LABEL_NEVER_USED, label=label),
        }
        alpha = figure(nominal_alpha(units), "coefficient", claims, verdicts,
                       wording.explain(wording.LABEL_ALPHA, label=label), reasons=reasons)
        entries.append(LabelAgreement(label, used, alpha, tuple(disputed)))
    return tuple(entries)
