"""Topic 2's forum chooser and topic 1's tool chooser: sound data, a fair Scenario, and checks that can fail."""

from __future__ import annotations

import pytest

from coursekit import score
from coursekit.core.exercises import Scenario
from coursekit.topics import choosers, forum_chooser, tool_chooser
from coursekit.topics.choosers import BEST, PARTIAL, WEAK, Pick, Problem

MODULES = [forum_chooser, tool_chooser]


def _problem(pid: str, points: tuple[int, ...], texts: tuple[str, ...] | None = None) -> Problem:
    texts = texts or tuple(f"option {n}" for n in range(len(points)))
    return Problem(pid, "T", "S", tuple(Pick(f"v{n}", t, "c", p) for n, (t, p) in enumerate(zip(texts, points))))


@pytest.mark.parametrize("module", MODULES)
def test_the_data_is_sound(module):
    assert choosers.problems_in(module.problems()) == []
    assert len(module.problems()) == 5


def test_forum_chooser_covers_the_five_problems_of_issue_14():
    assert [p.id for p in forum_chooser.problems()] == ["domain", "resources", "transfer", "shutdown", "protocol"]


@pytest.mark.parametrize("module", MODULES)
def test_best_pick_is_not_a_length_cue(module):
    # Chance with three picks is one in three; the best pick must not be the longest more often than that.
    assert choosers.best_is_longest_share(module.problems()) <= 1 / 3


@pytest.mark.parametrize("module", MODULES)
def test_no_problem_is_all_or_nothing(module):
    """Every problem has a defensible second-best pick (1 point) and a pick that works against the aim."""
    for problem in module.problems():
        assert sorted(p.points for p in problem.picks) == [WEAK, PARTIAL, BEST], problem.id


@pytest.mark.parametrize("module", MODULES)
def test_scenario_has_one_step_per_problem_in_order(module):
    scenario = module.scenario()
    assert isinstance(scenario, Scenario) and scenario.mode == "practice"
    assert [s.id for s in scenario.steps] == [p.id for p in module.problems()]
    assert scenario.start == module.problems()[0].id
    for step, nxt in zip(scenario.steps, list(scenario.steps[1:]) + [None]):
        assert {o.next_step for o in step.options} == {nxt.id if nxt else None}


@pytest.mark.parametrize("module", MODULES)
def test_best_path_earns_full_points_and_weak_path_none(module):
    scenario = module.scenario()
    assert score(scenario, module.best_answer()).fraction == pytest.approx(1.0)
    weak = [[p.id, next(k.value for k in p.picks if k.points == WEAK)] for p in module.problems()]
    assert score(scenario, weak).fraction == pytest.approx(0.0)
    partial = [[p.id, next(k.value for k in p.picks if k.points == PARTIAL)] for p in module.problems()]
    assert score(scenario, partial).fraction == pytest.approx(0.5)


def test_stopping_half_way_keeps_what_was_earned():
    scenario = forum_chooser.scenario()
    first = forum_chooser.best_answer()[:1]
    assert score(scenario, first).fraction == pytest.approx(2 / 10)


def test_problems_in_names_each_fault():
    bad = (
        _problem("a", (BEST, BEST, WEAK)),
        _problem("a", (PARTIAL, WEAK)),
        _problem("c", (BEST, 3)),
        _problem("d", (BEST,)),
    )
    text = " | ".join(choosers.problems_in(bad))
    assert "not unique" in text
    assert "'a' needs exactly one best pick" in text
    assert "'c' has points other than 0, 1 or 2" in text
    assert "'d' needs 2 to 4 picks" in text


def test_to_scenario_refuses_unsound_data():
    with pytest.raises(ValueError, match="exactly one best pick"):
        choosers.to_scenario("x-chooser", "p", (_problem("a", (PARTIAL, WEAK)),), ["LO1"], "d")


def test_longest_share_counts_only_strictly_longest_best():
    long_best = _problem("a", (BEST, WEAK), ("a much longer best option", "short"))
    tie = _problem("b", (BEST, WEAK), ("same", "same"))
    short_best = _problem("c", (BEST, WEAK), ("short", "a much longer weak option"))
    assert choosers.best_is_longest_share((long_best, tie, short_best)) == pytest.approx(1 / 3)
