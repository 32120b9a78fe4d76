"""A copy of this checkout as a course of its own, for tests and benchmarks that build, release or change it.

Why one place: four copies of the ignore list had drifted apart (one took the build environment along, costing
98 s a run; another took node_modules). A copy leaves out environments, version control, derived folders and
instructor data (gradebooks, the exchange), so it starts as a fresh clone would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

LEFT_OUT = (
    ".git",
    ".venv",
    ".binder-venv",
    ".build-venv",
    "node_modules",
    "_build",
    "release",
    "test-artifacts",
    "*.db",
    "exchange",
    "__pycache__",
    "*.egg-info",
)


def copy_checkout(dest: Path) -> Path:
    """Copy the checkout to ``dest`` (which must not exist) without what :data:`LEFT_OUT` names; return ``dest``."""
    shutil.copytree(REPO, dest, ignore=shutil.ignore_patterns(*LEFT_OUT))
    return dest
