"""Autograde a class through nbgrader's own pipeline, with no kernel and no participant code.

``nbgrader_config.py`` replaces nbgrader's Execute with :class:`coursekit.grading.nbgrader_plugins.ScoreFromAnswers`,
so an autograde restores locked and deleted cells, scores every grade cell from the submitted answers file
and saves the grades, all in this one process. This module drives it for a whole class:

* the gradebook and the topic are checked once, before any student: a missing driver, an unknown topic or a
  locked database is the instructor's to fix and is said in one sentence, never blamed on a participant;
* each submitted notebook is checked before nbgrader reads it (a regular file, of sane size, a notebook):
  anything else is set aside in ``quarantine/`` and the released notebook graded in its place, which loses
  the participant nothing since every answer lives in the answers file;
* one student's failure is reported and never stops the others.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .course import Course, CourseError, redact_url, terminal_safe
from .nbgrader_plugins import last_result
from .plans import GradingPlan, load_plan
from .term_tools import apply_extension

MAX_NOTEBOOK_BYTES = 20_000_000  # a released topic is well under 1 MB; outputs are cleared before grading


@dataclass
class StudentResult:
    """How one student's submission of one topic was graded."""

    student: str
    topic: str
    status: str = "graded"  # graded | graded from a clean copy | not graded
    points: float = 0.0
    max_points: float = 0.0
    pending: float = 0.0  # points of written answers still to be marked by hand
    late_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    hand_marks: int = 0  # items the gradebook holds a hand mark for (kept, never overwritten by autograde)
    penalty: float = 0.0  # nbgrader's late-submission penalty (LateSubmissionPlugin), already taken off points
    after_keys: bool = False  # collected after the topic's keys were released, because the instructor asked
    after_feedback: bool = False  # collected after the participant's own feedback page, likewise

    @property
    def needs_attention(self) -> bool:
        return self.status != "graded" or bool(self.notes) or self.late_seconds > 0


def check_gradebook(course: Course, topic: str) -> None:
    """Fail with one clear sentence when the gradebook cannot take grades for ``topic``."""
    from nbgrader.api import Gradebook, MissingEntry

    where = redact_url(course.db_url)
    try:
        with Gradebook(course.db_url, course.course_id) as gb:
            gb.find_assignment(topic)
    except MissingEntry:
        raise CourseError(
            f"Topic {topic} is not in the gradebook {where}: run `coursekit release {topic}` first."
        ) from None
    except ModuleNotFoundError as err:
        raise CourseError(
            f"The gradebook {where} needs the database driver {err.name!r}, which is not installed: "
            "run `pip install 'coursekit[postgres]'` (or the driver named) in this environment."
        ) from None
    except Exception as err:  # sqlalchemy's OperationalError and kin: the database, not a submission
        reason = str(getattr(err, "orig", None) or err).splitlines()[0][:200]
        raise CourseError(f"The gradebook {where} cannot be used ({type(err).__name__}: {reason}).") from None


def _notebook_problem(path: Path) -> str | None:
    """Why nbgrader should not read this submitted notebook, or None if it may."""
    import nbformat

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "the notebook was not submitted"
    if not stat.S_ISREG(info.st_mode):
        return "the notebook is not a regular file"
    if info.st_size > MAX_NOTEBOOK_BYTES:
        return f"the notebook is {info.st_size // 1_000_000} MB, far larger than the topic"
    try:
        nb = nbformat.reads(path.read_bytes().decode("utf-8"), as_version=4)
        nbformat.validate(nb)
    except RecursionError:
        return "the notebook is nested too deeply to read"
    except Exception as err:
        return f"the notebook cannot be read as a notebook ({type(err).__name__})"
    return None


def _use_clean_copy(course: Course, topic: str, student: str, notebook: str) -> str:
    """Move the submitted notebook aside and put the released one in its place; say where it went."""
    folder = course.submitted / student / topic
    quarantine = course.root / "quarantine" / student / topic
    quarantine.mkdir(parents=True, exist_ok=True)
    submitted_nb = folder / notebook
    kept = "nothing was kept"
    if os.path.lexists(submitted_nb):
        shutil.move(str(submitted_nb), quarantine / notebook)
        kept = f"it was kept as {(quarantine / notebook).relative_to(course.root)}"
    shutil.copy2(course.release / topic / notebook, submitted_nb)
    return kept


