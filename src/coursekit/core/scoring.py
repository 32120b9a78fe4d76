"""Scoring: a pure function of (exercise, answer).

The same function gives feedback in JupyterLab, in the compiled book (mirrored in JavaScript) and marks
in the grader, so a participant never sees one score and receives another. It never raises on a bad
answer: a malformed answer scores zero and says why, because one broken answer must not stop grading.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

from .exercises import (
    Exercise,
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Scenario,
    ShortText,
    SingleChoice,
)


@dataclass(frozen=True)
class Score:
    """The outcome of scoring one answer.

    ``fraction`` is in [0, 1]; ``points`` is ``fraction * max_points``. ``status`` is one of
    ``"correct"``, ``"partial"``, ``"wrong"``, ``"unanswered"``, ``"invalid"`` or ``"manual"``
    (hand-graded), and ``detail`` explains it in a sentence.
    """

    fraction: float
    max_points: float
    status: str
    detail: str

    @property
    def points(self) -> float:
        return round(self.fraction * self.max_points, 6)

    @property
    def correct(self) -> bool:
        return self.status == "correct"


def _graded(exercise: Exercise, fraction: float, detail: str) -> Score:
    fraction = min(1.0, max(0.0, fraction))
    status = "correct" if fraction >= 1.0 else "wrong" if fraction <= 0.0 else "partial"
    return Score(fraction, float(exercise.points), status, detail)


def score(exercise: Exercise, answer: Any) -> Score:
    """Score ``answer`` against the key that ``exercise`` carries.

    ``answer`` is ``None`` when the participant has not answered. Graded exercises must be given their key
    first with :meth:`Exercise.with_key`. Hand-graded short texts return status ``"manual"``.
    """
    if isinstance(exercise, ShortText) and exercise.mode == "graded":
        return Score(0.0, float(exercise.points), "manual", "Scored by hand by the instructor.")
    if answer is None or answer == "" or answer == [] or answer == {}:
        return Score(0.0, float(exercise.points), "unanswered", "No answer was given.")
    if exercise.key is None and not isinstance(exercise, ShortText):
        raise ValueError(f"Exercise {exercise.id!r} has no key; use exercise.with_key(key) on the grader's side.")
    try:
        value = exercise.normalise_answer(answer)
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as err:
        return Score(0.0, float(exercise.points), "invalid", f"The saved answer cannot be scored: {err}.")
    return _SCORERS[type(exercise)](exercise, value)


def _single(ex: SingleChoice, value: str) -> Score:
    right = value == ex.key
    return _graded(ex, 1.0 if right else 0.0, "Right option." if right else "Not the right option.")


def _multiple(ex: MultipleSelect, value: list[str]) -> Score:
    """Share of right options selected minus share of wrong options selected, never below zero.

    Why shares and not counts: selecting every option (or none) then earns nothing whatever the share of
    right options, so only knowing which options apply earns points.
    """
    key = set(ex.key)
    wrong_options = len(ex.choices) - len(key)
    hits = len(key.intersection(value))
    misses = len(set(value) - key)
    fraction = hits / len(key) - (misses / wrong_options if wrong_options else 0.0)
    return _graded(ex, fraction, f"{hits} of {len(key)} right options selected, {misses} wrong.")


def _matching(ex: Matching, value: dict[str, str]) -> Score:
    """The multiple-select rule applied to each right-hand value, weighted by how often the key uses it.

    Why not the plain share of right pairs: giving every left item the same right-hand value would then earn
    the share of the key that uses that value. Here, for each right-hand value, the share of its items given
    it minus the share of the other items given it (never below zero) counts; a constant answer earns
    nothing, a full answer everything, and a pair given wrongly costs its own point and a little of the value
    it was wrongly given.
    """
    lefts = len(ex.key)
    fraction = 0.0
    for target in set(ex.key.values()):
        own = [left for left, right in ex.key.items() if right == target]
        given = {left for left, right in value.items() if right == target}
        others = lefts - len(own)
        share = len(given.intersection(own)) / len(own) - (len(given - set(own)) / others if others else 0.0)
        fraction += max(0.0, share) * len(own) / lefts
    right = sum(1 for left, target in ex.key.items() if value.get(left) == target)
    return _graded(ex, fraction, f"{right} of {lefts} pairs right.")


def _ordering(ex: Ordering, value: list[str]) -> Score:
    """Kendall's tau between the answer and the key, never below zero.

    Why tau and not the share of pairs in order: any order, even one chosen blind, has half its pairs in order
    on average, so the share would pay about half the points for no knowledge; tau pays nothing for a blind
    or reversed order and everything for the key.
    """
    position = {item: i for i, item in enumerate(ex.key)}
    pairs = list(combinations(value, 2))
    in_order = sum(1 for a, b in pairs if position[a] < position[b])
    place = sum(1 for a, b in zip(value, ex.key) if a == b)
    return _graded(ex, (2 * in_order - len(pairs)) / len(pairs), f"{place} of {len(value)} items in the right place.")


def _numeric(ex: Numeric, value: float) -> Score:
    right = abs(value - float(ex.key)) <= ex.tolerance + 1e-9
    unit = f" {ex.unit}" if ex.unit else ""
    return _graded(
        ex, 1.0 if right else 0.0, f"{value:g}{unit} is {'within' if right else 'outside'} the accepted range."
    )


_FOLDED_BELOW = 0x0530  # Basic Latin to Cyrillic Supplement: case pairs unchanged for decades


def fold_case(text: str) -> str:
    """Lower-case the Latin, Greek and Cyrillic letters of ``text``, one character at a time.

    Why not ``casefold`` or ``lower`` on everything: the page's renderer does the same folding in JavaScript,
    and Python and the browser ship different Unicode versions (55 newer letters lower-case differently here).
    Keeping to the blocks whose case pairs are settled gives the participant the same checklist in
    JupyterLab, in the book and at grading.
    """
    return "".join(ch.lower() if ord(ch) < _FOLDED_BELOW else ch for ch in text)


def keyword_checklist(ex: ShortText, text: str) -> dict[str, bool]:
    """Which of the exercise's keywords the text mentions, ignoring case (see :func:`fold_case`)."""
    folded = fold_case(text)
    return {k: fold_case(k) in folded for k in ex.keywords}


