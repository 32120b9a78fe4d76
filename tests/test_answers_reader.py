"""Reading an answers file is total: any file, any bytes give answers or a clear problem, never an exception,
a hang or unbounded memory. Each case is a real file of the kind named (a FIFO, a device, a symlink ...)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.core.store import MAX_FILE_BYTES, read_answers_file
from coursekit.grading.nbgrader_plugins import inert_markdown, score_submission

GOOD = {
    "format": "coursekit-answers",
    "version": 1,
    "answers": {"q1": {"value": "A", "saved_at": "2026-05-19T10:00:00+00:00", "attempts": 1}},
}


def read_within(path: Path, seconds: float = 10):
    """Read in a thread and fail (instead of hanging the suite) if it does not return in time."""
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("r", read_answers_file(path)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert "r" in box, f"reading {path} did not return within {seconds} s"
    return box["r"]


def test_a_fifo_with_no_writer_does_not_hang(tmp_path):
    fifo = tmp_path / "coursekit_answers.json"
    os.mkfifo(fifo)
    reading = read_within(fifo)
    assert reading.answers == {} and "not a regular file" in reading.problem


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_not_streamed(device):
    reading = read_within(Path(device))
    assert reading.answers == {} and "not a regular file" in reading.problem


def test_a_symlink_is_not_followed(tmp_path):
    real = tmp_path / "someone-elses.json"
    real.write_text(json.dumps(GOOD))
    link = tmp_path / "coursekit_answers.json"
    link.symlink_to(real)
    reading = read_within(link)
    assert reading.answers == {} and "symbolic link" in reading.problem


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "coursekit_answers.json"
    folder.mkdir()
    assert "not a regular file" in read_within(folder).problem


def test_an_integer_with_a_million_digits_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(
        '{"format": "coursekit-answers", "version": 1, "answers": {"q1": {"value": '
        + "7" * 1_000_000
        + ', "saved_at": "x", "attempts": 1}}}'
    )
    reading = read_within(path)
    assert reading.answers == {} and "cannot be read" in reading.problem


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"answers": ' + "[" * 200_000 + "]" * 200_000 + "}")
    reading = read_within(path)
    assert reading.answers == {} and "nested" in reading.problem


def test_a_file_larger_than_the_limit_is_not_read_whole(tmp_path):
    path = tmp_path / "a.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES * 50)  # a sparse 100 MB file: reading it whole would show in memory
    reading = read_within(path)
    assert reading.answers == {} and "larger than" in reading.problem


def test_a_file_that_changes_while_read_gives_answers_or_a_problem(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(GOOD))
    stop = threading.Event()

    def rewrite():
        n = 0
        while not stop.is_set():
            n += 1
            with open(path, "w") as handle:  # not atomic on purpose: readers see torn files
                handle.write(json.dumps(GOOD) if n % 2 else "{" * (n % 5000))

    writer = threading.Thread(target=rewrite, daemon=True)
    writer.start()
    try:
        for _ in range(300):
            reading = read_within(path)
            assert reading.answers in ({}, {"q1": reading.answers.get("q1")})
            assert reading.problem is None or isinstance(reading.problem, str)
    finally:
        stop.set()
        writer.join()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000))
def test_any_bytes_give_answers_or_a_problem(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "a.json"
    path.write_bytes(data)
    reading = read_answers_file(path)
    assert isinstance(reading.answers, dict)
    assert reading.problem is None or isinstance(reading.problem, str)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
        max_leaves=30,
    )
)
def test_any_answer_value_scores_or_scores_zero(tmp_path_factory, value):
    """Whatever a crafted answers file holds for an exercise, scoring gives a number and never raises."""
    from coursekit import Choice, Matching, Numeric, Ordering, SingleChoice
    from coursekit.grading.hidden_tests import GradingPlan

    exercises = [
        SingleChoice(
            id="h-single", prompt="p", choices=[Choice("A"), Choice("B")], mode="graded", outcomes=["LO1"]
        ).with_key("A"),
        Matching(id="h-match", prompt="p", left=["a", "b"], right=["1", "2"], mode="graded", outcomes=["LO1"]).with_key(
            {"a": "1", "b": "2"}
        ),
        Ordering(id="h-order", prompt="p", items=["y", "x"], mode="graded", outcomes=["LO1"]).with_key(["x", "y"]),
        Numeric(id="h-num", prompt="p", mode="graded", outcomes=["LO1"]).with_key(3),
    ]
    keyed = {e.id: e for e in exercises}
    plan = GradingPlan("t", "t.ipynb", keyed, frozenset(), dict(keyed), {e.id: None for e in exercises})
    path = tmp_path_factory.mktemp("values") / "a.json"
    path.write_text(
        json.dumps(
            {
                "format": "coursekit-answers",
                "version": 1,
                "answers": {e.id: {"value": value, "saved_at": "x", "attempts": 1} for e in exercises},
            }
        )
    )
    result = score_submission(plan, path)
    assert set(result.items) == set(keyed)
    assert all(0 <= item.points <= item.max_points for item in result.items.values())


@given(st.text(max_size=300))
def test_inert_markdown_has_no_syntax_left(text):
    inert = inert_markdown(text)
    body = inert.replace("<br>\n", "")
    assert "<" not in body and ">" not in body and "[" not in body and "`" not in body and "*" not in body
    assert "\n" not in body and " " not in body  # no indentation, no line that markdown could read as a block
