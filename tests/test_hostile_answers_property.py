"""Property: no answers file a participant can write stops a class-wide command.

Hypothesis writes hostile answers files (impossible counts such as ``10**30``, -1, NaN or a string; any JSON
value; times of any length; ids the topic does not have) for a few participants beside one honest one, and
the class goes through collect -> autograde -> export -> report -> feedback with keys. Every command must
exit 0, every hostile participant with an impossible count must be named in a note, and the honest
participant's grade and feedback page must be exactly what their answer earns.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
TOPIC = "00-orientation"
GRADED = "orientation-graded-submit"
RIGHT = "In a file beside the notebook, coursekit_answers.json"
IMPOSSIBLE = [10**30, 2**63, -1, 0, math.nan, math.inf, "3", 1.5, None, True, [1]]
IDS = ["orientation-modes", "orientation-pillars", "orientation-number-norms", GRADED, "zz-not-in-the-topic"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
entries = st.fixed_dictionaries(
    {
        "value": json_values | st.sampled_from([RIGHT, 10**30, -1e308]),
        "saved_at": st.text(max_size=300) | st.just("2026-05-19T10:00:00+00:00"),
        "attempts": st.sampled_from(IMPOSSIBLE) | st.integers(min_value=1, max_value=5),
    }
)
hostile_files = st.fixed_dictionaries(
    {
        # one entry with an impossible count, always: the participant the notes must name
        "bad": st.tuples(st.sampled_from(IDS[:3]), st.sampled_from(IMPOSSIBLE), json_values),
        "others": st.dictionaries(st.sampled_from(IDS), entries, max_size=4),
    }
)


def answers_text(bad: tuple, others: dict) -> str:
    exercise_id, attempts, value = bad
    answers = {k: v for k, v in others.items() if k != exercise_id}
    answers[exercise_id] = {"value": value, "saved_at": "2026-05-19T10:00:00+00:00", "attempts": attempts}
    return json.dumps({"format": "coursekit-answers", "version": 1, "answers": answers}, allow_nan=True)


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A course with the orientation released (to its own exchange), copied afresh for each example."""
    from coursekit.grading.course import Course
    from coursekit.grading.workflow import release

    root = tmp_path_factory.mktemp("template") / "course"
    root.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copy(REPO / "_config.yml", root)
    shutil.copytree(REPO / "notebooks" / TOPIC, root / "notebooks" / TOPIC)
    saved = os.environ.get("COURSEKIT_EXCHANGE")
    os.environ["COURSEKIT_EXCHANGE"] = str(root / "exchange")
    try:
        release(Course(root), [TOPIC])
    finally:
        os.environ.pop("COURSEKIT_EXCHANGE") if saved is None else os.environ.__setitem__("COURSEKIT_EXCHANGE", saved)
    return root


def submit(inbound: Path, release: Path, student: str, text: str) -> None:
    """What nbgrader's submit leaves in the exchange, made by this (the collecting) account."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    folder = inbound / f"{student}+{TOPIC}+{stamp}"
    shutil.copytree(release, folder)
    (folder / "coursekit_answers.json").write_text(text, encoding="utf-8")
    (folder / "timestamp.txt").write_text(stamp)
    (folder / "submission_secret.txt").write_text(f"secret of {student}")


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(hostile_files, min_size=1, max_size=3))
@example(files=[{"bad": ("orientation-modes", 10**30, "y"), "others": {}}])  # the count pandas cannot hold
def test_hostile_answers_files_stop_no_class_wide_command(released, files, monkeypatch, capsys):
    from coursekit.cli import main

    base = Path(tempfile.mkdtemp(prefix="coursekit-hostile-"))
    try:
        root = base / "course"
        shutil.copytree(released, root, ignore=shutil.ignore_patterns("exchange"))
        shutil.copytree(released / "exchange", base / "exchange")
        monkeypatch.setenv("COURSEKIT_EXCHANGE", str(base / "exchange"))
        monkeypatch.delenv("COURSEKIT_DB_URL", raising=False)
        inbound = base / "exchange" / "cyber-diplomacy" / "inbound"
        outbound = base / "exchange" / "cyber-diplomacy" / "outbound" / TOPIC
        hostile = [f"hostile-{n}" for n in range(len(files))]
        for student, f in zip(hostile, files):
            submit(inbound, outbound, student, answers_text(f["bad"], f["others"]))
        honest = {GRADED: {"value": RIGHT, "saved_at": "2026-05-19T10:00:00+00:00", "attempts": 1}}
        submit(
            inbound, outbound, "honest", json.dumps({"format": "coursekit-answers", "version": 1, "answers": honest})
        )
        course = ["--course", str(root)]
        steps = {
            "collect": ["collect", TOPIC],
            "autograde": ["autograde", TOPIC],
            "export": ["export", "-o", str(root / "grades.csv")],
            "report": ["report", "-o", str(root / "report.html")],
            "feedback": ["feedback", TOPIC, "--keys"],
        }
        out = {}
        for name, args in steps.items():
            code = main([*args, *course])
            out[name] = capsys.readouterr()
            assert code == 0, f"{name}: {out[name].out[-2000:]}{out[name].err[-2000:]}"
        for student in hostile:
            assert any(line.startswith(f"  {student} / ") for line in out["export"].out.splitlines()), student
            assert (root / "feedback" / student / TOPIC / f"{TOPIC}.html").is_file(), student
        table = pd.read_csv(root / "grades.csv")
        assert table.set_index(["student", "exercise_id"]).loc[("honest", GRADED), "score"] == 1
        page = (root / "feedback" / "honest" / TOPIC / f"{TOPIC}.html").read_text(encoding="utf-8")
        assert "Total: 1 of 1 points" in page and "Correct answer" in page
    finally:
        shutil.rmtree(base, ignore_errors=True)
