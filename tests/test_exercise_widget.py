"""The kernel side of the exercise renderer, driven as the page drives it: the page sets ``answer``; the
widget saves it in the answers file, reports when, and refuses what does not fit; a new kernel finds it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from coursekit import (
    Choice,
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    RubricCriterion,
    Scenario,
    ScenarioOption,
    ScenarioStep,
    ShortText,
    SingleChoice,
)
from coursekit.core.store import AnswerStore
from coursekit.render.book_html import exercise_html
from coursekit.render.spec import exercise_spec
from coursekit.render.text import plain_text
from coursekit.render.widget import ExerciseWidget

SC = SingleChoice(
    id="w-sc",
    prompt="Pick *one*",
    choices=[Choice("a", "Because A."), Choice("b", "Not B.")],
    key="a",
    outcomes=["LO1"],
)
GRADED = SingleChoice(id="w-g", prompt="Graded", choices=[Choice("a"), Choice("b")], mode="graded", outcomes=["LO1"])
SCEN = Scenario(
    id="w-scen",
    prompt="p",
    start="s1",
    debrief="The debrief text.",
    outcomes=["LO5"],
    steps=[
        ScenarioStep(
            "s1",
            "First situation",
            [ScenarioOption("Call", "They answer.", "s2", 2), ScenarioOption("Wait", "Nothing.", None, 0)],
        ),
        ScenarioStep(
            "s2", "Second situation", [ScenarioOption("Say", "Done.", None, 1), ScenarioOption("Hide", "Bad.", None, 0)]
        ),
    ],
)
MS = MultipleSelect(id="w-ms", prompt="p", choices=[Choice(c, "f") for c in "abc"], key=["a"], outcomes=["LO1"])
MA = Matching(id="w-ma", prompt="p", left=["x", "y"], right=["1", "2"], key={"x": "1", "y": "2"}, outcomes=["LO1"])
OR = Ordering(id="w-or", prompt="p", items=["b", "a", "c"], key=["a", "b", "c"], outcomes=["LO1"])
NU = Numeric(id="w-nu", prompt="p", key=24, minimum=0, maximum=100, unit="hours", outcomes=["LO4"])
ST = ShortText(id="w-st", prompt="p", outcomes=["LO2"])
ALL = (SC, MS, MA, OR, NU, ST, SCEN, GRADED)


def saved(path: Path) -> dict:
    return {k: v["value"] for k, v in json.loads(path.read_text())["answers"].items()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def test_every_answer_the_page_gives_is_saved_and_comes_back_in_a_new_kernel(tmp_path: Path):
    path = tmp_path / "answers.json"
    store = AnswerStore(path)
    given = {
        "w-sc": "b",
        "w-ms": ["a", "c"],
        "w-ma": {"y": "1"},
        "w-or": ["a", "b", "c"],
        "w-nu": 48,
        "w-st": "My answer",
        "w-scen": [["s1", "Call"]],
        "w-g": "a",
    }
    widgets = {ex.id: ExerciseWidget(ex, store) for ex in ALL}
    for exercise_id, answer in given.items():
        widgets[exercise_id].answer = answer
        assert widgets[exercise_id].saved_at and widgets[exercise_id].notice == ""
    assert saved(path) == {**given, "w-nu": 48.0}

    again = {ex.id: ExerciseWidget(ex, AnswerStore(path)) for ex in ALL}  # a restarted kernel
    assert {i: w.answer for i, w in again.items()} == {**given, "w-nu": 48.0}
    assert all(w.saved_at for w in again.values())
    assert json.loads(path.read_text())["answers"]["w-sc"]["attempts"] == 1  # restoring is not an attempt


def test_the_same_answer_twice_is_one_attempt_and_a_change_is_another(tmp_path: Path):
    path = tmp_path / "answers.json"
    widget = ExerciseWidget(SC, AnswerStore(path))
    widget.answer = "b"
    widget.answer = "a"
    widget.answer = "b"
    assert json.loads(path.read_text())["answers"]["w-sc"]["attempts"] == 3


@pytest.mark.parametrize(
    "ex, bad",
    [
        (SC, "an option that does not exist"),
        (SC, {"__proto__": 1}),
        (MS, ["a", "a"]),
        (MA, {"x": "9"}),
        (OR, ["a", "b"]),
        (NU, 1e400),
        (NU, 101),
        (NU, "12"),
        (ST, "x" * 5001),
        (SCEN, [["s2", "Say"]]),
        (SCEN, [["s1", "Wait"], ["s2", "Say"]]),
        (GRADED, ["a"]),
    ],
)
def test_an_answer_that_does_not_fit_is_refused_with_a_reason_and_the_file_is_untouched(tmp_path: Path, ex, bad):
    path = tmp_path / "answers.json"
    AnswerStore(path).save("other", "kept")
    before = digest(path)
    widget = ExerciseWidget(ex, AnswerStore(path))
    widget.answer = bad
    assert widget.notice.startswith("This answer was not saved: ")
    assert digest(path) == before and widget.saved_at == ""


def test_a_saved_answer_that_no_longer_fits_is_flagged_not_restored(tmp_path: Path):
    path = tmp_path / "answers.json"
    AnswerStore(path).save("w-sc", "an option that was removed")
    widget = ExerciseWidget(SC, AnswerStore(path))
    assert widget.answer is None and "no longer fits" in widget.notice


def test_a_damaged_answers_file_is_explained_and_kept(tmp_path: Path):
    path = tmp_path / "answers.json"
    path.write_text("{ definitely not json")
    widget = ExerciseWidget(SC, AnswerStore(path))
    assert "could not all be read" in widget.notice
    widget.answer = "a"
    assert saved(path) == {"w-sc": "a"}
    assert any(p.read_text() == "{ definitely not json" for p in tmp_path.iterdir() if p.is_file() and p != path)


def test_a_folder_that_cannot_be_written_gives_a_message_not_a_traceback(tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the notebook's folder should be")
    widget = ExerciseWidget(SC, AnswerStore(blocker / "answers.json"))
    assert "not being saved" in widget.notice and "folder of your own" in widget.notice
    widget.answer = "a"
    assert widget.notice.startswith("Your answers are not being saved") and "Save Notebook As" in widget.notice
    assert widget.saved_at == "" and blocker.read_text() == "a file where the notebook's folder should be"


def test_read_only_under_grading_writes_nothing_and_says_so(tmp_path: Path):
    path = tmp_path / "answers.json"
    AnswerStore(path).save("w-sc", "b")
    before = digest(path)
    widget = ExerciseWidget(SC, AnswerStore(path, read_only=True))
    assert widget.answer == "b"
    widget.answer = "a"
    assert digest(path) == before and "Read-only" in widget.notice


def test_graded_spec_has_no_key_feedback_or_points_and_practice_spec_has_what_feedback_needs():
    graded_scen = Scenario(
        id="w-gs",
        prompt="p",
        start="s1",
        mode="graded",
        outcomes=["LO5"],
        steps=[ScenarioStep("s1", "S", [ScenarioOption("A", "a.", None), ScenarioOption("B", "b.", None)])],
    )
    graded_spec, graded_scen_spec = exercise_spec(GRADED, None), exercise_spec(graded_scen, None)
    assert "key" not in graded_spec and "key" not in graded_scen_spec and "debrief" not in graded_scen_spec
    assert all(set(c) == {"value", "text"} for c in graded_spec["choices"])
    assert all(
        set(o) == {"value", "text", "consequence", "next"} for s in graded_scen_spec["steps"] for o in s["options"]
    )
    practice = exercise_spec(SC, None)
    assert practice["key"] == "a" and [c["feedback"] for c in practice["choices"]] == ["Because A.", "Not B."]


def test_the_widget_carries_the_renderer_module_the_book_runs():
    from coursekit.render.book_html import book_script

    widget = ExerciseWidget(SC, AnswerStore(Path("/nonexistent-dir/answers.json"), read_only=True))
    module, book = widget._esm, book_script()
    assert "export default { render }" in module and "export" not in book
    pieces = module.split("export function ")  # everything between exports reaches the book unchanged
    # assess, mount, startBook; the forms' mountForm, formKey, formHash, bookFormHost; framing's three; the
    # instructor's mountMarking
    assert len(pieces) == 12 and all(piece.split("export default")[0] in book for piece in pieces)


def test_a_written_answer_shows_its_rubric_before_writing_everywhere():
    """The rubric is public: JupyterLab and the book (one spec) and plain text all show it; the model answer never."""
    exercise = ShortText(
        id="tw-rubric",
        prompt="Write a plan.",
        mode="graded",
        points=3,
        demand="product",
        outcomes=["LO2"],
        rubric=[
            RubricCriterion("Goal | aim", 1, ("0: none", "1: named")),
            RubricCriterion("Measures", 2, ("0: none", "1: some", "2: dated")),
        ],
    )
    shown = exercise_spec(exercise, None)["prompt_html"]
    assert "How this answer is marked" in shown and "<table>" in shown
    assert "Goal | aim" in shown and "0: none; 1: some; 2: dated" in shown  # the pipe is escaped, not a new column
    assert "Measures" in plain_text(exercise)
    assert "model" not in exercise_html(exercise).lower()
    plain = ShortText(id="tw-norubric", prompt="Write.", outcomes=["LO2"])
    assert "How this answer is marked" not in exercise_spec(plain, None)["prompt_html"]


def test_a_prompt_cannot_inject_markup():
    hostile = SingleChoice(
        id="w-x",
        prompt="<img src=x onerror=alert(1)> **bold**",
        choices=[Choice("a", "A."), Choice("b", "B.")],
        key="a",
        outcomes=["LO1"],
    )
    html = exercise_spec(hostile, None)["prompt_html"]
    assert "<img" not in html and "&lt;img" in html and "<strong>bold</strong>" in html
