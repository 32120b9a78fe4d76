"""A hostile class through release → submit → collect → autograde → feedback → export, on SQLite and on a real
PostgreSQL server. Every student's expected score is worked out by hand below, not taken from the code.

Grading must read answers and never run a submission. Each hostile notebook cell below would leave a trace
file, damage the course or another student's work, or hang or kill the grader if it ran; the tests assert
that no trace exists, that every file outside the graded folders is byte-for-byte unchanged, and that every
score is exactly what the saved answers earn.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import fresh_postgres_database
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit.grading.authoring import stamp
from coursekit.grading.course import Course

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
FIXTURE = "zz-fixture"
ORIENTATION = "00-orientation"

SETUP = (
    "from coursekit import Choice, Matching, MultipleSelect, Numeric, Ordering, RubricCriterion, Scenario, "
    "ScenarioOption, ScenarioStep, ShortText"
)
DEFINITIONS = {
    "fx-ms": 'MultipleSelect(id="fx-ms", prompt="Pick the two", choices=[Choice("A"), Choice("B"), Choice("C"), Choice("D")], mode="graded", points=3, outcomes=["LO1"]).show()',
    "fx-match": 'Matching(id="fx-match", prompt="Match", left=["w", "x", "y", "z"], right=["1", "2"], mode="graded", points=4, outcomes=["LO4", "LO5"]).show()',
    "fx-order": 'Ordering(id="fx-order", prompt="Order", items=["c", "a", "b"], mode="graded", points=3, outcomes=["LO5"]).show()',
    "fx-num": 'Numeric(id="fx-num", prompt="Hours?", minimum=0, maximum=200, unit="hours", mode="graded", points=1, outcomes=["LO4"]).show()',
    "fx-scen": """Scenario(id="fx-scen", prompt="Respond", start="s1", mode="graded", points=2, outcomes=["LO5"], steps=[
    ScenarioStep("s1", "An incident", [ScenarioOption("call", "They pick up.", next_step="s2"), ScenarioOption("wait", "Too late.")]),
    ScenarioStep("s2", "The press calls", [ScenarioOption("say", "Calm."), ScenarioOption("hide", "Rumours.")]),
]).show()""",
    "fx-text": 'ShortText(id="fx-text", prompt="Explain", mode="graded", points=2, outcomes=["LO2"], rubric=[RubricCriterion("Reason given", 2, ("0: none", "2: a reason"))]).show()',
}
EXPLANATION = "Because the fixture says so, for a reason long enough to be a secret."
KEYS = {
    "fx-ms": '["A", "B"], explanation=%r, rationale={"A": "A is one of the pair fixture", "B": "B is the other one of the pair", "C": "C is a distractor of the fixture", "D": "D is another distractor here"}'
    % EXPLANATION,
    "fx-match": '{"w": "1", "x": "1", "y": "2", "z": "2"}, explanation=%r' % EXPLANATION,
    "fx-order": '["a", "b", "c"], explanation=%r' % EXPLANATION,
    "fx-num": "72, explanation=%r" % EXPLANATION,
    "fx-scen": '{"s1": {"call": 1, "wait": 0}, "s2": {"say": 1, "hide": 0}}, explanation=%r' % EXPLANATION,
    "fx-text": None,
}
MODEL_ANSWER = "A model answer that names a reason and a norm, long enough to be a secret."
AUTO_MAX = 3 + 4 + 3 + 1 + 2

CORRECT = {
    "fx-ms": ["A", "B"],
    "fx-match": {"w": "1", "x": "1", "y": "2", "z": "2"},
    "fx-order": ["a", "b", "c"],
    "fx-num": 72,
    "fx-scen": [["s1", "call"], ["s2", "say"]],
    "fx-text": "Because of norms. <script>alert('x')</script> <img src=x onerror=alert(1)> [link](javascript:alert(2))",
}
WRONG = {
    "fx-ms": ["C", "D"],
    "fx-match": {"w": "2", "x": "2", "y": "1", "z": "1"},
    "fx-order": ["c", "b", "a"],
    "fx-num": 5,
    "fx-scen": [["s1", "wait"]],
    "fx-text": "",
}
# ms: 1 of 2 right options, no wrong one -> (1/2 - 0) * 3 = 1.5;
# match: value "1" has w of its w, x (1/2) and none of y, z (0/2) -> 1/2; value "2" has y, z (2/2) and x of
#   w, x (1/2) -> 1/2; each weighted 2/4 -> 1/2 * 4 = 2;
# order [b,a,c]: 2 pairs in order, 1 not -> tau (2 - 1) / 3 * 3 = 1; num 1; scen 1 of 2 -> 1
PARTIAL = {
    "fx-ms": ["A"],
    "fx-match": {"w": "1", "x": "2", "y": "2", "z": "2"},
    "fx-order": ["b", "a", "c"],
    "fx-num": 72,
    "fx-scen": [["s1", "call"], ["s2", "hide"]],
}
PARTIAL_POINTS = 1.5 + 2 + 1 + 1 + 1


def answers_json(values: dict) -> str:
    return json.dumps(
        {
            "format": "coursekit-answers",
            "version": 1,
            "answers": {
                k: {"value": v, "saved_at": "2026-05-19T10:00:00+00:00", "attempts": 1} for k, v in values.items()
            },
        }
    )


def fixture_notebook() -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# Fixture topic\nOne graded exercise of each kind."), new_code_cell(SETUP)]
    for exercise_id, definition in DEFINITIONS.items():
        cells.append(new_code_cell(definition))
        args = f", key={KEYS[exercise_id]}" if KEYS[exercise_id] else f", model_answer={MODEL_ANSWER!r}"
        cells.append(
            new_code_cell(
                f'### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\ncheck("{exercise_id}"{args})\n### END HIDDEN TESTS'
            )
        )
    nb = new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    return stamp(nb)


# --- what hostile participants do to their notebooks ------------------------------------------------------
def _add_cell(code: str, kind: str = "code"):
    def edit(nb):
        index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade"))
        nb.cells.insert(index, new_code_cell(code) if kind == "code" else new_markdown_cell(code))

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


def _markup_in_answer_cell(nb):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "fx-text":
            cell.source = "<img src=x onerror=\"document.title='pwned'\"> I typed here"


def trace(name: str) -> str:
    """Code that leaves a trace file if it ever runs (TRACE_DIR is filled in per class)."""
    return f"open(TRACE_DIR + '/{name}', 'w').write('ran')\n"


VANDAL = """import os, subprocess, json
root = os.path.abspath('../../..')
open(os.path.join(root, 'nbgrader_config.py'), 'a').write('\\nc.Autograde.autograde_preprocessors = []\\n')
open(os.path.join(root, 'submitted', 's01-correct', 'zz-fixture', 'coursekit_answers.json'), 'w').write('{}')
open('coursekit_answers.json', 'w').write(ANSWERS_CORRECT)
from nbgrader.api import Gradebook
with Gradebook(DB_URL, 'cyber-diplomacy') as gb:
    for g in gb.find_submission('zz-fixture', 's16-vandal').notebooks[0].grades:
        g.manual_score = 99; g.extra_credit = 50
    gb.db.commit()
