""" "My course" in real JupyterLab (Chromium): a participant coming back sees where they stand and takes their
written work home, by keyboard alone (issue 29).

The participant's folders are a real release (``generate_release``) with answers already saved in topic 1;
the test types a name and presses Enter on "Make my document", then opens the document the page announced and
finds their answers in it. Keys typed into the form must never reach JupyterLab's notebook shortcuts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from browser import ARTIFACTS, JupyterLab, chromium_page, released_course, run_all_cells, wait_idle
from docx import Document

from coursekit.core.store import ANSWERS_FILENAME
from coursekit.grading.hidden_tests import load_plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
TOPICS = ("00-orientation", "01-introduction")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CELLS = "() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    release = released_course(tmp_path_factory, TOPICS, "mycourse")
    home = tmp_path_factory.mktemp("participant")
    shutil.copytree(release, home, dirs_exist_ok=True)
    with JupyterLab(home, ARTIFACTS / "my-course-server.log") as server:
        yield server, home


def test_a_returning_participant_sees_where_they_stand_and_takes_their_work_home(lab):
    server, home = lab
    plan = load_plan(REPO / "notebooks" / "01-introduction" / "01-introduction.ipynb")
    written = next(i for i in plan.manual)  # a graded written answer of topic 1
    saved = {
        "strategy-log-01": "Romania should lead on capacity building in the Eastern Partnership.",
        written: "A first paragraph of my written answer.\n\nA second paragraph with the timeline.",
    }
    entries = {k: {"value": v, "saved_at": "2026-05-18T09:30:00+00:00", "attempts": 1} for k, v in saved.items()}
    (home / "01-introduction" / ANSWERS_FILENAME).write_text(
        json.dumps({"format": "coursekit-answers", "version": 1, "answers": entries}), encoding="utf-8"
    )
    errors: list[str] = []
    with chromium_page(errors) as page:
        page.goto(server.lab_url("00-orientation/00-orientation.ipynb"))
        page.wait_for_selector(".jp-Notebook", timeout=90_000)
        wait_idle(page)
        run_all_cells(page, "document.querySelector('.coursekit-form[data-coursekit-ready]') !== null", 120_000)
        wait_idle(page)
        table = page.locator(".coursekit-form .coursekit-progress")
        assert "Where you stand" in table.inner_text()
        row = page.locator(".coursekit-progress tr", has_text="Topic 1").inner_text()
        assert "written" in row, row  # the strategy-log entry saved in topic 1
        cells = page.evaluate(CELLS)

        name = page.get_by_label("Your name, as it should appear on your document:")
        name.focus()
        page.keyboard.type("Ana Popescu")  # letters such as a, b, m are notebook shortcuts outside the form
        assert name.input_value() == "Ana Popescu" and page.evaluate(CELLS) == cells
        page.keyboard.press("Tab")  # to "Show where I stand"
        page.keyboard.press("Tab")  # to "Make my document"
        focused = page.evaluate("() => document.activeElement.textContent")
        assert focused == "Make my document", focused
        page.keyboard.press("Enter")
        result = page.locator(".coursekit-form .coursekit-result")
        result.filter(has_text="Your document is ready").wait_for(timeout=30_000)
        assert page.evaluate(CELLS) == cells, "a key reached the notebook"
        page.screenshot(path=str(ARTIFACTS / "my-course.png"), full_page=False)

        if AXE.exists():
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(
                "async () => (await axe.run('.coursekit-form', {resultTypes: ['violations']})).violations"
                ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)"
            )
            assert found == [], found

    document = home / "00-orientation" / "my-course-work.docx"
    paragraphs = [p.text for p in Document(str(document)).paragraphs]
    assert any("Ana Popescu" in p for p in paragraphs)
    for text in saved.values():
        for part in text.split("\n\n"):
            assert part in paragraphs, part
    assert not [e for e in errors if "favicon" not in e], errors
