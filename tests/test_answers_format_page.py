"""The book's answers-file format page (book/answers-format.md) agrees with the code it documents.

Each example on the page is checked against the real thing: the answers file against what the store
writes and reads, each per-type answer against the orientation notebook's exercise of that type, each
listed column against the tables the export, the class loader and the analytics actually produce.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from small_class import build

from coursekit.analysis import analytics, classdata
from coursekit.analysis.gradebook_export import export
from coursekit.core import store
from coursekit.core.exercises import EXERCISE_TYPES
from coursekit.grading.hidden_tests import load_plan
from coursekit.grading.leaks import scan, secrets_of
from coursekit.topics.strategy_builder import STORE_ID, StrategyDraft

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "book" / "answers-format.md"
TEXT = PAGE.read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The page's text under ``heading`` (a full heading line), up to the next heading of any level."""
    start = TEXT.index(heading + "\n") + len(heading) + 1
    following = re.search(r"^#{1,6} ", TEXT[start:], re.MULTILINE)
    return TEXT[start : start + following.start()] if following else TEXT[start:]


def json_blocks(text: str) -> list:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", text, re.DOTALL)]


def first_column(text: str) -> list[str]:
    """The back-quoted names in the first column of the markdown table in ``text``, header row left out."""
    return re.findall(r"^\| `([^`]+)` \|", text, re.MULTILINE)


def table_row(text: str, name: str) -> list[str]:
    """The back-quoted names in the second column of the table row whose first cell is ``name``."""
    row = re.search(r"^\| `" + re.escape(name) + r"` \| (.*) \|$", text, re.MULTILINE)
    assert row, f"no row for {name!r}"
    return re.findall(r"`([^`]+)`", row.group(1))


@pytest.fixture(scope="module")
def orientation() -> dict:
    return load_plan(REPO / "notebooks" / "00-orientation" / "00-orientation.ipynb").all_exercises


def written_by_store(tmp_path: Path) -> dict:
    """What the store itself writes for one saved answer, as parsed JSON."""
    path = tmp_path / "written" / store.ANSWERS_FILENAME
    writer = store.AnswerStore(path)
    writer.use_order_seed("0123456789abcdef0123456789abcdef")  # as a widget does when it shows an exercise
    writer.save("some-exercise", "an answer")
    return json.loads(path.read_text(encoding="utf-8"))


def test_page_is_in_the_table_of_contents():
    assert "file: book/answers-format" in (REPO / "_toc.yml").read_text(encoding="utf-8")


def test_example_file_has_the_shape_the_store_writes_and_reads(tmp_path: Path):
    (example,) = json_blocks(section("## The answers file"))
    written = written_by_store(tmp_path)
    assert set(example) == set(written)
    assert example["format"] == written["format"] and example["version"] == written["version"]
    entry_fields = set(next(iter(written["answers"].values())))
    assert all(set(entry) == entry_fields for entry in example["answers"].values())
    path = tmp_path / "example" / store.ANSWERS_FILENAME
    path.parent.mkdir()
    path.write_text(json.dumps(example), encoding="utf-8")
    reading = store.read_answers_file(path)
    assert reading.problem is None and set(reading.answers) == set(example["answers"])


def test_listed_fields_are_those_the_store_writes(tmp_path: Path):
    written = written_by_store(tmp_path)
    under = section("## The answers file")
    top, entry = re.split(r"\nEach entry in `answers`:\n", under)
    assert first_column(top) == list(written)
    assert first_column(entry) == list(next(iter(written["answers"].values())))
    assert f"`{store.ANSWERS_FILENAME}`" in under and f"`{store.FORMAT_NAME}`" in under
    assert f"now `{store.FORMAT_VERSION}`" in under
    assert f"at most {store.MAX_FILE_BYTES // 1_000_000} MB" in under


def test_one_example_per_exercise_type_and_each_is_a_valid_answer(tmp_path: Path, orientation: dict):
    kinds = re.findall(r"^### `([a-z-]+)`$", TEXT, re.MULTILINE)
    assert sorted(kinds) == sorted(EXERCISE_TYPES), "one section per exercise type, no more"
    for kind in kinds:
        (example,) = json_blocks(section(f"### `{kind}`"))
        ((exercise_id, entry),) = example.items()
        exercise = orientation[exercise_id]
        assert exercise.kind == kind, (exercise_id, exercise.kind, kind)
        exercise.normalise_answer(entry["value"])  # raises ValueError if the page shows an impossible answer
        path = tmp_path / kind / store.ANSWERS_FILENAME
        path.parent.mkdir()
        path.write_text(
            json.dumps({"format": store.FORMAT_NAME, "version": store.FORMAT_VERSION, "answers": example}),
            encoding="utf-8",
        )
        reading = store.read_answers_file(path)
        assert reading.problem is None and reading.answers[exercise_id].value == entry["value"], kind


