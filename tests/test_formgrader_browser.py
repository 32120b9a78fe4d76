"""Hand-grading in formgrader, in Chromium: a written answer is readable as plain text, can be marked and
commented, and the mark survives both formgrader's own Autograde button and `coursekit autograde`.

The participant's text carries markup and their notebook a cell that would leave a trace if anything ran
it: neither may take effect in the instructor's browser or on the instructor's machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from browser import ARTIFACTS, JupyterLab, chromium_page
from nbformat.v4 import new_code_cell
from test_grading_end_to_end import CORRECT, FIXTURE, answers_json, fixture_notebook, nbgrader_submit, run_cli

from coursekit.grading.course import Course

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
STUDENT = "p-writer"
TEXT = (
    "First line of my reasoning, long enough to need wrapping " * 6
).strip() + "\n<script>document.title='pwned'</script>"


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("formgrader-course")
    traces = root.parent / "formgrader-traces"
    traces.mkdir()
    saved = {k: os.environ.get(k) for k in ("COURSEKIT_DB_URL", "COURSEKIT_EXCHANGE")}
    os.environ.update(
        {
            "COURSEKIT_DB_URL": f"sqlite:///{root / 'gradebook.db'}",
            "COURSEKIT_EXCHANGE": str(root.parent / "formgrader-exchange"),
        }
    )
    shutil.copy(REPO / "nbgrader_config.py", root)
    (root / "notebooks" / FIXTURE).mkdir(parents=True)
    nbformat.write(fixture_notebook(), root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb")

    def cli(*args: str) -> subprocess.CompletedProcess:
        done = run_cli(root, *args)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    try:
        cli("release", FIXTURE)
        course = Course(root)
        home = root.parent / "formgrader-home" / STUDENT
        shutil.copytree(course.release / FIXTURE, home / FIXTURE)
        (home / FIXTURE / "coursekit_answers.json").write_text(answers_json({**CORRECT, "fx-text": TEXT}))
        notebook = home / FIXTURE / f"{FIXTURE}.ipynb"
        nb = nbformat.read(notebook, as_version=4)
        nb.cells.insert(3, new_code_cell(f"open({str(traces / 'ran')!r}, 'w').write('ran')"))
        nbformat.write(nb, notebook)
        nbgrader_submit(course, home, FIXTURE, STUDENT)
        cli("collect", FIXTURE)
        cli("autograde", FIXTURE)
        yield course, cli, traces
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)


def _grade(course: Course):
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        grade = gb.find_grade("fx-text", FIXTURE, FIXTURE, STUDENT)
        comment = gb.find_comment("fx-text", FIXTURE, FIXTURE, STUDENT)
        return grade.manual_score, grade.needs_manual_grade, comment.manual_comment


def test_a_written_answer_is_marked_in_formgrader_and_the_mark_survives_autograding(graded, tmp_path):
    from nbgrader.api import Gradebook

    course, cli, traces = graded
    assert _grade(course) == (None, True, None)
    with Gradebook(course.db_url, course.course_id) as gb:
        submission_id = gb.find_submission_notebook(FIXTURE, FIXTURE, STUDENT).id
    errors: list[str] = []
    with JupyterLab(course.root, tmp_path / "server.log", instructor=True) as server, chromium_page(errors) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.context.set_extra_http_headers({"Authorization": f"token {server.token}"})  # formgrader's API calls too
        page.goto(f"{server.url}/formgrader/submissions/{submission_id}/?token={server.token}")
        page.wait_for_selector("#fx-text")
        answer = page.locator(".cell", has_text="Written answer (as submitted)").last
        answer.scroll_into_view_if_needed()
        shown = answer.inner_text()
        assert "First line of my reasoning" in shown and "<script>document.title='pwned'</script>" in shown
        assert page.title() != "pwned" and not dialogs
        assert answer.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), "the answer scrolls sideways"
        ARTIFACTS.mkdir(exist_ok=True)
        answer.screenshot(path=str(ARTIFACTS / "formgrader-written-answer.png"))

        page.fill("#fx-text", "1.5")
        page.keyboard.press("Tab")
        page.fill("#fx-text-comment", "Good reason; name the norm.")
        page.keyboard.press("Tab")
        page.wait_for_function("document.activeElement && document.activeElement.id !== 'fx-text-comment'")
        for _ in range(40):  # the page saves in the background; wait for the gradebook to show it
            if _grade(course)[0] is not None and _grade(course)[2]:
                break
            page.wait_for_timeout(250)
        assert _grade(course) == (1.5, False, "Good reason; name the norm."), (errors, server.server_log()[-3000:])

        # formgrader's own Autograde button, on the topic's submissions page
        page.goto(f"{server.url}/formgrader/manage_submissions/{FIXTURE}?token={server.token}")
        row = page.locator("tr", has_text=STUDENT)
        row.locator(".autograde a").click()
        page.wait_for_selector("#success-modal", timeout=120_000)
    assert _grade(course) == (1.5, False, "Good reason; name the norm.")
    cli("autograde", FIXTURE)
    assert _grade(course) == (1.5, False, "Good reason; name the norm.")
    assert list(traces.iterdir()) == []
    assert not [e for e in errors if "pwned" in e]
