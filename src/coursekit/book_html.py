"""Exercises as self-contained HTML for the compiled book (no kernel, no network).

Each exercise becomes a ``<div class="coursekit-exercise">`` holding its public specification as JSON,
plus a readable static version for readers without JavaScript. ``static/coursekit-book.js`` (shipped in
this package and served with the book) turns practice exercises into working forms that give the same
feedback as :mod:`coursekit.feedback`. Graded exercises are shown read-only with a note saying where to
answer them: their specification never holds a key, since graded exercises have none in the notebook.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any

from .exercises import Exercise, Matching, MultipleSelect, Numeric, Ordering, Scenario, ShortText, SingleChoice
from .render import prompt_markdown

STATIC_FILES = ("coursekit-book.js", "coursekit-nav.js", "coursekit-book.css", "coursekit-favicon.svg")


def _md(text: str) -> str:
    from .widgets import markdown_to_html

    return markdown_to_html(text)


def spec(exercise: Exercise) -> dict[str, Any]:
    """The JSON the book's script needs; for graded exercises it has no key, feedback or points per option."""
    data: dict[str, Any] = {**exercise.metadata(), "prompt_html": _md(prompt_markdown(exercise))}
    practice = exercise.mode == "practice"
    if practice and not isinstance(exercise, (ShortText, Scenario)):
        data["key"] = exercise.key
    if isinstance(exercise, (SingleChoice, MultipleSelect)):
        data["choices"] = [
            {"value": c.value, "text": c.text, **({"feedback": c.feedback} if practice else {})} for c in exercise.choices
        ]
    elif isinstance(exercise, Matching):
        data.update(left=list(exercise.left), right=list(exercise.right))
        if practice:
            data["explanations"] = exercise.explanations
    elif isinstance(exercise, Ordering):
        data["items"] = list(exercise.items)
    elif isinstance(exercise, Numeric):
        data.update(unit=exercise.unit, minimum=exercise.minimum, maximum=exercise.maximum, step=exercise.step)
        if practice:
            data.update(tolerance=exercise.tolerance, explanation=exercise.explanation)
    elif isinstance(exercise, ShortText):
        if practice:
            data.update(model_answer=exercise.model_answer, keywords=list(exercise.keywords))
    elif isinstance(exercise, Scenario):
        data["start"] = exercise.start
        data["steps"] = [
            {
                "id": s.id,
                "situation_html": _md(s.situation),
                "options": [
                    {"value": o.value, "text": o.text, "consequence": o.consequence, "next": o.next_step,
                     **({"points": float(o.points or 0)} if practice else {})}
                    for o in s.options
                ],
            }
            for s in exercise.steps
        ]
        if practice:
            data["debrief"] = exercise.debrief
    return data


def _static_fallback(exercise: Exercise) -> str:
    from .render import plain_text

    return f"<pre class='coursekit-static'>{html.escape(plain_text(exercise))}</pre>"


def exercise_html(exercise: Exercise) -> str:
    """The book's HTML for one exercise: JSON spec, a heading for screen readers, a no-script fallback."""
    payload = json.dumps(spec(exercise), ensure_ascii=False).replace("</", "<\\/")
    label = f"{'Practice' if exercise.mode == 'practice' else 'Graded'} exercise {exercise.id}"
    return (
        f"<div class='coursekit-exercise' role='group' aria-label='{html.escape(label, quote=True)}' "
        f"data-coursekit-id='{html.escape(exercise.id, quote=True)}'>"
        f"<script type='application/json' class='coursekit-spec'>{payload}</script>"
        f"<noscript>{_static_fallback(exercise)}</noscript></div>"
    )


def static_file(name: str) -> str:
    """The text of a file the book serves with every page (see ``STATIC_FILES``)."""
    return resources.files("coursekit").joinpath("static", name).read_text(encoding="utf-8")
