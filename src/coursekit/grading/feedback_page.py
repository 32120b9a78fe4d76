"""The feedback a participant receives for a graded topic: one self-contained page that teaches.

For each graded exercise the page gives the prompt, the participant's own answer (from the submitted
answers file), the score and the grader's comment; once the instructor releases keys, also the correct
answer, why it is right and why each option is right or wrong (from the hidden test in the instructor's
source, as compiled into the topic's plan). It holds no code and no hidden test, and everything in it is escaped text: nothing a participant
typed can become markup or script in the page.

Options are listed in the order this participant saw them (:mod:`coursekit.core.order`), seeded from their
submitted answers file, else from their student id (on the hub, their user name), so the page matches
their memory of the notebook; scores are by option value and do not depend on it.

:func:`submission_page` builds it from the gradebook and the collected answers file, for ``coursekit
feedback``; :class:`FeedbackPageExporter` gives formgrader's Generate Feedback button (``nbgrader
generate_feedback``) the same page, always without keys, in place of nbgrader's rendering of the notebook.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbconvert.exporters import Exporter, HTMLExporter

from ..core.exercises import (
    Choice,
    Exercise,
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
from ..core.order import arranged, identity_seed, shown_orders
from ..core.store import ANSWERS_FILENAME, read_answers_file
from .authoring import HiddenCheck
from .course import Course
from .marking import chosen_levels


@dataclass(frozen=True)
class ItemFeedback:
    """What the page says about one graded exercise."""

    exercise: Exercise  # with its key, from the grading plan
    hidden: HiddenCheck | None
    answer: Any
    points: float | None  # None: a written answer awaiting its hand mark
    comment: str = ""
    unreadable: bool = False  # the answers file was damaged and this answer could not be read from it
    levels: tuple[str, ...] = ()  # "criterion: level (points)" chosen in the marking view


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _text_block(text: str) -> str:
    return "<br>".join(_e(line) for line in str(text).splitlines()) or "&nbsp;"


def _choice_text(exercise: Exercise, value: Any) -> str:
    if isinstance(exercise, (SingleChoice, MultipleSelect)):
        for c in exercise.choices:
            if c.value == value:
                return c.text
    return str(value)


def _shown_choices(exercise: SingleChoice | MultipleSelect, seed: str) -> list[Choice]:
    values = [c.value for c in exercise.choices]
    return arranged(list(exercise.choices), values, shown_orders(exercise, seed)["choices"])


def _shown_options(exercise: Scenario, step: ScenarioStep, seed: str) -> list[ScenarioOption]:
    values = [o.value for o in step.options]
    return arranged(list(step.options), values, shown_orders(exercise, seed)[step.id])


def describe_answer(exercise: Exercise, answer: Any, seed: str) -> str:
    """A participant's answer as readable HTML (escaped), in the exercise's own terms and their order."""
    if answer is None or answer == "" or answer == [] or answer == {}:
        return "<em>No answer was given.</em>"
    try:
        value = exercise.normalise_answer(answer)
    except Exception:
        return "<em>The saved answer could not be read as an answer to this question.</em>"
    if isinstance(exercise, SingleChoice):
        return _e(_choice_text(exercise, value))
    if isinstance(exercise, MultipleSelect):
        chosen = [c.text for c in _shown_choices(exercise, seed) if c.value in value]
        return "<ul>" + "".join(f"<li>{_e(text)}</li>" for text in chosen) + "</ul>"
    if isinstance(exercise, Matching):
        return "<ul>" + "".join(f"<li>{_e(k)} → {_e(v)}</li>" for k, v in value.items()) + "</ul>"
    if isinstance(exercise, Ordering):
        return "<ol>" + "".join(f"<li>{_e(v)}</li>" for v in value) + "</ol>"
    if isinstance(exercise, Numeric):
        return _e(f"{value:g} {exercise.unit}".strip())
    if isinstance(exercise, Scenario):
        items = []
        for step_id, option in value:
            step = exercise.step(step_id)
            text = next(o.text for o in step.options if o.value == option)
            items.append(f"<li>{_e(step.situation)}<br><strong>You chose:</strong> {_e(text)}</li>")
        return "<ol>" + "".join(items) + "</ol>"
    if isinstance(exercise, ShortText):
        return f'<div class="written">{_text_block(value)}</div>'
    return _e(value)


def _key_html(exercise: Exercise, hidden: HiddenCheck | None, seed: str) -> str:
    """The correct answer, why, and why each option is right or wrong; only on pages with keys released."""
    parts: list[str] = []
    rationale = (hidden.rationale if hidden else None) or {}
    if isinstance(exercise, ShortText):
        if hidden and hidden.model_answer:
            parts.append(
                f'<p><strong>A model answer:</strong></p><div class="written">{_text_block(hidden.model_answer)}</div>'
            )
    elif isinstance(exercise, Scenario):
        for step in exercise.steps:
            best = max(exercise.key[step.id].values())
            rows = "".join(
                f"<li>{'★ ' if exercise.key[step.id][o.value] == best else ''}{_e(o.text)}"
                f"{' — ' + _e(rationale.get(step.id, {}).get(o.value, '')) if rationale.get(step.id, {}).get(o.value) else ''}</li>"
                for o in _shown_options(exercise, step, seed)
            )
            parts.append(f"<p>{_e(step.situation)}</p><ul>{rows}</ul>")
        parts.insert(0, "<p><strong>Best choice at each step (★):</strong></p>")
    else:
        if isinstance(exercise, SingleChoice):
            right = _e(_choice_text(exercise, exercise.key))
        elif isinstance(exercise, MultipleSelect):
            right = "; ".join(_e(c.text) for c in _shown_choices(exercise, seed) if c.value in exercise.key)
        elif isinstance(exercise, Matching):
            right = "; ".join(f"{_e(k)} → {_e(v)}" for k, v in exercise.key.items())
        elif isinstance(exercise, Ordering):
            right = " → ".join(_e(v) for v in exercise.key)
        else:
            right = _e(f"{float(exercise.key):g} {getattr(exercise, 'unit', '')}".strip())
        parts.append(f"<p><strong>Correct answer:</strong> {right}</p>")
        if isinstance(exercise, (SingleChoice, MultipleSelect)) and rationale:
            parts.append(
                "<ul>"
                + "".join(
                    f"<li>{_e(c.text)} — {_e(rationale.get(c.value, ''))}</li>" for c in _shown_choices(exercise, seed)
                )
                + "</ul>"
            )
        elif isinstance(exercise, Matching) and rationale:
            parts.append(
                "<ul>" + "".join(f"<li>{_e(k)} — {_e(rationale.get(k, ''))}</li>" for k in exercise.left) + "</ul>"
            )
    if hidden and hidden.explanation:
        parts.append(f"<p><strong>Why:</strong> {_e(hidden.explanation)}</p>")
    return '<div class="key">' + "".join(parts) + "</div>"


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
       color: #1a1a1a; background: #fff; }
section { border-top: 1px solid #999; padding: 0.5rem 0 1rem; }
.score { font-weight: bold; }
.written { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 4px solid #555; padding-left: 0.75rem; }
.key { background: #f2f2f2; padding: 0.5rem 0.75rem; }
.comment { border-left: 4px solid #1f4e79; padding-left: 0.75rem; }
.damaged { border: 2px solid #8a1c1c; padding: 0.5rem 0.75rem; }
"""


