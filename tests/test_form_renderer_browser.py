"""The form renderer (``mountForm`` in ``static/coursekit-exercise.js``) in Chromium, by keyboard, with Python
computing every result.

No JupyterLab here: the page runs the real module, and a small bridge stands in for the widget's comm. What
the page submits is handed to the real :class:`~coursekit.render.interactive.InteractiveForm` (``submit``, as
the ``request`` trait does), and what Python answers goes back to the page's host listeners, as the
``result``/``notice``/``saved_at`` traits do. So the forms' JavaScript (dynamic options, confirmation, debounced
typing, number checks) is tested against the real interactives' Python.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import chromium_page

from coursekit.core.store import AnswerStore
from coursekit.topics.nis2_explorer import ClassifierForm
from coursekit.topics.strategy_builder import StrategyBuilder
from coursekit.topics.toolbox_simulator import ToolboxSimulatorWidget

pytestmark = [pytest.mark.browser]

MODULE = Path(__file__).resolve().parents[1] / "src" / "coursekit" / "render" / "static" / "coursekit-exercise.js"
CSS = MODULE.with_name("coursekit-exercise.css")
BRIDGE = """
window.__sent = [];
window.__listeners = [];
window.__start = function (form, state) {
  const host = { values: state.values, result: state.result, savedAt: state.saved_at, notice: state.notice,
    canAnswer: true,
    submit: function (values, button) { window.__sent.push({ values: values, button: button }); },
    listen: function (fn) { window.__listeners.push(fn); } };
  mountForm(document.getElementById("root"), form, host);
};
window.__reply = function (u) { window.__listeners.forEach(function (fn) { fn(u); }); };
"""


class Bridge:
    """One form on a blank page; ``sync()`` passes what the page sent to Python and Python's answer back."""

    def __init__(self, page, widget) -> None:
        self.page, self.widget = page, widget
        module = MODULE.read_text(encoding="utf-8")
        page.set_content(
            f"<html lang='en'><head><title>form</title><style>{CSS.read_text()}</style></head><body>"
            f"<main><div id='root'></div></main><script type='module'>{module}\n{BRIDGE}</script></body></html>"
        )
        page.wait_for_function("typeof window.__start === 'function'")
        state = {"values": widget.values, "result": widget.result, "saved_at": widget.saved_at, "notice": widget.notice}
        page.evaluate("([form, state]) => window.__start(form, state)", [widget.form, state])

    def sync(self) -> list[dict]:
        sent = self.page.evaluate("window.__sent.splice(0)")
        for request in sent:
            self.widget.request = {**request, "seq": self.widget.request.get("seq", 0) + 1}
            self.page.evaluate(
                "u => window.__reply(u)",
                {"result": self.widget.result, "notice": self.widget.notice, "savedAt": self.widget.saved_at},
            )
        return sent

    def result(self) -> str:
        return self.page.locator(".coursekit-result").inner_text()


def test_every_control_is_labelled_and_keeps_jupyterlabs_shortcuts_away():
    with chromium_page(errors := []) as page:
        for widget in (
            ClassifierForm().widget,
            StrategyBuilder(store_id="t12-b").widget,
            ToolboxSimulatorWidget().widget,
        ):
            Bridge(page, widget)
            controls = "#root input, #root select, #root textarea, #root button"
            unlabelled = page.evaluate(
                """s => Array.from(document.querySelectorAll(s)).filter(n =>
                !n.hasAttribute('data-lm-suppress-shortcuts') || !((n.labels && n.labels.length) || n.textContent.trim()))
                .map(n => n.outerHTML.slice(0, 80))""",
                controls,
            )
            assert page.locator(controls).count() >= 4 and unlabelled == [], unlabelled
    assert not errors, errors


