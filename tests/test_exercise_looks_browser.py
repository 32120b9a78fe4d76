"""Looks that carry meaning (issue 29), in Chromium on a blank page running the real renderer module.

* graded and practice exercises differ in a word, an icon shape and the frame's line, not in colour alone;
* a graded single choice answered with the arrow keys saves every change but says "Saved for grading" once;
* in the book, a graded exercise links to the how-to section on answering and submitting, and the line a
  notebook viewer shows under a saved copy of an exercise is gone once the book's script runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import chromium_page

from coursekit import Choice, ShortText, SingleChoice
from coursekit.render.book_html import book_script
from coursekit.render.display import STATIC_NOTE, mimebundle
from coursekit.render.spec import exercise_spec

pytestmark = [pytest.mark.browser]

MODULE = Path(__file__).resolve().parents[1] / "src" / "coursekit" / "render" / "static" / "coursekit-exercise.js"
CSS = MODULE.with_name("coursekit-exercise.css").read_text()
GRADED = SingleChoice(
    id="looks-graded",
    prompt="Which body adopted the 2015 report?",
    choices=[Choice("UN GGE"), Choice("OEWG"), Choice("ITU")],
    mode="graded",
    outcomes=["LO1"],
)
PRACTICE = ShortText(id="looks-practice", prompt="Say why.", outcomes=["LO1"], keywords=["norm"])
HOST = """
window.__saved = []; window.__announced = [];
window.__start = function (spec, id) {
  const listeners = [];
  const host = { answer: null, savedAt: "", notice: "", canAnswer: true,
    savedLabel: spec.mode === "practice" ? "Saved" : "Saved for grading",
    save: function (a) { window.__saved.push(a); listeners.forEach(function (fn) { fn({ savedAt: "2026-05-18T09:30:00+00:00" }); }); },
    listen: function (fn) { listeners.push(fn); } };
  const root = document.getElementById(id);
  mount(root, spec, host);
  new MutationObserver(function () {
    const t = root.querySelector(".coursekit-status").textContent;
    if (t) window.__announced.push(t);
  }).observe(root.querySelector(".coursekit-status"), { childList: true, characterData: true, subtree: true });
};
"""


def test_graded_and_practice_differ_by_word_shape_and_line_and_arrowing_announces_once():
    with chromium_page(errors := []) as page:
        page.set_content(
            f"<html lang='en'><head><title>looks</title><style>{CSS}</style></head><body><main>"
            "<div id='graded'></div><div id='practice'></div></main>"
            f"<script type='module'>{MODULE.read_text()}\n{HOST}</script></body></html>"
        )
        page.wait_for_function("typeof window.__start === 'function'")
        page.evaluate("s => window.__start(s, 'graded')", exercise_spec(GRADED, None))
        page.evaluate("s => window.__start(s, 'practice')", exercise_spec(PRACTICE, None))
        badges = [page.locator(f"#{i} .coursekit-badge").inner_text() for i in ("graded", "practice")]
        assert badges[0].startswith("\u25a0") and "Graded \u2014 recorded for your instructor" in badges[0]
        assert badges[1].startswith("\u25b7") and "Practice \u2014 instant feedback" in badges[1]
        style = """id => { const s = getComputedStyle(document.getElementById(id));
          return [s.borderLeftWidth, s.borderLeftStyle, s.borderTopStyle]; }"""
        assert page.evaluate(style, "graded") == ["6px", "solid", "solid"]
        assert page.evaluate(style, "practice")[2] == "dashed"

        page.locator("#graded input[type=radio]").first.focus()
        page.keyboard.press("Space")
        for _ in range(3):
            page.keyboard.press("ArrowDown")
            page.wait_for_timeout(150)  # a participant reading each option
        page.wait_for_timeout(1500)
        saved = page.evaluate("window.__saved")
        assert saved == ["UN GGE", "OEWG", "ITU", "UN GGE"]  # every change saved, the last one kept
        assert page.evaluate("window.__announced") == [page.locator("#graded .coursekit-status").inner_text()]
        assert page.locator("#graded .coursekit-status").inner_text().startswith("\u2714 Saved for grading")
    assert not errors, errors


def test_the_books_graded_exercise_links_to_how_to_answer_it(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_ANSWERS_FILE", str(tmp_path / "answers.json"))
    html = mimebundle(GRADED)["text/html"]
    assert STATIC_NOTE.split(";")[0] in html  # what a notebook viewer without the widget shows
    with chromium_page(errors := []) as page:
        page.set_content(
            f"<html lang='en' data-content_root='../../'><head><title>book</title><style>{CSS}</style></head>"
            f"<body><main>{html}</main><script>{book_script()}</script></body></html>"
        )
        page.wait_for_selector(".coursekit-exercise[data-coursekit-ready]")
        link = page.get_by_role("link", name="How to answer and submit graded exercises")
        assert link.get_attribute("href") == "../../book/howto.html#graded-exercises-where-to-answer-and-submit"
        assert page.locator(".coursekit-kernel-note").count() == 0
    assert not errors, errors
