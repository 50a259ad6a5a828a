"""Agreement pictures as SVG strings, drawn on the server and readable without JavaScript.

``pair_heatmap(report)`` draws Cohen's kappa for every two reviewers as a triangle of
cells (one per pair, the number printed in each, a legend beneath); a pair without a
value (no shared claims, one label only) is a grey cell reading "n/a", its reason in the
cell's tooltip. ``label_bars(report)`` draws each label's one-against-the-rest alpha as a
horizontal bar on a -1 to 1 axis, "n/a" where undefined.

Safe to embed inline: every piece of text (reviewer names, labels, reasons) is escaped
and stripped of characters XML cannot hold; there is no script, no link, no external
reference and no element id (two charts on one page cannot clash). Each SVG has a
``<title>`` and a ``<desc>`` summing it up in words for screen readers, and a
``viewBox`` without fixed size, so it scales to its container (give it a CSS width).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from annotator.text.agreement import AgreementReport, Figure

CELL = 64          # side of one heat-map cell, in SVG units
NAME_WIDTH = 150   # room for a reviewer's or label's name on the left
NAME_CHARS = 20    # names longer than this are cut with an ellipsis (full name in the tooltip)
BAR_WIDTH = 320    # length of the -1..1 axis of the bar chart
BAR_HEIGHT = 28
NOT_AVAILABLE = "#d9d9d9"
LEGEND_STEPS = (-1.0, -0.5, 0.0, 0.5, 1.0)

# Characters XML 1.0 cannot contain, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: object) -> str:
    """Text fit for an SVG element or a double- or single-quoted attribute."""
    cleaned = _NOT_XML.sub("\ufffd", str(text))
    return (cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "\u2026"


def colour(value: float) -> str:
    """Diverging scale: red at -1, near white at 0, blue at 1 (readable in greyscale too)."""
    light, positive, negative = (247, 247, 247), (33, 102, 172), (178, 24, 43)
    end = positive if value >= 0 else negative
    t = min(abs(value), 1.0)
    r, g, b = (round(a + (z - a) * t) for a, z in zip(light, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def ink(value: float | None) -> str:
    """Text colour with enough contrast on the cell's fill."""
    return "#ffffff" if value is not None and abs(value) > 0.55 else "#1a1a1a"


def _svg(width: int, height: int, title: str, desc: str, body: Iterable[str]) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        *body,
        "</svg>",
    ])


def _value_text(figure: Figure | None) -> str:
    return "n/a" if figure is None or figure.value is None else f"{figure.value:.2f}"


def _pair_cell(x: int, y: int, names: tuple[str, str], figure: Figure | None) -> str:
    value = None if figure is None else figure.value
    if figure is None:
        tip = f"{names[0]} & {names[1]}: n/a. These reviewers have no claim in common."
    elif value is None:
        tip = f"{names[0]} & {names[1]}: n/a. {figure.undefined_reason}"
    else:
        tip = (f"{names[0]} & {names[1]}: Cohen's kappa {value:.3f}, "
               f"{figure.claims} shared claims")
    fill = NOT_AVAILABLE if value is None else colour(value)
    dashes = "" if value is not None else ' stroke-dasharray="4 3"'
    count = "" if figure is None else (
        f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 18}" text-anchor="middle" font-size="10" '
        f'fill="{ink(value)}">n={figure.claims}</text>')
    return (
        f'<g class="cell"><title>{escape(tip)}</title>'
        f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" stroke="#ffffff"'
        f"{dashes}/>"
        f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 4}" text-anchor="middle" font-size="14" '
        f'fill="{ink(value)}">{_value_text(figure)}</text>{count}</g>')


def _legend(x: int, y: int) -> list[str]:
    parts = [f'<g class="legend"><text x="{x}" y="{y - 6}">Cohen\'s kappa</text>']
    for i, step in enumerate(LEGEND_STEPS):
        parts.append(
            f'<rect x="{x + i * 44}" y="{y}" width="40" height="14" fill="{colour(step)}" '
            f'stroke="#999999"/><text x="{x + i * 44 + 20}" y="{y + 28}" '
            f'text-anchor="middle">{step:g}</text>')
    na_x = x + len(LEGEND_STEPS) * 44 + 12
    parts.append(
        f'<rect x="{na_x}" y="{y}" width="40" height="14" fill="{NOT_AVAILABLE}" '
        f'stroke="#999999" stroke-dasharray="4 3"/><text x="{na_x + 20}" y="{y + 28}" '
        'text-anchor="middle">n/a</text></g>')
    return parts


