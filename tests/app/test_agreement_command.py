"""``flask agreement``: the worked example's figures as text and as JSON with the keys the
issue names, the filters, and bad options refused with a message (no traceback)."""

from __future__ import annotations

import json

import pytest
from annotator_testkit import agreement_example as example
from annotator_testkit.agreement_example import build_team


@pytest.fixture
def team(app, make_user, make_article, claim_ids, hide_claim, admin_id):
    return build_team(app, make_user, make_article, claim_ids, hide_claim, admin_id)


def run_json(runner, *options: str) -> dict:
    result = runner.invoke(args=["agreement", "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_text_shows_the_figures_and_what_they_stand_on(runner, team):
    result = runner.invoke(args=["agreement"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Krippendorff's alpha     0.455   10 verdicts on 4 claims" in out
    assert "Fleiss' kappa            0.455" in out
    assert "Percent agreement        58.3%" in out
    assert "alice & bob: 0.636, 75.0% agree, 4 shared claims" in out
    assert "1 claim(s) with a single verdict left out" in out


def test_json_has_the_keys_and_the_hand_computed_values(runner, team):
    data = run_json(runner)
    for key in ("krippendorff_alpha", "fleiss_kappa", "percent_agreement", "claims",
                "verdicts", "pairs", "labels"):
        assert key in data, key
    assert data["krippendorff_alpha"] == pytest.approx(example.ALPHA)
    assert data["fleiss_kappa"] == pytest.approx(example.FLEISS)
    assert data["percent_agreement"] == pytest.approx(example.PERCENT)
    assert (data["claims"], data["verdicts"]) == (4, 10)
    pairs = {tuple(pair["names"]): pair for pair in data["pairs"]}
    assert set(pairs) == {("alice", "bob"), ("alice", "carol"), ("bob", "carol")}
    alice_bob = pairs[("alice", "bob")]
    assert alice_bob["reviewers"] == [team.alice, team.bob]
    assert alice_bob["cohen_kappa"] == pytest.approx(example.KAPPA_ALICE_BOB)
    assert alice_bob["shared_claims"] == 4
    assert alice_bob["confusion"]["supported"] == {"supported": 1, "disputed": 1, "unclear": 0}
    assert alice_bob["confusion"]["unclear"]["unclear"] == 1
    assert [entry["label"] for entry in data["labels"]] == ["supported", "disputed", "unclear"]
    figure = data["figures"]["krippendorff_alpha"]
    assert figure["computed_on"] == "10 verdicts on 4 claims with at least two verdicts"
    assert figure["explanation"]


def test_the_filters_narrow_what_is_counted(runner, team):
    second = run_json(runner, "--article", str(team.second))
    assert (second["claims"], second["verdicts"]) == (1, 2)
    # One label only: no number, and the reason in words.
    assert second["krippendorff_alpha"] is None
    assert second["figures"]["krippendorff_alpha"]["undefined_reason"]
    future = run_json(runner, "--since", "2999-01-01")
    assert (future["claims"], future["verdicts"], future["pairs"]) == (0, 0, [])
    assert run_json(runner, "--since", "2000-01-01")["verdicts"] == 10


def test_no_verdicts_give_words_not_a_crash(runner, admin_id):
    result = runner.invoke(args=["agreement"])
    assert result.exit_code == 0, result.output
    assert "n/a" in result.output
    data = run_json(runner)
    assert data["krippendorff_alpha"] is None and data["pairs"] == []


@pytest.mark.parametrize(("options", "message"), [
    (["--article", "abc"], "'abc' is not a valid integer"),
    (["--article", "0"], "0 is not in the range"),
    (["--article", "99999999999999"], "is not in the range"),
    (["--article", "424242"], "There is no article 424242."),
    (["--since", "30/11/2026"], "'30/11/2026' does not match the format '%Y-%m-%d'"),
    (["--since", "2026-02-30"], "does not match the format"),
    (["--format", "xml"], "'xml' is not one of 'text', 'json'"),
])
def test_bad_options_are_refused_with_a_message(runner, team, options, message):
    result = runner.invoke(args=["agreement", *options])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
