"""What the exercise renderer receives: an exercise's public specification, as JSON-ready data.

One function serves both places the renderer runs (JupyterLab through :mod:`coursekit.render.widget`, the
compiled book through :mod:`coursekit.render.book_html`), so they cannot drift apart. A practice exercise's spec
carries its key and per-option feedback (the page computes feedback without a kernel); a graded exercise's
spec never does: graded exercises have no key in the notebook at all.

Every choice list reaches the page already in the order the participant is to see it (computed by
:func:`coursekit.core.order.shown_orders` from a seed), so the page never shuffles anything itself.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Callable

from ..core.exercises import Exercise, Matching, MultipleSelect, Numeric, Ordering, Scenario, ShortText, SingleChoice
from ..core.order import arranged, shown_orders
from .text import prompt_markdown


@lru_cache(maxsize=1)
def _markdown() -> Callable[[str], str]:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render


def markdown_to_html(text: str) -> str:
    """Render an exercise prompt (Markdown, raw HTML disabled, so a prompt cannot inject markup) to HTML."""
    return _markdown()(text)


def static_file(name: str) -> str:
    """The text of a file shipped in ``coursekit/static`` (the renderer's module, its styles, book scripts)."""
    return resources.files("coursekit.render").joinpath("static", name).read_text(encoding="utf-8")


def answer_ping(widget: Any, content: Any, buffers: Any = None) -> None:
    """Answer the page's ``{"type": "ping"}`` with a pong (register with ``widget.on_msg``).

    Why: a notebook reopened after its kernel stopped still draws its exercises, from the widget state saved in
    the notebook, but nothing it sends reaches Python. The page asks; a widget with a kernel behind it
    answers; without an answer the page disables the exercise and says how to make it live again.
    """
    if isinstance(content, dict) and content.get("type") == "ping":
        widget.send({"type": "pong"})


def exercise_spec(exercise: Exercise, seed: str | None) -> dict[str, Any]:
    """The JSON the renderer needs; for graded exercises it has no key, feedback or points per option.

    ``seed`` sets the order of the options (the participant's seed in JupyterLab,
    :data:`coursekit.core.order.BOOK_SEED` in the book); ``None`` keeps the author's order (for tools and
    tests that compare with the definition).
    """
    data: dict[str, Any] = {**exercise.metadata(), "prompt_html": markdown_to_html(prompt_markdown(exercise))}
    practice = exercise.mode == "practice"
    orders = shown_orders(exercise, seed) if seed is not None else {}
    if practice and not isinstance(exercise, (ShortText, Scenario)):
        data["key"] = exercise.key
    if isinstance(exercise, (SingleChoice, MultipleSelect)):
        choices = [
            {"value": c.value, "text": c.text, **({"feedback": c.feedback} if practice else {})}
            for c in exercise.choices
        ]
        values = [c.value for c in exercise.choices]
        data["choices"] = arranged(choices, values, orders.get("choices", values))
    elif isinstance(exercise, Matching):
        data.update(left=list(exercise.left), right=orders.get("right", list(exercise.right)))
        if practice:
            data["explanations"] = exercise.explanations
    elif isinstance(exercise, Ordering):
        data["items"] = orders.get("items", list(exercise.items))
    elif isinstance(exercise, Numeric):
        data.update(unit=exercise.unit, minimum=exercise.minimum, maximum=exercise.maximum, step=exercise.step)
        if practice:
            data.update(tolerance=exercise.tolerance, explanation=exercise.explanation)
    elif isinstance(exercise, ShortText):
        data.update(placeholder=exercise.placeholder, max_chars=exercise.max_chars)
        if practice:
            data.update(model_answer=exercise.model_answer, keywords=list(exercise.keywords))
    elif isinstance(exercise, Scenario):
        data["start"] = exercise.start
        data["steps"] = [
            {
                "id": s.id,
                "situation_html": markdown_to_html(s.situation),
                "options": arranged(
                    [
                        {
                            "value": o.value,
                            "text": o.text,
                            "consequence": o.consequence,
                            "next": o.next_step,
                            **({"points": float(o.points or 0)} if practice else {}),
                        }
                        for o in s.options
                    ],
                    [o.value for o in s.options],
                    orders.get(s.id, [o.value for o in s.options]),
                ),
            }
            for s in exercise.steps
        ]
        if practice:
            data["debrief"] = exercise.debrief
    return data