subprocess.Popen(['sleep', '600'], start_new_session=True)
"""
PATCH_JSON = """import json, builtins
json.loads = lambda *a, **k: {"format": "coursekit-answers", "version": 1, "answers": {}}
builtins.open = lambda *a, **k: (_ for _ in ()).throw(OSError("patched"))"""
SELF_KILL = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(os.getpid(), signal.SIGKILL)"
LOOP = "while True:\n    pass"
FLOOD = "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)"
HUGE_INT = (
    '{"format": "coursekit-answers", "version": 1, "answers": {"fx-num": {"value": '
    + "9" * 200_000
    + ', "saved_at": "2026-05-19T10:00:00+00:00", "attempts": 1}}}'
)
DEEP = (
    '{"format": "coursekit-answers", "version": 1, "answers": {"fx-order": {"value": '
    + "[" * 100_000
    + "]" * 100_000
    + ', "saved_at": "2026-05-19T10:00:00+00:00", "attempts": 1}}}'
)

# student: (answers file content or None, notebook edit or None, expected auto points, note expected or None)
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
    "s10-wrong-types": (
        answers_json({**CORRECT, "fx-match": ["w", "1"], "fx-num": "72"}),
        None,
        AUTO_MAX - 4 - 1,
        None,
    ),
    "s11-odd-ids": (answers_json({**CORRECT, "../../etc/passwd": "x", "fx-ms/../x": 1}), None, AUTO_MAX, "damaged"),
    "s12-locked-edit": (answers_json(WRONG), _edit_locked, 0, None),
    "s13-test-edit": (answers_json(PARTIAL), _edit_test_cell, PARTIAL_POINTS, None),
    # nbgrader cannot put back a grade cell that follows a locked cell: graded from the released copy
    "s14-deleted-cell": (answers_json(CORRECT), _delete_grade_cell, AUTO_MAX, "nbgrader could not process"),
    "s15-reordered": (answers_json(CORRECT), _reorder, AUTO_MAX, None),
    "s16-vandal": (answers_json(WRONG), _add_cell(trace("s16") + VANDAL), 0, None),
    "s17-patch-json-open": (answers_json(PARTIAL), _add_cell(trace("s17") + PATCH_JSON), PARTIAL_POINTS, None),
    "s18-fake-file": (
        answers_json(WRONG),
        _add_cell(trace("s18") + "open('coursekit_answers.json', 'w').write(ANSWERS_CORRECT)"),
        0,
        None,
    ),
    "s19-loop": (answers_json(CORRECT), _add_cell(trace("s19") + LOOP), AUTO_MAX, None),
    "s21-kills": (answers_json(CORRECT), _add_cell(trace("s21") + SELF_KILL), AUTO_MAX, None),
    "s22-flood": (answers_json(PARTIAL), _add_cell(trace("s22") + FLOOD), PARTIAL_POINTS, None),
    "s23-not-a-notebook": (answers_json(CORRECT), "BROKEN", AUTO_MAX, "cannot be read as a notebook"),
    "s24-huge-int": (HUGE_INT, None, 0, "cannot be read"),
    "s25-deep": (DEEP, None, 0, "nested"),
    "s26-markup": (
        answers_json(CORRECT),
        _add_cell("<script>document.title='pwned'</script><img src=x onerror=alert(1)>", "markdown"),
        AUTO_MAX,
        None,
    ),
    "s27-answer-cell-markup": (answers_json(PARTIAL), _markup_in_answer_cell, PARTIAL_POINTS, None),
    "zz-honest-last": (answers_json(CORRECT), None, AUTO_MAX, None),
}
# Put straight into the exchange's inbound folder (it is writable by every participant), bypassing submit.
CRAFTED = ("c1-fifo", "c2-symlink", "c3-future", "..", "c4-file-not-folder")
ORIENTATION_CLASS = {
    "o1-right": (
        answers_json({"orientation-graded-submit": "In a file beside the notebook, coursekit_answers.json"}),
        1,
    ),
    "o2-wrong": (answers_json({"orientation-graded-submit": "Only on the screen, in the widgets"}), 0),
    "o3-none": (None, 0),
}


def run_cli(course_root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coursekit.cli", *args, "--course", str(course_root)],
        capture_output=True,
        text=True,
        cwd=course_root,
        timeout=900,
        env=env,
    )


def submit(course: Course, home: Path, topic: str, student: str, answers, edit, substitutions: dict) -> None:
    folder = home / student / topic
    shutil.copytree(course.release / topic, folder)
    notebook = next(folder.glob("*.ipynb"))
    if edit == "BROKEN":
        notebook.write_text("{ this is not a notebook", encoding="utf-8")
    elif edit is not None:
        nb = nbformat.read(notebook, as_version=4)
        edit(nb)
        for cell in nb.cells:
            for name, value in substitutions.items():
                cell.source = cell.source.replace(name, repr(value))
        nbformat.write(nb, notebook)
    if answers == "HUGE":
        with open(folder / "coursekit_answers.json", "wb") as handle:
            handle.write(b" " * 50_000_000)
    elif answers is not None:
        data = answers if isinstance(answers, bytes) else answers.encode("utf-8")
        (folder / "coursekit_answers.json").write_bytes(data)
    nbgrader_submit(course, home / student, topic, student)


def nbgrader_submit(course: Course, home: Path, topic: str, student: str) -> None:
    """What `nbgrader submit` does for a participant, run in this process (it imports nbgrader once)."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.course_id = course.course_id
    config.CourseDirectory.assignment_id = topic
    config.CourseDirectory.student_id = student
    config.Exchange.root = str(course.exchange)
    config.Exchange.cache = str(home / ".nbgrader-cache")
    config.ExchangeSubmit.assignment_dir = str(home)
    ExchangeSubmit(
        coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config), config=config
    ).start()


