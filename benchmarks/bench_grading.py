"""Benchmark class grading: plain sequential ``nbgrader autograde`` against ``coursekit autograde --jobs N``.

A synthetic class (every student answers every graded exercise correctly, from the real keys) is
submitted for the chosen topics. The same class is graded twice from the same collected submissions, in
the same run: once with nbgrader one student after another, once with coursekit in parallel. The floor
is the time to start a kernel and run one notebook once (nbclient), measured in the same run.

    python benchmarks/bench_grading.py --students 30 --topics 00-orientation 07-norms --jobs 2
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]


class PeakMemory:
    """Peak resident memory of this process and all its descendants, sampled every 0.2 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.2)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def make_class(root: Path, topics: list[str], students: int) -> None:
    """Copy the course, release the topics and put a correct submission for every student in submitted/."""
    from coursekit.course import Course
    from coursekit.grading import load_plan
    from coursekit.workflow import generate_release

    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copy(REPO / "_config.yml", root)
    for topic in topics:
        shutil.copytree(REPO / "notebooks" / topic, root / "notebooks" / topic)
    course = Course(root)
    for topic in topics:
        generate_release(course, topic)
        plan = load_plan(course.source_notebook(topic))
        answers = {i: {"value": ex.key, "saved_at": "2026-05-20T10:00:00+00:00", "attempts": 1} for i, ex in plan.keyed.items()}
        for n in range(students):
            folder = root / "submitted" / f"student{n:03d}" / topic
            shutil.copytree(course.release / topic, folder)
            (folder / "coursekit_answers.json").write_text(json.dumps(
                {"format": "coursekit-answers", "version": 1, "answers": answers}))
            (folder / "timestamp.txt").write_text("2026-05-20 12:00:00.000000 UTC")


def floor_seconds(root: Path, topic: str, repeats: int = 3) -> float:
    """Median time to start a kernel and run the released notebook once (nbclient)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = next((root / "release" / topic).glob("*.ipynb"))
    times = []
    for _ in range(repeats):
        nb = nbformat.read(notebook, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(notebook.parent)}}).execute()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--topics", nargs="+", default=["00-orientation", "07-norms"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-sequential", action="store_true", help="only the parallel run (for large classes)")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        make_class(base, args.topics, args.students)
        seq_root, par_root = Path(tmp) / "sequential", Path(tmp) / "parallel"
        shutil.copytree(base, seq_root)
        shutil.copytree(base, par_root)
        floors = {t: floor_seconds(base, t) for t in args.topics}
        runs = args.students * len(args.topics)

        t_seq = None
        if not args.skip_sequential:
            with PeakMemory() as mem_seq:
                t_seq = 0.0
                for topic in args.topics:
                    t_seq += run([str(bin_dir / "nbgrader"), "autograde", topic], seq_root)
        with PeakMemory() as mem_par:
            t_par = run([str(bin_dir / "coursekit"), "autograde", *args.topics, "--jobs", str(args.jobs),
                         "--course", str(par_root)], par_root)

        from coursekit.course import Course
        from coursekit.workflow import export_rows

        rows = export_rows(Course(par_root))
        graded = {(r["student"], r["topic"]) for r in rows}
        full = sum(1 for r in rows if r["score"] == r["max_score"] or r["needs_manual_grade"])
        floor = statistics.mean(floors.values())
        print(f"class: {args.students} students x {len(args.topics)} topic(s) = {runs} notebooks; jobs={args.jobs}")
        print(f"floor (kernel start + one run, nbclient), per topic: " + ", ".join(f"{t} {s:.1f} s" for t, s in floors.items()))
        if t_seq is not None:
            print(f"sequential nbgrader autograde: {t_seq:.1f} s wall, {t_seq / runs:.2f} s per notebook "
                  f"({t_seq / runs / floor:.1f}x the floor), peak memory {mem_seq.peak / 2**20:.0f} MiB")
        print(f"coursekit autograde --jobs {args.jobs}: {t_par:.1f} s wall, {t_par / runs:.2f} s per notebook "
              f"({t_par / runs / floor:.1f}x the floor), peak memory {mem_par.peak / 2**20:.0f} MiB")
        if t_seq is not None:
            print(f"speed-up: {t_seq / t_par:.2f}x (target >= 1.7x)")
        print(f"graded submissions: {len(graded)} of {runs}; grade rows at full marks or awaiting hand-grading: {full} of {len(rows)}")


if __name__ == "__main__":
    main()
