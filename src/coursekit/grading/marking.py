"""Marking one written item for the whole class, criterion by criterion: the data behind the marking view.

Why by question: an instructor marks consistently and fast when they read every participant's answer to one
question in a row, against one rubric, rather than one participant's whole notebook at a time. This module
holds what that needs and nothing on screen (:mod:`coursekit.grading.marking_view` draws it):

* a rubric's levels with their points (:func:`rubric_levels`, from the ``"2: ..."`` prefix authors write);
* the marking record of a topic (:class:`MarkingRecord`, a small JSON file beside the gradebook): the level
  chosen per criterion for each participant, a hash of the text that was marked (so a resubmitted answer is
  flagged for a second look), the comment bank of each criterion and the instructor's changes to level points;
* :class:`MarkingSession`, which turns key presses into marks: the item's score is the sum of the points of
  the levels chosen, and changing a level's points re-scores every answer marked with it. Every mark goes to
  the gradebook through the ``write`` function it is given (:func:`gradebook_writer`: nbgrader's public
  ``Gradebook`` API), so formgrader, ``coursekit export``, ``report`` and ``feedback`` see the same marks.

Anything a participant wrote is only ever data here: it is hashed, compared and handed to the view as text.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..core import atomic
from ..core.exercises import RubricCriterion, ShortText

RECORD_FORMAT = "coursekit-marking"
_LEVEL_POINTS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*:\s*")
#: Answers at least this similar (:func:`similarity`) are listed as near-copies of each other.
NEAR_COPY = 0.8

Write = Callable[[str, "float | None", str], None]  # student, score (None: not fully marked), comment


@dataclass(frozen=True)
class Level:
    """One level of a criterion: what it says and what it earns."""

    label: str
    points: float


def rubric_levels(criterion: RubricCriterion) -> list[Level]:
    """The levels of ``criterion`` with their points, lowest first.

    Authors write a level as ``"2: objectives tied to a goal"``: the number before the colon is its points.
    A level without one is placed evenly between 0 and the criterion's points; a criterion without levels
    has two, nothing and everything, so it can still be marked by level.
    """
    texts = list(criterion.levels) or ["0: not met", f"{criterion.points:g}: met"]
    levels = []
    for n, text in enumerate(texts):
        found = _LEVEL_POINTS.match(text)
        even = criterion.points * n / (len(texts) - 1) if len(texts) > 1 else criterion.points
        points = float(found.group(1)) if found else even
        levels.append(Level(text[found.end() :] if found else text, min(points, float(criterion.points))))
    return levels


def text_hash(text: str) -> str:
    """What identifies a marked text (so a changed one is noticed): SHA-256 of its UTF-8, errors replaced."""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def record_path(course_root: Path, topic: str) -> Path:
    """Where a topic's marking record lives: ``marking/<topic>.json`` in the course root, beside the gradebook."""
    return Path(course_root) / "marking" / f"{topic}.json"


@dataclass
class ItemRecord:
    """What the instructor has decided about one written item: levels, hashes, comments, bank, point changes."""

    levels: dict[str, list[int | None]] = field(default_factory=dict)  # student -> level index per criterion
    hashes: dict[str, str] = field(default_factory=dict)  # student -> hash of the text marked
    comments: dict[str, str] = field(default_factory=dict)
    bank: dict[int, list[str]] = field(default_factory=dict)  # criterion index -> reusable comments
    points: dict[tuple[int, int], float] = field(default_factory=dict)  # (criterion, level) -> changed points

    def to_json(self) -> dict[str, Any]:
        return {
            "levels": self.levels,
            "hashes": self.hashes,
            "comments": self.comments,
            "bank": {str(k): v for k, v in self.bank.items()},
            "points": [[c, lv, p] for (c, lv), p in sorted(self.points.items())],
        }

    @classmethod
    def from_json(cls, data: Any) -> "ItemRecord":
        if not isinstance(data, dict):
            raise ValueError("an item's record is not an object")
        levels = {
            str(s): [lv if isinstance(lv, int) and not isinstance(lv, bool) else None for lv in chosen]
            for s, chosen in dict(data.get("levels", {})).items()
            if isinstance(chosen, list)
        }
        return cls(
            levels=levels,
            hashes={str(k): str(v) for k, v in dict(data.get("hashes", {})).items()},
            comments={str(k): str(v) for k, v in dict(data.get("comments", {})).items()},
            bank={int(k): [str(c) for c in v] for k, v in dict(data.get("bank", {})).items() if isinstance(v, list)},
            points={(int(c), int(lv)): float(p) for c, lv, p in data.get("points", [])},
        )