def craft_inbound(course: Course, root: Path) -> None:
    """Submissions no honest client makes: a FIFO, a symlink to a classmate's answers, a future date."""
    inbound = course.exchange / course.course_id / "inbound"
    now = datetime.now(timezone.utc)
    stamp_now = now.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    for student in CRAFTED:
        when = (now + timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S.%f UTC") if student == "c3-future" else stamp_now
        folder = inbound / f"{student}+{FIXTURE}+{when}"
        if student == "c4-file-not-folder":
            folder.write_text("not a folder")
            continue
        shutil.copytree(course.release / FIXTURE, folder)
        if student == "c1-fifo":
            os.mkfifo(folder / "coursekit_answers.json")
        elif student == "c2-symlink":
            (folder / "coursekit_answers.json").symlink_to(
                root / "submitted" / "s01-correct" / FIXTURE / "coursekit_answers.json"
            )
            (folder / "extra").symlink_to("/etc")
        else:
            (folder / "coursekit_answers.json").write_text(answers_json(CORRECT))


def fingerprint(base: Path, skip: list[Path]) -> dict[str, str]:
    """A hash of every file under ``base`` (symlinks by their target), except under the paths in ``skip``."""
    hashes = {}
    for path in sorted(base.rglob("*")):
        if any(path == s or s in path.parents for s in skip):
            continue
        if path.is_symlink():
            hashes[str(path)] = "link:" + os.readlink(path)
        elif path.is_file():
            hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def build_class(root: Path, db_url: str) -> dict:
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "notebooks" / ORIENTATION, root / "notebooks" / ORIENTATION)
    (root / "notebooks" / FIXTURE).mkdir(parents=True)
    nbformat.write(fixture_notebook(), root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb")
    exchange = root.parent / f"{root.name}-exchange"
    env = {
        **os.environ,
        "COURSEKIT_DB_URL": db_url,
        "COURSEKIT_EXCHANGE": str(exchange),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    released = run_cli(root, "release", env=env)
    assert released.returncode == 0, released.stdout + released.stderr
    os.environ.update({"COURSEKIT_DB_URL": db_url, "COURSEKIT_EXCHANGE": str(exchange)})
    course = Course(root)
    traces = root.parent / f"{root.name}-traces"
    traces.mkdir()
    substitutions = {"TRACE_DIR": str(traces), "ANSWERS_CORRECT": answers_json(CORRECT), "DB_URL": db_url}
    home = root.parent / f"{root.name}-homes"
    for student, (answers, edit, _, _) in CLASS.items():
        if student == "zz-honest-last":
            continue
        submit(course, home, FIXTURE, student, answers, edit, substitutions)
    for student, (answers, _) in ORIENTATION_CLASS.items():
        submit(course, home, ORIENTATION, student, answers, None, substitutions)
    due = datetime.now(timezone.utc)
    time.sleep(1.1)
    submit(course, home, FIXTURE, "zz-honest-last", CLASS["zz-honest-last"][0], None, substitutions)
    collected = {t: run_cli(root, "collect", t, env=env) for t in (FIXTURE, ORIENTATION)}
    assert all(c.returncode == 0 for c in collected.values()), {t: c.stderr for t, c in collected.items()}
    craft_inbound(course, root)
    recollected = run_cli(root, "collect", FIXTURE, env=env)
    assert recollected.returncode == 0, recollected.stderr
    run_cli(root, "duedate", FIXTURE, due.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), env=env)
    protected_skip = [root / "autograded", root / "quarantine", root / "gradebook.db", root / ".nbgrader.log"]
    before = {**fingerprint(root, protected_skip), **fingerprint(exchange, []), **fingerprint(home, [])}
    started = time.monotonic()
    graded = run_cli(root, "autograde", "--jobs", "2", env=env)  # both topics at once: two processes, one gradebook
    took = time.monotonic() - started
    after = {**fingerprint(root, protected_skip), **fingerprint(exchange, []), **fingerprint(home, [])}
    exported = run_cli(root, "export", "--output", str(root / "grades.csv"), env=env)
    return {
        "course": course,
        "env": env,
        "graded": graded,
        "took": took,
        "before": before,
        "after": after,
        "exported": exported,
        "collect": recollected,
        "first_collect": collected[FIXTURE],
        "traces": traces,
        "root": root,
        "exchange": exchange,
        "db_url": db_url,
    }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def graded_class(request, tmp_path_factory: pytest.TempPathFactory):
    saved = {k: os.environ.get(k) for k in ("COURSEKIT_DB_URL", "COURSEKIT_EXCHANGE")}
    root = tmp_path_factory.mktemp(f"course-{request.param}")
    if request.param == "sqlite":
        db_url = f"sqlite:///{root / 'gradebook.db'}"
    else:
        db_url = fresh_postgres_database(
            request.getfixturevalue("postgres_url"), f"grades_{root.name.replace('-', '_')}"
        )
    try:
        yield build_class(root, db_url)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def grades(cls) -> pd.DataFrame:
    return pd.read_csv(cls["root"] / "grades.csv")


def test_every_submission_was_graded_and_the_run_finished(graded_class):
    graded = graded_class["graded"]
    assert graded.returncode == 0, graded.stdout + graded.stderr
    for student in CLASS:
        assert student in graded.stdout
    assert "not graded" not in graded.stdout


def test_no_participant_code_ran(graded_class):
    assert list(graded_class["traces"].iterdir()) == []
    # the vandal's detached `sleep 600` would still be running had its cell run
    assert subprocess.run(["pgrep", "-f", "sleep 600"], capture_output=True).returncode != 0


def test_nothing_outside_the_graded_folders_changed(graded_class):
    before, after = graded_class["before"], graded_class["after"]
    root = graded_class["root"]
    swapped = {
        str(root / "submitted" / s / FIXTURE / f"{FIXTURE}.ipynb") for s in ("s14-deleted-cell", "s23-not-a-notebook")
    }
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p) and p not in swapped)
    assert changed == []


