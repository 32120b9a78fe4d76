"""A key fixed mid-term: re-score the topic, and refuse a key its feedback would contradict.

nbgrader has no notion of a key changed after grading began; the course's answer is ``coursekit fixkey TOPIC
ITEM``. The instructor corrects the key in the item's hidden test in the source notebook, together with its
explanation and the rationale of every option whose rightness changed. :func:`fix_key` compares the new hidden
test with the one the class was graded with (nbgrader stored it in the gradebook at release), refuses when the
explanation or such a rationale was left as it was (a page would then call a right answer wrong), re-scores
every submission of the topic, and stores the new hidden test. Hand marks are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.exercises import Exercise, Matching, MultipleSelect, Scenario, ShortText, SingleChoice
from .authoring import HiddenCheck, hidden_checks_in
from .course import Course, CourseError


def _rightness(exercise: Exercise, key: Any) -> dict[str, Any]:
    """What the key says of each thing the rationale explains: option value (or left item, or step/option)."""
    if isinstance(exercise, SingleChoice):
        return {c.value: c.value == key for c in exercise.choices}
    if isinstance(exercise, MultipleSelect):
        return {c.value: c.value in (key or []) for c in exercise.choices}
    if isinstance(exercise, Matching):
        return {left: (key or {}).get(left) for left in exercise.left}
    if isinstance(exercise, Scenario):
        found = {}
        for step in exercise.steps:
            marks = (key or {}).get(step.id, {})
            best = max(marks.values(), default=None)
            found.update({f"{step.id}/{o.value}": marks.get(o.value) == best for o in step.options})
        return found
    return {}


def _rationale_text(exercise: Exercise, rationale: Any, name: str) -> Any:
    if isinstance(exercise, Scenario):
        step, _, option = name.partition("/")
        return ((rationale or {}).get(step) or {}).get(option)
    return (rationale or {}).get(name) if isinstance(rationale, dict) else None


def key_change_problems(exercise: Exercise, old: HiddenCheck, new: HiddenCheck) -> list[str]:
    """Why feedback would contradict a changed key: an explanation or a rationale left as it was.

    When the key changes, the explanation (why the key is right) must change, and so must the rationale of
    every option whose rightness changed: otherwise a participant's page would call their right answer wrong.
    """
    problems = []
    if (new.explanation or "").strip() == (old.explanation or "").strip():
        problems.append("the explanation is the one written for the old key")
    before, after = _rightness(exercise, old.key), _rightness(exercise, new.key)
    for name in sorted(n for n in after if after[n] != before.get(n)):
        if _rationale_text(exercise, new.rationale, name) == _rationale_text(exercise, old.rationale, name):
            problems.append(f"the rationale of {name!r} is unchanged although the new key changes whether it is right")
    return problems


@dataclass
class KeyFix:
    """What ``coursekit fixkey`` did: the old and new key, and the regrade's results."""

    item: str
    old_key: Any
    new_key: Any
    results: list


def fix_key(course: Course, topic: str, item: str) -> KeyFix:
    """Re-score ``topic`` after ``item``'s key was corrected in the source notebook; refuse a contradicting one.

    The key the class was graded with is the one nbgrader stored in the gradebook at release (the hidden-test
    cell's source); the new one is the source notebook's. After the regrade the gradebook stores the new cell,
    so the next fix compares with it.
    """
    import nbformat
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.utils import compute_checksum

    from .autograde import autograde
    from .hidden_tests import rationale_problems
    from .plans import compile_plan, write_plan

    source = course.source_notebook(topic)
    plan = compile_plan(
        source
    )  # the edited notebook, not its plan: the plan is rewritten only once the key is accepted
    if item not in plan.hidden or item not in plan.graded_ids:
        raise CourseError(f"{item} is not a graded item of {topic}: see its hidden tests in {source}.")
    exercise = plan.keyed.get(item) or plan.all_exercises[item]
    if item in plan.manual or isinstance(exercise, ShortText):
        raise CourseError(
            f"{item} is a written answer: it has no key, its score is the hand mark. Edit its model answer and "
            "rubric in the source, then review the marks in the marking view or formgrader."
        )
    new = plan.hidden[item]
    notebook = source.stem
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            stored = gb.find_source_cell(item, notebook, topic)
        except MissingEntry:
            raise CourseError(
                f"{topic} has no stored hidden test for {item}: run `coursekit release {topic}`."
            ) from None
        old_checks = [c for c in hidden_checks_in(stored.source, item) if c.exercise_id == item]
    if not old_checks:
        raise CourseError(
            f"The gradebook's copy of {item}'s hidden test holds no check: run `coursekit release {topic}`."
        )
    old = old_checks[0]
    if old.key == new.key:
        raise CourseError(
            f"The key of {item} in {source} is the one the class was graded with ({old.key!r}): edit the key in "
            "its hidden test first, with its explanation and rationale."
        )
    problems = rationale_problems(exercise, new) + key_change_problems(exercise, old, new)
    if problems:
        raise CourseError(
            f"Refusing to re-score {topic} with the new key of {item} ({new.key!r}): "
            + "; ".join(problems)
            + ". Feedback would contradict the key: rewrite them in the hidden test, then run fixkey again."
        )
    write_plan(source)
    results = autograde(course, [topic], progress=False)
    cell = next(
        c for c in nbformat.read(source, as_version=4).cells if c.metadata.get("nbgrader", {}).get("grade_id") == item
    )
    with Gradebook(course.db_url, course.course_id) as gb:
        stored = gb.find_source_cell(item, notebook, topic)
        stored.source, stored.checksum = cell.source, compute_checksum(cell)
        gb.db.commit()
    return KeyFix(item, old.key, new.key, results)
