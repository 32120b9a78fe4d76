"""The instructor's workflow on top of nbgrader: release, collect, feedback, export.

Each step checks what it produced, so a mistake is caught before participants or the gradebook see it.
Autograding lives in :mod:`coursekit.autograde`.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections import defaultdict
from pathlib import Path

from .course import Course, CourseError
from .grading import load_plan
from .leaks import scan, secrets_of


def _ensure_exchange(course: Course) -> None:
    course.exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(course.exchange, 0o777)  # participants' accounts write their submissions here


def _up_to_date(course: Course, topic: str) -> bool:
    """True when release/TOPIC is newer than everything it is generated from."""
    released = list((course.release / topic).glob("*.ipynb"))
    if not released:
        return False
    inputs = [*(course.source / topic).rglob("*"), course.root / "nbgrader_config.py", course.root / "_config.yml"]
    newest_input = max((p.stat().st_mtime for p in inputs if p.is_file()), default=0.0)
    return min(p.stat().st_mtime for p in released) > newest_input


def generate_release(course: Course, topic: str, *, force: bool = True) -> Path:
    """Build ``release/TOPIC`` from the source and refuse it if any key, hidden test or solution is inside.

    With ``force=False`` a release newer than its sources is kept as it is (it is still checked for leaks).
    """
    folder = course.release / topic
    if force or not _up_to_date(course, topic):
        run = course.api_call("generate_assignment", topic, force=True)
        if not run.ok:
            raise CourseError(f"nbgrader could not generate {topic}: {run.last_error()}")
        _link_glossary(course, folder)
    leaks = scan([folder], secrets_of(course.source_notebook(topic)))
    if leaks:
        shutil.rmtree(folder)
        listing = "\n  ".join(str(leak) for leak in leaks[:10])
        raise CourseError(f"Refusing to release {topic}: the release would contain secrets:\n  {listing}")
    return folder


def _link_glossary(course: Course, folder: Path) -> None:
    """Point the notebook's ``glossary:`` links at the published book's glossary."""
    import nbformat

    from .book import glossary_links_to_urls

    url = course.glossary_url
    for path in folder.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        changed = False
        for cell in nb.cells:
            if cell.cell_type == "markdown" and "](glossary:" in cell.source:
                cell.source = glossary_links_to_urls(cell.source, url)
                changed = True
        if changed:
            nbformat.write(nb, path)


def release(course: Course, topics: list[str], *, to_exchange: bool = True, force: bool = True) -> list[Path]:
    """Generate (and by default release to the exchange) every topic in ``topics``.

    ``force=False`` regenerates only topics whose sources changed (used by the book build).
    """
    folders = []
    for n, topic in enumerate(topics, start=1):
        print(f"[{n}/{len(topics)}] generating {topic}", flush=True)
        folders.append(generate_release(course, topic, force=force))
        if to_exchange:
            _ensure_exchange(course)
            run = course.nbgrader("release_assignment", topic, "--force")
            if not run.ok:
                raise CourseError(f"nbgrader could not release {topic}: {run.last_error()}")
    return folders


def collect(course: Course, topic: str) -> list[str]:
    """Collect the latest submissions of ``topic`` from the exchange; return the students collected."""
    run = course.nbgrader("collect", topic, "--update")
    if not run.ok:
        raise CourseError(f"nbgrader could not collect {topic}: {run.last_error()}")
    return course.students(topic)


def feedback(course: Course, topics: list[str]) -> None:
    """Generate feedback for every graded submission and return it through the exchange if there is one."""
    for topic in topics:
        run = course.api_call("generate_feedback", topic, force=True)
        if not run.ok:
            raise CourseError(f"nbgrader could not generate feedback for {topic}: {run.last_error()}")
        if course.exchange.is_dir():
            run = course.api_call("release_feedback", topic)
            if not run.ok:
                raise CourseError(f"nbgrader could not return feedback for {topic}: {run.last_error()}")


EXPORT_COLUMNS = [
    "student", "topic", "exercise_id", "type", "mode", "outcomes", "score", "max_score", "needs_manual_grade",
]


def export_rows(course: Course) -> list[dict[str, object]]:
    """One row per student and graded exercise, with the exercise's type and learning outcomes."""
    from nbgrader.api import Gradebook

    rows: list[dict[str, object]] = []
    plans = {t: load_plan(course.source_notebook(t)) for t in course.topics()}
    with Gradebook(course.db_url, course.course_id) as gb:
        for assignment in gb.assignments:
            plan = plans.get(assignment.name)
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        exercise = plan.all_exercises.get(grade.name) if plan else None
                        rows.append({
                            "student": submission.student.id,
                            "topic": assignment.name,
                            "exercise_id": grade.name,
                            "type": exercise.kind if exercise else "",
                            "mode": exercise.mode if exercise else "",
                            "outcomes": ";".join(exercise.outcomes) if exercise else "",
                            "score": grade.score,
                            "max_score": grade.max_score,
                            "needs_manual_grade": bool(grade.needs_manual_grade),
                        })
    return sorted(rows, key=lambda r: (str(r["topic"]), str(r["student"]), str(r["exercise_id"])))


def write_csv(rows: list[dict[str, object]], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def outcome_summary(rows: list[dict[str, object]]) -> dict[str, tuple[float, float]]:
    """Per learning outcome: points earned and points possible across the class."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        for outcome in str(row["outcomes"]).split(";"):
            if outcome:
                totals[outcome][0] += float(row["score"] or 0)
                totals[outcome][1] += float(row["max_score"] or 0)
    return {k: (v[0], v[1]) for k, v in sorted(totals.items())}
