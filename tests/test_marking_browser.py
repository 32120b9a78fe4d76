"""The marking view in Chromium, by keyboard: one written item marked for a class of six by rubric levels and a
bank comment, and the same marks and levels in the gradebook, the export, the report and every participant's
feedback page; names hidden until the toggle; a resubmitted text flagged; a level's new points re-score.

Entering the view is one focus (as a click or Tab would); everything after it is key presses.
"""

from __future__ import annotations

import csv
import os
import re

import pytest
from browser import ARTIFACTS, JupyterLab, chromium_page
from marking_class import (
    CRITERIA,
    ITEM,
    TOPIC,
    answer_text,
    build_marking_class,
    cli,
    open_marking_view,
    resubmit,
    student_id,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIZE = 6
LEVELS = {n: ((n + 1) % 3, n % 3, (n + 2) % 3, 2 if n % 2 else 1) for n in range(SIZE)}  # level index per criterion
COMMENT = "Name the goal first."
LABELS = ("missing", "named", "named and argued")
VIEW = ".coursekit-marking"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    saved = {k: os.environ.get(k) for k in ("COURSEKIT_DB_URL", "COURSEKIT_EXCHANGE")}
    try:
        yield build_marking_class(tmp_path_factory.mktemp("marking-course"), SIZE)
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)


def gradebook_marks(course) -> dict[str, tuple[float | None, str | None]]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        waiting = [s.student.id for s in gb.assignment_submissions(TOPIC) if s.needs_manual_grade]
        assert waiting == [] or all(gb.find_grade(ITEM, TOPIC, TOPIC, s).manual_score is None for s in waiting)
        return {
            student_id(n): (
                gb.find_grade(ITEM, TOPIC, TOPIC, student_id(n)).manual_score,
                gb.find_comment(ITEM, TOPIC, TOPIC, student_id(n)).manual_comment,
            )
            for n in range(SIZE)
        }


def wait(page, condition: str, errors: list[str]) -> None:
    """Wait until the JavaScript ``condition`` holds; on a timeout, say what the view showed."""
    try:
        page.wait_for_function(condition, timeout=20_000)
    except Exception as err:
        shown = page.locator(VIEW).inner_text() if page.locator(VIEW).count() else "(no view)"
        raise AssertionError(f"{condition}\n--- the view showed:\n{shown}\n--- errors: {errors}") from err


def shown_participant(page) -> int:
    text = page.locator(f"{VIEW} .coursekit-marking-answer").inner_text()
    return next(n for n in range(SIZE) if answer_text(n).strip() == text.strip() or text.strip() in answer_text(n))


