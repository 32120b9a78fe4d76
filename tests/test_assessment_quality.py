"""The course assesses judgement, not recall or test-wiseness (issues 15 and 24).

The measuring functions are tried first on small hand-made exercises, so that they can be seen to fail
(the item-validity measures of issue 24 in ``tests/test_item_validity.py``); then every source notebook
of the course is held to the rules for authors (README, "For authors"): no length cue, little recall,
explained keys, outcomes assessed by judgement, and graded decisions that a test-wise newcomer cannot
pass on cues, clones or leaks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit import Choice, RubricCriterion, Scenario, ScenarioOption, ScenarioStep, ShortText, SingleChoice
from coursekit.analysis import item_validity
from coursekit.analysis.assessment import (
    course_notebooks,
    cue_shares,
    decisions,
    outcome_totals,
    points_by_demand,
    rationale_gaps,
    read_course,
    recall_share,
)
from coursekit.analysis.cue_picker import MAX_MEASURED_KEY_SHARE
from coursekit.core.exercises import LEARNING_OUTCOMES
from coursekit.grading.authoring import HiddenCheck

ROOT = Path(__file__).resolve().parents[1] / "notebooks"
CUE_MARGIN = 0.10
MAX_RECALL_SHARE = 0.15


# --- the measures, on hand-made exercises -------------------------------------------------------------


def _single(id_, texts, key, mode="practice", **kw):
    choices = [Choice(t, feedback="f") if mode == "practice" else Choice(t) for t in texts]
    ex = SingleChoice(
        id=id_,
        prompt="p",
        choices=choices,
        key=key if mode == "practice" else None,
        mode=mode,
        outcomes=kw.pop("outcomes", ["LO1"]),
        **kw,
    )
    return ex if mode == "practice" else ex.with_key(key)


def _scenario(id_, steps):
    return Scenario(
        id=id_,
        prompt="p",
        start=steps[0][0],
        outcomes=["LO5"],
        steps=[ScenarioStep(sid, "s", [ScenarioOption(t, "c", points=p) for t, p in opts]) for sid, opts in steps],
    )


def test_best_option_longest_is_counted_strictly():
    exercises = [
        _single("a1", ["the long right answer", "short", "tiny"], "the long right answer"),
        _single("a2", ["right", "a much longer wrong one"], "right"),
        _single("a3", ["same", "size"], "same"),  # a tie is not "strictly longest"
    ]
    shares = cue_shares(decisions(exercises))["single-choice"]
    assert (shares.decisions, shares.longest) == (3, 1)
    assert shares.chance == pytest.approx((1 / 3 + 1 / 2 + 1 / 2) / 3)
    assert shares.share == pytest.approx(1 / 3)


def test_scenario_steps_count_one_each_and_ties_at_the_top_are_skipped():
    sc = _scenario(
        "s",
        [
            ("one", [("best and also the longest text", 3), ("worse", 0)]),
            ("two", [("good", 2), ("equally good", 2), ("bad", 0)]),
            ("three", [("best", 2), ("a worse but wordier option", 1), ("no", 0)]),
        ],
    )
    found = decisions([sc])
    assert [d.step for d in found] == ["one", "three"]
    shares = cue_shares(found)
    assert (shares["scenario-step"].decisions, shares["scenario-step"].longest) == (2, 1)
    assert shares["scenario-step"].chance == pytest.approx((1 / 2 + 1 / 3) / 2)
    assert shares["single-choice"].decisions == 0


def test_graded_items_count_only_once_keyed():
    graded = SingleChoice(
        id="g", prompt="p", choices=[Choice("long right option"), Choice("no")], mode="graded", outcomes=["LO1"]
    )
    assert decisions([graded]) == []
    assert decisions([graded.with_key("long right option")])[0].best_is_longest


def test_points_by_demand_and_recall_share():
    items = [
        _single("r", ["a", "b"], "a", mode="graded", points=2, demand="recall"),
        _single("d", ["a", "b"], "a", mode="graded", points=6, demand="decision"),
        _single("n", ["a", "b"], "a", mode="graded", points=2),
    ]
    assert points_by_demand(items) == {"recall": 2.0, "decision": 6.0, "": 2.0}
    assert recall_share(items) == pytest.approx(0.2)
    assert recall_share([]) == 0.0


def test_outcome_totals_count_graded_items_points_and_judgement():
    items = [
        _single("x", ["a", "b"], "a", mode="graded", points=2, demand="decision", outcomes=["LO1", "LO4"]),
        _single("y", ["a", "b"], "a", mode="graded", points=1, demand="recall", outcomes=["LO1"]),
    ]
    cov = outcome_totals(items)
    assert (cov["LO1"].graded, cov["LO1"].graded_points, cov["LO1"].decide_or_produce) == (2, 3.0, 1)
    assert (cov["LO4"].graded, cov["LO4"].decide_or_produce) == (1, 1)
    assert cov["LO3"].graded == 0


def test_rationale_gaps_name_what_is_missing():
    item = _single("g1", ["a", "b"], "a", mode="graded", demand="decision")
    text = ShortText(
        id="g2",
        prompt="p",
        mode="graded",
        points=2,
        outcomes=["LO2"],
        demand="product",
        rubric=[RubricCriterion("c", 2, ("0", "1", "2"))],
    )
    hidden = {
        "g1": HiddenCheck("g1", "a", explanation="why", rationale={"a": "right because"}),
        "g2": HiddenCheck("g2", None, model_answer="A model answer."),
    }
    gaps = rationale_gaps([item, text], hidden)
    assert list(gaps) == ["g1"] and "no rationale for ['b']" in gaps["g1"]
    assert rationale_gaps([item], {}) == {"g1": ["no hidden test"]}
    hidden["g1"] = HiddenCheck("g1", "a", explanation="why", rationale={"a": "right", "b": "wrong"})
    assert rationale_gaps([item, text], hidden) == {}


# --- the course itself --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def course():
    """The exercises of every source notebook, graded ones keyed."""
    return read_course(course_notebooks(ROOT))


@pytest.fixture(scope="module")
def validity():
    """The item-validity measures of every source notebook (the same as ``python -m
    coursekit.analysis.item_validity notebooks``)."""
    return item_validity.measure(ROOT)


def test_the_longest_option_is_not_a_cue(course):
    for kind, share in cue_shares(decisions(course.exercises)).items():
        assert share.share <= share.chance + CUE_MARGIN, (
            f"{kind}: the best option is the longest in {share.longest} of {share.decisions} decisions "
            f"({share.share:.0%}), above chance ({share.chance:.0%}) + {CUE_MARGIN:.0%}"
        )


def test_every_graded_item_says_its_demand(course):
    assert [ex.id for ex in course.graded if not ex.demand] == []


def test_recall_carries_little_of_the_graded_points(course):
    assert recall_share(course.graded) <= MAX_RECALL_SHARE, points_by_demand(course.graded)


def test_every_graded_item_explains_its_key_and_options(course):
    assert rationale_gaps(course.graded, course.hidden) == {}


def test_every_outcome_is_assessed_by_judgement(course):
    coverage = outcome_totals(course.graded)
    for lo in LEARNING_OUTCOMES:
        cov = coverage[lo]
        assert cov.graded >= 4 and cov.decide_or_produce >= 2, f"{lo}: {cov}"


def test_a_test_wise_newcomer_does_no_better_than_chance(validity):
    """Per kind of graded decision, picking by position, length, tone and word overlap alone (learnt from
    the rest of the course) scores at most chance + 10 points."""
    failing = {k.kind: f"{k.score:.0%} where chance is {k.chance:.0%}" for k in validity.kinds.values() if not k.passes}
    assert failing == {}


def test_no_position_holds_the_key_of_graded_single_choice_items(validity):
    positions = validity.positions["single-choice"]
    at, excess = positions.worst
    assert excess <= CUE_MARGIN, (
        f"the key is option {at + 1} in {positions.counts[at]} of {positions.decisions} graded single-choice items "
        f"(by chance {positions.expected[at]:.0%}); counts per position: {positions.counts}"
    )


def test_the_most_measured_option_is_often_wrong(validity):
    tone = validity.tone
    assert tone.measured_key_share <= MAX_MEASURED_KEY_SHARE, (
        f"picking the most measured option finds the key in {tone.measured_keys:.1f} of {tone.decisions} graded decisions"
    )


def test_no_graded_item_repeats_practice_prose_or_another_item(validity):
    assert [f"{p.graded} ~ {p.other} ({p.score:.2f})" for p in validity.clones] == []


def test_no_graded_prompt_gives_another_items_key_away(validity):
    assert [f"{p.graded} <- {p.other} ({p.score:.2f})" for p in validity.leaks] == []
