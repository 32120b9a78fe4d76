"""Shared fixtures and the test tiers.

Every test gets its own answers file, never the repository's. A test marked ``slow``, ``browser`` or ``hub``
belongs to the heavier tiers; every other test is the unit tier (``make test-unit``), which must stay pure
Python and fast: while it sets up and runs, starting a kernel, Chromium, Node, Jupyter, nbgrader, Sphinx,
PostgreSQL or the ``coursekit`` command fails the test with the marker to add (``_UnitTierGuard``).
Why: unmarked heavy tests had crept into the fast tier one at a time; a guard catches the next one at once.
"""

from __future__ import annotations

import functools
import importlib.abc
import os
import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest
from course_copy import copy_checkout

REPO = Path(__file__).resolve().parents[1]
# Courses the tests assemble in temporary folders (and the processes they start) use this repository's course
# settings, as they would if the folder held a copy of course.toml; tests of the finding rule unset it.
os.environ.setdefault("COURSEKIT_COURSE", str(REPO))

# A test carrying one of these belongs to a heavier tier; any other test is the unit tier.
HEAVY_MARKS = ("slow", "browser", "hub")
# Fixtures that start something heavy once per session: a test using one is slow, whoever forgets the mark.
HEAVY_FIXTURES = {"built_book", "built_course", "postgres_url"}
# Test modules that create Unix accounts or run a JupyterHub as root: one xdist worker runs them, one at a time.
ROOT_MODULES = {"test_hub.py", "test_tabletop_hub.py", "test_exchange_accounts.py"}
ROOT_GROUP = "root-accounts"

# Programs the unit tier may not start, by file name (a prefix for families: jupyter-lab, chromium-browser).
HEAVY_PROGRAMS = {
    "alembic",  # nbgrader creates a gradebook through it
    "coursekit",
    "configurable-http-proxy",
    "initdb",
    "nbgrader",
    "npm",
    "npx",
    "pg_ctl",
    "postgres",
    "runuser",
    "sphinx-build",
}
HEAVY_PROGRAM_PREFIXES = ("jupyter", "chrom", "node", "headless_shell")
# Python modules the unit tier may not run as ``python -m ...`` (nor the kernel launcher script).
HEAVY_MODULES = (
    "coursekit.cli",
    "coursekit.book",
    "ipykernel",
    "jupyter",
    "nbgrader",
    "nbclient",
    "sphinx",
    "notebook",
)
HEAVY_SCRIPTS = ("kernel_launch.py",)
# In-process runs the unit tier may not make: module -> (class, method, what it is).
IN_PROCESS = {
    "sphinx.application": ("Sphinx", "__init__", "a Sphinx build"),
    "nbgrader.converters.base": ("BaseConverter", "start", "an nbgrader conversion"),
}


def heavy_command(args) -> str | None:
    """What a command line would start that the unit tier forbids (None if it is light, e.g. git or python -c)."""
    if isinstance(args, (str, bytes, os.PathLike)):
        argv = shlex.split(os.fsdecode(args)) if isinstance(args, (str, bytes)) else [os.fspath(args)]
    else:
        argv = [
            os.fsdecode(a) if isinstance(a, bytes) else os.fspath(a) if isinstance(a, os.PathLike) else str(a)
            for a in args
        ]
    if not argv:
        return None
    program = Path(argv[0]).name
    if program in HEAVY_PROGRAMS or program.startswith(HEAVY_PROGRAM_PREFIXES):
        return program
    if program.startswith("python") or argv[0] == sys.executable:
        if "-m" in argv[1:-1]:
            module = argv[argv.index("-m", 1) + 1]
            if module.startswith(HEAVY_MODULES):
                return f"python -m {module}"
        script = next((a for a in argv[1:] if a.endswith(HEAVY_SCRIPTS)), None)
        if script:
            return Path(script).name
    return None


class _UnitTierGuard:
    """Fails a unit-tier test that starts something heavy, during its setup and call (not teardown, where a
    session fixture may stop its server). Popen is checked in every thread (Playwright starts Node from an
    event loop), so a refusal is also recorded and reported when the phase ends, in case it was swallowed."""

    def __init__(self) -> None:
        self.test: str | None = None
        self.refused: list[str] = []
        self._lock = threading.Lock()

    def refuse(self, what: str) -> None:
        with self._lock:
            test = self.test
            if test is None:
                return
            message = (
                f"{test} starts {what}: unit-tier tests (no slow/browser/hub mark) stay pure Python. "
                "Mark it @pytest.mark.slow (or browser, hub) so `make test-unit` leaves it out."
            )
            self.refused.append(message)
        pytest.fail(message, pytrace=False)

    def popen(self, original):
        guard = self

        @functools.wraps(original)
        def __init__(self, args, *rest, **kwargs):
            what = heavy_command(args) if guard.test else None
            if what:
                guard.refuse(f"a process ({what})")
            return original(self, args, *rest, **kwargs)

        return __init__

    def in_process(self, module: ModuleType) -> None:
        name, method, what = IN_PROCESS[module.__name__]
        cls = getattr(module, name)
        original = getattr(cls, method)

        @functools.wraps(original)
        def guarded(*args, **kwargs):
            self.refuse(what)
            return original(*args, **kwargs)

        setattr(cls, method, guarded)


