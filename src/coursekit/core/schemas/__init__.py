"""JSON Schemas of the formats other programs read: the exercise spec, the answers file and a topic's plan.

Why: the renderer (JavaScript, in JupyterLab and in the book) and anyone analysing answers outside the
course (``book/answers-format.md``) rely on these shapes without reading the Python that makes them. A
schema states each shape once (and a compiled plan, ``plans/<topic>.json``, is checked against its own whenever
it is written or read), in a form any language can check; the tests validate what the code
produces against it, so the code, the schema and the documentation cannot drift apart unnoticed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

ANSWERS_FILE = "answers-file.schema.json"
EXERCISE_SPEC = "exercise-spec.schema.json"
PLAN = "plan.schema.json"


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The schema ``name`` (one of :data:`ANSWERS_FILE`, :data:`EXERCISE_SPEC`, :data:`PLAN`) as a dict."""
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


def problems(instance: Any, name: str) -> list[str]:
    """Every way ``instance`` breaks schema ``name``, one readable line each (where, then what); [] if valid.

    jsonschema is imported here, not at module import: only checks and tests need it.
    """
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load(name), format_checker=Draft202012Validator.FORMAT_CHECKER)
    found = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        found.append(f"{where}: {error.message}")
    return found
