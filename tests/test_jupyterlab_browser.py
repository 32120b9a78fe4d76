"""A participant's session in real JupyterLab 4, driven in Debian's Chromium with the keyboard.

Runs the released orientation notebook (every exercise type) and answers one exercise of each type by real
key presses only, checking after each key what it changed: the control's value, and the notebook (no cell
inserted or changed, the selected cell unchanged), since JupyterLab's notebook shortcuts (a, b, m, arrows)
must never take a key meant for an exercise. Then it restarts the kernel and reloads the page, checks that
every answer comes back, that the answers file holds exactly what was answered, that no code is in sight,
that axe-core finds no serious violation in course content (light and dark themes), and that
``nbgrader validate`` accepts the saved notebook. Screenshots of each step go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import (
    ARTIFACTS,
    JupyterLab,
    chromium_page,
    open_and_run_all,
    released_course,
    restart_and_run_all,
    run_all_cells,
    wait_idle,
)

from coursekit.core.feedback import feedback
from coursekit.core.order import arranged, identity_seed, shown_orders
from coursekit.grading.hidden_tests import load_plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
ORIENTATION = "00-orientation/00-orientation.ipynb"
TOPIC = "07-norms/07-norms.ipynb"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PARTICIPANT = "participant-a"  # the hub user name the kernels see: it sets the order of every option list
SEED = identity_seed(PARTICIPANT)

NOTEBOOK_STATE = """() => {
  const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
  return {count: cells.length, active: cells.findIndex(c => c.classList.contains('jp-mod-active')),
          markdown: cells.filter(c => c.classList.contains('jp-MarkdownCell')).length,
          dialogs: document.querySelectorAll('.jp-Dialog').length};
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    release = released_course(tmp_path_factory, ("00-orientation", "07-norms", "08-nis"), "labcourse")
    home = tmp_path_factory.mktemp("participant")
    shutil.copytree(release, home, dirs_exist_ok=True)
    with JupyterLab(home, ARTIFACTS / "jupyterlab-server.log", user=PARTICIPANT) as server:
        yield server, home


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"lab-{name}.png"), full_page=False)


def box(page, exercise_id: str):
    return page.locator(f".coursekit-exercise[aria-label$=' exercise {exercise_id}']")


def feedback_of(container) -> tuple[str, list[str]]:
    region = container.locator(".coursekit-feedback")
    return region.locator("strong").inner_text(), [li.inner_text() for li in region.locator("li").all()]


def python_feedback(exercise, answer) -> tuple[str, list[str]]:
    fb = feedback(exercise, answer)
    return fb.headline, [f"{symbol} {text}" for symbol, text in fb.lines]


