"""The agreement pictures: well-formed SVG, one cell per reviewer pair and one bar per
label, "n/a" where a figure is undefined, and hostile names escaped, never run."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from annotator_testkit import hostile

from annotator.text.agreement import compute_agreement
from annotator.text.charts import label_bars, pair_heatmap

SVG = "{http://www.w3.org/2000/svg}"

# Three reviewers: 1 and 2 share claims, 3 shares none with 1 (an undefined pair).
RATINGS = [
    (1, 1, "supported"), (1, 2, "supported"),
    (2, 1, "disputed"), (2, 2, "unclear"),
    (3, 1, "disputed"), (3, 2, "disputed"),
    (4, 2, "disputed"), (4, 3, "disputed"),
]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def groups(root: ET.Element, kind: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


@pytest.mark.parametrize("draw", [pair_heatmap, label_bars])
def test_charts_are_accessible_scalable_and_self_contained(draw):
    svg = draw(compute_agreement(RATINGS))
    root = parse(svg)
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    assert all(e.tag.split("}")[1] not in {"script", "a", "image", "foreignObject", "use"}
               for e in root.iter())
    assert "href" not in svg and "url(" not in svg and " id=" not in svg
    assert not any(name.startswith("on") for e in root.iter() for name in e.attrib)


def test_the_heatmap_has_one_cell_per_pair_with_the_number_printed():
    report = compute_agreement(RATINGS, reviewer_names={1: "alice", 2: "bob", 3: "carol"})
    cells = groups(parse(pair_heatmap(report)), "cell")
    assert len(cells) == 3  # 3 reviewers, 3 pairs
    by_pair = {cell.find(f"{SVG}title").text.split(":")[0]: cell for cell in cells}
    kappa = report.pairs[0].cohen_kappa.value
    assert f"{kappa:.2f}" in texts(by_pair["alice & bob"])
    assert "n=3" in texts(by_pair["alice & bob"])
    # alice and carol share no claim; bob and carol share one, both "disputed" (one label only)
    assert "n/a" in texts(by_pair["alice & carol"])
    assert "no claim in common" in by_pair["alice & carol"].find(f"{SVG}title").text
    assert "n/a" in texts(by_pair["bob & carol"])
    assert texts(groups(parse(pair_heatmap(report)), "legend")[0])[-1] == "n/a"


@pytest.mark.parametrize("reviewers", [1, 2, 5])
def test_the_heatmap_cell_count_follows_the_reviewers(reviewers):
    ratings = [(claim, r, "supported" if (claim + r) % 3 else "disputed")
               for claim in range(6) for r in range(reviewers)]
    root = parse(pair_heatmap(compute_agreement(ratings)))
    assert len(groups(root, "cell")) == reviewers * (reviewers - 1) // 2
    if reviewers < 2:
        assert any("fewer than two reviewers" in t for t in texts(root))


def test_the_bars_have_one_bar_per_label_and_na_for_an_unused_label():
    report = compute_agreement(RATINGS[:6])
    bars = groups(parse(label_bars(report)), "bar")
    assert len(bars) == 3
    supported = bars[0]
    assert texts(supported)[0] == "supported"
    assert f"{report.labels[0].krippendorff_alpha.value:.2f}" in texts(supported)
    only_two = compute_agreement([(1, 1, "supported"), (1, 2, "disputed"),
                                  (2, 1, "supported"), (2, 2, "supported")])
    unclear = groups(parse(label_bars(only_two)), "bar")[2]
    assert "n/a" in texts(unclear)
    assert "No verdict counted says" in unclear.find(f"{SVG}title").text


HOSTILE_NAMES = [*hostile.XSS, "Tom & \"Jerry\" 'O'Neil'", "nul\x00and\x1fcontrol"]


def test_hostile_reviewer_names_and_labels_are_escaped():
    names = {i: name for i, name in enumerate(HOSTILE_NAMES)}
    ratings = [(claim, r, "<b>sup</b>" if (claim * r) % 2 else "&disp;")
               for claim in range(4) for r in names]
    report = compute_agreement(ratings, labels=("<b>sup</b>", "&disp;"),
                               reviewer_names=names)
    for svg in (pair_heatmap(report), label_bars(report)):
        assert "<script" not in svg.lower() and "<img" not in svg and "<b>" not in svg
        root = parse(svg)  # still well-formed XML
        assert {e.tag for e in root.iter()} <= {
            f"{SVG}{tag}" for tag in ("svg", "title", "desc", "g", "rect", "text", "line")}
    tooltips = " ".join(t.text for t in parse(pair_heatmap(report)).iter(f"{SVG}title"))
    assert "Tom & \"Jerry\" 'O'Neil'" in tooltips  # escaped, and read back as written
    assert "<script>alert(1)</script>" in tooltips
    assert "nul\ufffdand\ufffdcontrol" in tooltips
