"""The compiled book in a real browser: practice exercises answered without a kernel give exactly the
feedback that coursekit's Python gives for the same answer; answers survive a reload; every page loads
with no console error; every image has alt text. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from browser import ARTIFACTS, chromium_page, static_server

from coursekit.core.feedback import feedback
from coursekit.core.order import BOOK_SEED, shown_orders
from coursekit.grading.hidden_tests import load_plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
PAGE = "/release/00-orientation/00-orientation.html"


def python_feedback(exercise, answer) -> tuple[str, list[str]]:
    fb = feedback(exercise, answer)
    return fb.headline, [f"{symbol} {text}" for symbol, text in fb.lines]


def same_feedback(page_says: tuple[str, list[str]], python_says: tuple[str, list[str]]) -> bool:
    """The same verdict and the same lines; a choice list's lines follow the order on screen."""
    return page_says[0] == python_says[0] and sorted(page_says[1]) == sorted(python_says[1])


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
        picked = [
            next(c for c in pillars.choices if c.value in pillars.key),
            next(c for c in pillars.choices if c.value not in pillars.key),
        ]
        multi = box("orientation-pillars")
        for choice in picked:
            multi.get_by_label(choice.text, exact=True).check()
        multi.get_by_role("button", name="Check").click()
        assert same_feedback(page_feedback(multi), python_feedback(pillars, [c.value for c in picked]))

        places = ex["orientation-match-places"]
        first, second = places.left[:2]
        pairs = {first: places.key[first], second: next(r for r in places.right if r != places.key[second])}
        match = box("orientation-match-places")
        for left, right in pairs.items():
            match.get_by_label(left).select_option(right)
        match.get_by_role("button", name="Check").click()
        assert page_feedback(match) == python_feedback(places, pairs)

        reports = ex["orientation-order-reports"]
        start = shown_orders(reports, BOOK_SEED)["items"]  # the book's fixed order for this exercise
        moved = [start[1], start[0], *start[2:]]
        order = box("orientation-order-reports")
        assert order.locator(".coursekit-item").all_inner_texts() == start
        order.get_by_role("button", name=f"Move up: “{start[1]}”").focus()
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
        assert page_feedback(text) == python_feedback(
            ex["orientation-why-here"], "I will draft a position for a negotiation."
        )

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
        assert "on your course's hub or in a local JupyterLab with nbgrader" in graded.inner_text()
        assert "Binder can run the notebook but cannot submit" in graded.inner_text()
        assert graded.locator("input, button, select, textarea").count() == 0

        page.reload()
        page.wait_for_selector(".coursekit-exercise[data-ready]")
        assert same_feedback(
            page_feedback(box("orientation-pillars")), python_feedback(pillars, [c.value for c in picked])
        )
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
            missing = page.evaluate(
                "Array.from(document.images).filter(i => !(i.alt || '').trim()).map(i => i.src.slice(0, 80))"
            )
            assert not missing, f"{name}: images without alt text: {missing}"
            ready = page.evaluate(
                "Array.from(document.querySelectorAll('.coursekit-exercise')).every(e => e.dataset.ready)"
            )
            assert ready, f"{name}: an exercise was not rendered"
    assert not errors, errors


# --- navigation at phone and desktop widths (issue 17) -------------------------------------------------

TOPIC = "/release/02-environment/02-environment.html"
OPEN = "sel => document.querySelector(sel).open"


def click_outside(page, selector: str) -> None:
    """Click the backdrop beside a modal dialog (pydata-sphinx-theme closes it on such a click)."""
    box = page.locator(selector).bounding_box()
    width = page.viewport_size["width"]
    x = box["x"] + box["width"] + 10 if box["x"] + box["width"] + 10 < width else box["x"] - 10
    page.mouse.click(x, box["y"] + box["height"] / 2)


