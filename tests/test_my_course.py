""" "My course": where a participant stands across topics, and the document they take home (issue 29).

The counts are checked against the grader's own reading of the same notebooks (``load_plan``, which rebuilds
the exercises by running their definitions), not against the view's static reading; submissions against a
real nbgrader exchange that ``nbgrader submit`` wrote; the document by opening it with python-docx.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from coursekit.core.settings import settings
from coursekit.core.store import ANSWERS_FILENAME
from coursekit.grading.hidden_tests import load_plan
from coursekit.participant.my_course import MyCourse
from coursekit.participant.progress import course_progress, progress_html
from coursekit.participant.submissions import submissions
from coursekit.participant.take_home import DOCUMENT_NAME

REPO = Path(__file__).resolve().parents[1]
TOPICS = ("00-orientation", "01-introduction", "12-stability-cbms")


def _answers(folder: Path, answers: dict[str, object]) -> None:
    entries = {k: {"value": v, "saved_at": "2026-05-18T09:30:00+00:00", "attempts": 1} for k, v in answers.items()}
    (folder / ANSWERS_FILENAME).write_text(
        json.dumps({"format": "coursekit-answers", "version": 1, "answers": entries}), encoding="utf-8"
    )


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """Three topic folders as a participant has them, and nothing answered yet."""
    root = tmp_path / "course"
    for topic in TOPICS:
        (root / topic).mkdir(parents=True)
        shutil.copy(REPO / "notebooks" / topic / f"{topic}.ipynb", root / topic)
    return root


def _plan(topic: str):
    return load_plan(REPO / "notebooks" / topic / f"{topic}.ipynb")


def _written_ids(topic: str) -> list[tuple[str, bool]]:
    plan = _plan(topic)
    return [
        (i, e.mode == "graded")
        for i, e in plan.all_exercises.items()
        if type(e).__name__ == "ShortText" and not i.startswith("strategy-log")
    ]


def test_counts_follow_the_notebooks_exercises_and_the_saved_answers(course: Path):
    plan = _plan("01-introduction")
    practice = [i for i, e in plan.all_exercises.items() if e.mode != "graded"]
    graded = [i for i, e in plan.all_exercises.items() if e.mode == "graded"]
    assert len(practice) >= 3 and len(graded) >= 2
    _answers(course / "01-introduction", {practice[0]: "x", practice[1]: ["a"], graded[0]: "y", practice[2]: "  "})

    progress = {t.folder: t for t in course_progress(course)}
    assert list(progress) == list(TOPICS)
    intro = progress["01-introduction"]
    assert (intro.practice_total, intro.graded_total) == (len(practice), len(graded))
    assert (intro.practice_answered, intro.graded_answered) == (2, 1)  # blank text is not an answer
    assert intro.title.startswith("Topic 1")
    last = progress["12-stability-cbms"]
    assert last.practice_answered == last.graded_answered == 0 and last.graded_total == len(
        _plan("12-stability-cbms").hidden
    )


def test_a_damaged_file_is_a_sentence_on_its_topic_and_the_others_still_count(course: Path):
    graded = _plan("12-stability-cbms").graded_ids
    _answers(course / "12-stability-cbms", {graded[0]: "an answer"})
    (course / "01-introduction" / ANSWERS_FILENAME).write_text('{"format": "coursekit-answers", "ans', encoding="utf-8")
    notebook = course / "00-orientation" / "00-orientation.ipynb"
    notebook.write_bytes(notebook.read_bytes()[:5000])  # a notebook cut short
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in course.rglob("*") if p.is_file()}

    progress = {t.folder: t for t in course_progress(course)}
    assert "could not be read" in progress["00-orientation"].note
    assert "could not be read" in progress["01-introduction"].note
    assert progress["12-stability-cbms"].graded_answered == 1 and not progress["12-stability-cbms"].note
    page = progress_html(list(progress.values()), None)
    assert "could not be read" in page and "no course exchange" in page
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in course.rglob("*") if p.is_file()}
    assert after == before, "reading the course changed a participant's file"


def test_participant_text_reaches_the_page_as_text_not_markup(course: Path):
    notebook = course / "01-introduction" / "01-introduction.ipynb"
    data = json.loads(notebook.read_text(encoding="utf-8"))
    first = next(c for c in data["cells"] if c["cell_type"] == "markdown")
    first["source"] = "# <img src=x onerror=alert(1)> Topic\n"
    notebook.write_text(json.dumps(data), encoding="utf-8")
    page = progress_html(course_progress(course), None)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_document_holds_every_written_answer_the_log_and_the_participants_name(course: Path):
    written = {topic: _written_ids(topic) for topic in TOPICS}
    assert any(graded for ids in written.values() for _, graded in ids), "the course has graded written work"
    texts: dict[str, str] = {}
    for topic, ids in written.items():
        answers = {i: f"Answer to {i}, first paragraph.\n\nSecond paragraph of {i}." for i, _ in ids}
        if f"strategy-log-{topic[:2]}" in _plan(topic).all_exercises:
            answers[f"strategy-log-{topic[:2]}"] = f"Log entry for topic {topic[:2]}\x07 with a bell."
        _answers(course / topic, answers)
        texts.update(answers)
    view = MyCourse(course, course)
    path = view.make_document("Ana <Popescu> & co")
    assert path == course / DOCUMENT_NAME and "my-course-work.docx" in view.widget.result["html"]

    doc = Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    body = "\n".join(paragraphs)
    assert paragraphs[0] == settings().title
    assert "Ana <Popescu> & co" in body
    for exercise_id, text in texts.items():
        for part in text.replace("\x07", "").split("\n\n"):
            assert part in paragraphs, f"{exercise_id}: {part!r} missing"
    graded = [i for ids in written.values() for i, g in ids if g]
    assert sum(p.startswith("Graded: ") for p in paragraphs) == len(graded)
    assert sum(p == "Strategy log" for p in paragraphs) == sum(k.startswith("strategy-log") for k in texts) >= 1


def test_a_document_that_cannot_be_written_says_so_and_changes_nothing(course: Path):
    _answers(course / "01-introduction", {"strategy-log-01": "mine"})
    blocked = course / "not-a-folder"
    blocked.write_text("a file where the document's folder should be", encoding="utf-8")
    before = {p: p.read_bytes() for p in course.rglob("*") if p.is_file()}
    view = MyCourse(course, blocked)
    assert view.make_document("Ana") is None
    assert (
        "could not be written" in view.widget.result["html"] and "Nothing of your answers" in view.widget.result["html"]
    )
    assert {p: p.read_bytes() for p in course.rglob("*") if p.is_file()} == before


@pytest.mark.slow
def test_submissions_come_from_nbgraders_exchange_and_none_without_one(course: Path, tmp_path: Path):
    assert submissions(course) is None  # no exchange configured here
    view = MyCourse(course, course)
    assert "Submitted" not in view.widget.result["context_html"]

    exchange, cache = tmp_path / "exchange", tmp_path / "cache"
    outbound = exchange / "demo-course" / "outbound" / "01-introduction"
    outbound.mkdir(parents=True)
    (exchange / "demo-course" / "inbound").mkdir()
    for folder in (exchange, exchange / "demo-course", exchange / "demo-course" / "inbound"):
        folder.chmod(0o1777)
    shutil.copy(course / "01-introduction" / "01-introduction.ipynb", outbound)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'demo-course'\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.Exchange.cache = {str(cache)!r}\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    nbgrader = Path(sys.executable).with_name("nbgrader")
    run = subprocess.run(
        [str(nbgrader), "submit", "01-introduction", "--student=ana"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr

    found = submissions(course)
    assert found is not None and list(found) == ["01-introduction"]
    assert found["01-introduction"].timestamp.startswith(str(__import__("datetime").date.today().year))
    view.refresh()
    table = view.widget.result["context_html"]
    assert "Submitted" in table and "submitted (" in table and "not submitted yet" in table  # 01 yes, 12 not yet
