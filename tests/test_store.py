"""The answers store under real faults: killed writers, concurrent writers, damaged files."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursekit.core.store import ANSWERS_FILENAME, MAX_FILE_BYTES, AnswerStore, read_answers_file

WRITER = r"""
import sys
from coursekit.core.store import AnswerStore
store = AnswerStore(sys.argv[1])
prefix, n = sys.argv[2], int(sys.argv[3])
for i in range(n):
    store.save(f"{prefix}-{i}", {"n": i, "text": "x" * (i % 50)})
    print(f"ack {prefix}-{i}", flush=True)
"""


def _valid_file(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "coursekit-answers" and data["version"] == 1
    return data["answers"]


@pytest.mark.slow
def test_sigkill_mid_save_never_loses_an_acknowledged_answer(tmp_path: Path):
    """Kill writers with SIGKILL at random moments; every acknowledged answer survives, the file stays valid."""
    path = tmp_path / ANSWERS_FILENAME
    acknowledged: dict[str, int] = {}
    rng = random.Random(7)
    kills = 0
    for round_ in range(30):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), f"r{round_}", "100000"],
            stdout=subprocess.PIPE,
            text=True,
        )
        wanted = rng.randint(1, 40)
        for _ in range(wanted):
            line = proc.stdout.readline()
            assert line.startswith("ack "), line
            key = line.split()[1]
            acknowledged[key] = int(key.rsplit("-", 1)[1])
        time.sleep(rng.random() * 0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += proc.returncode == -signal.SIGKILL
        answers = _valid_file(path)
        for key, n in acknowledged.items():
            assert answers[key]["value"]["n"] == n, f"answer {key} lost after round {round_}"
    assert kills == 30
    # a killed writer may leave a temporary file; the next writer cleans it up
    AnswerStore(path).save("final", 1)
    assert not list(tmp_path.glob(f".{ANSWERS_FILENAME}.*.tmp"))


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path):
    path = tmp_path / ANSWERS_FILENAME
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, "150"], stdout=subprocess.DEVNULL)
        for name in ("kernelA", "kernelB")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    answers = _valid_file(path)
    assert {f"kernel{k}-{i}" for k in "AB" for i in range(150)} <= set(answers)


def test_two_exercises_saving_at_the_same_moment_lose_nothing(tmp_path: Path):
    store = AnswerStore(tmp_path / ANSWERS_FILENAME)
    barrier = threading.Barrier(8)

    def work(t: int) -> None:
        barrier.wait()
        for i in range(25):
            store.save(f"t{t}-{i}", i)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(_valid_file(store.path)) == 200
    assert len(AnswerStore(store.path).answers()) == 200


def test_a_second_store_on_the_same_file_keeps_the_first_stores_answers(tmp_path: Path):
    path = tmp_path / ANSWERS_FILENAME
    a, b = AnswerStore(path), AnswerStore(path)
    a.save("one", 1)
    b.save("two", 2)
    a.save("three", 3)
    assert set(_valid_file(path)) == {"one", "two", "three"}


def test_attempts_and_time_are_recorded(tmp_path: Path):
    store = AnswerStore(tmp_path / ANSWERS_FILENAME)
    store.save("q", "a")
    saved = store.save("q", "b")
    assert saved.attempts == 2 and saved.value == "b"
    reopened = AnswerStore(store.path).get("q")
    assert reopened == saved and reopened.saved_at.endswith("+00:00")


DAMAGED = {
    "not JSON": b'{"format": "coursekit-answers", "version": 1, "answers": {"q": ',
    "empty": b"",
    "not UTF-8": b'{"format": "coursekit-answers", "answers": {"q": "\xff\xfe"}}',
    "foreign": json.dumps({"cells": [], "nbformat": 4}).encode(),
    "a list": b"[1, 2, 3]",
    "future version": json.dumps({"format": "coursekit-answers", "version": 99, "answers": {}}).encode(),
    "answers not a mapping": json.dumps({"format": "coursekit-answers", "version": 1, "answers": [1]}).encode(),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_file_is_kept_as_backup_and_explained(tmp_path: Path, name: str):
    path = tmp_path / ANSWERS_FILENAME
    path.write_bytes(DAMAGED[name])
    store = AnswerStore(path)
    assert store.problem and "could not all be read" in store.problem and "kept" in store.problem
    backups = list(tmp_path.glob(f"{ANSWERS_FILENAME}.unreadable-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == DAMAGED[name]
    assert backups[0].name in store.problem
    store.save("q", "new")
    assert _valid_file(path)["q"]["value"] == "new"
    assert backups[0].read_bytes() == DAMAGED[name]  # never overwritten


def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path):
    path = tmp_path / ANSWERS_FILENAME
    with open(path, "wb") as handle:
        handle.write(b'{"format": "coursekit-answers", "version": 1, "answers": {"q": "')
        handle.write(b"x" * (MAX_FILE_BYTES + 10))
        handle.write(b'"}}')
    reading = read_answers_file(path)
    assert reading.answers == {} and "larger than" in reading.problem
    store = AnswerStore(path)
    assert "larger than" in store.problem and not path.exists()


def test_damaged_entries_are_reported_and_sound_ones_kept(tmp_path: Path):
    path = tmp_path / ANSWERS_FILENAME
    good = {"value": "a", "saved_at": "2026-05-18T09:00:00+00:00", "attempts": 1}
    path.write_text(
        json.dumps(
            {
                "format": "coursekit-answers",
                "version": 1,
                "answers": {
                    "good": good,
                    "../../etc/passwd": good,
                    "bad-attempts": {**good, "attempts": "many"},
                    "no-value": {"saved_at": "x", "attempts": 1},
                },
            }
        )
    )
    store = AnswerStore(path)
    assert set(store.answers()) == {"good"}
    assert "3 saved answer(s) are damaged" in store.problem
    assert set(_valid_file(path)) == {"good"}  # salvaged into a fresh file
    assert len(list(tmp_path.glob("*.unreadable-*"))) == 1


def test_file_replaced_by_garbage_while_open_is_not_overwritten(tmp_path: Path):
    path = tmp_path / ANSWERS_FILENAME
    store = AnswerStore(path)
    store.save("q1", 1)
    path.write_bytes(b"garbage")
    store.save("q2", 2)
    assert "kept, unchanged, as" in store.problem
    backup = next(tmp_path.glob("*.unreadable-*"))
    assert backup.read_bytes() == b"garbage"
    assert set(_valid_file(path)) == {"q1", "q2"}


def test_read_only_during_nbgrader_execution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / ANSWERS_FILENAME
    AnswerStore(path).save("q", "a")
    before = path.read_bytes()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    store = AnswerStore(path)
    assert store.read_only and store.get("q").value == "a"
    store.save("q", "changed")
    store.save("other", 1)
    assert path.read_bytes() == before
    path.write_bytes(b"not json")
    damaged = AnswerStore(path)
    assert damaged.problem and path.read_bytes() == b"not json"  # graders never move files
    assert not list(tmp_path.glob("*.unreadable-*"))


def test_unserialisable_value_is_refused_before_touching_the_file(tmp_path: Path):
    store = AnswerStore(tmp_path / ANSWERS_FILENAME)
    store.save("q", 1)
    before = store.path.read_bytes()
    with pytest.raises(TypeError):
        store.save("q", object())
    with pytest.raises(ValueError, match="not a valid exercise id"):
        store.save("../x", 1)
    assert store.path.read_bytes() == before


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.dictionaries(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,20}", fullmatch=True), json_values, max_size=6))
def test_round_trip_of_any_json_answers(tmp_path: Path, answers: dict):
    path = tmp_path / f"rt-{uuid.uuid4().hex}.json"
    store = AnswerStore(path)
    for key, value in answers.items():
        store.save(key, value)
    reopened = AnswerStore(path)
    assert reopened.problem is None
    assert {k: v.value for k, v in reopened.answers().items()} == answers
