"""Shared fixtures: every test gets its own answers file, never the repository's."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default answers file into a fresh folder and clear the per-kernel store cache."""
    from coursekit import store

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

    done = subprocess.run([sys.executable, "-m", "coursekit.cli", "book", "--course", str(REPO)],
                          cwd=REPO, capture_output=True, text=True, timeout=3000)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return REPO / "_build" / "html"
