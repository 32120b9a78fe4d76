"""How much a participant reads in each topic: the core path and the optional "Going further" sections.

A topic is taught in a one-hour session that also has discussion, so its core path (prose plus the text
of its exercises) must be readable and doable in about 45 minutes; secondary material goes into sections
headed "Going further (optional): ...", collapsed in JupyterLab and in the book. This module counts the
words of each part of a source notebook so that a test can hold every topic to that budget.

What is counted, and why:

* markdown cells, by section: a heading starts a section of the kind its title names ("Going further
  (optional)" is optional; "Since May 2022", "Strategy log" and "Primary sources" are set apart); any other
  heading at the same or a higher level starts core text again, while a deeper heading stays in its
  parent's kind. A section is core wherever it stands, so moving key takeaways below an optional section
  does not hide them from the count.
* exercises, through the library's own reader (the topic's compiled plan, :func:`coursekit.grading.plans.load_plan`),
  placed in the section of the cell that defines them: the text a participant must read to answer
  (prompt, options, items to match or order, scenario situations and options, a written answer's rubric).
  Feedback is kept apart (:func:`feedback_words`): after a practice answer a participant reads the
  feedback of the option chosen, not every option's, so it is estimated, not counted in full.
* a topic's strategy log (``strategy-log-NN``) is never core: it is the LO2 capstone's running note.

Code, figure labels, links' addresses, HTML tags and comments are not words a participant reads as prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..core.exercises import Exercise, Matching, MultipleSelect, Numeric, Ordering, Scenario, ShortText, SingleChoice
from ..core.ids import STRATEGY_LOG_ID
from ..core.settings import settings
from ..grading.authoring import definitions_in, source_notebooks
from ..grading.plans import load_plan

#: The kinds of section a topic has; only "core" counts against the session's reading budget.
KINDS: tuple[str, ...] = ("core", "optional", "update", "aside")
OPTIONAL_HEADING = "going further (optional)"
# An update section's heading names the course's month ("Since May 2022"), taken from the course settings.
_SET_APART = {f"since {settings().course_month.lower()}": "update", "strategy log": "aside", "primary sources": "aside"}

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_WORD = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*")
_NOISE = [
    re.compile(r"<!--.*?-->", re.S),  # HTML comments
    re.compile(r"\]\([^)]*\)"),  # a link's address (its text stays)
    re.compile(r"<[^>]+>"),  # HTML tags
    re.compile(r"https?://\S+"),  # bare addresses
    re.compile(r"\{[a-z-]+\}`[^`]*`"),  # MyST roles such as {cite}`key`
]


def count_words(text: str) -> int:
    """Words a reader reads in ``text`` (markdown): runs of letters and digits, joined by ' - . inside."""
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    return len(_WORD.findall(text))


def heading_kind(title: str) -> str | None:
    """The kind of section a heading's title starts, or None for an ordinary (core) heading."""
    plain = title.strip().strip("*_ ").lower()
    if plain.startswith(OPTIONAL_HEADING):
        return "optional"
    for start, kind in _SET_APART.items():
        if plain.startswith(start):
            return kind
    return None


