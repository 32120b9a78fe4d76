"""The instructor's workflow on top of nbgrader: release, collect, feedback.

Each step checks what it produced, so a mistake is caught before participants or the gradebook see it.
Autograding lives in :mod:`coursekit.autograde`, the export in :mod:`coursekit.gradebook_export`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .course import Course, CourseError
from .gradebook_export import export_rows  # noqa: F401  (moved there; existing callers import it here)
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
