"""The unit tier's guard (tests/conftest.py): an unmarked test that starts something heavy fails at once.

Nothing heavy is started here: the commands name programs that are not installed, so a call the guard lets
through ends in FileNotFoundError, and one it refuses ends in pytest's failure before any process exists.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GUARD, ROOT_GROUP, ROOT_MODULES, heavy_command, scope_of


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


def test_each_module_and_notebook_is_one_unit_of_work_and_root_tests_share_one():
    assert scope_of("tests/test_store.py::test_attempts_and_time_are_recorded") == "tests/test_store.py"
    assert scope_of("tests/test_order.py::test_x[a::b]") == "tests/test_order.py"
    assert scope_of("notebooks/07-norms/07-norms.ipynb::Cell 3") == "notebooks/07-norms/07-norms.ipynb"
    assert scope_of("tests/test_hub.py::test_a") == scope_of("tests/test_exchange_accounts.py::test_b") == ROOT_GROUP
    assert scope_of("tests/test_tabletop_hub.py::test_c") == ROOT_GROUP


def test_every_hub_marked_module_runs_in_the_root_unit(request):
    """A module marked hub (root, Unix accounts) must be listed in ROOT_MODULES, or it could run beside another."""
    hub = {Path(item.path).name for item in request.session.items if item.get_closest_marker("hub")}
    assert hub <= ROOT_MODULES


def test_xdist_still_schedules_by_the_method_the_course_overrides():
    """Upstream drift: the course's scheduler replaces LoadScopeScheduling._split_scope (nodeid -> scope), the
    one place pytest-xdist 3.8 decides what goes to one worker; fail the day it is renamed or no longer used."""
    import inspect

    from xdist.scheduler import LoadScopeScheduling

    assert list(inspect.signature(LoadScopeScheduling._split_scope).parameters) == ["self", "nodeid"]
    assert "self._split_scope(nodeid)" in inspect.getsource(LoadScopeScheduling.schedule)


def test_a_loadscope_run_gets_the_courses_scopes_and_other_modes_keep_xdists(request, monkeypatch):
    from conftest import pytest_xdist_make_scheduler

    monkeypatch.setattr(request.config.option, "tx", ["2*popen"])  # as -n 2 sets it
    monkeypatch.setattr(request.config.option, "dist", "loadscope")
    scheduler = pytest_xdist_make_scheduler(request.config, None)
    assert scheduler._split_scope("tests/test_tabletop_hub.py::test_c") == ROOT_GROUP
    assert scheduler._split_scope("tests/test_store.py::test_a") == "tests/test_store.py"
    monkeypatch.setattr(request.config.option, "dist", "load")
    assert pytest_xdist_make_scheduler(request.config, None) is None
