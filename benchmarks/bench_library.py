"""Benchmark the coursekit library against baselines measured in the same run.

Figures: ``import coursekit`` time and peak memory against a bare interpreter; building 50 exercise
widgets against building the same number of bare ipywidgets; saving 1,000 answers in a row against
plain non-atomic JSON writes. Medians of repeated runs; ratios against the baseline, since this
machine is noisy. Targets (issue 2): import < 0.3 s added, 50 widgets < 0.5 s, 1,000 saves < 2 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 11


def child(code: str) -> tuple[float, int]:
    """Wall time of a fresh interpreter running ``code``, and its peak RSS in KiB."""
    script = f"import resource, time\n{code}\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - start, int(out.split()[-1])


def bench_import() -> None:
    bare = [child("pass") for _ in range(REPEATS)]
    lib = [child("import coursekit") for _ in range(REPEATS)]
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, coursekit; print(sorted(m for m in ('pandas','matplotlib','ipywidgets') if m in sys.modules))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    t_bare, t_lib = statistics.median(t for t, _ in bare), statistics.median(t for t, _ in lib)
    m_bare, m_lib = statistics.median(m for _, m in bare), statistics.median(m for _, m in lib)
    print(
        f"import: bare interpreter {t_bare * 1000:.0f} ms, with coursekit {t_lib * 1000:.0f} ms, "
        f"added {1000 * (t_lib - t_bare):.0f} ms (target < 300 ms); ratio {t_lib / t_bare:.2f}x"
    )
    print(f"import: peak RSS bare {m_bare:.0f} KiB, with coursekit {m_lib:.0f} KiB, added {m_lib - m_bare:.0f} KiB")
    print(f"import: heavy modules loaded by 'import coursekit': {heavy}")


def exercises() -> list:
    from coursekit import Choice, Matching, MultipleSelect, Numeric, Ordering, ShortText, SingleChoice

    out = []
    for i in range(50):
        kind = i % 6
        common = dict(id=f"bench-{i}", prompt=f"Question {i} with **markdown**", outcomes=["LO1"])
        if kind == 0:
            out.append(SingleChoice(choices=[Choice(c, "f") for c in "abcd"], key="a", **common))
        elif kind == 1:
            out.append(MultipleSelect(choices=[Choice(c, "f") for c in "abcd"], key=["a", "b"], **common))
        elif kind == 2:
            out.append(Matching(left=list("wxyz"), right=list("123"), key=dict(zip("wxyz", "1231")), **common))
        elif kind == 3:
            out.append(Ordering(items=list("dcba"), key=list("abcd"), **common))
        elif kind == 4:
            out.append(Numeric(key=72, minimum=0, maximum=200, **common))
        else:
            out.append(ShortText(**common))
    return out


def bench_widgets(tmp: Path) -> None:
    import ipywidgets as w

    from coursekit.core.store import AnswerStore
    from coursekit.render.widget import ExerciseWidget as build_view

    exs = exercises()
    build_view(exs[0], AnswerStore(tmp / "warm.json"))  # warm imports and markdown parser

    def ours() -> float:
        store = AnswerStore(tmp / f"w{time.perf_counter_ns()}.json")
        start = time.perf_counter()
        for ex in exs:
            build_view(ex, store)
        return time.perf_counter() - start

    def bare() -> float:
        start = time.perf_counter()
        for i in range(50):
            w.VBox(
                [
                    w.HTML(f"Question {i}"),
                    w.RadioButtons(options=list("abcd"), value=None, description="x"),
                    w.Button(description="Check"),
                    w.HTML(""),
                    w.HTML(""),
                ]
            )
        return time.perf_counter() - start

    t_ours = statistics.median(ours() for _ in range(REPEATS))
    t_bare = statistics.median(bare() for _ in range(REPEATS))
    print(
        f"widgets: 50 exercise views {t_ours * 1000:.0f} ms (target < 500 ms); 50 bare ipywidgets forms "
        f"{t_bare * 1000:.0f} ms; ratio {t_ours / t_bare:.2f}x"
    )


def bench_saves(tmp: Path) -> None:
    from coursekit.core.store import AnswerStore

    def ours() -> float:
        store = AnswerStore(tmp / f"s{time.perf_counter_ns()}.json")
        start = time.perf_counter()
        for i in range(1000):
            store.save(f"q{i % 60}", {"choice": f"option {i}"})
        return time.perf_counter() - start

    def naive() -> float:
        path = tmp / f"n{time.perf_counter_ns()}.json"
        answers: dict = {}
        start = time.perf_counter()
        for i in range(1000):
            answers[f"q{i % 60}"] = {"value": {"choice": f"option {i}"}}
            path.write_text(json.dumps(answers))
        return time.perf_counter() - start

    runs = 5
    t_ours = statistics.median(ours() for _ in range(runs))
    t_naive = statistics.median(naive() for _ in range(runs))
    print(
        f"saves: 1,000 atomic, locked, fsynced saves {t_ours:.2f} s (target < 2 s), "
        f"{t_ours * 1000 / 1000:.2f} ms each; naive non-atomic writes {t_naive:.2f} s; ratio {t_ours / t_naive:.1f}x"
    )


if __name__ == "__main__":
    os.environ.pop("NBGRADER_EXECUTION", None)
    bench_import()
    with tempfile.TemporaryDirectory() as d:
        bench_widgets(Path(d))
        bench_saves(Path(d))