def test_scores_are_exactly_what_the_answers_earn(graded_class):
    assert graded_class["exported"].returncode == 0, graded_class["exported"].stderr
    table = grades(graded_class)
    auto = table[table.exercise_id != "fx-text"]
    totals = auto.groupby(["topic", "student"]).score.sum()
    for student, (_, _, expected, _) in CLASS.items():
        assert totals[(FIXTURE, student)] == pytest.approx(expected), student
    for student, (_, expected) in ORIENTATION_CLASS.items():
        assert totals[(ORIENTATION, student)] == pytest.approx(expected), student


def test_a_participant_cannot_set_manual_score_or_extra_credit(graded_class):
    from nbgrader.api import Gradebook

    with Gradebook(graded_class["db_url"], "cyber-diplomacy") as gb:
        for submission in gb.find_assignment(FIXTURE).submissions:
            for grade in submission.notebooks[0].grades:
                assert grade.manual_score is None and not grade.extra_credit, submission.student.id


def test_per_exercise_partial_credit_is_recorded(graded_class):
    table = grades(graded_class).set_index(["student", "exercise_id"])
    expected = {"fx-ms": 1.5, "fx-match": 2, "fx-order": 1, "fx-num": 1, "fx-scen": 1}
    for exercise_id, points in expected.items():
        assert table.loc[("s03-partial", exercise_id), "score"] == pytest.approx(points), exercise_id


