"""Benchmark class grading: nbgrader's own autograde with execution (the baseline) against ``coursekit autograde``.

A synthetic class answers every graded exercise of the chosen topics, from the real keys (a seeded share
of answers wrong). The same collected submissions are graded, in the same run:

1. the baseline: ``nbgrader autograde`` one topic after another with nbgrader's stock preprocessors (a
   kernel per notebook), on the first ``--baseline-students`` students (it takes seconds per notebook);
2. ``coursekit autograde`` on the whole class (no kernel: scored from the answers files).

It prints seconds per submission for both, the ratio, the whole class's time, peak memory, and where a
coursekit submission's time goes (from a profile of a few submissions in this process).

    python benchmarks/bench_grading.py --students 100 --baseline-students 4
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
TOPICS = [
    "01-introduction",
    "02-environment",
    "03-threats",
    "04-international-law",
    "05-capacity-building",
    "06-cyberdefence-cybercrime",
    "07-norms",
    "08-nis",
    "09-critical-infrastructure",
    "10-hybrid-threats",
]
STOCK_AUTOGRADE = """
# baseline: nbgrader's stock pipeline, which executes every notebook in a kernel
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
"""


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


def make_class(root: Path, topics: list[str], students: int, seed: int = 7) -> None:
    """Copy the course, release the topics and put a submission for every student in submitted/."""
    from coursekit.grading.course import Course
    from coursekit.grading.hidden_tests import load_plan
    from coursekit.grading.workflow import generate_release

    rng = random.Random(seed)
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copy(REPO / "_config.yml", root)
    for topic in topics:
        shutil.copytree(REPO / "notebooks" / topic, root / "notebooks" / topic)
    course = Course(root)
    for topic in topics:
        generate_release(course, topic)
        plan = load_plan(course.source_notebook(topic))
        for n in range(students):
            answers = {
                i: {"value": ex.key, "saved_at": "2026-05-20T10:00:00+00:00", "attempts": 1}
                for i, ex in plan.keyed.items()
                if rng.random() < 0.8
            }
            folder = root / "submitted" / f"student{n:03d}" / topic
            shutil.copytree(course.release / topic, folder)
            (folder / "coursekit_answers.json").write_text(
                json.dumps({"format": "coursekit-answers", "version": 1, "answers": answers})
            )
            (folder / "timestamp.txt").write_text("2026-05-20 12:00:00.000000 UTC")


CPU_SECONDS: dict[str, float] = {}  # CPU time of each command and its children (load-independent)


def run(command: list[str], cwd: Path) -> float:
    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    name = Path(command[0]).name
    CPU_SECONDS[name] = CPU_SECONDS.get(name, 0.0) + after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    return time.perf_counter() - start


def where_time_goes(root: Path, topic: str, students: list[str]) -> list[tuple[str, float]]:
    """Share of one submission's time in each stage of the pipeline, from a profile in this process."""
    from coursekit.grading.course import Course
    from coursekit.grading.nbgrader_speed import fast_nbgrader

    os.chdir(root)
    course = Course(root)
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, OverwriteCells

    from coursekit.grading.nbgrader_plugins import SaveScores, ScoreFromAnswers

    stages = {
        "restore locked and deleted cells (nbgrader)": OverwriteCells.preprocess,
        "check cell metadata (nbgrader, twice)": CheckCellMetadata.preprocess,
        "score from the answers file (coursekit)": ScoreFromAnswers.preprocess,
        "save grades to the gradebook (coursekit's SaveScores)": SaveScores.preprocess,
        "late penalties (nbgrader)": AssignLatePenalties.preprocess,
        "copy files, student and submission rows (nbgrader)": Autograde.init_assignment,
    }
    profile = cProfile.Profile()
    with fast_nbgrader():
        course.api_call("autograde", topic, students[0], force=True, create=True)
        profile.enable()
        for student in students[1:]:
            course.api_call("autograde", topic, student, force=True, create=True)
        profile.disable()
    stats = pstats.Stats(profile).stats
    total = max(ct for (_, _, _, ct, _) in stats.values())
    shares = []
    for label, function in stages.items():
        code = function.__code__
        cumulative = sum(
            ct
            for (file, line, name), (_, _, _, ct, _) in stats.items()
            if file == code.co_filename and line == code.co_firstlineno and name == code.co_name
        )
        shares.append((label, cumulative / total if total else 0.0))
    return shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--topics", nargs="+", default=TOPICS)
    parser.add_argument("--baseline-students", type=int, default=3, help="students graded the stock way")
    parser.add_argument("--jobs", type=int, default=2, help="coursekit autograde --jobs (topics at once)")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        ours, stock = Path(tmp) / "coursekit", Path(tmp) / "stock"
        ours.mkdir()
        make_class(ours, args.topics, args.students)
        stock.mkdir()
        make_class(stock, args.topics, args.baseline_students)
        with open(stock / "nbgrader_config.py", "a", encoding="utf-8") as config:
            config.write(STOCK_AUTOGRADE)
        runs = args.students * len(args.topics)
        baseline_runs = args.baseline_students * len(args.topics)

        with PeakMemory() as mem_stock:
            t_stock = sum(run([str(bin_dir / "nbgrader"), "autograde", topic], stock) for topic in args.topics)
        with PeakMemory() as mem_ours:
            t_ours = run(
                [
                    str(bin_dir / "coursekit"),
                    "autograde",
                    *args.topics,
                    "--jobs",
                    str(args.jobs),
                    "--course",
                    str(ours),
                ],
                ours,
            )

        from coursekit.analysis.gradebook_export import export_rows
        from coursekit.grading.course import Course

        rows = export_rows(Course(ours))
        graded = {(r["student"], r["topic"]) for r in rows}
        per_stock, per_ours = t_stock / baseline_runs, t_ours / runs
        print(
            f"class: {args.students} students x {len(args.topics)} topics = {runs} submissions "
            f"({len(graded)} graded); baseline on {baseline_runs} of them"
        )
        print(
            f"baseline, nbgrader autograde with execution: {t_stock:.1f} s for {baseline_runs}, "
            f"{per_stock:.2f} s per submission, peak memory {mem_stock.peak / 2**20:.0f} MiB"
        )
        print(
            f"coursekit autograde --jobs {args.jobs} (no kernel): {t_ours:.1f} s for {runs}, {per_ours * 1000:.0f} ms per submission "
            f"(start-up included), peak memory {mem_ours.peak / 2**20:.0f} MiB"
        )
        print(
            f"CPU time per submission (less sensitive to a busy machine; the command and what it waited for): "
            f"baseline {CPU_SECONDS['nbgrader'] / baseline_runs:.2f} s, coursekit {CPU_SECONDS['coursekit'] * 1000 / runs:.0f} ms"
        )
        print(
            f"speed-up per submission: {per_stock / per_ours:.1f}x (target >= 20x); "
            f"whole class {t_ours:.0f} s (target < 120 s for 1,000)"
        )
        print("where a coursekit submission's time goes (share of the profiled autograde calls):")
        for label, share in where_time_goes(
            ours, args.topics[0], [f"student{n:03d}" for n in range(min(6, args.students))]
        ):
            print(f"  {share:5.0%}  {label}")


if __name__ == "__main__":
    main()
