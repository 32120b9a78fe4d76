"""Clones and leaks: graded items that repeat a case the participant has just seen, or give each other away.

Why it exists: a graded item that restates a practice case shown minutes earlier (with its feedback), or
a paragraph that states the line the next graded item asks for, grades memory of the page, not judgement;
and a graded prompt that describes the answer of another graded item lets a participant copy it across.
Texts are compared by their content: sets of stemmed content words, each weighted by its rarity over all
the texts compared (IDF), so that a paraphrase which keeps a case's facts and actors is caught although
its wording changed, while the course's common vocabulary ("State", "cyber", "norm") weighs little.

* :func:`similar_pairs`: each auto-scored graded item (and each of its scenario steps) against every
  practice text, prose paragraph and other graded item; a weighted Dice overlap at or above
  :data:`CLONE_THRESHOLD` is a clone (or prose that states the item).
* :func:`key_leaks`: a graded decision whose key is, by its words, the option closest to another graded
  item's prompt, ahead of every distractor by at least :data:`LEAK_THRESHOLD` (cosine), and close to it
  in its own right (:data:`LEAK_MIN_CLOSENESS`).

Thresholds were set on the course of December 2026: they flag every clone and leak found by hand for
issue 24 (six repeated practice cases, topic 8's section 9, and the topic 9 pair).
"""

from __future__ import annotations

import ast
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.exercises import Exercise, Matching, MultipleSelect, Scenario, ShortText, SingleChoice
from .cue_picker import Decision
from .wording import content_stems

#: Weighted Dice overlap at or above which a graded item repeats another text.
CLONE_THRESHOLD = 0.25
#: How far ahead of the best distractor the key must be, by closeness to another prompt, to count as leaked.
LEAK_THRESHOLD = 0.10
#: ... and the key itself must be at least this close to the other prompt (a lead over nothing is no leak).
LEAK_MIN_CLOSENESS = 0.15
#: Texts shorter than this many content words are too short to compare (titles, one-line notes).
MIN_WORDS = 12
#: The kinds of text that are graded items: auto-scored ones, and written answers graded by hand.
GRADED_KINDS: tuple[str, ...] = ("graded", "written")


@dataclass(frozen=True)
class Text:
    """A piece of course text to compare: where it comes from and what a participant reads there.

    ``kind`` is ``"graded"`` (an auto-scored graded item or one of its scenario steps), ``"written"`` (a
    graded short text, marked by hand: its prompt may still give another item away), ``"practice"`` (a
    practice exercise or step, or practice data in the topic modules) or ``"prose"`` (a paragraph of a
    notebook's markdown). ``item`` names the graded exercise a graded text belongs to, so that an item is
    never compared with itself. ``prompt`` is what a graded text asks (its prompt, or its step's
    situation), searched by :func:`key_leaks`.
    """

    label: str
    kind: str
    body: str
    item: str = ""
    prompt: str = ""


def exercise_texts(exercises: Iterable[Exercise], notebook: str = "") -> list[Text]:
    """Every exercise as a text (prompt and options), plus one text per scenario step.

    Practice texts include the feedback and consequences the participant reads after answering, since a
    clone may repeat them too.
    """
    found: list[Text] = []
    where = f"{notebook}: " if notebook else ""
    for ex in exercises:
        graded = ex.mode == "graded"
        kind = ("written" if isinstance(ex, ShortText) else "graded") if graded else "practice"
        item = ex.id if graded else ""
        parts = [ex.prompt]
        if isinstance(ex, (SingleChoice, MultipleSelect)):
            parts += [c.text for c in ex.choices] + ([] if graded else [c.feedback for c in ex.choices])
        elif isinstance(ex, Matching):
            parts += [*ex.left, *ex.right] + ([] if graded else list(ex.explanations.values()))
        elif isinstance(ex, Scenario):
            for step in ex.steps:
                options = [o.text for o in step.options] + ([] if graded else [o.consequence for o in step.options])
                body = "\n".join([step.situation, *options])
                found.append(Text(f"{where}{ex.id} / step {step.id}", kind, body, item, step.situation))
                parts += [step.situation, *(o.text for o in step.options)]
        found.append(Text(f"{where}{ex.id}", kind, "\n".join(parts), item, ex.prompt))
    return found


def prose_texts(cells: Iterable[str], notebook: str) -> list[Text]:
    """The paragraphs of a notebook's markdown cells (blank-line separated), labelled by their section."""
    found: list[Text] = []
    section = ""
    for cell in cells:
        for paragraph in cell.split("\n\n"):
            paragraph = paragraph.strip()
            if paragraph.startswith("#"):
                section = paragraph.lstrip("#").strip().splitlines()[0]
                paragraph = "\n".join(paragraph.splitlines()[1:]).strip()
            if paragraph:
                found.append(Text(f"{notebook}: prose, {section or 'opening'}, ¶{len(found) + 1}", "prose", paragraph))
    return found


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _name_of(node: ast.AST, index: int) -> str:
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            if kw.arg == "id" and isinstance(kw.value, ast.Constant):
                return str(kw.value.value)
        if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            return node.args[0].value[:40]
    return str(index)


def module_texts(path: Path) -> list[Text]:
    """Practice data written in a topic module: each element of a module-level tuple, list or dict.

    The choosers' problems, for instance, are module-level tuples of ``Problem(...)``: each problem (its
    situation, picks and consequences) becomes one text, named by its ``id``.
    """
    found: list[Text] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for stmt in tree.body:
        if not isinstance(stmt, (ast.Assign, ast.AnnAssign)) or stmt.value is None:
            continue
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        name = next((t.id for t in targets if isinstance(t, ast.Name)), "?")
        value = stmt.value
        elements = (
            value.elts
            if isinstance(value, (ast.Tuple, ast.List))
            else [v for v in value.values if v is not None]
            if isinstance(value, ast.Dict)
            else [value]
        )
        for i, element in enumerate(elements):
            body = "\n".join(_strings(element))
            if body.strip():
                found.append(Text(f"{path.parent.name}/{path.name}: {name}[{_name_of(element, i)}]", "practice", body))
    return found


