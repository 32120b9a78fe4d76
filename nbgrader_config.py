"""nbgrader configuration for the cyber diplomacy course.

Run every nbgrader or ``coursekit`` instructor command from this folder (the course root).
The course id comes from the course settings (``course.toml`` beside this file, or ``$COURSEKIT_COURSE``; see
:mod:`coursekit.core.settings`).
Settings an installation may change are read
from the environment, so this file never needs editing:

* ``COURSEKIT_EXCHANGE``: the exchange folder shared with participants. Default: ``exchange/`` here, which
  suits one machine. On JupyterHub use a folder every user can reach, e.g. ``/srv/nbgrader/exchange``.
* ``COURSEKIT_DB_URL``: the gradebook. Default: SQLite, ``gradebook.db`` here. For large classes or several
  graders at once use PostgreSQL, e.g. ``postgresql://grader:secret@127.0.0.1/cyberdiplomacy``
  (install the driver with ``pip install 'coursekit[postgres]'``).
* ``COURSEKIT_LATE_PENALTY``: what a late submission costs. ``none`` (default: it is only flagged), ``zero``
  (nbgrader's LateSubmissionPlugin: a late notebook scores 0) or ``per-hour:POINTS`` (the course's
  PerHourLatePenalty: POINTS off for every started hour late). Lateness counts from the due date plus any
  extension (``coursekit extension ID TOPIC HOURS``).
"""

import os
from pathlib import Path

from coursekit.core.settings import course_file, load
from coursekit.core.store import ANSWERS_FILENAME
from coursekit.grading.authoring import WRITTEN_ANSWER_NOTE
from coursekit.grading.term_tools import configure_late_penalty

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

ROOT = Path(__file__).resolve().parent  # noqa: F821 - set by the config loader
TOPICS = sorted(p.name for p in (ROOT / "notebooks").iterdir() if p.is_dir()) if (ROOT / "notebooks").is_dir() else []

# the settings found from this file's folder, not the working directory: formgrader may run from a home folder
c.CourseDirectory.course_id = load(course_file(ROOT)).course_id
c.CourseDirectory.source_directory = "notebooks"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.db_url = os.environ.get("COURSEKIT_DB_URL", f"sqlite:///{ROOT / 'gradebook.db'}")
c.Exchange.root = os.environ.get("COURSEKIT_EXCHANGE", str(ROOT / "exchange"))
# Never carry stale answers files, their backups' lock or editor leftovers between folders.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    f".{ANSWERS_FILENAME}.lock",
    f".{ANSWERS_FILENAME}.*.tmp",
]

# `nbgrader collect` and formgrader's Collect button collect through coursekit's collector: the exchange's time,
# never a folder's name; no folder under another participant's id; links, pipes and others' files left out.
c.ExchangeFactory.collect = "coursekit.hub.exchange.CourseCollect"

# Grading reads answers and never runs a notebook: coursekit's preprocessor scores every grade cell from the
# submitted answers file in place of nbgrader's Execute (no kernel starts), and SaveScores keeps hand marks.
# This holds for `coursekit autograde`, `nbgrader autograde` and formgrader's Autograde button alike.
c.Autograde.autograde_preprocessors = [
    "coursekit.grading.nbgrader_plugins.ScoreFromAnswers",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "coursekit.grading.nbgrader_plugins.SaveScores",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# The late penalty nbgrader's AssignLatePenalties (above) assigns: see COURSEKIT_LATE_PENALTY in the docstring.
configure_late_penalty(c, os.environ.get("COURSEKIT_LATE_PENALTY", "none"))
# Check each notebook against nbformat's schema once, after the last preprocessor, instead of after every one
# (nbconvert's own setting, honoured by nbgrader's converters).
c.Exporter.optimistic_validation = True
# Restore grade cells a participant deleted, so a deleted cell cannot hide a test.
c.OverwriteCells.add_missing_cells = True
# The answers file is the participant's work: never replace it with anything from the source folder.
c.Autograde.exclude_overwriting = {topic: [ANSWERS_FILENAME] for topic in TOPICS}
# A written answer's model answer sits in a locked cell's hidden-test block, not in a grade cell.
c.ClearHiddenTests.enforce_metadata = False
# What participants read in the manually graded cell under a written answer (they answer in the box above).
c.ClearSolutions.text_stub = WRITTEN_ANSWER_NOTE
# Formgrader and feedback pages render notebook text sanitised: nothing a participant typed becomes markup.
c.HTMLExporter.sanitize_html = True
# `coursekit feedback` writes the course's feedback pages; formgrader's Generate Feedback button
# (`nbgrader generate_feedback`) writes the same page, always without keys, instead of nbgrader's rendering of
# the notebook (which would show code, and keys unless stripped). The preprocessors below still run first.
c.GenerateFeedback.exporter_class = "coursekit.grading.feedback_page.FeedbackPageExporter"
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