def _answer_html(item: ItemFeedback, seed: str) -> str:
    """The participant's answer, or, for one lost to a damaged file, that it could not be read (never "no answer")."""
    if not item.unreadable:
        return describe_answer(item.exercise, item.answer, seed)
    said = "<p><em>Your saved answer could not be read from your damaged answers file.</em></p>"
    if isinstance(item.exercise, ShortText):
        said += "<p><em>Your instructor marks this written answer by hand from the file you submitted.</em></p>"
        if item.answer:
            said += f'<p>The part that could still be read:</p><div class="written">{_text_block(item.answer)}</div>'
    return said


def damaged_file_note(problem: str, recovered: list[int], lost: list[int]) -> str:
    """What a participant whose answers file was damaged is told, at the top of their page, in plain words."""
    listed = ", ".join(map(str, recovered))
    got = (
        f"The answers to question{'s' if len(recovered) != 1 else ''} {listed} could still be read: they were "
        "recovered and scored as usual."
        if recovered
        else "None of your answers to the graded questions could be read from it."
    )
    missing = (
        f" The answer{'s' if len(lost) != 1 else ''} to question{'s' if len(lost) != 1 else ''} "
        f"{', '.join(map(str, lost))} could not be read; any written answer among them is marked by hand by your "
        "instructor from the file you submitted."
        if lost
        else ""
    )
    return (
        f"Your answers file (coursekit_answers.json) could not be read entirely: it was damaged. {got}{missing} "
        f"(For your instructor: {problem}.)"
    )


