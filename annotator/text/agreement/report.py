"""The agreement report: frozen records of plain values, and their JSON form.

``Figure`` is one number with what it stands on: the value (or ``None``), the counts it was
computed on, a sentence for editors, and the reason when it is undefined. The records
around it (``PairAgreement``, ``LabelAgreement``, ``ArticleAgreement``,
``ReviewerAgreement``, ``Disagreement``) each carry the claim ids behind their figures, so
a page can lead from a number to the claims.

In ``to_json()`` every figure's number sits under its own name (``krippendorff_alpha``,
``cohen_kappa``...) so a consumer can read it directly; the full figure, with its counts
and sentences, sits under the same name inside that level's ``figures`` object.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from annotator.text.agreement.terminal import render

Id = int | str
Scale = Literal["coefficient", "percent"]


@dataclass(frozen=True)
class Figure:
    """One agreement figure.

    ``value`` is a coefficient between -1 and 1 when ``scale`` is ``"coefficient"``, or a
    percentage between 0 and 100 when it is ``"percent"``; ``None`` when undefined, and
    then ``undefined_reason`` says why in words. ``claims`` and ``verdicts`` count what it
    was computed on; ``computed_on`` says the same in words.
    """

    value: float | None
    scale: Scale
    claims: int
    verdicts: int
    computed_on: str
    explanation: str
    undefined_reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value, "scale": self.scale, "claims": self.claims,
            "verdicts": self.verdicts, "computed_on": self.computed_on,
            "explanation": self.explanation, "undefined_reason": self.undefined_reason,
        }


def _numbers_and_figures(**figures: Figure) -> dict[str, Any]:
    """``{name: value, ..., "figures": {name: figure}}``: the layout every level uses."""
    out: dict[str, Any] = {name: figure.value for name, figure in figures.items()}
    out["figures"] = {name: figure.to_json() for name, figure in figures.items()}
    return out


def _record_json(record: Any) -> dict[str, Any]:
    """A record of plain fields and figures as JSON: plain fields as they are (tuples as
    lists), figures in the layout of ``_numbers_and_figures``."""
    plain: dict[str, Any] = {}
    figures: dict[str, Figure] = {}
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if isinstance(value, Figure):
            figures[field.name] = value
        else:
            plain[field.name] = list(value) if isinstance(value, tuple) else value
    return {**plain, **_numbers_and_figures(**figures)}


@dataclass(frozen=True)
class PairAgreement:
    """Two reviewers on the claims both judged.

    ``confusion[i][j]`` counts the shared claims the first reviewer labelled
    ``labels[i]`` and the second ``labels[j]`` (``labels`` in the report's order).
    """

    reviewers: tuple[Id, Id]
    names: tuple[str, str]
    shared_claims: int
    cohen_kappa: Figure
    percent_agreement: Figure
    confusion: tuple[tuple[int, ...], ...]
    disagreements: tuple[Id, ...]

    def to_json(self, labels: tuple[str, ...]) -> dict[str, Any]:
        return {
            "reviewers": list(self.reviewers), "names": list(self.names),
            "shared_claims": self.shared_claims,
            "confusion": {
                first: dict(zip(labels, row, strict=True))
                for first, row in zip(labels, self.confusion, strict=True)
            },
            "disagreements": list(self.disagreements),
            **_numbers_and_figures(
                cohen_kappa=self.cohen_kappa, percent_agreement=self.percent_agreement),
        }


@dataclass(frozen=True)
class LabelAgreement:
    """One label against the rest: Krippendorff's alpha on the data made binary.

    ``verdicts`` counts the verdicts with this label on pairable claims; ``disagreements``
    are the claims where some reviewers gave this label and others did not.
    """

    label: str
    verdicts: int
    krippendorff_alpha: Figure
    disagreements: tuple[Id, ...]

    def to_json(self) -> dict[str, Any]:
        return _record_json(self)


@dataclass(frozen=True)
class ArticleAgreement:
    """The figures on one article's pairable claims."""

    article: Id
    krippendorff_alpha: Figure
    percent_agreement: Figure
    disagreements: tuple[Id, ...]

    def to_json(self) -> dict[str, Any]:
        return _record_json(self)


@dataclass(frozen=True)
class ReviewerAgreement:
    """One reviewer against the others, and against the final verdicts.

    ``with_others`` (percent) counts every pair of this reviewer's verdict with another
    reviewer's on the same claim. ``with_final`` (percent) and ``kappa_with_final``
    (Cohen's kappa, the desk taken as a second rater) use every verdict of theirs on a
    decided claim, paired or not. ``differs_from_final`` lists those claims where they
    differ from the desk; ``disagreements`` where they differ from another reviewer.
    """

    reviewer: Id
    name: str
    verdicts: int
    with_others: Figure
    with_final: Figure
    kappa_with_final: Figure
    disagreements: tuple[Id, ...]
    differs_from_final: tuple[Id, ...]

    def to_json(self) -> dict[str, Any]:
        return _record_json(self)


@dataclass(frozen=True)
class Disagreement:
    """A claim whose verdicts carry more than one label, with every verdict and the decision."""

    claim: Id
    article: Id | None
    verdicts: tuple[tuple[Id, str], ...]
    final_verdict: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim, "article": self.article,
            "verdicts": [{"reviewer": r, "label": label} for r, label in self.verdicts],
            "final_verdict": self.final_verdict,
        }


@dataclass(frozen=True)
class AgreementReport:
    """Everything the agreement page, the command and the charts show.

    ``claims``/``verdicts`` count what the headline figures stand on: the claims with at
    least two verdicts and the verdicts on them. ``claims_left_out`` counts the claims
    with a single verdict (not pairable), ``decided_claims`` the claims with a final
    verdict. Lists are ordered by id (numbers before strings).
    """

    krippendorff_alpha: Figure
    fleiss_kappa: Figure
    percent_agreement: Figure
    claims: int
    verdicts: int
    claims_left_out: int
    reviewers_counted: int
    decided_claims: int
    pairs: tuple[PairAgreement, ...]
    labels: tuple[LabelAgreement, ...]
    articles: tuple[ArticleAgreement, ...]
    reviewers: tuple[ReviewerAgreement, ...]
    disagreements: tuple[Disagreement, ...]

    @property
    def label_names(self) -> tuple[str, ...]:
        """The labels in the order the confusion matrices use."""
        return tuple(entry.label for entry in self.labels)

    def to_json(self) -> dict[str, Any]:
        """Plain dicts, lists, numbers and strings: ``json.dumps`` takes it as it is."""
        return {
            **_numbers_and_figures(
                krippendorff_alpha=self.krippendorff_alpha, fleiss_kappa=self.fleiss_kappa,
                percent_agreement=self.percent_agreement),
            "claims": self.claims, "verdicts": self.verdicts,
            "claims_left_out": self.claims_left_out,
            "reviewers_counted": self.reviewers_counted,
            "decided_claims": self.decided_claims,
            "pairs": [pair.to_json(self.label_names) for pair in self.pairs],
            "labels": [entry.to_json() for entry in self.labels],
            "articles": [entry.to_json() for entry in self.articles],
            "reviewers": [entry.to_json() for entry in self.reviewers],
            "disagreements": [entry.to_json() for entry in self.disagreements],
        }

    def to_text(self) -> str:
        """The report for a terminal: headline figures, pairs, labels, articles, reviewers."""
        return render(self)