def shown(exercise, part: str = "choices") -> list[str]:
    """The order this participant sees ``exercise``'s list ``part`` in (values; texts for matching and ordering)."""
    return shown_orders(exercise, SEED)[part]


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
      return {tag: e.tagName, label: e.getAttribute('aria-label') || (e.labels && e.labels[0] ? e.labels[0].innerText : '') || e.innerText,
              value: e.value, checked: e.checked, outline: getComputedStyle(e).outlineWidth,
              inExercise: !!e.closest('.coursekit-exercise')}; }""")


def press(page, key: str, notebook: dict) -> None:
    """Press ``key`` and check that the notebook itself did not react to it: no cell inserted, deleted or
    turned into Markdown, no dialog, and the selected cell the same as just before the key (focusing a control
    selects its cell, as any click in JupyterLab does; a key must not move the selection)."""
    before = page.evaluate(NOTEBOOK_STATE)
    page.keyboard.press(key)
    page.wait_for_timeout(60)
    after = page.evaluate(NOTEBOOK_STATE)
    assert after == before, f"JupyterLab took the key {key!r}: {before} -> {after}"
    assert {k: after[k] for k in ("count", "markdown", "dialogs")} == {
        k: notebook[k] for k in ("count", "markdown", "dialogs")
    }


def test_participant_answers_every_type_by_keyboard_and_finds_them_again(lab):
    server, home = lab
    errors: list[str] = []
    with chromium_page(errors) as page:
        open_and_run_all(page, server, ORIENTATION, 8)
        shot(page, "01-opened")
        visible_code = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputArea-editor'))
            .filter(e => e.getClientRects().length > 0 && e.offsetHeight > 0).length""")
        assert visible_code == 0, "code is on screen in a released notebook"
        from coursekit.grading.authoring import FOLD_NOTE, GRADED_HERE

        peeks = page.locator(".jp-CodeCell .jp-InputPlaceholder").all_inner_texts()
        # every folded cell says why it is there: no empty bar under a graded item
        assert peeks and all(p.strip() in (FOLD_NOTE, GRADED_HERE) for p in peeks), peeks

        # answers and expected texts come from the definitions, so the test follows the course's wording
        plan = load_plan(REPO / "notebooks" / ORIENTATION)
        ex = plan.all_exercises
        modes, pillars, places = ex["orientation-modes"], ex["orientation-pillars"], ex["orientation-match-places"]
        reports, norms, story = (
            ex["orientation-order-reports"],
            ex["orientation-number-norms"],
            ex["orientation-scenario"],
        )
        why = ex["orientation-why-here"]
        graded_def = plan.keyed["orientation-graded-submit"]
        state = page.evaluate(NOTEBOOK_STATE)

        # single choice: Space picks the focused option, arrows move within the group, then Tab to Check
        single = box(page, "orientation-modes")
        single.locator("input[type=radio]").first.focus()
        press(page, "Space", state)
        target = shown(modes).index(modes.key)
        assert single.locator("input[type=radio]").evaluate_all("es => es.map(e => e.value)") == shown(modes)
        for _ in range(target):
            press(page, "ArrowDown", state)
        assert focused(page)["value"] == modes.key and focused(page)["checked"]
        assert focused(page)["outline"] == "3px", "the focus ring should be clear"
        for key in ("a", "b", "m"):  # JupyterLab's insert-cell and to-markdown shortcuts
            press(page, key, state)
        assert single.locator("input:checked").get_attribute("value") == modes.key
        press(page, "Tab", state)
        assert focused(page)["tag"] == "BUTTON"
        press(page, "Enter", state)
        assert feedback_of(single) == python_feedback(modes, modes.key)
        single.locator(".coursekit-feedback").evaluate("e => { e.dataset.sameRegion = 'yes'; }")

        # multiple select: Space toggles, Tab moves to the next box
        multi = box(page, "orientation-pillars")
        chosen = [c for c in pillars.choices if c.value in pillars.key][:1] + [
            c for c in pillars.choices if c.value not in pillars.key
        ][:1]
        pillars_shown = arranged(list(pillars.choices), [c.value for c in pillars.choices], shown(pillars))
        for n, c in enumerate(pillars_shown):
            if n == 0:
                multi.locator("input[type=checkbox]").first.focus()
            else:
                press(page, "Tab", state)
            if c in chosen:
                press(page, "Space", state)
        assert sorted(multi.locator("input:checked").evaluate_all("es => es.map(e => e.value)")) == sorted(
            c.value for c in chosen
        )
        press(page, "Tab", state)
        press(page, "Enter", state)
        picked = [c.value for c in pillars.choices if c in chosen]  # saved by value, in the author's order
        page_says, python_says = feedback_of(multi), python_feedback(pillars, picked)
        # the same verdict and lines; the lines follow the order on screen
        assert page_says[0] == python_says[0] and sorted(page_says[1]) == sorted(python_says[1])

        # matching: arrows change a focused drop-down (and never the notebook's cell selection)
        match = box(page, "orientation-match-places")
        pairs = {}
        for n, left in enumerate(places.left[:2]):
            select = match.get_by_label(left, exact=True)
            select.focus()
            for _ in range(shown(places, "right").index(places.key[left]) + 1):
                press(page, "ArrowDown", state)
            assert select.input_value() == places.key[left]
            pairs[left] = places.key[left]
        # a letter types ahead in the drop-down, as in any form, instead of inserting a cell below
        press(page, "b", state)
        typed_ahead = next((r for r in shown(places, "right") if r.lower().startswith("b")), pairs[places.left[1]])
        assert match.get_by_label(places.left[1], exact=True).input_value() == typed_ahead
        pairs[places.left[1]] = typed_ahead

        # ordering: Enter on "Move up" moves the item and keeps focus on it
        order = box(page, "orientation-order-reports")
        start = shown(reports, "items")
        assert order.locator(".coursekit-item").all_inner_texts() == start
        second = start[1]
        order.get_by_role("button", name=f"Move up: “{second}”").focus()
        press(page, "Enter", state)
        moved = [start[1], start[0], *start[2:]]
        assert order.locator(".coursekit-item").all_inner_texts() == moved
        assert focused(page)["label"] in (f"Move up: “{second}”", f"Move down: “{second}”")
        assert "is now number 1" in order.locator("[aria-live=polite].coursekit-sr").inner_text()

        # numeric: typed digits reach the field (a digit is also a JupyterLab shortcut)
        number = box(page, "orientation-number-norms")
        number.locator("input[type=number]").focus()
        for key in f"{norms.key:g}":
            press(page, key, state)
        assert float(number.locator("input[type=number]").input_value()) == norms.key
        press(page, "Tab", state)
        press(page, "Enter", state)
        assert feedback_of(number) == python_feedback(norms, float(norms.key))

        # short text: every letter reaches the box, Shift+Enter does not run the cell; saved while typing
        text = box(page, "orientation-why-here")
        written = f"I hope to draft a {why.keywords[0]} and a {why.keywords[-1].upper()} before a meeting."
        text.locator("textarea").focus()
        page.keyboard.type(written, delay=5)
        press(page, "Shift+Enter", state)
        assert text.locator("textarea").input_value() == written + "\n"
        page.wait_for_timeout(1200)  # the debounce, then the kernel's save
        on_disk = json.loads((home / "00-orientation" / "coursekit_answers.json").read_text())["answers"]
        assert on_disk["orientation-why-here"]["value"] == written + "\n", "a text should be saved while typing"
        press(page, "Tab", state)
        press(page, "Enter", state)
        assert feedback_of(text) == python_feedback(why, written + "\n")
        assert "Not quite" not in feedback_of(text)[0]

        # scenario: arrows pick a decision, Tab + Enter decides; "Start again" asks first
        scen = box(page, "orientation-scenario")
        path, step_id = [], story.start
        while step_id is not None:  # the last option at every step
            step = story.step(step_id)
            options = arranged(list(step.options), [o.value for o in step.options], shown(story, step_id))
            scen.locator("input[type=radio]").first.focus()
            press(page, "Space", state)
            for _ in range(len(options) - 1):
                press(page, "ArrowDown", state)
            press(page, "Tab", state)
            press(page, "Enter", state)
            path.append([step_id, options[-1].value])
            step_id = options[-1].next_step
        assert feedback_of(scen) == python_feedback(story, path)
        scen.get_by_role("button", name="Start again…").focus()
        press(page, "Enter", state)
        assert "Clear your" in scen.get_by_role("alert").last.inner_text()
        assert focused(page)["label"] == "Keep my decisions"
        press(page, "Enter", state)
        assert scen.get_by_text("End of the scenario").count() == 1

        # graded: saved for grading, no feedback
        graded = box(page, "orientation-graded-submit")
        graded_right = next(c for c in graded_def.choices if c.value == graded_def.key)
        graded.get_by_label(graded_right.text, exact=True).focus()
        press(page, "Space", state)
        graded.locator(".coursekit-status", has_text="Saved for grading").wait_for()
        assert graded.locator(".coursekit-feedback-lines").count() == 0

        # the feedback region was not recreated (screen readers keep announcing it)
        assert single.locator(".coursekit-feedback").get_attribute("data-same-region") == "yes"
        assert single.locator(".coursekit-feedback").get_attribute("aria-live") == "polite"
        shot(page, "02-answered")

        page.wait_for_timeout(500)
        saved = json.loads((home / "00-orientation" / "coursekit_answers.json").read_text())["answers"]
        expected = {
            "orientation-modes": modes.key,
            "orientation-pillars": picked,
            "orientation-match-places": pairs,
            "orientation-order-reports": moved,
            "orientation-number-norms": float(norms.key),
            "orientation-why-here": written + "\n",
            "orientation-scenario": path,
            "orientation-graded-submit": graded_right.value,
        }
        assert {k: v["value"] for k, v in saved.items()} == expected

        restart_and_run_all(page)
        page.wait_for_function(
            "document.querySelectorAll('.coursekit-exercise[data-coursekit-ready]').length >= 8", timeout=120_000
        )
        shot(page, "03-after-restart")
        assert box(page, "orientation-modes").locator("input:checked").get_attribute("value") == modes.key
        assert (
            box(page, "orientation-match-places").get_by_label(places.left[0], exact=True).input_value()
            == pairs[places.left[0]]
        )

        page.keyboard.press("Control+s")
        page.wait_for_timeout(1000)
        page.reload()
        open_and_run_all(page, server, ORIENTATION, 8)
        shot(page, "04-after-reload")
        assert box(page, "orientation-pillars").locator("input:checked").count() == len(picked)
        assert float(box(page, "orientation-number-norms").locator("input[type=number]").input_value()) == norms.key
        assert box(page, "orientation-why-here").locator("textarea").input_value() == written + "\n"
        assert box(page, "orientation-scenario").get_by_text("End of the scenario").count() == 1
        assert box(page, "orientation-order-reports").locator(".coursekit-item").all_inner_texts() == moved
        assert (
            "saved answer is shown" in box(page, "orientation-graded-submit").locator(".coursekit-status").inner_text()
        )
        assert {
            k: v["value"]
            for k, v in json.loads((home / "00-orientation" / "coursekit_answers.json").read_text())["answers"].items()
        } == expected
    assert not [e for e in errors if "favicon" not in e], errors
    # a reload can close a request mid-way (tornado's StreamClosedError); any other traceback is a fault
    log = server.server_log()
    assert log.count("Traceback") == log.count("StreamClosedError: Stream is closed"), log[-3000:]

    validate = subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", str(home / ORIENTATION)],
        capture_output=True,
        text=True,
        cwd=home,
        timeout=300,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    assert "Success" in validate.stdout + validate.stderr, validate.stdout + validate.stderr


