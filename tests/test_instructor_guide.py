"""Every `coursekit` command the instructor guide shows runs, in the guide's order, on a small class.

The commands are read from the fenced blocks of ``book/instructor.md``; the guide's example topic is
swapped for a fixture topic. One participant submits before the first collect, the other (the guide's
late participant) only before the second, as the guide describes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from test_grading_end_to_end import CORRECT, FIXTURE, PARTIAL, answers_json, fixture_notebook, nbgrader_submit

from coursekit.grading.course import Course

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "book" / "instructor.md"
EXAMPLE_TOPIC = "03-threats"
ON_TIME, LATE = "a.popescu", "p.ionescu"


def guide_commands() -> list[list[str]]:
    """The `coursekit ...` lines of the guide's plain fenced blocks, in order, without their comments."""
    blocks = re.findall(r"^```\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), flags=re.S | re.M)
    lines = [line for block in blocks for line in block.splitlines() if line.startswith("coursekit ")]
    return [shlex.split(line, comments=True) for line in lines]


def test_the_guide_shows_the_whole_term():
    verbs = [command[1] for command in guide_commands()]
    for verb in ("roster", "duedate", "release", "collect", "autograde", "feedback", "export", "report"):
        assert verb in verbs, f"the instructor guide shows no `coursekit {verb}` command"


def test_every_command_in_the_instructor_guide_runs(tmp_path):
    root = tmp_path / "course"
    (root / "notebooks" / FIXTURE).mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    nbformat.write(fixture_notebook(), root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb")
    (root / "roster.csv").write_text(
        f"id,first_name,last_name,email\n{ON_TIME},Ana,Popescu,a@example.org\n{LATE},Petru,Ionescu,p@example.org\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "COURSEKIT_DB_URL": f"sqlite:///{root / 'gradebook.db'}",
        "COURSEKIT_EXCHANGE": str(tmp_path / "exchange"),
    }
    saved = {k: os.environ.get(k) for k in ("COURSEKIT_DB_URL", "COURSEKIT_EXCHANGE")}
    os.environ.update({k: env[k] for k in saved})
    collects = 0
    try:
        for command in guide_commands():
            args = [FIXTURE if a == EXAMPLE_TOPIC else a for a in command[1:]]
            if args[0] == "collect":  # the participants submit before the instructor collects
                student, answers = (ON_TIME, CORRECT) if collects == 0 else (LATE, PARTIAL)
                home = tmp_path / "homes" / student
                shutil.copytree(root / "release" / FIXTURE, home / FIXTURE)
                (home / FIXTURE / "coursekit_answers.json").write_text(answers_json(answers))
                nbgrader_submit(Course(root), home, FIXTURE, student)
                collects += 1
            done = subprocess.run(
                [sys.executable, "-m", "coursekit.cli", *args],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert done.returncode == 0, f"`coursekit {' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}"
        from coursekit.analysis.classdata import load_class

        notes = load_class(Course(root)).notes
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    assert collects == 2
    for name in ("grades.csv", "grades-wide.csv", "grades-outcomes.csv", "report.html"):
        assert (root / name).stat().st_size > 0, name
    for student in (ON_TIME, LATE):
        assert (root / "feedback" / student / FIXTURE / f"{FIXTURE}.html").exists(), student
    wide = pd.read_csv(root / "grades-wide.csv")
    assert set(wide["student"]) == {ON_TIME, LATE}
    # the late participant came after the keys and was accepted by name: flagged, the other not
    flagged = {s for s, n in zip(notes["student"], notes["note"]) if "after the keys were released" in n}
    assert flagged == {LATE}
