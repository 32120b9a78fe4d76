"""When the gradebook cannot be used, `coursekit autograde` says so in one sentence and blames no participant.

Real faults: a PostgreSQL URL whose port refuses connections, a SQLite gradebook another process holds an
exclusive lock on, and a topic that was never released. In each case no submission is touched or set aside.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from test_grading_end_to_end import CORRECT, FIXTURE, answers_json, fixture_notebook

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A released fixture topic with one collected submission."""
    root = tmp_path / "course"
    (root / "notebooks" / FIXTURE).mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    nbformat.write(fixture_notebook(), root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb")
    assert cli(root, "release", FIXTURE, "--no-exchange").returncode == 0
    folder = root / "submitted" / "p1" / FIXTURE
    shutil.copytree(root / "release" / FIXTURE, folder)
    (folder / "coursekit_answers.json").write_text(answers_json(CORRECT))
    (folder / "timestamp.txt").write_text("2026-05-19 10:00:00.000000 UTC")
    return root


def cli(root: Path, *args: str, db_url: str | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "COURSEKIT_DB_URL": db_url or f"sqlite:///{root / 'gradebook.db'}",
        "COURSEKIT_EXCHANGE": str(root / "exchange"),
    }
    return subprocess.run(
        [sys.executable, "-m", "coursekit.cli", *args, "--course", str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def submitted_hashes(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "submitted").rglob("*") if p.is_file()}


def assert_blames_the_gradebook(root: Path, done: subprocess.CompletedProcess, before: dict, words: str) -> None:
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], done.stderr
    assert "p1" not in done.stdout + done.stderr  # no participant is named as the cause
    assert not (root / "quarantine").exists()
    assert submitted_hashes(root) == before


def test_a_database_that_refuses_connections(course: Path):
    with socket.socket() as s:  # a port nothing listens on: connections are refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = submitted_hashes(course)
    done = cli(course, "autograde", FIXTURE, db_url=f"postgresql://grader:s3cret@127.0.0.1:{port}/grades")
    assert_blames_the_gradebook(course, done, before, "cannot be used")
    assert "s3cret" not in done.stderr and "***" in done.stderr  # the password is never printed


def test_a_gradebook_locked_by_another_process(course: Path):
    before = submitted_hashes(course)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(course / 'gradebook.db')!r}, isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(sqlite3.OperationalError):  # the lock is real
            sqlite3.connect(str(course / "gradebook.db"), timeout=0.1).execute("SELECT 1 FROM assignment").fetchall()
        done = cli(course, "autograde", FIXTURE)
    finally:
        holder.kill()
        holder.wait()
    assert_blames_the_gradebook(course, done, before, "locked")


def test_a_topic_that_was_never_released(course: Path):
    extra = course / "notebooks" / "zz-unreleased"
    shutil.copytree(course / "notebooks" / FIXTURE, extra)
    (extra / f"{FIXTURE}.ipynb").rename(extra / "zz-unreleased.ipynb")
    folder = course / "submitted" / "p1" / "zz-unreleased"
    shutil.copytree(course / "submitted" / "p1" / FIXTURE, folder)
    before = submitted_hashes(course)
    done = cli(course, "autograde", "zz-unreleased")
    assert_blames_the_gradebook(course, done, before, "coursekit release zz-unreleased")
