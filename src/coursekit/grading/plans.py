"""One compiled plan per topic: what every instructor command, the book and the assessment checks read.

Why: a topic's exercises, keys, explanations, rationales and model answers are defined in its source notebook
(the design card), and rebuilding them means running the notebook's definition cells. ``coursekit author`` and
``coursekit release`` do that once per topic (:func:`compile_plan`) and write ``plans/<topic>.json`` at the
course root (:func:`write_plan`); autograde, feedback, export, report, the book's outcomes page and the
assessment checks read the file (:func:`load_plan`) and never execute a notebook.

The plans sit beside ``notebooks/``, never inside a topic's folder: nbgrader copies every file of a source
folder into the participants' release and into each autograded folder, and a plan holds the keys. They are
committed with the notebooks (``coursekit author --check`` fails on a missing or stale one), so CI and a fresh
clone have them.

A plan records the SHA-256 of its notebook's code cells (:func:`code_hash`), where exercises and hidden tests
live; prose and outputs do not change a plan. A reader refuses a plan whose notebook's code has changed since,
naming the command that refreshes it. A notebook that cannot be read as one at all (removed, unreadable,
damaged) cannot be compared: the plan, which is what was released and graded, is used as it stands.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import atomic, schemas
from ..core.exercises import (
    EXERCISE_TYPES,
    Choice,
    Exercise,
    RubricCriterion,
    ScenarioOption,
    ScenarioStep,
    ShortText,
    display_suppressed,
)
from .authoring import HiddenCheck, definitions_in, hidden_checks_in
from .course import CourseError

PLANS_FOLDER = "plans"
FORMAT_NAME = "coursekit-plan"
FORMAT_VERSION = 1
#: The command that writes (and refreshes) every topic's plan; named in every message about a plan.
REFRESH = "coursekit author"


class PlanError(CourseError):
    """A topic's plan is missing, damaged or older than its notebook; the message names the command to run."""


@dataclass(frozen=True)
class GradingPlan:
    """What a topic's exercises are and how its graded ones are scored, as compiled from the *source* notebook.

    ``keyed`` holds every auto-scored exercise with its key; ``manual`` the ids of hand-graded ones;
    ``hidden`` each graded exercise's hidden test (key, explanation, rationale, model answer), which feedback
    and the assessment checks read; ``secrets`` the strings of the source that must never reach participants
    (see :func:`coursekit.grading.leaks.secrets_in`): ``"answers"`` before keys are released, ``"grading_code"``
    always. Everything comes from the instructor's own notebook, never from a submission.
    """

    topic: str
    notebook: str
    keyed: dict[str, Exercise]
    manual: frozenset[str]
    all_exercises: dict[str, Exercise]
    hidden: dict[str, HiddenCheck]
    secrets: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def graded_ids(self) -> list[str]:
        """Graded exercises in the order the notebook asks them."""
        return [i for i in self.hidden if i in self.keyed or i in self.manual]

    def leak_secrets(self, *, answers: bool = True) -> list[str]:
        """What a leak scan looks for: everything secret, or (``answers=False``) only the grading code."""
        return list(self.secrets.get("answers" if answers else "grading_code", ()))


def plan_path(source_notebook: Path) -> Path:
    """Where the plan of ``notebooks/<topic>/<name>.ipynb`` lives: ``plans/<topic>.json`` at the course root."""
    return source_notebook.parent.parent.parent / PLANS_FOLDER / f"{source_notebook.parent.name}.json"


def code_hash(nb: dict[str, Any]) -> str:
    """SHA-256 of a notebook's code cells, in order: what its plan is compiled from.

    Takes the notebook as nbformat reads it or as plain JSON (a cell's source as one string or as lines), so
    a reader can check a plan with ``json.loads`` alone, without nbformat's validation of the whole notebook.
    """
    digest = hashlib.sha256()
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            digest.update(("".join(source) if isinstance(source, list) else source).encode("utf-8") + b"\0")
    return digest.hexdigest()


