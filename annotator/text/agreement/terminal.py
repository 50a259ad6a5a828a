"""The report as plain text for a terminal (``flask agreement --format text``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.text.agreement.report import AgreementReport, Figure

# Claim ids listed per line before "and N more", so a long list stays readable.
SHOWN_CLAIMS = 20


def number(figure: Figure) -> str:
    """``0.743``, ``74.1%`` or ``n/a``."""
    if figure.value is None:
        return "n/a"
    if figure.scale == "percent":
        return f"{figure.value:.1f}%"
    return f"{figure.value:.3f}"


def claim_list(claims: tuple[object, ...]) -> str:
    shown = ", ".join(str(claim) for claim in claims[:SHOWN_CLAIMS])
    more = len(claims) - SHOWN_CLAIMS
    return f"{shown} and {more} more" if more > 0 else shown


def _headline(title: str, figure: Figure) -> list[str]:
    lines = [f"{title:<22}{number(figure):>8}   {figure.computed_on}",
             f"{'':<33}{figure.explanation}"]
    if figure.undefined_reason:
        lines.append(f"{'':<33}n/a: {figure.undefined_reason}")
    return lines


def _short(figure: Figure) -> str:
    """The number, or ``n/a (reason)`` when undefined."""
    return number(figure) if figure.value is not None else f"n/a ({figure.undefined_reason})"


def render(report: AgreementReport) -> str:
    """Headline figures, then pairs, labels, articles, reviewers and the disagreements."""
    lines = ["Agreement", "========="]
    lines += _headline("Krippendorff's alpha", report.krippendorff_alpha)
    lines += _headline("Fleiss' kappa", report.fleiss_kappa)
    lines += _headline("Percent agreement", report.percent_agreement)
    lines.append(
        f"Counted: {report.verdicts} verdicts on {report.claims} claims by "
        f"{report.reviewers_counted} reviewers; {report.claims_left_out} claim(s) with a single "
        f"verdict left out; {report.decided_claims} claim(s) decided.")
    lines += ["", "Reviewer pairs (Cohen's kappa)", "------------------------------"]
    for pair in report.pairs:
        lines.append(f"{pair.names[0]} & {pair.names[1]}: {_short(pair.cohen_kappa)}, "
                     f"{number(pair.percent_agreement)} agree, {pair.shared_claims} shared claims")
        lines.append("    confusion (rows " + pair.names[0] + "): " + "; ".join(
            f"{label}: {' '.join(str(n) for n in row)}"
            for label, row in zip(report.label_names, pair.confusion, strict=True)))
        if pair.disagreements:
            lines.append(f"    differ on claims {claim_list(pair.disagreements)}")
    lines += ["", "Labels (one against the rest, Krippendorff's alpha)",
              "---------------------------------------------------"]
    lines += [f"{entry.label}: {_short(entry.krippendorff_alpha)}, {entry.verdicts} verdicts"
              for entry in report.labels]
    lines += ["", "Articles", "--------"]
    lines += [f"article {entry.article}: alpha {_short(entry.krippendorff_alpha)}, "
              f"{number(entry.percent_agreement)} agree, {entry.krippendorff_alpha.computed_on}"
              for entry in report.articles]
    lines += ["", "Reviewers", "---------"]
    lines += [f"{entry.name}: {entry.verdicts} verdicts; with the others "
              f"{number(entry.with_others)}; with the final verdicts {number(entry.with_final)} "
              f"(kappa {number(entry.kappa_with_final)})" for entry in report.reviewers]
    lines += ["", f"Disagreements ({len(report.disagreements)} claims)", "-------------"]
    names = {entry.reviewer: entry.name for entry in report.reviewers}
    for item in report.disagreements:
        verdicts = ", ".join(f"{names[reviewer]}: {label}" for reviewer, label in item.verdicts)
        final = f" -> final: {item.final_verdict}" if item.final_verdict else ""
        lines.append(f"claim {item.claim}: {verdicts}{final}")
    return "\n".join(lines) + "\n"
