"""Shared fixtures: every test gets its own answers file, never the repository's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Courses the tests assemble in temporary folders (and the processes they start) use this repository's course
# settings, as they would if the folder held a copy of course.toml; tests of the finding rule unset it.
os.environ.setdefault("COURSEKIT_COURSE", str(REPO))


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
def built_book() -> Path:
    """Build the participant release and the book once per test session (cached notebooks are reused)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "coursekit.cli", "book", "--course", str(REPO)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=3000,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return REPO / "_build" / "html"


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server for the session: Debian's binaries, a fresh cluster, 127.0.0.1 only.

    The server runs as the ``postgres`` account when the tests run as root (PostgreSQL refuses root).
    """
    import glob
    import os
    import shutil
    import socket
    import subprocess

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