def _from_hidden(
    topic: str,
    notebook: str,
    exercises: dict[str, Exercise],
    hidden: dict[str, HiddenCheck],
    secrets: dict[str, tuple[str, ...]],
) -> GradingPlan:
    keyed: dict[str, Exercise] = {}
    manual: set[str] = set()
    for exercise_id, check_call in hidden.items():
        exercise = exercises[exercise_id]
        if isinstance(exercise, ShortText) and check_call.key is None:
            manual.add(exercise_id)
        else:
            keyed[exercise_id] = exercise.with_key(check_call.key)
    return GradingPlan(topic, notebook, keyed, frozenset(manual), exercises, hidden, secrets)


def compile_plan(source_notebook: Path) -> GradingPlan:
    """Rebuild a source notebook's exercises and read its hidden tests, without displaying anything.

    Only cells that import coursekit or define exercises are run (they are the instructor's locked cells);
    keys are read with ``ast.literal_eval`` from the hidden tests. Runs at author and release time only.
    """
    import nbformat

    from .leaks import secrets_in

    nb = nbformat.read(source_notebook, as_version=4)
    namespace: dict[str, Any] = {"__name__": f"coursekit_plan_{source_notebook.stem.replace('-', '_')}"}
    ids: list[str] = []
    hidden: dict[str, HiddenCheck] = {}
    made: list[Exercise] = []
    with display_suppressed(collect=made):
        for n, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            checks = hidden_checks_in(cell.source, f"{source_notebook}, cell {n + 1}")
            if checks:
                hidden[checks[0].exercise_id] = checks[0]
                continue
            defs = definitions_in(cell.source, f"{source_notebook}, cell {n + 1}")
            if defs or "coursekit" in cell.source and "import" in cell.source:
                try:
                    exec(compile(cell.source, f"{source_notebook}:cell{n + 1}", "exec"), namespace)
                except Exception as err:
                    raise CourseError(
                        f"{source_notebook}, cell {n + 1}: the exercise definition cannot be rebuilt for grading "
                        f"({type(err).__name__}: {err}). Definitions must not depend on unlocked cells."
                    ) from err
                ids.extend(d.id for d in defs)
    built = {ex.id: ex for ex in made}  # the last definition of an id wins, as in a kernel
    missing = [i for i in ids if i not in built]
    if missing:
        raise CourseError(f"{source_notebook}: the definitions of {missing} did not create their exercise.")
    exercises = {i: built[i] for i in ids}
    unknown = [i for i in hidden if i not in exercises]
    if unknown:
        raise CourseError(f"{source_notebook}: hidden tests check {unknown}, which the notebook does not define.")
    secrets = {"answers": tuple(secrets_in(nb, answers=True)), "grading_code": tuple(secrets_in(nb, answers=False))}
    return _from_hidden(source_notebook.parent.name, source_notebook.name, exercises, hidden, secrets)


# --- the plan file --------------------------------------------------------------------------------------


def exercise_data(exercise: Exercise) -> dict[str, Any]:
    """An exercise as JSON-ready data: its type and every field of its definition (graded ones without key)."""
    return {"type": exercise.kind, **dataclasses.asdict(exercise)}


def exercise_from_data(data: dict[str, Any]) -> Exercise:
    """The exercise :func:`exercise_data` describes, rebuilt (and so validated) by the model's own classes."""
    fields = {k: v for k, v in data.items() if k != "type"}
    if "choices" in fields:
        fields["choices"] = [Choice(**c) for c in fields["choices"]]
    if "rubric" in fields:
        fields["rubric"] = [RubricCriterion(**c) for c in fields["rubric"]]
    if "steps" in fields:
        fields["steps"] = [
            ScenarioStep(s["id"], s["situation"], tuple(ScenarioOption(**o) for o in s["options"]))
            for s in fields["steps"]
        ]
    return EXERCISE_TYPES[data["type"]](**fields)


