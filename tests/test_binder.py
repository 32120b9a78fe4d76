"""The Binder / JupyterHub environment: built from exactly ``binder/requirements.txt`` (``make binder-env``),
it builds the participant release as ``binder/postBuild`` does and runs every released notebook.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from course_copy import copy_checkout

from coursekit.core.settings import settings

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
BINDER_VENV = REPO / ".binder-venv"


@pytest.fixture(scope="module")
def binder_env() -> Path:
    stamp = BINDER_VENV / ".installed"
    if not stamp.exists():
        pytest.fail("The Binder environment is missing: run `make binder-env` (part of `make test`).")
    pins = ("constraints.txt", "binder/requirements.txt", "deploy/requirements-hub.txt", "pyproject.toml")
    wanted = hashlib.sha256(b"".join((REPO / p).read_bytes() for p in pins)).hexdigest()
    assert stamp.read_text().strip() == wanted, "the pins changed since .binder-venv was built: run `make binder-env`"
    return BINDER_VENV / "bin"


def test_binder_env_has_only_what_the_requirements_bring(binder_env: Path):
    """The environment is separate from the development one: no test or book tooling leaked into it."""
    listing = subprocess.run(
        [str(binder_env / "python"), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True, check=True
    ).stdout.lower()
    pins = dict(
        line.lower().split("==")
        for line in (REPO / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert "coursekit==" in listing
    for name in ("jupyterlab", "ipywidgets", "nbgrader"):
        assert f"{name}=={pins[name]}" in listing, f"{name} is not at its pin in constraints.txt"
    assert "pytest==" not in listing and "jupyter-book==" not in listing and "playwright==" not in listing


def test_postbuild_release_runs_every_notebook_in_the_binder_env(binder_env: Path, tmp_path: Path):
    repo = tmp_path / "repo"
    copy_checkout(repo)
    env = {**os.environ, "PATH": f"{binder_env}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COURSEKIT_ANSWERS_FILE", None)
    built = subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    # the image's JupyterLab is the participant's: the same configuration as the hub's participant servers
    from coursekit.participant.lab_config import participant_lab_files

    for rel, text in participant_lab_files().items():
        assert (binder_env.parent / "etc" / "jupyter" / rel).read_text(encoding="utf-8").strip() == text, rel
    notebooks = sorted((repo / "release").glob("*/*.ipynb"))
    assert len(notebooks) == len(list((REPO / "notebooks").glob("*/*.ipynb")))
    for notebook in notebooks:
        done = subprocess.run(
            [
                str(binder_env / "jupyter"),
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--stdout",
                f"--ExecutePreprocessor.timeout={settings().cell_timeout}",
                str(notebook),
            ],
            cwd=notebook.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{notebook.name}: {done.stderr[-2000:]}"
        assert '"output_type": "error"' not in done.stdout, notebook.name
        assert not (notebook.parent / "coursekit_answers.json").exists(), "a headless run must not write answers"
