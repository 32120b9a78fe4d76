"""An exercise as text: its prompt with the public rubric, and a plain-text summary without any key.

Why a module of its own: the renderer's specification, the book's HTML and the plain-text fallback all start
from this text, so it sits below all three and none of them imports another to get it.
"""

from __future__ import annotations

from ..core.exercises import Exercise, Matching, MultipleSelect, Ordering, Scenario, ShortText, SingleChoice


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def prompt_markdown(exercise: Exercise) -> str:
    """The prompt as participants see it: for a written answer with a rubric, the rubric follows as a table.

    Why: the rubric is public so that participants know what earns the points *before* they write; showing it
    with the prompt, in JupyterLab, the book and plain text alike, keeps the three views from drifting apart.
    """
    rubric = exercise.rubric if isinstance(exercise, ShortText) else ()
    if not rubric:
        return exercise.prompt
    rows = [f"| {_cell(c.criterion)} | {c.points:g} | {_cell('; '.join(c.levels)) or '-'} |" for c in rubric]
    return "\n".join(
        [
            exercise.prompt.rstrip(),
            "",
            f"**How this answer is marked** ({exercise.points:g} points in all):",
            "",
            "| Criterion | Points | Levels |",
            "|---|---|---|",
            *rows,
        ]
    )


def plain_text(exercise: Exercise) -> str:
    """A readable text version of the exercise, without any key."""
    lines = [
        f"[{exercise.mode} exercise {exercise.id}, {exercise.points:g} point(s), {', '.join(exercise.outcomes)}]",
        prompt_markdown(exercise).strip(),
    ]
    if isinstance(exercise, (SingleChoice, MultipleSelect)):
        lines += [f"  - {c.text}" for c in exercise.choices]
    elif isinstance(exercise, Matching):
        lines += [f"  - {item}" for item in exercise.left]
        lines.append("  Match with: " + "; ".join(exercise.right))
    elif isinstance(exercise, Ordering):
        lines += [f"  - {item}" for item in exercise.items]
    elif isinstance(exercise, Scenario):
        lines.append(f"  A scenario with {len(exercise.steps)} decision points.")
    lines.append("Open this notebook in JupyterLab to answer.")
    return "\n".join(lines)
