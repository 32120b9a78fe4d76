"""The JSON Schemas in the package describe what the code really produces, and refuse what it must not.

The exercise spec: every exercise of every source notebook (and the topic choosers' scenarios) as the
renderer receives it. The answers file: what the store writes, and the examples of book/answers-format.md.
Crafted bad instances fail with a message that says where and what.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from coursekit.core import schemas, store
from coursekit.core.exercises import DEMANDS, EXERCISE_TYPES
from coursekit.core.ids import EXERCISE_ID_PATTERN
from coursekit.core.saved_at import SAVED_AT_PATTERN
from coursekit.grading.authoring import source_notebooks
from coursekit.grading.hidden_tests import load_plan
from coursekit.render.spec import exercise_spec
from coursekit.topics import forum_chooser, tool_chooser

REPO = Path(__file__).resolve().parents[1]
PAGE = (REPO / "book" / "answers-format.md").read_text(encoding="utf-8")
ANSWERS, SPEC = schemas.ANSWERS_FILE, schemas.EXERCISE_SPEC


@pytest.fixture(scope="module")
def course_specs() -> list[dict]:
    specs = []
    for notebook in source_notebooks(REPO / "notebooks"):
        plan = load_plan(notebook)
        specs += [exercise_spec(ex, None) for ex in plan.all_exercises.values()]
        # a graded exercise given its key on the instructor's side must still reach the renderer without it
        specs += [exercise_spec(ex, None) for ex in plan.keyed.values() if ex.mode == "graded"]
    specs += [exercise_spec(forum_chooser.scenario(), None), exercise_spec(tool_chooser.scenario(), None)]
    return specs


def test_every_exercise_spec_of_the_course_validates(course_specs):
    assert len(course_specs) > 100
    assert {s["type"] for s in course_specs} == set(EXERCISE_TYPES), "every exercise type is exercised"
    assert {s["mode"] for s in course_specs} == {"practice", "graded"}
    failures = {s["id"]: schemas.problems(s, SPEC) for s in course_specs}
    assert not {k: v for k, v in failures.items() if v}


def _first(specs: list[dict], type_: str, mode: str) -> dict:
    return copy.deepcopy(next(s for s in specs if s["type"] == type_ and s["mode"] == mode))


def test_a_graded_spec_carrying_a_key_or_feedback_fails(course_specs):
    leaked = _first(course_specs, "single-choice", "graded")
    leaked["key"] = leaked["choices"][0]["value"]
    assert any("key" in p for p in schemas.problems(leaked, SPEC))
    feedback = _first(course_specs, "single-choice", "graded")
    feedback["choices"][0]["feedback"] = "Right: ..."
    assert any(p.startswith("choices/0") for p in schemas.problems(feedback, SPEC))
    scored = _first(course_specs, "scenario", "graded")
    scored["steps"][0]["options"][0]["points"] = 2.0
    assert any(p.startswith("steps/0/options/0") for p in schemas.problems(scored, SPEC))


def test_a_malformed_spec_fails_naming_the_field(course_specs):
    spec = _first(course_specs, "numeric", "practice")
    spec["outcomes"] = ["LO1", "learning outcome 2"]
    spec["surprise"] = True
    problems = schemas.problems(spec, SPEC)
    assert any(p.startswith("outcomes/1:") for p in problems)
    assert any("surprise" in p for p in problems)


def _store_file(tmp_path: Path, answers: dict) -> dict:
    path = tmp_path / store.ANSWERS_FILENAME
    answer_store = store.AnswerStore(path)
    for exercise_id, value in answers.items():
        answer_store.save(exercise_id, value)
    return json.loads(path.read_text(encoding="utf-8"))


def test_answers_files_written_by_the_store_validate(tmp_path):
    written = _store_file(
        tmp_path,
        {
            "t01-single": "An option",
            "t01-multi": ["a", "b"],
            "t01-match": {"left": "right"},
            "t01-order": ["x", "y", "z"],
            "t01-number": 11,
            "t01-decimal": 2.5,
            "t01-text": "Ünïcode text",
            "t01-path": [["arrive", "Run all cells"]],
            "t12-strategy-builder": {"title": "", "objectives": []},
        },
    )
    written_again = _store_file(tmp_path, {"t01-number": 12})  # a second save keeps the rest, attempts rise
    assert written_again["answers"]["t01-number"]["attempts"] == 2
    for data in (written, written_again):
        assert schemas.problems(data, ANSWERS) == []


def test_the_documented_examples_validate():
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)\n```", PAGE, re.DOTALL)]
    whole = [b for b in blocks if "format" in b]
    entries = [b for b in blocks if "format" not in b]
    assert whole and entries
    for data in whole + [{"format": "coursekit-answers", "version": 1, "answers": e} for e in entries]:
        assert schemas.problems(data, ANSWERS) == [], data


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d.update(format="my-answers"), "format:"),
        (lambda d: d.update(version=2), "version:"),
        (lambda d: d["answers"]["t01-a"].update(attempts=0), "answers/t01-a/attempts:"),
        (lambda d: d["answers"]["t01-a"].update(saved_at="18/05/2026 09:30"), "answers/t01-a/saved_at:"),
        (lambda d: d["answers"]["t01-a"].pop("value"), "answers/t01-a:"),
        (lambda d: d["answers"].update({"../etc/passwd": d["answers"]["t01-a"]}), "answers:"),
    ],
)
def test_a_crafted_bad_answers_file_fails_with_a_clear_message(tmp_path, edit, where):
    data = _store_file(tmp_path, {"t01-a": "x"})
    edit(data)
    problems = schemas.problems(data, ANSWERS)
    assert problems and any(p.startswith(where) for p in problems), problems


def test_the_schemas_state_the_codes_own_constants():
    answers, spec = schemas.load(ANSWERS), schemas.load(SPEC)
    assert answers["properties"]["format"]["const"] == store.FORMAT_NAME
    assert answers["properties"]["version"]["const"] == store.FORMAT_VERSION
    assert answers["properties"]["answers"]["propertyNames"]["pattern"] == EXERCISE_ID_PATTERN
    assert answers["$defs"]["entry"]["properties"]["saved_at"]["pattern"] == SAVED_AT_PATTERN
    assert spec["properties"]["id"]["pattern"] == EXERCISE_ID_PATTERN
    assert set(spec["properties"]["type"]["enum"]) == set(EXERCISE_TYPES)
    assert set(spec["properties"]["demand"]["enum"]) == {"", *DEMANDS}


def test_the_answers_format_page_links_the_schema():
    assert "answers-file.schema.json" in PAGE
