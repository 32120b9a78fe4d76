"""The autograde summary and the pages tell the gradebook's truth, through a small class on a real gradebook.

Five participants of the end-to-end fixture topic (its six graded items: 13 auto-scored points and a
2-point written answer). Every expected figure is worked out here from the answers, the due date and the
settings, never read back from the code under test:

* a-marked answers everything right; its written answer gets a hand mark of 1.5 later;
* b-truncated's answers file is cut short inside the written answer (a crash): the five auto-scored
  answers before the cut score 13, the written one is offered for hand-marking with its readable beginning;
* c-corrupt's file lost one byte inside the ordering answer: everything else is recovered (13 - 3 = 10);
* d-extended and e-late submit after the due date; d-extended has a 1-hour extension granted before it is
  graded, so it is not late; e-late is, and the course's per-hour penalty (1 point per started hour,
  COURSEKIT_LATE_PENALTY=per-hour:1) takes 1 point off: 13 - 1 = 12.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from test_grading_end_to_end import (
    CORRECT,
    EXPLANATION,
    FIXTURE,
    REPO,
    answers_json,
    fixture_notebook,
    nbgrader_submit,
    run_cli,
)

from coursekit.grading.course import Course

pytestmark = pytest.mark.slow
AUTO = 13.0  # 3 + 4 + 3 + 1 + 2: the fixture's auto-scored points
TEXT = 2.0  # the written answer fx-text
WHOLE = answers_json(CORRECT)
CUT_AT = WHOLE.index("Because of norms") + len("Because of")


def lose_colon(text: str, exercise_id: str) -> str:
    at = text.index('"attempts":', text.index(f'"{exercise_id}"'))
    return text[:at] + '"attempts" ' + text[at + len('"attempts":') :]


ON_TIME = {
    "a-marked": WHOLE,
    "b-truncated": WHOLE[:CUT_AT],
    "c-corrupt": lose_colon(WHOLE, "fx-order"),
}
LATE = {"d-extended": WHOLE, "e-late": WHOLE}


def submit(course: Course, home: Path, student: str, answers: str) -> None:
    folder = home / student / FIXTURE
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(course.release / FIXTURE, folder)
    (folder / "coursekit_answers.json").write_text(answers, encoding="utf-8")
    nbgrader_submit(course, home / student, FIXTURE, student)


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("truth")
    shutil.copy(REPO / "nbgrader_config.py", root)
    (root / "notebooks" / FIXTURE).mkdir(parents=True)
    nbformat.write(fixture_notebook(), root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb")
    saved = {k: os.environ.get(k) for k in ("COURSEKIT_DB_URL", "COURSEKIT_EXCHANGE", "COURSEKIT_LATE_PENALTY")}
    settings = {
        "COURSEKIT_DB_URL": f"sqlite:///{root / 'gradebook.db'}",
        "COURSEKIT_EXCHANGE": str(root.parent / f"{root.name}-exchange"),
        "COURSEKIT_LATE_PENALTY": "per-hour:1",
    }
    env = {**os.environ, **settings}
    os.environ.update(settings)
    try:
        assert run_cli(root, "release", env=env).returncode == 0
        (root / "roster.csv").write_text("id,first_name,last_name\n" + "".join(f"{s},F,L\n" for s in [*ON_TIME, *LATE]))
        assert run_cli(root, "roster", str(root / "roster.csv"), env=env).returncode == 0
        course = Course(root)
        home = root.parent / f"{root.name}-homes"
        for student, answers in ON_TIME.items():
            submit(course, home, student, answers)
        due = datetime.now(timezone.utc)
        time.sleep(1.1)
        for student, answers in LATE.items():
            submit(course, home, student, answers)
        assert run_cli(root, "collect", FIXTURE, env=env).returncode == 0
        due_text = due.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
        assert run_cli(root, "duedate", FIXTURE, due_text, env=env).returncode == 0
        extended = run_cli(root, "extension", "d-extended", FIXTURE, "1", env=env)
        assert extended.returncode == 0 and "applied when their submission is autograded" in extended.stdout
        graded = run_cli(root, "autograde", FIXTURE, env=env)
        assert graded.returncode == 0, graded.stdout + graded.stderr
        yield {"root": root, "env": env, "course": course, "home": home, "graded": graded.stdout, "due": due_text}
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)


def row(summary: str, student: str) -> str:
    (line,) = [line for line in summary.splitlines() if line.startswith(FIXTURE) and line.split()[1] == student]
    return line


def score_of(line: str) -> tuple[float, float]:
    got, of = line.split()[2].split("/")
    return float(got), float(of)


def test_the_first_summary_counts_what_is_left_to_mark(term):
    summary = term["graded"]
    assert score_of(row(summary, "a-marked")) == (AUTO, AUTO + TEXT)
    assert row(summary, "a-marked").split()[3] == "2"  # the written answer, 2 points, to mark
    assert "Still to mark by hand: 10 point(s) in 5 submission(s)." in summary  # a written answer each


def test_a_late_student_regrade_keeps_the_hand_mark_and_the_summary_says_so(term):
    from nbgrader.api import Gradebook

    course = term["course"]
    with Gradebook(course.db_url, course.course_id) as gb:
        grade = gb.find_grade("fx-text", FIXTURE, FIXTURE, "a-marked")
        grade.manual_score, grade.needs_manual_grade = 1.5, False
        gb.db.commit()
    again = run_cli(term["root"], "autograde", FIXTURE, "--student", "a-marked", env=term["env"])
    assert again.returncode == 0, again.stderr
    line = row(again.stdout, "a-marked")
    assert score_of(line) == (AUTO + 1.5, AUTO + TEXT)
    assert line.split()[3] == "nothing" and "1 hand mark kept" in line
    assert "Nothing left to mark by hand. 1 hand mark(s) in the gradebook were kept as they were." in again.stdout
    with Gradebook(course.db_url, course.course_id) as gb:
        grade = gb.find_grade("fx-text", FIXTURE, FIXTURE, "a-marked")
        assert (grade.manual_score, grade.needs_manual_grade) == (1.5, False)


def test_a_truncated_answers_file_is_recovered_and_its_written_answer_offered_for_marking(term):
    from nbgrader.api import Gradebook

    line = row(term["graded"], "b-truncated")
    assert score_of(line) == (AUTO, AUTO + TEXT) and line.split()[3] == "2"
    notes = [n for n in term["graded"].splitlines() if "/ b-truncated:" in n]
    assert any("could still be read and were recovered" in n for n in notes), notes
    assert any("fx-text: the written answer could not be read" in n for n in notes), notes
    course = term["course"]
    with Gradebook(course.db_url, course.course_id) as gb:
        grade = gb.find_grade("fx-text", FIXTURE, FIXTURE, "b-truncated")
        assert grade.auto_score is None and grade.needs_manual_grade
    cell = next(
        c
        for c in nbformat.read(
            term["root"] / "autograded" / "b-truncated" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4
        ).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "fx-text"
    )
    assert "could not be read" in cell.source and "Because&#32;of" in cell.source  # inert, for formgrader
    assert "No written answer" not in cell.source


def test_a_corrupted_byte_costs_only_its_own_answer(term):
    assert score_of(row(term["graded"], "c-corrupt")) == (AUTO - 3, AUTO + TEXT)


def test_an_extension_before_grading_and_the_late_penalty_show_in_summary_and_export(term):
    summary = term["graded"]
    assert ", late" not in row(summary, "d-extended") and score_of(row(summary, "d-extended"))[0] == AUTO
    assert row(summary, "e-late").endswith(", late (penalty 1)")
    assert score_of(row(summary, "e-late"))[0] == AUTO - 1
    root, env = term["root"], term["env"]
    assert run_cli(root, "export", "-o", str(root / "grades.csv"), env=env).returncode == 0
    wide = pd.read_csv(root / "grades-wide.csv", keep_default_na=False).set_index("student")
    assert (
        wide.loc["e-late", f"{FIXTURE} score"] == AUTO - 1 and "late penalty of 1 point" in wide.loc["e-late", "notes"]
    )
    assert wide.loc["d-extended", f"{FIXTURE} late"] not in (True, "True")
    assert run_cli(root, "report", "-o", str(root / "report.html"), env=env).returncode == 0
    assert "late penalty of 1 point" in (root / "report.html").read_text(encoding="utf-8")


def test_an_extension_after_grading_lifts_the_penalty_on_regrade(term):
    root, env = term["root"], term["env"]
    given = run_cli(root, "extension", "e-late", FIXTURE, "2", env=env)
    assert given.returncode == 0 and "Already graded" in given.stdout
    again = run_cli(root, "autograde", FIXTURE, "--student", "e-late", env=env)
    line = row(again.stdout, "e-late")
    assert ", late" not in line and score_of(line)[0] == AUTO


def test_feedback_of_any_kind_before_the_due_date_needs_the_flag(term):
    root, env = term["root"], term["env"]
    future = (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%d %H:%M UTC")
    assert run_cli(root, "duedate", FIXTURE, future, env=env).returncode == 0
    try:
        refused = run_cli(root, "feedback", FIXTURE, env=env)  # scores only, no --keys
        assert refused.returncode == 1 and "--before-due-date" in refused.stderr
        assert not (root / "feedback" / "a-marked").exists()
    finally:
        assert run_cli(root, "duedate", FIXTURE, term["due"], env=env).returncode == 0
    # the class's due date has passed, but d-extended's and e-late's extensions (1 h and 2 h) still run
    waiting = run_cli(root, "feedback", FIXTURE, env=env)
    assert waiting.returncode == 1 and "d-extended, e-late" in waiting.stderr and "--before-due-date" in waiting.stderr
    assert not (root / "feedback" / "a-marked").exists()


def test_the_feedback_page_says_what_a_damaged_file_lost(term):
    root, env = term["root"], term["env"]
    done = run_cli(root, "feedback", FIXTURE, "--before-due-date", env=env)  # extensions still run (above)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (root / "feedback" / "b-truncated" / FIXTURE / f"{FIXTURE}.html").read_text(encoding="utf-8")
    assert "could not be read entirely: it was damaged" in page
    assert "questions 1, 2, 3, 4, 5 could still be read: they were recovered and scored as usual" in page
    assert "The answer to question 6 could not be read" in page
    sixth = page.split("<h2>Question 6</h2>", 1)[1]
    assert "No answer was given" not in sixth and "marks this written answer by hand" in sixth
    assert "Because of" in sixth  # the readable beginning
    sound = (root / "feedback" / "a-marked" / FIXTURE / f"{FIXTURE}.html").read_text(encoding="utf-8")
    assert "could not be read entirely" not in sound and "Your answers file:" not in sound


def test_a_resubmission_after_feedback_is_refused_until_named_then_flagged(term):
    root, env, course = term["root"], term["env"], term["course"]
    assert (root / "feedback" / "a-marked").exists(), "needs the feedback of the test above"
    submit(course, term["home"], "a-marked", answers_json({**CORRECT, "fx-num": 5}))
    refused = run_cli(root, "collect", FIXTURE, env=env)
    assert refused.returncode == 0
    said = [line for line in refused.stdout.splitlines() if "a-marked" in line]
    assert any("--accept-after-feedback a-marked" in line for line in said), refused.stdout
    assert "a-marked" not in refused.stdout.split("collected:", 1)[1].splitlines()[0]
    taken = run_cli(root, "collect", FIXTURE, "--accept-after-feedback", "a-marked", env=env)
    assert "taken after their feedback page went out" in taken.stdout
    again = run_cli(root, "autograde", FIXTURE, "--student", "a-marked", env=env)
    line = row(again.stdout, "a-marked")
    # fx-num is now wrong (-1), the hand mark is kept (+1.5), and the resubmission is late: 1 point per hour
    assert "after feedback" in line and line.endswith(", late (penalty 1)")
    assert score_of(line)[0] == AUTO - 1 + 1.5 - 1


def edit_hidden_test(root: Path, item: str, old: str, new: str) -> None:
    path = root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb"
    nb = nbformat.read(path, as_version=4)
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == item]
    assert old in cell.source
    cell.source = cell.source.replace(old, new)
    nbformat.write(nb, path)


def test_fixkey_refuses_a_key_its_feedback_contradicts_then_rescores_keeping_hand_marks(term):
    from nbgrader.api import Gradebook

    root, env, course = term["root"], term["env"], term["course"]
    edit_hidden_test(root, "fx-ms", '["A", "B"]', '["A", "C"]')
    refused = run_cli(root, "fixkey", FIXTURE, "fx-ms", env=env)
    assert refused.returncode == 1
    assert "explanation" in refused.stderr and "'B'" in refused.stderr and "'C'" in refused.stderr
    edit_hidden_test(root, "fx-ms", EXPLANATION, "C, not B, is the other one: the new reason for the key.")
    edit_hidden_test(root, "fx-ms", '"B": "B is the other one of the pair"', '"B": "B was thought right, it is not"')
    still = run_cli(root, "fixkey", FIXTURE, "fx-ms", env=env)
    assert still.returncode == 1 and "'C'" in still.stderr and "'B'" not in still.stderr
    edit_hidden_test(root, "fx-ms", '"C": "C is a distractor of the fixture"', '"C": "C is the other one, in fact"')
    fixed = run_cli(root, "fixkey", FIXTURE, "fx-ms", env=env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    # everyone chose A and B: under the key A, C that is 1 right and 1 wrong of 2 -> (1/2 - 1/2) * 3 = 0
    assert score_of(row(fixed.stdout, "d-extended"))[0] == AUTO - 3
    line = row(fixed.stdout, "a-marked")
    assert "1 hand mark kept" in line and score_of(line)[0] == AUTO - 1 - 3 + 1.5 - 1  # as above, and fx-ms
    with Gradebook(course.db_url, course.course_id) as gb:
        assert gb.find_grade("fx-text", FIXTURE, FIXTURE, "a-marked").manual_score == 1.5
    again = run_cli(root, "fixkey", FIXTURE, "fx-ms", env=env)  # the gradebook now holds the new key
    assert again.returncode == 1 and "is the one the class was graded with" in again.stderr
