"""The topics' content files: each topic module reads its words from a data file beside the notebook.

Why: one place that pairs a data file with its JSON Schema (``schemas/`` beside this module), so every topic
module reads its content the same way, with the same messages (see :mod:`coursekit.core.course_data`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..core import course_data


@lru_cache(maxsize=None)
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``schemas/<name>.schema.json`` of this package."""
    text = resources.files(__package__).joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def load(topic: str, file: str, schema_name: str) -> Any:
    """The checked content of the data file ``file`` of ``topic`` (a topic folder such as ``"01-introduction"``)."""
    return course_data.load(topic, file, schema(schema_name))


def refuse(topic: str, file: str, problems: list[str]) -> course_data.CourseDataError:
    """The error for a file that fits its schema but breaks a rule no schema can state (``where: what; fix``)."""
    return course_data.CourseDataError(str(course_data.find(topic, file)), problems)
