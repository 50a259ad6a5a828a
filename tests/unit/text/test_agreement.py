"""Agreement statistics: published worked examples, undefined cases, bad input, properties.

The worked examples are copied as data from their sources (named at each); the property
tests check what must hold for any ratings: perfect agreement gives 1 where defined,
the order of ratings and the names of reviewers and claims change nothing, a claim with a
single verdict changes nothing, and every value lies in its range.
"""

from __future__ import annotations

import json
import math
import random
from itertools import combinations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.text.agreement import (
    DEFAULT_LABELS,
    AgreementInputError,
    Undefined,
    compute_agreement,
)

BOUNDED = settings(max_examples=150, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])

# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability", section C
# (nominal data, any number of observers, missing values): 4 observers, 12 units,
# "." is a missing value. Published result: nominal alpha = 0.743.
KRIPPENDORFF_2011 = {
    "A": "1 2 3 3 2 1 4 1 2 . . .",
    "B": "1 2 3 3 2 2 4 1 2 5 . 3",
    "C": ". 3 3 3 2 3 4 2 2 5 1 .",
    "D": "1 2 3 3 2 4 4 1 2 5 1 .",
}
DIGITS = ("1", "2", "3", "4", "5")

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters each, 5 categories;
# each row counts the raters who put the subject in categories 1..5.
# Published: P-bar = 0.378, P-bar-e = 0.213, kappa = 0.210.
FLEISS_WIKIPEDIA = (
    (0, 0, 0, 0, 14), (0, 2, 6, 4, 2), (0, 0, 3, 5, 6), (0, 3, 9, 2, 0), (2, 2, 8, 1, 1),
    (7, 7, 0, 0, 0), (3, 2, 6, 3, 0), (2, 5, 3, 2, 2), (6, 5, 2, 1, 0), (0, 2, 2, 3, 7),
)

# Wikipedia, "Cohen's kappa", simple example: 50 grant proposals read by A and B.
# Both yes 20, A yes and B no 5, A no and B yes 10, both no 15.
# Published: p_o = 0.7, p_e = 0.5, kappa = 0.4.
COHEN_WIKIPEDIA = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}


def krippendorff_ratings():
    return [(unit, observer, value)
            for observer, row in KRIPPENDORFF_2011.items()
            for unit, value in enumerate(row.split(), start=1) if value != "."]


def fleiss_ratings():
    ratings = []
    for subject, row in enumerate(FLEISS_WIKIPEDIA):
        raters = iter(range(14))
        ratings += [(subject, next(raters), DIGITS[category])
                    for category, count in enumerate(row) for _ in range(count)]
    return ratings


def cohen_ratings():
    ratings, claim = [], 0
    for (a, b), count in COHEN_WIKIPEDIA.items():
        for _ in range(count):
            ratings += [(claim, "A", a), (claim, "B", b)]
            claim += 1
    return ratings


# --- worked examples ------------------------------------------------------------------

def test_krippendorffs_nominal_example_with_missing_values():
    report = compute_agreement(krippendorff_ratings(), labels=DIGITS)
    assert round(report.krippendorff_alpha.value, 3) == 0.743
    # Unit 12 has a single value and is not pairable: 11 units and 40 values remain (n = 40).
    assert (report.claims, report.verdicts, report.claims_left_out) == (11, 40, 1)
    assert report.krippendorff_alpha.computed_on == (
        "40 verdicts on 11 claims with at least two verdicts")
    assert [d.claim for d in report.disagreements] == [2, 6, 8]


def test_fleiss_kappa_on_the_wikipedia_example():
    report = compute_agreement(fleiss_ratings(), labels=DIGITS)
    assert round(report.fleiss_kappa.value, 3) == 0.210
    assert round(report.percent_agreement.value / 100, 3) == 0.378  # Fleiss' P-bar
    assert (report.fleiss_kappa.claims, report.fleiss_kappa.verdicts) == (10, 140)
    assert "here 14" in report.fleiss_kappa.explanation