class _GuardOnImport(importlib.abc.MetaPathFinder):
    """Wraps the in-process entry points of Sphinx and nbgrader when (and if) they are first imported, so the
    unit tier does not pay for importing them only to guard them."""

    def __init__(self, guard: _UnitTierGuard) -> None:
        self.guard = guard

    def find_spec(self, name, path, target=None):
        if name not in IN_PROCESS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        load = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            self.guard.in_process(module)

        spec.loader.exec_module = exec_module
        return spec


GUARD = _UnitTierGuard()


def pytest_configure(config: pytest.Config) -> None:
    subprocess.Popen.__init__ = GUARD.popen(subprocess.Popen.__init__)
    for name in IN_PROCESS:
        if name in sys.modules:
            GUARD.in_process(sys.modules[name])
    sys.meta_path.insert(0, _GuardOnImport(GUARD))


def _is_unit(item: pytest.Item) -> bool:
    return isinstance(item, pytest.Function) and not any(item.get_closest_marker(m) for m in HEAVY_MARKS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark what is heavy by what it uses: nbval's notebook cells (a kernel each notebook) and the tests that
    use a heavy session fixture."""
    for item in items:
        if not isinstance(item, pytest.Function) or HEAVY_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


def scope_of(nodeid: str) -> str:
    """The unit of work pytest-xdist gives one worker: a test module or a notebook (its cells run in order in one
    kernel; a module's fixtures, a JupyterLab or a release, are built once), and one unit for every module
    that creates Unix accounts or runs a hub as root, so those run one after the other."""
    path = nodeid.split("::", 1)[0]
    return ROOT_GROUP if Path(path).name in ROOT_MODULES else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``--dist loadscope`` with :func:`scope_of` as its scope. Why not ``--dist loadgroup`` and xdist_group
    marks: pytest-xdist 3.8 names a group by rewriting the test's node id, which pytest 9 no longer reads,
    so every group silently fell apart (tests/test_tiers.py checks the method this relies on)."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    return ByModule(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    return (yield from _guarded(item))


def _guarded(item: pytest.Item):
    if not _is_unit(item):
        return (yield)
    GUARD.test, GUARD.refused = item.nodeid, []
    try:
        result = yield
    finally:
        GUARD.test = None
    if GUARD.refused:
        pytest.fail(GUARD.refused[0], pytrace=False)
    return result


@pytest.fixture(autouse=True)
def _isolated_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default answers file into a fresh folder and clear the per-kernel store cache."""
    from coursekit.core import store

    path = tmp_path / "kernel" / store.ANSWERS_FILENAME
    path.parent.mkdir()
    monkeypatch.setenv("COURSEKIT_ANSWERS_FILE", str(path))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    store._STORES.clear()
    return path


@pytest.fixture(scope="session")
def built_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the course, outside the checkout, with its participant release and its book built by
    ``coursekit book`` (cold: nothing of the checkout's own _build is reused). Built once per run: under
    pytest-xdist the first worker builds under a file lock and the others wait for it, then read the same
    folder (or the same failure)."""
    import fcntl

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    course, built, failed = shared / "built-course", shared / "built-course.ok", shared / "built-course.failed"
    with open(shared / "built-course.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
        if not built.exists():
            shutil.rmtree(course, ignore_errors=True)
            copy_checkout(course)
            done = subprocess.run(
                [sys.executable, "-m", "coursekit.cli", "book", "--course", str(course)],
                cwd=course,
                capture_output=True,
                text=True,
                timeout=3000,
            )
            if done.returncode != 0:
                failed.write_text("coursekit book failed:\n" + (done.stdout + done.stderr)[-4000:], encoding="utf-8")
                pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
            built.touch()
    return course


@pytest.fixture(scope="session")
def built_book(built_course: Path) -> Path:
    """The HTML of the book :func:`built_course` built."""
    return built_course / "_build" / "html"


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server for the session: Debian's binaries, a fresh cluster, 127.0.0.1 only.

    The server runs as the ``postgres`` account when the tests run as root (PostgreSQL refuses root).
    """
    import glob
    import socket

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed: run `apt-get install postgresql` (make test does it as root).")
    bin_dir = Path(found[-1]).parent
    import tempfile

    # outside pytest's own temporary tree, whose folders only the test's user may enter
    data = Path(tempfile.mkdtemp(prefix="coursekit-pgdata-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def run(*command: str) -> None:
        done = subprocess.run([*as_user, *command], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr

    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(data / "server.log"),
        "-w",
        "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off",
        "start",
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(data, ignore_errors=True)


def fresh_postgres_database(server_url: str, name: str) -> str:
    """Create an empty database on the session's server; return its URL."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{server_url}/{name}"
