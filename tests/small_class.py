"""A small class built in memory, whose statistics tests/test_analytics.py works out by hand.

Two topics. t1: q1 (single choice, 1 point, LO1, key "a"), q2 (multiple select, 2 points, LO1 and LO4,
key ["w", "x"]) and two practice exercises p1, p2. t2: q3 (matching, 2 points, LO4, key L1->R1, L2->R2)
and w1 (a written answer, 3 points, LO2, still waiting for a hand grade). Seven participants on the
roster: A-F submitted both topics (B submitted t2 two hours late), G submitted nothing.

Scores (each consistent with the saved answer listed beside it):

    student  q1 (answer)   q2 (answer)       q3 (answer)        total (q1+q2+q3)
    A        1  a          2  [w, x]         2  L1R1 L2R2       5
    B        1  a          2  [w, x]         1  L1R1 L2R3       4
    C        1  a          1  [w]            2  L1R1 L2R2       4
    D        0  b          1  [w, x, y]      1  L1R2 L2R2       2
    E        1  a          0  [y]            0  L1R2 L2R1       1
    F        0  b          0  [z]            1  L1R3 L2R2       1

(q2 scores (right - wrong selections) / 2 right options x 2 points: D 2-1 -> 1, E 0-1 -> 0.)
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from coursekit.analysis.classdata import ClassData, with_gap_notes
from coursekit.core.exercises import Choice, Matching, MultipleSelect, ShortText, SingleChoice

Q1 = SingleChoice(
    id="q1", prompt="p", choices=[Choice("a"), Choice("b"), Choice("c")], mode="graded", outcomes=["LO1"], points=1
).with_key("a")
Q2 = MultipleSelect(
    id="q2", prompt="p", choices=[Choice(c) for c in "wxyz"], mode="graded", outcomes=["LO1", "LO4"], points=2
).with_key(["w", "x"])
Q3 = Matching(
    id="q3", prompt="p", left=["L1", "L2"], right=["R1", "R2", "R3"], mode="graded", outcomes=["LO4"], points=2
).with_key({"L1": "R1", "L2": "R2"})
W1 = ShortText(id="w1", prompt="p", mode="graded", outcomes=["LO2"], points=3)
P1 = SingleChoice(id="p1", prompt="p", choices=[Choice("y", "f"), Choice("n", "f")], key="y", outcomes=["LO1"])
P2 = SingleChoice(id="p2", prompt="p", choices=[Choice("y", "f"), Choice("n", "f")], key="y", outcomes=["LO1"])

SCORES = {  # student: (q1, q2, q3)
    "A": (1, 2, 2),
    "B": (1, 2, 1),
    "C": (1, 1, 2),
    "D": (0, 1, 1),
    "E": (1, 0, 0),
    "F": (0, 0, 1),
}
ANSWERS = {  # student: (q1, q2, q3)
    "A": ("a", ["w", "x"], {"L1": "R1", "L2": "R2"}),
    "B": ("a", ["w", "x"], {"L1": "R1", "L2": "R3"}),
    "C": ("a", ["w"], {"L1": "R1", "L2": "R2"}),
    "D": ("b", ["w", "x", "y"], {"L1": "R2", "L2": "R2"}),
    "E": ("a", ["y"], {"L1": "R2", "L2": "R1"}),
    "F": ("b", ["z"], {"L1": "R3", "L2": "R2"}),
}
PRACTICE = [("A", "p1", 3), ("A", "p2", 1), ("B", "p1", 1)]  # student, exercise, attempts
DUE = datetime(2022, 5, 18, 12, 0)


def build(ids: dict[str, str] | None = None) -> ClassData:
    """The class above; ``ids`` renames participants (to try hostile ids)."""
    name = (ids or {}).get
    exercises = {e.id: e for e in (Q1, Q2, Q3, W1, P1, P2)}
    topic_of = {"q1": "t1", "q2": "t1", "p1": "t1", "p2": "t1", "q3": "t2", "w1": "t2"}
    roster = pd.DataFrame(
        [
            {
                "student": name(s, s),
                "first_name": f"First{s}",
                "last_name": f"Last{s}",
                "email": f"{s.lower()}@example.org",
            }
            for s in "ABCDEFG"
        ]
    )
    items = pd.DataFrame(
        [
            {
                "topic": topic_of[e.id],
                "exercise_id": e.id,
                "type": e.kind,
                "outcomes": ";".join(e.outcomes),
                "demand": "",
                "max_score": float(e.points),
                "auto": e.id != "w1",
            }
            for e in (Q1, Q2, Q3, W1)
        ]
    )
    grades, answers, submissions = [], [], []
    for s, scores in SCORES.items():
        for exercise, points in zip((Q1, Q2, Q3), scores):
            grades.append(
                {
                    "student": name(s, s),
                    "topic": topic_of[exercise.id],
                    "exercise_id": exercise.id,
                    "type": exercise.kind,
                    "mode": "graded",
                    "outcomes": ";".join(exercise.outcomes),
                    "demand": "",
                    "score": float(points),
                    "max_score": float(exercise.points),
                    "needs_manual_grade": False,
                }
            )
        grades.append(
            {
                "student": name(s, s),
                "topic": "t2",
                "exercise_id": "w1",
                "type": "short-text",
                "mode": "graded",
                "outcomes": "LO2",
                "demand": "",
                "score": 0.0,
                "max_score": 3.0,
                "needs_manual_grade": True,
            }
        )
        for exercise, value in zip((Q1, Q2, Q3), ANSWERS[s]):
            answers.append(
                {
                    "student": name(s, s),
                    "topic": topic_of[exercise.id],
                    "exercise_id": exercise.id,
                    "value": value,
                    "attempts": 1,
                    "saved_at": "2022-05-18T10:00:00+00:00",
                    "mode": "graded",
                }
            )
        for topic in ("t1", "t2"):
            late = 7200.0 if (s, topic) == ("B", "t2") else 0.0
            submissions.append(
                {
                    "student": name(s, s),
                    "topic": topic,
                    "timestamp": datetime(2022, 5, 18, 11, 0),
                    "duedate": DUE,
                    "seconds_late": late,
                }
            )
    for s, exercise_id, attempts in PRACTICE:
        answers.append(
            {
                "student": name(s, s),
                "topic": "t1",
                "exercise_id": exercise_id,
                "value": "y",
                "attempts": attempts,
                "saved_at": "2022-05-18T09:00:00+00:00",
                "mode": "practice",
            }
        )
    notes = pd.DataFrame(columns=["student", "topic", "note"])
    data = ClassData(
        roster,
        items,
        pd.DataFrame(grades),
        pd.DataFrame(submissions),
        pd.DataFrame(answers),
        notes,
        ["t1", "t2"],
        exercises,
        topic_of,
    )
    return with_gap_notes(data)