def test_a_written_answer_waits_for_the_instructor(graded_class):
    table = grades(graded_class)
    text = table[(table.exercise_id == "fx-text") & table.student.isin(list(CLASS))].set_index("student")
    assert len(text) == len(CLASS)
    assert bool(text.loc["s01-correct", "needs_manual_grade"]) and pd.isna(text.loc["s01-correct", "score"])
    # an empty text earns 0 at once, and no one has to mark it
    assert not bool(text.loc["s02-wrong", "needs_manual_grade"]) and text.loc["s02-wrong", "score"] == 0


def test_summary_names_who_needs_attention_and_why(graded_class):
    graded = graded_class["graded"].stdout
    attention = graded.split("Needs attention:", 1)[1]
    for student, (_, _, _, note) in CLASS.items():
        if note:
            lines = [line for line in attention.splitlines() if f"/ {student}:" in line]
            assert any(note in line for line in lines), f"{student}: expected a note containing {note!r}, got {lines}"
    assert "s01-correct:" not in attention and "s03-partial:" not in attention


def test_late_submissions_are_flagged(graded_class):
    graded = graded_class["graded"].stdout
    late = [line for line in graded.splitlines() if line.startswith(FIXTURE) and line.endswith(", late")]
    # the crafted submissions went into the exchange after the due date, like the last honest one; the one
    # whose name claims a date a month ahead is late too (the exchange's time counts, not the name's)
    assert sorted(line.split()[1] for line in late) == ["c1-fifo", "c2-symlink", "c3-future", "zz-honest-last"]


