"""What a participant sees on opening a released topic in JupyterLab 4 (issue 29), in Debian's Chromium.

The server starts as participants' servers do (``tests/browser.py``: the participant's Jupyter configuration
first on ``JUPYTER_CONFIG_PATH``). Right after the notebook opens and its kernel is idle there must be no
nbgrader Create Assignment panel, no Validate button, no news toast, no unsaved-changes dot and no empty
folded bar; the Nbgrader menu offers the Assignment List and nothing of the instructor's, and it opens.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser import ARTIFACTS, JupyterLab, chromium_page, released_course, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
TOPIC = "08-nis"

SEEN = """() => ({
  dirty: document.querySelectorAll('.jp-mod-dirty').length,
  toasts: Array.from(document.querySelectorAll('.Toastify__toast')).map(t => t.innerText),
  buttons: Array.from(document.querySelectorAll('.jp-NotebookPanel-toolbar .jp-ToolbarButtonComponent-label'))
    .map(b => b.innerText.trim()).filter(Boolean),
  sidebar: Array.from(document.querySelectorAll('.jp-SideBar .lm-TabBar-tab')).map(t => t.title),
  folded: document.querySelectorAll('.jp-Notebook .jp-InputPlaceholder').length,
  emptyBars: document.querySelectorAll('.jp-Notebook .jp-InputPlaceholder .jp-PlaceholderText:empty').length,
})"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    release = released_course(tmp_path_factory, (TOPIC,), "quietcourse")
    home = tmp_path_factory.mktemp("participant")
    shutil.copytree(release, home, dirs_exist_ok=True)
    with JupyterLab(home, ARTIFACTS / "quiet-lab-server.log", user="participant-q") as server:
        yield server


def test_a_released_topic_opens_without_instructor_tools_news_unsaved_dot_or_empty_bars(lab):
    errors: list[str] = []
    with chromium_page(errors) as page:
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(lab.lab_url(f"{TOPIC}/{TOPIC}.ipynb"))
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        wait_idle(page)
        page.wait_for_timeout(3000)  # the news toast and the kernel's language_info both come after idle
        page.screenshot(path=str(ARTIFACTS / "quiet-lab-open.png"))
        seen = page.evaluate(SEEN)
        assert seen["dirty"] == 0, "the notebook is marked as changed right after opening"
        assert seen["toasts"] == []
        assert "Validate" not in seen["buttons"] and seen["buttons"], seen["buttons"]
        assert "Nbgrader Create Assignment" not in seen["sidebar"] and "File Browser (Ctrl+Shift+F)" in seen["sidebar"]
        assert seen["folded"] > 10 and seen["emptyBars"] == 0, seen
        # no export menu and no build check, and so no request that makes the server load every nbconvert
        # exporter or run Node.js
        assert not [url for url in asked if "/api/nbconvert" in url or "/lab/api/build" in url]
        page.get_by_role("menuitem", name="File", exact=True).click()
        file_menu = [t.strip() for t in page.locator(".lm-Menu .lm-Menu-itemLabel").all_inner_texts()]
        assert "Download" in file_menu and not [t for t in file_menu if "Export" in t], file_menu
        page.keyboard.press("Escape")

        page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
        shown = page.locator(".lm-Menu .lm-Menu-item:not(.lm-mod-hidden)")
        shown.first.wait_for()
        assert [t.strip() for t in shown.all_inner_texts()] == ["Assignment List"]
        page.screenshot(path=str(ARTIFACTS / "quiet-lab-menu.png"))
        shown.first.click()
        page.locator(".lm-TabBar-tab", has_text="Assignments").first.wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "quiet-lab-assignments.png"))
