"""What the release writes for JupyterLab (issue 29): no folded empty cell, no change on opening, valid checksums.

nbgrader empties the cells that hold hidden tests and model answers; folded, an empty cell showed as an empty
bar under every graded item, so the release labels it. The stripped source notebook keeps only the kernel's
name in ``language_info``; JupyterLab filled in the rest when the kernel started and marked the notebook as
changed, so the release writes the kernel's full ``language_info``. The browser test
(test_participant_lab_browser.py) checks both on screen.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import compute_checksum

from coursekit.grading.authoring import GRADED_HERE
from coursekit.grading.course import Course
from coursekit.grading.workflow import generate_release

pytestmark = pytest.mark.slow  # nbgrader builds a release
REPO = Path(__file__).resolve().parents[1]
TOPIC = "01-introduction"  # graded cells and a model-answer cell


@pytest.fixture(scope="module")
def released_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("course")
    for name in ("nbgrader_config.py", "_config.yml", "course.toml"):
        shutil.copy(REPO / name, root)
    shutil.copytree(REPO / "notebooks" / TOPIC, root / "notebooks" / TOPIC)
    return generate_release(Course(root), TOPIC)


@pytest.fixture(scope="module")
def released(released_folder: Path) -> nbformat.NotebookNode:
    return nbformat.read(released_folder / f"{TOPIC}.ipynb", as_version=4)


def test_a_fetched_assignment_carries_the_course_settings(released_folder, tmp_path, monkeypatch):
    """Fetched into a home folder, far from the course root, the notebook's kernel still finds course.toml."""
    from coursekit.core import settings as settings_module

    home = tmp_path / "home" / TOPIC
    shutil.copytree(released_folder, home)
    monkeypatch.delenv(settings_module.ENV_VAR, raising=False)
    monkeypatch.chdir(home)
    assert settings_module.course_file() == home / "course.toml"
    expected = dataclasses.replace(settings_module.load(REPO / "course.toml"), source=str(home / "course.toml"))
    assert settings_module.load() == expected


def test_no_code_cell_is_left_empty_and_each_emptied_one_is_labelled_with_a_valid_checksum(released):
    code = [c for c in released.cells if c.cell_type == "code"]
    assert [c for c in code if not c.source.strip()] == []
    labelled = [c for c in code if c.source == GRADED_HERE]
    kinds = {("grade" if c.metadata.nbgrader["grade"] else "locked") for c in labelled}
    assert kinds == {"grade", "locked"}  # hidden tests and the model answer
    for cell in labelled:
        assert cell.metadata.jupyter["source_hidden"] is True
        assert cell.metadata.nbgrader["checksum"] == compute_checksum(cell)


def test_the_release_carries_the_language_info_the_kernel_reports(released):
    from ipykernel.ipkernel import IPythonKernel

    assert released.metadata["language_info"] == IPythonKernel.language_info
    assert released.metadata["kernelspec"]["name"] == "python3"
