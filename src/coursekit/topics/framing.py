"""Spot the vocabulary that signals a vision of cyberspace in a diplomatic statement.

Why this exists: in UN and regional negotiations on cyberspace, the same concern is framed in words that
carry a whole vision with them. "Cybersecurity" and "information security", "multistakeholder" and
"multilateral", "open and interoperable" and "sovereign information space" are not synonyms; choosing
one is choosing a side. Topic 2 trains participants to hear these cues. The cue lexicon is data
(``notebooks/02-environment/framing-cues.yaml``); this module holds a small, transparent matcher so that the notebook can show *which words* point *where*.

It is deliberately not a classifier that gives verdicts: vocabulary is a clue, not proof, and the
notebook says so. The matcher takes the longest cue first and does not count a shorter cue inside it
again, so "technological sovereignty" (an EU phrase about capacity and supply chains) is not also read
as "sovereignty".

pandas is imported inside the function that needs it, so importing this module is cheap.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from ..core.scoring import fold_case
from ..render.display import InteractiveDisplay, walkthrough_html
from ..render.interactive import Button, Field, FormResult, FormSpec, InteractiveForm
from . import content

#: The topic's folder and the lexicon's data file in it (visions, cue words, the book's worked examples).
TOPIC = "02-environment"
LEXICON_FILE = "framing-cues.yaml"


@dataclass(frozen=True)
class Lexicon:
    """The visions (id: description, in order), the cue words of each, and the book's worked examples."""

    visions: dict[str, str]
    cues: dict[str, tuple[str, ...]]
    book_examples: tuple[str, ...]


def lexicon(topic: str = TOPIC, file: str = LEXICON_FILE) -> Lexicon:
    """The course's lexicon, from its data file (checked by ``schemas/framing.schema.json``)."""
    data = content.load(topic, file, "framing")
    ids = [v["id"] for v in data["visions"]]
    if len(set(ids)) != len(ids):
        raise content.refuse(topic, file, ["visions: two visions share an id; give each its own"])
    return Lexicon(
        {v["id"]: v["description"] for v in data["visions"]},
        {v["id"]: tuple(v["cues"]) for v in data["visions"]},
        tuple(data["book_examples"]),
    )


def visions() -> dict[str, str]:
    """The visions, id: description, in the data file's order."""
    return lexicon().visions


def cues() -> dict[str, tuple[str, ...]]:
    """The cue words of each vision (lower case)."""
    return lexicon().cues


@dataclass(frozen=True)
class CueMatch:
    """One cue found in a text: which vision it points to, the cue and where it starts."""

    vision: str
    cue: str
    start: int


def _pattern(cue: str) -> re.Pattern[str]:
    # Whole words only: "open" matches "open" but not "opened" or "reopen". A non-letter (or the edge
    # of the text) must come before and after the cue.
    return re.compile(r"(?<![a-z])" + re.escape(cue) + r"(?![a-z])")


def find_cues(text: str, cues: dict[str, tuple[str, ...]] | None = None) -> list[CueMatch]:
    """Every cue in ``text``, longest cue first, with overlapping shorter cues ignored.

    Matching is case-insensitive and on whole words. The result is sorted by position in the text. The book
    runs the same matcher in JavaScript (``findCues`` in ``static/coursekit-exercise.js``; tested equal).
    """
    words = lexicon().cues if cues is None else cues
    lowered = fold_case(text)  # as the book's copy of this matcher folds it (see coursekit.core.scoring.fold_case)
    taken = [False] * len(lowered)
    found: list[CueMatch] = []
    ranked = sorted(((cue, vision) for vision, items in words.items() for cue in items), key=lambda p: -len(p[0]))
    for cue, vision in ranked:
        for m in _pattern(cue).finditer(lowered):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append(CueMatch(vision, cue, m.start()))
    return sorted(found, key=lambda c: c.start)


def framing_cues(text: str) -> dict[str, list[str]]:
    """The cues found in ``text``, grouped by vision (every vision present, possibly with an empty list)."""
    grouped: dict[str, list[str]] = {vision: [] for vision in visions()}
    for match in find_cues(text):
        grouped[match.vision].append(match.cue)
    return grouped


