"""The course's settings, read once from one file: ``course.toml`` at the course's root.

Why: the course id, the learning outcomes and their wording, the course's dates and the cell timeout used
to be written in several modules, pages and config files, and drifted apart. Each now has one home, this
file, and everything else (the exercise model, the book, ``nbgrader_config.py``, the CLI) reads it here.
The file belongs to the course, not to the library: ``coursekit`` ships no course of its own.

Which file (the rule, :func:`course_file`): ``$COURSEKIT_COURSE`` (a course folder, or the ``course.toml``
itself) if set, else the nearest ``course.toml`` in the working directory or a folder above it. A notebook
runs in its own folder, so a topic notebook in the repository finds the root's file; ``coursekit release``
puts a copy beside each released notebook, so an assignment fetched into a home folder carries its own.
The folder holding the file is the course root (:func:`course_root`), where the course's other data lives
(the tabletop exercises in ``tabletop/``). A bad or missing file fails on first use with a message that names
the file and the key and says what to do, not deep inside nbgrader or Sphinx.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .dates import display_date
from .ids import EXERCISE_ID

ENV_VAR = "COURSEKIT_COURSE"
FILE_NAME = "course.toml"
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


def course_file(start: Path | str | None = None) -> Path:
    """The settings file in force: ``$COURSEKIT_COURSE``, else the nearest ``course.toml`` upward of ``start``.

    ``start`` defaults to the working directory. Raises SettingsError, saying what to do, when there is none.
    """
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        path = Path(chosen)
        return path / FILE_NAME if path.is_dir() else path
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / FILE_NAME).is_file():
            return folder / FILE_NAME
    raise SettingsError(
        f"No course settings: there is no {FILE_NAME} in {here} or any folder above it. Run the command from"
        f" inside the course (the folder holding {FILE_NAME}, or below it), or set {ENV_VAR} to the course's folder."
    )


def load(path: Path | str | None = None) -> Settings:
    """Read and check the settings from ``path``, else from :func:`course_file`."""
    chosen = Path(path) if path is not None else course_file()
    source = str(chosen)
    try:
        text = chosen.read_text(encoding="utf-8")
    except OSError as err:
        raise SettingsError(
            f"Course settings {source} cannot be read ({err.strerror or err}): "
            f"fix the path in {ENV_VAR}, or unset it to use the nearest {FILE_NAME} upward of the working directory."
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


def course_root() -> Path:
    """The course's root folder: the one holding the settings file in force (see :func:`course_file`)."""
    return Path(settings().source).resolve().parent


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
