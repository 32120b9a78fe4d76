"""Formgrader's Collect button (its HTTP API, which the button calls) collects through the course's collector.

Two crafted submissions sit in the exchange: one whose folder name claims a time a year ago, one whose
answers file is a symbolic link to a file outside the exchange. nbgrader's own collector would believe the
name and follow the link; the course's takes the exchange's time and leaves the link out, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from browser import JupyterLab

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
TOPIC = "00-orientation"
STAMP = "%Y-%m-%d %H:%M:%S.%f UTC"


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from coursekit.grading.course import Course
    from coursekit.grading.workflow import release

    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copy(REPO / "_config.yml", root)
    shutil.copytree(REPO / "notebooks" / TOPIC, root / "notebooks" / TOPIC)
    monkeypatch.setenv("COURSEKIT_EXCHANGE", str(tmp_path / "exchange"))
    monkeypatch.setenv("COURSEKIT_DB_URL", f"sqlite:///{root / 'gradebook.db'}")
    course = Course(root)
    release(course, [TOPIC])
    return course


def test_formgraders_collect_button_goes_through_the_course_collector(course, tmp_path):
    inbound = course.exchange / course.course_id / "inbound"
    outbound = course.exchange / course.course_id / "outbound" / TOPIC
    year_ago = (datetime.now(timezone.utc) - timedelta(days=365)).strftime(STAMP)
    backdated = inbound / f"p-backdated+{TOPIC}+{year_ago}"
    shutil.copytree(outbound, backdated)
    (backdated / "coursekit_answers.json").write_text("{}")
    linked = inbound / f"p-link+{TOPIC}+{datetime.now(timezone.utc).strftime(STAMP)}"
    shutil.copytree(outbound, linked)
    outside = tmp_path / "outside.json"
    outside.write_text("not the participant's")
    os.symlink(outside, linked / "coursekit_answers.json")
    started = datetime.now(timezone.utc) - timedelta(minutes=1)
    with JupyterLab(course.root, tmp_path / "server.log", instructor=True) as server:
        request = urllib.request.Request(
            f"{server.url}/formgrader/api/assignment/{TOPIC}/collect",
            method="POST",
            data=b"{}",
            headers={"Authorization": f"token {server.token}"},
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            answer = json.loads(response.read())
    assert answer["success"], answer
    log = answer.get("log", "")
    assert "coursekit_answers.json (a symbolic link)" in log and "the exchange's time is used" in log, log
    from nbgrader.utils import parse_utc

    taken = parse_utc((course.submitted / "p-backdated" / TOPIC / "timestamp.txt").read_text())
    assert taken.replace(tzinfo=timezone.utc) > started  # the exchange's time, not the name's
    assert not (course.submitted / "p-link" / TOPIC / "coursekit_answers.json").exists()
    assert (course.submitted / "p-link" / TOPIC / f"{TOPIC}.ipynb").is_file()
