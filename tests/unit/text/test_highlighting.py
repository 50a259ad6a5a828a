"""Cutting text for display: an article into plain and claim parts, a claim into the
places it can be split."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.text.highlighting import SNIPPET_WORDS, cut_points, segments


@dataclass
class Span:
    start: int
    end: int


def test_segments_alternate_plain_text_and_spans_and_cover_the_body():
    body = "Intro. First claim. Middle. Second claim. Outro."
    first, second = Span(7, 19), Span(28, 41)
    parts = segments(body, [second, first])
    assert "".join(text for text, _ in parts) == body
    assert [(text, span) for text, span in parts] == [
        ("Intro. ", None), ("First claim.", first), (" Middle. ", None),
        ("Second claim.", second), (" Outro.", None)]


def test_segments_skip_spans_that_overlap_or_fall_outside_the_body():
    body = "One two three."
    kept = Span(0, 7)
    parts = segments(body, [kept, Span(3, 9), Span(10, 99), Span(5, 5)])
    assert parts == [("One two", kept), (" three.", None)]


def test_cut_points_are_the_gaps_between_words_with_their_neighbours():
    text = "Prices rose  4% in March."
    points = cut_points(text)
    assert [p.at for p in points] == [6, 11, 15, 18]
    assert (points[1].before, points[1].after) == ("Prices rose", "4% in March.")
    for point in points:
        assert text[:point.at].rstrip() and text[point.at:].lstrip()


def test_cut_points_shorten_long_sides_with_an_ellipsis():
    words = [f"w{n}" for n in range(12)]
    point = cut_points(" ".join(words))[5]
    assert point.before == "…" + " ".join(words[6 - SNIPPET_WORDS:6])
    assert point.after == " ".join(words[6:6 + SNIPPET_WORDS]) + "…"


def test_a_single_word_or_edge_spaces_give_no_cut_point():
    assert cut_points("Word.") == []
    assert [p.at for p in cut_points(" One two ")] == [4]