def test_toolbox_round_by_keyboard_with_python_computing(tmp_path):
    sim = ToolboxSimulatorWidget(store_id="t11-b")
    sim.widget.store = AnswerStore(tmp_path / "answers.json")
    with chromium_page(errors := []) as page:
        bridge = Bridge(page, sim.widget)
        assert "Round 1 of" in page.locator(".coursekit-context").inner_text()
        page.keyboard.press("Tab")  # the first response
        while page.evaluate("document.activeElement.type") != "radio":
            page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")  # B: the second response, chosen by arrow as in any radio group
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Decide"
        page.keyboard.press("Enter")
        sent = bridge.sync()
        second = sim.state.campaign.rounds[0].responses[1].id
        assert sent == [{"values": {"choice": second}, "button": "decide"}]
        assert sim.state.path() == [second]
        assert "Round 2 of" in page.locator(".coursekit-context").inner_text()
        assert "Scores:" in bridge.result() and "Running total" in bridge.result()
        assert page.locator("#root input[type=radio]:checked").count() == 0  # a fresh round: nothing chosen
        # Start again asks first; the safe answer is focused, so Enter keeps the decisions
        page.get_by_role("button", name="Start again\u2026").click()
        assert page.evaluate("document.activeElement.textContent") == "No, keep them"
        page.keyboard.press("Enter")
        assert bridge.sync() == [] and sim.state.path() == [second]
        page.get_by_role("button", name="Start again\u2026").click()
        page.get_by_role("button", name="Yes, start again").click()
        assert bridge.sync() == [{"values": {"choice": None}, "button": "restart"}]
        assert sim.state.path() == [] and "Started again" in bridge.result()
        assert json.loads((tmp_path / "answers.json").read_text())["answers"]["t11-b"]["value"] == []
    assert not errors, errors


def test_strategy_builder_saves_typing_after_a_pause_and_checks_on_request(tmp_path):
    builder = StrategyBuilder(store_id="t12-b")
    builder.widget.store = AnswerStore(tmp_path / "answers.json")
    with chromium_page(errors := []) as page:
        bridge = Bridge(page, builder.widget)
        page.get_by_label("Strategy title:").focus()
        page.keyboard.type("Our plan")
        assert page.evaluate("window.__sent.length") == 0  # nothing sent while typing
        page.wait_for_timeout(900)
        assert [s["values"]["title"] for s in bridge.sync()] == ["Our plan"]
        page.get_by_label("Objectives (one per line):").focus()
        page.keyboard.type("First")
        page.keyboard.press("Enter")  # a line break in the box, not a notebook command
        page.keyboard.type("Second")
        page.get_by_role("checkbox").first.focus()
        page.keyboard.press("Space")
        bridge.sync()
        assert builder.draft().objectives == ["First", "Second"] and len(builder.draft().tools) == 1
        page.get_by_role("button", name="Check my outline").click()
        bridge.sync()
        assert "Not complete yet" in bridge.result()
        saved = json.loads((tmp_path / "answers.json").read_text())["answers"]["t12-b"]["value"]
        assert saved["title"] == "Our plan" and saved["objectives"] == ["First", "Second"]
        assert "Saved" in page.locator(".coursekit-status").inner_text()
    assert not errors, errors


def test_a_number_out_of_range_is_named_and_not_sent():
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    with chromium_page(errors := []) as page:
        bridge = Bridge(page, form.widget)
        before = bridge.result()
        box = page.get_by_label("Employees (headcount):")
        box.fill("-5")
        box.press("Tab")
        assert bridge.sync() == []
        assert (
            page.locator(".coursekit-alert").inner_text()
            == "\u26a0 Employees (headcount): enter a whole number from 0 to 10000000."
        )
        assert bridge.result() == before
        box.fill("30")
        box.press("Tab")
        assert bridge.sync()[0]["values"]["employees"] == 30
        assert page.locator(".coursekit-alert").inner_text() == "" and "Result:" in bridge.result()
        assert form.values["employees"] == 30
    assert not errors, errors
