"""The exercise model refuses definitions that would break feedback, grading or confidentiality."""

from __future__ import annotations

import pytest

from coursekit import (
    Choice,
    ExerciseDefinitionError,
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Scenario,
    ScenarioOption,
    ScenarioStep,
    ShortText,
    SingleChoice,
)

CHOICES = [Choice("a", "fa"), Choice("b", "fb")]


def single(**kw):
    args = dict(id="q1", prompt="Pick", choices=CHOICES, key="a", outcomes=["LO1"])
    args.update(kw)
    return SingleChoice(**args)


@pytest.mark.parametrize("bad_id", ["", "has space", "slash/id", "../x", "-lead", "x" * 81, "é"])
def test_invalid_ids_are_refused(bad_id):
    with pytest.raises(ExerciseDefinitionError, match="id"):
        single(id=bad_id)


@pytest.mark.parametrize("outcomes", [[], ["LO6"], ["lo1"]])
def test_learning_outcomes_are_validated(outcomes):
    with pytest.raises(ExerciseDefinitionError, match="outcome"):
        single(outcomes=outcomes)


def test_practice_needs_key_and_feedback():
    with pytest.raises(ExerciseDefinitionError, match="needs a key"):
        single(key=None)
    with pytest.raises(ExerciseDefinitionError, match="feedback"):
        single(choices=[Choice("a", "fa"), Choice("b")])


def test_key_must_be_an_option():
    with pytest.raises(ValueError, match="not one of the options"):
        single(key="zzz")


def test_graded_refuses_key_and_revealing_feedback():
    with pytest.raises(ExerciseDefinitionError, match="must not carry its key"):
        single(mode="graded")
    with pytest.raises(ExerciseDefinitionError, match="reveal the key"):
        single(mode="graded", key=None)
    ok = SingleChoice(id="g", prompt="p", choices=[Choice("a"), Choice("b")], mode="graded", outcomes=["LO2"])
    assert ok.key is None
    keyed = ok.with_key("b")
    assert keyed.key == "b" and ok.key is None and keyed.mode == "graded"


def test_with_key_validates_the_key():
    ex = Matching(id="m", prompt="p", left=["x", "y"], right=["1", "2"], mode="graded", outcomes=["LO1"])
    with pytest.raises(ExerciseDefinitionError, match="pair every left item"):
        ex.with_key({"x": "1"})


def test_graded_short_text_and_scenario_refuse_hidden_answers():
    with pytest.raises(ExerciseDefinitionError, match="model answer"):
        ShortText(id="s", prompt="p", mode="graded", model_answer="m", outcomes=["LO1"])
    step = ScenarioStep("s1", "sit", [ScenarioOption("A", "cA", points=1), ScenarioOption("B", "cB")])
    with pytest.raises(ExerciseDefinitionError, match="belong in the key"):
        Scenario(id="sc", prompt="p", steps=[step], start="s1", mode="graded", outcomes=["LO1"])


def test_duplicate_options_and_items_are_refused():
    with pytest.raises(ExerciseDefinitionError, match="unique"):
        single(choices=[Choice("a", "x"), Choice("a", "y")])
    with pytest.raises(ExerciseDefinitionError, match="unique"):
        Ordering(id="o", prompt="p", items=["a", "a"], key=["a", "a"], outcomes=["LO1"])


def test_ordering_must_not_show_the_answer():
    with pytest.raises(ExerciseDefinitionError, match="already in the right order"):
        Ordering(id="o", prompt="p", items=["a", "b"], key=["a", "b"], outcomes=["LO1"])


def test_multiple_select_key_must_select_something():
    with pytest.raises(ExerciseDefinitionError, match="at least one"):
        MultipleSelect(id="m", prompt="p", choices=CHOICES, key=[], outcomes=["LO1"])


def test_numeric_bounds():
    with pytest.raises(ExerciseDefinitionError, match="minimum must be below"):
        Numeric(id="n", prompt="p", key=1, minimum=5, maximum=1, outcomes=["LO1"])
    with pytest.raises(ValueError, match="above the maximum"):
        Numeric(id="n", prompt="p", key=10, minimum=0, maximum=5, outcomes=["LO1"])


def test_scenario_structure_is_checked():
    loop = [
        ScenarioStep("a", "s", [ScenarioOption("x", "c", "b", 1), ScenarioOption("y", "c", None, 0)]),
        ScenarioStep("b", "s", [ScenarioOption("x", "c", "a", 1), ScenarioOption("y", "c", None, 0)]),
    ]
    with pytest.raises(ExerciseDefinitionError, match="loops back"):
        Scenario(id="sc", prompt="p", steps=loop, start="a", outcomes=["LO1"])
    dangling = [ScenarioStep("a", "s", [ScenarioOption("x", "c", "nowhere", 1), ScenarioOption("y", "c")])]
    with pytest.raises(ExerciseDefinitionError, match="unknown step"):
        Scenario(id="sc", prompt="p", steps=dangling, start="a", outcomes=["LO1"])
    with pytest.raises(ExerciseDefinitionError, match="start"):
        Scenario(id="sc", prompt="p", steps=dangling[:0] or loop, start="zz", outcomes=["LO1"])


def test_metadata_never_contains_the_key():
    ex = single(key="b")
    meta = ex.metadata()
    assert meta == {
        "id": "q1",
        "type": "single-choice",
        "mode": "practice",
        "points": 1.0,
        "outcomes": ["LO1"],
        "demand": "",
    }
