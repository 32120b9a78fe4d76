"""The exercise model: one definition per exercise, rendered three ways.

An exercise is defined once (in a notebook cell) and then shown by the one renderer in JupyterLab and in
the compiled book (:mod:`coursekit.render`), and scored by the grader. This module holds only the
definitions and their validation, so that importing it is cheap and safe in every one of those places; it
never imports the renderer (see :func:`use_renderer`).

Every exercise type takes the same core fields (``id``, ``prompt``, ``points``, ``outcomes``, ``mode``)
and a ``key`` in the shape of a correct answer. The rule on keys is what keeps graded exercises fair:

* ``practice`` exercises must carry their key (and per-option feedback), because they give instant feedback;
* ``graded`` exercises must *not* carry a key, feedback or a model answer: the key lives only in the
  nbgrader hidden test (see :mod:`coursekit.grading.hidden_tests`) and never reaches participants. Use
  :meth:`Exercise.with_key` on the instructor's side to score them.
"""

from __future__ import annotations

import copy
import math
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterator, Literal

from .ids import EXERCISE_ID
from .settings import settings

Mode = Literal["practice", "graded"]
# What a graded item asks of a participant: to remember a fact, to decide in a situation (and know why),
# or to produce something of their own (a plan, a strategy, an argument). The course keeps recall small.
Demand = Literal["recall", "decision", "product"]
DEMANDS: tuple[str, ...] = ("recall", "decision", "product")
# False while the plan compiler rebuilds exercises from a source notebook: nothing is displayed then.
_DISPLAY_ENABLED: ContextVar[bool] = ContextVar("coursekit_display_enabled", default=True)
# While the plan compiler runs a notebook's definitions: the list every exercise made is added to.
_COLLECTING: ContextVar[list["Exercise"] | None] = ContextVar("coursekit_collecting", default=None)


def __getattr__(name: str) -> Any:
    """``LEARNING_OUTCOMES``: the outcome ids an exercise may name, from the course settings (their one home).

    Read on first use rather than at import, so that a bad settings file is reported with its own message
    where it is used (an exercise, a CLI command), not as a failure to import coursekit.
    """
    if name == "LEARNING_OUTCOMES":
        return settings().outcome_ids
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ExerciseDefinitionError(ValueError):
    """An exercise was defined with missing or inconsistent fields (an author's mistake)."""


@dataclass(frozen=True)
class Choice:
    """One option of a SingleChoice or MultipleSelect exercise.

    ``value`` is what the answers file stores; it defaults to the text so that answers stay readable and
    survive a change in the order of options. ``feedback`` explains why this option is right or wrong
    (practice mode only).
    """

    text: str
    feedback: str = ""
    value: str = ""

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ExerciseDefinitionError("A choice needs a non-empty text.")
        if not self.value:
            object.__setattr__(self, "value", self.text)


@dataclass(frozen=True)
class ScenarioOption:
    """One decision at a scenario step: what the participant may do, and what follows."""

    text: str
    consequence: str
    next_step: str | None = None
    points: float | None = None  # practice only; graded scenarios keep points in the key
    value: str = ""

    def __post_init__(self) -> None:
        if not self.text.strip() or not self.consequence.strip():
            raise ExerciseDefinitionError("A scenario option needs a text and a consequence.")
        if not self.value:
            object.__setattr__(self, "value", self.text)


