"""Benchmark the book build: cold, rebuilt with nothing changed, rebuilt after changing one notebook.

Runs in a fresh copy of the repository (no cache), in the same run: ``coursekit book`` three times. With
``--baseline REF`` the same three builds of commit REF run in the same run, each right before the working
tree's, so the ratios hold even when other work shares the machine.
Counts the notebooks jupyter-cache executed in each build. Target (issue 5): the no-change rebuild under
10% of the cold build, and the one-notebook rebuild re-executes only that notebook. Then the weight of
each topic page (issue 17: under 200 KB of HTML, figures aside).
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from course_copy import copy_checkout  # noqa: E402  (the tests' copy of a checkout, same rules)


def executions(root: Path) -> int:
    """How many notebook executions jupyter-cache has recorded so far."""
    db = root / "_build" / ".jupyter_cache" / "global.db"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from nbcache").fetchone()[0]


def build(root: Path) -> tuple[float, int, str]:
    """Run ``coursekit book`` in ``root`` with that copy's own coursekit; return seconds, notebooks executed,
    and the build's own line of phase times (if it prints one)."""
    before = executions(root)
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    start = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "coursekit"), "book", "--course", str(root)],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit((done.stdout + done.stderr)[-3000:])
    phases = next((line for line in done.stdout.splitlines() if line.startswith("Book build times:")), "")
    return elapsed, executions(root) - before, phases


def page_weights(html: Path) -> list[tuple[str, int, int]]:
    """(page, KB in all, KB without embedded base64 figures) for every topic page of the built book."""
    weights = []
    for page in sorted((html / "release").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        bare = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "", text)
        weights.append((page.stem, len(text.encode()) // 1024, len(bare.encode()) // 1024))
    return weights


def copy_course(root: Path, ref: str | None) -> None:
    """A fresh copy of the course without caches: the working tree, or the commit ``ref`` of its repository."""
    if ref is None:
        copy_checkout(root)
        return
    root.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)


def change_one_notebook(root: Path) -> None:
    target = root / "notebooks" / "07-norms" / "07-norms.ipynb"
    nb = nbformat.read(target, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    first_code.source += "\n# benchmark: a change to one notebook's code"
    nbformat.write(nb, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="also build this commit (e.g. main) in the same run, "
        "each step right before the working tree's, and report the ratios",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copies = {"this tree": Path(tmp) / "course"}
        if args.baseline:
            copies = {f"baseline {args.baseline}": Path(tmp) / "baseline", **copies}
        for name, root in copies.items():
            copy_course(root, None if name == "this tree" else args.baseline)
        results: dict[str, dict[str, tuple[float, int, str]]] = {name: {} for name in copies}
        for step in ("cold", "same", "one"):
            for name, root in copies.items():  # the baseline right before this tree, under the same load
                if step == "one":
                    change_one_notebook(root)
                results[name][step] = build(root)
        weights = page_weights(copies["this tree"] / "_build" / "html")
    for name, steps in results.items():
        (cold, cold_runs, cold_phases), (same, same_runs, _), (one, one_runs, one_phases) = (
            steps["cold"],
            steps["same"],
            steps["one"],
        )
        print(f"{name}:")
        print(f"  cold build: {cold:.1f} s, {cold_runs} notebooks executed (target < 60 s)")
        if cold_phases:
            print(f"    {cold_phases}")
        print(
            f"  rebuild, nothing changed: {same:.1f} s ({100 * same / cold:.0f}% of cold; target < 10%), {same_runs} executed"
        )
        print(
            f"  rebuild, one notebook changed: {one:.1f} s ({100 * one / cold:.0f}% of cold), {one_runs} executed (target: 1)"
        )
        if one_phases:
            print(f"    {one_phases}")
    if args.baseline:
        base, this = results[f"baseline {args.baseline}"], results["this tree"]
        print(
            "this tree / baseline: "
            + ", ".join(f"{step} {this[step][0] / base[step][0]:.2f}" for step in ("cold", "same", "one"))
        )

    print("topic page weights (KB of HTML; figures aside, target < 200):")
    for name, total, bare in weights:
        print(f"  {name:32s} {total:4d} KB in all, {bare:4d} KB figures aside")


if __name__ == "__main__":
    main()
