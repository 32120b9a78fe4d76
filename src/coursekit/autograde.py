"""Autograde a whole class: in parallel, fairly, and without letting one submission stop the rest.

How a submission is graded (the defence is scoring outside the participant's kernel):

1. The submitted answers file is read, in this process, *before* any participant code runs, so nothing a
   notebook does during grading can change it.
2. nbgrader autogrades the student in one of ``jobs`` worker processes (see
   :mod:`coursekit.autograde_worker`; each student's notebook runs in a fresh kernel, never the same
   student twice at once), bounded by a time limit for the whole student: a worker that overruns is
   killed with its kernel and replaced. nbgrader restores locked and deleted cells and re-runs the notebook.
3. If that run fails (a kernel that dies, a loop that cannot be interrupted, a notebook that is not
   JSON), the submitted notebook is moved to ``quarantine/`` and replaced by the released copy; since every
   answer lives in the answers file, the participant loses nothing they earned. The run is repeated.
4. The score of every graded exercise is then computed here from the answers read in step 1 and written to
   the gradebook over whatever the notebook reported. A difference is reported: it is the trace of an
   attempt to change the grading code, or of a damaged answer.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .autograde_worker import MARKER
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


class Worker:
    """One grading worker process and the thread reading its answers."""

    def __init__(self, course: Course, cell_timeout: int) -> None:
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "coursekit.autograde_worker", str(course.root), str(cell_timeout)],
            cwd=course.root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, errors="replace", start_new_session=True,
        )
        self.answers: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(MARKER):
                self.answers.put(line[len(MARKER):])
        self.answers.put(None)  # the worker ended

    def grade(self, topic: str, student: str, timeout: float) -> Run:
        """Autograde one student; a run past ``timeout`` seconds kills the worker (returncode None)."""
        args = ("autograde", topic, "--student", student)
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps({"topic": topic, "student": student}) + "\n")
            self.proc.stdin.flush()
            answer = self.answers.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            return Run(args, None, f"Stopped after {timeout:g} s.")
        except OSError as err:
            return Run(args, 1, f"the grading worker stopped ({err})")
        if answer is None:
            return Run(args, 1, "the grading worker stopped unexpectedly")
        reply = json.loads(answer)
        return Run(args, 0 if reply["ok"] else 1, reply["log"])

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        """End the worker and everything it started (its kernels run in sessions of their own)."""
        import psutil

        try:
            family = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            family = []
        for proc in family:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        self.proc.wait()


class WorkerPool:
    """``jobs`` workers, one per grading thread; a worker that was stopped or died is replaced."""

    def __init__(self, course: Course, cell_timeout: int) -> None:
        self.course, self.cell_timeout = course, cell_timeout
        self._local = threading.local()
        self._all: list[Worker] = []
        self._lock = threading.Lock()

    def grade(self, topic: str, student: str, timeout: float) -> Run:
        worker = getattr(self._local, "worker", None)
        if worker is None or not worker.alive:
            worker = self._local.worker = Worker(self.course, self.cell_timeout)
            with self._lock:
                self._all.append(worker)
        return worker.grade(topic, student, timeout)

    def close(self) -> None:
        for worker in self._all:
            if worker.alive:
                worker.stop()


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
    course: Course, plan: GradingPlan, student: str, pool: WorkerPool, *, student_timeout: float = 300
) -> StudentResult:
    """Grade one student's submission of one topic; never raises for a bad submission."""
    result = StudentResult(student, plan.topic)
    reading = read_answers_file(course.submitted / student / plan.topic / ANSWERS_FILENAME)
    answers = {k: v.value for k, v in reading.answers.items()}
    if not (course.submitted / student / plan.topic / ANSWERS_FILENAME).exists():
        result.notes.append("no answers file was submitted")
    elif reading.problem:
        result.notes.append(f"answers file: {reading.problem}")
    run = pool.grade(plan.topic, student, student_timeout)
    if not run.ok:
        reason = "stopped after the time limit" if run.returncode is None else run.last_error()
        kept = _use_clean_copy(course, plan.topic, student, plan)
        result.notes.append(f"the submitted notebook could not be run ({reason}); it was kept as {kept.relative_to(course.root)}")
        run = pool.grade(plan.topic, student, student_timeout)
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
    pool = WorkerPool(course, cell_timeout)
    # One set of threads for the whole run, so each keeps its worker (and nbgrader's start-up) across topics;
    # topics are graded one after another, so a student is never graded twice at once.
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as executor:
            for topic in topics:
                results += _grade_topic(course, topic, students, executor, in_flight, pool, student_timeout, progress)
    finally:
        pool.close()
    return sorted(results, key=lambda r: (r.topic, r.student))


def _grade_topic(
    course: Course, topic: str, students: list[str] | None, executor: ThreadPoolExecutor,
    in_flight: _InFlight, pool: WorkerPool, student_timeout: float, progress: bool,
) -> list[StudentResult]:
    plan = load_plan(course.source_notebook(topic))
    todo = [s for s in course.students(topic) if students is None or s in students]
    results = [StudentResult(s, topic, "not graded", notes=["no collected submission"])
               for s in sorted(set(students or []) - set(todo))]

    def task(student: str) -> StudentResult:
        in_flight.enter(student)
        try:
            return grade_student(course, plan, student, pool, student_timeout=student_timeout)
        finally:
            in_flight.leave(student)

    futures = [executor.submit(task, s) for s in todo]
    for done, future in enumerate(as_completed(futures), start=1):
        outcome = future.result()
        results.append(outcome)
        if progress:
            bar = "#" * int(20 * done / len(todo))
            print(f"\r{topic} [{bar:<20}] {done}/{len(todo)} {outcome.student:<20}", end="", file=sys.stderr, flush=True)
    if progress and todo:
        print(file=sys.stderr)
    return results


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
