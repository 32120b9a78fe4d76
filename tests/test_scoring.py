"""Scoring: exact points for right, wrong, partial, empty and malformed answers of every type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursekit import (
    Choice,
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Scenario,
    ScenarioOption,
    ScenarioStep,
    ShortText,
    SingleChoice,
    score,
)
from coursekit.core.scoring import best_total

SC = SingleChoice(
    id="sc", prompt="p", choices=[Choice("a", "f"), Choice("b", "f")], key="a", points=2, outcomes=["LO1"]
)
MS = MultipleSelect(
    id="ms", prompt="p", choices=[Choice(c, "f") for c in "abcd"], key=["a", "b"], points=4, outcomes=["LO1"]
)
MA = Matching(
    id="ma",
    prompt="p",
    left=["w", "x", "y", "z"],
    right=["1", "2"],
    key={"w": "1", "x": "1", "y": "2", "z": "2"},
    points=4,
    outcomes=["LO1"],
)
OR = Ordering(id="or", prompt="p", items=["c", "a", "b", "d"], key=["a", "b", "c", "d"], points=6, outcomes=["LO1"])
NU = Numeric(id="nu", prompt="p", key=72, tolerance=0.5, minimum=0, maximum=1000, points=1, outcomes=["LO4"])
ST = ShortText(id="st", prompt="p", keywords=["norm", "law"], outcomes=["LO4"], points=2)
SCEN = Scenario(
    id="scen",
    prompt="p",
    start="s1",
    points=10,
    outcomes=["LO5"],
    steps=[
        ScenarioStep("s1", "one", [ScenarioOption("good", "c", "s2", 3), ScenarioOption("bad", "c", None, 0)]),
        ScenarioStep("s2", "two", [ScenarioOption("best", "c", None, 2), ScenarioOption("meh", "c", None, 1)]),
    ],
)


@pytest.mark.parametrize("ex", [SC, MS, MA, OR, NU, ST, SCEN])
@pytest.mark.parametrize("empty", [None, "", [], {}])
def test_unanswered_scores_zero(ex, empty):
    result = score(ex, empty)
    assert (result.points, result.status) == (0.0, "unanswered")


@pytest.mark.parametrize(
    "ex, bad",
    [
        (SC, "zzz"),
        (SC, 3),
        (SC, ["a"]),
        (MS, "a"),
        (MS, ["a", "a"]),
        (MS, ["a", "x"]),
        (MA, ["w"]),
        (MA, {"w": "9"}),
        (MA, {"../etc": "1"}),
        (OR, ["a", "b"]),
        (OR, ["a", "b", "c", "c"]),
        (OR, "abcd"),
        (NU, "72"),
        (NU, True),
        (NU, float("nan")),
        (NU, 5000),
        (ST, 42),
        (SCEN, [["s2", "best"]]),
        (SCEN, [["s1", "bad"], ["s2", "best"]]),
        (SCEN, "good"),
        (SCEN, [["s1"]]),
    ],
)
def test_malformed_answers_score_zero_with_a_reason(ex, bad):
    result = score(ex, bad)
    assert result.points == 0.0 and result.status == "invalid"
    assert "cannot be scored" in result.detail


def test_single_choice():
    assert score(SC, "a").points == 2 and score(SC, "a").correct
    assert score(SC, "b").points == 0 and score(SC, "b").status == "wrong"


def test_multiple_select_pays_share_right_minus_share_wrong():
    many = MultipleSelect(
        id="ms7",
        prompt="p",
        choices=[Choice(c, "f") for c in "abcdefghijkl"],
        key=list("abcdefg"),
        points=3,
        outcomes=["LO1"],
    )  # 7 of 12 right, as t10-coordinated-accounts had in issue 24: ticking all earned 0.86 of 3 under the old rule
    assert score(many, list("abcdefghijkl")).points == 0
    assert score(many, list("abcdefg")).points == 3
    assert score(many, list("abcdefgh")).points == pytest.approx(3 * (1 - 1 / 5))
    assert score(many, list("abcdefhijkl")).points == 0  # six right, every wrong: 6/7 - 1 < 0


def test_a_multiple_select_key_must_leave_an_option_out():
    from coursekit.core.exercises import ExerciseDefinitionError

    with pytest.raises(ExerciseDefinitionError, match="every option"):
        MultipleSelect(id="msall", prompt="p", choices=[Choice(c, "f") for c in "ab"], key=["a", "b"], outcomes=["LO1"])


def test_numeric_tolerance_must_be_narrow_and_finite():
    from coursekit.core.exercises import ExerciseDefinitionError

    for tolerance in (float("inf"), float("nan"), 1.5):
        with pytest.raises(ExerciseDefinitionError, match="tolerance"):
            Numeric(id="nwide", prompt="p", key=5, tolerance=tolerance, minimum=0, maximum=20, outcomes=["LO4"])
    Numeric(id="nok", prompt="p", key=5, tolerance=1, minimum=0, maximum=20, outcomes=["LO4"])


def test_multiple_select_partial_credit_and_no_credit_for_everything():
    assert score(MS, ["a", "b"]).points == 4
    assert score(MS, ["a"]).points == 2 and score(MS, ["a"]).status == "partial"
    assert score(MS, ["a", "c"]).points == 0
    assert score(MS, ["a", "b", "c"]).points == 2
    assert score(MS, list("abcd")).points == 0
    assert score(MS, ["b", "a"]).points == 4  # order does not matter


def test_matching_partial_credit():
    assert score(MA, {"w": "1", "x": "1", "y": "2", "z": "2"}).points == 4
    assert score(MA, {"w": "1", "x": "2"}).points == 1
    assert score(MA, {"w": "2", "x": "2", "y": "1", "z": "1"}).points == 0


def test_ordering_pays_kendall_tau_never_below_zero():
    assert score(OR, ["a", "b", "c", "d"]).points == 6
    assert score(OR, ["d", "c", "b", "a"]).points == 0
    # one adjacent swap: five pairs in order, one not, tau = (5 - 1) / 6
    assert score(OR, ["b", "a", "c", "d"]).points == pytest.approx(4)
    # moving the last item to the front: three pairs in order, three not, tau = 0 (the share of pairs paid 3)
    assert score(OR, ["d", "a", "b", "c"]).points == 0


def test_ordering_pays_nothing_on_average_for_a_blind_order():
    """Every order of the four items, weighted equally (a blind guess): the share of pairs would pay half the
    points on average; tau clipped at zero pays the chance of a better-than-random order only."""
    from itertools import permutations

    mean = sum(score(OR, list(p)).fraction for p in permutations("abcd")) / 24
    assert mean < 0.2
    assert score(OR, list(OR.items)).fraction < 0.5  # the author's starting order earns little


def test_matching_pays_nothing_for_one_value_everywhere():
    for target in MA.right:
        assert score(MA, dict.fromkeys(MA.left, target)).points == 0
    # a bijection: the same right item for all earns nothing though one pair is right
    bij = Matching(
        id="mb",
        prompt="p",
        left=["w", "x", "y"],
        right=["1", "2", "3"],
        key={"w": "1", "x": "2", "y": "3"},
        outcomes=["LO1"],
        points=3,
    )
    assert score(bij, dict.fromkeys(bij.left, "1")).points == 0
    assert score(bij, {"w": "1", "x": "2", "y": "3"}).points == 3
    assert score(bij, {"w": "1"}).points == 1  # one right pair and nothing else: its share
    # one pair given wrongly costs its own point and a little of the value it was wrongly given
    assert score(bij, {"w": "1", "x": "2", "y": "1"}).points == pytest.approx(2 - 0.5)


def test_numeric_tolerance_is_inclusive():
    assert score(NU, 72.5).correct and score(NU, 71.5).correct and score(NU, 72).correct
    assert not score(NU, 72.6).correct
    assert score(NU, 73).points == 0


def test_short_text_practice_checklist_and_graded_manual():
    assert score(ST, "A NORM of international LAW").points == 2
    assert score(ST, "only norms here").points == 1
    graded = ShortText(id="stg", prompt="p", mode="graded", outcomes=["LO2"], points=5)
    result = score(graded, "anything")
    assert result.status == "manual" and result.points == 0


def test_scenario_scores_against_the_best_path():
    assert best_total(SCEN) == 5
    assert score(SCEN, [["s1", "good"], ["s2", "best"]]).points == 10
    assert score(SCEN, [["s1", "good"], ["s2", "meh"]]).points == 8
    assert score(SCEN, [["s1", "bad"]]).points == 0
    partial = score(SCEN, [["s1", "good"]])
    assert partial.points == 6 and "not finished" in partial.detail


def test_graded_exercise_without_key_cannot_be_scored_silently():
    graded = SingleChoice(id="g", prompt="p", choices=[Choice("a"), Choice("b")], mode="graded", outcomes=["LO1"])
    with pytest.raises(ValueError, match="no key"):
        score(graded, "a")
    assert score(graded.with_key("a"), "a").points == 1


@given(st.permutations(["a", "b", "c", "d"]))
def test_ordering_score_is_bounded_and_only_the_key_scores_full(order):
    result = score(OR, list(order))
    assert 0 <= result.points <= 6
    assert (result.points == 6) == (list(order) == ["a", "b", "c", "d"])


@given(st.sets(st.sampled_from("abcd"), min_size=1))
def test_multiple_select_score_is_bounded_and_monotone_in_wrong_picks(picked):
    result = score(MS, sorted(picked))
    assert 0 <= result.points <= 4
    with_extra_wrong = picked | {"c"}
    assert score(MS, sorted(with_extra_wrong)).points <= result.points
