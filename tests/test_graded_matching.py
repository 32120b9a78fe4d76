"""Graded matching items give no points for test-wiseness (issue 24).

A participant who knows nothing can match every situation to the same rule, or match them in the order both
lists are written in. Neither shortcut should earn more than one pair's worth: each rule is the answer to at most
one situation, and the author's order of the right-hand list does not follow the left-hand list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.core.exercises import Matching
from coursekit.core.scoring import score
from coursekit.grading.hidden_tests import load_plan

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*/*.ipynb"))


def _graded_matchings() -> list:
    found = []
    for notebook in NOTEBOOKS:
        plan = load_plan(notebook)
        for exercise_id in plan.graded_ids:
            exercise = plan.keyed.get(exercise_id)
            if isinstance(exercise, Matching):
                found.append(pytest.param(exercise, id=exercise_id))
    assert found, "no graded matching item found: the test would pass vacuously"
    return found


MATCHINGS = _graded_matchings()


def _pairs(exercise: Matching, answer: dict[str, str]) -> int:
    return round(score(exercise, answer).fraction * len(exercise.left))


@pytest.mark.parametrize("exercise", MATCHINGS)
def test_the_order_the_lists_are_written_in_earns_at_most_one_pair(exercise):
    identity = dict(zip(exercise.left, exercise.right))
    assert _pairs(exercise, identity) <= 1


@pytest.mark.parametrize("exercise", MATCHINGS)
def test_matching_everything_to_one_value_earns_at_most_one_pair(exercise):
    for value in exercise.right:
        assert _pairs(exercise, {left: value for left in exercise.left}) <= 1, value
