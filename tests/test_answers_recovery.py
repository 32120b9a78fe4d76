"""A damaged answers file gives back every answer that can still be read, and names the one that cannot.

The files are real: written by the course's own store, then cut short at every byte (a crash or a full disk)
or with a byte corrupted in the middle. What is recovered is compared with what was saved, never with the
reader's own output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursekit.core.store import AnswerStore, read_answers_file

SAVED = {
    "t1-choice": "b",
    "t1-written": 'A reason: the "norms" of 2015\nand a second line with \\ a backslash and é.',
    "t1-order": ["c", "a", "b"],
    "t1-match": {"x": "1", "y": "2"},
}


@pytest.fixture
def whole(tmp_path: Path) -> bytes:
    path = tmp_path / "coursekit_answers.json"
    store = AnswerStore(path)
    for exercise_id, value in SAVED.items():
        store.save(exercise_id, value)
    return path.read_bytes()


def entry_ends(whole: bytes) -> dict[str, int]:
    """Where each saved entry's serialised text ends in the file (the byte after its closing brace)."""
    text = whole.decode("utf-8")
    ends = {}
    for exercise_id in SAVED:
        start = text.index(f'"{exercise_id}": {{')
        _, end = json.JSONDecoder().raw_decode(text, start + len(f'"{exercise_id}": '))
        ends[exercise_id] = len(text[:end].encode("utf-8"))
    return ends


def test_a_file_cut_at_any_byte_recovers_exactly_the_entries_written_before_the_cut(whole: bytes, tmp_path: Path):
    ends = entry_ends(whole)
    path = tmp_path / "cut.json"
    for cut in range(len(whole)):
        path.write_bytes(whole[:cut])
        reading = read_answers_file(path)
        assert reading.problem, cut
        assert not reading.complete, cut
        expected = {i for i, end in ends.items() if end <= cut}
        assert set(reading.answers) == expected, cut
        for exercise_id in expected:
            assert reading.answers[exercise_id].value == SAVED[exercise_id], (cut, exercise_id)
        assert set(reading.unreadable(SAVED)) == set(SAVED) - expected, cut
        if expected:
            assert f"{len(expected)} answer(s) could still be read" in reading.problem


def test_a_written_answer_cut_short_keeps_its_readable_beginning(whole: bytes, tmp_path: Path):
    text = whole.decode("utf-8")
    cut = text.index("second line")
    path = tmp_path / "cut.json"
    path.write_bytes(text[:cut].encode("utf-8"))
    reading = read_answers_file(path)
    assert "t1-written" in reading.damaged
    beginning = reading.partial["t1-written"]
    assert beginning and SAVED["t1-written"].startswith(beginning)
    assert "norms" in beginning


def lose_colon(text: str, exercise_id: str) -> str:
    """The file with one byte lost inside ``exercise_id``'s entry (the colon after its "attempts")."""
    attempts = text.index('"attempts"', text.index(f'"{exercise_id}"'))
    return text[:attempts] + '"attempts" ' + text[attempts + len('"attempts":') :]


def test_a_corrupted_byte_in_the_middle_costs_only_its_own_entry(whole: bytes, tmp_path: Path):
    text = whole.decode("utf-8")
    assert text.index('"t1-match"') < text.index('"t1-order"') < text.index('"t1-written"')  # entries after it
    path = tmp_path / "corrupt.json"
    path.write_text(lose_colon(text, "t1-match"), encoding="utf-8")
    reading = read_answers_file(path)
    assert "not valid JSON" in reading.problem
    assert {k: v.value for k, v in reading.answers.items()} == {k: v for k, v in SAVED.items() if k != "t1-match"}
    assert reading.damaged == ("t1-match",) and reading.unreadable(SAVED) == ["t1-match"]


def test_a_damaged_written_answer_whose_text_is_intact_is_given_whole_to_the_marker(whole: bytes, tmp_path: Path):
    path = tmp_path / "corrupt.json"
    path.write_text(lose_colon(whole.decode("utf-8"), "t1-written"), encoding="utf-8")
    reading = read_answers_file(path)
    assert reading.damaged == ("t1-written",)
    assert reading.partial["t1-written"] == SAVED["t1-written"]


def test_bytes_that_are_not_utf8_are_read_as_a_file_cut_there(whole: bytes, tmp_path: Path):
    at = whole.index("second".encode())
    path = tmp_path / "bytes.json"
    path.write_bytes(whole[:at] + b"\xff" + whole[at + 1 :])
    reading = read_answers_file(path)
    assert "not UTF-8" in reading.problem
    ends = entry_ends(whole)
    assert set(reading.answers) == {i for i, end in ends.items() if end <= at}
    assert SAVED["t1-written"].startswith(reading.partial["t1-written"])


def test_a_sound_file_is_complete_and_nothing_is_unreadable(whole: bytes, tmp_path: Path):
    path = tmp_path / "sound.json"
    path.write_bytes(whole)
    reading = read_answers_file(path)
    assert reading.problem is None and reading.complete and reading.unreadable(SAVED) == []
    assert {k: v.value for k, v in reading.answers.items()} == SAVED


def test_a_file_of_another_program_is_not_mistaken_for_answers(tmp_path: Path):
    path = tmp_path / "other.json"
    path.write_text(
        '{"format": "something-else", "answers": {"t1-choice": {"value": "b", "saved_at": "x", "attempts": 1}'
    )
    reading = read_answers_file(path)
    assert reading.answers == {} and not reading.complete
