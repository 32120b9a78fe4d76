"""The term tools' rules, without a gradebook: a changed key's feedback must change with it; late penalties."""

from __future__ import annotations

import pytest
from traitlets.config import Config

from coursekit.core.exercises import Choice, Matching, SingleChoice
from coursekit.grading.authoring import HiddenCheck
from coursekit.grading.keyfix import key_change_problems
from coursekit.grading.nbgrader_plugins import PerHourLatePenalty
from coursekit.grading.term_tools import configure_late_penalty

ITEM = SingleChoice(
    id="q", prompt="p", choices=[Choice("a"), Choice("b"), Choice("c")], mode="graded", points=1, outcomes=["LO1"]
)
OLD = HiddenCheck("q", "a", "A is right because of the old reason.", {"a": "right", "b": "wrong", "c": "wrong too"})


def test_a_changed_key_needs_a_new_explanation_and_new_rationales_for_the_options_it_changes():
    same_words = HiddenCheck("q", "b", OLD.explanation, OLD.rationale)
    problems = key_change_problems(ITEM, OLD, same_words)
    assert "the explanation is the one written for the old key" in problems
    assert [p for p in problems if "'a'" in p] and [p for p in problems if "'b'" in p]
    assert not [p for p in problems if "'c'" in p]  # c was wrong and stays wrong: its rationale may stay
    rewritten = HiddenCheck(
        "q", "b", "B is right: the new reason.", {"a": "no longer right", "b": "right", "c": "wrong too"}
    )
    assert key_change_problems(ITEM, OLD, rewritten) == []


def test_a_matching_key_change_is_checked_per_left_item():
    item = Matching(id="m", prompt="p", left=["x", "y"], right=["1", "2"], mode="graded", points=2, outcomes=["LO1"])
    old = HiddenCheck("m", {"x": "1", "y": "2"}, "old", {"x": "x goes to 1", "y": "y goes to 2"})
    new = HiddenCheck("m", {"x": "2", "y": "2"}, "new", {"x": "x goes to 1", "y": "y goes to 2"})
    assert key_change_problems(item, old, new) == [
        "the rationale of 'x' is unchanged although the new key changes whether it is right"
    ]


@pytest.mark.parametrize(
    ("seconds", "score", "penalty"),
    [(0, 10, 0), (1, 10, 2), (3600, 10, 2), (3601, 10, 4), (36_000, 3, 3)],  # 2 points per started hour
)
def test_the_per_hour_penalty_counts_started_hours_and_never_goes_below_zero(seconds, score, penalty):
    plugin = PerHourLatePenalty(points_per_hour=2)
    assert plugin.late_submission_penalty("s", score, seconds) == penalty


def test_the_late_penalty_setting_picks_nbgraders_plugin_or_the_courses():
    c = Config()
    configure_late_penalty(c, "zero")
    assert c.LateSubmissionPlugin.penalty_method == "zero"
    c = Config()
    configure_late_penalty(c, "per-hour:1.5")
    assert (
        c.AssignLatePenalties.plugin_class.endswith("PerHourLatePenalty")
        and c.PerHourLatePenalty.points_per_hour == 1.5
    )
    for bad in ("per-hour:-1", "per-hour:x", "half", "per-hour:nan"):
        with pytest.raises(ValueError, match="COURSEKIT_LATE_PENALTY"):
            configure_late_penalty(Config(), bad)
