"""Where a participant stands, topic by topic, read from their own folders and nothing else.

Why: a participant coming back on day two needs one place that says what is answered, what graded work is
still to do or to submit, what their strategy log holds and whether feedback has come back, in plain words.
Everything is read, never run: exercises are found in each topic's notebook by their definitions
(:func:`coursekit.grading.authoring.definitions_in`, the same reading the grader uses), answers from each
topic's answers file (:func:`coursekit.core.store.read_answers_file`, which never raises and never writes).
A damaged notebook or answers file becomes a sentence on that topic, never an error for the whole view.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.ids import STRATEGY_LOG_ID
from ..core.store import ANSWERS_FILENAME, read_answers_file
from ..grading.authoring import AuthoringError, definitions_in
from .submissions import Submission

MAX_NOTEBOOK_BYTES = 20_000_000  # a topic notebook is well under 1 MB; a larger file is not read


@dataclass(frozen=True)
class WrittenWork:
    """One written answer of the participant's: the question as the notebook asks it, and their text."""

    exercise_id: str
    prompt: str
    text: str
    graded: bool


@dataclass(frozen=True)
class TopicProgress:
    """One topic as the participant left it."""

    folder: str
    title: str
    practice_answered: int
    practice_total: int
    graded_answered: int
    graded_total: int
    written: tuple[WrittenWork, ...] = ()
    log_entry: str = ""
    note: str = ""

    @property
    def graded_left(self) -> int:
        return self.graded_total - self.graded_answered


def _answered(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value not in (None, [], {})


def _read_notebook(path: Path) -> dict[str, Any] | str:
    """The notebook's JSON, or a sentence saying why it could not be read."""
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return "its notebook is too large to read"
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return "its notebook could not be read (it may be damaged)"
    return data if isinstance(data, dict) and isinstance(data.get("cells"), list) else "its notebook is not a notebook"


def _source(cell: Any) -> str:
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(source) if isinstance(source, list) else source if isinstance(source, str) else ""


def topic_progress(folder: Path) -> TopicProgress:
    """What ``folder`` (a topic: ``NN-name/NN-name.ipynb`` and its answers file) says of the participant's work."""
    notebook = _read_notebook(folder / f"{folder.name}.ipynb")
    if isinstance(notebook, str):
        return TopicProgress(folder.name, folder.name, 0, 0, 0, 0, note=f"This topic could not be shown: {notebook}.")
    cells = [c for c in notebook["cells"] if isinstance(c, dict)]
    title = next(
        (
            line[2:].strip()
            for c in cells
            if c.get("cell_type") == "markdown"
            for line in _source(c).splitlines()
            if line.startswith("# ")
        ),
        folder.name,
    )
    definitions = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            try:
                definitions += definitions_in(_source(cell))
            except AuthoringError:
                continue  # a cell the participant broke: its exercises are not counted, the rest are
    reading = read_answers_file(folder / ANSWERS_FILENAME)
    answers = reading.answers
    note = ""
    if reading.problem:
        note = "Your answers file for this topic could not be read in full; what could be read is counted."
    done = {d.id for d in definitions if d.id in answers and _answered(answers[d.id].value)}
    practice = [d for d in definitions if d.mode != "graded"]
    graded = [d for d in definitions if d.mode == "graded"]
    written = tuple(
        WrittenWork(d.id, d.prompt, answers[d.id].value.strip(), d.mode == "graded")
        for d in definitions
        if d.kind == "ShortText" and d.id in done and not STRATEGY_LOG_ID.match(d.id)
    )
    log = next((answers[d.id].value.strip() for d in definitions if STRATEGY_LOG_ID.match(d.id) and d.id in done), "")
    return TopicProgress(
        folder.name,
        title,
        sum(d.id in done for d in practice),
        len(practice),
        sum(d.id in done for d in graded),
        len(graded),
        written,
        log,
        note,
    )


def course_progress(course_folder: Path) -> list[TopicProgress]:
    """Every topic folder under ``course_folder`` (those holding a notebook of their own name), in order."""
    folders = sorted(p for p in Path(course_folder).iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").is_file())
    return [topic_progress(folder) for folder in folders]


def _submission_words(topic: TopicProgress, submission: Submission | None) -> tuple[str, str]:
    """What the table says of a topic's submission and of its feedback."""
    if topic.graded_total == 0:
        return "nothing to submit", "—"
    if submission is None:
        return "not submitted yet", "—"
    feedback = (
        "received" if submission.feedback_fetched else "ready to fetch" if submission.feedback_ready else "not yet"
    )
    return f"submitted ({submission.timestamp[:16]})", feedback


def progress_html(progress: list[TopicProgress], submitted: dict[str, Submission] | None) -> str:
    """The progress as an HTML table with a caption, every participant-written text escaped."""
    rows = []
    for topic in progress:
        cells = [
            html.escape(topic.title),
            f"{topic.practice_answered} of {topic.practice_total}",
            f"{topic.graded_answered} of {topic.graded_total}",
        ]
        if submitted is not None:
            cells += _submission_words(topic, submitted.get(topic.folder))
        cells.append("written" if topic.log_entry else "not yet")
        row = "".join(f"<td>{c}</td>" for c in cells[1:])
        note = f"<br><em>{html.escape(topic.note)}</em>" if topic.note else ""
        rows.append(f"<tr><th scope='row' style='text-align: left'>{cells[0]}{note}</th>{row}</tr>")
    heads = ["Topic", "Practice answered", "Graded answered"]
    if submitted is not None:
        heads += ["Submitted", "Feedback"]
    heads.append("Strategy log")
    head = "".join(f"<th scope='col'>{h}</th>" for h in heads)
    where = (
        ""
        if submitted is not None
        else "<p>Submitting happens on the course hub; here there is no course exchange, so submissions are not shown.</p>"
    )
    return (
        f"{where}<table class='coursekit-progress'><caption>Where you stand, topic by topic</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def progress_text(progress: list[TopicProgress], submitted: dict[str, Submission] | None) -> str:
    """The same, as plain sentences (for a console and for screen readers that skip tables)."""
    lines = []
    for topic in progress:
        line = (
            f"{topic.title}: {topic.practice_answered} of {topic.practice_total} practice exercises answered, "
            f"{topic.graded_answered} of {topic.graded_total} graded."
        )
        if submitted is not None and topic.graded_total:
            words, feedback = _submission_words(topic, submitted.get(topic.folder))
            line += f" Submission: {words}; feedback: {feedback}."
        if topic.note:
            line += f" {topic.note}"
        lines.append(line)
    return "\n".join(lines)
