"""Compiled plans: written once by `coursekit author` and `coursekit release`, read by every instructor command.

The fast tests hold the committed plans to their notebooks and their schema, and check every way a plan is
refused (missing, damaged, stale) names the file and `coursekit author`. The slow one grades a class, then
makes the source notebooks unreadable and runs collect, autograde, feedback, export, report and the book's
outcomes page again: the same grades, worked out by hand, with no notebook read or run.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit.core import schemas
from coursekit.core.exercises import EXERCISE_TYPES
from coursekit.grading.authoring import source_notebooks, stamp
from coursekit.grading.plans import (
    PlanError,
    code_hash,
    compile_plan,
    load_plan,
    plan_data,
    plan_from_data,
    plan_path,
    write_plan,
)

REPO = Path(__file__).resolve().parents[1]
SOURCES = source_notebooks(REPO / "notebooks")
SETUP = "from coursekit import Choice, ShortText, RubricCriterion, SingleChoice"
GRADED = (
    'SingleChoice(id="g1", prompt="p", choices=[Choice("a"), Choice("b")], mode="graded", points=3, '
    'outcomes=["LO1"], demand="decision").show()'
)
TEST = (
    "### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\n"
    'check("g1", key="a", explanation="Because a is the one.", rationale={"a": "Right.", "b": "Wrong."})\n'
    "### END HIDDEN TESTS"
)
PRACTICE = (
    'SingleChoice(id="p1", prompt="q", choices=[Choice("x", "Yes: x."), Choice("y", "No: y.")], key="x", '
    'outcomes=["LO2"]).show()'
)


def _topic(root: Path, *sources: str, name: str = "t01") -> Path:
    """A course root with one stamped source notebook; returns the notebook."""
    folder = root / "notebooks" / name
    folder.mkdir(parents=True)
    cells = [new_markdown_cell("# T")] + [new_code_cell(s) for s in (SETUP, *sources)]
    nbformat.write(stamp(new_notebook(cells=cells)), folder / f"{name}.ipynb")
    return folder / f"{name}.ipynb"


# --- the committed plans ------------------------------------------------------------------------------------


@pytest.mark.parametrize("notebook", SOURCES, ids=lambda p: p.parent.name)
def test_every_topic_has_a_fresh_plan_that_validates(notebook: Path):
    path = plan_path(notebook)
    assert path == REPO / "plans" / f"{notebook.parent.name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert schemas.problems(data, schemas.PLAN) == []
    assert data["notebook_sha256"] == code_hash(nbformat.read(notebook, as_version=4))
    plan = load_plan(notebook)
    assert plan.topic == notebook.parent.name and plan.notebook == notebook.name and plan.all_exercises


def test_plans_never_sit_where_nbgrader_copies_files_into_a_release():
    """nbgrader copies every file of a source folder into the release: a plan there would hand out its keys."""
    assert not [p for p in (REPO / "notebooks").rglob("*.json")]


def test_a_plan_holds_what_the_notebook_defines_and_reads_back_the_same(tmp_path):
    notebook = _topic(tmp_path, PRACTICE, GRADED, TEST)
    compiled = compile_plan(notebook)
    assert list(compiled.all_exercises) == ["p1", "g1"] and compiled.graded_ids == ["g1"]
    assert compiled.keyed["g1"].key == "a" and compiled.all_exercises["g1"].key is None
    assert compiled.hidden["g1"].rationale == {"a": "Right.", "b": "Wrong."}
    assert 'check("g1", key="a", explanation="Because a is the one.", rationale={"a": "Right.", "b": "Wrong."})' in (
        compiled.leak_secrets(answers=False)
    )
    data = json.loads(json.dumps(plan_data(compiled, "0" * 64)))  # through JSON, as on disk
    assert plan_from_data(data) == compiled


def test_the_plan_schema_names_every_field_of_every_exercise_type():
    """A field added to an exercise type and not to the schema would make every plan fail to load."""
    per_type = {
        rule["if"]["properties"]["type"]["const"]: set(rule["then"]["properties"])
        for rule in schemas.load(schemas.PLAN)["$defs"]["exercise"]["allOf"]
        if "type" in rule["if"]["properties"]
    }
    assert set(per_type) == set(EXERCISE_TYPES)
    for kind, cls in EXERCISE_TYPES.items():
        assert per_type[kind] == {"type"} | {f.name for f in dataclasses.fields(cls)}, kind


def test_a_graded_exercise_carrying_its_key_in_a_plan_breaks_the_schema(tmp_path):
    notebook = _topic(tmp_path, GRADED, TEST)
    write_plan(notebook)
    data = json.loads(plan_path(notebook).read_text(encoding="utf-8"))
    data["exercises"][0]["key"] = "a"
    assert any(p.startswith("exercises/0") for p in schemas.problems(data, schemas.PLAN))


def test_writing_twice_changes_nothing_and_check_only_writes_nothing(tmp_path):
    notebook = _topic(tmp_path, GRADED, TEST)
    assert write_plan(notebook, check_only=True) and not plan_path(notebook).exists()
    assert write_plan(notebook)
    assert not write_plan(notebook)


# --- refused plans ------------------------------------------------------------------------------------------


def test_a_missing_plan_names_the_command(tmp_path):
    notebook = _topic(tmp_path, GRADED, TEST)
    with pytest.raises(PlanError, match=r"t01 has no compiled plan .*plans/t01\.json.*`coursekit author`"):
        load_plan(notebook)


def test_a_plan_older_than_its_notebook_is_refused(tmp_path):
    notebook = _topic(tmp_path, GRADED, TEST)
    write_plan(notebook)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[-1].source = nb.cells[-1].source.replace('key="a"', 'key="b"')  # the key changed after compiling
    nbformat.write(nb, notebook)
    with pytest.raises(PlanError, match=r"plans/t01\.json is older than .*t01\.ipynb.*`coursekit author`"):
        load_plan(notebook)
    write_plan(notebook)
    assert load_plan(notebook).keyed["g1"].key == "b"


def test_prose_and_outputs_leave_a_plan_fresh(tmp_path):
    notebook = _topic(tmp_path, GRADED, TEST)
    write_plan(notebook)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[0].source += "\n\nA new paragraph."
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="shown\n")]
    nbformat.write(nb, notebook)
    assert load_plan(notebook).keyed["g1"].key == "a"


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda text: text[: len(text) // 2], "cannot be read"),
        (lambda text: "\udcff", "cannot be read"),
        (lambda text: text.replace('"format": "coursekit-plan"', '"format": "other"'), "damaged \\(format"),
        (lambda text: text.replace('"points": 3,', '"points": "three",', 1), "damaged \\(exercises/0/points"),
        (lambda text: text.replace('"key": "a"', '"key": "c"'), "damaged \\(Key for 'g1' is not valid"),
    ],
    ids=["truncated", "not-utf8", "foreign", "schema", "key-not-an-option"],
)
def test_a_damaged_plan_names_the_file_and_the_command(tmp_path, damage, says):
    notebook = _topic(tmp_path, GRADED, TEST)
    write_plan(notebook)
    path = plan_path(notebook)
    text = damage(path.read_text(encoding="utf-8"))
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    with pytest.raises(PlanError, match=rf"{re.escape(str(path))}.*{says}.*`coursekit author`"):
        load_plan(notebook)


def test_a_notebook_that_cannot_be_read_leaves_its_plan_standing(tmp_path):
    """Nothing to compare with: what was compiled (and released) is what is graded."""
    notebook = _topic(tmp_path, GRADED, TEST)
    write_plan(notebook)
    notebook.write_text("{ not a notebook", encoding="utf-8")
    assert load_plan(notebook).keyed["g1"].key == "a"
    notebook.unlink()
    assert load_plan(notebook).keyed["g1"].key == "a"


# --- every instructor command with the notebooks unreadable -------------------------------------------------


@pytest.mark.slow
def test_instructor_commands_read_plans_never_notebooks(tmp_path, monkeypatch):
    """Release (which compiles the plans), submit three answers files, then make the source notebooks garbage
    and unreadable: collect, autograde, feedback, export, report and the outcomes page still work, and the
    grades are what the answers earn. A notebook whose code then changes stops autograde at its stale plan."""
    from test_grading_end_to_end import (
        AUTO_MAX,
        CORRECT,
        EXPLANATION,
        FIXTURE,
        PARTIAL,
        PARTIAL_POINTS,
        WRONG,
        answers_json,
        fixture_notebook,
        nbgrader_submit,
        run_cli,
    )

    from coursekit.book.build import outcomes_matrix
    from coursekit.grading.course import Course

    root = tmp_path / "course"
    (root / "notebooks" / FIXTURE).mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    notebook = root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb"
    nbformat.write(fixture_notebook(), notebook)
    for name, value in {
        "COURSEKIT_DB_URL": f"sqlite:///{root / 'gradebook.db'}",
        "COURSEKIT_EXCHANGE": str(tmp_path / "exchange"),
    }.items():
        monkeypatch.setenv(name, value)
    env = dict(os.environ)

    def cli(*args: str) -> str:
        done = run_cli(root, *args, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    cli("release")
    assert plan_path(notebook).is_file()
    course = Course(root)
    expected = {"s1-right": AUTO_MAX, "s2-partial": PARTIAL_POINTS, "s3-wrong": 0.0}
    for student, answers in zip(expected, (CORRECT, PARTIAL, WRONG)):
        folder = tmp_path / "home" / student / FIXTURE
        shutil.copytree(course.release / FIXTURE, folder)
        (folder / "coursekit_answers.json").write_text(answers_json(answers), encoding="utf-8")
        nbgrader_submit(course, tmp_path / "home" / student, FIXTURE, student)

    notebook.write_text("{ garbage: no notebook here", encoding="utf-8")
    notebook.chmod(0)  # unreadable as well, for an instructor who is not root
    try:
        assert "3 submission(s)" in cli("collect", FIXTURE)
        cli("autograde", FIXTURE)
        cli("feedback", FIXTURE)
        cli("feedback", FIXTURE, "--keys")
        cli("export", "--output", str(root / "grades.csv"))
        cli("report", "--output", str(root / "report.html"))
        page = outcomes_matrix(course)
    finally:
        notebook.chmod(0o644)
    grades = pd.read_csv(root / "grades.csv")
    totals = grades[grades["topic"] == FIXTURE].groupby("student")["score"].sum().to_dict()
    assert totals == pytest.approx(expected)
    assert EXPLANATION in (root / "feedback" / "s1-right" / FIXTURE / f"{FIXTURE}.html").read_text(encoding="utf-8")
    assert "s2-partial" in (root / "report.html").read_text(encoding="utf-8")
    assert f"| {FIXTURE} | `fx-ms` | multiple-select | graded | - | 3 | LO1 |" in page

    stale = fixture_notebook()
    stale.cells[2].source = stale.cells[2].source.replace("points=3", "points=4")
    nbformat.write(stale, notebook)
    refused = run_cli(root, "autograde", FIXTURE, env=env)
    assert refused.returncode != 0
    assert f"The plan {plan_path(notebook)} is older than" in refused.stderr and "`coursekit author`" in refused.stderr


def test_the_plan_schema_states_the_codes_own_constants():
    from coursekit.core.exercises import DEMANDS
    from coursekit.core.ids import EXERCISE_ID_PATTERN
    from coursekit.grading.plans import FORMAT_NAME, FORMAT_VERSION

    schema = schemas.load(schemas.PLAN)
    exercise = schema["$defs"]["exercise"]["properties"]
    assert schema["properties"]["format"]["const"] == FORMAT_NAME
    assert schema["properties"]["version"]["const"] == FORMAT_VERSION
    assert exercise["id"]["pattern"] == EXERCISE_ID_PATTERN
    assert schema["properties"]["hidden"]["items"]["properties"]["exercise_id"]["pattern"] == EXERCISE_ID_PATTERN
    assert set(exercise["type"]["enum"]) == set(EXERCISE_TYPES)
    assert set(exercise["demand"]["enum"]) == {"", *DEMANDS}
