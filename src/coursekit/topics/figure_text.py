"""The words of a topic's figures and tables (titles, alt text, captions), read from the topic's ``figures.yaml``.

Why: captions and alt text are course text an author adapts (a new course year, another audience); they used
to sit inside twelve Python modules. They now live beside the notebook in ``notebooks/<topic>/figures.yaml``,
checked against ``schemas/figures.schema.json``; the code that draws a figure asks for its words by name.

A text may hold a few values the drawing computes (``{count}``, ``{known}``, ``{later}``, ``{items}``, as the
function documents); any other ``{...}`` is refused with the file, the place and the names it may use.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from ..core import course_data
from . import content

DATA_FILE = "figures.yaml"


@dataclass(frozen=True)
class Words:
    """What a reader is told about one figure or table: its caption, and for a chart its alt text and title."""

    caption: str
    alt: str = ""
    title: str = ""


def figures_data(topic: str) -> dict[str, Any]:
    """The checked content of ``figures.yaml`` of ``topic`` (a topic folder such as ``"05-capacity-building"``)."""
    return content.load(topic, DATA_FILE, "figures")


def entry(topic: str, section: str, name: str) -> dict[str, Any]:
    """``section.name`` of the topic's ``figures.yaml``; a CourseDataError saying what to add if it is missing."""
    found = (figures_data(topic).get(section) or {}).get(name)
    if found is None:
        raise course_data.CourseDataError(
            str(course_data.find(topic, DATA_FILE)),
            [f"{section}.{name}: missing; the notebook shows it, so add it (see the other entries for the form)"],
        )
    return found


def words(topic: str, name: str, **values: Any) -> Words:
    """The words of the figure or table ``name`` (under ``figures:``), with ``values`` filled in."""
    found = entry(topic, "figures", name)
    return Words(
        *(fill(topic, f"figures.{name}.{key}", found.get(key, ""), values) for key in ("caption", "alt", "title"))
    )


def fill(topic: str, where: str, text: str, values: dict[str, Any]) -> str:
    """``text`` with each ``{name}`` replaced by ``values[name]``; a CourseDataError for any other braces."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError as err:
        fields, problem = [], f"{err}"
    else:
        unknown = sorted({n for n, _, _ in fields if n not in values})
        odd = [n for n, spec, conv in fields if spec or conv]
        problem = (
            f"{{{unknown[0]}}} is not a value this text can use"
            if unknown
            else f"{{{odd[0]}...}} has a format"
            if odd
            else ""
        )
    if problem:
        usable = ", ".join(f"{{{k}}}" for k in values) or "none"
        raise course_data.CourseDataError(
            str(course_data.find(topic, DATA_FILE)),
            [f"{where}: {problem}; the values it may use are {usable} (write {{{{ and }}}} for a literal brace)"],
        )
    return text.format_map(values)
