"""The topic 12 capstone: the participant's strategy log, and structural checks on the written strategy.

Why it exists: the course's LO2 asks participants to develop a digital diplomacy strategy of their own. At
the end of every topic they write a short *strategy log* entry (a practice ShortText ``strategy-log-NN``,
saved in that topic's answers file). Topic 12 gathers those entries (:func:`log_entries`) so the capstone
starts from the participant's own notes. The capstone itself is one graded strategy for a real country
(``t12-strategy``), marked by hand on substance with a public rubric (coherence, priorities, accuracy, a
digital-diplomacy component) that gives nothing for headings or length. :func:`structure_problems` is the
participant's checklist, not a mark: it says which part of the strategy is missing or still a stub, so
that nothing the rubric asks about is forgotten.

In a release the topics are sibling folders (``release/NN-name/coursekit_answers.json``), so the entries
are read from ``../*/coursekit_answers.json`` with :func:`coursekit.core.store.read_answers_file`, which never
raises and never writes; a topic not yet done simply has no entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.ids import STRATEGY_LOG_ID
from ..core.store import ANSWERS_FILENAME, read_answers_file


@dataclass(frozen=True)
class Section:
    """One required section of the written strategy: its heading, the words that may open it, a minimum length."""

    key: str
    heading: str
    aliases: tuple[str, ...]
    min_words: int


# The parts of the capstone strategy (t12-strategy), in the order the prompt asks for them. The minimum
# lengths only tell a stub from a written part; the rubric gives no points for length or headings.
STRATEGY_SECTIONS: tuple[Section, ...] = (
    Section("country", "Country", ("country", "country or organisation"), 1),
    Section("situation", "Situation", ("situation", "situation analysis", "analysis", "context"), 25),
    Section("priorities", "Priorities", ("priorities", "objectives", "goals", "priorities and objectives"), 25),
    Section(
        "tools",
        "Tools, forums and partners",
        ("tools", "tools, forums and partners", "tools and partners", "instruments"),
        25,
    ),
    Section("digital", "Digital diplomacy", ("digital diplomacy", "digital"), 10),
    Section(
        "resources", "Resources and risks", ("resources and risks", "resources", "risks", "risks and resources"), 10
    ),
    Section("success", "Measures of success", ("measures of success", "success", "indicators", "evaluation"), 10),
)

_HEADING = re.compile(r"^\s*(?:#+\s*|\d+[.)]\s*|[-*•]\s*)?\**\s*([A-Za-z][A-Za-z ,&-]*?)\s*\**\s*[:.]\**\s*(.*)$")


@dataclass(frozen=True)
class LogEntry:
    """One strategy-log entry: the topic number, the folder it was read from, the text, when it was saved."""

    topic: int
    folder: str
    text: str
    saved_at: str


def log_entries(notebook_folder: Path | str) -> list[LogEntry]:
    """The participant's strategy-log entries from every topic folder beside ``notebook_folder`` (and its own).

    Reads ``<parent>/*/coursekit_answers.json``; a missing or damaged file gives no entries, never an error.
    Empty entries are skipped. Sorted by topic number.
    """
    folder = Path(notebook_folder).resolve()
    entries: list[LogEntry] = []
    for answers in sorted(folder.parent.glob(f"*/{ANSWERS_FILENAME}")):
        reading = read_answers_file(answers)
        for exercise_id, saved in reading.answers.items():
            match = STRATEGY_LOG_ID.match(exercise_id)
            if match and isinstance(saved.value, str) and saved.value.strip():
                entries.append(LogEntry(int(match.group(1)), answers.parent.name, saved.value.strip(), saved.saved_at))
    return sorted(entries, key=lambda e: (e.topic, e.folder))


def log_markdown(entries: list[LogEntry]) -> str:
    """The entries as Markdown, one heading per topic, or a sentence saying there are none yet."""
    if not entries:
        return (
            "*No strategy-log entries found yet. Each topic ends with one (in topic 12, just before the "
            "capstone); once you have written some, run this cell again.*"
        )
    lines = ["**Your strategy log so far**", ""]
    for entry in entries:
        lines += [f"**Topic {entry.topic}** ({entry.folder}):", "", "> " + entry.text.replace("\n", "\n> "), ""]
    return "\n".join(lines)


def split_sections(text: str, sections: tuple[Section, ...]) -> dict[str, str]:
    """The text under each recognised heading, by section key.

    A heading is a line that starts with a section's name or alias followed by a colon or full stop
    (``Situation:``, ``## Objectives:``, ``3. Risks:``, ``**Tools:**``); text on the same line counts.
    """
    by_alias = {alias: s.key for s in sections for alias in (s.heading.lower(), *s.aliases)}
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        match = _HEADING.match(line)
        name = match.group(1).strip().lower() if match else None
        if name in by_alias:
            current = by_alias[name]
            found.setdefault(current, [])
            if match and match.group(2).strip():
                found[current].append(match.group(2).strip())
        elif current is not None:
            found[current].append(line)
    return {key: "\n".join(parts).strip() for key, parts in found.items()}


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def structure_problems(text: str, sections: tuple[Section, ...]) -> list[str]:
    """What the written strategy lacks in structure, one sentence each; an empty list means every section is there.

    This checks form only (each section present, at its minimum length); the substance is marked by hand.
    """
    if not isinstance(text, str) or not text.strip():
        return ["Nothing written yet."]
    parts = split_sections(text, sections)
    problems = []
    for section in sections:
        body = parts.get(section.key)
        if body is None:
            problems.append(f"Add a section that starts with '{section.heading}:'.")
        elif _words(body) < section.min_words:
            problems.append(
                f"The '{section.heading}' section has {_words(body)} word{'' if _words(body) == 1 else 's'}; "
                f"write at least {section.min_words}."
            )
    return problems


def structure_report(text: str | None, sections: tuple[Section, ...]) -> str:
    """A short plain-text report for the notebook: complete, or what is missing; it says that it earns nothing."""
    problems = structure_problems(text or "", sections)
    if not problems:
        names = ", ".join(s.heading for s in sections)
        return f"Checklist complete: every part ({names}) is there. The checklist earns no points; the rubric marks the substance."
    return "Not complete yet (a checklist for you, not a mark):\n" + "\n".join(f"- {p}" for p in problems)


def template(sections: tuple[Section, ...]) -> str:
    """The headings to start from, one per line (used as the text box's placeholder)."""
    return "\n".join(f"{s.heading}: ..." for s in sections)


def saved_structure_report(exercise_id: str, sections: tuple[Section, ...]) -> str:
    """The structure report for the participant's saved answer to ``exercise_id`` (read, never written)."""
    from ..core.store import get_store

    saved = get_store().get(exercise_id)
    return structure_report(saved.value if saved is not None and isinstance(saved.value, str) else None, sections)
