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