def test_both_sidebars_open_and_close_by_click_and_keyboard_on_a_phone(built_book: Path):
    errors: list[str] = []
    with static_server(built_book) as base, chromium_page(errors) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base + TOPIC)
        page.wait_for_load_state("load")
        for toggle, dialog in (
            (".bd-header-article .primary-toggle", "#pst-primary-sidebar-modal"),
            (".bd-header-article .secondary-toggle", "#pst-secondary-sidebar-modal"),
        ):
            button = page.locator(toggle)
            assert button.is_visible(), toggle
            assert not page.evaluate(OPEN, dialog)
            button.click()
            page.wait_for_function(OPEN, arg=dialog, timeout=3000)
            assert page.locator(dialog).locator("a").first.is_visible(), f"{dialog} opened empty"
            page.screenshot(path=str(ARTIFACTS / f"book-nav-390-{dialog[5:]}.png"))
            click_outside(page, dialog)
            page.wait_for_function("sel => !document.querySelector(sel).open", arg=dialog, timeout=3000)
            button.focus()
            page.keyboard.press("Enter")
            page.wait_for_function(OPEN, arg=dialog, timeout=3000)
            page.keyboard.press("Escape")
            page.wait_for_function("sel => !document.querySelector(sel).open", arg=dialog, timeout=3000)
            assert page.evaluate("sel => document.activeElement === document.querySelector(sel)", toggle), (
                "focus should return to the toggle when the sidebar closes"
            )
    assert not errors, errors


def test_primary_sidebar_collapses_and_returns_by_click_and_keyboard_at_desktop_width(built_book: Path):
    hidden = "() => getComputedStyle(document.getElementById('pst-primary-sidebar')).visibility === 'hidden'"
    shown = "() => getComputedStyle(document.getElementById('pst-primary-sidebar')).visibility === 'visible'"
    errors: list[str] = []
    with static_server(built_book) as base, chromium_page(errors) as page:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(base + TOPIC)
        page.wait_for_load_state("load")
        button = page.locator(".bd-header-article .primary-toggle")
        assert page.evaluate(shown)
        button.click()
        page.wait_for_function(hidden, timeout=3000)
        page.screenshot(path=str(ARTIFACTS / "book-nav-1280-collapsed.png"))
        button.click()
        page.wait_for_function(shown, timeout=3000)
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(hidden, timeout=3000)
        page.keyboard.press("Space")
        page.wait_for_function(shown, timeout=3000)
        # At this width the page contents (secondary sidebar) are always shown, so they have no toggle.
        assert page.locator("#pst-secondary-sidebar #pst-page-toc-nav a").first.is_visible()
        assert not page.locator(".bd-header-article .secondary-toggle").is_visible()
    assert not errors, errors


# --- nothing scrolls sideways; each interactive's walkthrough at both widths (issue 17) ----------------

OVERFLOW = """() => {
  const wide = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) wide.push(`the page (${doc.scrollWidth} px in ${doc.clientWidth})`);
  for (const e of document.querySelectorAll('main *')) {
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'hidden')
      wide.push(`${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]}: ${(e.textContent || '').trim().slice(0, 60)}`);
  }
  return wide.slice(0, 5);
}"""


