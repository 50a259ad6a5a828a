"""The figures by group: reviewer pairs, articles, reviewers, and the disagreement list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from annotator.text.agreement import wording
from annotator.text.agreement.coefficients import Undefined, cohen_kappa
from annotator.text.agreement.report import (
    ArticleAgreement,
    Disagreement,
    Id,
    PairAgreement,
    ReviewerAgreement,
)
from annotator.text.agreement.table import RatingTable, alpha_and_percent, figure, order, share

Pairable = Mapping[Id, Mapping[Id, str]]


Matrix = tuple[tuple[int, ...], ...]


def _confusion(labels: tuple[str, ...], pairs: list[tuple[str, str]]) -> Matrix:
    """Row: the first rater's label; column: the second's; in ``labels`` order."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for first, second in pairs:
        matrix[index[first]][index[second]] += 1
    return tuple(tuple(row) for row in matrix)


def pairs(table: RatingTable, pairable: Pairable) -> tuple[PairAgreement, ...]:
    """Every two reviewers with at least one claim in common (first id < second id)."""
    shared: dict[tuple[Id, Id], list[tuple[Id, str, str]]] = defaultdict(list)
    for claim, rated in pairable.items():
        reviewers = list(rated)  # already in id order
        for i, first in enumerate(reviewers):
            for second in reviewers[i + 1:]:
                shared[(first, second)].append((claim, rated[first], rated[second]))
    entries = []
    for (first, second), items in sorted(shared.items(), key=lambda i: tuple(map(order, i[0]))):
        names = (table.name(first), table.name(second))
        agreeing = sum(1 for _, a, b in items if a == b)
        count = len(items)
        entries.append(PairAgreement(
            reviewers=(first, second), names=names, shared_claims=count,
            cohen_kappa=figure(
                cohen_kappa(_confusion(table.labels, [(a, b) for _, a, b in items])),
                "coefficient", count, 2 * count,
                wording.explain(wording.PAIR_KAPPA, first=names[0], second=names[1]),
                computed_on=wording.computed_on(count, 2 * count, "both judged")),
            percent_agreement=figure(
                share(agreeing, count, Undefined.NO_SHARED_CLAIMS), "percent", count, 2 * count,
                wording.explain(wording.PAIR_PERCENT, first=names[0], second=names[1]),
                computed_on=wording.computed_on(count, 2 * count, "both judged")),
            confusion=_confusion(table.labels, [(a, b) for _, a, b in items]),
            disagreements=tuple(claim for claim, a, b in items if a != b),
        ))
    return tuple(entries)


def per_article(table: RatingTable) -> tuple[ArticleAgreement, ...]:
    """Alpha and percent agreement for every article with a rated claim in the mapping.

    An article whose claims all have a single verdict is listed, with undefined figures
    that say so; claims missing from the mapping count in no article.
    """
    claims_of: dict[Id, dict[Id, Mapping[Id, str]]] = defaultdict(dict)
    for claim, rated in table.by_claim.items():
        if claim in table.article_of:
            claims_of[table.article_of[claim]][claim] = rated
    entries = []
    for article in sorted(claims_of, key=order):
        pairable = {c: rated for c, rated in claims_of[article].items() if len(rated) >= 2}
        claims, verdicts = len(pairable), sum(len(rated) for rated in pairable.values())
        alpha, percent = alpha_and_percent(pairable)
        entries.append(ArticleAgreement(
            article=article,
            krippendorff_alpha=figure(alpha, "coefficient", claims, verdicts,
                                      wording.explain(wording.ARTICLE_ALPHA)),
            percent_agreement=figure(percent, "percent", claims, verdicts,
                                     wording.ARTICLE_PERCENT),
            disagreements=tuple(c for c, rated in pairable.items()
                                if len(set(rated.values())) > 1),
        ))
    return tuple(entries)


def per_reviewer(table: RatingTable) -> tuple[ReviewerAgreement, ...]:
    """Every reviewer with a verdict: against the others, and against the final verdicts."""
    return tuple(_reviewer(table, reviewer) for reviewer in table.reviewers())


def _reviewer(table: RatingTable, reviewer: Id) -> ReviewerAgreement:
    name = table.name(reviewer)
    mine = {claim: rated[reviewer] for claim, rated in table.by_claim.items() if reviewer in rated}
    agreeing = total = 0
    paired_claims: list[Id] = []
    differing: list[Id] = []
    for claim, label in mine.items():
        others = [given for r, given in table.by_claim[claim].items() if r != reviewer]
        if others:
            paired_claims.append(claim)
            agreeing += sum(1 for given in others if given == label)
            total += len(others)
            if any(given != label for given in others):
                differing.append(claim)
    decided = [(claim, label, table.final[claim]) for claim, label in mine.items()
               if claim in table.final]
    matching = sum(1 for _, label, final in decided if label == final)
    on_paired = wording.computed_on(len(paired_claims), len(paired_claims),
                                    "that others judged too")
    on_decided = wording.computed_on(len(decided), len(decided), "with a final verdict")
    kappa = cohen_kappa(_confusion(table.labels, [(label, final) for _, label, final in decided]))
    return ReviewerAgreement(
        reviewer=reviewer, name=name, verdicts=len(mine),
        with_others=figure(
            share(agreeing, total, Undefined.NOTHING_TO_PAIR), "percent", len(paired_claims),
            len(paired_claims), wording.explain(wording.REVIEWER_OTHERS, name=name),
            computed_on=on_paired),
        with_final=figure(
            share(matching, len(decided), Undefined.NO_DECISIONS), "percent", len(decided),
            len(decided), wording.explain(wording.REVIEWER_FINAL, name=name),
            computed_on=on_decided),
        kappa_with_final=figure(
            kappa, "coefficient", len(decided), len(decided),
            wording.explain(wording.REVIEWER_FINAL_KAPPA, name=name), computed_on=on_decided,
            reasons={Undefined.NO_SHARED_CLAIMS: Undefined.NO_DECISIONS.value}),
        disagreements=tuple(differing),
        differs_from_final=tuple(claim for claim, label, final in decided if label != final),
    )


def disagreements(table: RatingTable, pairable: Pairable) -> tuple[Disagreement, ...]:
    """The claims whose verdicts carry more than one label, in claim id order."""
    return tuple(
        Disagreement(claim=claim, article=table.article_of.get(claim),
                     verdicts=tuple(rated.items()), final_verdict=table.final.get(claim))
        for claim, rated in pairable.items() if len(set(rated.values())) > 1)
