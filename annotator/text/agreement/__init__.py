"""Agreement between reviewers: pure statistics on plain ratings, for the agreement page,
the ``agreement`` command and the decision desk.

Call::

    report = compute_agreement(
        ratings,                      # iterable of (claim_id, reviewer_id, label)
        labels=models.LABELS,         # the label vocabulary, in display order
        final_verdicts={claim_id: label},        # optional: the desk's decisions
        articles={claim_id: article_id},         # optional: for the per-article figures
        reviewer_names={reviewer_id: username},  # optional: for sentences and charts
    )
    report.to_json()   # dict for json.dumps; report.to_text() for a terminal
    charts.pair_heatmap(report), charts.label_bars(report)   # SVG, annotator.text.charts

Input rules: ids are ints or strings; exactly one rating per (claim, reviewer), which
should be that reviewer's first independent verdict; every label must be in ``labels``.
Otherwise ``AgreementInputError`` (a ``ValueError``) names the rating at fault.

What is counted:

* A claim with fewer than two verdicts is not pairable and is left out of every
  reviewer-to-reviewer figure (``claims_left_out`` counts them), as Krippendorff's alpha
  prescribes for missing data. ``claims`` and ``verdicts`` count what remains.
* ``krippendorff_alpha``: nominal alpha over all pairable claims, any number of verdicts each.
* ``fleiss_kappa``: Fleiss (1971) over the claims with the most common number of
  verdicts (on a tie the larger number); its ``computed_on`` says which and how many
  were left out. Not a generalisation for varying numbers: those differ from one another,
  and alpha already covers that case.
* ``percent_agreement``: per claim, the share of agreeing pairs of verdicts, averaged over
  the pairable claims (Fleiss' P-bar when every claim has the same number), in percent.
* ``pairs``: Cohen's kappa, percent agreement, the confusion matrix (rows: the first
  reviewer, columns: the second, both in ``labels`` order) and the differing claims, for
  every two reviewers who share a claim.
* ``labels``: one label against the rest, measured by Krippendorff's alpha on the data
  made binary; ``disagreements`` are the claims where some said this label and some not.
* ``articles``: alpha and percent agreement per article; ``reviewers``: agreement with
  the other reviewers (percent of pairs), with the final verdicts (percent, and Cohen's
  kappa with the desk as second rater, over every verdict of theirs on a decided claim).
* ``disagreements``: every pairable claim whose verdicts differ, with each verdict and the
  final verdict, so the page can lead from a figure to the claims behind it.

Every number is a ``Figure``: ``value`` (a coefficient in [-1, 1], or a percentage),
``claims`` and ``verdicts`` it stood on, ``computed_on`` and ``explanation`` in words, and
``undefined_reason`` when ``value`` is ``None`` (one reviewer, nothing to pair, no shared
claims, one label only, no decisions). Arithmetic is exact (fractions), so the results
do not depend on the order of the input, and undefined cases never divide by zero.
"""

from annotator.text.agreement.coefficients import Undefined
from annotator.text.agreement.compute import compute_agreement
from annotator.text.agreement.report import (
    AgreementReport,
    ArticleAgreement,
    Disagreement,
    Figure,
    LabelAgreement,
    PairAgreement,
    ReviewerAgreement,
)
from annotator.text.agreement.table import DEFAULT_LABELS, AgreementInputError, Rating

__all__ = [
    "DEFAULT_LABELS",
    "AgreementInputError",
    "AgreementReport",
    "ArticleAgreement",
    "Disagreement",
    "Figure",
    "LabelAgreement",
    "PairAgreement",
    "Rating",
    "ReviewerAgreement",
    "Undefined",
    "compute_agreement",
]
