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

What the participant's kernel reports is not trusted on its own: ``coursekit autograde`` scores the same
answers file again in the instructor's process and that score is the one recorded.
"""

from __future__ import annotations

from typing import Any

from .exercises import ShortText, defined_exercise
from .scoring import score
from .store import default_answers_path, read_answers_file


def check(exercise_id: str, key: Any = None) -> float:
    """Score the saved answer to ``exercise_id`` against ``key``; return the points earned.

    Hand-graded short texts take no key: their text is printed for the instructor and they score 0 until
    the instructor enters a mark in formgrader.
    """
    exercise = defined_exercise(exercise_id)
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
