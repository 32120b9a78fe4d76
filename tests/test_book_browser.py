"""The compiled book in a real browser: practice exercises answered without a kernel give exactly the
feedback that coursekit's Python gives for the same answer; answers survive a reload; every page loads
with no console error; every image has alt text. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from browser import ARTIFACTS, chromium_page, static_server
from coursekit.feedback import feedback
from coursekit.grading import load_plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
PAGE = "/release/00-orientation/00-orientation.html"


def python_feedback(exercise, answer) -> tuple[str, list[str]]:
    fb = feedback(exercise, answer)
    return fb.headline, [f"{symbol} {text}" for symbol, text in fb.lines]


def page_feedback(container) -> tuple[str, list[str]]:
    box = container.locator(".coursekit-feedback")
    return box.locator("strong").inner_text(), [li.inner_text() for li in box.locator("li").all()]


@pytest.fixture(scope="module")
def orientation_exercises():
    return load_plan(REPO / "notebooks" / "00-orientation" / "00-orientation.ipynb").all_exercises


def test_practice_exercises_match_python_feedback_and_survive_reload(built_book: Path, orientation_exercises):
    ex = orientation_exercises
    errors: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with static_server(built_book) as base, chromium_page(errors) as page:
        page.goto(base + PAGE)
        page.wait_for_selector(".coursekit-exercise[data-ready]")
        page.screenshot(path=str(ARTIFACTS / "book-01-topic-page.png"))

        def box(exercise_id):
            return page.locator(f".coursekit-exercise[data-coursekit-id='{exercise_id}']")

        # answers are chosen from the definitions (one right and one wrong where there is a choice), so the
        # test follows the course's wording instead of copying it
        modes = ex["orientation-modes"]
        wrong = next(c for c in modes.choices if c.value != modes.key)
        single = box("orientation-modes")
        single.get_by_label(wrong.text, exact=True).check()
        single.get_by_role("button", name="Check").click()
        assert page_feedback(single) == python_feedback(modes, wrong.value)

        pillars = ex["orientation-pillars"]
        picked = [next(c for c in pillars.choices if c.value in pillars.key),
                  next(c for c in pillars.choices if c.value not in pillars.key)]
        multi = box("orientation-pillars")
        for choice in picked:
            multi.get_by_label(choice.text, exact=True).check()
        multi.get_by_role("button", name="Check").click()
        assert page_feedback(multi) == python_feedback(pillars, [c.value for c in picked])

        places = ex["orientation-match-places"]
        first, second = places.left[:2]
        pairs = {first: places.key[first], second: next(r for r in places.right if r != places.key[second])}
        match = box("orientation-match-places")
        for left, right in pairs.items():
            match.get_by_label(left).select_option(right)
        match.get_by_role("button", name="Check").click()
        assert page_feedback(match) == python_feedback(places, pairs)

        reports = ex["orientation-order-reports"]
        moved = list(reports.items)
        moved[0], moved[1] = moved[1], moved[0]
        order = box("orientation-order-reports")
        order.get_by_role("button", name=f"Move “{reports.items[1]}” up").focus()
        page.keyboard.press("Enter")  # keyboard only
        order.get_by_role("button", name="Check").click()
        assert page_feedback(order) == python_feedback(reports, moved)

        norms = ex["orientation-number-norms"]
        number = box("orientation-number-norms")
        number.get_by_label(f"Your answer ({norms.unit}):").fill("12")
        number.get_by_role("button", name="Check").click()
        assert page_feedback(number) == python_feedback(norms, 12)

        text = box("orientation-why-here")
        text.get_by_label("Your answer:").fill("I will draft a position for a negotiation.")
        text.get_by_role("button", name="Compare with the model answer").click()
        assert page_feedback(text) == python_feedback(ex["orientation-why-here"], "I will draft a position for a negotiation.")

        story = ex["orientation-scenario"]
        scenario = box("orientation-scenario")
        path, step_id, pick = [], story.start, 1  # the second option first, then the first at every step
        while step_id is not None:
            option = story.step(step_id).options[pick]
            scenario.get_by_label(option.text, exact=True).check()
            scenario.get_by_role("button", name="Decide").click()
            path.append([step_id, option.value])
            step_id, pick = option.next_step, 0
        assert page_feedback(scenario) == python_feedback(story, path)
        scenario.screenshot(path=str(ARTIFACTS / "book-02-answered-scenario.png"))

        graded = box("orientation-graded-submit")
        assert "Answer it in the notebook on JupyterHub or Binder" in graded.inner_text()
        assert graded.locator("input, button, select, textarea").count() == 0

        page.reload()
        page.wait_for_selector(".coursekit-exercise[data-ready]")
        assert page_feedback(box("orientation-pillars")) == python_feedback(pillars, [c.value for c in picked])
        assert box("orientation-modes").get_by_label(wrong.text, exact=True).is_checked()
        assert box("orientation-scenario").get_by_text("End of the scenario").count() == 1
        page.screenshot(path=str(ARTIFACTS / "book-03-after-reload.png"), full_page=True)
    assert not errors, errors


def test_every_page_of_the_toc_loads_without_errors_and_images_have_alt(built_book: Path):
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    pages = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    errors: list[str] = []
    with static_server(built_book) as base, chromium_page(errors) as page:
        for name in pages:
            response = page.goto(f"{base}/{name}.html")
            assert response is not None and response.status == 200, name
            page.wait_for_load_state("load")
            missing = page.evaluate("Array.from(document.images).filter(i => !(i.alt || '').trim()).map(i => i.src.slice(0, 80))")
            assert not missing, f"{name}: images without alt text: {missing}"
            ready = page.evaluate("Array.from(document.querySelectorAll('.coursekit-exercise')).every(e => e.dataset.ready)")
            assert ready, f"{name}: an exercise was not rendered"
    assert not errors, errors
