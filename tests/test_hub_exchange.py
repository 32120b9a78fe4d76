"""The exchange on a shared machine: sealed inbound, private submissions, collect takes only the owner's files,
and the hub set-up's role configurations (participants without nbgrader's instructor tools)."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
from pathlib import Path

import pytest

from coursekit.hub.setup import instructor_config, participant_config
from coursekit.participant.lab_config import HIDDEN_LAB_PLUGINS

REPO = Path(__file__).resolve().parents[1]
TOPIC = "00-orientation"


def test_participant_configuration_switches_off_every_instructor_tool_nbgrader_ships():
    """The plugin ids must be the ones nbgrader's lab extension really defines, or nothing is hidden."""
    import nbgrader

    files = participant_config("cyber-diplomacy", "/srv/x")
    disabled = json.loads(files["labconfig/page_config.json"])["disabledExtensions"]
    shipped = Path(nbgrader.__file__).parents[4] / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader"
    bundle = "".join(p.read_text(errors="ignore") for p in (shipped / "static").glob("*.js"))
    for plugin in HIDDEN_LAB_PLUGINS:
        assert disabled[plugin] is True and f'"{plugin}"' in bundle, plugin
    for kept in ("@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:menu"):  # the menu leads to the list
        assert f'"{kept}"' in bundle and kept not in disabled, kept
    server = json.loads(files["jupyter_server_config.json"])["ServerApp"]["jpserver_extensions"]
    import jupyter_lsp  # noqa: F401
    import nbgrader.server_extensions.course_list  # noqa: F401 - each switched-off module must exist
    import nbgrader.server_extensions.formgrader  # noqa: F401

    assert server == {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False,
        "jupyter_lsp": False,
    }
    assert "CourseDirectory.root" not in files["nbgrader_config.py"]
    instructor = instructor_config("cyber-diplomacy", "/srv/x", "/home/i/c")["nbgrader_config.py"]
    assert "c.CourseDirectory.root = '/home/i/c'" in instructor


def test_every_nbgrader_configuration_points_collect_and_feedback_at_the_course_classes():
    """Formgrader reads the instructor's Jupyter configuration, `nbgrader collect` the course root's: both."""
    import importlib

    from traitlets.config import Config

    for text in (
        instructor_config("cyber-diplomacy", "/srv/x", "/home/i/c")["nbgrader_config.py"],
        (REPO / "nbgrader_config.py").read_text(encoding="utf-8"),
    ):
        config = Config()
        exec(compile(text, "nbgrader_config.py", "exec"), {"get_config": lambda: config, "__file__": str(REPO / "x")})
        for name in (config.ExchangeFactory.collect, config.GenerateFeedback.exporter_class):
            module, _, cls = name.rpartition(".")
            assert hasattr(importlib.import_module(module), cls), name
        assert config.ExchangeFactory.collect == "coursekit.hub.exchange.CourseCollect"


@pytest.fixture
def course(tmp_path: Path):
    from coursekit.grading.course import Course

    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copy(REPO / "_config.yml", root)
    shutil.copytree(REPO / "notebooks" / TOPIC, root / "notebooks" / TOPIC)
    return Course(root)


@pytest.mark.slow
def test_release_seals_the_inbound_folder(course, monkeypatch):
    from coursekit.grading.workflow import release

    monkeypatch.setenv("COURSEKIT_EXCHANGE", str(course.root / "exchange"))
    from coursekit.grading.course import Course

    course = Course(course.root)
    release(course, [TOPIC])
    inbound = course.exchange / course.course_id / "inbound"
    assert stat.S_IMODE(inbound.stat().st_mode) & stat.S_ISVTX
    assert stat.S_IMODE(course.exchange.stat().st_mode) == 0o1777


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give files to another local account")
def test_collect_leaves_out_files_another_account_put_into_a_submission(course, monkeypatch):
    """`nobody` is the participant; a file root slipped into nobody's submission folder is not taken."""
    from coursekit.grading.collect import collect
    from coursekit.grading.course import Course

    monkeypatch.setenv("COURSEKIT_EXCHANGE", str(course.root / "exchange"))
    course = Course(course.root)
    nobody = pwd.getpwnam("nobody").pw_uid
    folder = course.exchange / course.course_id / "inbound" / f"nobody+{TOPIC}+2026-05-18 10:00:00.000000 UTC+abc"
    folder.mkdir(parents=True)
    (folder / "coursekit_answers.json").write_text("{}")
    (folder / "intruder.txt").write_text("not nobody's")
    for path in (folder, folder / "coursekit_answers.json"):
        os.chown(path, nobody, -1)
    done = collect(course, TOPIC)
    assert done.collected == ["nobody"]
    taken = course.submitted / "nobody" / TOPIC
    assert (taken / "coursekit_answers.json").read_text() == "{}"
    assert not (taken / "intruder.txt").exists()
    assert any("intruder.txt (belongs to another account)" in note for note in done.notes), done.notes


@pytest.mark.slow
def test_private_submit_leaves_the_submission_writable_by_its_owner_only(course, tmp_path, monkeypatch):
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from coursekit.grading.course import Course
    from coursekit.grading.workflow import release
    from coursekit.hub.exchange import PrivateSubmit

    monkeypatch.setenv("COURSEKIT_EXCHANGE", str(course.root / "exchange"))
    course = Course(course.root)
    release(course, [TOPIC])
    home = tmp_path / "home"
    shutil.copytree(course.release / TOPIC, home / TOPIC)
    monkeypatch.chdir(home)
    config = Config()
    config.CourseDirectory.course_id = course.course_id
    config.CourseDirectory.root = str(home)
    config.CourseDirectory.assignment_id = TOPIC
    config.Exchange.root = str(course.exchange)
    config.Exchange.cache = str(tmp_path / "cache")
    submit = PrivateSubmit(
        coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config), config=config
    )
    submit.start()
    (submitted,) = (course.exchange / course.course_id / "inbound").iterdir()
    assert stat.S_IMODE(submitted.stat().st_mode) == 0o755