def grade_student(course: Course, plan: GradingPlan, student: str) -> StudentResult:
    """Grade one student's submission of one topic; never raises for anything in the submission."""
    result = StudentResult(student, plan.topic)
    apply_extension(course, plan.topic, student)  # an extension granted before the first grading
    problem = _notebook_problem(course.submitted / student / plan.topic / plan.notebook)
    if problem:
        kept = _use_clean_copy(course, plan.topic, student, plan.notebook)
        result.status = "graded from a clean copy"
        result.notes.append(f"{problem}; the released notebook was graded in its place ({kept})")
    run = course.api_call("autograde", plan.topic, student, force=True, create=True)
    if not run.ok and result.status == "graded":
        # nbgrader could not sanitise this notebook (metadata it cannot restore, say): answers are the
        # truth, so grade them with the released notebook, and say so
        kept = _use_clean_copy(course, plan.topic, student, plan.notebook)
        result.status = "graded from a clean copy"
        result.notes.append(f"nbgrader could not process the notebook ({run.last_error()}); {kept}")
        run = course.api_call("autograde", plan.topic, student, force=True, create=True)
    if not run.ok:
        result.status = "not graded"
        result.notes.append(f"nbgrader could not grade it: {run.last_error()}")
        return result
    scored = last_result(plan.topic, student, Path(plan.notebook).stem)
    if scored is None:
        result.status = "not graded"
        result.notes.append("no score was recorded: is coursekit's preprocessor configured in nbgrader_config.py?")
        return result
    result.notes += scored.notes
    for item in scored.items.values():
        result.max_points += item.max_points
        if item.points is None:
            result.pending += item.max_points
        else:
            result.points += item.points
    return result


def _record_lateness(course: Course, results: list[StudentResult]) -> None:
    """Read each graded submission's lateness from the gradebook (nbgrader computed it from the due date)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url, course.course_id) as gb:
        for r in results:
            try:
                r.late_seconds = float(gb.find_submission(r.topic, r.student).total_seconds_late or 0)
            except MissingEntry:
                pass
    for r in results:
        if r.late_seconds > 0:
            r.notes.append(f"submitted late by {_duration(r.late_seconds)}")


def read_gradebook_totals(course: Course, results: list[StudentResult]) -> None:
    """Set each graded result's points and what is left to mark from the gradebook, as it stands now.

    What this run scored is only part of the truth: a written answer marked by hand before a regrade (a key
    fixed, a late participant graded with ``--student``) keeps its mark, which autograde never overwrites.
    So points are nbgrader's score of every item (a hand mark where there is one, else the automatic score),
    less nbgrader's late penalty; "to mark" counts only items with neither a hand mark nor an automatic score.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from .collect import accepted_after_feedback, accepted_after_keys

    after, after_page = accepted_after_keys(course), accepted_after_feedback(course)
    with Gradebook(course.db_url, course.course_id) as gb:
        for r in results:
            if r.status == "not graded":
                continue
            try:
                submission = gb.find_submission(r.topic, r.student)
            except MissingEntry:
                continue
            points = pending = 0.0
            marks = 0
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.manual_score is not None:
                        marks += 1
                    if grade.manual_score is None and grade.auto_score is None:
                        pending += float(grade.max_score or 0.0)
                    else:
                        points += float(grade.score or 0.0)
            r.penalty = float(submission.late_submission_penalty or 0.0)
            r.points, r.pending, r.hand_marks = points - r.penalty, pending, marks
            if r.student in after.get(r.topic, {}):
                r.after_keys = True
                r.notes.append(
                    "collected after the keys were released (you accepted it by name with --accept-after-keys)"
                )
            elif r.student in after_page.get(r.topic, {}):
                r.after_feedback = True
                r.notes.append(
                    "collected after their feedback page, which shows their scores, went out (you accepted it by "
                    "name with --accept-after-feedback)"
                )