def test_cohens_kappa_on_the_wikipedia_example():
    report = compute_agreement(cohen_ratings(), labels=("yes", "no"))
    (pair,) = report.pairs
    assert pair.reviewers == ("A", "B")
    assert pair.cohen_kappa.value == pytest.approx(0.4)
    assert pair.percent_agreement.value == pytest.approx(70.0)
    assert pair.shared_claims == 50
    assert pair.confusion == ((20, 5), (10, 15))
    assert len(pair.disagreements) == 15
    assert pair.to_json(report.label_names)["confusion"] == {
        "yes": {"yes": 20, "no": 5}, "no": {"yes": 10, "no": 15}}


def test_fleiss_counts_the_most_common_number_of_verdicts_and_says_so():
    ratings = [(1, "a", "supported"), (1, "b", "supported"),
               (2, "a", "disputed"), (2, "b", "disputed"),
               (3, "a", "supported"), (3, "b", "disputed"), (3, "c", "disputed")]
    report = compute_agreement(ratings)
    assert report.fleiss_kappa.claims == 2
    assert report.fleiss_kappa.value == 1.0
    assert "with exactly 2 verdicts (1 claim with another number left out)" in (
        report.fleiss_kappa.computed_on)
    assert report.krippendorff_alpha.claims == 3


# --- per reviewer, per article, per label ----------------------------------------------

def test_reviewers_articles_and_labels_lead_to_their_claims():
    ratings = [(1, 10, "supported"), (1, 11, "supported"),
               (2, 10, "disputed"), (2, 11, "unclear"),
               (3, 10, "disputed"), (3, 11, "disputed"), (4, 10, "unclear")]
    report = compute_agreement(
        ratings, final_verdicts={1: "supported", 2: "disputed", 4: "supported"},
        articles={1: 7, 2: 7, 3: 8, 4: 8}, reviewer_names={10: "alice", 11: "bob"})
    alice, bob = report.reviewers
    assert (alice.name, alice.verdicts) == ("alice", 4)
    assert alice.with_others.value == pytest.approx(200 / 3)
    assert alice.disagreements == (2,)
    assert alice.with_final.value == pytest.approx(200 / 3)  # claims 1, 2 match; 4 does not
    assert alice.differs_from_final == (4,)
    assert bob.with_final.claims == 2 and bob.differs_from_final == (2,)
    assert [(a.article, a.disagreements) for a in report.articles] == [(7, (2,)), (8, ())]
    assert report.articles[1].percent_agreement.value == 100.0
    by_label = {entry.label: entry for entry in report.labels}
    assert by_label["disputed"].disagreements == (2,)
    assert by_label["supported"].krippendorff_alpha.value == 1.0
    assert report.decided_claims == 3


# --- undefined cases: a value of None and a reason in words ---------------------------

def test_one_reviewer_only():
    report = compute_agreement([(1, "a", "supported"), (2, "a", "disputed")])
    for figure in (report.krippendorff_alpha, report.fleiss_kappa, report.percent_agreement):
        assert figure.value is None
        assert figure.undefined_reason == Undefined.ONE_REVIEWER.value
    assert report.pairs == () and report.claims == 0 and report.claims_left_out == 2
    assert report.reviewers[0].with_others.value is None


def test_no_ratings_at_all():
    report = compute_agreement([])
    assert report.krippendorff_alpha.value is None
    assert report.krippendorff_alpha.undefined_reason == Undefined.NO_VERDICTS.value
    assert report.to_json()["pairs"] == [] and report.to_text()


def test_reviewers_without_overlap_form_no_pair():
    report = compute_agreement([(1, "a", "supported"), (2, "b", "supported")])
    assert report.pairs == ()
    assert report.krippendorff_alpha.undefined_reason == Undefined.NOTHING_TO_PAIR.value


def test_one_label_only_is_zero_expected_disagreement():
    report = compute_agreement([(1, "a", "unclear"), (1, "b", "unclear"),
                                (2, "a", "unclear"), (2, "b", "unclear")])
    assert report.krippendorff_alpha.value is None
    assert report.krippendorff_alpha.undefined_reason == Undefined.ONE_LABEL_ONLY.value
    assert report.fleiss_kappa.value is None and report.pairs[0].cohen_kappa.value is None
    assert report.percent_agreement.value == 100.0
    by_label = {entry.label: entry.krippendorff_alpha for entry in report.labels}
    assert "No verdict counted says \u201csupported\u201d" in by_label["supported"].undefined_reason
    assert "Every verdict counted says \u201cunclear\u201d" in by_label["unclear"].undefined_reason


