"""Scoring graded exercises from the answers file, for nbgrader's hidden tests.

A graded exercise in a source notebook is followed by a test cell whose hidden-test block calls
:func:`check` with the key, for example::

    ### BEGIN HIDDEN TESTS
    from coursekit.grading import check
    check("topic07-norms-graded", key={"WannaCry": "(f)"})
    ### END HIDDEN TESTS

nbgrader removes the block from the participant release and restores it at autograde. :func:`check`
reads the saved answer from the answers file (not widget state, which a fresh kernel does not have),
scores it, and returns the points as the cell's value, which nbgrader takes as partial credit. The key
must be a Python literal so that the instructor's process can read it without running participant code.

:func:`check` runs only where someone runs the *source* notebook (the author, the notebook tests): it finds its
exercise in the topic's compiled plan (:mod:`coursekit.grading.plans`), so it also fails, saying to run
``coursekit author``, when the plan is older than the notebook. ``coursekit autograde`` never runs it: it scores
the submitted answers file in the instructor's process from the same plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.exercises import (
    Exercise,
    Matching,
    MultipleSelect,
    Scenario,
    ShortText,
    SingleChoice,
)
from ..core.scoring import score
from ..core.store import default_answers_path, read_answers_file
from .authoring import HiddenCheck
from .plans import GradingPlan, load_plan

__all__ = ["GradingPlan", "check", "load_plan", "rationale_problems"]  # the plan's names, where callers found them


def check(
    exercise_id: str, key: Any = None, *, explanation: str = "", rationale: Any = None, model_answer: str = ""
) -> float:
    """Score the saved answer to ``exercise_id`` against ``key``; return the points earned.

    This runs only where the instructor runs the *source* notebook (the hidden test is removed from the
    participant release, and grading never executes notebooks: see :mod:`coursekit.grading.nbgrader_plugins`),
    with the notebook's folder as working directory. The exercise comes from the topic's compiled plan.
    ``explanation``, ``rationale`` and ``model_answer`` are read by the grader from the plan for the
    participant's feedback; here they are only checked for shape. Hand-graded short texts take no key and
    score 0 until the instructor enters a mark in formgrader.
    """
    exercise = _planned_exercise(exercise_id)
    problems = rationale_problems(exercise, HiddenCheck(exercise_id, key, explanation, rationale, model_answer))
    if problems:
        print(f"{exercise_id}: " + "; ".join(problems))
    reading = read_answers_file(default_answers_path())
    saved = reading.answers.get(exercise_id)
    answer = saved.value if saved is not None else None
    if reading.problem:
        print(f"Answers file problem: {reading.problem}.")
    if isinstance(exercise, ShortText) and key is None:
        print(f"{exercise_id}: to be graded by hand. Answer:\n{answer if answer is not None else '(no answer)'}")
        return 0.0
    result = score(exercise.with_key(key), answer)
    print(f"{exercise_id}: {result.status}. {result.detail} {result.points:g} of {result.max_points:g} points.")
    return result.points


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def rationale_problems(exercise: Exercise, hidden: HiddenCheck) -> list[str]:
    """What a graded item's hidden test lacks for feedback that teaches (empty when complete).

    Every auto-scored item needs an ``explanation`` of its key; choice items a ``rationale`` for every
    option, matchings for every left item, scenarios for every option of every step. A hand-graded text
    needs a ``model_answer`` in the hidden test and a public ``rubric`` in its definition.
    """
    problems: list[str] = []
    if isinstance(exercise, ShortText):
        if not _text(hidden.model_answer):
            problems.append("no model_answer in the hidden test")
        if not exercise.rubric:
            problems.append("no rubric in the definition")
        return problems
    if not _text(hidden.explanation):
        problems.append("no explanation of the key")
    rationale = hidden.rationale
    expected: dict[str, set[str]] = {}
    if isinstance(exercise, (SingleChoice, MultipleSelect)):
        expected = {"": {c.value for c in exercise.choices}}
    elif isinstance(exercise, Matching):
        expected = {"": set(exercise.left)}
    elif isinstance(exercise, Scenario):
        expected = {s.id: {o.value for o in s.options} for s in exercise.steps}
    for group, names in expected.items():
        given = rationale if group == "" else (rationale or {}).get(group) if isinstance(rationale, dict) else None
        if not isinstance(given, dict):
            problems.append(f"no rationale {'per option' if group == '' else f'for step {group!r}'}")
            continue
        missing = sorted(n for n in names if not _text(given.get(n)))
        extra = sorted(set(map(str, given)) - names)
        if missing:
            problems.append(f"no rationale for {missing}" + (f" in step {group!r}" if group else ""))
        if extra:
            problems.append(f"rationale for unknown {extra}" + (f" in step {group!r}" if group else ""))
    return problems


def _planned_exercise(exercise_id: str) -> Exercise:
    """``exercise_id`` as the compiled plan of the source notebook in the working directory defines it."""
    here = sorted(Path.cwd().glob("*.ipynb"))
    if len(here) != 1:
        raise KeyError(
            f"check({exercise_id!r}) runs in a topic's source folder (one notebook); {Path.cwd()} holds {len(here)}."
        )
    plan = load_plan(here[0])
    try:
        return plan.all_exercises[exercise_id]
    except KeyError:
        raise KeyError(
            f"The plan of {here[0].name} defines no exercise {exercise_id!r}: define it in the notebook, then run "
            "`coursekit author`."
        ) from None
