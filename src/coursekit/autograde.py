"""Autograde a whole class: in parallel, fairly, and without letting one submission stop the rest.

How a submission is graded (the defence is scoring outside the participant's kernel):

1. The submitted answers file is read, in this process, *before* any participant code runs, so nothing a
   notebook does during grading can change it.
2. ``nbgrader autograde TOPIC --student S`` runs in a process of its own (one per student, at most
   ``jobs`` at once, never the same student twice), bounded by a time limit for the whole run. nbgrader
   restores locked and deleted cells and re-runs the notebook.
3. If that run fails (a kernel that dies, a loop that cannot be interrupted, a notebook that is not
   JSON), the submitted notebook is moved to ``quarantine/`` and replaced by the released copy; since every
   answer lives in the answers file, the participant loses nothing they earned. The run is repeated.
4. The score of every graded exercise is then computed here from the answers read in step 1 and written to
   the gradebook over whatever the notebook reported. A difference is reported: it is the trace of an
   attempt to change the grading code, or of a damaged answer.
"""

from __future__ import annotations

import shutil
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .course import Course, Run
from .grading import GradingPlan, load_plan, score_answers
from .store import ANSWERS_FILENAME, read_answers_file


@dataclass
class StudentResult:
    """How one student's submission of one topic was graded."""

    student: str
    topic: str
    status: str = "graded"  # graded | graded from a clean copy | not graded
    points: float = 0.0
    max_points: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return self.status != "graded" or bool(self.notes)


class _InFlight:
    """Refuses to grade a student who is already being graded (two writers on one autograded folder)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._students: set[str] = set()

    def enter(self, student: str) -> None:
        with self._lock:
            if student in self._students:
                raise RuntimeError(f"{student} is already being graded")
            self._students.add(student)

    def leave(self, student: str) -> None:
        with self._lock:
            self._students.discard(student)


def _nbgrader_autograde(course: Course, topic: str, student: str, cell_timeout: int, student_timeout: float) -> Run:
    return course.nbgrader(
        "autograde", topic, "--student", student, "--force", f"--Execute.timeout={cell_timeout}",
        timeout=student_timeout,
    )


def _use_clean_copy(course: Course, topic: str, student: str, plan: GradingPlan) -> Path:
    """Move the submitted notebook aside and put the released one in its place; return where it went."""
    folder = course.submitted / student / topic
    quarantine = course.root / "quarantine" / student / topic
    quarantine.mkdir(parents=True, exist_ok=True)
    submitted_nb = folder / plan.notebook
    if submitted_nb.exists():
        shutil.move(str(submitted_nb), quarantine / plan.notebook)
    shutil.copy2(course.release / topic / plan.notebook, submitted_nb)
    return quarantine / plan.notebook


def _record_scores(course: Course, plan: GradingPlan, result: StudentResult, answers: dict) -> None:
    """Write the out-of-kernel scores to the gradebook and note any difference from the kernel's."""
    from nbgrader.api import Gradebook, MissingEntry

    scores = score_answers(plan, answers)
    notebook_id = Path(plan.notebook).stem
    with Gradebook(course.db_url, course.course_id) as gb:
        for exercise_id, outcome in scores.items():
            try:
                grade = gb.find_grade(exercise_id, notebook_id, plan.topic, result.student)
            except MissingEntry:
                result.notes.append(f"{exercise_id}: no grade cell in the gradebook")
                continue
            if outcome.status == "manual":
                grade.needs_manual_grade = True
                grade.auto_score = 0.0
                continue
            if grade.auto_score is not None and abs(grade.auto_score - outcome.points) > 1e-6:
                result.notes.append(
                    f"{exercise_id}: the notebook reported {grade.auto_score:g} points, the saved answer earns "
                    f"{outcome.points:g}; recorded {outcome.points:g}"
                )
            grade.auto_score = outcome.points
            grade.needs_manual_grade = False
            result.points += outcome.points
        gb.db.commit()
    result.max_points = sum(plan.all_exercises[i].points for i in plan.graded_ids)


def grade_student(
    course: Course, plan: GradingPlan, student: str, *, cell_timeout: int = 30, student_timeout: float = 300
) -> StudentResult:
    """Grade one student's submission of one topic; never raises for a bad submission."""
    result = StudentResult(student, plan.topic)
    reading = read_answers_file(course.submitted / student / plan.topic / ANSWERS_FILENAME)
    answers = {k: v.value for k, v in reading.answers.items()}
    if not (course.submitted / student / plan.topic / ANSWERS_FILENAME).exists():
        result.notes.append("no answers file was submitted")
    elif reading.problem:
        result.notes.append(f"answers file: {reading.problem}")
    run = _nbgrader_autograde(course, plan.topic, student, cell_timeout, student_timeout)
    if not run.ok:
        reason = "stopped after the time limit" if run.returncode is None else run.last_error()
        kept = _use_clean_copy(course, plan.topic, student, plan)
        result.notes.append(f"the submitted notebook could not be run ({reason}); it was kept as {kept.relative_to(course.root)}")
        run = _nbgrader_autograde(course, plan.topic, student, cell_timeout, student_timeout)
        if not run.ok:
            result.status = "not graded"
            result.notes.append(f"a clean copy could not be run either: {run.last_error()}")
            return result
        result.status = "graded from a clean copy"
    try:
        _record_scores(course, plan, result, answers)
    except Exception as err:  # the gradebook itself failed: report, never stop the class
        result.status = "not graded"
        result.notes.append(f"the gradebook could not be updated ({type(err).__name__}: {err})")
    return result


def autograde(
    course: Course,
    topics: list[str],
    students: list[str] | None = None,
    *,
    jobs: int = 2,
    cell_timeout: int = 30,
    student_timeout: float = 300,
    progress: bool = True,
) -> list[StudentResult]:
    """Grade every (topic, student) pair, ``jobs`` students at a time; return one result per pair."""
    results: list[StudentResult] = []
    in_flight = _InFlight()
    for topic in topics:
        plan = load_plan(course.source_notebook(topic))
        todo = [s for s in course.students(topic) if students is None or s in students]
        if students:
            for missing in sorted(set(students) - set(todo)):
                results.append(StudentResult(missing, topic, "not graded", notes=["no collected submission"]))
        done = 0

        def task(student: str) -> StudentResult:
            in_flight.enter(student)
            try:
                return grade_student(course, plan, student, cell_timeout=cell_timeout, student_timeout=student_timeout)
            finally:
                in_flight.leave(student)

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(task, s): s for s in todo}
            for future in as_completed(futures):
                outcome = future.result()
                results.append(outcome)
                done += 1
                if progress:
                    bar = "#" * int(20 * done / len(todo))
                    print(f"\r{topic} [{bar:<20}] {done}/{len(todo)} {outcome.student:<20}", end="", file=sys.stderr, flush=True)
        if progress and todo:
            print(file=sys.stderr)
    return sorted(results, key=lambda r: (r.topic, r.student))


def summary_table(results: list[StudentResult]) -> str:
    """A plain-text table: every graded pair, then who needs attention and why."""
    lines = [f"{'topic':<28} {'student':<20} {'score':>11}  status"]
    for r in results:
        lines.append(f"{r.topic:<28} {r.student:<20} {r.points:>5g}/{r.max_points:<5g}  {r.status}")
    attention = [r for r in results if r.needs_attention]
    if attention:
        lines.append("")
        lines.append("Needs attention:")
        for r in attention:
            for note in r.notes or [r.status]:
                lines.append(f"  {r.topic} / {r.student}: {note}")
    return "\n".join(lines)
