"""What the course's exercises really assess: answer cues, demand, outcome coverage and graded feedback.

A quiz can be beaten without knowing anything if its best option is usually the longest one, and it can
look demanding while it mostly rewards remembering lists. These measures read every exercise of the
source notebooks (from their compiled plans, :func:`coursekit.grading.plans.load_plan`, nothing run) so that tests
can hold the course to its own rules for authors:

* the best option of a single-choice item or of a scenario step is not strictly the longest text much more
  often than chance (:func:`cue_shares`);
* recall carries a small share of graded points (:func:`points_by_demand`, :func:`recall_share`);
* every learning outcome is assessed by enough graded items, and mostly by decisions and products
  (:func:`outcome_coverage`);
* every graded item's hidden test explains its key and every option (:func:`rationale_gaps`).

The measuring functions take plain exercises, so they can be tried on small hand-made lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.exercises import LEARNING_OUTCOMES, Exercise, Scenario, SingleChoice
from ..grading.authoring import HiddenCheck, source_notebooks
from ..grading.hidden_tests import rationale_problems
from ..grading.plans import load_plan

#: The kinds of decision the cue measure counts: a single-choice item, and each step of a scenario.
CUE_KINDS: tuple[str, ...] = ("single-choice", "scenario-step")
#: Demands that ask for judgement rather than memory.
JUDGEMENT: frozenset[str] = frozenset({"decision", "product"})


@dataclass(frozen=True)
class Decision:
    """One choice among options whose best option is known (the key, or a scenario step's top scorer)."""

    kind: str
    exercise_id: str
    step: str
    mode: str
    lengths: tuple[int, ...]
    best: int

    @property
    def best_is_longest(self) -> bool:
        """True when the best option's text is longer than every other option's (ties do not count)."""
        return all(self.lengths[self.best] > n for i, n in enumerate(self.lengths) if i != self.best)


@dataclass(frozen=True)
class CueShare:
    """How often the longest option is the best one, against the chance of guessing right."""

    decisions: int
    longest: int
    chance: float

    @property
    def share(self) -> float:
        return self.longest / self.decisions if self.decisions else 0.0


@dataclass(frozen=True)
class Coverage:
    """What the graded items serving one learning outcome add up to."""

    items: int
    points: float
    judgement_items: int


def decisions(exercises: Iterable[Exercise]) -> list[Decision]:
    """Every keyed single-choice item and scenario step as a :class:`Decision`.

    Exercises without a key (graded ones not yet given theirs) are skipped: the grader's side passes
    them keyed. A scenario step whose top score is shared by two options has no single best option and is
    skipped too.
    """
    found: list[Decision] = []
    for ex in exercises:
        if ex.key is None:
            continue
        if isinstance(ex, SingleChoice):
            values = [c.value for c in ex.choices]
            found.append(
                Decision(
                    "single-choice", ex.id, "", ex.mode, tuple(len(c.text) for c in ex.choices), values.index(ex.key)
                )
            )
        elif isinstance(ex, Scenario):
            for step in ex.steps:
                points = [float(ex.key[step.id][o.value]) for o in step.options]
                top = max(points)
                if points.count(top) > 1:
                    continue
                found.append(
                    Decision(
                        "scenario-step",
                        ex.id,
                        step.id,
                        ex.mode,
                        tuple(len(o.text) for o in step.options),
                        points.index(top),
                    )
                )
    return found


def cue_shares(found: Iterable[Decision]) -> dict[str, CueShare]:
    """Per kind: decisions counted, how many have the best option strictly longest, and the chance level.

    The chance level is the mean of 1/(number of options): what always picking one option at random
    would score, and roughly how often the best option would be the longest if lengths told nothing.
    """
    by_kind: dict[str, list[Decision]] = {k: [] for k in CUE_KINDS}
    for d in found:
        by_kind.setdefault(d.kind, []).append(d)
    return {
        kind: CueShare(
            len(ds),
            sum(d.best_is_longest for d in ds),
            sum(1 / len(d.lengths) for d in ds) / len(ds) if ds else 0.0,
        )
        for kind, ds in by_kind.items()
    }


def points_by_demand(graded: Iterable[Exercise]) -> dict[str, float]:
    """Graded points per demand (``""`` collects items that do not say their demand)."""
    totals: dict[str, float] = {}
    for ex in graded:
        totals[ex.demand] = totals.get(ex.demand, 0.0) + float(ex.points)
    return totals


def recall_share(graded: Iterable[Exercise]) -> float:
    """The share of graded points that reward recall (0 when nothing is graded)."""
    totals = points_by_demand(graded)
    whole = sum(totals.values())
    return totals.get("recall", 0.0) / whole if whole else 0.0


def outcome_coverage(graded: Iterable[Exercise]) -> dict[str, Coverage]:
    """Per learning outcome: graded items serving it, their points, and how many ask for judgement.

    An item serving two outcomes counts for both, with its full points.
    """
    items = {lo: 0 for lo in LEARNING_OUTCOMES}
    points = {lo: 0.0 for lo in LEARNING_OUTCOMES}
    judged = {lo: 0 for lo in LEARNING_OUTCOMES}
    for ex in graded:
        for lo in ex.outcomes:
            items[lo] += 1
            points[lo] += float(ex.points)
            judged[lo] += ex.demand in JUDGEMENT
    return {lo: Coverage(items[lo], points[lo], judged[lo]) for lo in LEARNING_OUTCOMES}


def rationale_gaps(graded: Iterable[Exercise], hidden: Mapping[str, HiddenCheck]) -> dict[str, list[str]]:
    """What each graded item's hidden test lacks for teaching feedback (only items with gaps appear)."""
    gaps: dict[str, list[str]] = {}
    for ex in graded:
        check = hidden.get(ex.id)
        problems = ["no hidden test"] if check is None else rationale_problems(ex, check)
        if problems:
            gaps[ex.id] = problems
    return gaps


@dataclass(frozen=True)
class CourseExercises:
    """Every exercise of some source notebooks, graded ones keyed, with their hidden tests."""

    exercises: list[Exercise]
    hidden: dict[str, HiddenCheck]

    @property
    def graded(self) -> list[Exercise]:
        return [ex for ex in self.exercises if ex.mode == "graded"]


def read_course(notebooks: Iterable[Path]) -> CourseExercises:
    """Read the exercises of ``notebooks`` (source notebooks), giving graded ones their hidden key."""
    exercises: list[Exercise] = []
    hidden: dict[str, HiddenCheck] = {}
    for notebook in notebooks:
        plan = load_plan(notebook)
        hidden.update(plan.hidden)
        exercises.extend(plan.keyed.get(i, ex) for i, ex in plan.all_exercises.items())
    return CourseExercises(exercises, hidden)


def course_notebooks(root: Path, topics: Iterable[str] | None = None) -> list[Path]:
    """The source notebooks under ``root``, or only those whose folder name starts with one of ``topics``."""
    found = source_notebooks(root)
    if topics is None:
        return found
    wanted = tuple(topics)
    return [p for p in found if p.parent.name.startswith(wanted)]
