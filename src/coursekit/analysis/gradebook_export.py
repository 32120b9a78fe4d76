"""The class's grades as files an instructor opens in a spreadsheet: long table, wide table, outcome summary.

* **Long** (``grades.csv``): one row per participant and graded item, as before (same columns).
* **Wide** (``grades-wide.csv``): one row per participant: roster name and id, per topic score, maximum,
  submission time (UTC; a date and time cell in a workbook), a late flag and minutes late, then points, points available so far, percentage, points still to be
  graded by hand, attainment per learning outcome, and notes (what was missing or damaged). A topic not
  submitted counts 0 and the notes say so. Definitions are those of :mod:`coursekit.analysis.analytics`.
* **Outcome summary** (``grades-outcomes.csv``): per learning outcome, the class's pooled attainment.
* With ``fmt="xlsx"`` the same three tables (and the notes) go to one workbook instead (needs openpyxl).

Participants control their ids, names and answers. A spreadsheet reads a cell that starts with ``=``, ``+``,
``-`` or ``@`` (and, in some, a tab, carriage return or line feed, or spaces before a formula character) as a
formula, which can run commands or leak data when the file is opened (OWASP, "CSV Injection"): in a CSV file
every text cell that starts so is prefixed with ``'``. In a workbook a cell stored as a string is never
evaluated, whatever it starts with, so there text cells are written as strings and keep their exact text.
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..core import atomic
from ..grading.course import Course, CourseError
from . import analytics
from .classdata import ClassData, load_class

EXPORT_COLUMNS = [
    "student",
    "topic",
    "exercise_id",
    "type",
    "mode",
    "outcomes",
    "score",
    "max_score",
    "needs_manual_grade",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
#: how a workbook shows a submission time: every time the export writes is in UTC (see :func:`utc_time`)
XLSX_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss "UTC"'


def safe_cell(value: Any) -> Any:
    """``value``, with a leading ``'`` if it is text a spreadsheet would read as a formula.

    That is text starting with a formula character, a tab, CR or line feed, or with any whitespace before a
    formula character (some spreadsheets skip leading spaces before they look for ``=``).
    """
    if isinstance(value, str) and (value.startswith(_FORMULA_START) or value.lstrip().startswith(_FORMULA_START)):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) made safe for a spreadsheet."""
    out = frame.map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in frame.columns]
    return out


def long_table(data: ClassData) -> pd.DataFrame:
    """One row per participant and graded item of a submitted topic, with the item's type and outcomes."""
    table = data.grades[EXPORT_COLUMNS].sort_values(["topic", "student", "exercise_id"], ignore_index=True)
    return table.astype({"needs_manual_grade": bool})


def export_rows(course: Course) -> list[dict[str, object]]:
    """The long table of a graded course as a list of rows (for scripts and benchmarks)."""
    return long_table(load_class(course)).to_dict("records")


