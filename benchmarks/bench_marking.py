"""Benchmark marking one written item for 25 participants by keyboard: the marking view against formgrader.

Same run, same class, same JupyterLab server: 25 answers to a written item with a 4-criterion rubric (levels
worth 0, 1, 2; the levels of each answer drawn from a fixed seed). In the marking view each answer gets a level
per criterion and a bank comment; the comment is written and kept once, at the first answer (counted apart).
In formgrader each answer gets the same total (typed, the levels summed in the head: formgrader cannot record
levels) and the same comment (pasted: counted as one key press, which favours formgrader), going from
submission to submission with its own Ctrl+. shortcut, which keeps the focus on the same input. Offline (as
the course runs) formgrader's script stops at MathJax, which it loads from a CDN, before its shortcuts are set
up; the benchmark says so, then measures formgrader with a stand-in MathJax, at its best.

Counted per answer: key presses (a chord such as Shift+1 or Ctrl+. is one), seconds until the mark is in the
gradebook's page state and the next answer is shown, and scrolling: in the marking view the page's scroll
offset moves (0 when everything is on one screen); in formgrader the distance between the rubric (in the
exercise's definition, shown as code) and the score box, which the instructor scrolls to read both, and the
page's height. Goal (issue 28): at most 6 key presses per answer and under half of formgrader's.

Run: ``.venv/bin/python benchmarks/bench_marking.py`` (about three minutes). Saves a screenshot of the
marking view to test-artifacts/marking-view.png.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import ARTIFACTS, JupyterLab, chromium_page  # noqa: E402
from marking_class import ITEM, TOPIC, build_marking_class, open_marking_view  # noqa: E402

SIZE = 25
COMMENT = "Tie each channel to an audience."
VIEW = ".coursekit-marking"
# formgrader loads MathJax from a CDN; offline its page script stops at the first use of MathJax, before it
# sets up its keyboard shortcuts. This stand-in lets it finish, so formgrader is measured at its best.
MATHJAX_STUB = (
    "window.MathJax = {Hub: {Queue: function () {}, Config: function () {}, "
    "Startup: {signal: {Interest: function (fn) { setTimeout(function () { fn('End'); }, 0); }}}}};"
)


def marking_view(page, server, course, levels: list[tuple[int, ...]]) -> dict:
    open_marking_view(page, server, course)
    page.focus(f"{VIEW} .coursekit-marking-surface")
    scroller = ".jp-WindowedPanel-outer"
    top = page.evaluate(f"(document.querySelector('{scroller}') || document.scrollingElement).scrollTop")
    presses, seconds, scrolled, setup = [], [], [], 0
    for i in range(SIZE):
        start, keys = time.perf_counter(), 0
        for level in levels[i]:
            page.keyboard.press(str(level + 1))
            keys += 1
        if i == 0:  # write the comment once and keep it in the bank (a one-off, counted apart)
            page.keyboard.press("c")
            page.keyboard.type(COMMENT)
            page.keyboard.press("Escape")
            page.keyboard.press("b")
            setup = 3 + len(COMMENT)
            page.wait_for_selector(f"{VIEW} [data-mk='bank-0']")
        else:
            page.keyboard.press("Shift+Digit1")
            keys += 1
        page.wait_for_function(
            f"document.querySelector('{VIEW} .coursekit-marking-progress').textContent === '{i + 1} of {SIZE} marked'"
        )
        if i < SIZE - 1:
            page.keyboard.press("Enter")
            keys += 1
            page.wait_for_function(
                f"document.querySelector('{VIEW}').innerText.includes('Participant {i + 2} of {SIZE}')"
            )
        seconds.append(time.perf_counter() - start)
        presses.append(keys)
        now = page.evaluate(f"(document.querySelector('{scroller}') || document.scrollingElement).scrollTop")
        scrolled.append(abs(now - top))
        top = now
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(VIEW).screenshot(path=str(ARTIFACTS / "marking-view.png"))
    height = page.evaluate(f"document.querySelector('{VIEW}').getBoundingClientRect().height")
    return {
        "key presses per answer": statistics.mean(presses),
        "most key presses for one answer": max(presses),
        "one-off key presses (write and keep the comment)": setup,
        "seconds per answer (median)": statistics.median(seconds),
        "scroll per answer (px, mean)": statistics.mean(scrolled),
        "view height (px)": height,
    }


def formgrader(page, server, course, levels: list[tuple[int, ...]]) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        first = min(
            (gb.find_submission_notebook(TOPIC, TOPIC, s.student.id) for s in gb.assignment_submissions(TOPIC)),
            key=lambda nb: nb.id,
        )
    page.context.set_extra_http_headers({"Authorization": f"token {server.token}"})
    url = f"{server.url}/formgrader/submissions/{first.id}/?token={server.token}"
    page.goto(url)
    page.wait_for_selector(f"#{ITEM}")
    page.wait_for_timeout(1000)
    offline_shortcuts = page.evaluate("typeof formgrader !== 'undefined' && !!formgrader.keyboard_manager")
    page.add_init_script(MATHJAX_STUB)  # formgrader as it is online, at its best: shortcuts and focus work
    page.goto(url)
    page.wait_for_selector(f"#{ITEM}")
    presses, seconds, distance, heights = [], [], [], []
    for i in range(SIZE):
        start, keys = time.perf_counter(), 0
        page.wait_for_selector(f"#{ITEM}")
        page.wait_for_timeout(300)  # formgrader loads grades and comments after the page
        # to the written item's score box: formgrader's Tab moves from score box to comment box to score box
        while page.evaluate("document.activeElement && document.activeElement.id") != ITEM:
            page.keyboard.press("Tab")
            keys += 1
            if keys > 40:
                raise RuntimeError("the score box was not reached by Tab")
        total = str(sum(levels[i]))
        page.keyboard.type(total)  # formgrader selects the box's content when it takes the focus
        keys += len(total)
        while page.evaluate("document.activeElement && document.activeElement.id") != f"{ITEM}-comment":
            page.keyboard.press("Tab")  # on to the comment box (past the extra-credit box); the score is saved
            keys += 1
            if keys > 60:
                raise RuntimeError("the comment box was not reached by Tab")
        page.keyboard.type(COMMENT)  # counted as one key press: a paste
        page.keyboard.press("Tab")  # out of the comment box; the comment is saved
        keys += 2
        page.wait_for_timeout(300)
        rubric = page.locator(".cell", has_text="RubricCriterion").first
        box = page.locator(f"#{ITEM}")
        distance.append(abs(box.bounding_box()["y"] - rubric.bounding_box()["y"]))
        heights.append(page.evaluate("document.documentElement.scrollHeight"))
        here = page.url
        page.keyboard.press("Control+Period")  # formgrader saves, then opens the next submission
        keys += 1
        page.wait_for_url(lambda url, here=here: url != here)
        page.wait_for_load_state("load")
        seconds.append(time.perf_counter() - start)
        presses.append(keys)
    with Gradebook(course.db_url, course.course_id) as gb:
        saved = sum(
            gb.find_grade(ITEM, TOPIC, TOPIC, s.student.id).manual_score is not None
            for s in gb.assignment_submissions(TOPIC)
        )
        commented = sum(
            gb.find_comment(ITEM, TOPIC, TOPIC, s.student.id).manual_comment == COMMENT
            for s in gb.assignment_submissions(TOPIC)
        )
    return {
        "keyboard shortcuts work offline (as the course runs)": offline_shortcuts,
        "key presses per answer": statistics.mean(presses),
        "key presses after the first answer (mean)": statistics.mean(presses[1:]),
        "seconds per answer (median)": statistics.median(seconds),
        "scroll between rubric and score box per answer (px, mean)": statistics.mean(distance),
        "page height (px, mean)": statistics.mean(heights),
        "marks saved in the gradebook": saved,
        "comments saved in the gradebook": commented,
    }


def main() -> int:
    rng = random.Random(28)
    levels = [tuple(rng.randrange(3) for _ in range(4)) for _ in range(SIZE)]
    saved = {k: os.environ.get(k) for k in ("COURSEKIT_DB_URL", "COURSEKIT_EXCHANGE")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        root.mkdir()
        started = time.perf_counter()
        course = build_marking_class(root, SIZE)
        print(f"class of {SIZE} built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        errors: list[str] = []
        try:
            with JupyterLab(root, Path(tmp) / "server.log", instructor=True) as server:
                with chromium_page(errors) as page:
                    view = marking_view(page, server, course, levels)
                # formgrader marks the same answers again, from a fresh gradebook state for this item
                from nbgrader.api import Gradebook

                with Gradebook(course.db_url, course.course_id) as gb:
                    for s in gb.assignment_submissions(TOPIC):
                        grade = gb.find_grade(ITEM, TOPIC, TOPIC, s.student.id)
                        grade.manual_score, grade.needs_manual_grade = None, True
                    gb.db.commit()
                with chromium_page(errors) as page:
                    grader = formgrader(page, server, course, levels)
        finally:
            for key, value in saved.items():
                os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    ratio = view["key presses per answer"] / grader["key presses per answer"]
    result = {
        "answers": SIZE,
        "criteria": 4,
        "marking view": view,
        "formgrader": grader,
        "key presses, view / formgrader": round(ratio, 2),
        "goal: at most 6 key presses per answer": view["most key presses for one answer"] <= 6,
        "goal: under half of formgrader's key presses": ratio < 0.5,
        "screenshot": str(ARTIFACTS / "marking-view.png"),
        "browser errors": errors,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
