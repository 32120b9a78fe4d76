"""coursekit: exercises, widgets, the answers store, grading and data for the cyber diplomacy course.

Importing coursekit is cheap: pandas, matplotlib and the widget libraries are imported only when a data
set is loaded or an exercise is displayed. The package's layers are in README's module table.
"""

from __future__ import annotations

from .core.exercises import (
    Choice,
    Exercise,
    ExerciseDefinitionError,
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    RubricCriterion,
    Scenario,
    ScenarioOption,
    ScenarioStep,
    ShortText,
    SingleChoice,
    use_renderer,
)
from .core.scoring import Score, score


def _draw_with_the_renderer(exercise: Exercise) -> dict:
    """Why here: the exercise model sits at the bottom of the package and its renderer above it; the package's
    top joins the two, and imports the renderer (anywidget, ipywidgets) only when an exercise is first shown."""
    from .render.display import mimebundle

    return mimebundle(exercise)


use_renderer(_draw_with_the_renderer)

__all__ = [
    "Choice",
    "Exercise",
    "ExerciseDefinitionError",
    "Matching",
    "MultipleSelect",
    "Numeric",
    "Ordering",
    "RubricCriterion",
    "Scenario",
    "ScenarioOption",
    "ScenarioStep",
    "Score",
    "ShortText",
    "SingleChoice",
    "score",
]
__version__ = "0.1.0"
