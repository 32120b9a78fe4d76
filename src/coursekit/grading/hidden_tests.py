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

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.exercises import (
    Exercise,
    Matching,
    MultipleSelect,
    Scenario,
    ShortText,
    SingleChoice,
    defined_exercise,
    display_suppressed,
)
from ..core.scoring import score
from ..core.store import default_answers_path, read_answers_file
from .authoring import HiddenCheck


def check(
    exercise_id: str, key: Any = None, *, explanation: str = "", rationale: Any = None, model_answer: str = ""
) -> float:
    """Score the saved answer to ``exercise_id`` against ``key``; return the points earned.

    This runs only where the instructor runs the *source* notebook (the hidden test is removed from the
    participant release, and grading never executes notebooks: see :mod:`coursekit.grading.nbgrader_plugins`).
    ``explanation``, ``rationale`` and ``model_answer`` are read by the grader from the source text for the
    participant's feedback; here they are only checked for shape. Hand-graded short texts take no key and
    score 0 until the instructor enters a mark in formgrader.
    """
    exercise = defined_exercise(exercise_id)
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


# --- the instructor's side: scoring outside the participant's kernel -------------------------------------


@dataclass(frozen=True)
class GradingPlan:
    """What a topic's graded exercises are and how they are scored, read from the *source* notebook.

    ``keyed`` holds every auto-scored exercise with its key; ``manual`` the ids of hand-graded ones;
    ``hidden`` each graded exercise's hidden test (key, explanation, rationale, model answer), which the
    assessment checks read. Everything comes from the instructor's own notebook, never from a submission.
    """

    topic: str
    notebook: str
    keyed: dict[str, Exercise]
    manual: frozenset[str]
    all_exercises: dict[str, Exercise]
    hidden: dict[str, HiddenCheck]

    @property
    def graded_ids(self) -> list[str]:
        """Graded exercises in the order the notebook asks them."""
        return [i for i in self.hidden if i in self.keyed or i in self.manual]


def load_plan(source_notebook: Path) -> GradingPlan:
    """Rebuild a source notebook's exercises and read its hidden-test keys, without displaying anything.

    Only cells that import coursekit or define exercises are run (they are the instructor's locked cells);
    keys are read with ``ast.literal_eval`` from the hidden tests.
    """
    import nbformat

    from .authoring import definitions_in, hidden_checks_in

    nb = nbformat.read(source_notebook, as_version=4)
    namespace: dict[str, Any] = {"__name__": f"coursekit_plan_{source_notebook.stem.replace('-', '_')}"}
    ids: list[str] = []
    hidden: dict[str, HiddenCheck] = {}
    with display_suppressed():
        for n, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            checks = hidden_checks_in(cell.source, f"{source_notebook}, cell {n + 1}")
            if checks:
                hidden[checks[0].exercise_id] = checks[0]
                continue
            defs = definitions_in(cell.source, f"{source_notebook}, cell {n + 1}")
            if defs or "coursekit" in cell.source and "import" in cell.source:
                try:
                    exec(compile(cell.source, f"{source_notebook}:cell{n + 1}", "exec"), namespace)
                except Exception as err:
                    raise RuntimeError(
                        f"{source_notebook}, cell {n + 1}: the exercise definition cannot be rebuilt for grading "
                        f"({type(err).__name__}: {err}). Definitions must not depend on unlocked cells."
                    ) from err
                ids.extend(d.id for d in defs)
    exercises = {i: defined_exercise(i) for i in ids}
    keyed: dict[str, Exercise] = {}
    manual: set[str] = set()
    for exercise_id, check_call in hidden.items():
        exercise = exercises[exercise_id]
        if isinstance(exercise, ShortText) and check_call.key is None:
            manual.add(exercise_id)
        else:
            keyed[exercise_id] = exercise.with_key(check_call.key)
    return GradingPlan(source_notebook.parent.name, source_notebook.name, keyed, frozenset(manual), exercises, hidden)