def _leaves(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _leaves(v)]
    if isinstance(value, list):
        return [s for v in value for s in _leaves(v)]
    return []


def data_texts(path: Path) -> list[Text]:
    """Practice data in a topic's YAML data file: each element of a top-level list (a chooser's problems, a
    campaign's phases) becomes one text, named by its ``id`` (its position if it has none).

    A file that is not YAML, or is not a mapping, gives no texts (its loader reports it where it is used).
    """
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    found: list[Text] = []
    for key, value in data.items() if isinstance(data, dict) else []:
        for i, element in enumerate(value if isinstance(value, list) else []):
            name = element.get("id", i) if isinstance(element, dict) else i
            body = "\n".join(_leaves(element))
            if body.strip():
                found.append(Text(f"{path.parent.name}/{path.name}: {key}[{name}]", "practice", body))
    return found


class Weights:
    """Inverse document frequencies of content stems over a set of texts: rare words weigh more.

    Texts are compared as sets of stems (a word said twice counts once), so a long paragraph does not
    outweigh a short prompt by repetition.
    """

    def __init__(self, bodies: Iterable[str]) -> None:
        stem_sets = [set(content_stems(b)) for b in bodies]
        df: Counter[str] = Counter(s for stems in stem_sets for s in stems)
        n = len(stem_sets)
        self.idf = {s: math.log((1 + n) / (1 + c)) + 1 for s, c in df.items()}

    def mass(self, stems: set[str]) -> float:
        return sum(self.idf.get(s, 1.0) for s in stems)

    def dice(self, a: set[str], b: set[str]) -> float:
        """Weighted Dice overlap: twice the weight of shared stems over the weight of both sets."""
        both = self.mass(a) + self.mass(b)
        return 2 * self.mass(a & b) / both if both else 0.0

    def cosine(self, a: set[str], b: set[str]) -> float:
        """Cosine of the two sets as vectors of IDF weights."""
        norm = math.sqrt(sum(self.idf.get(s, 1.0) ** 2 for s in a) * sum(self.idf.get(s, 1.0) ** 2 for s in b))
        return sum(self.idf.get(s, 1.0) ** 2 for s in a & b) / norm if norm else 0.0


@dataclass(frozen=True)
class Pair:
    """A graded item and another text it resembles, with the score that flagged them."""

    graded: str
    other: str
    other_kind: str
    score: float


def similar_pairs(texts: Sequence[Text], threshold: float = CLONE_THRESHOLD) -> list[Pair]:
    """Each auto-scored graded text against every other text not of the same item, at or above
    ``threshold`` (weighted Dice overlap of content stems), best first.

    An item and its scenario steps count as one: each pair of (graded item, other item or paragraph) is
    reported once, with its best score, and a pair of graded items once in all. Texts with fewer than
    :data:`MIN_WORDS` content stems are left out.
    """
    usable = [(t, set(content_stems(t.body))) for t in texts]
    usable = [(t, s) for t, s in usable if len(s) >= MIN_WORDS]
    weights = Weights(t.body for t, _ in usable)
    best: dict[tuple[str, str], Pair] = {}
    for a, sa in usable:
        if a.kind != "graded":
            continue
        for b, sb in usable:
            if a is b or (b.item and b.item == a.item):
                continue
            score = weights.dice(sa, sb)
            other = b.label.split(" / step ")[0]
            pair = (min(a.item, b.item), max(a.item, b.item)) if b.item else (a.item, other)
            if score >= threshold and score > best.get(pair, Pair("", "", "", -1.0)).score:
                best[pair] = Pair(a.label.split(" / step ")[0], other, b.kind, round(score, 3))
    return sorted(best.values(), key=lambda p: (-p.score, p.graded, p.other))


def key_leaks(found: Sequence[Decision], texts: Sequence[Text], threshold: float = LEAK_THRESHOLD) -> list[Pair]:
    """Graded decisions whose key another graded item's prompt points to, best first.

    A reader who picks the option whose words are closest to the other prompt (cosine of IDF-weighted
    content stems) finds the key when the key is closer than every distractor; the lead (key's cosine
    minus the best distractor's) at or above ``threshold`` flags a leak, when the key's own cosine reaches
    :data:`LEAK_MIN_CLOSENESS`. The searched prompts are those of the graded texts (``kind="graded"`` or
    ``"written"``); the decision's own item is skipped.
    """
    prompts = [(t, set(content_stems(t.prompt))) for t in texts if t.kind in GRADED_KINDS and t.prompt]
    weights = Weights(t.body for t in texts)
    leaks: dict[tuple[str, str], Pair] = {}
    for d in found:
        if d.mode != "graded" or d.kind not in ("single-choice", "scenario-step"):
            continue
        options = [set(content_stems(o)) for o in d.options]
        label = d.exercise_id + (f" / step {d.step}" if d.step else "")
        for t, prompt in prompts:
            if t.item == d.exercise_id:
                continue
            key = weights.cosine(options[d.best], prompt)
            rival = max(weights.cosine(o, prompt) for i, o in enumerate(options) if i != d.best)
            pair = (label, t.label)
            if key >= LEAK_MIN_CLOSENESS and key - rival >= threshold and pair not in leaks:
                leaks[pair] = Pair(label, t.label, t.kind, round(key - rival, 3))
    return sorted(leaks.values(), key=lambda p: (-p.score, p.graded, p.other))