def utc_time(value: Any) -> pd.Timestamp | None:
    """``value`` as a time in UTC without a zone attached (whole seconds), or None if there is none.

    nbgrader keeps submission times in UTC without a zone; the column heading says UTC, because neither a
    spreadsheet's date nor a workbook cell holds a time zone.
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    time = pd.Timestamp(value)
    if time.tzinfo is not None:
        time = time.tz_convert("UTC").tz_localize(None)
    return time.floor("s")


def wide_table(data: ClassData, threshold: float = analytics.ATTENTION_SHARE) -> pd.DataFrame:
    """One row per participant (see the module docstring for the columns)."""
    totals = analytics.topic_totals(data)
    overall = analytics.participant_totals(data, totals).set_index("student")
    attainment = analytics.outcome_attainment(data)
    students = data.students
    roster = data.roster.drop_duplicates("student").set_index("student").reindex(students).fillna("")
    wide = pd.DataFrame(
        {
            "student": students,
            "first_name": roster["first_name"].to_numpy(),
            "last_name": roster["last_name"].to_numpy(),
            "email": roster["email"].to_numpy(),
        }
    )
    per = totals.set_index(["student", "topic"])
    columns: dict[str, Any] = {}
    for topic in data.topics:
        t = per.reindex(pd.MultiIndex.from_arrays([students, [topic] * len(students)]))
        columns[f"{topic} score"] = t["score"].to_numpy()
        columns[f"{topic} max"] = t["max_score"].to_numpy()
        columns[f"{topic} submitted at (UTC)"] = [
            utc_time(v) if done else None for v, done in zip(t["timestamp"], t["submitted"])
        ]
        columns[f"{topic} late"] = t["late"].to_numpy()
        columns[f"{topic} minutes late"] = [
            round(s / 60, 1) if done else None for s, done in zip(t["seconds_late"], t["submitted"])
        ]
    overall = overall.reindex(students)
    share = overall["share"].astype(float)
    columns["score"] = overall["score"].to_numpy()
    columns["available so far"] = overall["available"].to_numpy()
    columns["percent"] = (100 * share).round(1).to_numpy()
    columns["to be graded by hand"] = overall["pending"].to_numpy()
    if not attainment.empty:
        grid = attainment.pivot(index="student", columns="outcome", values="attainment").reindex(students)
        for outcome in sorted(grid.columns):
            columns[f"{outcome} %"] = (100 * grid[outcome].astype(float)).round(1).to_numpy()
    columns["below threshold"] = (share < threshold).to_numpy()
    available = set(data.submitted_topics())
    missing = totals[~totals["submitted"] & totals["topic"].isin(available)].groupby("student")["topic"].agg(list)
    notes = data.notes[data.notes["student"] != ""].groupby("student")["note"].agg(list)
    columns["notes"] = [
        "; ".join([f"{t}: not submitted, counts 0" for t in missing.get(s, [])] + notes.get(s, [])) for s in students
    ]
    return pd.concat([wide, pd.DataFrame(columns)], axis=1)


def outcome_table(data: ClassData, threshold: float = analytics.ATTENTION_SHARE) -> pd.DataFrame:
    """Per learning outcome: the class's earned and possible points, attainment, participants below threshold."""
    summary = analytics.class_attainment(analytics.outcome_attainment(data), threshold)
    summary["percent"] = (100 * summary["attainment"].astype(float)).round(1)
    return summary.drop(columns="attainment").rename(columns={"below_threshold": f"below {threshold:.0%}"})


def export(data: ClassData, output: Path, fmt: str = "csv") -> list[Path]:
    """Write the long, wide and outcome tables; return the files written.

    ``csv``: ``output`` (long), ``<stem>-wide.csv`` and ``<stem>-outcomes.csv`` beside it. ``xlsx``: one
    workbook ``output`` with sheets long, wide, outcomes and notes.
    """
    tables = {"long": long_table(data), "wide": wide_table(data), "outcomes": outcome_table(data), "notes": data.notes}
    if fmt == "xlsx":
        write_xlsx(tables, output)
        return [output]
    paths = [output, output.with_name(f"{output.stem}-wide.csv"), output.with_name(f"{output.stem}-outcomes.csv")]
    for frame, path in zip((tables["long"], tables["wide"], tables["outcomes"]), paths):
        write_csv(frame, path)
    return paths


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` made safe; CRLF line ends, so that a field holding a bare CR is quoted too."""
    text = safe_frame(frame).to_csv(index=False, lineterminator="\r\n")
    atomic.write_text(path, text, private=True)  # grades: owner only, never half written


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table, every text cell stored as a string (openpyxl would store text starting with ``=``
    as a formula): the text stays exactly what it was, and no spreadsheet evaluates it."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
    except ImportError:
        raise CourseError(
            "Writing .xlsx needs openpyxl: pip install 'coursekit[instructor]', or use --format csv."
        ) from None
    book = Workbook(write_only=True)  # streams rows: several times faster for a large class
    for name, frame in tables.items():
        sheet = book.create_sheet(title=name)

        def cell(value: Any) -> Any:
            if isinstance(value, datetime):  # a real date and time (UTC, see utc_time), shown with its zone
                when = WriteOnlyCell(sheet, value=value)
                when.number_format = XLSX_TIME_FORMAT
                return when
            if not isinstance(value, str):
                return value
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"  # a string, whatever it starts with: never a formula
            return text

        sheet.append([cell(str(c)) for c in frame.columns])
        for values in frame.itertuples(index=False):
            sheet.append([cell(_xlsx_value(v)) for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    atomic.write_bytes(path, buffer.getvalue(), private=True)


def _xlsx_value(value: Any) -> Any:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (list, dict, tuple)):
        value = str(value)
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value