def toc_pages() -> list[str]:
    """Every page of the table of contents, with one generated data page standing for its glob."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    pages = [toc["root"]]
    for chapter in (c for part in toc["parts"] for c in part["chapters"]):
        pages.append(chapter["file"])
        pages += ["book/data/instruments" if "glob" in s else s["file"] for s in chapter.get("sections", [])]
    return pages


def test_the_overflow_probe_finds_a_sideways_scroll(built_book: Path):
    """The probe below is not vacuous: a wide unbreakable line in the article is reported."""
    with static_server(built_book) as base, chromium_page([]) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base + "/book/howto.html")
        page.evaluate(
            "document.querySelector('main article').insertAdjacentHTML('beforeend', "
            "'<div style=\"overflow-x:auto\"><span style=\"white-space:nowrap\">' + 'x'.repeat(300) + '</span></div>')"
        )
        assert page.evaluate(OVERFLOW)


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways_and_interactives_are_shot(built_book: Path, width: int):
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    problems: list[str] = []
    shots = 0
    with static_server(built_book) as base, chromium_page(errors) as page:
        page.set_viewport_size({"width": width, "height": 900})
        for name in toc_pages():
            page.goto(f"{base}/{name}.html")
            page.wait_for_load_state("load")
            page.evaluate(
                "document.querySelectorAll('details.coursekit-going-further').forEach(d => { d.open = true; })"
            )
            problems += [f"{name}: {w}" for w in page.evaluate(OVERFLOW)]
            # a topic interactive is its form where the book has its results (topic 8), else its walkthrough
            for i, box in enumerate(
                page.locator(".coursekit-walkthrough:visible, .coursekit-book-form .coursekit-form").all()
            ):
                box.scroll_into_view_if_needed()
                box.screenshot(path=str(ARTIFACTS / f"book-interactive-{name.split('/')[1]}-{i}-{width}.png"))
                shots += 1
    assert not problems, "\n".join(problems)
    assert shots >= 5, "every topic interactive should show its form or its walkthrough"
    assert not errors, errors


# --- accessibility: axe-core in light and dark mode (issue 17) ------------------------------------------

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json; `make js-deps` installs it
SERIOUS = """async () => {
  const result = await axe.run('article.bd-article', {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')}`);
}"""


def axe_violations(page, theme: str) -> list[str]:
    """Serious and critical axe-core violations inside the page's main article, in the given colour mode."""
    page.evaluate("theme => { document.documentElement.dataset.theme = theme; }", theme)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(SERIOUS)


def test_axe_finds_a_planted_contrast_failure(built_book: Path):
    """The check is not vacuous: grey text on a grey panel in the article is a serious violation."""
    assert AXE.exists(), "run `make js-deps` (npm ci) to install axe-core"
    with static_server(built_book) as base, chromium_page([]) as page:
        page.goto(base + "/book/howto.html")
        page.evaluate(
            "document.querySelector('article.bd-article').insertAdjacentHTML('beforeend', "
            "'<p style=\"color:#9ca4af;background:#ced6dd\">Hard to read</p>')"
        )
        assert any(v.startswith("color-contrast") for v in axe_violations(page, "light"))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_serious_accessibility_violation_in_course_content(built_book: Path, theme: str):
    assert AXE.exists(), "run `make js-deps` (npm ci) to install axe-core"
    found: list[str] = []
    with static_server(built_book) as base, chromium_page([]) as page:
        for name in toc_pages():
            page.goto(f"{base}/{name}.html")
            page.wait_for_load_state("load")
            page.wait_for_function(
                "Array.from(document.querySelectorAll('.coursekit-exercise')).every(e => e.dataset.ready)"
            )
            found += [f"{name}: {v}" for v in axe_violations(page, theme)]
        if theme == "dark":
            page.goto(base + "/release/08-nis/08-nis.html")
            axe_violations(page, theme)
            page.locator(".coursekit-exercise").first.screenshot(path=str(ARTIFACTS / "book-exercise-dark.png"))
    assert not found, "\n".join(found)


WHOLE_PAGE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')}`);
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violation_anywhere_on_a_page(built_book: Path, width: int):
    """The whole page, the theme's own header, sidebar and buttons included, light and dark, desktop and phone."""
    assert AXE.exists(), "run `make js-deps` (npm ci) to install axe-core"
    found: list[str] = []
    with static_server(built_book) as base, chromium_page([]) as page:
        page.set_viewport_size({"width": width, "height": 900})
        for name in toc_pages():
            page.goto(f"{base}/{name}.html")
            page.wait_for_load_state("load")
            # colours are measured as they settle, not halfway through the theme's colour transition
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            for theme in ("light", "dark"):
                page.evaluate("theme => { document.documentElement.dataset.theme = theme; }", theme)
                if not page.evaluate("typeof axe !== 'undefined'"):
                    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
                found += [f"{name} ({theme}, {width} px): {v}" for v in page.evaluate(WHOLE_PAGE)]
    assert not found, "\n".join(found)
