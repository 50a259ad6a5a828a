"""``compute_agreement``: plain ratings in, the whole ``AgreementReport`` out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from annotator.text.agreement import groups, headline
from annotator.text.agreement.report import AgreementReport, Id
from annotator.text.agreement.table import DEFAULT_LABELS, Rating, RatingTable


def compute_agreement(
    ratings: Iterable[Rating],
    *,
    labels: Sequence[str] = DEFAULT_LABELS,
    final_verdicts: Mapping[Id, str] | None = None,
    articles: Mapping[Id, Id] | None = None,
    reviewer_names: Mapping[Id, str] | None = None,
) -> AgreementReport:
    """The whole agreement report for ``ratings``; see the package docstring for the rules."""
    table = RatingTable.build(ratings, labels, final_verdicts or {}, articles or {},
                              reviewer_names or {})
    pairable = table.pairable()
    alpha, fleiss, percent = headline.figures(table, pairable)
    return AgreementReport(
        krippendorff_alpha=alpha, fleiss_kappa=fleiss, percent_agreement=percent,
        claims=len(pairable), verdicts=sum(len(rated) for rated in pairable.values()),
        claims_left_out=len(table.by_claim) - len(pairable),
        reviewers_counted=len(table.reviewers()),
        decided_claims=sum(1 for claim in table.by_claim if claim in table.final),
        pairs=groups.pairs(table, pairable), labels=headline.per_label(table, pairable),
        articles=groups.per_article(table), reviewers=groups.per_reviewer(table),
        disagreements=groups.disagreements(table, pairable),
    )
