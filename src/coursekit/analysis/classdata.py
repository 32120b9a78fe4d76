"""Everything the instructor's views of a class need, loaded once into plain pandas tables.

The export (:mod:`coursekit.analysis.gradebook_export`), the statistics (:mod:`coursekit.analysis.analytics`) and the HTML
report (:mod:`coursekit.analysis.report`) all read a :class:`ClassData`, never the gradebook or the submission folders
themselves, so that they can be tested (and benchmarked) on a class built in memory.

Loading never stops on bad input: a missing roster or gradebook, a participant with no submission, a topic
nobody submitted, a damaged or absent answers file, a topic whose plan cannot be rebuilt, each becomes a
row of :attr:`ClassData.notes` and the rest loads. Scores come from the nbgrader gradebook (what autograde
and hand-grading recorded); what the graded items are (type, outcomes, demand, points, key) comes from the
topics' compiled plans (never a notebook run); what participants actually answered comes from the answers files collected
with their submissions.

Everything read from a participant's files is bounded here, where it is read, so that no single value can
stop a class-wide view: an answers file's ``attempts`` beyond :data:`MAX_ATTEMPTS` (a number pandas cannot
hold, e.g. ``10**30``), a ``saved_at`` longer than any time (kept empty), a submission folder whose name is not a plain id; each
becomes a note naming the participant and the topic, and the rest of their answers still count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.exercises import Exercise
from ..core.store import ANSWERS_FILENAME, read_answers_file
from ..grading.course import Course, _venv_on_path, valid_student_id
from ..grading.plans import GradingPlan, load_plan

ROSTER_COLUMNS = ["student", "first_name", "last_name", "email"]
ITEM_COLUMNS = ["topic", "exercise_id", "type", "outcomes", "demand", "max_score", "auto"]
GRADE_COLUMNS = [
    "student",
    "topic",
    "exercise_id",
    "type",
    "mode",
    "outcomes",
    "demand",
    "score",
    "max_score",
    "needs_manual_grade",
]
SUBMISSION_COLUMNS = ["student", "topic", "timestamp", "duedate", "seconds_late", "late_penalty"]
ANSWER_COLUMNS = ["student", "topic", "exercise_id", "value", "attempts", "saved_at", "mode"]
NOTE_COLUMNS = ["student", "topic", "note"]
#: more saves of one answer than anyone makes by hand in a course; a larger count is reported, not counted
MAX_ATTEMPTS = 100_000
MAX_SAVED_AT = 40  # characters: an ISO time with offset takes 25


@dataclass
class ClassData:
    """One class, as tables. ``outcomes`` columns hold learning outcomes joined by ``;`` (e.g. ``LO1;LO4``).

    * ``roster``: one row per participant, by last name (``student`` is the nbgrader id; names may be empty).
    * ``items``: one row per graded item of every topic (``auto`` is False for hand-graded written answers).
    * ``grades``: one row per participant and graded item of a *submitted* topic, as in the gradebook.
    * ``submissions``: one row per participant and submitted topic (``seconds_late`` 0 when on time;
      ``late_penalty`` the points nbgrader's late-submission plugin took off, if any).
    * ``answers``: one row per saved answer, practice and graded (``value`` is the answer as saved).
    * ``notes``: what was missing or damaged (``student``/``topic`` empty when the note is about the class).
    * ``topics``: the topics looked at, in course order; ``exercises``: every exercise by id, graded ones
      carrying their key, so answers can be compared with it; ``exercise_topic``: the topic of each id.
    * ``unreleased``: the course's topics left out because they were never released (see :func:`load_class`).
    """

    roster: pd.DataFrame
    items: pd.DataFrame
    grades: pd.DataFrame
    submissions: pd.DataFrame
    answers: pd.DataFrame
    notes: pd.DataFrame
    topics: list[str]
    exercises: dict[str, Exercise] = field(default_factory=dict)
    exercise_topic: dict[str, str] = field(default_factory=dict)
    unreleased: list[str] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        """Every participant: the roster, plus anyone who submitted without being on it."""
        seen = list(self.roster["student"])
        extra = sorted((set(self.submissions["student"].unique()) | set(self.grades["student"].unique())) - set(seen))
        return seen + extra

    def submitted_topics(self) -> list[str]:
        """Topics with at least one submission: the ones whose points count as available so far."""
        done = set(self.submissions["topic"].unique())
        return [t for t in self.topics if t in done]


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def item_table(plans: dict[str, GradingPlan]) -> pd.DataFrame:
    """The graded items of each plan, in topic order, with type, outcomes, demand and points."""
    rows = []
    for topic, plan in plans.items():
        for exercise_id in plan.graded_ids:
            exercise = plan.all_exercises[exercise_id]
            rows.append(
                {
                    "topic": topic,
                    "exercise_id": exercise_id,
                    "type": exercise.kind,
                    "outcomes": ";".join(exercise.outcomes),
                    "demand": exercise.demand,
                    "max_score": float(exercise.points),
                    "auto": exercise_id in plan.keyed,
                }
            )
    return pd.DataFrame(rows, columns=ITEM_COLUMNS) if rows else empty(ITEM_COLUMNS)


def plan_exercises(plans: dict[str, GradingPlan]) -> dict[str, Exercise]:
    """Every exercise of every plan by id; auto-graded ones with their key."""
    found: dict[str, Exercise] = {}
    for plan in plans.values():
        found.update(plan.all_exercises)
        found.update(plan.keyed)
    return found


class _Notes:
    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(self, note: str, student: str = "", topic: str = "") -> None:
        self.rows.append({"student": student, "topic": topic, "note": note})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=NOTE_COLUMNS) if self.rows else empty(NOTE_COLUMNS)


def _sqlite_file(db_url: str, root: Path) -> Path | None:
    """The database file of a ``sqlite:///`` URL (relative to the course root), else None."""
    if not db_url.startswith("sqlite:///"):
        return None
    path = Path(db_url[len("sqlite:///") :])
    return path if path.is_absolute() else root / path


def _read_gradebook(course: Course, plans: dict[str, GradingPlan], notes: _Notes) -> tuple[pd.DataFrame, ...]:
    """Roster, grades and submissions from the gradebook; empty tables and a note if there is none."""
    db_file = _sqlite_file(course.db_url, course.root)
    if db_file is not None and not db_file.is_file():
        notes.add(f"No gradebook ({db_file.name}): nothing has been collected and graded yet.")
        return empty(ROSTER_COLUMNS), empty(GRADE_COLUMNS), empty(SUBMISSION_COLUMNS)
    from nbgrader.api import Gradebook

    _venv_on_path()  # nbgrader runs its alembic helper by name when it opens a gradebook
    roster, grades, submissions = [], [], []
    with Gradebook(course.db_url, course.course_id) as gb:
        for student in gb.students:
            roster.append(
                {
                    "student": student.id,
                    "first_name": student.first_name or "",
                    "last_name": student.last_name or "",
                    "email": student.email or "",
                }
            )
        for assignment in gb.assignments:
            topic = assignment.name
            plan = plans.get(topic)
            if plan is None:
                if assignment.submissions:
                    notes.add(f"{topic}: in the gradebook but not among the topics read; left out", topic=topic)
                continue
            for submission in assignment.submissions:
                student = submission.student.id
                submissions.append(
                    {
                        "student": student,
                        "topic": topic,
                        "timestamp": submission.timestamp,
                        "duedate": assignment.duedate,
                        "seconds_late": float(submission.total_seconds_late or 0.0),
                        "late_penalty": float(submission.late_submission_penalty or 0.0),
                    }
                )
                if submission.late_submission_penalty:
                    notes.add(
                        f"{topic}: late penalty of {submission.late_submission_penalty:g} point(s) taken off its "
                        "score (the course's late-penalty setting)",
                        student,
                        topic,
                    )
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        exercise = plan.all_exercises.get(grade.name) if plan else None
                        grades.append(
                            {
                                "student": student,
                                "topic": topic,
                                "exercise_id": grade.name,
                                "type": exercise.kind if exercise else "",
                                "mode": exercise.mode if exercise else "",
                                "outcomes": ";".join(exercise.outcomes) if exercise else "",
                                "demand": exercise.demand if exercise else "",
                                # a written answer awaiting its hand mark has no score yet (NaN), not 0
                                "score": _score(grade),
                                "max_score": float(grade.max_score or 0.0),
                                "needs_manual_grade": bool(grade.needs_manual_grade),
                            }
                        )
    roster.sort(key=lambda r: (r["last_name"].casefold(), r["first_name"].casefold(), r["student"]))
    return (
        pd.DataFrame(roster, columns=ROSTER_COLUMNS) if roster else empty(ROSTER_COLUMNS),
        pd.DataFrame(grades, columns=GRADE_COLUMNS) if grades else empty(GRADE_COLUMNS),
        pd.DataFrame(submissions, columns=SUBMISSION_COLUMNS) if submissions else empty(SUBMISSION_COLUMNS),
    )


def _score(grade: Any) -> float:
    value = grade.manual_score if grade.manual_score is not None else grade.auto_score
    return float(value) if value is not None else math.nan


def _read_answers(
    course: Course, plans: dict[str, GradingPlan], submitted: set[tuple[str, str]], notes: _Notes
) -> pd.DataFrame:
    """Every saved answer of every collected submission; absent or damaged files become notes."""
    rows = []
    folders: set[tuple[str, str]] = set(submitted)
    if course.submitted.is_dir():
        for student_dir in course.submitted.iterdir():
            for topic in plans:
                if (student_dir / topic).is_dir():
                    folders.add((student_dir.name, topic))
    for student, topic in sorted(folders):
        if not valid_student_id(student):
            notes.add(f"{topic}: a submission folder whose name is not a plain id was left out", topic=topic)
            continue
        if (student, topic) not in submitted:
            notes.add(f"{topic}: collected but not in the gradebook yet (run coursekit autograde)", student, topic)
        path = course.submitted / student / topic / ANSWERS_FILENAME
        if not path.is_file():
            notes.add(f"{topic}: no answers file was collected", student, topic)
            continue
        reading = read_answers_file(path)
        if reading.problem:
            notes.add(f"{topic}: answers file: {reading.problem}", student, topic)
        exercises = plans[topic].all_exercises
        for exercise_id, saved in reading.answers.items():
            exercise = exercises.get(exercise_id)
            rows.append(
                {
                    "student": student,
                    "topic": topic,
                    "exercise_id": exercise_id,
                    "value": saved.value,
                    "attempts": _attempts(saved.attempts, exercise_id, student, topic, notes),
                    "saved_at": saved.saved_at if len(saved.saved_at) <= MAX_SAVED_AT else "",
                    "mode": exercise.mode if exercise else "",
                }
            )
    return pd.DataFrame(rows, columns=ANSWER_COLUMNS) if rows else empty(ANSWER_COLUMNS)


def _attempts(count: Any, exercise_id: str, student: str, topic: str, notes: _Notes) -> int:
    """A saved answer's count of saves, bounded: one beyond :data:`MAX_ATTEMPTS` (or not a count) counts as 1."""
    if isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_ATTEMPTS:
        return count
    notes.add(
        f"{topic}: the answers file says {exercise_id} was saved a number of times that is not a count from "
        f"1 to {MAX_ATTEMPTS} (it was edited by hand); counted as 1",
        student,
        topic,
    )
    return 1


def released_topics(course: Course) -> set[str]:
    """The topics participants were given: released to the exchange (its ``outbound`` folder, which nbgrader's
    release fills and formgrader's unrelease empties), or collected from someone (a folder in ``submitted/``).
    :func:`load_class` adds the topics with a submission in the gradebook.

    Why: a course of twelve topics runs a few at a time; the others have no submission, no score and no
    answers, and would only fill a class view with empty columns and "nobody submitted" notes.
    """
    found: set[str] = set()
    outbound = course.exchange / course.course_id / "outbound"
    if outbound.is_dir():
        found |= {p.name for p in outbound.iterdir() if p.is_dir()}
    if course.submitted.is_dir():
        found |= {p.name for s in course.submitted.iterdir() if s.is_dir() for p in s.iterdir() if p.is_dir()}
    return found


def load_class(course: Course, topics: list[str] | None = None) -> ClassData:
    """Load a graded course's class for ``topics`` (default: every topic released so far, see
    :func:`released_topics`; the others are listed in :attr:`ClassData.unreleased`).

    Topics named in ``topics`` are loaded whether released or not: the instructor asked for them.
    """
    notes = _Notes()
    asked = bool(topics)
    topics = course.check_topics(topics)
    plans: dict[str, GradingPlan] = {}
    for topic in topics:
        try:
            plans[topic] = load_plan(course.source_notebook(topic))
        except Exception as err:  # one broken source must not hide the rest of the class
            notes.add(f"{topic}: its graded items could not be read from its plan ({err}); it is left out", topic=topic)
    roster, grades, submissions = _read_gradebook(course, plans, notes)
    answers = _read_answers(course, plans, set(zip(submissions["student"], submissions["topic"])), notes)
    unreleased: list[str] = []
    if not asked:  # the grades, submissions and answers read are all of released topics already
        given = released_topics(course) | set(submissions["topic"])
        unreleased = [t for t in topics if t not in given]
        plans = {t: p for t, p in plans.items() if t in given}
        notes.rows = [row for row in notes.rows if row["topic"] not in unreleased]
    data = ClassData(
        roster,
        item_table(plans),
        grades,
        submissions,
        answers,
        notes.frame(),
        list(plans),
        plan_exercises(plans),
        {i: t for t, p in plans.items() for i in p.all_exercises},
        unreleased,
    )
    _note_gaps(data, course)
    return data


def _note_gaps(data: ClassData, course: Course | None = None) -> None:
    """Add notes for a missing roster, participants with no submission, topics nobody submitted, quarantine."""
    notes = _Notes()
    if data.roster.empty:
        notes.add("No roster: the gradebook lists no participants; participants are shown by id only.")
    elif not (data.roster["first_name"].astype(bool) | data.roster["last_name"].astype(bool)).any():
        notes.add("The roster has no names: participants are shown by id only.")
    submitters = set(data.submissions["student"].unique())
    for student in data.roster["student"]:
        if student not in submitters:
            notes.add("no submission of any topic", student)
    for student in sorted(set(data.submissions["student"]) - set(data.roster["student"])):
        notes.add("submitted but not on the roster", student)
    submitted = set(data.submissions["topic"])
    for topic in data.topics:
        if topic not in submitted:
            notes.add(f"{topic}: nobody has submitted it yet; it is left out of the percentages", topic=topic)
    if course is not None:
        from ..grading.collect import accepted_after_keys

        for topic, students in accepted_after_keys(course).items():
            for student, when in students.items():
                if topic in data.topics and valid_student_id(student):
                    notes.add(
                        f"{topic}: submitted after the keys were released (received {when[:19]}); "
                        "taken because the instructor asked for it by name",
                        student,
                        topic,
                    )
        from ..grading.collect import accepted_after_feedback

        for topic, students in accepted_after_feedback(course).items():
            for student, when in students.items():
                if topic in data.topics and valid_student_id(student):
                    notes.add(
                        f"{topic}: submitted again after their feedback page, which shows their scores, went out "
                        f"(received {when[:19]}); taken because the instructor asked for it by name",
                        student,
                        topic,
                    )
        for student, topic in zip(data.submissions["student"], data.submissions["topic"]):
            if (course.root / "quarantine" / student / topic).is_dir():
                notes.add(
                    f"{topic}: the submitted notebook could not be run and was set aside in "
                    f"quarantine/{student}/{topic}; it was graded from a clean copy",
                    student,
                    topic,
                )
    if notes.rows:
        data.notes = (
            pd.concat([data.notes, notes.frame()], ignore_index=True) if not data.notes.empty else notes.frame()
        )


def with_gap_notes(data: ClassData) -> ClassData:
    """``data`` with the notes :func:`load_class` adds about gaps (for classes built in memory)."""
    _note_gaps(data)
    return data
