"""Term tools nbgrader already supports, as course commands: a per-participant extension and a late penalty.

* :func:`grant_extension` gives one participant more time on one topic through nbgrader's own per-submission
  extension (the ``extension`` of a ``SubmittedAssignment``, set with ``Gradebook.grant_extension``), so
  lateness, formgrader and ``nbgrader export`` all see it. An extension granted before the participant's
  submission is graded is kept in ``submitted/.extensions.json`` and put into the gradebook when it is.
* :func:`configure_late_penalty` sets the course's late penalty in ``nbgrader_config.py``: nbgrader's own
  ``LateSubmissionPlugin`` ('none' or 'zero') or the course's
  :class:`coursekit.grading.nbgrader_plugins.PerHourLatePenalty`.

A key fixed mid-term is :mod:`coursekit.grading.keyfix`'s.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from typing import Any

from ..core import atomic
from .course import Course, CourseError

EXTENSIONS = "submitted/.extensions.json"  # topic -> {student: hours}: the instructor's record of extensions
LATE_PENALTY_ENV = "COURSEKIT_LATE_PENALTY"


def _extensions(course: Course) -> dict[str, dict[str, float]]:
    try:
        data = json.loads((course.root / EXTENSIONS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {t: dict(v) for t, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def grant_extension(course: Course, student: str, topic: str, hours: float) -> tuple[datetime, bool]:
    """Give ``student`` ``hours`` more than ``topic``'s due date (0 removes it); return the new due date and
    whether the gradebook already holds their submission (else the extension waits for its autograde)."""
    from nbgrader.api import Gradebook, MissingEntry

    if not math.isfinite(hours) or hours < 0 or hours > 24 * 365:
        raise CourseError(f"{hours!r} hours is not an extension: give a number of hours from 0 (none) to 8760.")
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            assignment = gb.find_assignment(topic)
            gb.find_student(student)
        except MissingEntry:
            raise CourseError(
                f"{student} or {topic} is not in the gradebook: add the participant with `coursekit roster` and "
                f"release the topic first."
            ) from None
        if assignment.duedate is None:
            raise CourseError(f"{topic} has no due date to extend: set one with `coursekit duedate {topic} DATE`.")
        due = assignment.duedate + timedelta(hours=hours)
        try:
            gb.grant_extension(topic, student, hours=hours)
            graded = True
        except MissingEntry:
            graded = False
    record = _extensions(course)
    mine = record.setdefault(topic, {})
    if hours:
        mine[student] = hours
    else:
        mine.pop(student, None)
    atomic.write_text(course.root / EXTENSIONS, json.dumps(record, indent=1, sort_keys=True), private=True)
    return due, graded


def running_extensions(course: Course, topic: str, due: datetime, now: datetime) -> list[str]:
    """Participants whose extension of ``topic`` (from ``due``, UTC) still runs at ``now``."""
    return sorted(s for s, hours in _extensions(course).get(topic, {}).items() if due + timedelta(hours=hours) > now)


def apply_extension(course: Course, topic: str, student: str) -> None:
    """Put a recorded extension into the gradebook before ``student``'s submission of ``topic`` is graded."""
    hours = _extensions(course).get(topic, {}).get(student)
    if hours:
        from nbgrader.api import Gradebook

        with Gradebook(course.db_url, course.course_id) as gb:
            gb.update_or_create_submission(topic, student, extension=timedelta(hours=float(hours)))


def configure_late_penalty(c: Any, setting: str) -> None:
    """Set nbgrader's late penalty from the course's setting: ``none``, ``zero`` or ``per-hour:POINTS``."""
    setting = (setting or "none").strip()
    if setting in ("none", "zero"):
        c.LateSubmissionPlugin.penalty_method = setting
        return
    kind, _, points = setting.partition(":")
    try:
        value = float(points)
    except ValueError:
        value = -1.0
    if kind != "per-hour" or not math.isfinite(value) or value < 0:
        raise ValueError(
            f"{LATE_PENALTY_ENV}={setting!r}: write none, zero (a late notebook scores 0) or per-hour:POINTS "
            "(POINTS off for every started hour late)."
        )
    c.AssignLatePenalties.plugin_class = "coursekit.grading.nbgrader_plugins.PerHourLatePenalty"
    c.PerHourLatePenalty.points_per_hour = value
