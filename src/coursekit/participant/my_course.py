""" "My course": the participant's view of where they stand, with one button for their take-home document.

Why a form of the course's one renderer: it is keyboard- and screen-reader-safe like every exercise (labelled
controls, JupyterLab shortcuts suppressed, one live region), and it refreshes on demand, so a participant who
comes back the next day presses "Show where I stand" rather than re-running anything. The book has no
participant and no answers: there the view says so and points to the notebook.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ..core.settings import settings
from ..render.display import InteractiveDisplay
from ..render.interactive import Button, Field, FormResult, FormSpec, InteractiveForm
from .progress import course_progress, progress_html, progress_text
from .submissions import submissions
from .take_home import write_document

FORM = FormSpec(
    id="my-course",
    title="My course",
    fields=(
        Field(
            "name",
            "text",
            "Your name, as it should appear on your document:",
            placeholder="For example: Ana Popescu",
            max_chars=120,
        ),
    ),
    buttons=(Button("refresh", "Show where I stand"), Button("document", "Make my document")),
    live=False,
)
BOOK_NOTE = (
    "<p><em>In JupyterLab this shows, topic by topic, what you have answered, what graded work is left and "
    "whether it is submitted, and makes a Word document of your written work. The book cannot read your "
    "answers: open the orientation notebook to see yours.</em></p>"
)


class MyCourse(InteractiveDisplay):
    """The view over every topic folder beside this notebook's folder (``course_folder``)."""

    def __init__(self, course_folder: Path | str = "..", document_folder: Path | str = ".") -> None:
        self.course_folder = Path(course_folder)
        self.document_folder = Path(document_folder)
        self.document: Path | None = None
        self.text = ""  # the overview in plain sentences, as last computed
        self.widget = InteractiveForm(FORM, self._compute, {"name": ""})

    def _compute(self, values: dict[str, Any], button: str | None) -> FormResult:
        progress = course_progress(self.course_folder)
        submitted = submissions(self.course_folder)
        table, self.text = progress_html(progress, submitted), progress_text(progress, submitted)
        if button != "document":
            return FormResult("<p>Updated: this is where you stand now.</p>" if button else "", context_html=table)
        name = values["name"].strip() or "a participant"
        try:
            self.document = write_document(progress, name, settings().title, self.document_folder)
        except OSError as err:
            message = (
                f"<p>⚠ Your document could not be written here ({html.escape(err.strerror or str(err))}). "
                "Nothing of your answers was changed. Check that this folder can be written, then try again.</p>"
            )
            return FormResult(message, context_html=table)
        return FormResult(
            f"<p>✔ Your document is ready: <strong>{html.escape(self.document.name)}</strong>, in the same folder "
            "as this notebook. In the file browser on the left, right-click it and choose Download.</p>",
            context_html=table,
        )

    # -- what the buttons do, for scripts and tests ----------------------------------------------------------
    def refresh(self) -> None:
        """Press "Show where I stand"."""
        self.widget.submit(self.widget.values, "refresh")

    def make_document(self, name: str) -> Path | None:
        """Type ``name`` and press "Make my document"; the document's path, or None if it could not be written."""
        self.document = None
        self.widget.submit({"name": name}, "document")
        return self.document

    def plain_text(self) -> str:
        return self.text

    def book_html(self) -> str:
        return BOOK_NOTE


def show_my_course() -> None:
    """Show "My course" for the topic folders beside the current notebook's folder."""
    MyCourse().show()
