"""Export and report for a synthetic class: 200 participants x every topic, from the real exercise definitions.

The class is built in memory (no gradebook): each topic's compiled plan (``plans/<topic>.json``) is read with
``load_plan``, every participant gets a seeded ability, and every graded item a right, partial or wrong answer
in the item's own shape, scored with coursekit's scorer, so grades and answers agree. Some participants skip a
topic, some submit late, some written answers still wait for a hand grade, and practice exercises are answered
with 1-4 saves. Then ``export`` (the three CSV files) and ``render`` (the HTML report) are timed: median of 3.

Target: export + report < 15 s for 200 participants x 13 topics on the course's grading machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coursekit.analysis.classdata import ClassData, item_table, plan_exercises, with_gap_notes  # noqa: E402
from coursekit.analysis.gradebook_export import export  # noqa: E402
from coursekit.analysis.report import render  # noqa: E402
from coursekit.core.exercises import (  # noqa: E402
    Exercise,
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Scenario,
    ShortText,
    SingleChoice,
)
from coursekit.core.scoring import score  # noqa: E402
from coursekit.grading.course import Course  # noqa: E402
from coursekit.grading.hidden_tests import GradingPlan, load_plan  # noqa: E402


def answer(ex: Exercise, quality: str, rng: random.Random) -> Any:
    """An answer to ``ex`` that is right, partly right or wrong (``quality``), in the exercise's shape."""
    key = ex.key
    if isinstance(ex, SingleChoice):
        wrong = [c.value for c in ex.choices if c.value != key]
        return key if quality == "right" else rng.choice(wrong)
    if isinstance(ex, MultipleSelect):
        others = [c.value for c in ex.choices if c.value not in key]
        if quality == "right":
            return list(key)
        if quality == "partial" and len(key) > 1:
            return list(key)[:-1] + rng.sample(others, min(len(others), rng.randint(0, 1)))
        return rng.sample(others, min(len(others), 2)) or [key[0]]
    if isinstance(ex, Matching):
        pairs = dict(key)
        lefts = list(ex.left)
        for left in rng.sample(lefts, 0 if quality == "right" else 1 if quality == "partial" else len(lefts)):
            pairs[left] = rng.choice([r for r in ex.right if r != key[left]] or [key[left]])
        return pairs
    if isinstance(ex, Ordering):
        order = list(key)
        if quality == "partial":
            i = rng.randrange(len(order) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        elif quality == "wrong":
            order.reverse()
        return order
    if isinstance(ex, Numeric):
        if quality == "right":
            return key
        wrong = float(key) + (ex.tolerance + 1) * rng.choice([-3, 3])
        if ex.minimum is not None:
            wrong = max(ex.minimum, wrong)
        if ex.maximum is not None:
            wrong = min(ex.maximum, wrong)
        return wrong
    if isinstance(ex, Scenario):
        path, step = [], ex.start
        while step:
            points = key[step]
            options = ex.step(step).options
            best = max(options, key=lambda o: points[o.value])
            take = best if quality == "right" or (quality == "partial" and rng.random() < 0.5) else rng.choice(options)
            path.append([step, take.value])
            step = take.next_step
        return path
    if isinstance(ex, ShortText):
        return rng.choice(["=SUM(A1)", "Our mission would first ...", "A short answer."])
    raise TypeError(type(ex).__name__)


def synthetic_class(plans: dict[str, GradingPlan], students: int, seed: int = 16) -> ClassData:
    rng = random.Random(seed)
    ids = [f"p{n:03d}" for n in range(1, students + 1)]
    roster = pd.DataFrame(
        [
            {"student": s, "first_name": f"First{n}", "last_name": f"Last{n}", "email": f"{s}@example.org"}
            for n, s in enumerate(ids, start=1)
        ]
    )
    grades, submissions, answers = [], [], []
    due = datetime(2022, 5, 18, 17, 0)
    for student in ids:
        ability = rng.uniform(0.2, 0.95)
        for topic, plan in plans.items():
            if rng.random() < 0.05:
                continue  # this topic was not submitted
            late = rng.random() < 0.1
            submissions.append(
                {
                    "student": student,
                    "topic": topic,
                    "duedate": due,
                    "timestamp": due + timedelta(hours=rng.uniform(1, 30) if late else -rng.uniform(0, 30)),
                    "seconds_late": 3600.0 * rng.uniform(1, 30) if late else 0.0,
                }
            )
            for exercise_id in plan.graded_ids:
                ex = plan.keyed.get(exercise_id, plan.all_exercises[exercise_id])
                roll = rng.random()
                quality = "right" if roll < ability else "partial" if roll < ability + (1 - ability) / 2 else "wrong"
                value = answer(ex, quality, rng)
                result = score(ex, value)
                manual = result.status == "manual"
                pending = manual and rng.random() < 0.5
                points = 0.0 if pending else round(ex.points * ability, 1) if manual else result.points
                grades.append(
                    {
                        "student": student,
                        "topic": topic,
                        "exercise_id": exercise_id,
                        "type": ex.kind,
                        "mode": "graded",
                        "outcomes": ";".join(ex.outcomes),
                        "demand": ex.demand,
                        "score": points,
                        "max_score": float(ex.points),
                        "needs_manual_grade": pending,
                    }
                )
                answers.append(
                    {
                        "student": student,
                        "topic": topic,
                        "exercise_id": exercise_id,
                        "value": value,
                        "attempts": 1,
                        "saved_at": "2022-05-18T10:00:00+00:00",
                        "mode": "graded",
                    }
                )
            for exercise_id, ex in plan.all_exercises.items():
                if ex.mode == "practice" and rng.random() < ability:
                    answers.append(
                        {
                            "student": student,
                            "topic": topic,
                            "exercise_id": exercise_id,
                            "value": "x",
                            "attempts": rng.randint(1, 4),
                            "saved_at": "2022-05-18T09:00:00+00:00",
                            "mode": "practice",
                        }
                    )
    data = ClassData(
        roster,
        item_table(plans),
        pd.DataFrame(grades),
        pd.DataFrame(submissions),
        pd.DataFrame(answers),
        pd.DataFrame(columns=["student", "topic", "note"]),
        list(plans),
        plan_exercises(plans),
        {i: t for t, p in plans.items() for i in p.all_exercises},
    )
    return with_gap_notes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    course = Course(ROOT)
    start = time.perf_counter()
    plans = {t: load_plan(course.source_notebook(t)) for t in course.topics()}
    t_plans = time.perf_counter() - start
    start = time.perf_counter()
    data = synthetic_class(plans, args.students)
    t_build = time.perf_counter() - start
    export_s, report_s, xlsx_s = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            start = time.perf_counter()
            export(data, Path(tmp) / "grades.csv")
            export_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            page = render(data)
            report_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            export(data, Path(tmp) / "grades.xlsx", "xlsx")
            xlsx_s.append(time.perf_counter() - start)
        sizes = {p.name: p.stat().st_size for p in Path(tmp).iterdir()}
    total = [e + r for e, r in zip(export_s, report_s)]
    print(
        f"class: {args.students} participants x {len(plans)} topics; {len(data.grades)} grade rows, "
        f"{len(data.answers)} saved answers, {len(data.submissions)} submissions"
    )
    print(f"set-up (not timed below): plans read in {t_plans:.1f} s, class built in {t_build:.1f} s")
    print(f"export (3 CSV files), median of {args.runs}: {statistics.median(export_s):.2f} s")
    print(f"report (HTML), median of {args.runs}: {statistics.median(report_s):.2f} s")
    print(
        f"export + report, median of {args.runs}: {statistics.median(total):.2f} s (target < 15 s); "
        f"runs: {', '.join(f'{t:.2f}' for t in total)}"
    )
    print(f"xlsx workbook, median of {args.runs}: {statistics.median(xlsx_s):.2f} s")
    print(
        f"HTML size: {len(page.encode('utf-8')) / 1024:.0f} KiB; files: "
        + ", ".join(f"{n} {s / 1024:.0f} KiB" for n, s in sorted(sizes.items()))
    )


if __name__ == "__main__":
    main()