# axe-core's colour-contrast rule finds no text to judge inside JupyterLab's nested scrolling panels (it reports
# itself "inapplicable" even for a planted grey-on-grey line), so contrast is measured here directly, with the
# WCAG formula, on every text of every exercise against the first opaque background behind it.
CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length < 4 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
  const low = [];
  for (const ex of document.querySelectorAll('.coursekit-exercise')) for (const e of [ex, ...ex.querySelectorAll('*')]) {
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const a = lum(rgb(getComputedStyle(e).color).slice(0, 3)), b = lum(behind(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(`${ratio.toFixed(2)}:1 "${e.textContent.trim().slice(0, 40)}"`);
  }
  return low;
}"""

SERIOUS = """async () => {
  const found = [];
  for (const node of document.querySelectorAll('.coursekit-exercise')) {
    const result = await axe.run(node, {resultTypes: ['violations']});
    for (const v of result.violations) if (v.impact === 'serious' || v.impact === 'critical')
      found.push(`${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map(n => n.target.join(' ')).join('; ')}`);
  }
  return found;
}"""


def set_theme(server, name: str) -> None:
    """Choose JupyterLab's theme as a user does in Settings → Theme: it is kept in the user's settings."""
    settings = (
        server.root.parent / "lab-user-settings" / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    )
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"theme": name}))


def test_axe_finds_no_serious_violation_in_exercises_light_and_dark(lab):
    assert AXE.exists(), "run `make js-deps` (npm ci) to install axe-core"
    server, _ = lab
    errors: list[str] = []
    found: list[str] = []
    with chromium_page(errors) as page:
        for theme in ("JupyterLab Dark", "JupyterLab Light"):
            set_theme(server, theme)
            open_and_run_all(page, server, TOPIC, 6)
            light = "true" if theme.endswith("Light") else "false"
            page.wait_for_function(f"document.body.dataset.jpThemeLight === '{light}'")
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            found += [f"{theme}: {v}" for v in page.evaluate(SERIOUS)]
            found += [f"{theme}: contrast {v}" for v in page.evaluate(CONTRAST)]
            shot(page, f"05-topic-{theme.split()[1].lower()}")
        # the check is not vacuous: a planted low-contrast line inside an exercise is found
        planted = page.locator(".coursekit-exercise").first
        planted.evaluate(
            "e => e.insertAdjacentHTML('beforeend', '<p style=\"color:#9ca4af;background:#ced6dd\">Hard to read</p>')"
        )
        planted.scroll_into_view_if_needed()
        assert any("Hard to read" in v for v in page.evaluate(CONTRAST))
        # and axe is not blind here: an unlabelled field planted in an exercise is a serious violation
        planted.evaluate("e => e.appendChild(document.createElement('input'))")
        assert any(v.startswith("label") for v in page.evaluate(SERIOUS))
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert not found, "\n".join(found)
    assert not [e for e in errors if "favicon" not in e], errors


def test_keys_in_a_topic_interactive_go_to_its_form(lab):
    """The topic interactives are forms of the same renderer: topic 8's NIS2 classifier takes arrows and letters
    in its drop-down and digits in its number box, and the kernel's result arrives in the form's live region."""
    server, _ = lab
    errors: list[str] = []
    with chromium_page(errors) as page:
        page.goto(server.lab_url("08-nis/08-nis.ipynb"))
        page.wait_for_selector(".jp-Notebook", timeout=90_000)
        wait_idle(page)
        run_all_cells(page, "document.querySelector('.coursekit-form[data-coursekit-ready]') !== null", timeout=120_000)
        wait_idle(page)
        state = page.evaluate(NOTEBOOK_STATE)
        result = page.locator(".coursekit-form .coursekit-result").first
        assert "Result: essential entity under NIS2." in result.inner_text()  # the example, computed by Python
        sector = page.get_by_label("Sector (NIS2 annexes):").first
        sector.focus()
        before = sector.input_value()
        press(page, "ArrowDown", state)
        after_arrow = sector.input_value()
        assert after_arrow != before, "ArrowDown should move the drop-down to the next sector"
        for key in ("b", "a", "m"):
            press(page, key, state)  # type-ahead in the drop-down, never a new cell or a Markdown cell
        chosen = sector.input_value()
        page.wait_for_function(
            "s => document.querySelector('.coursekit-form .coursekit-result').textContent.includes(s)",
            arg=chosen,
            timeout=15_000,
        )  # the kernel answered for the sector now chosen
        employees = page.get_by_label("Employees (headcount):").first
        employees.focus()
        employees.fill("")
        for key in ("3", "a", "0"):
            press(page, key, state)  # "a" is not a digit: the box refuses it, the notebook never sees it
        assert employees.input_value() == "30"
        subsector = page.get_by_label("Subsector:").first
        subsector.focus()
        press(page, "Shift+Enter", state)
        shot(page, "06-nis2-form-keys")
    assert not [e for e in errors if "favicon" not in e], errors