def leaning(text: str) -> str | None:
    """The vision with strictly the most cues in ``text``, or None when there are none or a tie."""
    counts = {vision: len(cues) for vision, cues in framing_cues(text).items()}
    best = max(counts.values())
    if best == 0:
        return None
    leaders = [vision for vision, n in counts.items() if n == best]
    return leaders[0] if len(leaders) == 1 else None


def describe(text: str) -> str:
    """A plain-language reading of the cues in ``text``, in words (for the explorer and screen readers)."""
    if not text.strip():
        return "Type or paste a sentence first."
    grouped, names = framing_cues(text), visions()
    parts = [f"{names[vision]}: {', '.join(repr(c) for c in cues)}" for vision, cues in grouped.items() if cues]
    if not parts:
        return (
            "No cue words from the course's list were found. That does not make the sentence neutral: "
            "read what it assumes about who decides and what counts as a threat."
        )
    lean = leaning(text)
    verdict = (
        f"The vocabulary leans towards: {names[lean]}."
        if lean
        else "The vocabulary is mixed: cues point to more than one vision equally."
    )
    return "Cue words found. " + " | ".join(parts) + ". " + verdict + " Vocabulary is a clue, not proof."


def cue_table() -> Any:
    """The cue lexicon as a pandas DataFrame (one row per vision), for display in the notebook."""
    import pandas as pd

    words = lexicon()
    return pd.DataFrame(
        {
            "Vision": [words.visions[v] for v in words.cues],
            "Words and phrases that tend to signal it": ["; ".join(c) for c in words.cues.values()],
        }
    )


FORM = FormSpec(
    id="framing-explorer",
    title="Framing explorer",
    live=False,
    fields=(
        Field(
            "statement",
            "textarea",
            "Statement:",
            placeholder="Paste or type a sentence from a diplomatic statement.",
            max_chars=5000,
        ),
    ),
    buttons=(Button("find", "Find cue words"),),
)


def _result(values: dict[str, Any], button: str | None) -> FormResult:
    """The cues in words once the button is pressed (nothing before: the box starts empty)."""
    if button is None and not values["statement"].strip():
        return FormResult("")
    return FormResult(f"<p>{html.escape(describe(values['statement']))}</p>")


class FramingExplorer(InteractiveDisplay):
    """Type a sentence, press the button, read the cues in words (a form drawn by the course's one renderer).

    Building it only creates objects; nothing blocks, so a headless run simply creates and displays it. The
    book, which has no kernel, shows the same form with the matcher run by the page (``findCues`` and
    ``describeCues`` in ``static/coursekit-exercise.js``, tested equal to :func:`find_cues` and
    :func:`describe` on generated statements); without JavaScript, the matcher run on the lexicon's book examples.
    """

    def __init__(self) -> None:
        self.widget = InteractiveForm(FORM, _result, {"statement": ""})

    def find(self, statement: str) -> FormResult | None:
        """Type ``statement`` and press the button, as the page would."""
        return self.widget.submit({"statement": statement}, "find")

    def plain_text(self) -> str:
        return (
            "Framing explorer: type a sentence from a statement and read which vocabulary cues it holds. "
            "Open this notebook in JupyterLab to use it."
        )

    def book_html(self) -> str:
        words = lexicon()
        examples = "".join(
            f"<li><p><em>Statement:</em> {html.escape(s)}</p><p><em>What the explorer says:</em> "
            f"{html.escape(describe(s))}</p></li>"
            for s in words.book_examples
        )
        body = (
            "<p>The framing explorer lists the vocabulary cues in a sentence you type, from the table of "
            f"cue words above. Two sentences as it reads them:</p><ol>{examples}</ol>"
        )
        data = {
            "form": FORM.spec(),
            "values": {"statement": ""},
            "compute": "framing",
            "cues": {v: list(c) for v, c in words.cues.items()},
            "visions": [[k, d] for k, d in words.visions.items()],
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        # In the book the page runs the matcher itself (see find_cues); without JavaScript, the walkthrough.
        return (
            f"<div class='coursekit-book-form' data-coursekit-form='framing-explorer'>"
            f"<script type='application/json' class='coursekit-form-data'>{text}</script>"
            f"{walkthrough_html('Framing explorer', body)}</div>"
        )


def framing_explorer() -> FramingExplorer:
    """The topic 2 framing explorer (see :class:`FramingExplorer`)."""
    return FramingExplorer()