def plan_data(plan: GradingPlan, notebook_sha256: str) -> dict[str, Any]:
    """The plan file's content (see ``core/schemas/plan.schema.json``)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "topic": plan.topic,
        "notebook": plan.notebook,
        "notebook_sha256": notebook_sha256,
        "compiled_by": REFRESH,
        "exercises": [exercise_data(ex) for ex in plan.all_exercises.values()],
        "hidden": [dataclasses.asdict(h) for h in plan.hidden.values()],
        "secrets": {name: list(values) for name, values in plan.secrets.items()},
    }


def plan_from_data(data: dict[str, Any]) -> GradingPlan:
    """The :class:`GradingPlan` of a plan file's (schema-valid) content."""
    exercises = {d["id"]: exercise_from_data(d) for d in data["exercises"]}
    hidden = {h["exercise_id"]: HiddenCheck(**h) for h in data["hidden"]}
    secrets = {name: tuple(values) for name, values in data["secrets"].items()}
    return _from_hidden(data["topic"], data["notebook"], exercises, hidden, secrets)


def _plan_text(plan: GradingPlan, notebook_sha256: str) -> str:
    return json.dumps(plan_data(plan, notebook_sha256), ensure_ascii=False, indent=1) + "\n"


def write_plan(source_notebook: Path, *, check_only: bool = False) -> bool:
    """Compile the notebook's plan and write it if it changed; return True if it did (or, checking, would)."""
    import nbformat

    text = _plan_text(compile_plan(source_notebook), code_hash(nbformat.read(source_notebook, as_version=4)))
    problems = schemas.problems(json.loads(text), schemas.PLAN)
    if problems:  # the compiler and the schema disagree: a bug here, never the author's
        raise CourseError(f"The plan compiled from {source_notebook} breaks its schema: {problems[0]}")
    path = plan_path(source_notebook)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    if not check_only:
        atomic.write_text(path, text)
    return True


_LOADED: dict[Path, tuple[tuple[int, int, int], GradingPlan]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, 0)
    return (info.st_mtime_ns, info.st_size)


def _notebook_changed(source_notebook: Path, recorded: str) -> bool:
    """True when the notebook's code differs from what the plan was compiled from (False if it cannot be read)."""
    try:
        current = code_hash(json.loads(source_notebook.read_bytes()))
    except Exception:  # removed, unreadable or damaged: nothing to compare, the plan stands
        return False
    return current != recorded


def load_plan(source_notebook: Path) -> GradingPlan:
    """The compiled plan of a source notebook, read from ``plans/<topic>.json``; nothing is executed.

    Raises :class:`PlanError`, naming the file and ``coursekit author``, when the plan is missing, damaged,
    breaks its schema, or was compiled from other code than the notebook now holds. Read once per process
    while neither file changes.
    """
    path = plan_path(source_notebook)
    key = (*_stamp(path), _stamp(source_notebook)[0])
    cached = _LOADED.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    refresh = f"run `{REFRESH}` in the course root to write it"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"{source_notebook.parent.name} has no compiled plan ({path}): {refresh}.") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise PlanError(f"The plan {path} cannot be read ({type(err).__name__}): {refresh} again.") from None
    problems = schemas.problems(data, schemas.PLAN)
    if problems:
        raise PlanError(f"The plan {path} is damaged ({problems[0]}): {refresh} again.")
    if _notebook_changed(source_notebook, data["notebook_sha256"]):
        raise PlanError(
            f"The plan {path} is older than {source_notebook} (its code cells changed since): {refresh} anew."
        )
    try:
        plan = plan_from_data(data)
    except (ValueError, TypeError, KeyError) as err:  # ExerciseDefinitionError is a ValueError
        raise PlanError(f"The plan {path} is damaged ({err}): {refresh} again.") from None
    _LOADED[path] = (key, plan)
    return plan
