"""The class loader on a real nbgrader gradebook, and the export files: wide table, outcomes, no formulas."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from small_class import build

from coursekit.analysis import gradebook_export
from coursekit.analysis.classdata import load_class
from coursekit.analysis.report import render
from coursekit.grading.course import Course
from coursekit.grading.hidden_tests import load_plan

REPO = Path(__file__).resolve().parents[1]
TOPIC, UNSUBMITTED, NEVER = "07-norms", "00-orientation", "11-toolbox"
HOSTILE = {
    "A": '=HYPERLINK("http://evil.example","x")',
    "B": "+1+1",
    "C": "-2+3",
    "D": "@SUM(A1)",
    "E": "\tcmd",
    "F": "\rcmd",
    "G": "\n=cmd",
}


# The class's topics, written here so that course edits never change the hand-worked figures below.
TOPIC_CELLS = {
    TOPIC: [
        'Ordering(id="t07-order-documents", prompt="Order", items=["b", "a"], mode="graded", points=2, outcomes=["LO1"]).show()',
        '### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\ncheck("t07-order-documents", key=["a", "b"])\n### END HIDDEN TESTS',
        'SingleChoice(id="t07-criminal-host", prompt="Ask", choices=[Choice("x"), Choice("y")], mode="graded", points=1, outcomes=["LO5"]).show()',
        '### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\ncheck("t07-criminal-host", key="x")\n### END HIDDEN TESTS',
        'SingleChoice(id="t07-oewg-difference", prompt="Which?", choices=[Choice("p", "right"), Choice("q", "wrong")], key="p", points=2, outcomes=["LO1"]).show()',
    ],
    UNSUBMITTED: [
        'SingleChoice(id="orientation-graded-submit", prompt="Where?", choices=[Choice("f"), Choice("s")], mode="graded", points=1, outcomes=["LO1"]).show()',
        '### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\ncheck("orientation-graded-submit", key="f")\n### END HIDDEN TESTS',
    ],
    NEVER: [
        'SingleChoice(id="t11-never-asked", prompt="Which?", choices=[Choice("g"), Choice("h")], mode="graded", points=1, outcomes=["LO2"]).show()',
        '### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\ncheck("t11-never-asked", key="g")\n### END HIDDEN TESTS',
    ],
}


def _write_topic(root: Path, topic: str) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from coursekit.grading.authoring import stamp
    from coursekit.grading.plans import write_plan

    cells = [new_code_cell("from coursekit import Choice, Ordering, SingleChoice")]
    cells += [new_code_cell(source) for source in TOPIC_CELLS[topic]]
    (root / "notebooks" / topic).mkdir(parents=True)
    nbformat.write(stamp(new_notebook(cells=cells)), root / "notebooks" / topic / f"{topic}.ipynb")
    write_plan(root / "notebooks" / topic / f"{topic}.ipynb")  # as `coursekit author` does


def _answers_file(values: dict) -> str:
    return json.dumps(
        {
            "format": "coursekit-answers",
            "version": 1,
            "answers": {
                k: {"value": v, "saved_at": "2022-05-19T10:00:00+00:00", "attempts": 2} for k, v in values.items()
            },
        }
    )


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """A course with two real topics and a gradebook written with nbgrader's API: s1 on time with answers,
    s2 late with a damaged answers file, s3 without an answers file, s4 on the roster with no submission,
    and nobody submitted 00-orientation. 11-toolbox is in the gradebook (as the book's build puts every topic
    there) but was never released to the exchange."""
    from nbgrader.api import Gradebook

    from coursekit.grading.course import _venv_on_path

    _venv_on_path()  # nbgrader creates a gradebook with its alembic helper, called by name
    root = tmp_path_factory.mktemp("course")
    shutil.copy(REPO / "nbgrader_config.py", root)
    for topic in (TOPIC, UNSUBMITTED, NEVER):
        _write_topic(root, topic)
    course = Course(root)
    for topic in (TOPIC, UNSUBMITTED):  # what nbgrader's release_assignment leaves in the exchange
        (course.exchange / course.course_id / "outbound" / topic).mkdir(parents=True)
    plans = {t: load_plan(course.source_notebook(t)) for t in (TOPIC, UNSUBMITTED, NEVER)}
    with Gradebook(course.db_url, course.course_id) as gb:
        for topic, plan in plans.items():
            gb.add_assignment(topic, duedate=datetime(2022, 5, 19, 12, 0))
            gb.add_notebook(topic, topic)
            for exercise_id in plan.graded_ids:
                gb.add_grade_cell(
                    exercise_id, topic, topic, max_score=plan.all_exercises[exercise_id].points, cell_type="code"
                )
        for n, (first, last) in enumerate([("Ana", "Pop"), ("Ion", "Rus"), ("Eva", "Lup"), ("Dan", "Mic")], start=1):
            gb.add_student(f"s{n}", first_name=first, last_name=last, email=f"s{n}@example.org")
        stamps = {
            "s1": datetime(2022, 5, 19, 11, 0),
            "s2": datetime(2022, 5, 19, 13, 30),
            "s3": datetime(2022, 5, 19, 9, 0),
        }
        for student, stamp in stamps.items():
            gb.add_submission(TOPIC, student, timestamp=stamp)
        points = {"s1": (2.0, 1.0), "s2": (1.0, 0.0), "s3": (0.0, 0.0)}  # t07-order-documents, t07-criminal-host
        for student, (order, host) in points.items():
            for exercise_id, p in (("t07-order-documents", order), ("t07-criminal-host", host)):
                grade = gb.find_grade(exercise_id, TOPIC, TOPIC, student)
                grade.auto_score, grade.needs_manual_grade = p, False  # as coursekit autograde records it
        gb.db.commit()
    folder = course.submitted
    (folder / "s1" / TOPIC).mkdir(parents=True)
    (folder / "s1" / TOPIC / "coursekit_answers.json").write_text(
        _answers_file({"t07-criminal-host": "anything", "t07-oewg-difference": "anything"}), encoding="utf-8"
    )
    (folder / "s2" / TOPIC).mkdir(parents=True)
    (folder / "s2" / TOPIC / "coursekit_answers.json").write_text("{ not json", encoding="utf-8")
    (folder / "s3" / TOPIC).mkdir(parents=True)
    (folder / "s5" / TOPIC).mkdir(parents=True)  # collected, not graded yet
    return course


@pytest.mark.slow
def test_loader_reads_the_gradebook_plans_and_answers(course):
    data = load_class(course)
    assert data.topics == [UNSUBMITTED, TOPIC]
    assert data.roster[["student", "first_name", "last_name"]].values.tolist() == [
        ["s3", "Eva", "Lup"],
        ["s4", "Dan", "Mic"],
        ["s1", "Ana", "Pop"],
        ["s2", "Ion", "Rus"],
    ]  # by last name
    s1 = data.grades[data.grades["student"] == "s1"].set_index("exercise_id")
    assert s1["score"].to_dict() == {"t07-criminal-host": 1.0, "t07-order-documents": 2.0}
    assert s1.loc["t07-order-documents", ["type", "outcomes", "max_score"]].tolist() == ["ordering", "LO1", 2.0]
    late = data.submissions.set_index("student")["seconds_late"].to_dict()
    assert late == {"s1": 0.0, "s2": 5400.0, "s3": 0.0}  # s2: 13:30 against 12:00 due
    assert data.answers[["student", "exercise_id", "attempts", "mode"]].values.tolist() == [
        ["s1", "t07-criminal-host", 2, "graded"],
        ["s1", "t07-oewg-difference", 2, "practice"],
    ]
    notes = {(r.student, r.note.split(":")[0] if r.student else r.note) for r in data.notes.itertuples()}
    assert ("s2", TOPIC) in notes and ("s3", TOPIC) in notes
    text = " | ".join(data.notes["note"])
    assert "not valid JSON" in text and "no answers file was collected" in text
    assert "nobody has submitted it yet" in text and "no submission of any topic" in text
    assert ("s5", f"{TOPIC}: collected but not in the gradebook yet (run coursekit autograde)") in set(
        zip(data.notes["student"], data.notes["note"])
    )


@pytest.mark.slow
def test_a_topic_never_released_is_left_out_unless_asked_for(course):
    data = load_class(course)
    assert data.unreleased == [NEVER] and NEVER not in data.topics
    assert not data.items["topic"].eq(NEVER).any() and "t11-never-asked" not in data.exercises
    assert not [n for n in data.notes["note"] if NEVER in n] and not data.notes["topic"].eq(NEVER).any()
    page = render(data)
    assert f"Left out, never released: {NEVER}." in page and page.count(NEVER) == 1 and "t11-never" not in page
    asked = load_class(course, [NEVER])  # named by the instructor: there, with its note
    assert asked.topics == [NEVER] and asked.unreleased == []
    assert f"{NEVER}: nobody has submitted it yet; it is left out of the percentages" in set(asked.notes["note"])


@pytest.mark.slow
def test_export_of_a_graded_course_writes_three_files(course, tmp_path):
    data = load_class(course)
    paths = gradebook_export.export(data, tmp_path / "grades.csv")
    assert [p.name for p in paths] == ["grades.csv", "grades-wide.csv", "grades-outcomes.csv"]
    long = pd.read_csv(paths[0])
    assert list(long.columns) == gradebook_export.EXPORT_COLUMNS and len(long) == 6
    wide = pd.read_csv(paths[1], keep_default_na=False).set_index("student")
    # s1: 3 of 3 points of 07-norms (the only topic submitted); s4 submitted nothing: 0 of 3, noted.
    assert wide.loc["s1", "percent"] == 100.0 and wide.loc["s2", "percent"] == pytest.approx(33.3)
    assert wide.loc["s4", f"{TOPIC} submitted at (UTC)"] == "" and wide.loc["s4", "percent"] == 0.0
    assert f"{TOPIC}: not submitted, counts 0" in wide.loc["s4", "notes"]
    assert wide.loc["s1", f"{TOPIC} submitted at (UTC)"] == "2022-05-19 11:00:00"
    # s2 submitted 13:30 for 12:00: 90 minutes late; s1 on time; s4 nothing to be late with.
    assert bool(wide.loc["s2", f"{TOPIC} late"]) and wide.loc["s2", f"{TOPIC} minutes late"] == "90.0"
    assert wide.loc["s1", f"{TOPIC} minutes late"] == "0.0" and wide.loc["s4", f"{TOPIC} minutes late"] == ""
    assert "not valid JSON" in wide.loc["s2", "notes"]
    # 11-toolbox was never released: no column, no note, no row anywhere.
    assert not [c for c in wide.columns if NEVER in c]
    assert not [p.name for p in paths if NEVER in p.read_text(encoding="utf-8")]


@pytest.mark.slow
def test_workbook_holds_times_as_dates_in_utc_numbers_as_numbers_text_as_text(course, tmp_path):
    from openpyxl import load_workbook

    (path,) = gradebook_export.export(load_class(course), tmp_path / "grades.xlsx", "xlsx")
    sheet = load_workbook(path)["wide"]
    header = [c.value for c in sheet[1]]
    rows = {row[0].value: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)}
    when = rows["s1"][f"{TOPIC} submitted at (UTC)"]
    assert when.is_date and when.value == datetime(2022, 5, 19, 11, 0)  # as nbgrader stored it, in UTC
    assert "UTC" in when.number_format  # the zone shows in the cell, not only in the heading
    assert rows["s2"][f"{TOPIC} submitted at (UTC)"].value == datetime(2022, 5, 19, 13, 30)
    assert rows["s4"][f"{TOPIC} submitted at (UTC)"].value is None
    late = rows["s2"][f"{TOPIC} minutes late"]
    assert late.data_type == "n" and late.value == 90
    assert rows["s1"]["percent"].data_type == "n" and rows["s1"]["percent"].value == 100
    assert rows["s1"]["first_name"].data_type == "s" and rows["s1"]["first_name"].value == "Ana"
    assert not [h for h in header if NEVER in h]


def test_loader_without_a_gradebook_says_so(tmp_path):
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    shutil.copytree(REPO / "notebooks" / UNSUBMITTED, tmp_path / "notebooks" / UNSUBMITTED)
    data = load_class(Course(tmp_path))
    assert data.grades.empty and data.roster.empty
    assert any("No gradebook" in n for n in data.notes["note"]) and any("No roster" in n for n in data.notes["note"])
    paths = gradebook_export.export(data, tmp_path / "grades.csv")
    assert all(p.is_file() for p in paths)


def test_wide_table_of_the_small_class(tmp_path):
    wide = gradebook_export.wide_table(build()).set_index("student")
    # A: t1 1+2 = 3 of 3, t2 2 of 5 (w1's 3 points pending); 5 of 5 available -> 100%; LO1 100%, LO4 100%.
    assert wide.loc["A", ["t1 score", "t1 max", "t2 score", "t2 max"]].tolist() == [3.0, 3.0, 2.0, 5.0]
    assert wide.loc["A", ["percent", "to be graded by hand", "LO1 %", "LO4 %"]].tolist() == [100.0, 3.0, 100.0, 100.0]
    # D: 2 of 5 = 40%, below the 50% threshold; LO1 1/3 = 33.3%, LO4 2/4 = 50%.
    assert wide.loc["D", ["percent", "LO1 %", "LO4 %", "below threshold"]].tolist() == [40.0, 33.3, 50.0, True]
    assert wide.loc["B", "t2 late"] and not wide.loc["B", "t1 late"]
    assert wide.loc["G", "notes"].startswith("t1: not submitted, counts 0; t2: not submitted, counts 0")
    outcomes = gradebook_export.outcome_table(build()).set_index("outcome")
    assert outcomes.loc["LO1", ["earned", "possible", "percent"]].tolist() == [10.0, 21.0, 47.6]  # 10/21


def _cells(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_participant_cell_is_read_as_a_formula(tmp_path, fmt):
    data = build(HOSTILE)
    data.roster.loc[0, "first_name"] = "=cmd|' /C calc'!A0"
    data.roster.loc[1, "first_name"] = "   =1+1"  # spaces before the formula character
    data.notes.loc[len(data.notes)] = {"student": HOSTILE["A"], "topic": "t1", "note": "-note"}
    paths = gradebook_export.export(data, tmp_path / f"grades.{fmt}", fmt)
    if fmt == "csv":
        cells = [c for p in paths for c in _cells(p)]
    else:
        from openpyxl import load_workbook

        book = load_workbook(paths[0])
        found = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in found if c.data_type == "f"]  # strings, never formulas
        cells = [c.value for c in found if isinstance(c.value, str)]
        for hostile in HOSTILE.values():  # exactly as typed: no apostrophe in a workbook (openpyxl keeps a CR
            # with lxml installed, and writes it as LF without it)
            assert hostile in cells or hostile.replace("\r", "\n") in cells
        assert "=cmd|' /C calc'!A0" in cells and "-note" in cells and "   =1+1" in cells
        return
    assert not [
        c
        for c in cells
        if c[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") or c.lstrip().startswith(("=", "+", "-", "@"))
    ]
    for hostile in HOSTILE.values():
        assert "'" + hostile in cells
    assert "'=cmd|' /C calc'!A0" in cells and "'   =1+1" in cells
    assert any(c.startswith("'-note") for c in cells)


@pytest.mark.slow
def test_cli_export_and_report_on_a_graded_course(course, tmp_path, capsys):
    from coursekit.cli import main

    assert main(["export", "--course", str(course.root), "-o", str(tmp_path / "grades.csv")]) == 0
    assert main(["export", "--course", str(course.root), "--format", "xlsx", "-o", str(tmp_path / "g.xlsx")]) == 0
    assert main(["report", TOPIC, "--course", str(course.root), "-o", str(tmp_path / "report.html")]) == 0
    out = capsys.readouterr().out
    for name in ("grades.csv", "grades-wide.csv", "grades-outcomes.csv", "g.xlsx", "report.html"):
        assert (tmp_path / name).is_file() and f"written: {tmp_path / name}" in out
    # LO1 = t07-order-documents (2 points): s1 2 + s2 1 + s3 0 + s4 (not submitted) 0 = 3 of 4 x 2 = 8 (37.5%);
    # LO5 = t07-criminal-host (1 point): s1 1, others 0 -> 1 of 4 (25%). 00-orientation: nobody submitted, left out.
    assert "LO1: 3 of 8 points across the class (37.5%)" in out and "LO5: 1 of 4 points across the class (25%)" in out
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "not valid JSON" in page and "Dan" in page
    assert out.count(f"left out, never released: {NEVER}") == 2  # export (twice: csv, xlsx), not the report


PARTICIPANT_DATA = [
    "grades.csv",
    "grades-wide.csv",
    "grades-outcomes.csv",
    "grades.xlsx",
    "report.html",
    "report-term2.html",
    "gradebook.db",
    "gradebook.db-journal",
    "submitted/s1/t/a.ipynb",
    "autograded/s1/t/a.ipynb",
    "feedback/s1/t/a.html",
    "quarantine/s1/t/a.ipynb",
    "exchange/c/x",
]


def test_participant_data_is_never_committed_and_make_clean_removes_it(tmp_path):
    import subprocess

    tmp_path = tmp_path / "course"
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *PARTICIPANT_DATA], cwd=REPO, capture_output=True, text=True
    )
    assert sorted(ignored.stdout.split()) == sorted(PARTICIPANT_DATA)
    for name in PARTICIPANT_DATA:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)  # (creates tmp_path too)
        (tmp_path / name).write_text("private", encoding="utf-8")
    (tmp_path / "keep.txt").write_text("not participants' data", encoding="utf-8")
    done = subprocess.run(["make", "-f", str(REPO / "Makefile"), "clean"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("count", [str(10**30), "-1", "NaN", '"3"', "1e400", "0"])
@pytest.mark.slow
def test_one_impossible_count_stops_neither_export_nor_report(course, tmp_path, capsys, count):
    """Each count as it appears in the JSON text of s3's answers file; s1's answers still count as before."""
    from coursekit.cli import main

    root = tmp_path / "course"
    shutil.copytree(course.root, root)
    raw = _answers_file({"t07-oewg-difference": "p", "t07-criminal-host": "x"})
    raw = raw.replace('"attempts": 2}, "t07-criminal-host"', f'"attempts": {count}}}, "t07-criminal-host"')
    assert raw.count('"attempts": 2') == 1
    (root / "submitted" / "s3" / TOPIC / "coursekit_answers.json").write_text(raw, encoding="utf-8")
    assert main(["export", "--course", str(root), "-o", str(tmp_path / "grades.csv")]) == 0
    assert main(["report", "--course", str(root), "-o", str(tmp_path / "report.html")]) == 0
    out = capsys.readouterr().out
    notes = [line for line in out.splitlines() if line.startswith("  s3 / ")]
    assert any("t07-oewg-difference" in line or "damaged" in line for line in notes), out
    data = load_class(Course(root))
    answers = data.answers.set_index(["student", "exercise_id"])
    assert answers.loc[("s1", "t07-oewg-difference"), "attempts"] == 2  # the others, unchanged
    assert answers.loc[("s3", "t07-criminal-host"), "attempts"] == 2  # the same file's sound entry too
    assert int(data.answers["attempts"].max()) <= 100_000
