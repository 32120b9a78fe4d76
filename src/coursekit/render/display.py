"""Choose what an exercise or a topic interactive looks like wherever it is displayed.

JupyterLab shows the live widget (:mod:`coursekit.render.widget`); the compiled book shows the
self-contained HTML of :mod:`coursekit.render.book_html`, drawn by the same renderer module; anything else shows
a plain-text summary. Building the bundle only creates objects, so a notebook executed headless (nbclient,
nbgrader, the book build) never blocks.
"""

from __future__ import annotations

import html
from typing import Any

from ..core.exercises import Exercise
from .text import plain_text


def mimebundle(exercise: Exercise) -> dict[str, Any]:
    """The display bundle of an exercise: its live widget plus a text fallback."""
    from .book_html import exercise_html
    from .widget import ExerciseWidget

    shown = ExerciseWidget(exercise)._repr_mimebundle_()  # anywidget gives (data, metadata)
    bundle: dict[str, Any] = dict((shown[0] if isinstance(shown, tuple) else shown) or {})
    bundle["text/plain"] = plain_text(exercise)
    # What the compiled book shows (see book_html), and what a viewer without the live widget shows (an
    # untrusted notebook, a notebook preview), with the line saying how to answer; the book's script removes it.
    bundle["text/html"] = exercise_html(exercise) + f"<p class='coursekit-kernel-note'>{html.escape(STATIC_NOTE)}</p>"
    return bundle


STATIC_NOTE = (
    "This is a saved copy of the exercise. To answer it, open the notebook in JupyterLab and choose "
    "Run \u25b8 Run All Cells; answers you saved before are kept."
)


LIVE_NOTE = (
    "This page shows a worked example. To try it yourself, open this topic's notebook in JupyterLab "
    "(on your course's hub, or with the launch button at the top of this page) and run the cell: "
    "the interactive version appears there."
)


def walkthrough_html(title: str, body_html: str, live_note: str = LIVE_NOTE) -> str:
    """A static walkthrough of an interactive for the compiled book, which has no kernel.

    Why: the book cannot run Python, and a widget's text repr (``VBox(children=...``) means nothing to a
    reader. So each interactive describes itself as a worked example with its table or figure, and says
    plainly how to run it live. The styles in ``static/coursekit-book.css`` wrap long text.
    """
    return (
        f"<section class='coursekit-walkthrough' aria-label='{html.escape(title, quote=True)}'>"
        f"<p class='coursekit-walkthrough-title'><strong>{html.escape(title)}</strong></p>"
        f"{body_html}<p class='coursekit-live-note'>{html.escape(live_note)}</p></section>"
    )


class InteractiveDisplay:
    """Base for a topic's interactive: the live form in JupyterLab, the book's version in ``text/html`` (from
    ``book_html()``: the same form with precomputed results, or a static walkthrough), its ``plain_text()``
    anywhere else.

    Subclasses set ``self.widget`` (a :class:`coursekit.render.interactive.InteractiveForm`) and define
    ``plain_text()`` and ``book_html()``; notebooks end a cell with ``.show()`` (or with the object itself).
    """

    widget: Any

    def plain_text(self) -> str:
        raise NotImplementedError

    def book_html(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        shown = self.widget._repr_mimebundle_()  # anywidget gives (data, metadata)
        bundle: dict[str, Any] = dict((shown[0] if isinstance(shown, tuple) else shown) or {})
        bundle["text/plain"] = self.plain_text()
        bundle["text/html"] = self.book_html()  # JupyterLab prefers the widget view; the book shows this
        return bundle

    def show(self) -> None:
        """Display the interactive (returns nothing, so the cell does not show it twice)."""
        from IPython.display import display

        display(self)