def _short_text(ex: ShortText, value: str) -> Score:
    if not value.strip():
        return Score(0.0, float(ex.points), "unanswered", "No answer was given.")
    checklist = keyword_checklist(ex, value)
    if not checklist:
        return Score(1.0, float(ex.points), "correct", "Answer recorded; compare it with the model answer.")
    found = sum(checklist.values())
    return _graded(ex, found / len(checklist), f"{found} of {len(checklist)} key ideas mentioned.")


def best_total(ex: Scenario, key: dict[str, dict[str, float]] | None = None) -> float:
    """The highest number of points any complete path through the scenario can earn."""
    key = key if key is not None else ex.key
    memo: dict[str, float] = {}

    def best(step_id: str) -> float:
        if step_id not in memo:
            step = ex.step(step_id)
            memo[step_id] = max(
                float(key[step_id][o.value]) + (best(o.next_step) if o.next_step else 0.0) for o in step.options
            )
        return memo[step_id]

    return best(ex.start)


def _scenario(ex: Scenario, path: list[list[str]]) -> Score:
    earned = sum(float(ex.key[step][value]) for step, value in path)
    top = best_total(ex)
    fraction = earned / top if top > 0 else 1.0
    done = "" if ex.is_complete(path) else " The scenario was not finished."
    return _graded(ex, fraction, f"{earned:g} of a possible {top:g} decision points.{done}")


_SCORERS: dict[type, Any] = {
    SingleChoice: _single,
    MultipleSelect: _multiple,
    Matching: _matching,
    Ordering: _ordering,
    Numeric: _numeric,
    ShortText: _short_text,
    Scenario: _scenario,
}
