"""Every problem a participant can meet with their answers gets a message in plain words that says what
happened to their answers and what to do, and that stays in sight until it is dealt with (issue 29).

The faults are real: a truncated answers file, a folder whose place is taken by a regular file, and /proc,
which refuses new files even to root (tests run as root, where chmod does not stop writes). The missing
kernel is tested in a browser (tests/test_return_visit_browser.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursekit import Choice, SingleChoice
from coursekit.core.store import AnswerStore
from coursekit.render.interactive import InteractiveForm
from coursekit.render.widget import ExerciseWidget

FIRST = SingleChoice(
    id="msg-first",
    prompt="Pick one.",
    choices=[Choice("a", feedback="A."), Choice("b", feedback="B.")],
    key="a",
    outcomes=["LO1"],
)
SECOND = SingleChoice(
    id="msg-second",
    prompt="Pick another.",
    choices=[Choice("c", feedback="C."), Choice("d", feedback="D.")],
    key="c",
    outcomes=["LO1"],
)
# Words a participant should not have to decode before the part addressed to the instructor.
JARGON = ("JSON", "column", "Unterminated", "errno", "UTF-8", "Traceback", "OSError", "EACCES")


def plain_part(message: str) -> str:
    return message.split("(For your instructor:")[0]


def assert_plain(message: str) -> None:
    said = plain_part(message)
    assert not [w for w in JARGON if w in said], said
    assert "What to do:" in said, said


def truncated_answers(folder: Path) -> Path:
    """An answers file with two answers, cut off in the middle, as a crash or a full disk leaves it."""
    path = folder / "coursekit_answers.json"
    store = AnswerStore(path)
    store.save("msg-first", "b")
    store.save("msg-second", "d")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def test_a_truncated_answers_file_is_explained_and_the_notice_outlives_the_next_save(tmp_path: Path):
    path = truncated_answers(tmp_path)
    store = AnswerStore(path)
    first, second = ExerciseWidget(FIRST, store), ExerciseWidget(SECOND, store)
    notice = first.notice
    assert_plain(notice)
    backup = next(tmp_path.glob("coursekit_answers.json.unreadable-*"))
    said = plain_part(notice)
    assert "damaged" in said and backup.name in said and "Nothing was deleted" in said
    assert "answer again any exercise that now looks empty" in said and "send" in said
    assert second.notice == notice  # every exercise of the notebook says it
    first.answer = "a"  # the next answer is saved ...
    assert first.saved_at and json.loads(path.read_text())["answers"]["msg-first"]["value"] == "a"
    assert first.notice == notice  # ... and the notice is not replaced by "Saved"


def test_a_damaged_file_notice_stays_on_an_interactive_after_a_save(tmp_path: Path):
    from test_interactive_widget import SPEC, START, compute

    path = truncated_answers(tmp_path)
    form = InteractiveForm(SPEC, compute, START, store_id="demo-form", store=AnswerStore(path))
    notice = form.notice
    assert_plain(notice)
    form.submit({**START, "hours": 9})
    assert form.saved_at and form.notice == notice


@pytest.mark.parametrize("where", ["a file in place of the folder", "/proc"])
def test_a_folder_that_cannot_be_written_says_answers_are_lost_and_how_to_keep_them(tmp_path: Path, where: str):
    if where == "/proc":
        folder = Path("/proc")
        if not folder.is_dir():
            pytest.skip("no /proc here")
    else:
        folder = tmp_path / "notebooks"
        folder.write_text("a file where the notebook's folder should be")
    widget = ExerciseWidget(FIRST, AnswerStore(folder / "coursekit_answers.json"))
    widget.answer = "a"
    assert widget.saved_at == ""
    assert_plain(widget.notice)
    said = plain_part(widget.notice)
    assert "not being saved" in said and "lost when you close the notebook" in said
    assert "Save Notebook As" in said and "folder of your own" in said
    assert not (folder / "coursekit_answers.json").exists()


def test_multiple_select_feedback_lines_read_as_sentences():
    from coursekit import MultipleSelect
    from coursekit.core.feedback import MISSED, RIGHT, WRONG, feedback

    ms = MultipleSelect(
        id="msg-pillars",
        prompt="Which are pillars?",
        choices=[
            Choice("International law", feedback="Yes."),
            Choice("Trade", feedback="No."),
            Choice("Norms", feedback="Also."),
        ],
        key=["International law", "Norms"],
        outcomes=["LO1"],
    )
    assert feedback(ms, ["International law", "Trade"]).lines == [
        (RIGHT, "You selected \u201cInternational law\u201d, a right option. Yes."),
        (WRONG, "You selected \u201cTrade\u201d, which is not a right option. No."),
        (MISSED, "You did not select \u201cNorms\u201d, which is a right option. Also."),
    ]