class MarkingRecord:
    """A topic's marking record: one :class:`ItemRecord` per written item, saved atomically as JSON.

    Why a file of its own: nbgrader's gradebook keeps one score and one comment per item; the levels behind
    the score, the bank and the rubric edits are the course's, and the feedback page reads them from here.
    A damaged record is refused with a message (never silently replaced: it holds an instructor's work).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.items: dict[str, ItemRecord] = {}
        self._seen = self._fingerprint()
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("format") != RECORD_FORMAT:
                    raise ValueError("not a coursekit marking record")
                self.items = {str(k): ItemRecord.from_json(v) for k, v in data.get("items", {}).items()}
            except (ValueError, TypeError, AttributeError, UnicodeDecodeError) as err:
                raise ValueError(f"The marking record {self.path} cannot be read ({err}); fix or move it.") from err

    def item(self, item_id: str) -> ItemRecord:
        return self.items.setdefault(item_id, ItemRecord())

    def _fingerprint(self) -> str | None:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except FileNotFoundError:
            return None

    def save(self) -> None:
        """Write the record; refused (ValueError) if the file changed since this object read or wrote it.

        Why: two marking views open on one topic (a cell run twice, two notebooks) each hold the record as
        they read it; the second to save would silently undo the other's levels and bank.
        """
        if self._fingerprint() != self._seen:
            raise ValueError(
                f"the marking record {self.path.name} was changed by another marking view; run the view's cell again"
            )
        data = {"format": RECORD_FORMAT, "version": 1, "items": {k: v.to_json() for k, v in self.items.items()}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, indent=1, sort_keys=True)
        atomic.write_text(self.path, text, private=True)
        self._seen = hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Answer:
    """One participant's answer to the item: their id, their name (hidden by default) and their text."""

    student: str
    name: str
    text: str


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    """The runs of three words in ``text`` (lower case, punctuation and spacing ignored); one run if shorter."""
    words = re.findall(r"\w+", text.lower())
    return frozenset(tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))) if words else frozenset()


