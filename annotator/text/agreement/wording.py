"""Every sentence the agreement figures say to an editor, in one place.

Each figure carries what it was computed on and one plain sentence on what it means; the
pages, the command and the charts print these rather than writing their own.
"""

from __future__ import annotations

COEFFICIENT_SCALE = (
    "1 is full agreement, 0 is what chance would give, below 0 is systematic disagreement")

ALPHA = (
    "Krippendorff's alpha: how much more often reviewers gave a claim the same label than chance "
    f"would make them ({COEFFICIENT_SCALE}; 0.8 or more is commonly taken as reliable)."
)
FLEISS = (
    "Fleiss' kappa: the same question in Fleiss' 1971 form, which needs the same number of "
    "verdicts on every claim, so it counts only the claims with the most common number of "
    "verdicts{which} ({scale})."
)
PERCENT = (
    "Percent agreement: of every two verdicts on the same claim, the share that carry the same "
    "label, averaged over the claims; it is not corrected for chance, so it reads higher than "
    "the coefficients."
)
ARTICLE_ALPHA = "Krippendorff's alpha on this article's claims only ({scale})."
ARTICLE_PERCENT = "Of every two verdicts on the same claim of this article, the share that agree."
PAIR_KAPPA = (
    "Cohen's kappa for {first} and {second}: how far the two agree on the claims both judged, "
    "beyond what their own habits of choosing labels would give by chance ({scale})."
)
PAIR_PERCENT = (
    "The share of the claims both judged on which {first} and {second} gave the same label.")
LABEL_ALPHA = (
    "How reliably reviewers tell \u201c{label}\u201d claims from the rest: Krippendorff's alpha on "
    "\u201c{label}\u201d against any other label ({scale})."
)
LABEL_NEVER_USED = "No verdict counted says \u201c{label}\u201d, so there is nothing to agree on."
LABEL_ALWAYS_USED = (
    "Every verdict counted says \u201c{label}\u201d, so chance alone explains the agreement.")
REVIEWER_OTHERS = (
    "How often {name}'s verdicts match the other reviewers' verdicts on the same claims, "
    "counting every pair of verdicts."
)
REVIEWER_FINAL = (
    "How often {name}'s verdicts match the final verdict on the decided claims {name} judged.")
REVIEWER_FINAL_KAPPA = (
    "Cohen's kappa between {name} and the final verdicts: agreement with the desk beyond "
    "chance ({scale})."
)


def explain(template: str, **values: object) -> str:
    """A template above filled in; ``scale`` is supplied so templates can mention it."""
    return template.format(scale=COEFFICIENT_SCALE, **values)


def plural(count: int, noun: str) -> str:
    """``1 claim``, ``2 claims``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def computed_on(claims: int, verdicts: int, qualifier: str = "with at least two verdicts") -> str:
    """What a figure counted, e.g. ``42 verdicts on 20 claims with at least two verdicts``."""
    return f"{plural(verdicts, 'verdict')} on {plural(claims, 'claim')} {qualifier}".rstrip()
