"""What a participant is told after checking a practice answer, as plain data.

Kept apart from the widgets so it can be unit-tested without a front end and so the book's JavaScript
renderer can show the same sentences. Every line carries words ("Correct", "Not quite", "You did not select") and a
symbol, never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .exercises import Exercise, Matching, MultipleSelect, Numeric, Ordering, Scenario, ShortText, SingleChoice
from .scoring import Score, keyword_checklist, score

RIGHT, WRONG, MISSED, INFO = "✓", "✗", "○", "ℹ"


@dataclass(frozen=True)
class Feedback:
    headline: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (symbol, sentence)
    result: Score | None = None


def _headline(result: Score) -> str:
    return {
        "correct": f"{RIGHT} Correct.",
        "partial": f"◐ Partly right: {result.detail}",
        "wrong": f"{WRONG} Not quite. {result.detail}",
        "unanswered": f"{INFO} Choose or enter an answer first.",
        "invalid": f"{WRONG} {result.detail}",
    }.get(result.status, result.detail)


def _range_problem(exercise: Exercise, answer: Any) -> str:
    """For a number outside a numeric exercise's range, say which numbers it takes (no verdict)."""
    if not isinstance(exercise, Numeric) or isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return ""
    low, high = exercise.minimum, exercise.maximum
    if not ((low is not None and answer < low) or (high is not None and answer > high)):
        return ""
    if low is not None and high is not None:
        return f"{INFO} Enter a number from {low:g} to {high:g}."
    return f"{INFO} Enter a number {f'of at least {low:g}' if low is not None else f'of at most {high:g}'}."


def _checklist(exercise: ShortText, answer: str, result: Score) -> Feedback:
    """A written practice answer gets a checklist of ideas and the model answer to compare with, not a verdict:
    a reflective text that words an idea differently is not "Not quite"."""
    found = keyword_checklist(exercise, answer)
    lines = [
        (RIGHT if hit else MISSED, f"{'Mentions' if hit else 'Does not mention'} {word!r}")
        for word, hit in found.items()
    ]
    if exercise.model_answer:
        lines.append((INFO, f"Model answer: {exercise.model_answer}"))
    if found:
        headline = (
            f"{INFO} Your answer mentions {sum(found.values())} of the {len(found)} ideas on this checklist. "
            "It is a prompt to compare, not a mark."
        )
    elif exercise.model_answer:
        headline = f"{INFO} Compare your answer with the model answer."
    else:
        headline = f"{INFO} Your answer is recorded."
    return Feedback(headline, lines, result)


def feedback(exercise: Exercise, answer: Any) -> Feedback:
    """The feedback for ``answer`` to a practice ``exercise``."""
    if exercise.mode != "practice":
        raise ValueError("Feedback is given only for practice exercises; graded ones are scored by the grader.")
    out_of_range = _range_problem(exercise, answer)
    if out_of_range:
        return Feedback(out_of_range, [], score(exercise, answer))
    result = score(exercise, answer)
    if isinstance(exercise, ShortText) and result.status != "unanswered":
        return _checklist(exercise, answer, result)
    if result.status in ("unanswered", "invalid"):
        return Feedback(_headline(result), [], result)
    lines: list[tuple[str, str]] = []
    if isinstance(exercise, SingleChoice):
        chosen = next(c for c in exercise.choices if c.value == answer)
        lines.append((RIGHT if result.correct else WRONG, chosen.feedback))
    elif isinstance(exercise, MultipleSelect):
        key = set(exercise.key)
        for c in exercise.choices:
            more = f" {c.feedback}" if c.feedback else ""
            if c.value in answer and c.value in key:
                lines.append((RIGHT, f"You selected \u201c{c.text}\u201d, a right option.{more}"))
            elif c.value in answer:
                lines.append((WRONG, f"You selected \u201c{c.text}\u201d, which is not a right option.{more}"))
            elif c.value in key:
                lines.append((MISSED, f"You did not select \u201c{c.text}\u201d, which is a right option.{more}"))
    elif isinstance(exercise, Matching):
        for left, target in exercise.key.items():
            given = answer.get(left)
            note = exercise.explanations.get(left, "")
            if given == target:
                lines.append((RIGHT, f"{left} → {target}. {note}".strip()))
            else:
                shown = given if given else "nothing"
                lines.append((WRONG, f"{left}: you chose {shown}; the answer is {target}. {note}".strip()))
    elif isinstance(exercise, Ordering):
        for i, (given, right) in enumerate(zip(answer, exercise.key), start=1):
            if given == right:
                lines.append((RIGHT, f"{i}. {right}"))
            else:
                lines.append((WRONG, f"{i}. {right} (you placed {given} here)"))
    elif isinstance(exercise, Numeric):
        unit = f" {exercise.unit}" if exercise.unit else ""
        lines.append((RIGHT if result.correct else WRONG, f"The expected answer is {float(exercise.key):g}{unit}."))
        if exercise.explanation:
            lines.append((INFO, exercise.explanation))
    elif isinstance(exercise, Scenario):
        if exercise.debrief and exercise.is_complete(answer):
            lines.append((INFO, exercise.debrief))
    return Feedback(_headline(result), lines, result)