def render_page(
    topic: str,
    student: str,
    items: list[ItemFeedback],
    *,
    keys: bool,
    late: str = "",
    order_seed: str | None = None,
    file_note: str = "",
) -> str:
    """The whole feedback page as HTML: escaped text only, no script, no external resource.

    ``order_seed`` is the seed in the submitted answers file, if any; without it the participant's options
    were ordered by their user name, which is their student id. ``file_note`` says what happened to a
    damaged answers file (see :func:`damaged_file_note`).
    """
    seed = order_seed or identity_seed(student)
    earned = sum(i.points for i in items if i.points is not None)
    possible = sum(float(i.exercise.points) for i in items)
    pending = [i for i in items if i.points is None]
    sections = []
    for n, item in enumerate(items, start=1):
        ex = item.exercise
        score = (
            f"{item.points:g} of {float(ex.points):g} point(s)"
            if item.points is not None
            else f"awaiting a mark by hand (out of {float(ex.points):g})"
        )
        body = [
            f"<h2>Question {n}</h2>",
            f"<p>{_text_block(ex.prompt)}</p>",
            f"<p><strong>Your answer:</strong></p>{_answer_html(item, seed)}",
            f'<p class="score">Score: {_e(score)}</p>',
        ]
        if isinstance(ex, ShortText) and ex.rubric:
            body.append(
                "<p><strong>Marking rubric:</strong></p><ul>"
                + "".join(f"<li>{_e(c.criterion)} ({c.points:g}): {_e('; '.join(c.levels))}</li>" for c in ex.rubric)
                + "</ul>"
            )
        if item.levels:
            body.append(
                '<p><strong>Levels given:</strong></p><ul class="levels">'
                + "".join(f"<li>{_e(line)}</li>" for line in item.levels)
                + "</ul>"
            )
        if item.comment:
            body.append(
                f'<p><strong>Your grader\'s comment:</strong></p><div class="comment">{_text_block(item.comment)}</div>'
            )
        if keys:
            body.append(_key_html(ex, item.hidden, seed))
        sections.append("<section>" + "".join(body) + "</section>")
    status = f"{earned:g} of {possible:g} points" + (
        f"; {len(pending)} written answer(s) still to be marked" if pending else ""
    )
    note = (
        ""
        if keys
        else "<p>The correct answers and explanations will appear here once your instructor releases them.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Feedback: {_e(topic)}</title><style>{STYLE}</style></head><body><main>"
        f'<h1>Feedback: {_e(topic)}</h1><p>Participant: {_e(student)}</p><p class="score">Total: {_e(status)}</p>'
        + (f"<p><strong>Late:</strong> {_e(late)}</p>" if late else "")
        + (f'<p class="damaged"><strong>Your answers file:</strong> {_e(file_note)}</p>' if file_note else "")
        + note
        + "".join(sections)
        + "</main></body></html>\n"
    )


def submission_page(course: Course, gb: Any, plan: Any, submission: Any, keys: bool) -> str:
    """The page of one graded submission: its grades and comments from the gradebook ``gb``, its answers
    from the collected answers file, keys from ``plan`` (the instructor's source) only if ``keys``."""
    from nbgrader.api import MissingEntry

    student, notebook = submission.student.id, Path(plan.notebook).stem
    reading = read_answers_file(course.submitted / student / plan.topic / ANSWERS_FILENAME)
    unreadable = set(reading.unreadable(plan.graded_ids))
    items = []
    for exercise_id in plan.graded_ids:
        grade = gb.find_grade(exercise_id, notebook, plan.topic, student)
        points = grade.manual_score if grade.manual_score is not None else grade.auto_score
        comment, levels = "", ()
        if exercise_id in plan.manual:
            levels = tuple(
                chosen_levels(course.root, plan.topic, exercise_id, plan.all_exercises[exercise_id], student)
            )
            try:
                comment = gb.find_comment(exercise_id, notebook, plan.topic, student).manual_comment or ""
            except MissingEntry:
                pass
        saved = reading.answers.get(exercise_id)
        exercise = plan.keyed.get(exercise_id) or plan.all_exercises[exercise_id]
        answer = saved.value if saved else reading.partial.get(exercise_id)
        lost = exercise_id in unreadable
        items.append(ItemFeedback(exercise, plan.hidden.get(exercise_id), answer, points, comment, lost, levels))
    file_note = ""
    if reading.problem and (unreadable or not reading.complete):
        numbers = {i: n for n, i in enumerate(plan.graded_ids, start=1)}
        recovered = [numbers[i] for i in plan.graded_ids if i in reading.answers]
        file_note = damaged_file_note(
            reading.problem, recovered, [numbers[i] for i in plan.graded_ids if i in unreadable]
        )
    late = submission.total_seconds_late or 0
    return render_page(
        plan.topic,
        student,
        items,
        keys=keys,
        late=f"{late / 3600:.1f} hours after the due date" if late > 0 else "",
        order_seed=reading.order_seed,
        file_note=file_note,
    )


class FeedbackPageExporter(HTMLExporter):
    """nbgrader's feedback exporter replaced by the course's page (``GenerateFeedback.exporter_class``).

    nbgrader renders the autograded notebook itself: its code, and whatever a participant wrote. This
    exporter ignores the notebook and writes :func:`submission_page` without keys, so formgrader's button
    can never hand out keys, explanations or participant markup; keys go out only with
    ``coursekit feedback --keys``.
    """

    def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, Any]:
        from nbgrader.api import Gradebook

        from .plans import load_plan

        _, resources = Exporter.from_notebook_node(self, nb, resources, **kw)  # nbgrader's preprocessors only
        info = resources["nbgrader"]
        coursedir = self.parent.coursedir  # the GenerateFeedback converter that made this exporter
        course = Course(Path(coursedir.root))
        plan = load_plan(course.source_notebook(info["assignment"]))
        with Gradebook(info["db_url"], coursedir.course_id) as gb:
            submission = gb.find_submission(info["assignment"], info["student"])
            page = submission_page(course, gb, plan, submission, keys=False)
        resources["output_extension"] = ".html"
        return page, resources
