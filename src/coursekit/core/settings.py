"""The course's settings, read once from one file: ``course.toml`` inside this package.

Why: the course id, the learning outcomes and their wording, the course's dates and the cell timeout used
to be written in several modules, pages and config files, and drifted apart. Each now has one home, this
file, and everything else (the exercise model, the book, ``nbgrader_config.py``, the CLI) reads it here.

An installation that needs other values (another course id, say) sets ``COURSEKIT_SETTINGS`` to the path of
its own copy instead of editing the installed package. A bad file fails on first use with a message that
names the key and says what to do, not deep inside nbgrader or Sphinx.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .dates import display_date
from .ids import EXERCISE_ID

ENV_VAR = "COURSEKIT_SETTINGS"
_OUTCOME_ID = re.compile(r"^LO[1-9][0-9]?$")


class SettingsError(ValueError):
    """The settings file is missing, not TOML, or has a wrong or missing value."""


@dataclass(frozen=True)
class Outcome:
    """One learning outcome: its id (``LO1``) and its wording, as the course description states it."""

    id: str
    wording: str


@dataclass(frozen=True)
class Settings:
    """The course's settings, checked: see ``course.toml`` for what each one means."""

    course_id: str
    title: str
    start: dt.date
    end: dt.date
    cell_timeout: int
    outcomes: tuple[Outcome, ...]
    source: str

    @property
    def outcome_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.outcomes)

    @property
    def course_month(self) -> str:
        """When the course ran, as readers are told it beside updates: "May 2022"."""
        return display_date(self.start, "month")


def _packaged_text() -> tuple[str, str]:
    file = resources.files("coursekit").joinpath("course.toml")
    return file.read_text(encoding="utf-8"), "coursekit/course.toml (the packaged settings)"


def load(path: Path | str | None = None) -> Settings:
    """Read and check the settings from ``path``, else ``$COURSEKIT_SETTINGS``, else the packaged file."""
    chosen = path if path is not None else os.environ.get(ENV_VAR) or None
    if chosen is None:
        text, source = _packaged_text()
    else:
        source = str(chosen)
        try:
            text = Path(chosen).read_text(encoding="utf-8")
        except OSError as err:
            raise SettingsError(
                f"Course settings {source} cannot be read ({err.strerror or err}): "
                f"fix the path in {ENV_VAR} or unset it to use the packaged settings."
            ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"Course settings {source} are not valid TOML ({err}): fix the file.") from None
    return _check(data, source)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The course's settings, read once per process (see :func:`load`)."""
    return load()


def _value(data: dict[str, Any], key: str, kind: type, source: str, what: str, shown: str = "") -> Any:
    """``data[key]`` (dotted) if it is a ``kind``; else a SettingsError naming ``shown`` (default: ``key``)."""
    table, _, name = key.rpartition(".")
    node: Any = data
    for part in table.split(".") if table else []:
        node = node.get(part) if isinstance(node, dict) else None
    value = node.get(name) if isinstance(node, dict) else None
    shown = shown or key
    if value is None:
        raise SettingsError(f"Course settings {source}: `{shown}` is missing; set it to {what}.")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SettingsError(f"Course settings {source}: `{shown}` = {value!r} is not {what}; set it to {what}.")
    return value


def _check(data: dict[str, Any], source: str) -> Settings:
    course_id = _value(data, "course.id", str, source, 'a course id such as "cyber-diplomacy"')
    if not EXERCISE_ID.match(course_id):  # the same safe-name rule as exercise ids
        raise SettingsError(
            f"Course settings {source}: `course.id` = {course_id!r} may hold only letters, digits,"
            " '-' and '_' (it names folders); choose such an id."
        )
    title = _value(data, "course.title", str, source, "the course's title in quotes").strip()
    if not title:
        raise SettingsError(f"Course settings {source}: `course.title` is empty; write the course's title.")
    start = _value(data, "dates.start", dt.date, source, "a date written 2022-05-18 (no quotes)")
    end = _value(data, "dates.end", dt.date, source, "a date written 2022-05-20 (no quotes)")
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        raise SettingsError(f"Course settings {source}: `dates.start` and `dates.end` are days; drop the time.")
    if end < start:
        raise SettingsError(
            f"Course settings {source}: `dates.end` ({end}) is before `dates.start` ({start}); swap or correct them."
        )
    timeout = _value(data, "timeouts.cell_seconds", int, source, "a whole number of seconds, e.g. 120")
    if timeout <= 0:
        raise SettingsError(f"Course settings {source}: `timeouts.cell_seconds` = {timeout} must be above 0.")
    raw = data.get("outcomes")
    if not isinstance(raw, list) or not raw:
        raise SettingsError(
            f"Course settings {source}: `outcomes` is missing; add one [[outcomes]] table per"
            " learning outcome, each with `id` and `wording`."
        )
    outcomes: list[Outcome] = []
    for n, entry in enumerate(raw, 1):
        where = f"outcomes[{n}]"
        if not isinstance(entry, dict):
            raise SettingsError(f"Course settings {source}: `{where}` must be a table with `id` and `wording`.")
        oid = _value(entry, "id", str, source, 'an outcome id such as "LO1"', f"{where}.id")
        wording = _value(entry, "wording", str, source, "the outcome's wording as text", f"{where}.wording")
        if not _OUTCOME_ID.match(oid):
            raise SettingsError(
                f"Course settings {source}: `{where}.id` = {oid!r} is not an outcome id;"
                ' write LO followed by its number, e.g. "LO1".'
            )
        if not wording.strip():
            raise SettingsError(f"Course settings {source}: `{where}.wording` is empty; write the outcome.")
        if oid in (o.id for o in outcomes):
            raise SettingsError(f"Course settings {source}: outcome {oid} is listed twice; keep one.")
        outcomes.append(Outcome(oid, wording.strip()))
    return Settings(course_id, title, start, end, timeout, tuple(outcomes), source)