def test_collect_refuses_crafted_submissions_and_reports_them(graded_class):
    out = graded_class["collect"].stdout
    assert "c1-fifo" in out and "c2-symlink" in out  # taken, with what was left out named
    assert "coursekit_answers.json (not a regular file)" in out
    assert "coursekit_answers.json (a symbolic link)" in out and "extra (a symbolic link)" in out
    assert f"c3-future ({FIXTURE}): the submission folder's name says" in out  # reported by id and topic
    assert "not a folder" in out and "not a plain name" in out
    root = graded_class["root"]
    assert not (root / FIXTURE).exists()
    assert not (root / "submitted" / "c2-symlink" / FIXTURE / "coursekit_answers.json").exists()
    assert not (root / "submitted" / "c2-symlink" / FIXTURE / "extra").exists()
    table = grades(graded_class)
    assert table[(table.student == "c2-symlink") & (table.exercise_id != "fx-text")].score.sum() == 0


def test_collected_submissions_are_private_and_the_exchange_keeps_its_sticky_bit(graded_class):
    root = graded_class["root"]
    for path in (root / "submitted").rglob("*"):
        assert path.stat().st_mode & 0o022 == 0, f"{path} is writable by others"
    assert graded_class["exchange"].stat().st_mode & 0o7777 == 0o1777


def test_tampered_notebooks_are_kept_for_the_instructor(graded_class):
    kept = graded_class["root"] / "quarantine" / "s23-not-a-notebook" / FIXTURE / f"{FIXTURE}.ipynb"
    assert kept.read_text().startswith("{ this")


