"""The collector's rules on one machine, fast (tests/test_exchange_accounts.py tries them with real accounts):
the exchange's time and not the name's, submissions after the keys, bounded folders, bounded roster fields."""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coursekit.grading.collect import (
    MAX_ENTRIES,
    accepted_after_keys,
    collect,
    exchange_time,
    keys_released,
    record_keys_released,
)
from coursekit.grading.course import Course, CourseError
from coursekit.grading.workflow import read_roster

REPO = Path(__file__).resolve().parents[1]
TOPIC = "00-orientation"
STAMP = "%Y-%m-%d %H:%M:%S.%f UTC"


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Course:
    root = tmp_path / "course"
    (root / "notebooks" / TOPIC).mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    monkeypatch.setenv("COURSEKIT_EXCHANGE", str(tmp_path / "exchange"))
    (tmp_path / "exchange" / "cyber-diplomacy" / "inbound").mkdir(parents=True)
    return Course(root)


def submit(course: Course, student: str, claimed: datetime, answers: str = "{}") -> Path:
    folder = course.exchange / course.course_id / "inbound" / f"{student}+{TOPIC}+{claimed.strftime(STAMP)}"
    folder.mkdir()
    (folder / "coursekit_answers.json").write_text(answers)
    return folder


def taken_time(course: Course, student: str) -> datetime:
    from nbgrader.utils import parse_utc

    return parse_utc((course.submitted / student / TOPIC / "timestamp.txt").read_text()).replace(tzinfo=timezone.utc)


def test_the_exchange_time_decides_never_the_name(course):
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    submit(course, "p1", datetime(2020, 1, 1, tzinfo=timezone.utc))  # backdated by name
    submit(course, "p2", datetime.now(timezone.utc))  # honest
    done = collect(course, TOPIC)
    assert sorted(done.collected) == ["p1", "p2"]
    assert taken_time(course, "p1") >= before
    notes = [n for n in done.notes if "the exchange's time is used" in n]
    assert len(notes) == 1 and notes[0].startswith(f"p1 ({TOPIC}): the submission folder's name says 2020-01-01")


def test_the_latest_submission_is_the_latest_the_exchange_received(course):
    newer_name = submit(course, "p1", datetime.now(timezone.utc) + timedelta(minutes=3), answers='"first"')
    time.sleep(0.05)
    submit(course, "p1", datetime(2020, 1, 1, tzinfo=timezone.utc), answers='"second"')  # received last
    collect(course, TOPIC)
    assert (course.submitted / "p1" / TOPIC / "coursekit_answers.json").read_text() == '"second"'
    assert newer_name.is_dir()


def test_a_file_added_later_makes_the_submission_later(course):
    folder = submit(course, "p1", datetime.now(timezone.utc))
    first = exchange_time(folder)
    time.sleep(0.05)
    (folder / "late-addition.txt").write_text("added after the due date")
    assert exchange_time(folder) > first


def test_after_the_keys_a_submission_is_refused_unless_named(course):
    submit(course, "p1", datetime.now(timezone.utc))
    assert collect(course, TOPIC).collected == ["p1"]
    record_keys_released(course, TOPIC, datetime.now(timezone.utc))
    assert keys_released(course, TOPIC) is not None
    time.sleep(0.05)
    submit(course, "p1", datetime.now(timezone.utc) - timedelta(days=1), answers='"keyed"')  # named before them
    submit(course, "p2", datetime.now(timezone.utc))  # a first submission, after the keys
    done = collect(course, TOPIC)
    assert done.unchanged == ["p1"] and "p2" in done.refused
    assert "--accept-after-keys p2" in done.refused["p2"]
    assert any(n.startswith("p1: a newer submission was not taken") and "after the keys" in n for n in done.notes)
    assert (course.submitted / "p1" / TOPIC / "coursekit_answers.json").read_text() == "{}"
    done = collect(course, TOPIC, accept_after_keys=["p1"])
    assert done.collected == ["p1"] and done.after_keys == ["p1"]
    assert (course.submitted / "p1" / TOPIC / "coursekit_answers.json").read_text() == '"keyed"'
    assert list(accepted_after_keys(course)[TOPIC]) == ["p1"]
    record_keys_released(course, TOPIC, datetime.now(timezone.utc) + timedelta(days=1))
    assert keys_released(course, TOPIC) < datetime.now(timezone.utc)  # the first release stays the one


def test_a_folder_with_too_many_entries_is_refused_not_walked_forever(course):
    folder = submit(course, "p1", datetime.now(timezone.utc))
    for n in range(MAX_ENTRIES + 1):
        os.close(os.open(folder / f"f{n}", os.O_CREAT | os.O_WRONLY, 0o600))
    done = collect(course, TOPIC)
    assert done.collected == [] and f"more than {MAX_ENTRIES}" in done.refused["p1"]


def test_a_roster_field_longer_than_any_name_is_refused(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\np1,Ana," + "x" * 300 + ",a@example.org\n", encoding="utf-8")
    with pytest.raises(CourseError, match="line 2: last_name is longer than"):
        read_roster(roster)
    roster.write_text("id,first_name,last_name,email\np1,Ana,Pop,a@example.org\n", encoding="utf-8")
    assert read_roster(roster)[0]["last_name"] == "Pop"
