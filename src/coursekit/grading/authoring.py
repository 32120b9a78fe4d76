"""Stamp nbgrader metadata on a source notebook, so authors never write it by hand.

Authors write ordinary cells. ``coursekit author`` then:

* locks every code cell that defines an exercise (``SingleChoice(...)``, ``Scenario(...)`` ...) or imports
  coursekit, so participants cannot edit a definition by accident and nbgrader restores it if they do;
* turns every code cell holding a hidden-test block with ``check("<id>", ...)`` into an autograded test
  cell named after the exercise, worth the exercise's ``points``;
* removes outputs and execution counts (notebooks are committed clean).

Points and ids are read with :mod:`ast` from the literal arguments of the definitions; nothing is
executed. The key in ``check(...)`` must be a literal, which is also what lets the grader read it.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import nbformat.v4

from ..core import atomic
from ..core.exercises import EXERCISE_TYPES

CONSTRUCTORS = {cls.__name__ for cls in EXERCISE_TYPES.values()}
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
# The manually graded cell that follows a graded written answer: what participants read in it (nbgrader's
# ClearSolutions puts this text there in the release, see nbgrader_config.py); formgrader shows the answer.
WRITTEN_ANSWER_NOTE = (
    "*Your written answer to the question above is saved from its answer box as you type: there is "
    "nothing to write in this cell.*"
)


class AuthoringError(ValueError):
    """A source notebook breaks a rule that grading relies on."""


@dataclass(frozen=True)
class Definition:
    """What the source text says about one exercise, without running it."""

    id: str
    kind: str
    mode: str
    points: float
    prompt: str = ""  # as written, when it is a literal (it need not be: nothing depends on it but summaries)


def _literal_kwargs(call: ast.Call) -> dict[str, Any]:
    found = {}
    for kw in call.keywords:
        if kw.arg == "prompt":
            try:
                found["prompt"] = str(ast.literal_eval(kw.value))
            except ValueError:
                pass
        elif kw.arg in ("id", "mode", "points"):
            try:
                found[kw.arg] = ast.literal_eval(kw.value)
            except ValueError:
                raise AuthoringError(f"The {kw.arg}= of an exercise must be a literal (line {call.lineno}).") from None
    return found


def _parse(source: str, where: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as err:
        raise AuthoringError(f"{where}: code cell does not parse: {err}") from None


def definitions_in(source: str, where: str = "cell") -> list[Definition]:
    """The exercises defined by calls to coursekit constructors in ``source``."""
    found = []
    for node in ast.walk(_parse(source, where)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CONSTRUCTORS:
            kwargs = _literal_kwargs(node)
            if "id" not in kwargs:
                raise AuthoringError(f"{where}: {node.func.id}(...) needs id= as a keyword literal.")
            found.append(
                Definition(
                    kwargs["id"],
                    node.func.id,
                    kwargs.get("mode", "practice"),
                    float(kwargs.get("points", 1.0)),
                    kwargs.get("prompt", ""),
                )
            )
    return found


@dataclass(frozen=True)
class HiddenCheck:
    """One ``check(id, key=..., explanation=..., rationale=..., model_answer=...)`` call in a hidden test.

    Everything but the id is instructor-only: the key, why it is right (``explanation``), why each option
    is right or wrong (``rationale``: per option value, per left item of a matching, or per step and
    option of a scenario), and a written answer's ``model_answer``. Participants see them only in their
    feedback, once the instructor releases keys.
    """

    exercise_id: str
    key: Any
    explanation: str = ""
    rationale: Any = None
    model_answer: str = ""


_CHECK_FIELDS = ("key", "explanation", "rationale", "model_answer")


def hidden_checks_in(source: str, where: str = "cell") -> list[HiddenCheck]:
    """The ``check`` calls of a cell's hidden-test block, with their literal arguments."""
    if HIDDEN_BEGIN not in source:
        return []
    found = []
    for node in ast.walk(_parse(source, where)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "check":
            if not node.args:
                raise AuthoringError(f"{where}: check(...) needs the exercise id as its first argument.")
            unknown = [kw.arg for kw in node.keywords if kw.arg not in _CHECK_FIELDS]
            if unknown:
                raise AuthoringError(f"{where}: check(...) takes {', '.join(_CHECK_FIELDS)}; not {unknown}.")
            try:
                exercise_id = ast.literal_eval(node.args[0])
                fields = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
                if len(node.args) > 1:
                    fields.setdefault("key", ast.literal_eval(node.args[1]))
            except ValueError:
                raise AuthoringError(
                    f"{where}: the id and the arguments of check(...) must be Python literals."
                ) from None
            found.append(HiddenCheck(exercise_id, **{"key": None, **fields}))
    return found


def _nbgrader(grade_id: str, *, grade: bool, points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


FOLD_NOTE = "# Nothing to change here: running this cell shows what follows."
#: What an emptied hidden-test cell says in the release. Folded, JupyterLab shows a cell's first line followed
#: by "•••"; an empty cell showed an empty bar under every graded item. nbgrader restores the cell's source from
#: its gradebook when it grades (OverwriteCells), as it already did for the emptied cell.
GRADED_HERE = "# Checked when your instructor grades this topic: nothing to run or change here."


def stamp(nb: nbformat.NotebookNode, where: str = "notebook") -> nbformat.NotebookNode:
    """Return ``nb`` with nbgrader metadata on exercise and hidden-test cells and no outputs.

    Raises AuthoringError if a graded exercise has no hidden test, a hidden test names an exercise the
    notebook does not define, or a practice exercise is given a hidden test.
    """
    defs: dict[str, Definition] = {}
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for d in definitions_in(cell.source, f"{where}, cell {n + 1}"):
                if d.id in defs:
                    raise AuthoringError(f"{where}: exercise id {d.id!r} is defined twice.")
                defs[d.id] = d
    checked: set[str] = set()
    # a written answer's manually graded cell is made by this function: drop the old one, add it anew below
    nb.cells = [c for c in nb.cells if not _is_answer_cell(c)]
    answer_cells: list[tuple[int, Definition]] = []
    for n, cell in enumerate(nb.cells):
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        label = f"{where}, cell {n + 1}"
        checks = hidden_checks_in(cell.source, label)
        cell_defs = definitions_in(cell.source, label)
        if not checks and not cell.source.startswith(FOLD_NOTE):
            # released, a folded cell still shows its first line (JupyterLab's placeholder): make it speak to
            # participants instead of showing code (hidden-test cells are emptied by the release anyway)
            cell.source = f"{FOLD_NOTE}\n{cell.source}"
        if checks:
            if len(checks) != 1 or cell_defs:
                raise AuthoringError(f"{label}: a hidden-test cell checks exactly one exercise and defines none.")
            target = defs.get(checks[0].exercise_id)
            if target is None:
                raise AuthoringError(f"{label}: check({checks[0].exercise_id!r}) names no exercise of this notebook.")
            if target.mode != "graded":
                raise AuthoringError(
                    f"{label}: {target.id!r} is a practice exercise; only graded ones get hidden tests."
                )
            checked.add(target.id)
            if target.kind == "ShortText":  # hand-graded: the key cell holds the model answer, the mark goes below
                cell.metadata["nbgrader"] = _nbgrader(f"model-{target.id}", grade=False)
                answer_cells.append((n + 1, target))
            else:
                cell.metadata["nbgrader"] = _nbgrader(target.id, grade=True, points=target.points)
        elif cell_defs or "import coursekit" in cell.source or "from coursekit" in cell.source:
            grade_id = f"show-{cell_defs[0].id}" if cell_defs else f"setup-{n + 1}"
            cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=False)
        else:
            continue
        cell.metadata["editable"] = False
        cell.metadata["deletable"] = False
    missing = sorted(d.id for d in defs.values() if d.mode == "graded" and d.id not in checked)
    if missing:
        raise AuthoringError(f"{where}: graded exercise(s) {missing} have no hidden-test cell with check(...).")
    for position, target in reversed(answer_cells):
        cell = nbformat.v4.new_markdown_cell(WRITTEN_ANSWER_NOTE)
        cell.id = f"answer-{target.id}"[:64]  # stable, so stamping twice changes nothing
        cell.metadata["nbgrader"] = {
            **_nbgrader(target.id, grade=True, points=target.points),
            "solution": True,
            "locked": False,
        }
        nb.cells.insert(position, cell)
    return nb


def hide_code(nb: nbformat.NotebookNode) -> None:
    """Fold away every code cell's source in a participant's notebook (JupyterLab's ``source_hidden``).

    Why: participants are diplomats, not programmers. They run the cells (Run All) but need to read only the
    prose, the figures and the exercises; the code that defines an exercise also holds a practice key. A
    folded cell still runs, and a participant who wants to see it clicks the fold. The book hides the same
    cells with its ``remove-input`` tag (:func:`coursekit.book.build.book_notebook`).
    """
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True


def _is_answer_cell(cell: nbformat.NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "markdown" and bool(meta.get("grade")) and bool(meta.get("solution"))


def stamp_file(path: Path, check_only: bool = False) -> bool:
    """Stamp one notebook file in place; return True if it changed (or, with check_only, would change)."""
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    after = nbformat.writes(stamp(nb, str(path)), version=4) + "\n"
    changed = json.loads(after) != json.loads(before)
    if changed and not check_only:
        atomic.write_text(path, after)  # a killed run never leaves the instructor a torn source notebook
    return changed


def source_notebooks(root: Path) -> list[Path]:
    """Every source notebook under ``root`` (one folder per assignment), checkpoints excluded."""
    return sorted(p for p in root.glob("*/*.ipynb") if ".ipynb_checkpoints" not in p.parts)
