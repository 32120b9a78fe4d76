"""A class of synthetic submissions, honest and hostile, through release → submit → collect → autograde →
feedback → export. Every student's expected score is worked out by hand below, not taken from the code.

Two topics: the real orientation notebook and a fixture topic with one graded exercise of every
auto-scored type (so partial credit is exercised) plus a hand-graded text.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit.authoring import stamp
from coursekit.course import Course

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
FIXTURE = "zz-fixture"
ORIENTATION = "00-orientation"

SETUP = "from coursekit import Choice, Matching, MultipleSelect, Numeric, Ordering, Scenario, ScenarioOption, ScenarioStep, ShortText"
DEFINITIONS = {
    "fx-ms": 'MultipleSelect(id="fx-ms", prompt="Pick the two", choices=[Choice("A"), Choice("B"), Choice("C"), Choice("D")], mode="graded", points=3, outcomes=["LO1"]).show()',
    "fx-match": 'Matching(id="fx-match", prompt="Match", left=["w", "x", "y", "z"], right=["1", "2"], mode="graded", points=4, outcomes=["LO4", "LO5"]).show()',
    "fx-order": 'Ordering(id="fx-order", prompt="Order", items=["c", "a", "b"], mode="graded", points=3, outcomes=["LO5"]).show()',
    "fx-num": 'Numeric(id="fx-num", prompt="Hours?", minimum=0, maximum=200, unit="hours", mode="graded", points=1, outcomes=["LO4"]).show()',
    "fx-scen": '''Scenario(id="fx-scen", prompt="Respond", start="s1", mode="graded", points=2, outcomes=["LO5"], steps=[
    ScenarioStep("s1", "An incident", [ScenarioOption("call", "They pick up.", next_step="s2"), ScenarioOption("wait", "Too late.")]),
    ScenarioStep("s2", "The press calls", [ScenarioOption("say", "Calm."), ScenarioOption("hide", "Rumours.")]),
]).show()''',
    "fx-text": 'ShortText(id="fx-text", prompt="Explain", mode="graded", points=2, outcomes=["LO2"]).show()',
}
KEYS = {
    "fx-ms": '["A", "B"]',
    "fx-match": '{"w": "1", "x": "1", "y": "2", "z": "2"}',
    "fx-order": '["a", "b", "c"]',
    "fx-num": "72",
    "fx-scen": '{"s1": {"call": 1, "wait": 0}, "s2": {"say": 1, "hide": 0}}',
    "fx-text": None,
}
AUTO_MAX = 3 + 4 + 3 + 1 + 2

CORRECT = {"fx-ms": ["A", "B"], "fx-match": {"w": "1", "x": "1", "y": "2", "z": "2"}, "fx-order": ["a", "b", "c"],
           "fx-num": 72, "fx-scen": [["s1", "call"], ["s2", "say"]], "fx-text": "Because of norms."}
WRONG = {"fx-ms": ["C", "D"], "fx-match": {"w": "2", "x": "2", "y": "1", "z": "1"}, "fx-order": ["c", "b", "a"],
         "fx-num": 5, "fx-scen": [["s1", "wait"]], "fx-text": ""}
# ms: 1 right of 2, no wrong -> 1.5; match 2 of 4 -> 2; order [b,a,c]: 2 of 3 pairs -> 2; num 1; scen 1 of 2 -> 1
PARTIAL = {"fx-ms": ["A"], "fx-match": {"w": "1", "x": "1", "y": "1", "z": "1"}, "fx-order": ["b", "a", "c"],
           "fx-num": 72, "fx-scen": [["s1", "call"], ["s2", "hide"]]}
PARTIAL_POINTS = 1.5 + 2 + 2 + 1 + 1


def answers_json(values: dict) -> str:
    return json.dumps({"format": "coursekit-answers", "version": 1, "answers": {
        k: {"value": v, "saved_at": "2026-05-19T10:00:00+00:00", "attempts": 1} for k, v in values.items()}})


def fixture_notebook() -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# Fixture topic\nOne graded exercise of each kind."), new_code_cell(SETUP)]
    for exercise_id, definition in DEFINITIONS.items():
        cells.append(new_code_cell(definition))
        key = f", key={KEYS[exercise_id]}" if KEYS[exercise_id] else ""
        cells.append(new_code_cell(
            f'### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\ncheck("{exercise_id}"{key})\n### END HIDDEN TESTS'))
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    return stamp(nb)


# Each hostile student: the answers they saved and what they did to the notebook.
def _add_cell(code: str, before_first_test: bool = True):
    def edit(nb):
        index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")) if before_first_test else len(nb.cells)
        nb.cells.insert(index, new_code_cell(code))
    return edit


def _edit_locked(nb):
    for cell in nb.cells:
        if 'id="fx-ms"' in cell.source:
            cell.source = cell.source.replace("points=3", "points=300")


def _edit_test_cell(nb):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "fx-match":
            cell.source = "4.0"


def _delete_grade_cell(nb):
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "fx-order"]


def _reorder(nb):
    nb.cells = nb.cells[:2] + list(reversed(nb.cells[2:]))


CHEAT_CHECK = """import coursekit.grading as g
g.check = lambda *a, **k: 1.0  # a plausible score nbgrader accepts for any cell
import coursekit.scoring as s
s.score = lambda *a, **k: None"""
PATCH_JSON = """import json, builtins
json.loads = lambda *a, **k: {"format": "coursekit-answers", "version": 1, "answers": {}}
_real_open = builtins.open
builtins.open = lambda *a, **k: (_ for _ in ()).throw(OSError("patched"))"""
FAKE_FILE = "open('coursekit_answers.json', 'w').write(" + repr(answers_json(CORRECT)) + ")"
SELF_KILL = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
LOOP = "while True:\n    pass"
STUBBORN_LOOP = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.01)"
FLOOD = "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)"

# student: (answers file bytes or None, notebook edit or None, expected auto points, note expected in summary)
CLASS: dict[str, tuple] = {
    "s01-correct": (answers_json(CORRECT), None, AUTO_MAX, None),
    "s02-wrong": (answers_json(WRONG), None, 0, None),
    "s03-partial": (answers_json(PARTIAL), None, PARTIAL_POINTS, None),
    "s04-unanswered": (answers_json({}), None, 0, None),
    "s05-no-file": (None, None, 0, "no answers file"),
    "s06-corrupt": (answers_json(CORRECT)[:40], None, 0, "not valid JSON"),
    "s07-empty": ("", None, 0, "empty"),
    "s08-huge": ("HUGE", None, 0, "larger than"),
    "s09-not-utf8": (answers_json(CORRECT).encode("utf-8").replace(b'"A"', b'"\xff"'), None, 0, "not UTF-8"),
    "s10-wrong-types": (answers_json({**CORRECT, "fx-match": ["w", "1"], "fx-num": "72"}), None, AUTO_MAX - 4 - 1, None),
    "s11-odd-ids": (answers_json({**CORRECT, "../../etc/passwd": "x", "fx-ms/../x": 1}), None, AUTO_MAX, "damaged"),
    "s12-locked-edit": (answers_json(WRONG), _edit_locked, 0, None),
    "s13-test-edit": (answers_json(PARTIAL), _edit_test_cell, PARTIAL_POINTS, None),
    "s14-deleted-cell": (answers_json(CORRECT), _delete_grade_cell, AUTO_MAX, None),
    "s15-reordered": (answers_json(CORRECT), _reorder, AUTO_MAX, None),
    "s16-redefine-check": (answers_json(WRONG), _add_cell(CHEAT_CHECK), 0, "the notebook reported"),
    "s17-patch-json-open": (answers_json(PARTIAL), _add_cell(PATCH_JSON), PARTIAL_POINTS, None),
    "s18-fake-file": (answers_json(WRONG), _add_cell(FAKE_FILE), 0, "the notebook reported"),
    "s19-loop": (answers_json(CORRECT), _add_cell(LOOP), AUTO_MAX, None),
    "s20-stubborn-loop": (answers_json(PARTIAL), _add_cell(STUBBORN_LOOP), PARTIAL_POINTS, "could not be run"),
    "s21-kills-kernel": (answers_json(CORRECT), _add_cell(SELF_KILL), AUTO_MAX, "could not be run"),
    "s22-flood": (answers_json(PARTIAL), _add_cell(FLOOD), PARTIAL_POINTS, None),
    "s23-not-a-notebook": (answers_json(CORRECT), "BROKEN", AUTO_MAX, "could not be run"),
}
ORIENTATION_CLASS = {
    "o1-right": (answers_json({"orientation-graded-submit": "In a file beside the notebook, coursekit_answers.json"}), 1),
    "o2-wrong": (answers_json({"orientation-graded-submit": "Only on the screen, in the widgets"}), 0),
    "o3-none": (None, 0),
}


def run_cli(course_root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coursekit.cli", *args, "--course", str(course_root)],
                          capture_output=True, text=True, cwd=course_root, timeout=1800)


def submit(course: Course, home: Path, topic: str, student: str, answers, edit) -> None:
    folder = home / student / topic
    shutil.copytree(course.release / topic, folder)
    notebook = next(folder.glob("*.ipynb"))
    if edit == "BROKEN":
        notebook.write_text("{ this is not a notebook", encoding="utf-8")
    elif edit is not None:
        nb = nbformat.read(notebook, as_version=4)
        edit(nb)
        nbformat.write(nb, notebook)
    if answers == "HUGE":
        with open(folder / "coursekit_answers.json", "wb") as handle:
            handle.write(b" " * 50_000_000)
    elif answers is not None:
        data = answers if isinstance(answers, bytes) else answers.encode("utf-8")
        (folder / "coursekit_answers.json").write_bytes(data)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "submit", topic, "--student", student, "--course", course.course_id,
         f"--Exchange.root={course.exchange}"],
        cwd=home / student, capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("course")
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "notebooks" / ORIENTATION, root / "notebooks" / ORIENTATION)
    (root / "notebooks" / FIXTURE).mkdir(parents=True)
    nbformat.write(fixture_notebook(), root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb")
    course = Course(root)
    released = run_cli(root, "release")
    assert released.returncode == 0, released.stdout + released.stderr
    home = root.parent / f"{root.name}-homes"
    for student, (answers, edit, _, _) in CLASS.items():
        submit(course, home, FIXTURE, student, answers, edit)
    for student, (answers, _) in ORIENTATION_CLASS.items():
        submit(course, home, ORIENTATION, student, answers, None)
    for topic in (FIXTURE, ORIENTATION):
        collected = subprocess.run([sys.executable, "-m", "coursekit.cli", "collect", topic, "--course", str(root)],
                                   capture_output=True, text=True, cwd=root, timeout=600)
        assert collected.returncode == 0, collected.stderr
    graded = run_cli(root, "autograde", "--jobs", "2", "--cell-timeout", "5", "--student-timeout", "90")
    feedback = run_cli(root, "feedback")
    exported = run_cli(root, "export", "--output", str(root / "grades.csv"))
    return course, graded, feedback, exported


def test_every_submission_was_graded_and_the_run_finished(graded_class):
    course, graded, _, _ = graded_class
    assert graded.returncode == 0, graded.stdout + graded.stderr
    for student in CLASS:
        assert student in graded.stdout
    assert "not graded" not in graded.stdout


def test_scores_are_exactly_what_the_answers_earn(graded_class):
    course, _, _, exported = graded_class
    assert exported.returncode == 0, exported.stderr
    grades = pd.read_csv(course.root / "grades.csv")
    auto = grades[grades.exercise_id != "fx-text"]
    totals = auto.groupby(["topic", "student"]).score.sum()
    for student, (_, _, expected, _) in CLASS.items():
        assert totals[(FIXTURE, student)] == pytest.approx(expected), student
    for student, (_, expected) in ORIENTATION_CLASS.items():
        assert totals[(ORIENTATION, student)] == pytest.approx(expected), student


def test_per_exercise_partial_credit_is_recorded(graded_class):
    course, _, _, _ = graded_class
    grades = pd.read_csv(course.root / "grades.csv").set_index(["student", "exercise_id"])
    expected = {"fx-ms": 1.5, "fx-match": 2, "fx-order": 2, "fx-num": 1, "fx-scen": 1}
    for exercise_id, points in expected.items():
        assert grades.loc[("s03-partial", exercise_id), "score"] == pytest.approx(points), exercise_id


def test_hand_graded_text_waits_for_the_instructor(graded_class):
    course, _, _, _ = graded_class
    grades = pd.read_csv(course.root / "grades.csv")
    text = grades[grades.exercise_id == "fx-text"]
    assert len(text) == len(CLASS) and text.needs_manual_grade.all()


def test_summary_names_who_needs_attention_and_why(graded_class):
    _, graded, _, _ = graded_class
    attention = graded.stdout.split("Needs attention:", 1)[1]
    for student, (_, _, _, note) in CLASS.items():
        if note:
            lines = [l for l in attention.splitlines() if f"/ {student}:" in l]
            assert any(note in l for l in lines), f"{student}: expected a note containing {note!r}, got {lines}"
    assert "s01-correct" not in attention and "s03-partial" not in attention


def test_export_is_tidy_with_learning_outcomes(graded_class):
    course, _, _, exported = graded_class
    grades = pd.read_csv(course.root / "grades.csv")
    assert list(grades.columns) == ["student", "topic", "exercise_id", "type", "mode", "outcomes", "score",
                                    "max_score", "needs_manual_grade"]
    assert len(grades) == len(CLASS) * len(DEFINITIONS) + len(ORIENTATION_CLASS)
    row = grades[(grades.student == "s01-correct") & (grades.exercise_id == "fx-match")].iloc[0]
    assert (row.type, row.outcomes, row.max_score) == ("matching", "LO4;LO5", 4)
    assert "LO5:" in exported.stdout


def test_feedback_is_generated_for_graded_students(graded_class):
    course, _, feedback, _ = graded_class
    assert feedback.returncode == 0, feedback.stdout + feedback.stderr
    for student in ("s01-correct", "s03-partial", "s21-kills-kernel"):
        assert list((course.root / "feedback" / student / FIXTURE).glob("*.html")), student


def test_tampered_notebooks_are_kept_for_the_instructor(graded_class):
    course, _, _, _ = graded_class
    for student in ("s21-kills-kernel", "s23-not-a-notebook"):
        kept = course.root / "quarantine" / student / FIXTURE / f"{FIXTURE}.ipynb"
        assert kept.exists(), student
    assert (course.root / "quarantine" / "s23-not-a-notebook" / FIXTURE / f"{FIXTURE}.ipynb").read_text().startswith("{ this")


def test_release_holds_no_key_or_hidden_test(graded_class):
    course, _, _, _ = graded_class
    released = "\n".join(p.read_text(errors="ignore") for p in (course.root / "release").rglob("*") if p.is_file())
    assert "BEGIN HIDDEN TESTS" not in released and "check(" not in released
    for key in KEYS.values():
        if key and key.startswith(("{", "[")):
            assert key not in released and json.dumps(key)[1:-1] not in released