def pair_heatmap(report: AgreementReport, title: str = "Agreement between reviewer pairs") -> str:
    """Cohen's kappa for every two reviewers: one cell per pair, below the diagonal."""
    reviewers = [(entry.reviewer, entry.name) for entry in report.reviewers]
    kappa = {pair.reviewers: pair.cohen_kappa for pair in report.pairs}
    count = len(reviewers)
    grid = max(count - 1, 0) * CELL
    top = 110
    width = max(NAME_WIDTH + grid + 20, NAME_WIDTH + 300)
    height = top + grid + 70
    body = []
    for i, (_, name) in enumerate(reviewers[1:], start=1):
        body.append(f'<text x="{NAME_WIDTH - 8}" y="{top + (i - 1) * CELL + CELL / 2 + 4}" '
                    f'text-anchor="end">{escape(short(name))}</text>')
    for j, (_, name) in enumerate(reviewers[:-1]):
        x, y = NAME_WIDTH + j * CELL + CELL / 2, top - 8
        body.append(f'<text x="{x}" y="{y}" transform="rotate(-45 {x} {y})">'
                    f"{escape(short(name))}</text>")
    defined = []
    for i in range(1, count):
        for j in range(i):
            first, second = reviewers[j], reviewers[i]
            figure = kappa.get((first[0], second[0]))
            if figure is not None and figure.value is not None:
                defined.append((figure.value, first[1], second[1]))
            body.append(_pair_cell(NAME_WIDTH + j * CELL, top + (i - 1) * CELL,
                                   (first[1], second[1]), figure))
    if count < 2:
        body.append(f'<text x="{NAME_WIDTH}" y="{top}">n/a: fewer than two reviewers, '
                    "so there are no pairs to compare.</text>")
    body += _legend(NAME_WIDTH, top + grid + 30)
    return _svg(width, height, title, _heatmap_desc(count, defined), body)


def _heatmap_desc(count: int, defined: list[tuple[float, str, str]]) -> str:
    pairs = count * (count - 1) // 2
    text = f"Cohen's kappa for each of the {pairs} pairs among {count} reviewers"
    if defined:
        high, low = max(defined), min(defined)
        text += (f"; highest {high[1]} & {high[2]} at {high[0]:.2f}, "
                 f"lowest {low[1]} & {low[2]} at {low[0]:.2f}")
    return text + f"; {pairs - len(defined)} not available."


def _bar_row(label: str, figure: Figure, y: float, zero: float) -> str:
    """One label's bar (or its grey "n/a" mark), its name and its tooltip."""
    value = figure.value
    if value is None:
        tip = f"{label}: n/a. {figure.undefined_reason}"
        mark = (f'<rect x="{zero - 20}" y="{y + 4}" width="40" height="{BAR_HEIGHT - 8}" '
                f'fill="{NOT_AVAILABLE}" stroke-dasharray="4 3" stroke="#999999"/>'
                f'<text x="{zero + 26}" y="{y + BAR_HEIGHT / 2 + 4}">n/a</text>')
    else:
        tip = f"{label}: Krippendorff's alpha {value:.3f}, {figure.computed_on}"
        length = abs(value) * BAR_WIDTH / 2
        x = zero if value >= 0 else zero - length
        end = zero + length + 6 if value >= 0 else zero - length - 6
        mark = (f'<rect x="{x:.1f}" y="{y + 4}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT - 8}" fill="{colour(value)}" stroke="#555555"/>'
                f'<text x="{end:.1f}" y="{y + BAR_HEIGHT / 2 + 4}" '
                f'text-anchor="{"start" if value >= 0 else "end"}">{value:.2f}</text>')
    return (f'<g class="bar"><title>{escape(tip)}</title>'
            f'<text x="{NAME_WIDTH - 8}" y="{y + BAR_HEIGHT / 2 + 4}" text-anchor="end">'
            f"{escape(short(label))}</text>{mark}</g>")


def label_bars(report: AgreementReport, title: str = "Agreement per label") -> str:
    """Each label against the rest (Krippendorff's alpha) as a bar from 0 on a -1..1 axis."""
    zero = NAME_WIDTH + BAR_WIDTH / 2
    top = 20
    rows = len(report.labels)
    body = [f'<line x1="{zero}" y1="{top - 6}" x2="{zero}" y2="{top + rows * BAR_HEIGHT}" '
            'stroke="#555555"/>']
    body += [_bar_row(entry.label, entry.krippendorff_alpha, top + i * BAR_HEIGHT, zero)
             for i, entry in enumerate(report.labels)]
    axis_y = top + rows * BAR_HEIGHT + 16
    for tick in (-1, 0, 1):
        body.append(f'<text x="{zero + tick * BAR_WIDTH / 2}" y="{axis_y}" '
                    f'text-anchor="middle">{tick}</text>')
    words = [f"{entry.label} {_value_text(entry.krippendorff_alpha)}" for entry in report.labels]
    desc = ("Krippendorff's alpha for each label against the rest, from -1 to 1: "
            + ", ".join(words) + ".")
    return _svg(NAME_WIDTH + BAR_WIDTH + 60, axis_y + 10, title, desc, body)
