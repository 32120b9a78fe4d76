"""The unit tier's guard (tests/conftest.py): an unmarked test that starts something heavy fails at once.

Nothing heavy is started here: the commands name programs that are not installed, so a call the guard lets
through ends in FileNotFoundError, and one it refuses ends in pytest's failure before any process exists.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import GUARD, heavy_command


@pytest.mark.parametrize(
    "command",
    [
        ["node", "tests/js/assess_driver.mjs"],
        ["/usr/bin/chromium", "--headless"],
        ["jupyter-lab", "--no-browser"],
        ["/venv/bin/nbgrader", "submit", "01-introduction"],
        ["coursekit", "lab"],
        [sys.executable, "-m", "coursekit.cli", "book"],
        [sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"],
        [sys.executable, "-I", "-S", "src/coursekit/book/kernel_launch.py", "/tmp/x"],
        ["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/initdb"],
        ["alembic", "-c", "alembic.ini", "heads"],
        "sphinx-build -b html src out",
    ],
)
def test_heavy_commands_are_recognised(command):
    assert heavy_command(command)


@pytest.mark.parametrize(
    "command",
    [
        ["git", "check-ignore", "grades.csv"],
        ["make", "-f", "Makefile", "clean"],
        [sys.executable, "-c", "import coursekit"],
        [sys.executable, "-m", "pip", "--version"],
        "bash -c true",
    ],
)
def test_light_commands_pass(command):
    assert heavy_command(command) is None


def test_an_unmarked_test_cannot_start_node():
    with pytest.raises(pytest.fail.Exception, match="Mark it @pytest.mark.slow"):
        subprocess.Popen(["node-not-installed-here", "--version"])
    GUARD.refused.clear()  # the refusal this test expected, not one to report


def test_an_unmarked_test_cannot_build_with_sphinx_in_process(tmp_path):
    from sphinx.application import Sphinx

    with pytest.raises(pytest.fail.Exception, match="starts a Sphinx build"):
        Sphinx(str(tmp_path), None, str(tmp_path / "out"), str(tmp_path / "doctrees"), "html")
    GUARD.refused.clear()


@pytest.mark.slow
def test_a_marked_test_may_start_what_it_needs():
    with pytest.raises(FileNotFoundError):
        subprocess.Popen(["node-not-installed-here", "--version"])
