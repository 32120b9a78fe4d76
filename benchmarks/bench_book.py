"""Benchmark the book build: cold, rebuilt with nothing changed, rebuilt after changing one notebook.

Runs in a fresh copy of the repository (no cache), in the same run: ``coursekit book`` three times.
Counts the notebooks jupyter-cache executed in each build. Target (issue 5): the no-change rebuild under
10% of the cold build, and the one-notebook rebuild re-executes only that notebook. Then the weight of
each topic page (issue 17: under 200 KB of HTML, figures aside).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import re

import nbformat

REPO = Path(__file__).resolve().parents[1]


def executions(root: Path) -> int:
    """How many notebook executions jupyter-cache has recorded so far."""
    db = root / "_build" / ".jupyter_cache" / "global.db"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from nbcache").fetchone()[0]


def build(root: Path) -> tuple[float, int]:
    before = executions(root)
    start = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "coursekit"), "book", "--course", str(root)],
                          cwd=root, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit((done.stdout + done.stderr)[-3000:])
    return elapsed, executions(root) - before


def page_weights(html: Path) -> list[tuple[str, int, int]]:
    """(page, KB in all, KB without embedded base64 figures) for every topic page of the built book."""
    weights = []
    for page in sorted((html / "release").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        bare = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "", text)
        weights.append((page.stem, len(text.encode()) // 1024, len(bare.encode()) // 1024))
    return weights


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(
            ".venv", ".binder-venv", ".git", "node_modules", "_build", "release", "test-artifacts", "*.db", "exchange", "__pycache__"))
        cold, cold_runs = build(root)
        same, same_runs = build(root)
        target = root / "notebooks" / "07-norms" / "07-norms.ipynb"
        nb = nbformat.read(target, as_version=4)
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        first_code.source += "\n# benchmark: a change to one notebook's code"
        nbformat.write(nb, target)
        one, one_runs = build(root)
        weights = page_weights(root / "_build" / "html")
    print(f"cold build: {cold:.1f} s, {cold_runs} notebooks executed")
    print(f"rebuild, nothing changed: {same:.1f} s ({100 * same / cold:.0f}% of cold; target < 10%), {same_runs} executed")
    print(f"rebuild, one notebook changed: {one:.1f} s ({100 * one / cold:.0f}% of cold), {one_runs} executed (target: 1)")

    print("topic page weights (KB of HTML; figures aside, target < 200):")
    for name, total, bare in weights:
        print(f"  {name:32s} {total:4d} KB in all, {bare:4d} KB figures aside")


if __name__ == "__main__":
    main()
