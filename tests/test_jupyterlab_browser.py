"""A participant's session in real JupyterLab 4, driven in Debian's Chromium with real clicks and keys.

Runs the released orientation notebook (every exercise type) and a topic notebook, answers one exercise
of each type, restarts the kernel and reloads the page, and checks that every answer comes back, that the
answers file holds exactly what was answered, and that ``nbgrader validate`` accepts the saved notebook.
Screenshots of each step go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from browser import ARTIFACTS, CHROMIUM, JupyterLab, chromium_page, run_all_cells, wait_idle

from coursekit.grading import load_plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
ORIENTATION = "00-orientation/00-orientation.ipynb"
TOPIC = "07-norms/07-norms.ipynb"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make system-deps` (apt-get install chromium)")
    from coursekit.course import Course
    from coursekit.workflow import generate_release

    course_root = tmp_path_factory.mktemp("labcourse")
    shutil.copy(REPO / "nbgrader_config.py", course_root)
    shutil.copy(REPO / "_config.yml", course_root)
    for topic in ("00-orientation", "07-norms"):
        shutil.copytree(REPO / "notebooks" / topic, course_root / "notebooks" / topic)
    course = Course(course_root)
    for topic in ("00-orientation", "07-norms"):
        generate_release(course, topic)
    home = tmp_path_factory.mktemp("participant")
    shutil.copytree(course.release, home, dirs_exist_ok=True)
    ARTIFACTS.mkdir(exist_ok=True)
    with JupyterLab(home, ARTIFACTS / "jupyterlab-server.log") as server:
        yield server, home


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"lab-{name}.png"), full_page=False)


def open_and_run_all(page, server, path: str, expected_exercises: int) -> None:
    page.goto(server.lab_url(path))
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    wait_idle(page)
    run_all_cells(page)
    page.wait_for_function(
        f"document.querySelectorAll('.coursekit-exercise').length >= {expected_exercises}", timeout=120_000)
    wait_idle(page)


def exercise(page, prompt_text: str):
    return page.locator(".coursekit-exercise", has_text=prompt_text).first


def restart_and_run_all(page) -> None:
    page.get_by_role("menuitem", name="Kernel", exact=True).click()
    page.get_by_role("menuitem", name="Restart Kernel and Run All Cells…").click()
    page.locator(".jp-Dialog-footer button.jp-mod-accept").click()
    page.wait_for_timeout(1500)
    wait_idle(page)


def test_participant_answers_every_type_and_finds_them_again(lab):
    server, home = lab
    errors: list[str] = []
    with chromium_page(errors) as page:
        open_and_run_all(page, server, ORIENTATION, 8)
        shot(page, "01-opened")

        # answers and expected texts come from the definitions, so the test follows the course's wording
        ex = load_plan(REPO / "notebooks" / ORIENTATION).all_exercises
        keyed = load_plan(REPO / "notebooks" / ORIENTATION).keyed
        modes, pillars, places = ex["orientation-modes"], ex["orientation-pillars"], ex["orientation-match-places"]
        reports, norms, story = ex["orientation-order-reports"], ex["orientation-number-norms"], ex["orientation-scenario"]
        graded_def = keyed["orientation-graded-submit"]

        single = exercise(page, "What happens?")
        right = next(c for c in modes.choices if c.value == modes.key)
        single.get_by_text(right.text, exact=True).click()
        single.get_by_role("button", name="Check").click()
        single.get_by_text("Correct.").wait_for()

        multi = exercise(page, "Which of these are pillars")
        picked = [c for c in pillars.choices if c.value in pillars.key][:2]
        for choice in picked:
            multi.get_by_text(choice.text, exact=True).click()
        multi.get_by_role("button", name="Check").click()
        multi.get_by_text("Partly right").wait_for()

        match = exercise(page, "Match each body")
        match.locator("select").nth(0).select_option(places.key[places.left[0]])
        match.locator("select").nth(1).focus()
        page.keyboard.press("ArrowDown")  # keyboard: first real option
        match.locator("select").nth(1).select_option(places.key[places.left[1]])
        match.get_by_role("button", name="Check").click()
        match.get_by_text(f"2 of {len(places.left)} pairs right").wait_for()

        order = exercise(page, "Put these UN expert group")
        # with the keyboard: focus "Move up" of the second item and press Enter
        order.get_by_role("button", name="Move up").nth(1).focus()
        page.keyboard.press("Enter")
        order.get_by_role("button", name="Check").click()
        order.get_by_text("items in the right place").wait_for()
        moved = list(reports.items)
        moved[0], moved[1] = moved[1], moved[0]

        number = exercise(page, "How many voluntary, non-binding norms")
        field = number.locator("input[type=number]").first
        field.fill(f"{norms.key:g}")
        field.press("Enter")
        number.get_by_role("button", name="Check").click()
        number.get_by_text("Correct.").wait_for()

        text = exercise(page, "what do you hope to be able to do")
        text.locator("textarea").fill("Prepare a statement and a negotiating position.")
        text.get_by_role("button", name="Save and compare").click()
        text.get_by_text("Model answer").wait_for()

        scen = exercise(page, "A first taste of the scenarios")
        path, step_id = [], story.start
        while step_id is not None:  # the first option at every step
            option = story.step(step_id).options[0]
            scen.get_by_text(option.text, exact=True).click()
            scen.get_by_role("button", name="Decide").click()
            path.append([step_id, option.value])
            step_id = option.next_step
        scen.get_by_text("End of the scenario").wait_for()

        graded = exercise(page, graded_def.prompt[:40])
        graded_right = next(c for c in graded_def.choices if c.value == graded_def.key)
        graded.get_by_text(graded_right.text, exact=True).click()
        graded.get_by_role("status").get_by_text("Saved").wait_for()
        assert graded.locator(".coursekit-feedback-lines").count() == 0
        shot(page, "02-answered")

        saved = json.loads((home / "00-orientation" / "coursekit_answers.json").read_text())["answers"]
        expected = {
            "orientation-modes": right.value,
            "orientation-pillars": [c.value for c in picked],
            "orientation-match-places": {left: places.key[left] for left in places.left[:2]},
            "orientation-order-reports": moved,
            "orientation-number-norms": float(norms.key),
            "orientation-why-here": "Prepare a statement and a negotiating position.",
            "orientation-scenario": path,
            "orientation-graded-submit": graded_right.value,
        }
        assert {k: v["value"] for k, v in saved.items()} == expected

        restart_and_run_all(page)
        page.wait_for_function("document.querySelectorAll('.coursekit-exercise').length >= 8", timeout=120_000)
        shot(page, "03-after-restart")
        assert exercise(page, "What happens?").locator("input[type=radio]:checked").count() == 1
        assert exercise(page, "Match each body").locator("select").nth(0).input_value() == places.key[places.left[0]]

        page.keyboard.press("Control+s")
        page.wait_for_timeout(1000)
        page.reload()
        open_and_run_all(page, server, ORIENTATION, 8)
        shot(page, "04-after-reload")
        assert exercise(page, "Which of these are pillars").locator("input[type=checkbox]:checked").count() == 2
        assert float(exercise(page, "How many voluntary").locator("input[type=number]").first.input_value()) == norms.key
        assert exercise(page, "what do you hope").locator("textarea").input_value().startswith("Prepare a statement")
        assert exercise(page, "A first taste").get_by_text("End of the scenario").count() == 1
        assert exercise(page, graded_def.prompt[:40]).get_by_text("saved answer is shown").count() == 1
        assert {k: v["value"] for k, v in json.loads(
            (home / "00-orientation" / "coursekit_answers.json").read_text())["answers"].items()} == expected
    assert not [e for e in errors if "favicon" not in e], errors
    assert "Traceback" not in server.server_log()

    validate = subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", str(home / ORIENTATION)],
        capture_output=True, text=True, cwd=home, timeout=300,
        env={**__import__("os").environ, "PATH": f"{Path(sys.executable).parent}:{__import__('os').environ['PATH']}"},
    )
    assert "Success" in validate.stdout + validate.stderr, validate.stdout + validate.stderr


def test_a_topic_notebook_renders_every_exercise(lab):
    server, home = lab
    errors: list[str] = []
    with chromium_page(errors) as page:
        open_and_run_all(page, server, TOPIC, 6)
        shot(page, "05-topic")
        assert page.locator(".coursekit-exercise").count() >= 6
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert not [e for e in errors if "favicon" not in e], errors