def test_a_written_item_is_marked_by_keyboard_and_every_output_agrees(course, tmp_path):
    errors: list[str] = []
    with JupyterLab(course.root, tmp_path / "server.log", instructor=True) as server, chromium_page(errors) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        open_marking_view(page, server, course)
        view = page.locator(VIEW)
        shown = view.inner_text()
        assert "Participant 1 of 6" in shown and "0 of 6 marked" in shown
        assert not any(student_id(n) in shown or f"First{n}" in shown for n in range(SIZE)), "names shown unasked"

        page.focus(f"{VIEW} .coursekit-marking-surface")
        keys = 0
        for i in range(SIZE):
            n = shown_participant(page)
            if n == 0:  # the hostile text is shown as the characters it is
                answer = page.locator(f"{VIEW} .coursekit-marking-answer")
                assert "<script>document.title='pwned'</script>" in answer.inner_text()
                assert answer.locator("b, script").count() == 0
            for level in LEVELS[n]:
                page.keyboard.press(str(level + 1))
                keys += 1
            assert page.evaluate("document.activeElement.getAttribute('data-mk')") == "surface", "focus left the view"
            if i == 0:  # write the comment once, keep it in the bank (b), then reuse it by key for the others
                page.keyboard.press("c")
                page.keyboard.type(COMMENT)
                page.keyboard.press("Escape")
                page.keyboard.press("b")
                page.wait_for_selector(f"{VIEW} [data-mk='bank-0']")
            else:
                page.keyboard.press("Shift+Digit1")
                keys += 1
            score = sum(LEVELS[n])
            wait(
                page,
                f"document.querySelector('{VIEW} .coursekit-marking-score').textContent === 'Score: {score} of 8' && "
                f"document.querySelector('{VIEW} .coursekit-marking-progress').textContent === '{i + 1} of 6 marked'",
                errors,
            )
            if i < SIZE - 1:
                page.keyboard.press("Enter")
                keys += 1
                wait(page, f"document.querySelector('{VIEW}').innerText.includes('Participant {i + 2} of 6')", errors)
        assert keys <= 6 * SIZE - 1, keys
        assert page.title() != "pwned" and not dialogs
        page.wait_for_timeout(500)
        expected = {student_id(n): (float(sum(LEVELS[n])), COMMENT) for n in range(SIZE)}
        assert gradebook_marks(course) == expected

        # names: hidden until the toggle, then shown with the id
        page.focus(f"{VIEW} [data-mk='names']")
        page.keyboard.press("Enter")
        wait(page, f"document.querySelector('{VIEW} [data-mk=names]').getAttribute('aria-pressed') === 'true'", errors)
        n = shown_participant(page)
        assert f"First{n}" in view.inner_text() and student_id(n) in view.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.keyboard.press("Enter")  # hide them again for the screenshot
        wait(page, f"document.querySelector('{VIEW} [data-mk=names]').getAttribute('aria-pressed') === 'false'", errors)
        view.screenshot(path=str(ARTIFACTS / "marking-view.png"))
        assert not errors, errors

    # export, report and feedback pages show the same marks (and the pages the same levels)
    cli(course.root, "export", "--output", str(course.root / "grades.csv"))
    with open(course.root / "grades.csv", encoding="utf-8") as handle:
        exported = {r["student"]: float(r["score"]) for r in csv.DictReader(handle) if r["exercise_id"] == ITEM}
    assert exported == {s: score for s, (score, _) in expected.items()}
    cli(course.root, "report", TOPIC, "--output", str(course.root / "report.html"))
    report = (course.root / "report.html").read_text(encoding="utf-8")
    row = re.search(r"<tr>(?:(?!</tr>).)*?<td>mk-text</td>(?:(?!</tr>).)*</tr>", report, re.S)
    assert row, "no row for the written item in the report"
    cells = re.findall(r"<td>(.*?)</td>", row.group(0))
    mean_share = sum(score for score, _ in expected.values()) / SIZE / 8
    assert "6" in cells and f"{mean_share:.2f}" in cells, cells
    cli(course.root, "duedate", TOPIC, "2099-01-01 00:00")
    cli(course.root, "feedback", TOPIC, "--before-due-date")
    for n in range(SIZE):
        page_html = (course.root / "feedback" / student_id(n) / TOPIC / f"{TOPIC}.html").read_text(encoding="utf-8")
        assert f"Score: {sum(LEVELS[n]):g} of 8 point(s)" in page_html
        for criterion, level in zip(CRITERIA, LEVELS[n]):
            assert f"<li>{criterion}: {LABELS[level]} ({level:g})</li>" in page_html
        assert COMMENT in page_html
        if n == 0:
            assert "&lt;script&gt;" in page_html and "<script>" not in page_html


def test_a_resubmission_is_flagged_and_a_level_change_rescores_everyone(course, tmp_path):
    from coursekit.grading.course import CourseError
    from coursekit.grading.marking_view import mark_by_question

    with pytest.raises(CourseError, match="scored automatically"):  # auto-scored items are not marked here
        mark_by_question(TOPIC, "mk-choice", course=course.root)
    marked_before = gradebook_marks(course)
    assert all(score is not None for score, _ in marked_before.values()), "run with the marking test first"
    changed = answer_text(3) + " And a new paragraph after marking."
    resubmit(course, 3, changed)
    errors: list[str] = []
    with JupyterLab(course.root, tmp_path / "server.log", instructor=True) as server, chromium_page(errors) as page:
        open_marking_view(page, server, course)
        page.focus(f"{VIEW} .coursekit-marking-surface")
        flagged = []
        for i in range(SIZE):
            text = page.locator(f"{VIEW} .coursekit-marking-answer").inner_text()
            if page.locator(f"{VIEW} .coursekit-marking-flag").count():
                flagged.append(text)
            if i < SIZE - 1:
                page.keyboard.press("n")
                wait(page, f"document.querySelector('{VIEW}').innerText.includes('Participant {i + 2} of 6')", errors)
        assert [t.strip() for t in flagged] == [changed.strip()]

        # "named" on Goal (level 2 of criterion 1) now earns 1.5: every answer marked with it gains 0.5
        page.locator(f"{VIEW} .coursekit-marking-edit summary").focus()
        page.keyboard.press("Enter")
        page.locator(f"{VIEW} [data-mk='edit-level']").select_option("0:1")
        page.locator(f"{VIEW} [data-mk='edit-points']").fill("1.5")
        page.locator(f"{VIEW} [data-mk='edit-apply']").focus()
        page.keyboard.press("Enter")
        wait(page, f"document.querySelector('{VIEW}').innerText.includes('named (1.5)')", errors)
        page.wait_for_timeout(500)
        assert not errors, errors
    after = gradebook_marks(course)
    for n in range(SIZE):
        gain = 0.5 if LEVELS[n][0] == 1 else 0.0
        assert after[student_id(n)][0] == marked_before[student_id(n)][0] + gain, n
    assert any(LEVELS[n][0] == 1 for n in range(SIZE)) and any(LEVELS[n][0] != 1 for n in range(SIZE))
