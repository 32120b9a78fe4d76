"""The course's exchange classes for nbgrader: a private submit, and collect through the course's collector.

nbgrader 0.9.6 leaves each folder it submits into the exchange's inbound folder world-writable (0777, "so
the instructor can delete later"): on a shared hub, anyone who learns its name can then delete and replace
the files in it. :class:`PrivateSubmit` makes the folder 0755 like the files' own modes: the instructor still
reads and collects it, and only its owner (or root) can change it. The hub's participant configuration
selects this class.

nbgrader's own collect believes the time in a folder's name and only warns about a folder owned by someone
else. :class:`CourseCollect` replaces it (``ExchangeFactory.collect`` in ``nbgrader_config.py``), so that
``nbgrader collect`` and formgrader's Collect button go through :func:`coursekit.grading.collect.collect`,
with every check ``coursekit collect`` makes.
"""

from __future__ import annotations

import os
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.submit import ExchangeSubmit

from ..grading.collect import collect
from ..grading.course import Course, CourseError, terminal_safe

SUBMISSION_MODE = 0o755


class PrivateSubmit(ExchangeSubmit):
    """``nbgrader submit`` as usual, then the new submission folder made writable by its owner only."""

    def copy_files(self) -> None:
        super().copy_files()
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), SUBMISSION_MODE)


class CourseCollect(ExchangeCollect):
    """``nbgrader collect`` (and formgrader's Collect button) done by the course's hardened collector.

    nbgrader's reading of the folder names (which fails on a name it cannot parse) is skipped; what was
    taken, refused and noted goes to nbgrader's log, which formgrader shows.
    """

    def init_src(self) -> None:
        if not self.coursedir.course_id:
            self.fail("No course id specified. Re-run with --course flag.")

    def init_dest(self) -> None:
        pass

    def copy_files(self) -> None:
        topic = self.coursedir.assignment_id
        student = self.coursedir.student_id
        try:
            done = collect(
                Course(Path(self.coursedir.root)),
                topic,
                inbound=Path(self.root) / self.coursedir.course_id / "inbound",
                students=None if student in ("", "*") else [student],
            )
        except CourseError as err:
            self.fail(str(err))
        self.log.info("Collected %d submission(s) of %s: %s", len(done.collected), topic, ", ".join(done.collected))
        for note in done.notes:
            self.log.warning("%s", terminal_safe(note))
        for who, why in done.refused.items():
            self.log.warning("Not taken: %s: %s", terminal_safe(who), terminal_safe(why))
