"""coursekit's plug-ins for nbgrader's own pipeline, so that grading reads answers and never runs a notebook.

``nbgrader_config.py`` puts :class:`ScoreFromAnswers` where nbgrader's ``Execute`` was and
:class:`SaveScores` where ``SaveAutoGrades`` was. Everything else of nbgrader's autograde still happens:
locked and deleted cells are restored from the gradebook by checksum, cell metadata is checked, late
penalties are assigned, formgrader and ``nbgrader export`` see ordinary grades. Because no kernel starts,
nothing a participant wrote in a notebook ever runs with the instructor's rights, whichever command
starts the autograde (``coursekit autograde``, ``nbgrader autograde`` or formgrader's button).

What is scored is the submission's answers file, read once, in this process, with the same pure
:func:`coursekit.core.scoring.score` that gives practice feedback; the keys come from the instructor's source
notebook's compiled plan (:func:`coursekit.grading.plans.load_plan`), never from the submission.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader import utils as nbgrader_utils
from nbgrader.api import Gradebook
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float

from ..core.scoring import score
from ..core.store import ANSWERS_FILENAME, read_answers_file
from .plans import GradingPlan, load_plan

UNREADABLE_TEXT = (
    "The answers file was damaged and this written answer could not be read from it in full: mark it by hand "
    "from the submitted file (coursekit_answers.json in the submission folder)."
)


@dataclass(frozen=True)
class ItemResult:
    """How one graded item of one submission was scored. ``points`` is None for a text awaiting a hand mark."""

    points: float | None
    max_points: float
    status: str
    detail: str
    manual: bool = False
    answer: Any = None


@dataclass
class SubmissionResult:
    """Every graded item of one submitted notebook, and what the instructor should know about it."""

    items: dict[str, ItemResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# The last result per (assignment, student, notebook), for the summary of `coursekit autograde`.
_RESULTS: dict[tuple[str, str, str], SubmissionResult] = {}
_RESULTS_LOCK = threading.Lock()
_RELEASED_TEXT: dict[Path, tuple[int, frozenset[str]]] = {}


def last_result(assignment: str, student: str, notebook: str) -> SubmissionResult | None:
    """What the most recent autograde of this submission in this process found (None if none ran)."""
    with _RESULTS_LOCK:
        return _RESULTS.get((assignment, student, notebook))


def released_text(notebook: Path) -> frozenset[str]:
    """The source of every text cell of the released notebook: what a participant did not write."""
    import nbformat

    try:
        mtime = notebook.stat().st_mtime_ns
    except FileNotFoundError:
        return frozenset()
    cached = _RELEASED_TEXT.get(notebook)
    if cached is None or cached[0] != mtime:
        nb = nbformat.read(notebook, as_version=4)
        texts = frozenset(c.source for c in nb.cells if c.cell_type in ("markdown", "raw"))
        cached = _RELEASED_TEXT[notebook] = (mtime, texts)
    return cached[1]


def score_submission(plan: GradingPlan, answers_file: Path) -> SubmissionResult:
    """Score every graded item of ``plan`` from ``answers_file``; never raises for anything in the file."""
    result = SubmissionResult()
    if not answers_file.exists() and not answers_file.is_symlink():
        result.notes.append("no answers file was submitted")
    reading = read_answers_file(answers_file)
    if reading.problem:
        result.notes.append(f"answers file: {reading.problem}")
    unreadable = set(reading.unreadable(plan.graded_ids))
    for exercise_id in plan.graded_ids:
        exercise = plan.keyed.get(exercise_id) or plan.all_exercises[exercise_id]
        saved = reading.answers.get(exercise_id)
        answer = saved.value if saved is not None else None
        if exercise_id in unreadable and exercise_id in plan.manual:
            # the participant may have written it: a person reads the kept file, nobody scores it 0 unseen
            result.items[exercise_id] = ItemResult(
                None,
                float(exercise.points),
                "unreadable",
                UNREADABLE_TEXT,
                manual=True,
                answer=reading.partial.get(exercise_id),
            )
            result.notes.append(f"{exercise_id}: the written answer could not be read from the file; mark it by hand")
            continue
        try:
            outcome = score(exercise, answer)
        except Exception as err:  # a scoring fault costs this item, never the class or a stale score
            result.notes.append(f"{exercise_id}: could not be scored ({type(err).__name__}); scored 0")
            result.items[exercise_id] = ItemResult(
                0.0, float(exercise.points), "invalid", "The answer could not be scored."
            )
            continue
        if outcome.status == "manual":
            answered = isinstance(answer, str) and bool(answer.strip())
            result.items[exercise_id] = ItemResult(
                None if answered else 0.0,
                outcome.max_points,
                "manual" if answered else "unanswered",
                "Marked by hand by the instructor." if answered else "No answer was given.",
                manual=True,
                answer=answer if answered else None,
            )
        else:
            result.items[exercise_id] = ItemResult(outcome.points, outcome.max_points, outcome.status, outcome.detail)
    return result


# Every character below U+3000 that is not a letter or digit, mapped to its numeric character reference
# (str.translate does this at C speed); rarer characters above it go through the regular expression.
_INERT = {cp: f"&#{cp};" for cp in range(0x3000) if not chr(cp).isalnum() and cp not in (10, 13)}
_RARE = re.compile(r"[\u3000-\U0010ffff]")


def inert_markdown(text: str) -> str:
    """``text`` as Markdown that renders as exactly these characters: no markup, link, image or script.

    Every character that Markdown or HTML could read as syntax (punctuation, leading spaces) becomes a
    numeric character reference; line breaks are kept as breaks, so the text stays wrapped and readable.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INERT)
    text = _RARE.sub(lambda m: m.group() if m.group().isalnum() else f"&#{ord(m.group())};", text)
    return text.replace("\n", "<br>\n")


