"""An audit event's details in words: changed fields as (field, before, after) rows, the
other facts as labelled values, ids as the names the caller resolved; never a raw dict."""

from __future__ import annotations

import pytest

from annotator.text.audit_details import (
    MISSING,
    TEXT_PREVIEW_CHARS,
    FieldChange,
    describe,
    readable,
    referenced_ids,
)

NAMES = {"account": {2: "alice"}, "claim": {37: "claim 4 of Budget"},
         "article": {5: "Budget"}}
SPAN = {"id": 37, "start": 824, "end": 861, "text": "The deficit fell.", "status": "open"}


@pytest.mark.parametrize(("value", "text"), [
    (None, MISSING), ("", MISSING), ([], MISSING), ({}, MISSING),
    (True, "yes"), (False, "no"), (3, "3"), ("approved", "approved"),
    ([3, 4], "3, 4"),
    ({"claims": 12, "needs_recheck": False}, "claims: 12; needs recheck: no"),
    (SPAN, "“The deficit fell.” (characters 824–861)"),
    ([SPAN, {"start": 1, "end": 2}], "“The deficit fell.” (characters 824–861); characters 1–2"),
    ({"sources": ["https://a.example", "b"]}, "sources: https://a.example, b"),
])
def test_values_read_as_plain_text(value, text):
    assert readable(value) == text


def test_no_rendering_looks_like_a_python_literal():
    nested = {"before": {"claims": 3, "retired": [SPAN]},
              "after": {"claims": 4, "created": [SPAN, SPAN]}, "extra": {"a": [1, {"b": None}]}}
    shown = describe("article.resplit", nested, NAMES)
    texts = [c.before + c.after for c in shown.changes] + [v for _, v in shown.facts]
    assert texts and not any(mark in text for text in texts for mark in ("{'", "['", "'}"))


def test_a_long_claim_text_is_cut():
    shown = readable({"start": 0, "end": 900, "text": "x" * 900})
    assert shown.startswith("“" + "x" * (TEXT_PREVIEW_CHARS - 1) + "…”")


def test_scalar_before_and_after_make_one_row_named_for_the_action():
    shown = describe("verdict.reject", {"before": "pending", "after": "rejected",
                                        "reason": "No source."})
    assert shown.changes == [FieldChange("moderation", "pending", "rejected")]
    assert shown.facts == [("reason", "No source.")]
    assert describe("user.deactivate", {"before": True, "after": False}).changes == [
        FieldChange("active", "yes", "no")]
    assert describe("something.new", {"before": 1, "after": 2}).changes == [
        FieldChange("value", "1", "2")]


def test_dicts_give_one_row_per_changed_field_only():
    before = {"label": "supported", "rationale": "A", "sources": ["x"], "version": 1}
    after = {"label": "refuted", "rationale": "A", "sources": ["x", "y"], "version": 2}
    shown = describe("final_verdict.decide", {"before": before, "after": after})
    assert shown.changes == [FieldChange("label", "supported", "refuted"),
                             FieldChange("sources", "x", "x, y"),
                             FieldChange("version", "1", "2")]


def test_a_first_decision_shows_every_field_as_new():
    shown = describe("final_verdict.decide", {"before": None, "after": {"label": "refuted"}})
    assert shown.changes == [FieldChange("label", MISSING, "refuted")]


def test_keys_only_on_one_side_are_rows_too():
    shown = describe("article.resplit", {"before": {"claims": 3, "retired": [SPAN]},
                                         "after": {"claims": 3, "created": [3]}})
    assert [c.field for c in shown.changes] == ["retired", "created"]


def test_a_split_shows_the_claim_before_and_both_parts_after():
    shown = describe("claim.split", {"before": SPAN, "after": [SPAN, SPAN]})
    assert shown.changes[0].field == "claims"
    assert shown.changes[0].after.count("The deficit fell.") == 2


def test_ids_show_the_resolved_names_and_fall_back_to_kind_and_number():
    shown = describe("verdict.approve", {"claim_id": 37, "reviewer_id": 2, "article_id": 9,
                                         "new_claim_id": 38, "before": "a", "after": "a"}, NAMES)
    assert shown.changes == []  # nothing changed
    assert shown.facts == [("article", "article 9"), ("claim", "claim 4 of Budget"),
                           ("new claim", "claim 38"), ("reviewer", "alice")]
    assert describe("x", {"reviewer_id": 7}).facts == [("reviewer", "user 7")]


def test_empty_facts_are_left_out_and_odd_details_do_not_break():
    assert describe("x", {"reason": None, "revived": [], "note": ""}).facts == []
    assert describe("x", None).changes == [] and describe("x", None).facts == []
    assert describe("x", ["not", "a", "dict"]).facts == []  # type: ignore[arg-type]


def test_referenced_ids_collects_every_kind_and_ignores_non_ids():
    assert referenced_ids({"claim_id": 3, "retired_claim_id": 4, "reviewer_id": 2,
                           "article_id": True, "new_claim_id": "5"}) == {
        "claim": {3, 4}, "account": {2}}
    assert referenced_ids(None) == {}