def exercise_text(exercise: Exercise) -> str:
    """The text a participant reads to answer ``exercise`` (prompt and what is chosen, matched or ordered)."""
    parts = [exercise.prompt]
    if isinstance(exercise, (SingleChoice, MultipleSelect)):
        parts += [c.text for c in exercise.choices]
    elif isinstance(exercise, Matching):
        parts += [*exercise.left, *exercise.right]
    elif isinstance(exercise, Ordering):
        parts += list(exercise.items)
    elif isinstance(exercise, Scenario):
        for step in exercise.steps:
            parts.append(step.situation)
            parts += [o.text for o in step.options]
    elif isinstance(exercise, ShortText):
        for criterion in exercise.rubric:
            parts += [criterion.criterion, *criterion.levels]
    return "\n".join(parts)


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def feedback_words(exercise: Exercise) -> float:
    """About how many words of feedback a participant reads after answering a practice ``exercise`` once.

    One option's feedback (the mean over options) for a single choice; the keyed options and their feedback
    for a multiple select (what the feedback lists when the answer is right); every explanation of a matching;
    a numeric item's explanation; a written answer's model answer; one option's consequence (the mean) at
    every step of a scenario, and its debrief. Graded items give no feedback during the session.
    """
    if exercise.mode != "practice":
        return 0.0
    if isinstance(exercise, SingleChoice):
        return _mean([count_words(c.feedback) for c in exercise.choices])
    if isinstance(exercise, MultipleSelect):
        keyed = set(exercise.key)
        return float(sum(count_words(f"{c.text} {c.feedback}") for c in exercise.choices if c.value in keyed))
    if isinstance(exercise, Matching):
        return float(sum(count_words(text) for text in exercise.explanations.values()))
    if isinstance(exercise, Numeric):
        return float(count_words(exercise.explanation))
    if isinstance(exercise, ShortText):
        return float(count_words(exercise.model_answer))
    if isinstance(exercise, Scenario):
        steps = sum(_mean([count_words(o.consequence) for o in s.options]) for s in exercise.steps)
        return steps + count_words(exercise.debrief)
    return 0.0


@dataclass
class ReadingLoad:
    """Words per kind of section in one source notebook, and which exercises stand in which kind.

    ``feedback`` holds, per kind, the estimated feedback read after practice answers (:func:`feedback_words`).
    ``folded`` holds the exercises defined anywhere below a "Going further (optional)" heading (a deeper
    heading included): JupyterLab and the book fold them away with that section, so a participant may never
    see them.
    """

    notebook: str
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    feedback: dict[str, float] = field(default_factory=lambda: dict.fromkeys(KINDS, 0.0))
    exercises: dict[str, str] = field(default_factory=dict)
    folded: set[str] = field(default_factory=set)

    @property
    def core(self) -> int:
        return self.words["core"]

    @property
    def optional(self) -> int:
        return self.words["optional"]


class _Sections:
    """The kind of section in force as a notebook is read from top to bottom (a stack of open headings)."""

    def __init__(self) -> None:
        self.open: list[tuple[int, str]] = []

    @property
    def kind(self) -> str:
        return self.open[-1][1] if self.open else "core"

    @property
    def folded(self) -> bool:
        """True inside an optional section, however deep: what follows is folded away with it."""
        return any(kind == "optional" for _, kind in self.open)

    def heading(self, level: int, title: str) -> None:
        while self.open and self.open[-1][0] >= level:
            self.open.pop()
        self.open.append((level, heading_kind(title) or self.kind))


def reading_load(notebook: Path) -> ReadingLoad:
    """Count the core, optional, update and aside words of one source notebook (see the module's notes)."""
    nb = nbformat.read(notebook, as_version=4)
    exercises = load_plan(notebook).all_exercises
    load = ReadingLoad(notebook.parent.name)
    sections = _Sections()
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            fenced = False
            for line in cell.source.splitlines():
                if _FENCE.match(line):
                    fenced = not fenced
                heading = None if fenced else _HEADING.match(line)
                if heading:
                    sections.heading(len(heading.group(1)), heading.group(2))
                load.words[sections.kind] += count_words(line)
        elif cell.cell_type == "code":
            for definition in definitions_in(cell.source, f"{notebook}, cell {n + 1}"):
                kind = "aside" if STRATEGY_LOG_ID.match(definition.id) else sections.kind
                load.exercises[definition.id] = kind
                if sections.folded:
                    load.folded.add(definition.id)
                load.words[kind] += count_words(exercise_text(exercises[definition.id]))
                load.feedback[kind] += feedback_words(exercises[definition.id])
    return load


def course_reading_loads(root: Path, topics: Iterable[str] | None = None) -> list[ReadingLoad]:
    """The reading load of every source notebook under ``root`` (or of those whose folder starts with ``topics``)."""
    wanted = tuple(topics) if topics is not None else ("",)
    return [reading_load(p) for p in source_notebooks(root) if p.parent.name.startswith(wanted)]