def test_no_final_verdicts():
    report = compute_agreement([(1, "a", "unclear"), (1, "b", "disputed")])
    for reviewer in report.reviewers:
        assert reviewer.with_final.value is None and reviewer.kappa_with_final.value is None
        assert reviewer.kappa_with_final.undefined_reason == Undefined.NO_DECISIONS.value


# --- bad input: a clear error --------------------------------------------------------

@pytest.mark.parametrize(("ratings", "kwargs", "message"), [
    ([(1, "a", "true")], {}, "'true', which is not one of"),
    ([(1, "a", "supported"), (1, "a", "disputed")], {}, "two ratings on claim 1"),
    ([(1.5, "a", "supported")], {}, "claim id must be a number or a string"),
    ([(1, None, "supported")], {}, "reviewer id must be a number or a string"),
    ([(1, "a")], {}, "must be (claim_id, reviewer_id, label)"),
    ([5], {}, "must be (claim_id, reviewer_id, label)"),
    ([], {"labels": ()}, "distinct and not empty"),
    ([], {"labels": ("a", "a")}, "distinct and not empty"),
    ([], {"final_verdicts": {1: "maybe"}}, "final verdict on claim 1 is 'maybe'"),
    ([], {"articles": {1: [2]}}, "article id must be"),
])
def test_bad_input_raises_a_clear_error(ratings, kwargs, message):
    with pytest.raises(AgreementInputError) as raised:
        compute_agreement(ratings, **kwargs)
    assert message in str(raised.value)


# --- output forms ---------------------------------------------------------------------

def test_json_has_the_documented_keys_and_serialises():
    report = compute_agreement(krippendorff_ratings(), labels=DIGITS,
                               final_verdicts={1: "1"}, articles={1: 1})
    data = json.loads(json.dumps(report.to_json(), allow_nan=False))
    for key in ("krippendorff_alpha", "fleiss_kappa", "percent_agreement", "claims",
                "verdicts", "pairs", "labels"):
        assert key in data
    assert data["krippendorff_alpha"] == report.krippendorff_alpha.value
    assert data["figures"]["krippendorff_alpha"]["explanation"].startswith("Krippendorff")
    for pair in data["pairs"]:
        assert {"reviewers", "cohen_kappa", "shared_claims", "confusion"} <= pair.keys()
    assert [entry["label"] for entry in data["labels"]] == list(DIGITS)


def test_text_rendering_shows_the_figures_and_the_claims():
    text = compute_agreement(krippendorff_ratings(), labels=DIGITS).to_text()
    assert "Krippendorff's alpha     0.743" in text
    assert "claim 6: A: 1, B: 2, C: 3, D: 4" in text
    undefined = compute_agreement([(1, "a", "supported")]).to_text()
    assert "n/a: Only one reviewer" in undefined


# --- properties -----------------------------------------------------------------------

LABELS = st.sampled_from(DEFAULT_LABELS)
RATINGS = st.dictionaries(
    st.tuples(st.integers(0, 12), st.integers(0, 5)), LABELS, max_size=60,
).map(lambda table: [(claim, reviewer, label) for (claim, reviewer), label in table.items()])


def _figures(report):
    """Every figure in the report, for the range checks."""
    yield from (report.krippendorff_alpha, report.fleiss_kappa, report.percent_agreement)
    for pair in report.pairs:
        yield from (pair.cohen_kappa, pair.percent_agreement)
    yield from (entry.krippendorff_alpha for entry in report.labels)
    for reviewer in report.reviewers:
        yield from (reviewer.with_others, reviewer.with_final, reviewer.kappa_with_final)


@BOUNDED
@given(RATINGS, st.dictionaries(st.integers(0, 12), LABELS))
def test_values_lie_in_their_ranges_and_undefined_has_a_reason(ratings, final):
    report = compute_agreement(ratings, final_verdicts=final)
    for figure in _figures(report):
        if figure.value is None:
            assert figure.undefined_reason
            continue
        assert not math.isnan(figure.value)
        low, high = (0, 100) if figure.scale == "percent" else (-1, 1)
        assert low <= figure.value <= high
    json.dumps(report.to_json(), allow_nan=False)


@BOUNDED
@given(st.dictionaries(st.integers(0, 12), LABELS, min_size=1),
       st.lists(st.integers(0, 5), min_size=1, max_size=6, unique=True), st.randoms())
