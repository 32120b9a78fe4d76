"""The page's feedback equals Python's, for every practice exercise of the course.

The exercise renderer (``static/coursekit-exercise.js``) computes practice feedback on the page, in JupyterLab
and in the book alike; :func:`coursekit.core.feedback.feedback` computes it in Python. Hypothesis generates answers
a participant can give on the page (every shape each control produces, blank ones, numbers out of range,
texts with the checklist's ideas in any letter case) and the test runs the module's own ``assess`` in Node
for each, comparing headline and lines word for word.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from node_page import NodePage

from coursekit.analysis.assessment import course_notebooks, read_course
from coursekit.core.exercises import Matching, MultipleSelect, Numeric, Ordering, Scenario, ShortText, SingleChoice
from coursekit.core.feedback import feedback
from coursekit.render.spec import exercise_spec

REPO = Path(__file__).resolve().parents[1]
PRACTICE = [ex for ex in read_course(course_notebooks(REPO / "notebooks")).exercises if ex.mode == "practice"]


@pytest.fixture(scope="module")
def page():
    p = NodePage("assess_driver.mjs")
    yield p
    p.close()


def _case_mix(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flips: "".join(c.upper() if f else c.lower() for c, f in zip(word, flips))
    )


def answers(ex) -> st.SearchStrategy[Any]:
    """What the page's controls for ``ex`` can send, blank answers included."""
    blank = st.sampled_from([None, "", [], {}])
    if isinstance(ex, SingleChoice):
        return st.one_of(blank, st.sampled_from([c.value for c in ex.choices]))
    if isinstance(ex, MultipleSelect):
        order = [c.value for c in ex.choices]
        return st.sets(st.sampled_from(order)).map(lambda s: [v for v in order if v in s])
    if isinstance(ex, Matching):
        return st.dictionaries(st.sampled_from(list(ex.left)), st.sampled_from(list(ex.right)))
    if isinstance(ex, Ordering):
        return st.permutations(list(ex.items))
    if isinstance(ex, Numeric):
        low = ex.minimum if ex.minimum is not None else -1000
        high = ex.maximum if ex.maximum is not None else 1000
        inside = st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
        near = st.integers(int(low) - 5, int(high) + 5)
        decimals = st.decimals(min_value=low - 3, max_value=high + 3, places=2, allow_nan=False).map(float)
        return st.one_of(st.none(), near, inside, decimals, st.just(float(ex.key)))
    if isinstance(ex, ShortText):
        ideas = (
            st.lists(st.sampled_from(list(ex.keywords)).flatmap(_case_mix), max_size=4) if ex.keywords else st.just([])
        )
        built = st.tuples(ideas, st.text(max_size=30)).map(lambda p: " ".join([*p[0], p[1]]))
        return st.one_of(blank, st.text(max_size=60), built, st.just("   "))
    if isinstance(ex, Scenario):

        @st.composite
        def walk(draw):
            path, step = [], ex.start
            while step is not None:
                option = draw(st.sampled_from(ex.step(step).options))
                path.append([step, option.value])
                step = option.next_step
                if step is not None and draw(st.integers(0, 5)) == 0:
                    break  # a scenario left unfinished
            return path

        return st.one_of(st.just([]), walk())
    raise AssertionError(f"no answers for {type(ex).__name__}")


def test_every_type_is_in_the_course():
    assert {type(ex) for ex in PRACTICE} == {
        SingleChoice,
        MultipleSelect,
        Matching,
        Ordering,
        Numeric,
        ShortText,
        Scenario,
    }
    assert len(PRACTICE) >= 60


@pytest.mark.parametrize("ex", PRACTICE, ids=[ex.id for ex in PRACTICE])
@pytest.mark.slow
def test_page_feedback_equals_python_feedback(page, ex):
    spec = json.loads(json.dumps(exercise_spec(ex, None)))  # exactly what reaches the page
    shuffled = json.loads(json.dumps(exercise_spec(ex, "participant-a")))  # as a participant sees it

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(answer=answers(ex))
    def check(answer):
        answer = json.loads(json.dumps(answer))
        python = feedback(ex, answer)
        js = page.ask({"spec": spec, "answer": answer})
        assert "error" not in js, js["error"]
        assert js["headline"] == python.headline
        assert [tuple(line) for line in js["lines"]] == list(python.lines)
        # in a participant's order the verdict is the same and the same lines are given (in their order)
        seen = page.ask({"spec": shuffled, "answer": answer})
        assert seen["headline"] == python.headline
        assert sorted(tuple(line) for line in seen["lines"]) == sorted(python.lines)

    check()


@pytest.mark.slow
def test_the_comparison_sees_a_difference(page):
    """The harness is not blind: a spec altered after Python's feedback gives a different page verdict."""
    ex = next(e for e in PRACTICE if isinstance(e, SingleChoice))
    wrong = next(c.value for c in ex.choices if c.value != ex.key)
    spec = {**exercise_spec(ex, None), "key": wrong}
    assert page.ask({"spec": spec, "answer": wrong})["headline"] != feedback(ex, wrong).headline