def _coursedir(preprocessor: NbGraderPreprocessor) -> Any:
    """nbgrader's CourseDirectory of the converter running this preprocessor (exporter → converter)."""
    converter = getattr(getattr(preprocessor, "parent", None), "parent", None)
    coursedir = getattr(converter, "coursedir", None)
    if coursedir is None:
        raise RuntimeError("coursekit's grading preprocessor runs only inside nbgrader's autograde.")
    return coursedir


class ScoreFromAnswers(NbGraderPreprocessor):
    """Score each grade cell from the submission's answers file, in place of executing the notebook.

    Auto-scored cells get an ``execute_result`` with the points (what nbgrader's ``determine_grade`` reads)
    and a line saying why; a hand-graded written answer is put, as inert text, into its manually graded
    cell for formgrader. The scores also travel in ``resources["coursekit"]`` to :class:`SaveScores`.
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        coursedir = _coursedir(self)
        source = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
        plan = load_plan(source / f"{info['notebook']}.ipynb")
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, info["student"], info["assignment"]))
        result = score_submission(plan, submitted / ANSWERS_FILENAME)
        resources["coursekit"] = result
        release = Path(coursedir.format_path(coursedir.release_directory, ".", info["assignment"]))
        resources["coursekit_released_text"] = released_text(release / f"{info['notebook']}.ipynb")
        nb.metadata.pop("widgets", None)  # widget state from the participant's browser: not needed, not trusted
        with _RESULTS_LOCK:
            _RESULTS[(info["assignment"], info["student"], info["notebook"])] = result
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        meta = cell.metadata.get("nbgrader", {})
        if not nbgrader_utils.is_grade(cell):
            if cell.cell_type in ("markdown", "raw"):
                cell.pop("attachments", None)
                if cell.source not in resources["coursekit_released_text"]:
                    _make_inert(cell)  # a participant wrote or changed it: formgrader must not render it as markup
            return cell, resources
        item = resources["coursekit"].items.get(meta["grade_id"])
        if cell.cell_type != "code":
            answer = item.answer if item is not None and item.manual else None
            if item is not None and item.status == "unreadable":
                cell.source = f"*{item.detail}*" + (
                    "\n\n**The part that could still be read:**\n\n" + inert_markdown(answer) if answer else ""
                )
            elif answer is not None:
                cell.source = "**Written answer (as submitted):**\n\n" + inert_markdown(answer)
            else:
                cell.source = "*No written answer was submitted.*"
            cell.pop("attachments", None)
            return cell, resources
        points = item.points if item is not None and item.points is not None else 0.0
        why = item.detail if item is not None else "This cell is not a coursekit exercise: no points."
        cell.outputs = [
            new_output("stream", name="stdout", text=f"{why}\n"),
            new_output("execute_result", data={"text/plain": f"{points:g}"}, execution_count=None),
        ]
        return cell, resources


def _make_inert(cell: NotebookNode) -> None:
    """Turn a participant-editable text cell into plain text: no markup, attachments or raw HTML survive."""
    cell.cell_type = "markdown"
    cell.source = inert_markdown(cell.source)
    cell.metadata.pop("format", None)
    cell.metadata.pop("raw_mimetype", None)


class SaveScores(NbGraderPreprocessor):
    """Save the scores of :class:`ScoreFromAnswers` to the gradebook, in place of nbgrader's SaveAutoGrades.

    Written with nbgrader's public Gradebook API (``find_grade``, ``find_comment``, ``db``) rather than by
    overriding SaveAutoGrades' private methods, so an nbgrader upgrade cannot change it behind our back.
    It does what SaveAutoGrades does (a score for every grade cell, "No response." for an unanswered one),
    with two differences: for a written answer, no autograde ever zeroes the text or clears "needs manual
    grade" (an answered text has no automatic score and needs a hand mark until it has one; a hand mark is
    never touched); and all of a notebook's grades are committed together, once (nbgrader commits after
    every cell).
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.student_id = info["student"]
        self.gradebook = Gradebook(info["db_url"])
        with self.gradebook:
            nb, resources = super().preprocess(nb, resources)
            self.gradebook.db.commit()
        return nb, resources

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        if nbgrader_utils.is_grade(cell):
            self.save_score(cell, resources)
        if nbgrader_utils.is_solution(cell) or nbgrader_utils.is_task(cell):
            self.save_comment(cell, resources)
        return cell, resources

    def save_score(self, cell: NotebookNode, resources: dict) -> None:
        """Record the score of one grade cell, and whether a grader must look at it."""
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"], self.notebook_id, self.assignment_id, self.student_id
        )
        item = resources["coursekit"].items.get(cell.metadata["nbgrader"]["grade_id"])
        if item is None:  # a grade cell the plan does not know: it earns nothing, and is reported
            grade.auto_score = 0.0
            grade.needs_manual_grade = grade.manual_score is not None
        elif item.manual:
            grade.auto_score = item.points  # None while a written answer awaits its mark
            grade.needs_manual_grade = item.points is None and grade.manual_score is None
        else:
            grade.auto_score = item.points
            grade.needs_manual_grade = grade.manual_score is not None  # a grader's override: review it

    def save_comment(self, cell: NotebookNode, resources: dict) -> None:
        """Record nbgrader's automatic comment: "No response." for an unanswered exercise, none otherwise."""
        comment = self.gradebook.find_comment(
            cell.metadata["nbgrader"]["grade_id"], self.notebook_id, self.assignment_id, self.student_id
        )
        item = resources["coursekit"].items.get(cell.metadata["nbgrader"]["grade_id"])
        comment.auto_comment = "No response." if item is not None and item.status == "unanswered" else None


class PerHourLatePenalty(LateSubmissionPlugin):
    """The course's late penalty: ``points_per_hour`` off for every started hour late, never below 0.

    nbgrader's own plugin offers only 'none' and 'zero'. Registered with ``c.AssignLatePenalties.plugin_class``
    (see :func:`coursekit.grading.term_tools.configure_late_penalty`); nbgrader stores the penalty per notebook,
    and formgrader, ``nbgrader export``, the autograde summary and the course's export and report show it.
    """

    points_per_hour = Float(0.0, help="points taken off for every started hour late").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        hours = -(-total_seconds_late // 3600) if total_seconds_late > 0 else 0
        return min(float(score), float(hours) * self.points_per_hour)
