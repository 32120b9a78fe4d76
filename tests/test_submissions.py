"""The "submitted?" answer of "My course": the shortcut past nbgrader gives nbgrader's own answer in every setup.

Each case writes a real nbgrader configuration (in Jupyter's configuration path, as the hub does, or in the
course folder, as on a laptop) and a real exchange and cache, then compares the public answer with nbgrader's
own cached listing read through its exchange classes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.participant import submissions as module
from coursekit.participant.submissions import submissions


@pytest.fixture
def jupyter_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Jupyter's configuration and data folders, empty and private to the test."""
    for name in list(os.environ):
        if name.startswith("JUPYTER"):
            monkeypatch.delenv(name)
    folders = {name: tmp_path / name for name in ("config_dir", "config_path", "data_dir", "course")}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(folders["config_dir"]))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(folders["config_path"]))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(folders["data_dir"]))
    return folders


def _config(folder: Path, *lines: str) -> None:
    (folder / "nbgrader_config.py").write_text("c = get_config()\n" + "".join(f"{line}\n" for line in lines))


def _exchange(tmp_path: Path) -> Path:
    exchange = tmp_path / "exchange"
    (exchange / "cd-course" / "outbound" / "01-introduction").mkdir(parents=True)
    return exchange


def _cached_submission(cache: Path, course_id: str, topic: str, stamp: str) -> None:
    """What ``nbgrader submit`` leaves in the participant's cache: the notebook and its timestamp."""
    folder = cache / course_id / f"ana+{topic}+{stamp}"
    folder.mkdir(parents=True)
    (folder / f"{topic}.ipynb").write_text(
        json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    (folder / "timestamp.txt").write_text(stamp)


def _both(course: Path) -> tuple[object, object, object]:
    """(the public answer, the shortcut's own answer, nbgrader's listing)."""
    from contextlib import chdir

    with chdir(course):
        shortcut = module._answer_without_nbgrader(module._nbgrader_config())
    return submissions(course), shortcut, module._listed_by_nbgrader(course)


def test_no_exchange_configured_means_nothing_to_submit_to(jupyter_home: dict[str, Path]):
    public, shortcut, nbgrader = _both(jupyter_home["course"])
    assert public is None and shortcut is None and nbgrader is None


def test_the_default_exchange_folder_is_nbgraders_own():
    from nbgrader.exchange.default.exchange import Exchange

    assert Exchange.root.default_value == module._DEFAULT_EXCHANGE_ROOT


@pytest.mark.parametrize("where", ["config_path", "config_dir", "course"])
def test_an_exchange_with_nothing_submitted_is_answered_without_nbgrader(
    jupyter_home: dict[str, Path], tmp_path: Path, where: str
):
    exchange = _exchange(tmp_path)
    _config(jupyter_home[where], "c.CourseDirectory.course_id = 'cd-course'", f"c.Exchange.root = {str(exchange)!r}")
    public, shortcut, nbgrader = _both(jupyter_home["course"])
    assert public == shortcut == nbgrader == {}


@pytest.mark.parametrize("root", ["missing", "a-file"])
def test_an_exchange_folder_that_cannot_be_used_means_nothing_to_submit_to(
    jupyter_home: dict[str, Path], tmp_path: Path, root: str
):
    (tmp_path / "a-file").write_text("not a folder")
    _config(jupyter_home["config_path"], f"c.Exchange.root = {str(tmp_path / root)!r}")
    public, shortcut, nbgrader = _both(jupyter_home["course"])
    assert public is None and shortcut is None and nbgrader is None


def test_a_cached_submission_is_listed_by_nbgrader_with_its_time(jupyter_home: dict[str, Path], tmp_path: Path):
    exchange = _exchange(tmp_path)
    _config(
        jupyter_home["config_path"], "c.CourseDirectory.course_id = 'cd-course'", f"c.Exchange.root = {str(exchange)!r}"
    )
    cache = jupyter_home["data_dir"] / "nbgrader_cache"  # nbgrader's default cache, under Jupyter's data folder
    _cached_submission(cache, "cd-course", "01-introduction", "2026-12-07 09:00:00.000000 UTC")
    _cached_submission(cache, "cd-course", "01-introduction", "2026-12-07 10:30:00.000000 UTC")
    public, shortcut, nbgrader = _both(jupyter_home["course"])
    assert shortcut is module._ASK_NBGRADER
    assert public == nbgrader and list(public) == ["01-introduction"]
    assert public["01-introduction"].timestamp.startswith("2026-12-07 10:30")


def test_a_submission_in_another_course_is_not_this_courses(jupyter_home: dict[str, Path], tmp_path: Path):
    exchange = _exchange(tmp_path)
    _config(
        jupyter_home["config_path"], "c.CourseDirectory.course_id = 'cd-course'", f"c.Exchange.root = {str(exchange)!r}"
    )
    _cached_submission(jupyter_home["data_dir"] / "nbgrader_cache", "other-course", "01-introduction", "2026-12-07")
    public, shortcut, nbgrader = _both(jupyter_home["course"])
    assert public == shortcut == nbgrader == {}


@pytest.mark.parametrize(
    "setting",
    [
        "c.ExchangeFactory.list = 'nbgrader.exchange.default.ExchangeList'",
        "c.CourseDirectory.student_id = 'ana'",
        "c.Exchange.path_includes_course = True",
        "c.Exchange.timezone = 'Not/AZone'",
        "c.ExchangeList.cached = False",
        "c.TransferApp.exchange_directory = '/nowhere'",
        "c.Exchange.course_id = 'cd-course'",
    ],
)
def test_any_setting_the_shortcut_does_not_follow_goes_to_nbgrader(
    jupyter_home: dict[str, Path], tmp_path: Path, setting: str
):
    exchange = _exchange(tmp_path)
    _config(jupyter_home["config_path"], f"c.Exchange.root = {str(exchange)!r}", setting)
    public, shortcut, nbgrader = _both(jupyter_home["course"])
    assert shortcut is module._ASK_NBGRADER
    assert public == nbgrader


def test_the_courses_own_settings_do_not_stop_the_shortcut(jupyter_home: dict[str, Path], tmp_path: Path):
    """The hub's participant configuration: course id, exchange, and the private submit class."""
    from coursekit.hub.setup import participant_config

    exchange = _exchange(tmp_path)
    (jupyter_home["config_path"] / "nbgrader_config.py").write_text(
        participant_config("cd-course", str(exchange))["nbgrader_config.py"]
    )
    public, shortcut, nbgrader = _both(jupyter_home["course"])
    assert public == shortcut == nbgrader == {}


def test_a_configuration_file_that_fails_is_left_to_nbgrader(jupyter_home: dict[str, Path]):
    (jupyter_home["course"] / "nbgrader_config.py").write_text("c = get_config()\nraise RuntimeError('broken')\n")
    public, _, nbgrader = _both(jupyter_home["course"])
    assert public == nbgrader


def test_nothing_submitted_costs_no_nbgrader_import(jupyter_home: dict[str, Path], tmp_path: Path):
    """What the nine o'clock log-in saves: thirty kernels that never import nbgrader (about 0.9 CPU-s each)."""
    exchange = _exchange(tmp_path)
    _config(
        jupyter_home["config_path"], "c.CourseDirectory.course_id = 'cd-course'", f"c.Exchange.root = {str(exchange)!r}"
    )
    probe = (
        "import sys; from pathlib import Path; from coursekit.participant.submissions import submissions; "
        f"print(submissions(Path({str(jupyter_home['course'])!r})), 'nbgrader' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=os.environ.copy())
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["{}", "False"]


def test_outdated_setting_names_nbgrader_still_reads_go_to_nbgrader(jupyter_home: dict[str, Path], tmp_path: Path):
    """``NbGrader.course_id`` in the course folder overrides the hub's course id in nbgrader (it moves it)."""
    exchange = _exchange(tmp_path)
    _config(
        jupyter_home["config_path"], "c.CourseDirectory.course_id = 'cd-course'", f"c.Exchange.root = {str(exchange)!r}"
    )
    _config(jupyter_home["course"], "c.NbGrader.course_id = 'other-course'")
    _cached_submission(jupyter_home["data_dir"] / "nbgrader_cache", "other-course", "01-introduction", "2026-12-07")
    public, shortcut, nbgrader = _both(jupyter_home["course"])
    assert shortcut is module._ASK_NBGRADER
    assert public == nbgrader and list(public) == ["01-introduction"]
