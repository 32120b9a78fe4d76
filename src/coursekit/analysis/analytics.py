"""Item analysis, outcome attainment and engagement for one class: pure functions on :class:`ClassData` tables.

Definitions (the report and the export print them, so an instructor knows what a number means):

* **Difficulty** of an item: the share of its points the class earned (sum of scores / sum of maxima over
  the participants who have a score for it). 1.0 means everybody got everything.
* **Discrimination**: the Pearson correlation between a participant's score on the item and their
  *rest-of-test* score (their points on every other scored item), over the participants scored on the item.
  For a right/wrong item this is the point-biserial correlation; for partial-credit items it is the same
  formula on the partial scores. Around 0.3 or more is usual for a good item; below 0 means the stronger
  participants did worse on it than the weaker ones (a wrong key, or a misleading wording). With fewer than
  :data:`SMALL_CLASS` participants it is mostly noise: the tables mark it ``small_sample``.
* Written answers are marked by hand against their rubric: besides difficulty (their mean share of points),
  the report gives how many reached every criterion's top level (full marks) and how many half the points.
* Items still waiting for a hand grade (``needs_manual_grade``) are left out of every statistic and of the
  points available, until they are graded.
* **Distractor analysis**, from the saved answers, each option named by the text participants saw: single
  choice and multiple select, how many chose each option; matching, how many made each pair (right and wrong); ordering, for each item, how many put it at
  each position (we count position errors rather than distinct wrong orders, which are too many to read);
  scenario, how many took each option at each step. Answers that cannot be read as answers are not counted.
* **Attainment** of a learning outcome: points earned on the items that serve it / points available on
  them (an item serving two outcomes counts fully for both). Topics a participant did not submit count 0;
  topics nobody submitted yet are left out. Class attainment pools the points of all participants.
* **Needs attention**: below :data:`ATTENTION_SHARE` of the points available so far, or a topic others
  submitted but they did not, or a late submission.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..core.exercises import Exercise, Matching, MultipleSelect, Ordering, Scenario, ShortText, SingleChoice
from .classdata import ClassData

SMALL_CLASS = 10  # fewer participants than this on an item: its discrimination means little
ATTENTION_SHARE = 0.5  # below half the points available so far: the participant needs attention


def split_outcomes(outcomes: str) -> list[str]:
    return [o for o in str(outcomes).split(";") if o]


def scored(grades: pd.DataFrame) -> pd.DataFrame:
    """Grade rows with a known score (not waiting for a hand grade)."""
    return grades[~grades["needs_manual_grade"].astype(bool)]


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = float((dx * dx).sum()), float((dy * dy).sum())
    if sxx <= 1e-12 or syy <= 1e-12:
        return math.nan  # no spread in the item or in the rest: no correlation to speak of
    return float((dx * dy).sum() / math.sqrt(sxx * syy))


def item_statistics(grades: pd.DataFrame, small_class: int = SMALL_CLASS) -> pd.DataFrame:
    """Per graded item: respondents, difficulty, full and zero marks, discrimination, small_sample.

    ``hand_marked`` says the item is a written answer marked by hand against its rubric (its ``full_marks``
    are those who reached every criterion's top level); ``half_marks`` counts who earned at least half its points.
    """
    columns = [
        "topic",
        "exercise_id",
        "type",
        "max_score",
        "respondents",
        "difficulty",
        "full_marks",
        "zero_marks",
        "discrimination",
        "small_sample",
        "hand_marked",
        "half_marks",
    ]
    g = scored(grades)
    if g.empty:
        return pd.DataFrame(columns=columns)
    totals = g.groupby("student")["score"].sum()
    rows = []
    for (topic, exercise_id), item in g.groupby(["topic", "exercise_id"], sort=False):
        scores = item.groupby("student")["score"].sum()
        maxima = item.groupby("student")["max_score"].sum()
        rest = totals.loc[scores.index] - scores
        rows.append(
            {
                "topic": topic,
                "exercise_id": exercise_id,
                "type": item["type"].iloc[0],
                "max_score": float(item["max_score"].max()),
                "respondents": int(len(scores)),
                "difficulty": float(scores.sum() / maxima.sum()) if maxima.sum() > 0 else math.nan,
                "full_marks": int((scores >= maxima - 1e-9).sum()),
                "zero_marks": int((scores <= 1e-9).sum()),
                "discrimination": _pearson(scores.to_numpy(float), rest.to_numpy(float)),
                "small_sample": len(scores) < small_class,
                "hand_marked": item["type"].iloc[0] == ShortText.kind,
                "half_marks": int((scores >= maxima / 2 - 1e-9).sum()),
            }
        )
    return pd.DataFrame(rows, columns=columns).sort_values(["topic", "exercise_id"], ignore_index=True)


# --- distractors ------------------------------------------------------------------------------------------


def _option_rows(exercise: Exercise, values: list[Any]) -> list[dict[str, Any]]:
    """Counts per option (step, option, correct, count) for one exercise's readable answers.

    ``option`` is the text participants saw, not the value the answers file stores (an author may give an
    option a short value such as ``force-armed-attack``, which no participant ever read).
    """
    key = exercise.key
    if isinstance(exercise, SingleChoice):
        return [
            {"step": "", "option": c.text, "correct": c.value == key, "count": sum(v == c.value for v in values)}
            for c in exercise.choices
        ]
    if isinstance(exercise, MultipleSelect):
        return [
            {"step": "", "option": c.text, "correct": c.value in key, "count": sum(c.value in v for v in values)}
            for c in exercise.choices
        ]
    if isinstance(exercise, Matching):
        return [
            {
                "step": left,
                "option": right,
                "correct": key[left] == right,
                "count": sum(v.get(left) == right for v in values),
            }
            for left in exercise.left
            for right in exercise.right
        ]
    if isinstance(exercise, Ordering):
        places = [{item: n for n, item in enumerate(v, start=1)} for v in values]
        return [
            {
                "step": item,
                "option": f"position {n}",
                "correct": list(key).index(item) + 1 == n,
                "count": sum(p.get(item) == n for p in places),
            }
            for item in exercise.items
            for n in range(1, len(exercise.items) + 1)
        ]
    if isinstance(exercise, Scenario):
        taken = [{tuple(pair) for pair in v} for v in values]
        rows = []
        for step in exercise.steps:
            best = max(float(p) for p in key[step.id].values())
            for option in step.options:
                rows.append(
                    {
                        "step": step.id,
                        "option": option.text,
                        "correct": float(key[step.id][option.value]) >= best,
                        "count": sum((step.id, option.value) in t for t in taken),
                    }
                )
        return rows
    return []


DISTRACTOR_TYPES = (SingleChoice, MultipleSelect, Matching, Ordering, Scenario)


def distractors(answers: pd.DataFrame, exercises: dict[str, Exercise], exercise_topic: dict[str, str]) -> pd.DataFrame:
    """How often each option (pair, position, branch) of every keyed graded item was chosen.

    Columns: topic, exercise_id, type, step, option, correct, count, respondents (readable answers).
    """
    columns = ["topic", "exercise_id", "type", "step", "option", "correct", "count", "respondents"]
    by_id = {i: group["value"].tolist() for i, group in answers.groupby("exercise_id")} if not answers.empty else {}
    rows = []
    for exercise_id, exercise in exercises.items():
        if exercise.mode != "graded" or exercise.key is None or not isinstance(exercise, DISTRACTOR_TYPES):
            continue
        readable = []
        for value in by_id.get(exercise_id, []):
            try:
                readable.append(exercise.normalise_answer(value))
            except (ValueError, TypeError, KeyError):
                continue
        for row in _option_rows(exercise, readable):
            rows.append(
                {
                    "topic": exercise_topic.get(exercise_id, ""),
                    "exercise_id": exercise_id,
                    "type": exercise.kind,
                    **row,
                    "respondents": len(readable),
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["topic", "exercise_id"], kind="stable", ignore_index=True)


def item_flags(stats: pd.DataFrame, options: pd.DataFrame) -> pd.DataFrame:
    """Items that look broken: nobody right, everybody right, negative discrimination, an unchosen distractor.

    A written answer marked by hand is judged against its rubric, not as right or wrong: a rubric's top level
    on every criterion is meant to be rare, so nobody (or everybody) reaching it says nothing about the item.
    It is flagged only when nobody reached half its points.

    An unchosen distractor is flagged for single choice, multiple select and scenario options (a wrong
    option nobody picks does no work); unchosen wrong pairs and positions in matching and ordering are
    normal and are not flagged. Scenario steps nobody reached are not flagged either.
    """
    rows = []
    for item in stats.itertuples():
        where = {"topic": item.topic, "exercise_id": item.exercise_id}
        if getattr(item, "hand_marked", False):  # judged against the rubric: full marks are rare by design
            if item.respondents and item.half_marks == 0:
                rows.append(
                    {
                        **where,
                        "flag": "nobody reached half the rubric's points",
                        "detail": f"none of {item.respondents} marked answers earned half; mean {item.difficulty:.0%}",
                    }
                )
            continue
        if item.respondents and item.full_marks == 0:
            rows.append({**where, "flag": "nobody right", "detail": f"none of {item.respondents} earned full marks"})
        if item.respondents and item.full_marks == item.respondents:
            rows.append({**where, "flag": "everybody right", "detail": f"all {item.respondents} earned full marks"})
        if not math.isnan(item.discrimination) and item.discrimination < 0:
            caution = f" (only {item.respondents} participants: may be chance)" if item.small_sample else ""
            rows.append(
                {**where, "flag": "negative discrimination", "detail": f"r = {item.discrimination:.2f}{caution}"}
            )
    if not options.empty:
        choice = options[
            options["type"].isin(["single-choice", "multiple-select", "scenario"]) & (options["respondents"] > 0)
        ]
        reached = choice.groupby(["exercise_id", "step"])["count"].transform("sum") > 0
        unchosen = choice[reached & ~choice["correct"] & (choice["count"] == 0)]
        for (topic, exercise_id), group in unchosen.groupby(["topic", "exercise_id"], sort=True):
            names = [f"{s}: {o}" if s else str(o) for s, o in zip(group["step"], group["option"])]
            rows.append(
                {
                    "topic": topic,
                    "exercise_id": exercise_id,
                    "flag": "distractor nobody chose",
                    "detail": "; ".join(names),
                }
            )
    return pd.DataFrame(rows, columns=["topic", "exercise_id", "flag", "detail"])


# --- per participant --------------------------------------------------------------------------------------


def topic_totals(data: ClassData) -> pd.DataFrame:
    """One row per participant and topic: submitted, score, max_score, pending, timestamp, seconds_late, late.

    ``max_score`` is the topic's graded points from its plan (so a topic not submitted still has one) and
    ``score`` 0 when not submitted, less any late penalty; ``pending`` is the points still to be graded by hand.
    """
    maxima = data.items.groupby("topic")["max_score"].sum()
    g = data.grades.astype({"score": float, "max_score": float, "needs_manual_grade": bool})
    keys = ["student", "topic"]
    earned = g.groupby(keys)["score"].sum().rename("score")
    pending = g[g["needs_manual_grade"]].groupby(keys)["max_score"].sum().rename("pending")
    penalised = "late_penalty" in data.submissions  # classes built in memory may not have the column
    subs = data.submissions.drop_duplicates(keys).set_index(keys)[
        ["timestamp", "seconds_late"] + (["late_penalty"] if penalised else [])
    ]
    grid = pd.MultiIndex.from_product([data.students, data.topics], names=keys).to_frame(index=False)
    grid = grid.join(earned, on=keys).join(pending, on=keys).join(subs, on=keys)
    grid["submitted"] = pd.MultiIndex.from_frame(grid[keys]).isin(subs.index)
    grid["max_score"] = grid["topic"].map(maxima)
    grid = grid.fillna({"score": 0.0, "pending": 0.0, "seconds_late": 0.0, "max_score": 0.0})
    grid["timestamp"] = grid["timestamp"].astype(object).where(grid["submitted"], None)
    grid["late"] = grid["seconds_late"].astype(float) > 0
    if penalised:  # nbgrader's late penalty is per submission, not per item: taken off the topic's score
        grid["score"] = grid["score"] - grid["late_penalty"].astype(float).fillna(0.0)
    columns = ["student", "topic", "submitted", "score", "max_score", "pending", "timestamp", "seconds_late", "late"]
    return grid[columns].astype(
        {"submitted": bool, "late": bool, "score": float, "max_score": float, "pending": float, "seconds_late": float}
    )


def participant_totals(data: ClassData, totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per participant: score, available (points of topics submitted by anyone, minus pending), share."""
    totals = topic_totals(data) if totals is None else totals
    counted = totals[totals["topic"].isin(data.submitted_topics())]
    out = counted.groupby("student", sort=False).agg(
        score=("score", "sum"), max_score=("max_score", "sum"), pending=("pending", "sum")
    )
    out = out.reindex(data.students, fill_value=0.0)
    out["available"] = out["max_score"] - out["pending"]
    out["share"] = np.where(
        out["available"] > 0, out["score"] / out["available"].where(out["available"] > 0, 1), np.nan
    )
    return out.reset_index(names="student")[["student", "score", "available", "pending", "share"]]


def outcome_attainment(data: ClassData) -> pd.DataFrame:
    """Per participant and learning outcome: earned, possible, attainment (see the module docstring)."""
    columns = ["student", "outcome", "earned", "possible", "attainment"]
    topics = data.submitted_topics()
    items = data.items[data.items["topic"].isin(topics)]
    if items.empty or not data.students:
        return pd.DataFrame(columns=columns)
    grid = pd.MultiIndex.from_product([data.students, range(len(items))], names=["student", "n"]).to_frame(index=False)
    grid = grid.join(items.reset_index(drop=True)[["topic", "exercise_id", "outcomes", "max_score"]], on="n")
    g = data.grades[["student", "topic", "exercise_id", "score", "needs_manual_grade"]]
    grid = grid.merge(g, on=["student", "topic", "exercise_id"], how="left")
    grid = grid[~grid["needs_manual_grade"].fillna(False).astype(bool)]
    grid["score"] = grid["score"].fillna(0.0).astype(float)
    grid["outcome"] = grid["outcomes"].map(split_outcomes)
    grid = grid.explode("outcome").dropna(subset=["outcome"])
    out = grid.groupby(["student", "outcome"], sort=False).agg(earned=("score", "sum"), possible=("max_score", "sum"))
    out = out.reset_index()
    out["attainment"] = out["earned"] / out["possible"].where(out["possible"] > 0)
    order = {s: n for n, s in enumerate(data.students)}
    out = out.sort_values(["student", "outcome"], key=lambda c: c.map(order) if c.name == "student" else c)
    return out.reset_index(drop=True)[columns]


def class_attainment(attainment: pd.DataFrame, threshold: float = ATTENTION_SHARE) -> pd.DataFrame:
    """Per outcome, for the class: pooled earned/possible, and how many participants are below ``threshold``."""
    columns = ["outcome", "earned", "possible", "attainment", "participants", "below_threshold"]
    if attainment.empty:
        return pd.DataFrame(columns=columns)
    out = (
        attainment.groupby("outcome")
        .agg(
            earned=("earned", "sum"),
            possible=("possible", "sum"),
            participants=("student", "nunique"),
            below_threshold=("attainment", lambda a: int((a < threshold).sum())),
        )
        .reset_index()
    )
    out["attainment"] = out["earned"] / out["possible"].where(out["possible"] > 0)
    return out[columns]


def needs_attention(
    data: ClassData, threshold: float = ATTENTION_SHARE, totals: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Participants below ``threshold`` of the points available so far, with a missing or a late submission."""
    totals = topic_totals(data) if totals is None else totals
    shares = participant_totals(data, totals).set_index("student")
    available = set(data.submitted_topics())
    missing = totals[~totals["submitted"] & totals["topic"].isin(available)].groupby("student")["topic"].agg(list)
    late = totals[totals["late"]].groupby("student")[["topic", "seconds_late"]].agg(list)
    rows = []
    for student in data.students:
        reasons = []
        share = shares.loc[student, "share"]
        if not math.isnan(share) and share < threshold:
            reasons.append(f"{share:.0%} of the points available so far (threshold {threshold:.0%})")
        if student in missing.index:
            reasons.append("not submitted: " + ", ".join(missing[student]))
        if student in late.index:
            pairs = zip(late.loc[student, "topic"], late.loc[student, "seconds_late"])
            reasons.append("late: " + ", ".join(f"{t} ({lateness(s)})" for t, s in pairs))
        if reasons:
            rows.append({"student": student, "share": share, "reasons": "; ".join(reasons)})
    return pd.DataFrame(rows, columns=["student", "share", "reasons"])


def lateness(seconds: float) -> str:
    """How late a submission was, as people say it: "6 s", "25 min", "1 h 35 min", "2 d 3 h".

    Why: in hours with one decimal, a submission 6 s late read "0.0 h", as if it were on time. Under a
    minute the seconds are rounded up, so that a late submission never reads 0; from a minute on, whole
    minutes (rounded down), hours and days, leaving out the units that are 0.
    """
    whole = math.ceil(max(0.0, float(seconds)))
    if whole < 60:
        return f"{whole} s"
    days, rest = divmod(whole // 60, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return " ".join(f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min")) if n)


def practice_engagement(data: ClassData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Practice answers per participant and topic, and per topic for the class.

    Per participant (submitted topics only; the answers come with the submission): ``attempted`` practice
    exercises answered, ``retried`` those answered more than once, ``attempts`` total saves. Per topic:
    ``available`` practice exercises, ``participants`` who submitted, ``engaged`` who answered at least one,
    ``mean_attempted`` per participant, ``mean_attempts`` saves per answered exercise.
    """
    available = pd.Series(
        [t for i, t in data.exercise_topic.items() if i in data.exercises and data.exercises[i].mode == "practice"],
        dtype=object,
    ).value_counts()
    practice = data.answers[data.answers["mode"] == "practice"].astype({"attempts": int})
    practice = practice.assign(retried=practice["attempts"] > 1)
    per = practice.groupby(["student", "topic"]).agg(
        attempted=("exercise_id", "nunique"), retried=("retried", "sum"), attempts=("attempts", "sum")
    )
    pairs = data.submissions[["student", "topic"]].drop_duplicates()
    per = pairs.join(per, on=["student", "topic"]).fillna({"attempted": 0, "retried": 0, "attempts": 0})
    per = per.astype({"attempted": int, "retried": int, "attempts": int}).reset_index(drop=True)
    rows = []
    for topic in data.topics:
        mine = per[per["topic"] == topic]
        answered = mine["attempted"].sum()
        rows.append(
            {
                "topic": topic,
                "available": int(available.get(topic, 0)),
                "participants": len(mine),
                "engaged": int((mine["attempted"] > 0).sum()),
                "mean_attempted": float(mine["attempted"].mean()) if len(mine) else math.nan,
                "mean_attempts": float(mine["attempts"].sum() / answered) if answered else math.nan,
            }
        )
    return per, pd.DataFrame(
        rows, columns=["topic", "available", "participants", "engaged", "mean_attempted", "mean_attempts"]
    )
