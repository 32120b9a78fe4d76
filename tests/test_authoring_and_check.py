"""The authoring stamp and the in-kernel check used by nbgrader hidden tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit.core.store import AnswerStore
from coursekit.grading import check
from coursekit.grading.authoring import AuthoringError, stamp

DEF = 'SingleChoice(id="g1", prompt="p", choices=[Choice("a"), Choice("b")], mode="graded", points=3, outcomes=["LO1"]).show()'
TEST = '### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\ncheck("g1", key="a")\n### END HIDDEN TESTS'


def notebook(*sources: str):
    return new_notebook(cells=[new_markdown_cell("# T")] + [new_code_cell(s) for s in sources])


def test_stamp_locks_definitions_and_makes_graded_test_cells():
    nb = stamp(notebook("from coursekit import Choice, SingleChoice", DEF, TEST))
    setup, show, test = (c.metadata["nbgrader"] for c in nb.cells[1:])
    assert setup["locked"] and not setup["grade"]
    assert show["grade_id"] == "show-g1" and show["locked"] and not show["grade"]
    assert test["grade"] and test["grade_id"] == "g1" and test["points"] == 3.0 and test["locked"]
    assert "nbgrader" not in nb.cells[0].metadata


def test_graded_exercise_without_hidden_test_is_refused():
    with pytest.raises(AuthoringError, match="no hidden-test cell"):
        stamp(notebook(DEF))


def test_hidden_test_for_unknown_or_practice_exercise_is_refused():
    with pytest.raises(AuthoringError, match="names no exercise"):
        stamp(notebook(DEF, TEST, TEST.replace('"g1"', '"nope"')))
    practice = (
        'SingleChoice(id="g1", prompt="p", choices=[Choice("a","x"), Choice("b","y")], key="a", outcomes=["LO1"])'
    )
    with pytest.raises(AuthoringError, match="practice exercise"):
        stamp(notebook(practice, TEST))


def test_key_must_be_a_literal():
    with pytest.raises(AuthoringError, match="literals"):
        stamp(notebook(DEF, TEST.replace('key="a"', "key=compute_key()")))


def _topic_with_plan(root: Path, *sources: str) -> Path:
    """A course root holding one stamped source notebook, its plan compiled; returns the notebook's folder."""
    from coursekit.grading.plans import write_plan

    folder = root / "notebooks" / "t01"
    folder.mkdir(parents=True)
    nbformat.write(stamp(notebook("from coursekit import Choice, SingleChoice", *sources)), folder / "t01.ipynb")
    assert write_plan(folder / "t01.ipynb")
    return folder


def test_check_scores_the_saved_answer_from_the_file(_isolated_answers: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(_topic_with_plan(tmp_path, DEF, TEST))  # a kernel runs in the notebook's folder
    assert check("g1", key="a") == 0.0  # unanswered
    AnswerStore(_isolated_answers).save("g1", "a")
    assert check("g1", key="a") == 3.0
    AnswerStore(_isolated_answers).save("g1", "b")
    assert check("g1", key="a") == 0.0


def test_check_of_an_exercise_the_plan_lacks_says_what_to_do(_isolated_answers: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(_topic_with_plan(tmp_path, DEF, TEST))
    with pytest.raises(KeyError, match="coursekit author"):
        check("never-defined", key="a")


def test_check_refuses_a_plan_older_than_its_notebook(_isolated_answers: Path, tmp_path, monkeypatch):
    from coursekit.grading.plans import PlanError

    folder = _topic_with_plan(tmp_path, DEF, TEST)
    nb = nbformat.read(folder / "t01.ipynb", as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("points=3", "points=4")  # edited after `coursekit author`
    nbformat.write(nb, folder / "t01.ipynb")
    monkeypatch.chdir(folder)
    with pytest.raises(PlanError, match="older than .*coursekit author"):
        check("g1", key="a")


REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "notebooks").glob("*/*.ipynb"))


@pytest.mark.parametrize("notebook", SOURCES, ids=lambda p: p.parent.name)
def test_every_source_notebook_is_stamped_and_clean(notebook: Path):
    """`coursekit author --check` in test form: metadata stamped, no outputs committed, the plan as compiled now."""
    from coursekit.grading.authoring import stamp_file
    from coursekit.grading.plans import write_plan

    assert not stamp_file(notebook, check_only=True), f"run `coursekit author {notebook}` and commit"
    assert not write_plan(notebook, check_only=True), f"run `coursekit author {notebook}` and commit plans/"
    nb = nbformat.read(notebook, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_exercise_ids_are_unique_across_the_course():
    from coursekit.grading.authoring import definitions_in

    seen: dict[str, str] = {}
    for notebook in SOURCES:
        nb = nbformat.read(notebook, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                for d in definitions_in(cell.source):
                    assert d.id not in seen, f"{d.id} is defined in {seen.get(d.id)} and {notebook.parent.name}"
                    seen[d.id] = notebook.parent.name
    assert len(seen) >= 13 * 6


def test_a_folded_cell_shows_a_sentence_for_participants_not_code():
    """JupyterLab shows the first line of a folded cell: after stamping it is the note, except in hidden tests."""
    from coursekit.grading.authoring import FOLD_NOTE, stamp

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                'SingleChoice(id="f-1", prompt="p", choices=[Choice("a", "A."), Choice("b", "B.")], '
                'key="a", outcomes=["LO1"]).show()'
            ),
            nbformat.v4.new_code_cell("figure = 1"),
        ]
    )
    once = stamp(nb)
    assert [c.source.splitlines()[0] for c in once.cells] == [FOLD_NOTE, FOLD_NOTE]
    assert nbformat.writes(stamp(once)) == nbformat.writes(once)  # stamping twice adds nothing
    for notebook in SOURCES:
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" not in cell.source:
                assert cell.source.startswith(FOLD_NOTE), f"{notebook.name}: {cell.source[:60]!r}"