def test_saved_interactives_are_named_with_their_fields(_isolated_answers: Path):
    saved = section("### Saved interactives")
    assert f"`{STORE_ID}`" in saved
    named = set(re.findall(r"`([a-z_]+)`", saved))
    assert set(StrategyDraft().to_json()) <= named
    # what the toolbox notebook's simulator really saves, run as the participant runs it: its cell, then a decision
    import nbformat

    from coursekit.topics.toolbox_simulator import ToolboxSimulatorWidget

    made = []

    class Shown(ToolboxSimulatorWidget):
        def show(self):
            made.append(self)

    notebook = nbformat.read(REPO / "notebooks" / "11-toolbox" / "11-toolbox.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "code" and "ToolboxSimulatorWidget(" in c.source)
    exec(cell.source, {"ToolboxSimulatorWidget": Shown})
    (simulator,) = made
    simulator.decide(simulator.state.current_round().responses[0].id)
    ids = list(store.read_answers_file(_isolated_answers).answers)
    assert ids and all(f"`{i}`" in saved for i in ids), ids


def test_export_columns_are_the_files_columns(tmp_path: Path):
    data = build()
    written = export(data, tmp_path / "grades.csv")
    headers = {}
    for path in written:
        with path.open(encoding="utf-8", newline="") as handle:
            headers[path.name] = next(csv.reader(handle))
    assert first_column(section("### Long table: `grades.csv`")) == headers["grades.csv"]
    assert first_column(section("### Outcome summary: `grades-outcomes.csv`")) == headers["grades-outcomes.csv"]
    wide = []
    for name in first_column(section("### Wide table: `grades-wide.csv`")):
        if name.startswith("<topic>"):
            continue
        if name.startswith("<LO>"):
            wide += [c for c in headers["grades-wide.csv"] if re.fullmatch(r"LO\d %", c)]
        else:
            wide.append(name)
    topic_columns = [
        name for name in first_column(section("### Wide table: `grades-wide.csv`")) if name.startswith("<topic>")
    ]
    expected = [c for c in headers["grades-wide.csv"] if not c.startswith(tuple(data.topics))]
    assert wide == expected
    assert [c for c in headers["grades-wide.csv"] if c.startswith(tuple(data.topics))] == [
        c.replace("<topic>", topic) for topic in data.topics for c in topic_columns
    ]


def test_workbook_sheets_are_named(tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    (path,) = export(build(), tmp_path / "grades.xlsx", "xlsx")
    sheets = openpyxl.load_workbook(path, read_only=True).sheetnames
    exports = section("## Grade exports: `coursekit export`")
    assert all(f"`{sheet}`" in exports for sheet in sheets)
    notes = openpyxl.load_workbook(path, read_only=True)["notes"]
    header = [cell.value for cell in next(notes.iter_rows(max_row=1))]
    assert "`, `".join(header) in TEXT.replace("` and `", "`, `")


def test_class_tables_and_analytics_columns_are_the_code_s():
    python = section("## The class in Python")
    constants = {
        "roster": classdata.ROSTER_COLUMNS,
        "items": classdata.ITEM_COLUMNS,
        "grades": classdata.GRADE_COLUMNS,
        "submissions": classdata.SUBMISSION_COLUMNS,
        "answers": classdata.ANSWER_COLUMNS,
        "notes": classdata.NOTE_COLUMNS,
    }
    for table, columns in constants.items():
        assert table_row(python, table) == columns, table
    data = build()
    frames = {
        "item_statistics": analytics.item_statistics(data.grades),
        "distractors": analytics.distractors(data.answers, data.exercises, data.exercise_topic),
        "outcome_attainment": analytics.outcome_attainment(data),
        "needs_attention": analytics.needs_attention(data),
    }
    for name, frame in frames.items():
        assert table_row(python, name) == list(frame.columns), name


def test_page_gives_away_no_graded_key():
    secrets = [s for nb in sorted((REPO / "notebooks").glob("*/*.ipynb")) for s in secrets_of(nb)]
    assert scan([PAGE], secrets) == []


def test_every_file_and_python_name_the_page_gives_exists():
    """A reader copies these into a validator or a script: each path must be a file of the library (the page
    says they are under ``src/``) and each dotted name something Python finds (not only the schema's)."""
    import importlib

    quoted = set(re.findall(r"`([^`\n]+)`", TEXT))
    paths = sorted(q for q in quoted if q.startswith("coursekit/") and re.search(r"\.[a-z]+$", q))
    assert paths, "the page names the schema file"
    assert any(p.endswith("answers-file.schema.json") for p in paths)
    for path in paths:
        assert (REPO / "src" / path).is_file(), f"the page names {path}, which is not in src/"
    names = {name for q in quoted for name in re.findall(r"\bcoursekit(?:\.[A-Za-z_]\w*)+", q)}
    assert "coursekit.core.schemas.ANSWERS_FILE" in names
    for name in sorted(names):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):  # the longest importable module, then attributes
            try:
                found = importlib.import_module(".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            for attribute in parts[cut:]:
                assert hasattr(found, attribute), f"the page names {name}; {attribute!r} is not there"
                found = getattr(found, attribute)
            break
        else:
            raise AssertionError(f"the page names {name}, which Python cannot import")