def similarity(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    """The share of word runs two texts have in common (Jaccard); 0 when either is empty.

    Why word runs and not difflib: the view compares every pair of answers when it opens, and difflib's
    ratio is quadratic in the worst case: 25 answers of 5,000 characters drawn from a small vocabulary took
    116 s with it (measured), a hang; as sets of word runs they take well under a second.
    """
    return len(a & b) / len(a | b) if a and b else 0.0


def similar_order(answers: list[Answer]) -> list[Answer]:
    """The answers ordered so that similar texts sit together (greedy nearest neighbour on :func:`similarity`).

    Why: near-identical answers marked one after another get the same levels and comment, and a copied
    answer stands out. Starts from the first answer; each next one is the most similar of those left.
    """
    left = [(a, shingles(a.text)) for a in answers]
    if not left:
        return []
    ordered = [left.pop(0)]
    while left:
        here = ordered[-1][1]
        best = max(range(len(left)), key=lambda i: similarity(here, left[i][1]))
        ordered.append(left.pop(best))
    return [a for a, _ in ordered]


def near_copies(answers: list[Answer], threshold: float = NEAR_COPY) -> dict[str, list[str]]:
    """For each student, the other students whose non-empty text is at least ``threshold`` similar."""
    found: dict[str, list[str]] = {a.student: [] for a in answers}
    runs = [shingles(a.text) for a in answers]
    for i, a in enumerate(answers):
        for j in range(i + 1, len(answers)):
            if similarity(runs[i], runs[j]) >= threshold:
                found[a.student].append(answers[j].student)
                found[answers[j].student].append(a.student)
    return found


class MarkingSession:
    """Marking one written item for every participant: levels chosen, score, comment, bank, rubric edits.

    ``write(student, score, comment)`` records a mark in the gradebook; it is called after every change
    to a participant's mark (``score`` None while a criterion has no level yet) and for every answer that
    a rubric edit re-scores. The record is saved after every change, so nothing is lost if the kernel stops.
    """

    def __init__(self, exercise: ShortText, answers: list[Answer], record: MarkingRecord, write: Write) -> None:
        if not isinstance(exercise, ShortText) or not exercise.rubric:
            raise ValueError(f"{exercise.id} is not a written item with a rubric: only those are marked here.")
        self.exercise, self.answers, self.record, self.write = exercise, list(answers), record, write
        self.item = record.item(exercise.id)

    # --- the rubric ---------------------------------------------------------------------------------------
    def levels(self, criterion: int) -> list[Level]:
        """A criterion's levels with the instructor's changed points applied."""
        base = rubric_levels(self.exercise.rubric[criterion])
        return [Level(lv.label, self.item.points.get((criterion, n), lv.points)) for n, lv in enumerate(base)]

    def chosen(self, student: str) -> list[int | None]:
        size = len(self.exercise.rubric)
        got = list(self.item.levels.get(student, []))[:size]
        return [lv if lv is not None and 0 <= lv < len(self.levels(n)) else None for n, lv in enumerate(got)] + [
            None
        ] * (size - len(got))

    def score(self, student: str) -> float | None:
        """The sum of the chosen levels' points; None until every criterion has a level."""
        chosen = self.chosen(student)
        if any(lv is None for lv in chosen):
            return None
        return float(sum(self.levels(n)[lv].points for n, lv in enumerate(chosen) if lv is not None))

    # --- marking ------------------------------------------------------------------------------------------
    def answer(self, student: str) -> Answer:
        for a in self.answers:
            if a.student == student:
                return a
        raise KeyError(f"no answer from {student!r} in this session")

    def choose(self, student: str, criterion: int, level: int) -> float | None:
        """Give ``student`` level ``level`` (0 = lowest) on ``criterion``; return the item's score."""
        if not 0 <= criterion < len(self.exercise.rubric):
            raise ValueError(f"there is no criterion {criterion + 1}")
        if not 0 <= level < len(self.levels(criterion)):
            raise ValueError(f"criterion {criterion + 1} has no level {level + 1}")
        chosen = self.chosen(student)
        chosen[criterion] = level
        self.item.levels[student] = chosen
        self.item.hashes[student] = text_hash(self.answer(student).text)
        return self._record(student)

    def comment(self, student: str, text: str) -> None:
        """Set the comment ``student`` receives (an empty text removes it)."""
        self.answer(student)
        self.item.comments[student] = str(text)
        self._record(student)

    def _record(self, student: str) -> float | None:
        self.record.save()
        score = self.score(student)
        self.write(student, score, self.item.comments.get(student, ""))
        return score

    def is_marked(self, student: str) -> bool:
        return self.score(student) is not None

    def needs_second_look(self, student: str) -> bool:
        """True when the answer's text is not the text that was marked (the participant resubmitted)."""
        marked = self.item.hashes.get(student)
        return marked is not None and marked != text_hash(self.answer(student).text)

    def progress(self) -> tuple[int, int]:
        """(answers fully marked, answers in all)."""
        return sum(self.is_marked(a.student) for a in self.answers), len(self.answers)

    # --- the comment bank -----------------------------------------------------------------------------------
    def bank(self, criterion: int) -> list[str]:
        return list(self.item.bank.get(criterion, []))

    def add_to_bank(self, criterion: int, text: str) -> None:
        """Keep ``text`` for reuse under ``criterion`` (once: a comment already in its bank is not added again)."""
        if not 0 <= criterion < len(self.exercise.rubric):
            raise ValueError(f"there is no criterion {criterion + 1}")
        text = text.strip()
        if not text:
            raise ValueError("an empty comment cannot be kept")
        kept = self.item.bank.setdefault(criterion, [])
        if text not in kept:
            kept.append(text)
            self.record.save()

    def bank_entries(self) -> list[tuple[int, str]]:
        """Every banked comment as (criterion, text), in criterion order: entry k is inserted with key k+1."""
        return [(n, text) for n in range(len(self.exercise.rubric)) for text in self.bank(n)]

    def insert_from_bank(self, student: str, entry: int) -> str:
        """Add bank entry ``entry`` (see :meth:`bank_entries`) to ``student``'s comment, on a line of its own."""
        entries = self.bank_entries()
        if not 0 <= entry < len(entries):
            raise ValueError(f"the bank has no comment {entry + 1}")
        current = self.item.comments.get(student, "").rstrip()
        text = entries[entry][1]
        if text not in current.splitlines():
            self.comment(student, f"{current}\n{text}" if current else text)
        return self.item.comments.get(student, "")

    # --- rubric edits for everyone ----------------------------------------------------------------------------
    def set_level_points(self, criterion: int, level: int, points: float) -> list[str]:
        """Change what a level earns, for everyone; re-score and re-write every answer marked with it.

        Refused (ValueError) when the points are not a number from 0 to the criterion's points, so an item's
        score never exceeds what it is worth. Returns the students whose score was written again.
        """
        levels = self.levels(criterion)  # also checks the criterion
        if not 0 <= level < len(levels):
            raise ValueError(f"criterion {criterion + 1} has no level {level + 1}")
        top = float(self.exercise.rubric[criterion].points)
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not math.isfinite(points):
            raise ValueError("the points must be a number")
        if not 0 <= points <= top:
            raise ValueError(f"the points must be from 0 to {top:g} (the criterion's worth)")
        self.item.points[(criterion, level)] = float(points)
        self.record.save()
        touched = [
            s for s, chosen in self.item.levels.items() if len(chosen) > criterion and chosen[criterion] == level
        ]
        for student in touched:
            self.write(student, self.score(student), self.item.comments.get(student, ""))
        return touched


def gradebook_writer(db_url: str, course_id: str, topic: str, notebook: str, item_id: str) -> Write:
    """A ``write`` for :class:`MarkingSession` that records marks in nbgrader's gradebook, by its public API.

    ``Gradebook.find_grade``/``find_comment`` give the item's grade and comment rows; setting
    ``manual_score`` (with ``needs_manual_grade`` off, without which export and report still count the item
    as unmarked) and ``manual_comment`` and committing ``Gradebook.db`` is what formgrader's own API does.
    A score of None leaves any earlier mark in place (a criterion still open is not a mark of 0).
    """

    def write(student: str, score: float | None, comment: str) -> None:
        from nbgrader.api import Gradebook

        with Gradebook(db_url, course_id) as gb:
            if score is not None:
                grade = gb.find_grade(item_id, notebook, topic, student)
                grade.manual_score, grade.needs_manual_grade = score, False
            gb.find_comment(item_id, notebook, topic, student).manual_comment = comment
            gb.db.commit()

    return write


def chosen_levels(course_root: Path, topic: str, item_id: str, exercise: ShortText, student: str) -> list[str]:
    """``"criterion: level (points)"`` for each criterion marked for ``student``, for their feedback page.

    Empty when the item was not marked by level; a record that cannot be read gives no levels (the score and
    comment in the gradebook still reach the page).
    """
    try:
        record = MarkingRecord(record_path(course_root, topic))
    except ValueError:
        return []
    if item_id not in record.items:
        return []
    session = MarkingSession(exercise, [Answer(student, "", "")], record, lambda *_: None)
    lines = []
    for n, lv in enumerate(session.chosen(student)):
        if lv is not None:
            level = session.levels(n)[lv]
            lines.append(f"{exercise.rubric[n].criterion}: {level.label} ({level.points:g})")
    return lines
