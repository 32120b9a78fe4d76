"""Item analysis, attainment, attention and engagement on the small class of tests/small_class.py.

Every expected number below is worked out by hand from the table in small_class.py; the derivation is in
the comment beside it.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from small_class import build

from coursekit.analysis import analytics
from coursekit.analysis.classdata import ClassData
from coursekit.core.exercises import Choice, Ordering, Scenario, ScenarioOption, ScenarioStep, SingleChoice


@pytest.fixture()
def data() -> ClassData:
    return build()


def test_difficulty_is_the_share_of_points_earned(data):
    stats = analytics.item_statistics(data.grades).set_index("exercise_id")
    # q1: 1+1+1+0+1+0 = 4 of 6 x 1 point -> 4/6.  q2: 2+2+1+1+0+0 = 6 of 6 x 2 -> 6/12.
    # q3: 2+1+2+1+0+1 = 7 of 12 -> 7/12.  w1 waits for a hand grade: not in the table.
    assert stats["difficulty"].to_dict() == pytest.approx({"q1": 4 / 6, "q2": 6 / 12, "q3": 7 / 12})
    assert "w1" not in stats.index
    # full marks: q1 A B C E = 4, q2 A B = 2, q3 A C = 2; zero marks: q1 D F, q2 E F, q3 E.
    assert stats["full_marks"].to_dict() == {"q1": 4, "q2": 2, "q3": 2}
    assert stats["zero_marks"].to_dict() == {"q1": 2, "q2": 2, "q3": 1}
    assert stats["respondents"].to_dict() == {"q1": 6, "q2": 6, "q3": 6}


def test_discrimination_is_the_point_biserial_with_the_rest_of_the_test(data):
    stats = analytics.item_statistics(data.grades).set_index("exercise_id")
    r = stats["discrimination"]
    # q1: x = (1,1,1,0,1,0) for A..F, rest = q2+q3 = (4,3,3,2,0,1), mean rest 13/6.
    #   Sxy = sum (x - 2/3) y = 1/3 (4+3+3+0) - 2/3 (2+1) = 10/3 - 2 = 4/3;  Sxx = 4 (1/9) + 2 (4/9) = 4/3;
    #   Syy = 16+9+9+4+0+1 - 6 (13/6)^2 = 39 - 169/6 = 65/6;  r = (4/3) / sqrt(4/3 * 65/6) = 4 / sqrt(130).
    #   Point-biserial check: M1 = 10/4, M0 = 3/2, s = sqrt(65/36), p = 2/3:
    #   (5/2 - 3/2) / sqrt(65/36) * sqrt(2/9) = 6/sqrt(65) * sqrt(2)/3 = 2 sqrt(2/65) = 4/sqrt(130).
    assert r["q1"] == pytest.approx(4 / math.sqrt(130))
    # q2: x = (2,2,1,1,0,0), mean 1, dx = (1,1,0,0,-1,-1); rest = q1+q3 = (3,2,3,1,1,1), mean 11/6.
    #   Sxy = sum dx y = 3+2-1-1 = 3;  Sxx = 4;  Syy = 9+4+9+1+1+1 - 6 (11/6)^2 = 25 - 121/6 = 29/6;
    #   r = 3 / sqrt(4 * 29/6) = 3 / sqrt(58/3) = sqrt(27/58).
    assert r["q2"] == pytest.approx(math.sqrt(27 / 58))
    # q3: x = (2,1,2,1,0,1), mean 7/6; rest = q1+q2 = (3,3,2,1,1,0), mean 5/3.
    #   Sxy = (6+3+4+1+0+0) - 6 (7/6)(5/3) = 14 - 35/3 = 7/3;  Sxx = 11 - 6 (49/36) = 17/6;
    #   Syy = 24 - 6 (25/9) = 22/3;  r = (7/3) / sqrt(17/6 * 22/3) = (7/3) / sqrt(187/9) = 7 / sqrt(187).
    assert r["q3"] == pytest.approx(7 / math.sqrt(187))
    # Six participants is fewer than ten: every item is marked as too small a sample.
    assert stats["small_sample"].all()


def test_discrimination_is_undefined_without_spread():
    grades = pd.DataFrame(
        [
            {
                "student": s,
                "topic": "t",
                "exercise_id": i,
                "type": "single-choice",
                "score": sc,
                "max_score": 1.0,
                "needs_manual_grade": False,
            }
            for s, row in {"a": (1, 1), "b": (1, 0), "c": (1, 1)}.items()
            for i, sc in zip(("easy", "other"), row)
        ]
    )
    stats = analytics.item_statistics(grades).set_index("exercise_id")
    assert math.isnan(stats.loc["easy", "discrimination"])  # everybody scored 1: no variance in the item
    # flags: "easy" everybody right; "other" 2 of 3 right -> no flag.
    flags = analytics.item_flags(analytics.item_statistics(grades), pd.DataFrame())
    assert flags[["exercise_id", "flag"]].values.tolist() == [["easy", "everybody right"]]


def test_distractor_counts_per_option_and_per_pair(data):
    d = analytics.distractors(data.answers, data.exercises, data.exercise_topic)
    count = {(r.exercise_id, r.step, r.option): r.count for r in d.itertuples()}
    # q1 answers A..F: a a a b a b -> a 4, b 2, c 0.
    assert [count[("q1", "", o)] for o in "abc"] == [4, 2, 0]
    # q2 selections: A wx, B wx, C w, D wxy, E y, F z -> w 4, x 3, y 2, z 1.
    assert [count[("q2", "", o)] for o in "wxyz"] == [4, 3, 2, 1]
    # q3 pairs: L1 -> R1 by A B C (3), R2 by D E (2), R3 by F (1); L2 -> R1 by E, R2 by A C D F (4), R3 by B.
    assert [count[("q3", "L1", o)] for o in ("R1", "R2", "R3")] == [3, 2, 1]
    assert [count[("q3", "L2", o)] for o in ("R1", "R2", "R3")] == [1, 4, 1]
    right = {(r.exercise_id, r.step, r.option) for r in d.itertuples() if r.correct}
    assert right == {("q1", "", "a"), ("q2", "", "w"), ("q2", "", "x"), ("q3", "L1", "R1"), ("q3", "L2", "R2")}
    assert set(d["respondents"]) == {6}
    assert set(d["exercise_id"]) == {"q1", "q2", "q3"}  # practice items and the written answer are not analysed


def test_distractors_of_ordering_and_scenario_items():
    order = Ordering(id="o", prompt="p", items=["c", "a", "b"], mode="graded", outcomes=["LO1"]).with_key(
        ["a", "b", "c"]
    )
    scen = Scenario(
        id="s",
        prompt="p",
        start="s1",
        mode="graded",
        outcomes=["LO5"],
        steps=[
            ScenarioStep("s1", "one", [ScenarioOption("go", "c", "s2"), ScenarioOption("stop", "c")]),
            ScenarioStep("s2", "two", [ScenarioOption("x", "c"), ScenarioOption("y", "c")]),
        ],
    ).with_key({"s1": {"go": 2, "stop": 0}, "s2": {"x": 1, "y": 0}})
    answers = pd.DataFrame(
        [
            {"exercise_id": "o", "value": ["a", "b", "c"]},
            {"exercise_id": "o", "value": ["b", "a", "c"]},
            {"exercise_id": "o", "value": "not a list"},  # unreadable: not counted
            {"exercise_id": "s", "value": [["s1", "go"], ["s2", "y"]]},
            {"exercise_id": "s", "value": [["s1", "go"]]},
        ]
    )
    d = analytics.distractors(answers, {"o": order, "s": scen}, {"o": "t", "s": "t"})
    count = {(r.exercise_id, r.step, r.option): (r.count, r.correct) for r in d.itertuples()}
    # Orders a,b,c and b,a,c: "a" at position 1 once (right) and 2 once; "b" at 2 once (right), 1 once;
    # "c" at 3 twice (right).  Respondents: 2 readable answers.
    assert count[("o", "a", "position 1")] == (1, True) and count[("o", "a", "position 2")] == (1, False)
    assert count[("o", "b", "position 1")] == (1, False) and count[("o", "c", "position 3")] == (2, True)
    assert set(d[d["exercise_id"] == "o"]["respondents"]) == {2}
    # Scenario: both took "go" at s1 (the best option); one went on to "y" at s2, one stopped before s2.
    assert count[("s", "s1", "go")] == (2, True) and count[("s", "s1", "stop")] == (0, False)
    assert count[("s", "s2", "x")] == (0, True) and count[("s", "s2", "y")] == (1, False)
    flags = analytics.item_flags(
        pd.DataFrame(columns=["topic", "exercise_id", "respondents", "full_marks", "discrimination", "small_sample"]), d
    )
    assert flags[["exercise_id", "flag", "detail"]].values.tolist() == [["s", "distractor nobody chose", "s1: stop"]]


def test_flags_on_the_small_class(data):
    stats = analytics.item_statistics(data.grades)
    flags = analytics.item_flags(stats, analytics.distractors(data.answers, data.exercises, data.exercise_topic))
    # Every item has someone right and someone wrong and a positive r; q1's option "c" was never chosen.
    assert flags[["exercise_id", "flag", "detail"]].values.tolist() == [["q1", "distractor nobody chose", "c"]]


def test_negative_discrimination_is_flagged_with_a_caution():
    # Item "odd": the two weakest on the rest (c, d: rest 0) got it right, the two strongest (a, b: rest 1) not.
    # x = (0,0,1,1), rest = (1,1,0,0): r = -1 exactly.
    rows = {"a": (0, 1), "b": (0, 1), "c": (1, 0), "d": (1, 0)}
    grades = pd.DataFrame(
        [
            {
                "student": s,
                "topic": "t",
                "exercise_id": i,
                "type": "single-choice",
                "score": float(v),
                "max_score": 1.0,
                "needs_manual_grade": False,
            }
            for s, row in rows.items()
            for i, v in zip(("odd", "rest"), row)
        ]
    )
    stats = analytics.item_statistics(grades)
    assert stats.set_index("exercise_id").loc["odd", "discrimination"] == pytest.approx(-1.0)
    flags = analytics.item_flags(stats, pd.DataFrame())
    odd = flags[(flags["exercise_id"] == "odd") & (flags["flag"] == "negative discrimination")]
    assert odd["detail"].tolist() == ["r = -1.00 (only 4 participants: may be chance)"]


def test_outcome_attainment_per_participant_and_class(data):
    att = analytics.outcome_attainment(data).set_index(["student", "outcome"])["attainment"]
    # LO1 = q1 (1) + q2 (2) = 3 points: A 3/3, B 3/3, C 2/3, D 1/3, E 1/3, F 0/3; G submitted nothing: 0/3.
    assert [att[(s, "LO1")] for s in "ABCDEFG"] == pytest.approx([1, 1, 2 / 3, 1 / 3, 1 / 3, 0, 0])
    # LO4 = q2 (2) + q3 (2) = 4 points: A 4/4, B 3/4, C 3/4, D 2/4, E 0/4, F 1/4, G 0/4.
    assert [att[(s, "LO4")] for s in "ABCDEFG"] == pytest.approx([1, 3 / 4, 3 / 4, 2 / 4, 0, 1 / 4, 0])
    # LO2 = w1 only, waiting for a hand grade for A..F (left out); G did not submit t2: 0 of 3.
    assert [k for k in att.index if k[1] == "LO2"] == [("G", "LO2")] and att[("G", "LO2")] == 0
    cls = analytics.class_attainment(analytics.outcome_attainment(data)).set_index("outcome")
    # LO1 pooled: (3+3+2+1+1+0+0) / (7 x 3) = 10/21; below 50%: D E F G = 4.
    # LO4 pooled: (4+3+3+2+0+1+0) / (7 x 4) = 13/28; below 50%: E F G = 3 (D is exactly 50%).
    assert cls.loc["LO1", "attainment"] == pytest.approx(10 / 21) and cls.loc["LO1", "below_threshold"] == 4
    assert cls.loc["LO4", "attainment"] == pytest.approx(13 / 28) and cls.loc["LO4", "below_threshold"] == 3


def test_totals_count_topics_not_submitted_as_zero(data):
    totals = analytics.participant_totals(data).set_index("student")
    # Available: t1 3 + t2 5 = 8 points, minus w1's 3 pending for A..F -> 5; G: 8 (nothing pending).
    assert totals["available"].to_dict() == {"A": 5, "B": 5, "C": 5, "D": 5, "E": 5, "F": 5, "G": 8}
    assert totals["share"].to_dict() == pytest.approx(
        {"A": 1, "B": 4 / 5, "C": 4 / 5, "D": 2 / 5, "E": 1 / 5, "F": 1 / 5, "G": 0}
    )
    topic = analytics.topic_totals(data).set_index(["student", "topic"])
    assert topic.loc[("G", "t2"), ["submitted", "score", "max_score"]].tolist() == [False, 0.0, 5.0]
    assert topic.loc[("A", "t2"), "pending"] == 3.0


def test_participants_needing_attention(data):
    att = analytics.needs_attention(data).set_index("student")["reasons"].to_dict()
    # Below 50% of 5: D (2/5), E and F (1/5); B is on 80% but late on t2 by 7200 s = 2 h;
    # G submitted neither topic (0 of 8). A and C: nothing to report.
    assert att == {
        "B": "late: t2 (2 h)",
        "D": "40% of the points available so far (threshold 50%)",
        "E": "20% of the points available so far (threshold 50%)",
        "F": "20% of the points available so far (threshold 50%)",
        "G": "0% of the points available so far (threshold 50%); not submitted: t1, t2",
    }


@pytest.mark.parametrize(
    "seconds, shown",
    [
        (6, "6 s"),  # was "0.0 h": read as on time
        (0.2, "1 s"),  # late is late: never "0 s"
        (59.5, "1 min"),  # 60 s once rounded up
        (60, "1 min"),
        (25 * 60 + 59, "25 min"),
        (95 * 60, "1 h 35 min"),
        (2 * 3600, "2 h"),
        (2 * 86400 + 3 * 3600 + 10 * 60 + 7, "2 d 3 h 10 min"),
        (86400 + 5 * 60, "1 d 5 min"),
    ],
)
def test_lateness_reads_in_seconds_minutes_hours_and_days(seconds, shown):
    assert analytics.lateness(seconds) == shown


def test_a_submission_six_seconds_late_says_so(data):
    data.submissions.loc[(data.submissions["student"] == "A") & (data.submissions["topic"] == "t1"), "seconds_late"] = (
        6.0
    )
    att = analytics.needs_attention(data).set_index("student")["reasons"].to_dict()
    assert att["A"] == "late: t1 (6 s)"


def _hand_marked(scores: dict[str, float], points: float = 4.0) -> pd.DataFrame:
    """One written answer worth ``points``, marked by hand, and one right/wrong item beside it."""
    rows = []
    for n, (student, score) in enumerate(scores.items()):
        rows.append(
            {
                "student": student,
                "topic": "t",
                "exercise_id": "essay",
                "type": "short-text",
                "score": score,
                "max_score": points,
                "needs_manual_grade": False,
            }
        )
        rows.append(
            {
                "student": student,
                "topic": "t",
                "exercise_id": "mc",
                "type": "single-choice",
                "score": float(n % 2),
                "max_score": 1.0,
                "needs_manual_grade": False,
            }
        )
    return pd.DataFrame(rows)


def test_a_written_answer_nobody_marked_in_full_is_judged_against_its_rubric():
    # Marks 3, 2, 2, 1 of 4: nobody reached every criterion's top level, three reached half (2 of 4).
    stats = analytics.item_statistics(_hand_marked({"a": 3.0, "b": 2.0, "c": 2.0, "d": 1.0}))
    essay = stats.set_index("exercise_id").loc["essay"]
    assert bool(essay["hand_marked"]) and essay["full_marks"] == 0 and essay["half_marks"] == 3
    assert essay["difficulty"] == pytest.approx(8 / 16)
    assert not bool(stats.set_index("exercise_id").loc["mc", "hand_marked"])
    flags = analytics.item_flags(stats, pd.DataFrame())
    assert not flags[flags["exercise_id"] == "essay"].shape[0], flags  # not "nobody right"


def test_a_written_answer_where_nobody_reached_half_is_flagged():
    # Marks 1.5, 1, 0, 0 of 4: nobody reached 2; mean 2.5 / 16 = 16%.
    stats = analytics.item_statistics(_hand_marked({"a": 1.5, "b": 1.0, "c": 0.0, "d": 0.0}))
    flags = analytics.item_flags(stats, pd.DataFrame())
    essay = flags[flags["exercise_id"] == "essay"]
    assert essay[["flag", "detail"]].values.tolist() == [
        ["nobody reached half the rubric's points", "none of 4 marked answers earned half; mean 16%"]
    ]


def test_distractors_name_options_by_the_text_participants_saw():
    item = SingleChoice(
        id="law",
        prompt="p",
        choices=[
            Choice("A use of force, and an armed attack", value="force"),
            Choice("A breach of sovereignty", value="sov"),
        ],
        mode="graded",
        outcomes=["LO3"],
    ).with_key("sov")
    scen = Scenario(
        id="s",
        prompt="p",
        start="s1",
        mode="graded",
        outcomes=["LO5"],
        steps=[
            ScenarioStep(
                "s1",
                "one",
                [ScenarioOption("Call the CERT", "c", value="cert"), ScenarioOption("Wait", "c", value="wait")],
            )
        ],
    ).with_key({"s1": {"cert": 1, "wait": 0}})
    answers = pd.DataFrame(
        [
            {"exercise_id": "law", "value": "sov"},
            {"exercise_id": "law", "value": "sov"},
            {"exercise_id": "s", "value": [["s1", "wait"]]},
        ]
    )
    d = analytics.distractors(answers, {"law": item, "s": scen}, {"law": "t", "s": "t"})
    shown = {(r.exercise_id, r.option): (r.count, r.correct) for r in d.itertuples()}
    assert shown == {
        ("law", "A use of force, and an armed attack"): (0, False),
        ("law", "A breach of sovereignty"): (2, True),
        ("s", "Call the CERT"): (0, True),
        ("s", "Wait"): (1, False),
    }
    flags = analytics.item_flags(pd.DataFrame(columns=["topic", "exercise_id"]), d)
    assert flags["detail"].tolist() == ["A use of force, and an armed attack"]


def test_practice_engagement(data):
    per, topics = analytics.practice_engagement(data)
    per = per.set_index(["student", "topic"])
    # A answered p1 (3 saves) and p2 (1 save) in t1; B answered p1 once; nobody else practised.
    assert per.loc[("A", "t1"), ["attempted", "retried", "attempts"]].tolist() == [2, 1, 4]
    assert per.loc[("B", "t1"), ["attempted", "retried", "attempts"]].tolist() == [1, 0, 1]
    assert per.loc[("C", "t1"), "attempted"] == 0
    t1 = topics.set_index("topic").loc["t1"]
    # 6 submitted t1, 2 practice exercises; engaged A, B; mean attempted (2+1)/6 = 0.5;
    # saves per answered exercise (3+1+1)/3 = 5/3.
    assert [t1["available"], t1["participants"], t1["engaged"]] == [2, 6, 2]
    assert t1["mean_attempted"] == pytest.approx(0.5) and t1["mean_attempts"] == pytest.approx(5 / 3)


def test_gap_notes(data):
    notes = set(zip(data.notes["student"], data.notes["note"]))
    assert ("G", "no submission of any topic") in notes