def test_perfect_agreement_gives_one_where_defined(truth, reviewers, rnd):
    ratings = [(claim, r, label) for claim, label in truth.items() for r in reviewers
               if rnd.random() < 0.8]
    report = compute_agreement(ratings)
    for figure in (report.krippendorff_alpha, report.fleiss_kappa,
                   *(pair.cohen_kappa for pair in report.pairs),
                   *(entry.krippendorff_alpha for entry in report.labels)):
        assert figure.value in (1.0, None)
    assert report.percent_agreement.value in (100.0, None)
    assert report.disagreements == ()


@BOUNDED
@given(RATINGS, st.randoms())
def test_the_order_of_ratings_changes_nothing(ratings, rnd):
    shuffled = list(ratings)
    rnd.shuffle(shuffled)
    assert compute_agreement(shuffled).to_json() == compute_agreement(ratings).to_json()


@BOUNDED
@given(RATINGS, st.permutations(range(6)), st.permutations(range(13)))
def test_renaming_reviewers_and_claims_changes_no_figure(ratings, reviewer_map, claim_map):
    renamed = [(claim_map[c], reviewer_map[r], label) for c, r, label in ratings]
    before, after = compute_agreement(ratings), compute_agreement(renamed)
    for name in ("krippendorff_alpha", "fleiss_kappa", "percent_agreement"):
        assert getattr(before, name) == getattr(after, name)
    assert [(e.label, e.verdicts, e.krippendorff_alpha) for e in before.labels] == [
        (e.label, e.verdicts, e.krippendorff_alpha) for e in after.labels]
    assert _pair_figures(before) == _pair_figures(after)


def _pair_figures(report):
    """Pairs as a sorted list of what does not depend on which reviewer is first."""
    return sorted((p.shared_claims, p.cohen_kappa.value or 9, p.percent_agreement.value,
                   sum(p.confusion[i][i] for i in range(len(p.confusion)))) for p in report.pairs)


@BOUNDED
@given(RATINGS, LABELS)
def test_a_claim_with_a_single_verdict_changes_nothing(ratings, label):
    # By one of the reviewers already there: a first verdict at all is a change (the
    # figures then say "one reviewer" instead of "no verdict").
    assume(ratings)
    reviewer = ratings[0][1]
    before = compute_agreement(ratings).to_json()
    after = compute_agreement([*ratings, (99, reviewer, label)]).to_json()
    for key in ("krippendorff_alpha", "fleiss_kappa", "percent_agreement", "figures",
                "claims", "verdicts", "pairs", "labels", "disagreements"):
        assert before[key] == after[key]
    assert after["claims_left_out"] == before["claims_left_out"] + 1


def _alpha_by_pairs(ratings):
    """Nominal alpha straight from its definition (all pairs of values), in floats:
    an independent check of the coincidence-matrix arithmetic."""
    units = {}
    for claim, _, label in ratings:
        units.setdefault(claim, []).append(label)
    units = [values for values in units.values() if len(values) >= 2]
    values = [v for unit in units for v in unit]
    n = len(values)
    observed = sum(sum(a != b for a, b in combinations(unit, 2)) * 2 / (len(unit) - 1)
                   for unit in units) / n
    expected = sum(a != b for a, b in combinations(values, 2)) * 2 / (n * (n - 1))
    return 1 - observed / expected


@BOUNDED
@given(RATINGS)
def test_alpha_matches_its_definition(ratings):
    report = compute_agreement(ratings)
    if report.krippendorff_alpha.value is not None:
        assert report.krippendorff_alpha.value == pytest.approx(_alpha_by_pairs(ratings))


def test_alpha_by_definition_agrees_on_the_published_example():
    assert round(_alpha_by_pairs(krippendorff_ratings()), 3) == 0.743


def test_a_large_random_table_is_counted_exactly():
    rnd = random.Random(7)
    ratings = [(c, r, rnd.choice(DEFAULT_LABELS)) for c in range(500) for r in range(4)
               if rnd.random() < 0.6]
    report = compute_agreement(ratings)
    assert report.verdicts + report.claims_left_out == len(ratings)
    assert report.krippendorff_alpha.value == pytest.approx(_alpha_by_pairs(ratings))
