"""A class with one written item of a 4-criterion rubric, released, submitted, collected and autograded, for the
marking view's browser test and benchmark (benchmarks/bench_marking.py).

Topic ``zz-marking``: ``mk-choice`` (a graded single choice, auto-scored) and ``mk-text`` (a graded written
answer, 8 points: four criteria of 2 points, each with levels worth 0, 1 and 2). Every participant's text is
different; the first carries markup and a spreadsheet formula, which must stay text everywhere.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from test_grading_end_to_end import REPO, SETUP, answers_json, nbgrader_submit, run_cli

from coursekit.grading.authoring import stamp
from coursekit.grading.course import Course

TOPIC = "zz-marking"
ITEM = "mk-text"
CRITERIA = ("Goal", "Audiences", "Channels", "Risks")
MODEL_ANSWER = "A model answer naming a goal, two audiences, fitting channels and the main risks."
DEFINITIONS = [
    (
        'SingleChoice(id="mk-choice", prompt="Which body?", choices=[Choice("a"), Choice("b")], '
        'mode="graded", points=1, outcomes=["LO1"]).show()',
        'check("mk-choice", key="a", explanation="Because the fixture says so, for a reason.", '
        'rationale={"a": "It is the first one.", "b": "It is the second one."})',
    ),
    (
        'ShortText(id="mk-text", prompt="Plan a **digital campaign** for the embassy.", mode="graded", points=8, '
        'outcomes=["LO2"], rubric=['
        + ", ".join(f'RubricCriterion("{c}", 2, ("0: missing", "1: named", "2: named and argued"))' for c in CRITERIA)
        + "]).show()",
        f'check("mk-text", model_answer={MODEL_ANSWER!r})',
    ),
]
HOSTILE = '<b>bold?</b> <script>document.title=\'pwned\'</script>\n=HYPERLINK("http://x","y")'


def marking_notebook() -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# Marking fixture"), new_code_cell(SETUP + ", SingleChoice")]
    for definition, check in DEFINITIONS:
        cells.append(new_code_cell(definition))
        cells.append(
            new_code_cell(f"### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\n{check}\n### END HIDDEN TESTS")
        )
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return stamp(new_notebook(cells=cells, metadata=meta))


def student_id(n: int) -> str:
    return f"p{n:02d}-{['amara', 'bruno', 'chen', 'dana', 'emil', 'fatou'][n % 6]}"


def answer_text(n: int) -> str:
    if n == 0:
        return HOSTILE
    return f"Participant answer {n}: the embassy aims at goal {n}, speaks to audience {n % 3} in its language."


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    done = run_cli(
        root, *args, env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def submit_text(course: Course, home: Path, n: int, text: str) -> None:
    student = student_id(n)
    folder = home / student / TOPIC
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(course.release / TOPIC, folder)
    (folder / "coursekit_answers.json").write_text(answers_json({"mk-choice": "a", ITEM: text}), encoding="utf-8")
    nbgrader_submit(course, home / student, TOPIC, student)


def build_marking_class(root: Path, size: int) -> Course:
    """Release the topic, have ``size`` participants submit (named in a roster), collect and autograde.

    Sets COURSEKIT_DB_URL and COURSEKIT_EXCHANGE in this process (the caller restores them)."""
    os.environ.update(
        {"COURSEKIT_DB_URL": f"sqlite:///{root / 'gradebook.db'}", "COURSEKIT_EXCHANGE": str(root.parent / "exchange")}
    )
    shutil.copy(REPO / "nbgrader_config.py", root)
    (root / "notebooks" / TOPIC).mkdir(parents=True)
    nbformat.write(marking_notebook(), root / "notebooks" / TOPIC / f"{TOPIC}.ipynb")
    cli(root, "release", TOPIC)
    course = Course(root)
    for n in range(size):
        submit_text(course, root.parent / "homes", n, answer_text(n))
    with open(root / "roster.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email"])
        for n in range(size):
            writer.writerow([student_id(n), f"First{n}", student_id(n).split("-")[1].title(), ""])
    cli(root, "roster", str(root / "roster.csv"))
    cli(root, "collect", TOPIC)
    cli(root, "autograde", TOPIC)
    return course


def resubmit(course: Course, n: int, text: str) -> None:
    """Participant ``n`` submits a changed text after their feedback page went out; the instructor accepts it by
    name (collect refuses it otherwise), collects and autogrades them again."""
    import time

    time.sleep(1.1)  # a later timestamp than the first submission
    submit_text(course, course.root.parent / "homes", n, text)
    cli(course.root, "collect", TOPIC, "--accept-after-feedback", student_id(n))
    cli(course.root, "autograde", TOPIC, "--student", student_id(n))


def open_marking_view(page, server, course: Course) -> None:
    """Write the marking notebook (``coursekit mark``), open it in JupyterLab, run it, wait for the view."""
    from browser import run_all_cells, wait_idle

    cli(course.root, "mark", TOPIC)
    page.goto(server.lab_url(f"marking/mark-{TOPIC}.ipynb"))
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    wait_idle(page)
    started = "document.querySelector('.coursekit-marking[data-coursekit-ready]') !== null"
    try:
        run_all_cells(page, started=started)
    except Exception:
        dialog = page.locator(".jp-Dialog")
        if not dialog.count():
            raise
        # JupyterLab asked something on a loaded machine (seen twice in the benchmark): say what, accept, go on
        print(f"JupyterLab dialog: {dialog.first.inner_text()!r}", file=sys.stderr)
        page.locator(".jp-Dialog-footer button.jp-mod-accept").click()
        wait_idle(page)
        run_all_cells(page, started=started)
    # a Run All queued behind that dialog runs the cell again and replaces the view: wait until it has
    page.wait_for_timeout(2000)
    wait_idle(page)
    page.wait_for_function("document.querySelectorAll('.coursekit-marking[data-coursekit-ready]').length === 1")
