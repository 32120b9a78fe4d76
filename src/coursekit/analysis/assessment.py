"""What the course's exercises really assess: answer cues, demand, outcome coverage and graded feedback.

A quiz can be beaten without knowing anything if its best option is usually the longest one, and it can
look demanding while it mostly rewards remembering lists. These measures read every exercise of the
source notebooks (from their compiled plans, :func:`coursekit.grading.plans.load_plan`, nothing run) so that tests
can hold the course to its own rules for authors:

* the best option of a single-choice item or of a scenario step is not strictly the longest text much more
  often than chance (:func:`cue_shares`, over the decisions :mod:`coursekit.analysis.cue_picker` reads);
* recall carries a small share of graded points (:func:`points_by_demand`, :func:`recall_share`);
* every learning outcome is assessed by enough graded items, and mostly by decisions and products
  (:func:`outcome_totals`, which the book's outcomes page shows too);
* every graded item's hidden test explains its key and every option (:func:`rationale_gaps`).

The measuring functions take plain exercises, so they can be tried on small hand-made lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.exercises import LEARNING_OUTCOMES, Exercise
from ..grading.authoring import HiddenCheck, source_notebooks
from ..grading.hidden_tests import rationale_problems
from ..grading.plans import load_plan
from .cue_picker import Decision
from .cue_picker import decisions as all_decisions

#: The kinds of decision the cue measure counts: a single-choice item, and each step of a scenario.
CUE_KINDS: tuple[str, ...] = ("single-choice", "scenario-step")
#: Demands that ask for judgement rather than memory.
JUDGEMENT: frozenset[str] = frozenset({"decision", "product"})


@dataclass(frozen=True)
class CueShare:
    """How often the longest option is the best one, against the chance of guessing right."""

    decisions: int
    longest: int
    chance: float

    @property
    def share(self) -> float:
        return self.longest / self.decisions if self.decisions else 0.0


@dataclass
class OutcomeTotals:
    """What the course asks of one learning outcome: all exercises, and the graded ones that assess it."""

    exercises: int = 0
    points: float = 0.0
    graded: int = 0
    graded_points: float = 0.0
    decide_or_produce: int = 0  # graded items whose demand asks for judgement (:data:`JUDGEMENT`), not recall


def decisions(exercises: Iterable[Exercise]) -> list[Decision]:
    """The keyed single-choice items and scenario steps with one best option, as the cue picker reads them.

    Exercises without a key (graded ones not yet given theirs) are skipped: the grader's side passes them
    keyed. A scenario step whose top score is shared by two options has no single best option and is
    skipped too.
    """
    return [d for d in all_decisions(exercises) if d.kind in CUE_KINDS and d.credit.count(max(d.credit)) == 1]


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
            sum(1 / len(d.options) for d in ds) / len(ds) if ds else 0.0,
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


def outcome_totals(exercises: Iterable[Exercise]) -> dict[str, OutcomeTotals]:
    """Per learning outcome: exercises and points, graded items and points, graded items asking for judgement.

    Why: a course can look balanced by counting practice items; what shows whether an outcome is *assessed* is
    the graded items, and whether they ask participants to decide or produce something rather than recall. An
    item serving two outcomes counts for both, with its full points. The book's outcomes page shows these
    totals; the assessment tests hold the course to them.
    """
    totals = {lo: OutcomeTotals() for lo in LEARNING_OUTCOMES}
    for exercise in exercises:
        for outcome in exercise.outcomes:
            row = totals[outcome]
            row.exercises += 1
            row.points += exercise.points
            if exercise.mode == "graded":
                row.graded += 1
                row.graded_points += exercise.points
                row.decide_or_produce += exercise.demand in JUDGEMENT
    return totals


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
