"""Topics 1, 2 and 12 (issue 14): what their graded items assess, and the shape issue 15 asks of each topic.

Everything is read from the source notebooks (definitions and hidden tests), so a change there that breaks a
rule fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from coursekit.core.exercises import Scenario, SingleChoice
from coursekit.grading.authoring import hidden_checks_in
from coursekit.grading.hidden_tests import load_plan, rationale_problems
from coursekit.topics import forum_chooser, tool_chooser
from coursekit.topics.choosers import best_is_longest_share

REPO = Path(__file__).resolve().parents[1]
TOPICS = {"01-introduction": "01", "02-environment": "02", "12-stability-cbms": "12"}


def _notebook(topic: str) -> Path:
    return REPO / "notebooks" / topic / f"{topic}.ipynb"


@pytest.fixture(scope="module")
def plans():
    return {topic: load_plan(_notebook(topic)) for topic in TOPICS}


def _graded(plans):
    return [plan.all_exercises[i] for plan in plans.values() for i in plan.graded_ids]


@pytest.mark.parametrize("topic", TOPICS)
def test_every_graded_item_has_a_demand_and_complete_feedback(topic, plans):
    plan = plans[topic]
    nb = nbformat.read(_notebook(topic), as_version=4)
    checks = {h.exercise_id: h for c in nb.cells if c.cell_type == "code" for h in hidden_checks_in(c.source)}
    assert set(checks) == set(plan.graded_ids)
    for exercise_id in plan.graded_ids:
        exercise = plan.all_exercises[exercise_id]
        assert exercise.demand in ("recall", "decision", "product"), exercise_id
        assert rationale_problems(exercise, checks[exercise_id]) == [], exercise_id


def test_lo2_and_lo3_are_assessed_by_decisions_and_products(plans):
    graded = _graded(plans)
    for outcome, minimum in (("LO2", 4), ("LO3", 4)):
        items = [e for e in graded if outcome in e.outcomes]
        deciding = [e for e in items if e.demand in ("decision", "product")]
        assert len(items) >= minimum and len(deciding) >= 2, (outcome, [e.id for e in items])


def test_topic_2_has_three_graded_lo3_items_one_a_case(plans):
    items = [e for e in _graded({"02-environment": plans["02-environment"]}) if "LO3" in e.outcomes]
    assert len(items) >= 3
    assert any(isinstance(e, Scenario) and e.demand == "decision" for e in items)


def test_recall_carries_little_of_the_graded_points(plans):
    graded = _graded(plans)
    recall = sum(e.points for e in graded if e.demand == "recall")
    assert recall <= 0.15 * sum(e.points for e in graded)


@pytest.mark.parametrize("topic,number", TOPICS.items())
def test_shape_of_each_topic(topic, number, plans):
    cells = nbformat.read(_notebook(topic), as_version=4).cells
    headings = [c.source.splitlines()[0] for c in cells if c.cell_type == "markdown"]
    assert headings[-1] == "## Primary sources"
    assert sum(h == "## Since May 2022" for h in headings) == 1
    going = [n for n, h in enumerate(headings) if h.startswith("## Going further (optional)")]
    assert going and headings.index("## Since May 2022") < going[0]
    # After the first optional section, only optional sections and the sources follow (no core section).
    assert all(
        h.startswith(("## Going further", "## Primary sources")) for h in headings[going[0] :] if h.startswith("## ")
    )
    codes = [c for c in cells if c.cell_type == "code"]
    log = [c for c in codes if f'id="strategy-log-{number}"' in c.source]
    entry = plans[topic].all_exercises[f"strategy-log-{number}"]  # as the notebook defines it
    assert len(log) == 1 and entry.mode == "practice" and tuple(entry.outcomes) == ("LO2",)
    if number == "12":
        # The capstone is built from the log, so topic 12's entry sits in the core, visible, before the graded
        # strategy, never folded away under a collapsed "Going further (optional)" section.
        position = cells.index(log[0])
        first_optional = next(n for n, c in enumerate(cells) if c.source.startswith("## Going further (optional)"))
        capstone = next(n for n, c in enumerate(cells) if 'id="t12-strategy"' in c.source)
        assert position < capstone < first_optional
        heading = next(c for c in reversed(cells[:position]) if c.cell_type == "markdown" and c.source.startswith("#"))
        assert heading.source.startswith("## Strategy log")
    else:
        # The entry closes the topic's core: after every graded item, before the optional sections (where a
        # collapsed heading would fold it away).
        position = cells.index(log[0])
        graded = [n for n, c in enumerate(cells) if c.cell_type == "code" and 'mode="graded"' in c.source]
        first_optional = next(n for n, c in enumerate(cells) if c.source.startswith("## Going further (optional)"))
        assert all(n < position for n in graded) and position < first_optional


def _longest_share(plans, kind):
    hits = total = 0
    for plan in plans.values():
        for exercise_id, exercise in plan.all_exercises.items():
            exercise = plan.keyed.get(exercise_id, exercise)
            decisions = []
            if kind == "single" and isinstance(exercise, SingleChoice):
                decisions = [({c.value: c.text for c in exercise.choices}, exercise.key)]
            elif kind == "step" and isinstance(exercise, Scenario):
                for step in exercise.steps:
                    points = exercise.key[step.id]
                    best = max(points, key=points.get)
                    if list(points.values()).count(points[best]) == 1:
                        decisions.append(({o.value: o.text for o in step.options}, best))
            for texts, best in decisions:
                total += 1
                hits += all(len(texts[best]) > len(t) for v, t in texts.items() if v != best)
    return hits, total


@pytest.mark.parametrize("kind", ["single", "step"])
def test_best_option_is_not_a_length_cue(plans, kind):
    hits, total = _longest_share(plans, kind)
    assert total >= 3
    assert hits / total <= 1 / 3 + 0.10


def test_the_choosers_are_not_length_cues_either():
    assert best_is_longest_share(forum_chooser.problems()) <= 1 / 3
    assert best_is_longest_share(tool_chooser.problems()) <= 1 / 3


def _outcomes_in(text: str) -> list[str]:
    """The learning outcomes a header line or schedule cell names, in order ("LO1–LO5" and "all" expand)."""
    if text.strip() == "all":
        return [f"LO{n}" for n in range(1, 6)]
    found = []
    for first, last in re.findall(r"LO(\d)(?:\s*[–-]\s*LO(\d))?", text):
        found += [f"LO{n}" for n in range(int(first), int(last or first) + 1)]
    return found


def _schedule_outcomes() -> dict[str, list[str]]:
    rows = {}
    for line in (REPO / "book" / "schedule.md").read_text(encoding="utf-8").splitlines():
        link = re.search(r"release/([0-9]{2}-[a-z-]+)/", line)
        if link and line.startswith("|"):
            rows[link.group(1)] = _outcomes_in(line.rstrip().rstrip("|").rsplit("|", 1)[-1])
    return rows


def _header_outcomes(topic: str) -> list[str]:
    first = nbformat.read(_notebook(topic), as_version=4).cells[0].source
    line = next(line for line in first.splitlines() if "learning outcome" in line.lower())
    return _outcomes_in(line[line.lower().index("learning outcome") :])


def test_the_schedule_gives_each_notebook_the_outcomes_of_its_header():
    schedule = _schedule_outcomes()
    topics = sorted(p.parent.name for p in (REPO / "notebooks").glob("*/*.ipynb"))
    assert sorted(schedule) == topics
    for topic in topics:
        assert schedule[topic] == _header_outcomes(topic), topic
