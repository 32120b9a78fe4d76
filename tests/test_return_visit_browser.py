"""The participant's second day (issue 29): answer, save the notebook, come back, in real JupyterLab 4.

Three visits to one notebook with a practice and a graded exercise, in Debian's Chromium:

1. answer both, save the notebook (File ▸ Save Notebook);
2. reload the page while the kernel still runs: the exercises come back live, with the answers;
3. stop the server, start a fresh one and open the notebook without running anything: each exercise is drawn
   from the widget state saved in the notebook, with the saved answer, disabled, and one line says how to
   make it live again; never "Loading widget..." nor "Error displaying widget". Run All makes them live.

JupyterLab saves widget state in the notebook only with the widget manager's ``saveState`` setting, which the
participant's JupyterLab settings turn on (``coursekit.participant.lab_config``): the server here starts with
them, as participants' servers do.
Screenshots go to ``test-artifacts/`` and ``/tmp/coursekit-return-visit-*.png``.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from browser import ARTIFACTS, CHROMIUM, JupyterLab, chromium_page, open_and_run_all, run_all_cells, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFFLINE = "Not connected to Python"
HOW = "To answer again, choose Run \u25b8 Run All Cells. Your saved answers are kept."
CELLS = [
    "from coursekit import Choice, ShortText, SingleChoice",
    'SingleChoice(id="visit-practice", prompt="Which city hosts the CCDCOE?", outcomes=["LO1"], key="Tallinn",\n'
    '             choices=[Choice("Tallinn", feedback="Yes."), Choice("Vilnius", feedback="No.")])',
    'ShortText(id="visit-graded", prompt="Why does attribution matter?", mode="graded", points=2, outcomes=["LO1"])',
]


def shot(page, name: str) -> None:
    for target in (ARTIFACTS / f"return-visit-{name}.png", Path(f"/tmp/coursekit-return-visit-{name}.png")):
        page.screenshot(path=str(target), full_page=True)


def page_text(page) -> str:
    return page.locator(".jp-Notebook").inner_text()


def test_a_saved_notebook_comes_back_with_its_answers_and_says_how_to_answer_again(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make system-deps` (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    home = tmp_path / "home"
    home.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, home / "visit.ipynb")
    written = "Because a response needs a responsible State."
    errors: list[str] = []
    with chromium_page(errors) as page:
        # 1. first day: answer both exercises, save the notebook
        with JupyterLab(home, ARTIFACTS / "return-visit-server-1.log") as server:
            open_and_run_all(page, server, "visit.ipynb", 2)
            practice = page.locator(".coursekit-exercise[aria-label$=' visit-practice']")
            graded = page.locator(".coursekit-exercise[aria-label$=' visit-graded']")
            practice.get_by_label("Tallinn").check()
            graded.locator("textarea").fill(written)
            graded.locator("textarea").blur()
            graded.locator(".coursekit-status", has_text="Saved").wait_for()
            page.get_by_role("menuitem", name="File", exact=True).click()
            page.get_by_role("menuitem", name="Save Notebook", exact=False).first.click()
            page.wait_for_function("!document.querySelector('.jp-mod-dirty')", timeout=30_000)
            saved = json.loads((home / "visit.ipynb").read_text())
            assert "application/vnd.jupyter.widget-state+json" in saved["metadata"].get("widgets", {})

            # 2. reload while the kernel runs: live again, nothing to do
            page.goto(server.lab_url("visit.ipynb"))
            practice.wait_for()
            page.wait_for_timeout(5000)  # longer than the page waits for the kernel's answer
            shot(page, "reload")
            assert practice.get_by_label("Tallinn").is_checked() and practice.get_by_label("Tallinn").is_enabled()
            assert OFFLINE not in page_text(page) and "Loading widget" not in page_text(page)

        # 3. the next day: a fresh server, the notebook opened and nothing run
        with JupyterLab(home, ARTIFACTS / "return-visit-server-2.log") as server:
            page.goto(server.lab_url("visit.ipynb"))
            page.wait_for_selector(".jp-Notebook", timeout=90_000)
            wait_idle(page)
            page.wait_for_selector(".coursekit-exercise[data-coursekit-offline]", timeout=30_000)
            page.wait_for_function(
                "document.querySelectorAll('.coursekit-exercise[data-coursekit-offline]').length == 2"
            )
            shot(page, "next-day")
            text = page_text(page)
            assert "Loading widget" not in text and "Error displaying widget" not in text
            assert text.count(HOW) == 2, text
            for exercise in (practice, graded):
                assert exercise.locator(".coursekit-kernel-note").is_visible()
            assert practice.get_by_label("Tallinn").is_checked() and practice.get_by_label("Tallinn").is_disabled()
            assert graded.locator("textarea").input_value() == written and graded.locator("textarea").is_disabled()

            # Run All: live again, the saved answers shown by the kernel, the line gone
            run_all_cells(page, "document.querySelectorAll('.coursekit-exercise[data-coursekit-offline]').length == 0")
            wait_idle(page)
            page.wait_for_timeout(4000)
            shot(page, "after-run-all")
            assert OFFLINE not in page_text(page)
            assert practice.get_by_label("Tallinn").is_checked() and practice.get_by_label("Tallinn").is_enabled()
            assert graded.locator("textarea").input_value() == written and graded.locator("textarea").is_enabled()
    assert not [e for e in errors if "coursekit" in e.lower() or "syncing error" in e.lower()], errors
