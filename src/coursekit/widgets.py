"""ipywidgets 8 views of exercises, for JupyterLab.

Each view saves every answer the moment it is given (see :mod:`coursekit.store`), shows a saved answer
again when the notebook is reopened or the kernel restarted, and never waits for a browser: building a
view only creates widget objects, so notebooks run headless under nbclient, nbval, Jupyter Book and
nbgrader. Every control has a text label (read by screen readers) and is reachable from the keyboard;
feedback uses words and symbols, not colour alone.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any, Callable

import ipywidgets as w

from .exercises import Exercise, Matching, MultipleSelect, Numeric, Ordering, Scenario, ShortText, SingleChoice
from .feedback import Feedback, feedback
from .render import prompt_markdown
from .store import AnswerStore, SavedAnswer, get_store

def _wide() -> w.Layout:
    """A fresh layout per control: a shared Layout object would hide every control when one is hidden."""
    return w.Layout(width="auto", max_width="100%")


# ipywidgets gives radio and checkbox labels a fixed line height, so long options overlap when they wrap.
_CSS = (
    "<style>.coursekit-exercise .widget-radio-box label, .coursekit-exercise .widget-checkbox label"
    "{white-space: normal; height: auto; line-height: 1.35; margin-bottom: 0.35em;}"
    ".coursekit-exercise .widget-radio-box {height: auto;}</style>"
)
_LABEL_STYLE = {"description_width": "initial"}


@lru_cache(maxsize=1)
def _markdown() -> Callable[[str], str]:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render


def markdown_to_html(text: str) -> str:
    """Render an exercise prompt (Markdown, raw HTML disabled) to HTML."""
    return _markdown()(text)


def _feedback_html(fb: Feedback) -> str:
    items = "".join(
        f'<li><span aria-hidden="true">{html.escape(sym)}</span> {html.escape(text)}</li>' for sym, text in fb.lines
    )
    body = f"<ul class='coursekit-feedback-lines'>{items}</ul>" if items else ""
    return f"<div role='status' aria-live='polite'><strong>{html.escape(fb.headline)}</strong>{body}</div>"


def _saved_note(saved: SavedAnswer, restored: bool = False) -> str:
    when = saved.saved_at.replace("T", " ").replace("+00:00", " UTC")
    verb = "Your saved answer is shown (saved" if restored else "Saved"
    close = ")" if restored else ""
    return f"<span role='status'>✔ {verb} {html.escape(when)}{close}.</span>"


class ExerciseView:
    """Common frame of every exercise view: prompt, badge, controls, a button, a status and feedback."""

    button_label_practice = "Check"

    def __init__(self, exercise: Exercise, store: AnswerStore) -> None:
        self.exercise = exercise
        self.store = store
        self._restoring = False
        badge = (
            f"{'Practice' if exercise.mode == 'practice' else 'Graded'} · "
            f"{exercise.points:g} point{'s' if exercise.points != 1 else ''} · {', '.join(exercise.outcomes)}"
        )
        self.header = w.HTML(
            f"{_CSS}<div class='coursekit-badge'>{html.escape(badge)}</div>{markdown_to_html(prompt_markdown(exercise))}"
        )
        self.problem = w.HTML(
            f"<div role='alert'>⚠ {html.escape(store.problem)}</div>" if store.problem else ""
        )
        self.status = w.HTML("")
        self.feedback = w.HTML("")
        practice = exercise.mode == "practice"
        self.button = w.Button(
            description=self.button_label_practice if practice else "Save answer",
            tooltip=("Check your answer and see feedback" if practice else "Save your answer for grading"),
            icon="check" if practice else "save",
            layout=w.Layout(width="auto"),
        )
        self.button.on_click(lambda _: self.submit())
        self.controls = self.build_controls()
        self.widget = w.VBox(
            [self.header, self.problem, self.controls, self.button, self.status, self.feedback],
            layout=w.Layout(border="1px solid #999", padding="0.5em 1em", margin="0.5em 0"),
        )
        self.widget.add_class("coursekit-exercise")
        saved = store.get(exercise.id)
        if saved is not None:
            self._restoring = True
            try:
                self.restore(saved.value)
            except (ValueError, TypeError, KeyError):
                self.status.value = "<span role='status'>⚠ The saved answer no longer fits this exercise; answer again.</span>"
            else:
                self.status.value = _saved_note(saved, restored=True)
            finally:
                self._restoring = False

    # -- to be provided by each type ------------------------------------------------------------------
    def build_controls(self) -> w.Widget:
        raise NotImplementedError

    def current_answer(self) -> Any:
        raise NotImplementedError

    def restore(self, value: Any) -> None:
        raise NotImplementedError

    # -- shared behaviour -------------------------------------------------------------------------------
    def answer_changed(self, *_: Any) -> None:
        """Save on every change the participant makes (not while restoring a saved answer)."""
        if not self._restoring:
            self.save()

    def save(self) -> SavedAnswer | None:
        """Save the current answer unless it is what the file already holds (no spurious attempts)."""
        answer = self.current_answer()
        if answer is None:
            return None
        previous = self.store.get(self.exercise.id)
        if previous is not None and previous.value == answer:
            return previous
        try:
            saved = self.store.save(self.exercise.id, answer)
        except OSError as err:
            self.status.value = (
                f"<span role='alert'>⚠ Could not save your answer ({html.escape(str(err))}). "
                "Check that the folder is writable, then try again.</span>"
            )
            return None
        if self.store.read_only:
            self.status.value = "<span role='status'>Read-only: answers are not saved while grading.</span>"
        else:
            self.status.value = _saved_note(saved)
        return saved

    def submit(self) -> None:
        """The button: save, and in practice mode show feedback."""
        answer = self.current_answer()
        if answer is None:
            self.feedback.value = "<div role='status'>ℹ Choose or enter an answer first.</div>"
            return
        self.save()
        if self.exercise.mode == "practice":
            self.feedback.value = _feedback_html(feedback(self.exercise, answer))


class SingleChoiceView(ExerciseView):
    exercise: SingleChoice

    def build_controls(self) -> w.Widget:
        self.radio = w.RadioButtons(
            options=[(c.text, c.value) for c in self.exercise.choices],
            value=None,
            description="Your answer:",
            style=_LABEL_STYLE,
            layout=_wide(),
        )
        self.radio.observe(self.answer_changed, names="value")
        return self.radio

    def current_answer(self) -> Any:
        return self.radio.value

    def restore(self, value: Any) -> None:
        self.radio.value = self.exercise.normalise_answer(value)


class MultipleSelectView(ExerciseView):
    exercise: MultipleSelect

    def build_controls(self) -> w.Widget:
        self.boxes = [
            w.Checkbox(value=False, description=c.text, indent=False, layout=_wide()) for c in self.exercise.choices
        ]
        for box in self.boxes:
            box.observe(self.answer_changed, names="value")
        return w.VBox([w.Label("Select every option that applies:"), *self.boxes])

    def current_answer(self) -> Any:
        chosen = [c.value for c, box in zip(self.exercise.choices, self.boxes) if box.value]
        return chosen or None

    def restore(self, value: Any) -> None:
        chosen = set(self.exercise.normalise_answer(value))
        for c, box in zip(self.exercise.choices, self.boxes):
            box.value = c.value in chosen


class MatchingView(ExerciseView):
    exercise: Matching

    def build_controls(self) -> w.Widget:
        # Items can be long sentences: show each in full above its own labelled drop-down.
        options = [("— choose —", None)] + [(r, r) for r in self.exercise.right]
        self.dropdowns, rows = [], []
        for n, item in enumerate(self.exercise.left, start=1):
            dd = w.Dropdown(options=options, value=None, description=f"Match for item {n}:", tooltip=item,
                            style=_LABEL_STYLE, layout=_wide())
            dd.observe(self.answer_changed, names="value")
            self.dropdowns.append(dd)
            rows.append(w.VBox([w.HTML(f"<strong>{n}.</strong> {html.escape(item)}"), dd]))
        return w.VBox(rows)

    def current_answer(self) -> Any:
        pairs = {item: dd.value for item, dd in zip(self.exercise.left, self.dropdowns) if dd.value is not None}
        return pairs or None

    def restore(self, value: Any) -> None:
        pairs = self.exercise.normalise_answer(value)
        for item, dd in zip(self.exercise.left, self.dropdowns):
            dd.value = pairs.get(item)


class OrderingView(ExerciseView):
    exercise: Ordering

    def build_controls(self) -> w.Widget:
        self.order = list(self.exercise.items)
        self.touched = False
        self.rows = w.VBox()
        self._draw()
        return w.VBox([w.Label("Use the buttons to put the items in order (first at the top):"), self.rows])

    def _draw(self) -> None:
        rows = []
        for i, item in enumerate(self.order):
            up = w.Button(description="Move up", tooltip=f"Move “{item}” up", disabled=i == 0, layout=w.Layout(width="auto"))
            down = w.Button(
                description="Move down",
                tooltip=f"Move “{item}” down",
                disabled=i == len(self.order) - 1,
                layout=w.Layout(width="auto"),
            )
            up.on_click(lambda _, i=i: self.move(i, -1))
            down.on_click(lambda _, i=i: self.move(i, +1))
            rows.append(w.HBox([w.Label(f"{i + 1}. {item}", layout=_wide()), up, down]))
        self.rows.children = rows

    def move(self, index: int, delta: int) -> None:
        """Swap item ``index`` with its neighbour; saves, since every move is an answer."""
        target = index + delta
        if 0 <= target < len(self.order):
            self.order[index], self.order[target] = self.order[target], self.order[index]
            self.touched = True
            self._draw()
            self.answer_changed()

    def current_answer(self) -> Any:
        return list(self.order)

    def restore(self, value: Any) -> None:
        self.order = self.exercise.normalise_answer(value)
        self.touched = True
        self._draw()


class NumericView(ExerciseView):
    exercise: Numeric

    def build_controls(self) -> w.Widget:
        ex = self.exercise
        unit = f" ({ex.unit})" if ex.unit else ""
        start = ex.minimum if ex.minimum is not None else 0.0
        self.touched = False
        self.entry = w.FloatText(value=start, step=ex.step, description=f"Your answer{unit}:", style=_LABEL_STYLE)
        self.entry.observe(self._changed, names="value")
        parts: list[w.Widget] = [self.entry]
        self.slider = None
        if ex.minimum is not None and ex.maximum is not None:
            self.slider = w.FloatSlider(
                value=start, min=ex.minimum, max=ex.maximum, step=ex.step,
                description=f"Or slide{unit}:", style=_LABEL_STYLE, continuous_update=False, layout=w.Layout(width="60%"),
            )
            self.slider.observe(self._slid, names="value")
            parts.append(self.slider)
        return w.VBox(parts)

    def _changed(self, change: dict[str, Any]) -> None:
        if self.slider is not None and self.slider.value != change["new"]:
            self.slider.value = min(max(change["new"], self.slider.min), self.slider.max)
        self.touched = True
        self.answer_changed()

    def _slid(self, change: dict[str, Any]) -> None:
        if self.entry.value != change["new"]:
            self.entry.value = change["new"]

    def current_answer(self) -> Any:
        return float(self.entry.value)

    def restore(self, value: Any) -> None:
        self.entry.value = self.exercise.normalise_answer(value)


class ShortTextView(ExerciseView):
    exercise: ShortText
    button_label_practice = "Save and compare"

    def build_controls(self) -> w.Widget:
        self.text = w.Textarea(
            value="", placeholder=self.exercise.placeholder, description="Your answer:", continuous_update=False,
            rows=6, style=_LABEL_STYLE, layout=w.Layout(width="100%"),
        )
        self.text.observe(self.answer_changed, names="value")
        return self.text

    def current_answer(self) -> Any:
        return self.text.value if self.text.value.strip() else None

    def restore(self, value: Any) -> None:
        self.text.value = self.exercise.normalise_answer(value)


class ScenarioView(ExerciseView):
    """A branching case: the current situation, its options and a Decide button; history stays visible."""

    exercise: Scenario
    button_label_practice = "Decide"

    def __init__(self, exercise: Exercise, store: AnswerStore) -> None:
        self.path: list[list[str]] = []
        super().__init__(exercise, store)
        self.button.description = "Decide"
        self.button.tooltip = "Take the selected decision"
        self.button.icon = "arrow-right"
        self.restart = w.Button(description="Start again", tooltip="Clear your decisions and start the scenario again", layout=w.Layout(width="auto"))
        self.restart.on_click(lambda _: self.start_again())
        self.widget.children = (*self.widget.children, self.restart)

    def build_controls(self) -> w.Widget:
        self.history = w.HTML("")
        self.situation = w.HTML("")
        self.choice = w.RadioButtons(options=[], value=None, description="Your decision:", style=_LABEL_STYLE, layout=_wide())
        self._show_step()
        return w.VBox([self.history, self.situation, self.choice])

    def _current_step_id(self) -> str | None:
        if not self.path:
            return self.exercise.start
        step_id, value = self.path[-1]
        return next(o for o in self.exercise.step(step_id).options if o.value == value).next_step

    def _show_step(self) -> None:
        lines = []
        for n, (step_id, value) in enumerate(self.path, start=1):
            option = next(o for o in self.exercise.step(step_id).options if o.value == value)
            lines.append(
                f"<li><strong>Decision {n}:</strong> {html.escape(option.text)}<br>"
                f"<em>What happened:</em> {html.escape(option.consequence)}</li>"
            )
        self.history.value = f"<ol class='coursekit-history'>{''.join(lines)}</ol>" if lines else ""
        step_id = self._current_step_id()
        if step_id is None:
            self.situation.value = "<p role='status'><strong>End of the scenario.</strong></p>"
            self.choice.options, self.choice.layout.display = [], "none"
            if hasattr(self, "button"):
                self.button.disabled = True
            return
        step = self.exercise.step(step_id)
        self.situation.value = markdown_to_html(step.situation)
        self.choice.options = [(o.text, o.value) for o in step.options]
        self.choice.value = None
        self.choice.layout.display = None
        if hasattr(self, "button"):
            self.button.disabled = False

    def decide(self, value: str) -> None:
        """Take decision ``value`` at the current step (what the Decide button does)."""
        step_id = self._current_step_id()
        if step_id is None:
            return
        self.path.append([step_id, value])
        self._show_step()
        self.save()
        self._show_result()

    def _show_result(self) -> None:
        if self.exercise.mode == "practice" and self.exercise.is_complete(self.path):
            self.feedback.value = _feedback_html(feedback(self.exercise, self.path))
        elif self.exercise.is_complete(self.path):
            self.feedback.value = "<div role='status'>Scenario complete; your decisions are saved for grading.</div>"
        else:
            self.feedback.value = ""

    def submit(self) -> None:
        if self.choice.value is None:
            self.feedback.value = "<div role='status'>ℹ Choose a decision first.</div>"
            return
        self.decide(self.choice.value)

    def start_again(self) -> None:
        self.path = []
        self.feedback.value = ""
        self._show_step()
        self.store.save(self.exercise.id, [])
        self.status.value = "<span role='status'>Started again; earlier decisions were cleared.</span>"

    def current_answer(self) -> Any:
        return list(self.path) or None

    def restore(self, value: Any) -> None:
        self.path = self.exercise.normalise_answer(value)
        self._show_step()
        self._show_result()


VIEWS: dict[type[Exercise], type[ExerciseView]] = {
    SingleChoice: SingleChoiceView,
    MultipleSelect: MultipleSelectView,
    Matching: MatchingView,
    Ordering: OrderingView,
    Numeric: NumericView,
    ShortText: ShortTextView,
    Scenario: ScenarioView,
}


def build_view(exercise: Exercise, store: AnswerStore | None = None) -> ExerciseView:
    """Create the widget view of ``exercise`` bound to ``store`` (default: the notebook's answers file)."""
    return VIEWS[type(exercise)](exercise, store if store is not None else get_store())
