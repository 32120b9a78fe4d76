"""coursekit: exercises, widgets, the answers store, grading and data for the cyber diplomacy course.

Importing coursekit is cheap: pandas, matplotlib and ipywidgets are imported only when a data set is
loaded or an exercise is displayed.
"""

from __future__ import annotations

from .exercises import (
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
)
from .scoring import Score, score


def _draw_with_the_renderer(exercise: Exercise) -> dict:
    from .render import mimebundle

    return mimebundle(exercise)


def _register_display() -> None:
    """Tell IPython how to draw an exercise, so that the exercise model never imports its renderer.

    Why: the model sits at the bottom of the package and the renderer above it; IPython's formatter registry
    (``for_type``) lets the package join the two here, at the top. Outside IPython nothing is drawn.
    """
    import sys

    shell = sys.modules["IPython"].get_ipython() if "IPython" in sys.modules else None
    if shell is not None:
        shell.display_formatter.mimebundle_formatter.for_type(Exercise, _draw_with_the_renderer)


_register_display()

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
