"""Widget views, driven headless the way a front end would: set values, press buttons, reopen."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as w
import pytest

from coursekit import (
    Choice, Matching, MultipleSelect, Numeric, Ordering, Scenario, ScenarioOption, ScenarioStep, ShortText,
    SingleChoice,
)
from coursekit.store import AnswerStore
from coursekit.widgets import build_view

SC = SingleChoice(id="w-sc", prompt="Pick *one*", choices=[Choice("a", "Because A."), Choice("b", "Not B.")],
                  key="a", outcomes=["LO1"])
GRADED = SingleChoice(id="w-g", prompt="Graded", choices=[Choice("a"), Choice("b")], mode="graded", outcomes=["LO1"])
SCEN = Scenario(
    id="w-scen", prompt="p", start="s1", debrief="The debrief text.", outcomes=["LO5"],
    steps=[
        ScenarioStep("s1", "First situation", [ScenarioOption("Call", "They answer.", "s2", 2), ScenarioOption("Wait", "Nothing.", None, 0)]),
        ScenarioStep("s2", "Second situation", [ScenarioOption("Say", "Done.", None, 1), ScenarioOption("Hide", "Bad.", None, 0)]),
    ],
)


def fresh(path: Path) -> AnswerStore:
    """A new store on the same file: what a restarted kernel sees."""
    return AnswerStore(path)


def saved(path: Path) -> dict:
    return {k: v["value"] for k, v in json.loads(path.read_text())["answers"].items()}


def test_practice_choice_saves_on_click_and_explains(tmp_path: Path):
    path = tmp_path / "answers.json"
    view = build_view(SC, fresh(path))
    view.radio.value = "b"
    assert saved(path) == {"w-sc": "b"}
    view.button.click()
    assert "Not quite" in view.feedback.value and "Not B." in view.feedback.value and "✗" in view.feedback.value
    view.radio.value = "a"
    view.button.click()
    assert "Correct" in view.feedback.value and "Because A." in view.feedback.value


def test_graded_shows_saved_and_never_feedback(tmp_path: Path):
    path = tmp_path / "answers.json"
    view = build_view(GRADED, fresh(path))
    view.radio.value = "b"
    view.button.click()
    assert "Saved" in view.status.value
    assert view.feedback.value == ""
    assert saved(path) == {"w-g": "b"}


def test_answers_come_back_after_a_restart(tmp_path: Path):
    path = tmp_path / "answers.json"
    store = fresh(path)
    ms = MultipleSelect(id="w-ms", prompt="p", choices=[Choice(c, "f") for c in "abc"], key=["a"], outcomes=["LO1"])
    ma = Matching(id="w-ma", prompt="p", left=["x", "y"], right=["1", "2"], key={"x": "1", "y": "2"}, outcomes=["LO1"])
    order = Ordering(id="w-or", prompt="p", items=["b", "a", "c"], key=["a", "b", "c"], outcomes=["LO1"])
    num = Numeric(id="w-nu", prompt="p", key=24, minimum=0, maximum=100, unit="hours", outcomes=["LO4"])
    text = ShortText(id="w-st", prompt="p", outcomes=["LO2"])
    views = {ex.id: build_view(ex, store) for ex in (SC, ms, ma, order, num, text, SCEN)}
    views["w-sc"].radio.value = "a"
    views["w-ms"].boxes[0].value = True
    views["w-ms"].boxes[2].value = True
    views["w-ma"].dropdowns[1].value = "1"
    views["w-or"].move(1, -1)
    views["w-nu"].slider.value = 48
    views["w-st"].text.value = "My answer"
    views["w-scen"].choice.value = "Call"
    views["w-scen"].button.click()

    after = {ex.id: build_view(ex, fresh(path)) for ex in (SC, ms, ma, order, num, text, SCEN)}
    assert after["w-sc"].radio.value == "a"
    assert [b.value for b in after["w-ms"].boxes] == [True, False, True]
    assert [d.value for d in after["w-ma"].dropdowns] == [None, "1"]
    assert after["w-or"].order == ["a", "b", "c"]
    assert after["w-nu"].entry.value == 48 and after["w-nu"].slider.value == 48
    assert after["w-st"].text.value == "My answer"
    assert after["w-scen"].path == [["s1", "Call"]] and "Second situation" in after["w-scen"].situation.value
    assert all("saved answer is shown" in v.status.value for v in after.values())
    # restoring must not count as a new attempt
    assert json.loads(path.read_text())["answers"]["w-sc"]["attempts"] == 1


def test_scenario_runs_to_the_end_with_score_and_debrief(tmp_path: Path):
    view = build_view(SCEN, fresh(tmp_path / "a.json"))
    view.button.click()
    assert "Choose a decision first" in view.feedback.value
    view.choice.value = "Call"
    view.button.click()
    assert "They answer." in view.history.value
    view.choice.value = "Say"
    view.button.click()
    assert "End of the scenario" in view.situation.value and view.button.disabled
    assert "Correct" in view.feedback.value and "The debrief text." in view.feedback.value
    view.restart.click()
    assert view.path == [] and "First situation" in view.situation.value
    assert saved(tmp_path / "a.json")["w-scen"] == []


def test_damaged_answers_file_is_explained_in_the_widget(tmp_path: Path):
    path = tmp_path / "answers.json"
    path.write_text("{ definitely not json")
    view = build_view(SC, fresh(path))
    assert "could not be used" in view.problem.value and "role='alert'" in view.problem.value


def test_saved_answer_that_no_longer_fits_is_flagged_not_crashing(tmp_path: Path):
    path = tmp_path / "answers.json"
    fresh(path).save("w-sc", "an option that was removed")
    view = build_view(SC, fresh(path))
    assert view.radio.value is None and "no longer fits" in view.status.value


def _controls(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _controls(child)


@pytest.mark.parametrize("ex", [SC, GRADED, SCEN])
def test_every_control_has_a_text_label(ex, tmp_path: Path):
    view = build_view(ex, fresh(tmp_path / "a.json"))
    for control in _controls(view.widget):
        if isinstance(control, (w.RadioButtons, w.Dropdown, w.Checkbox, w.FloatText, w.FloatSlider, w.Textarea)):
            assert control.description.strip(), f"{type(control).__name__} without a label"
        if isinstance(control, w.Button):
            assert control.description.strip() and control.tooltip


def test_feedback_does_not_rely_on_colour(tmp_path: Path):
    view = build_view(SC, fresh(tmp_path / "a.json"))
    view.radio.value = "b"
    view.button.click()
    assert "color" not in view.feedback.value and "Not quite" in view.feedback.value


def test_hiding_one_control_hides_no_other(tmp_path: Path):
    """The scenario hides its choices at the end; that must not hide another exercise's controls."""
    store = fresh(tmp_path / "a.json")
    other = build_view(SC, store)
    scen = build_view(SCEN, store)
    scen.choice.value = "Wait"
    scen.button.click()
    assert scen.choice.layout.display == "none"
    assert other.radio.layout.display != "none"


def test_a_written_answer_shows_its_rubric_before_writing_everywhere():
    """The rubric is public: JupyterLab, the book and plain text all show it with the prompt; the model answer never."""
    from coursekit import RubricCriterion, ShortText
    from coursekit.book_html import exercise_html, spec
    from coursekit.render import plain_text
    from coursekit.widgets import build_view

    exercise = ShortText(id="tw-rubric", prompt="Write a plan.", mode="graded", points=3, demand="product",
                         outcomes=["LO2"], rubric=[RubricCriterion("Goal | aim", 1, ("0: none", "1: named")),
                                                   RubricCriterion("Measures", 2, ("0: none", "1: some", "2: dated"))])
    book = spec(exercise)["prompt_html"]
    assert "How this answer is marked" in book and "<table>" in book
    assert "Goal | aim" in book and "0: none; 1: some; 2: dated" in book  # the pipe is escaped, not a new column
    assert "Measures" in plain_text(exercise) and "Measures" in build_view(exercise).widget.children[0].value
    assert "model" not in exercise_html(exercise).lower()
    plain = ShortText(id="tw-norubric", prompt="Write.", outcomes=["LO2"])
    assert "How this answer is marked" not in spec(plain)["prompt_html"]