def _duration(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours} h {rest // 60} min" if hours else f"{rest // 60} min {rest % 60} s"


def autograde(
    course: Course, topics: list[str], students: list[str] | None = None, *, jobs: int = 1, progress: bool = True
) -> list[StudentResult]:
    """Grade every (topic, student) pair, no kernel; return one result per pair.

    With ``jobs`` > 1, topics are graded in that many processes at once (whole topics, so no submission is
    ever graded twice at the same time); each process reads answers and writes grades like the one-process run.
    """
    for topic in topics:  # the gradebook is the instructor's: check it once, before any participant is graded
        check_gradebook(course, topic)
    if jobs > 1 and len(topics) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            max_workers=min(jobs, len(topics)), mp_context=multiprocessing.get_context("spawn")
        ) as pool:
            futures = [pool.submit(_autograde_topics, str(course.root), [topic], students) for topic in topics]
            results = []
            for topic, future in zip(topics, futures):
                results += future.result()
                if progress:
                    print(f"{topic}: graded", file=sys.stderr, flush=True)
        return sorted(results, key=lambda r: (r.topic, r.student))
    return _autograde_topics(str(course.root), topics, students, progress)


def _autograde_topics(
    root: str, topics: list[str], students: list[str] | None, progress: bool = False
) -> list[StudentResult]:
    import warnings

    from .nbgrader_speed import fast_nbgrader

    with fast_nbgrader(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="nbgrader")  # nbgrader's own SQLAlchemy warnings, not ours
        warnings.filterwarnings("ignore", message=".*not in session.*")
        return _autograde(Course(Path(root)), topics, students, progress)


def _autograde(course: Course, topics: list[str], students: list[str] | None, progress: bool) -> list[StudentResult]:
    results: list[StudentResult] = []
    for topic in topics:
        plan = load_plan(course.source_notebook(topic))
        todo = [s for s in course.students(topic) if students is None or s in students]
        results += [
            StudentResult(s, topic, "not graded", notes=["no collected submission"])
            for s in sorted(set(students or []) - set(todo))
        ]
        graded: list[StudentResult] = []
        for done, student in enumerate(todo, start=1):
            graded.append(grade_student(course, plan, student))
            if progress:
                bar = "#" * int(20 * done / len(todo))
                print(f"\r{topic} [{bar:<20}] {done}/{len(todo)}", end="", file=sys.stderr, flush=True)
        if progress and todo:
            print(file=sys.stderr)
        _record_lateness(course, graded)
        read_gradebook_totals(course, graded)
        results += graded
    return sorted(results, key=lambda r: (r.topic, r.student))


def summary_table(results: list[StudentResult]) -> str:
    """A plain-text table: every graded pair, then who needs attention and why.

    Student ids come from folder names a participant chose: shown with ``repr`` escapes for anything
    unprintable, so nothing in them can move the cursor or hide a line of the summary.
    """
    lines = [f"{'topic':<28} {'student':<20} {'score':>11}  {'to mark':>7}  status"]
    for r in results:
        status = r.status
        if r.hand_marks:
            status += f", {r.hand_marks} hand mark{'s' if r.hand_marks != 1 else ''} kept"
        if r.after_keys:
            status += ", after keys"
        elif r.after_feedback:
            status += ", after feedback"
        if r.late_seconds > 0:
            status += ", late" + (f" (penalty {r.penalty:g})" if r.penalty else "")
        to_mark = f"{r.pending:g}" if r.pending else "nothing"
        lines.append(
            f"{r.topic:<28} {terminal_safe(r.student):<20} {r.points:>5g}/{r.max_points:<5g}  {to_mark:>7}  {status}"
        )
    graded = [r for r in results if r.status != "not graded"]
    if graded:
        waiting = [r for r in graded if r.pending]
        marks = sum(r.hand_marks for r in graded)
        lines.append("")
        lines.append(
            (
                f"Still to mark by hand: {sum(r.pending for r in waiting):g} point(s) in {len(waiting)} submission(s)."
                if waiting
                else "Nothing left to mark by hand."
            )
            + (f" {marks} hand mark(s) in the gradebook were kept as they were." if marks else "")
        )
    attention = [r for r in results if r.needs_attention]
    if attention:
        lines.append("")
        lines.append("Needs attention:")
        for r in attention:
            for note in r.notes or [r.status]:
                lines.append(f"  {r.topic} / {terminal_safe(r.student)}: {terminal_safe(note)}")
    return "\n".join(lines)