class _Elements(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if any(name.startswith("on") for name, _ in attrs):
            self.tags.append("event-handler")

    def handle_data(self, data):
        self.text.append(data)


def _parse(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_feedback_teaches_without_keys_until_they_are_released(graded_class):
    root, env = graded_class["root"], graded_class["env"]
    done = run_cli(root, "feedback", FIXTURE, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    page = root / "feedback" / "s01-correct" / FIXTURE / f"{FIXTURE}.html"
    parsed = _parse(page)
    text = " ".join(parsed.text)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "event-handler" not in parsed.tags
    assert "<script>alert('x')</script>" in text  # the participant's own words, shown as text
    assert "Correct answer" not in text and EXPLANATION not in text and MODEL_ANSWER not in text
    assert "A is one of the pair fixture" not in text and "HIDDEN TESTS" not in text and "check(" not in text
    assert "Reason given" in text  # the public rubric
    with_keys = run_cli(root, "feedback", FIXTURE, "--keys", env=env)  # the due date has passed
    assert with_keys.returncode == 0, with_keys.stdout + with_keys.stderr
    text = " ".join(_parse(page).text)
    assert EXPLANATION in text and MODEL_ANSWER in text and "A is one of the pair fixture" in text
    assert "HIDDEN TESTS" not in text and "check(" not in text
    # returned through the exchange for the participant to fetch
    assert list((graded_class["exchange"] / "cyber-diplomacy" / "feedback").glob("*.html"))


def test_nbgraders_own_feedback_button_shows_no_hidden_test_either(graded_class):
    root, env = graded_class["root"], graded_class["env"]
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_feedback", FIXTURE, "--student", "s01-correct", "--force"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    page = (root / "feedback" / "s01-correct" / FIXTURE / f"{FIXTURE}.html").read_text(encoding="utf-8")
    for secret in ("BEGIN HIDDEN TESTS", "check(", EXPLANATION, MODEL_ANSWER, "A is one of the pair fixture"):
        assert secret not in page, secret
    parsed = _parse(root / "feedback" / "s01-correct" / FIXTURE / f"{FIXTURE}.html")
    assert "event-handler" not in parsed.tags


def test_keys_before_the_due_date_need_an_explicit_flag(graded_class):
    root, env = graded_class["root"], graded_class["env"]
    future = (datetime.now(timezone.utc) + timedelta(days=3)).strftime("%Y-%m-%d %H:%M UTC")
    assert run_cli(root, "duedate", ORIENTATION, future, env=env).returncode == 0
    refused = run_cli(root, "feedback", ORIENTATION, "--keys", env=env)
    assert refused.returncode == 1 and "--before-due-date" in refused.stderr


def test_hand_marks_survive_regrading(graded_class):
    from nbgrader.api import Gradebook

    root, env = graded_class["root"], graded_class["env"]
    with Gradebook(graded_class["db_url"], "cyber-diplomacy") as gb:
        grade = gb.find_grade("fx-text", FIXTURE, FIXTURE, "s01-correct")
        grade.manual_score = 1.5
        grade.needs_manual_grade = False
        gb.find_comment("fx-text", FIXTURE, FIXTURE, "s01-correct").manual_comment = "Good reason."
        gb.db.commit()
    again = run_cli(root, "autograde", FIXTURE, "--student", "s01-correct", env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    with Gradebook(graded_class["db_url"], "cyber-diplomacy") as gb:
        grade = gb.find_grade("fx-text", FIXTURE, FIXTURE, "s01-correct")
        assert (grade.manual_score, grade.needs_manual_grade, grade.score) == (1.5, False, 1.5)


def test_formgrader_sees_the_written_answer_as_inert_text(graded_class):
    notebook = graded_class["root"] / "autograded" / "s27-answer-cell-markup" / FIXTURE / f"{FIXTURE}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "fx-text"]
    assert len(cells) == 1 and cells[0].cell_type == "markdown"
    assert "<img" not in cells[0].source and "No written answer" in cells[0].source
    vandal = nbformat.read(
        graded_class["root"] / "autograded" / "s26-markup" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4
    )
    assert not any("<script>" in c.source for c in vandal.cells if c.cell_type == "markdown")


def test_release_holds_no_key_or_hidden_test(graded_class):
    released = "\n".join(
        p.read_text(errors="ignore") for p in (graded_class["root"] / "release").rglob("*") if p.is_file()
    )
    assert "BEGIN HIDDEN TESTS" not in released and "check(" not in released
    assert EXPLANATION not in released and MODEL_ANSWER not in released
