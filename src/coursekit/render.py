"""Choose what an exercise looks like wherever it is displayed.

JupyterLab shows the live widget; the compiled book shows the self-contained HTML of
:mod:`coursekit.book_html`; anything else shows a plain-text summary. Building the bundle only creates
objects, so a notebook executed headless (nbclient, nbgrader, the book build) never blocks.
"""

from __future__ import annotations

from typing import Any

from .exercises import Exercise, Matching, Ordering, Scenario, ShortText, SingleChoice, MultipleSelect


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
    return "\n".join([
        exercise.prompt.rstrip(), "",
        f"**How this answer is marked** ({exercise.points:g} points in all):", "",
        "| Criterion | Points | Levels |", "|---|---|---|", *rows,
    ])


def plain_text(exercise: Exercise) -> str:
    """A readable text version of the exercise, without any key."""
    lines = [f"[{exercise.mode} exercise {exercise.id}, {exercise.points:g} point(s), {', '.join(exercise.outcomes)}]",
             prompt_markdown(exercise).strip()]
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


def mimebundle(exercise: Exercise) -> dict[str, Any]:
    """The display bundle of an exercise: its live widget plus a text fallback."""
    from .widgets import build_view

    from .book_html import exercise_html

    view = build_view(exercise)
    bundle: dict[str, Any] = dict(view.widget._repr_mimebundle_() or {})
    bundle["text/plain"] = plain_text(exercise)
    bundle["text/html"] = exercise_html(exercise)  # what the compiled book shows (see book_html)
    return bundle


class InteractiveDisplay:
    """Base for a topic's interactive: the live widget in JupyterLab, its ``plain_text()`` anywhere else.

    Subclasses set ``self.widget`` and define ``plain_text()``; notebooks end a cell with ``.show()``.
    """

    widget: Any

    def plain_text(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = dict(self.widget._repr_mimebundle_() or {})
        bundle["text/plain"] = self.plain_text()
        return bundle

    def show(self) -> None:
        """Display the interactive (returns nothing, so the cell does not show it twice)."""
        from IPython.display import display

        display(self)