@dataclass(frozen=True)
class ScenarioStep:
    """A decision point: a situation and the options open to the participant."""

    id: str
    situation: str
    options: tuple[ScenarioOption, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        if not EXERCISE_ID.match(self.id):
            raise ExerciseDefinitionError(f"Scenario step id {self.id!r} may hold only letters, digits, '-' and '_'.")
        if len(self.options) < 2:
            raise ExerciseDefinitionError(f"Scenario step {self.id!r} needs at least two options.")
        _require_unique([o.value for o in self.options], f"option values of scenario step {self.id!r}")


@dataclass(frozen=True)
class Exercise:
    """Fields shared by every exercise type.

    ``key`` has the shape of a correct answer for the type (see each subclass). Practice exercises must
    have one; graded exercises must not (it belongs in the hidden test).
    """

    id: str
    prompt: str
    points: float = 1.0
    outcomes: tuple[str, ...] = ()
    mode: Mode = "practice"
    key: Any = None
    demand: str = ""

    kind: ClassVar[str] = "exercise"

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcomes", tuple(self.outcomes))
        if not isinstance(self.id, str) or not EXERCISE_ID.match(self.id):
            raise ExerciseDefinitionError(
                f"Exercise id {self.id!r} is not valid: use 1-80 letters, digits, '-' or '_', starting with a "
                "letter or digit (for example 'topic07-norms-match')."
            )
        if not self.prompt.strip():
            raise ExerciseDefinitionError(f"Exercise {self.id!r} needs a prompt.")
        if self.mode not in ("practice", "graded"):
            raise ExerciseDefinitionError(
                f"Exercise {self.id!r}: mode must be 'practice' or 'graded', not {self.mode!r}."
            )
        if not isinstance(self.points, (int, float)) or not math.isfinite(self.points) or self.points < 0:
            raise ExerciseDefinitionError(f"Exercise {self.id!r}: points must be a finite number >= 0.")
        outcome_ids = settings().outcome_ids
        if not self.outcomes:
            raise ExerciseDefinitionError(
                f"Exercise {self.id!r}: name at least one learning outcome ({', '.join(outcome_ids)})."
            )
        unknown = [o for o in self.outcomes if o not in outcome_ids]
        if unknown:
            raise ExerciseDefinitionError(
                f"Exercise {self.id!r}: unknown learning outcome(s) {unknown}; use {', '.join(outcome_ids)}."
            )
        if self.demand and self.demand not in DEMANDS:
            raise ExerciseDefinitionError(
                f"Exercise {self.id!r}: demand must be one of {', '.join(DEMANDS)}, not {self.demand!r}."
            )
        if self.mode == "graded":
            if self.key is not None:
                raise ExerciseDefinitionError(
                    f"Graded exercise {self.id!r} must not carry its key in the notebook: participants would "
                    "receive it. Put the key in the hidden test (coursekit.grading.hidden_tests.graded_cells)."
                )
            self._check_no_hidden_answers()
        elif self.needs_key and self.key is None:
            raise ExerciseDefinitionError(f"Practice exercise {self.id!r} needs a key to give feedback.")
        self._validate()
        if self.key is not None:
            try:
                self.validate_key(self.key)
            except ExerciseDefinitionError:
                raise
            except ValueError as err:
                raise ExerciseDefinitionError(f"Exercise {self.id!r}: the key is not a valid answer: {err}.") from None
        collecting = _COLLECTING.get()
        if collecting is not None:
            collecting.append(self)

    # -- hooks for subclasses -------------------------------------------------------------------------
    needs_key: ClassVar[bool] = True

    def _validate(self) -> None:
        """Check the fields particular to a type."""

    def _check_no_hidden_answers(self) -> None:
        """Refuse graded definitions that would show participants feedback that gives the key away."""

    def validate_key(self, key: Any) -> None:
        """Raise ExerciseDefinitionError if ``key`` is not a possible correct answer."""
        self.normalise_answer(key)

    def normalise_answer(self, answer: Any) -> Any:
        """Return ``answer`` in canonical form, or raise ValueError saying what is wrong with it."""
        raise NotImplementedError

    # -- helpers ---------------------------------------------------------------------------------------
    def with_key(self, key: Any) -> "Exercise":
        """Return a copy of this graded exercise that carries ``key``, for scoring on the grader's side."""
        try:
            self.validate_key(key)
        except ValueError as err:
            raise ExerciseDefinitionError(f"Key for {self.id!r} is not valid: {err}") from err
        keyed = copy.copy(self)
        object.__setattr__(keyed, "key", key)
        return keyed

    def metadata(self) -> dict[str, Any]:
        """Public description of the exercise (never the key), for catalogues and the outcomes matrix."""
        return {
            "id": self.id,
            "type": self.kind,
            "mode": self.mode,
            "points": self.points,
            "outcomes": list(self.outcomes),
            "demand": self.demand,
        }

    def show(self) -> None:
        """Display the exercise (returns nothing, so the cell does not show it twice)."""
        if not _DISPLAY_ENABLED.get():
            return
        from IPython.display import display

        display(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _RENDERER[0](self)


def _plain(exercise: "Exercise") -> dict[str, Any]:
    return {"text/plain": f"{exercise.kind} exercise {exercise.id}"}


#: What draws an exercise when IPython displays it. ``coursekit/__init__.py`` puts the renderer here, so the
#: model never imports the layer above it; it does so when the package is first imported, before any
#: exercise exists, whether or not an IPython shell is running yet (a kernel forked from a warm process).
_RENDERER: list[Callable[["Exercise"], dict[str, Any]]] = [_plain]


def use_renderer(draw: Callable[["Exercise"], dict[str, Any]]) -> None:
    """Draw every exercise with ``draw`` (its display bundle) from now on."""
    _RENDERER[0] = draw


@contextmanager
def display_suppressed(collect: list["Exercise"] | None = None) -> Iterator[None]:
    """Define exercises without displaying them, adding each one made to ``collect`` if given.

    Why: the plan compiler (:mod:`coursekit.grading.plans`) runs a source notebook's definition cells once, at
    author and release time, and needs the exercises they make; nothing keeps them after that (there is no
    registry of defined exercises: instructor commands read the compiled plans).
    """
    token = _DISPLAY_ENABLED.set(False)
    collecting = _COLLECTING.set(collect)
    try:
        yield
    finally:
        _COLLECTING.reset(collecting)
        _DISPLAY_ENABLED.reset(token)


def _require_unique(values: list[Any], what: str) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ExerciseDefinitionError(f"The {what} must be unique; {value!r} appears twice.")
        seen.add(value)


def _choice_value(choices: tuple[Choice, ...], answer: Any, exercise_id: str) -> str:
    if not isinstance(answer, str):
        raise ValueError(f"expected one option as text, got {type(answer).__name__}")
    if answer not in {c.value for c in choices}:
        raise ValueError(f"{answer!r} is not one of the options of {exercise_id!r}")
    return answer


@dataclass(frozen=True)
class _ChoiceExercise(Exercise):
    choices: tuple[Choice, ...] = ()

    def _validate(self) -> None:
        object.__setattr__(self, "choices", tuple(self.choices))
        if len(self.choices) < 2:
            raise ExerciseDefinitionError(f"Exercise {self.id!r} needs at least two choices.")
        _require_unique([c.value for c in self.choices], f"choices of {self.id!r}")
        if self.mode == "practice":
            missing = [c.text for c in self.choices if not c.feedback.strip()]
            if missing:
                raise ExerciseDefinitionError(
                    f"Practice exercise {self.id!r}: every choice needs feedback that explains it; missing for {missing}."
                )

    def _check_no_hidden_answers(self) -> None:
        if any(c.feedback for c in self.choices):
            raise ExerciseDefinitionError(
                f"Graded exercise {self.id!r}: per-choice feedback would reveal the key; leave it out."
            )


@dataclass(frozen=True)
class SingleChoice(_ChoiceExercise):
    """Pick exactly one option. Answer and key: the ``value`` of one choice.

    Scoring: full points for the key, nothing otherwise.
    """

    kind: ClassVar[str] = "single-choice"

    def normalise_answer(self, answer: Any) -> str:
        return _choice_value(self.choices, answer, self.id)


@dataclass(frozen=True)
class MultipleSelect(_ChoiceExercise):
    """Select every option that applies. Answer and key: a list of choice values (order ignored).

    Scoring (partial credit): the share of right options selected minus the share of wrong options
    selected, never below zero, times the points. Selecting everything, or nothing, therefore earns nothing,
    whatever the share of right options; the key must leave at least one option unselected.
    """

    kind: ClassVar[str] = "multiple-select"

    def normalise_answer(self, answer: Any) -> list[str]:
        if not isinstance(answer, (list, tuple)):
            raise ValueError(f"expected a list of options, got {type(answer).__name__}")
        values = [_choice_value(self.choices, a, self.id) for a in answer]
        if len(set(values)) != len(values):
            raise ValueError("an option is selected twice")
        order = [c.value for c in self.choices]
        return sorted(values, key=order.index)

    def validate_key(self, key: Any) -> None:
        selected = self.normalise_answer(key)
        if not selected:
            raise ExerciseDefinitionError(f"Exercise {self.id!r}: the key must select at least one option.")
        if len(selected) == len(self.choices):
            raise ExerciseDefinitionError(
                f"Exercise {self.id!r}: the key selects every option, so ticking everything would be the answer; "
                "add an option that does not apply."
            )


@dataclass(frozen=True)
class Matching(Exercise):
    """Pair each item on the left with one item on the right.

    Answer and key: a dict ``{left item: right item}``. Right items may be used more than once (several
    incidents can breach the same norm). Scoring (partial credit): for each right item, the share of its
    left items given it minus the share of the other left items given it (never below zero), weighted by
    how many left items the key gives it, times the points; unanswered items count as wrong. Giving every
    left item the same right item therefore earns nothing.
    """

    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    explanations: dict[str, str] = field(default_factory=dict)

    kind: ClassVar[str] = "matching"

    def _validate(self) -> None:
        object.__setattr__(self, "left", tuple(self.left))
        object.__setattr__(self, "right", tuple(self.right))
        if len(self.left) < 2 or len(self.right) < 2:
            raise ExerciseDefinitionError(f"Matching {self.id!r} needs at least two items on each side.")
        _require_unique(list(self.left), f"left items of {self.id!r}")
        _require_unique(list(self.right), f"right items of {self.id!r}")
        unknown = set(self.explanations) - set(self.left)
        if unknown:
            raise ExerciseDefinitionError(f"Matching {self.id!r}: explanations for unknown items {sorted(unknown)}.")

    def _check_no_hidden_answers(self) -> None:
        if self.explanations:
            raise ExerciseDefinitionError(f"Graded matching {self.id!r}: explanations would reveal the key.")

    def normalise_answer(self, answer: Any) -> dict[str, str]:
        if not isinstance(answer, dict):
            raise ValueError(f"expected pairs as a mapping, got {type(answer).__name__}")
        result: dict[str, str] = {}
        for left, right in answer.items():
            if left not in self.left:
                raise ValueError(f"{left!r} is not an item of {self.id!r}")
            if right not in self.right:
                raise ValueError(f"{right!r} is not a possible match in {self.id!r}")
            result[left] = right
        return result

    def validate_key(self, key: Any) -> None:
        pairs = self.normalise_answer(key)
        if set(pairs) != set(self.left):
            raise ExerciseDefinitionError(f"Matching {self.id!r}: the key must pair every left item.")


@dataclass(frozen=True)
class Ordering(Exercise):
    """Put items in order. ``items`` is the order shown; answer and key: the list of items in order.

    Scoring (partial credit): Kendall's tau between the answer and the key (pairs in the right relative
    order minus pairs in the wrong one, over all pairs), never below zero, times the points: one misplaced
    step costs little, while a reversed list, or any with as many pairs wrong as right, earns nothing (a
    blind order earns about a fifth of the points on average for four items, where the plain share of pairs
    in order paid half).
    Participants see ``items`` shuffled (see :mod:`coursekit.core.order`), never in the key's order.
    """

    items: tuple[str, ...] = ()

    kind: ClassVar[str] = "ordering"

    def _validate(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        if len(self.items) < 2:
            raise ExerciseDefinitionError(f"Ordering {self.id!r} needs at least two items.")
        _require_unique(list(self.items), f"items of {self.id!r}")
        if self.key is not None and list(self.key) == list(self.items):
            raise ExerciseDefinitionError(f"Ordering {self.id!r}: the items are shown already in the right order.")

    def normalise_answer(self, answer: Any) -> list[str]:
        if not isinstance(answer, (list, tuple)):
            raise ValueError(f"expected a list of items, got {type(answer).__name__}")
        if not all(isinstance(a, str) for a in answer) or sorted(answer) != sorted(self.items):
            raise ValueError(f"the answer must list each of the {len(self.items)} items exactly once")
        return list(answer)


@dataclass(frozen=True)
class Numeric(Exercise):
    """A number, typed or set with a slider. Answer and key: a number.

    Scoring: full points when ``|answer - key| <= tolerance``, nothing otherwise. ``minimum`` and
    ``maximum`` bound the slider and reject answers outside them. The accepted range (twice the tolerance)
    must be a finite number and at most a tenth of the span from minimum to maximum, so that no number
    picked blindly (the middle of the range, say) is likely to earn the points.
    """

    unit: str = ""
    tolerance: float = 0.0
    minimum: float | None = None
    maximum: float | None = None
    step: float = 1.0
    explanation: str = ""

    kind: ClassVar[str] = "numeric"

    def _validate(self) -> None:
        if not isinstance(self.tolerance, (int, float)) or not math.isfinite(self.tolerance) or self.tolerance < 0:
            raise ExerciseDefinitionError(f"Numeric {self.id!r}: tolerance must be a finite number >= 0.")
        if self.minimum is not None and self.maximum is not None:
            if self.minimum >= self.maximum:
                raise ExerciseDefinitionError(f"Numeric {self.id!r}: minimum must be below maximum.")
            if 2 * self.tolerance > (self.maximum - self.minimum) / 10:
                raise ExerciseDefinitionError(
                    f"Numeric {self.id!r}: a tolerance of {self.tolerance:g} accepts more than a tenth of the range "
                    f"{self.minimum:g} to {self.maximum:g}, so a blind guess would often earn the points."
                )

    def _check_no_hidden_answers(self) -> None:
        if self.explanation:
            raise ExerciseDefinitionError(f"Graded numeric {self.id!r}: the explanation would reveal the key.")

    def normalise_answer(self, answer: Any) -> float:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            raise ValueError(f"expected a number, got {type(answer).__name__}")
        value = float(answer)
        if not math.isfinite(value):
            raise ValueError("the number must be finite")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{value:g} is below the minimum {self.minimum:g}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{value:g} is above the maximum {self.maximum:g}")
        return value


@dataclass(frozen=True)
class RubricCriterion:
    """One criterion of a written answer's marking rubric, public so participants see it before writing.

    ``levels`` describe, from lowest to highest, what earns what (for example ``("0: no objective named",
    "1: objectives named", "2: objectives tied to a foreign-policy goal")``).
    """

    criterion: str
    points: float
    levels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(self.levels))
        if not self.criterion.strip():
            raise ExerciseDefinitionError("A rubric criterion needs a name.")
        if not isinstance(self.points, (int, float)) or not math.isfinite(self.points) or self.points <= 0:
            raise ExerciseDefinitionError(f"Rubric criterion {self.criterion!r}: points must be a number above 0.")


@dataclass(frozen=True)
class ShortText(Exercise):
    """Free text. Answer: a string.

    Practice mode may show a ``model_answer`` and check for ``keywords`` (a checklist, case-insensitive);
    the checklist share is shown as guidance. Graded short texts are scored by hand in nbgrader, so they
    need no key and score nothing automatically; their ``rubric`` (public) tells participants and graders
    what earns the points, and their model answer lives in the hidden test, like a key.
    """

    model_answer: str = ""
    keywords: tuple[str, ...] = ()
    max_chars: int = 5000
    placeholder: str = "Write your answer here."
    rubric: tuple[RubricCriterion, ...] = ()

    kind: ClassVar[str] = "short-text"
    needs_key: ClassVar[bool] = False

    def _validate(self) -> None:
        object.__setattr__(self, "keywords", tuple(self.keywords))
        object.__setattr__(self, "rubric", tuple(self.rubric))
        if self.max_chars < 1:
            raise ExerciseDefinitionError(f"ShortText {self.id!r}: max_chars must be positive.")
        if self.rubric and not math.isclose(sum(c.points for c in self.rubric), float(self.points)):
            raise ExerciseDefinitionError(
                f"ShortText {self.id!r}: the rubric's points add up to {sum(c.points for c in self.rubric):g}, "
                f"but the exercise is worth {self.points:g}."
            )

    def _check_no_hidden_answers(self) -> None:
        if self.model_answer or self.keywords:
            raise ExerciseDefinitionError(
                f"Graded short text {self.id!r}: a model answer or keyword list would reach participants."
            )

    def normalise_answer(self, answer: Any) -> str:
        if not isinstance(answer, str):
            raise ValueError(f"expected text, got {type(answer).__name__}")
        if len(answer) > self.max_chars:
            raise ValueError(f"the text is {len(answer)} characters long; the limit is {self.max_chars}")
        return answer


@dataclass(frozen=True)
class Scenario(Exercise):
    """A branching case: decision points, each choice with a consequence and a next step.

    Answer: the path taken, a list of ``[step id, option value]`` pairs from ``start``. A path is valid if
    each step follows from the previous choice. Key: ``{step id: {option value: points}}``; practice
    scenarios take it from the options' ``points``. Scoring: the points earned along the path divided by
    the best total any complete path can earn, times the exercise points. An unfinished path keeps what it
    earned so far.
    """

    steps: tuple[ScenarioStep, ...] = ()
    start: str = ""
    debrief: str = ""

    kind: ClassVar[str] = "scenario"
    needs_key: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        if self.mode == "practice" and self.key is None and self.steps:
            derived = {s.id: {o.value: float(o.points or 0.0) for o in s.options} for s in self.steps}
            object.__setattr__(self, "key", derived)
        super().__post_init__()

    def _validate(self) -> None:
        if not self.steps:
            raise ExerciseDefinitionError(f"Scenario {self.id!r} needs at least one step.")
        _require_unique([s.id for s in self.steps], f"step ids of {self.id!r}")
        ids = {s.id for s in self.steps}
        if self.start not in ids:
            raise ExerciseDefinitionError(f"Scenario {self.id!r}: start {self.start!r} is not one of its steps.")
        for s in self.steps:
            for o in s.options:
                if o.next_step is not None and o.next_step not in ids:
                    raise ExerciseDefinitionError(
                        f"Scenario {self.id!r}: option {o.value!r} of step {s.id!r} leads to unknown step {o.next_step!r}."
                    )
        self._check_acyclic()

    def _check_acyclic(self) -> None:
        graph = {s.id: [o.next_step for o in s.options if o.next_step] for s in self.steps}
        state: dict[str, int] = {}

        def visit(node: str) -> None:
            state[node] = 1
            for nxt in graph[node]:
                if state.get(nxt) == 1:
                    raise ExerciseDefinitionError(f"Scenario {self.id!r} loops back to step {nxt!r}; it must end.")
                if nxt not in state:
                    visit(nxt)
            state[node] = 2

        visit(self.start)

    def _check_no_hidden_answers(self) -> None:
        if self.debrief or any(o.points is not None for s in self.steps for o in s.options):
            raise ExerciseDefinitionError(
                f"Graded scenario {self.id!r}: option points and the debrief belong in the key, not the notebook."
            )

    def step(self, step_id: str) -> ScenarioStep:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def normalise_answer(self, answer: Any) -> list[list[str]]:
        if not isinstance(answer, (list, tuple)):
            raise ValueError(f"expected the path as a list of [step, option] pairs, got {type(answer).__name__}")
        path: list[list[str]] = []
        expected: str | None = self.start
        for entry in answer:
            if not isinstance(entry, (list, tuple)) or len(entry) != 2 or not all(isinstance(x, str) for x in entry):
                raise ValueError("each path entry must be a [step id, option] pair of texts")
            step_id, value = entry
            if expected is None:
                raise ValueError(f"the path goes on after the scenario ended (at {step_id!r})")
            if step_id != expected:
                raise ValueError(f"the path reaches step {step_id!r} where {expected!r} was expected")
            options = {o.value: o for o in self.step(step_id).options}
            if value not in options:
                raise ValueError(f"{value!r} is not an option of step {step_id!r}")
            path.append([step_id, value])
            expected = options[value].next_step
        return path

    def validate_key(self, key: Any) -> None:
        if not isinstance(key, dict):
            raise ExerciseDefinitionError(f"Scenario {self.id!r}: the key maps step ids to option points.")
        for s in self.steps:
            points = key.get(s.id)
            if not isinstance(points, dict) or set(points) != {o.value for o in s.options}:
                raise ExerciseDefinitionError(
                    f"Scenario {self.id!r}: the key must give points for every option of step {s.id!r}."
                )
            if not all(isinstance(p, (int, float)) and math.isfinite(p) for p in points.values()):
                raise ExerciseDefinitionError(f"Scenario {self.id!r}: option points must be numbers.")

    def is_complete(self, path: list[list[str]]) -> bool:
        """True when the path ends on an option that has no next step."""
        if not path:
            return False
        step_id, value = path[-1]
        return next(o for o in self.step(step_id).options if o.value == value).next_step is None


EXERCISE_TYPES: dict[str, type[Exercise]] = {
    cls.kind: cls for cls in (SingleChoice, MultipleSelect, Matching, Ordering, Numeric, ShortText, Scenario)
}
