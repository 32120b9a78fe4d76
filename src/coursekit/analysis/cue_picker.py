"""A test-wise newcomer: picks answers by cues alone, to show whether the grades measure judgement.

Why it exists: an item whose key can be found from its position, its length or its tone ("with partners",
"first ... then") while the distractors say "at once" or "never", grades test-wiseness, not judgement. This
picker never reads for meaning. For every decision (a single-choice item, each scenario step, a multiple
select, each left item of a matching) it sees only surface features of each option (:func:`features`):
position, length, the tone markers of :mod:`coursekit.analysis.wording`, word overlap with the prompt and
with the other options. It then learns, from the *rest* of the course, which cue rule wins most: a
conditional-logit combination of all cues, or the best single cue. The decision's own exercise is always
left out of what it learns from (leave one out), so the picker never sees the key it is scored against.

The course holds it to: per kind of decision, the picker's mean score is at most chance plus 10 points
(chance: the expected score of a random answer under the item's scoring rule, :meth:`Decision.chance`).
:func:`key_positions` and :func:`tone_spread` describe the two regularities the picker most often exploits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ..core.exercises import Exercise, Matching, MultipleSelect, Scenario, SingleChoice
from ..core.scoring import score
from .wording import MARKERS, content_stems, overlap, tone

#: Kinds of decision, in report order.
KINDS: tuple[str, ...] = ("single-choice", "scenario-step", "multiple-select", "matching")
#: The picker may beat chance by at most this much, per kind.
MARGIN = 0.10

FEATURES: tuple[str, ...] = (
    "first",
    "second",
    "last",
    "middle",
    "length",
    "longest",
    "shortest",
    *MARKERS,
    "middle way",
    "most measured",
    "prompt overlap",
    "like the others",
)


@dataclass(frozen=True)
class Decision:
    """One choice a participant makes, with what each option earns.

    ``credit[i]`` is the share of the decision's points that option ``i`` earns: 1 or 0 for a single choice
    or a matching pair, points over the step's best for a scenario step. For a multiple select it is 1 for
    the options of the key, and a selection is scored by the course's own rule
    (:func:`coursekit.core.scoring.score` on ``exercise``), so that the picker follows any change to it.
    """

    kind: str
    exercise_id: str
    step: str
    mode: str
    prompt: str
    options: tuple[str, ...]
    credit: tuple[float, ...]
    exercise: MultipleSelect | None = None

    @property
    def best(self) -> int:
        """The first option with the highest credit."""
        return self.credit.index(max(self.credit))

    @property
    def best_is_longest(self) -> bool:
        """True when the best option's text is longer than every other option's (ties do not count)."""
        lengths = [len(t) for t in self.options]
        return all(lengths[self.best] > n for i, n in enumerate(lengths) if i != self.best)

    def score(self, picked: Iterable[int]) -> float:
        """The share of the decision's points that picking ``picked`` earns."""
        chosen = sorted(set(picked))
        if self.exercise is None:
            (only,) = chosen
            return self.credit[only]
        values = [c.value for c in self.exercise.choices]
        return score(self.exercise, [values[i] for i in chosen]).fraction

    def chance(self) -> float:
        """The expected score of a random answer: one option at random, or each option ticked with odds 1/2
        (every selection equally likely, the empty one included)."""
        if self.exercise is None:
            return sum(self.credit) / len(self.credit)
        n = len(self.options)
        return sum(self.score(s) for k in range(n + 1) for s in combinations(range(n), k)) / 2**n


def decisions(exercises: Iterable[Exercise]) -> list[Decision]:
    """Every keyed decision of ``exercises`` (exercises without a key are skipped; graded ones need theirs).

    A scenario step where every option earns the same is no decision and is skipped.
    """
    found: list[Decision] = []
    for ex in exercises:
        if ex.key is None:
            continue
        if isinstance(ex, SingleChoice):
            found.append(
                Decision(
                    "single-choice",
                    ex.id,
                    "",
                    ex.mode,
                    ex.prompt,
                    tuple(c.text for c in ex.choices),
                    tuple(1.0 if c.value == ex.key else 0.0 for c in ex.choices),
                )
            )
        elif isinstance(ex, MultipleSelect):
            keyed = set(ex.key)
            found.append(
                Decision(
                    "multiple-select",
                    ex.id,
                    "",
                    ex.mode,
                    ex.prompt,
                    tuple(c.text for c in ex.choices),
                    tuple(1.0 if c.value in keyed else 0.0 for c in ex.choices),
                    ex,
                )
            )
        elif isinstance(ex, Matching):
            for left in ex.left:
                found.append(
                    Decision(
                        "matching",
                        ex.id,
                        left,
                        ex.mode,
                        left,
                        ex.right,
                        tuple(1.0 if r == ex.key[left] else 0.0 for r in ex.right),
                    )
                )
        elif isinstance(ex, Scenario):
            for step in ex.steps:
                points = [float(ex.key[step.id][o.value]) for o in step.options]
                top = max(points)
                if top <= 0 or min(points) == top:
                    continue
                found.append(
                    Decision(
                        "scenario-step",
                        ex.id,
                        step.id,
                        ex.mode,
                        f"{ex.prompt}\n{step.situation}",
                        tuple(o.text for o in step.options),
                        tuple(p / top for p in points),
                    )
                )
    return found


def _zscores(values: Sequence[float]) -> list[float]:
    mean = sum(values) / len(values)
    spread = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    return [(v - mean) / spread if spread else 0.0 for v in values]


def features(decision: Decision) -> np.ndarray:
    """The cues of each option (one row per option, one column per name in :data:`FEATURES`)."""
    n = len(decision.options)
    lengths = [len(t) for t in decision.options]
    stems = [content_stems(t) for t in decision.options]
    prompt = content_stems(decision.prompt)
    tones = [tone(t) for t in decision.options]
    near_prompt = _zscores([overlap(s, prompt) for s in stems])
    like_others = _zscores(
        [sum(overlap(s, o) for j, o in enumerate(stems) if j != i) / max(1, n - 1) for i, s in enumerate(stems)]
    )
    length_z = _zscores(lengths)
    measured = _zscores([t.measured for t in tones])
    rows = []
    for i in range(n):
        rows.append(
            [
                i == 0,
                i == 1,
                i == n - 1,
                0 < i < n - 1,
                length_z[i],
                all(lengths[i] > m for j, m in enumerate(lengths) if j != i),
                all(lengths[i] < m for j, m in enumerate(lengths) if j != i),
                *(min(tones[i].counts[name], 3) for name in MARKERS),
                tones[i].cautious,
                measured[i],
                near_prompt[i],
                like_others[i],
            ]
        )
    return np.array(rows, dtype=float)


@dataclass(frozen=True)
class Rule:
    """A cue rule: option utilities are ``features @ weights``; the name says which cues it uses."""

    name: str
    weights: np.ndarray

    def pick(self, decision: Decision, cues: np.ndarray) -> frozenset[int]:
        """The option with the highest utility (the first of equals), or for a multiple select every option
        above the decision's mean utility (at least one)."""
        utility = cues @ self.weights
        if decision.kind == "multiple-select":
            above = frozenset(int(i) for i in np.flatnonzero(utility > utility.mean() + 1e-9))
            return above or frozenset({int(np.argmax(utility))})
        return frozenset({int(np.argmax(utility))})


def _fit(train: list[tuple[Decision, np.ndarray]], ridge: float = 1.0, rounds: int = 25) -> np.ndarray:
    """Conditional-logit weights (Newton's method with a ridge penalty) that favour each decision's best
    options: the credited options share the target of a decision in proportion to their credit."""
    width = len(FEATURES)
    w = np.zeros(width)
    for _ in range(rounds):
        grad = -ridge * w
        hess = -ridge * np.eye(width)
        for decision, x in train:
            x = x - x.mean(axis=0)
            u = x @ w
            p = np.exp(u - u.max())
            p /= p.sum()
            target = np.array(decision.credit)
            target = target / target.sum()
            grad += x.T @ (target - p)
            mean = x.T @ p
            hess -= (x * p[:, None]).T @ x - np.outer(mean, mean)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


#: Ridge penalties of the combined rule: the picker keeps whichever does best on the rest of the course.
RIDGES: dict[str, float] = {"light": 0.3, "middle": 1.0, "strong": 3.0}


def candidate_rules(train: list[tuple[Decision, np.ndarray]]) -> list[Rule]:
    """The combined rule learnt from ``train`` (with a light, a middle and a strong ridge penalty), and
    every single cue taken either way."""
    rules = [Rule(f"all cues combined ({how})", _fit(train, ridge)) for how, ridge in RIDGES.items()] if train else []
    for j, name in enumerate(FEATURES):
        for sign, how in ((1.0, "more"), (-1.0, "less")):
            w = np.zeros(len(FEATURES))
            w[j] = sign
            rules.append(Rule(f"{how} {name}", w))
    return rules


def _mean_score(rule: Rule, cases: list[tuple[Decision, np.ndarray]]) -> float:
    return sum(d.score(rule.pick(d, x)) for d, x in cases) / len(cases) if cases else 0.0


@dataclass(frozen=True)
class Pick:
    """What the picker chose in one decision, by which rule, and what it scored."""

    decision: Decision
    rule: str
    picked: frozenset[int]
    score: float


def newcomer_picks(course: Sequence[Decision], targets: Iterable[Decision]) -> list[Pick]:
    """The picker's choice in each of ``targets``, each learnt from the ``course`` decisions of other exercises.

    For each target exercise, every candidate rule is scored on the rest of the course and the best one
    (the combined rule on a tie) picks the target's options.
    """
    cues = {id(d): features(d) for d in course}
    picks: list[Pick] = []
    by_exercise: dict[str, list[Decision]] = {}
    for d in targets:
        by_exercise.setdefault(d.exercise_id, []).append(d)
    for exercise_id, own in by_exercise.items():
        train = [(d, cues[id(d)]) for d in course if d.exercise_id != exercise_id]
        rules = candidate_rules(train)
        best = max(rules, key=lambda r: _mean_score(r, train))
        for d in own:
            x = cues[id(d)] if id(d) in cues else features(d)
            chosen = best.pick(d, x)
            picks.append(Pick(d, best.name, chosen, d.score(chosen)))
    return picks


@dataclass(frozen=True)
class KindResult:
    """The picker's mean score and chance over the decisions of one kind."""

    kind: str
    decisions: int
    score: float
    chance: float

    @property
    def margin(self) -> float:
        return self.score - self.chance

    @property
    def passes(self) -> bool:
        return self.margin <= MARGIN + 1e-9


def by_kind(picks: Iterable[Pick]) -> dict[str, KindResult]:
    """Per kind of decision (only kinds present): decisions, the picker's mean score and chance."""
    grouped: dict[str, list[Pick]] = {}
    for p in picks:
        grouped.setdefault(p.decision.kind, []).append(p)
    return {
        kind: KindResult(
            kind,
            len(grouped[kind]),
            sum(p.score for p in grouped[kind]) / len(grouped[kind]),
            sum(p.decision.chance() for p in grouped[kind]) / len(grouped[kind]),
        )
        for kind in KINDS
        if kind in grouped
    }


@dataclass(frozen=True)
class Positions:
    """Where the best option stands, in source order, across decisions of one kind."""

    kind: str
    counts: tuple[int, ...]
    expected: tuple[float, ...]

    @property
    def decisions(self) -> int:
        return sum(self.counts)

    def share(self, position: int) -> float:
        return self.counts[position] / self.decisions if self.decisions else 0.0

    @property
    def worst(self) -> tuple[int, float]:
        """The position most over-used against chance, and by how much (share minus expected share)."""
        excess = [self.share(i) - e for i, e in enumerate(self.expected)]
        if not excess:
            return 0, 0.0
        top = max(range(len(excess)), key=excess.__getitem__)
        return top, excess[top]


def key_positions(
    found: Iterable[Decision], kinds: Iterable[str] = ("single-choice", "scenario-step")
) -> dict[str, Positions]:
    """Per kind: how often the best option is 1st, 2nd, ... and how often it would be by chance.

    A decision whose best credit is shared by several options is left out (it has no one best position).
    """
    result: dict[str, Positions] = {}
    for kind in kinds:
        ds = [d for d in found if d.kind == kind and d.credit.count(max(d.credit)) == 1]
        width = max((len(d.options) for d in ds), default=0)
        counts = [0] * width
        expected = [0.0] * width
        for d in ds:
            counts[d.best] += 1
            for i in range(len(d.options)):
                expected[i] += 1 / len(d.options) / len(ds)
        result[kind] = Positions(kind, tuple(counts), tuple(expected))
    return result


@dataclass(frozen=True)
class ToneSpread:
    """How the tone markers fall on keys and on distractors, and how often the most measured option is the key.

    ``measured_keys`` is what a reader who always picks the most measured option (:attr:`Tone.measured`,
    at random among equals) would expect to get right over ``decisions`` single-answer decisions;
    ``cautious_keys`` counts those decisions whose key reads as the cautious middle way in its own right
    (:attr:`Tone.cautious`), whatever the distractors say.
    """

    decisions: int
    measured_keys: float
    cautious_keys: int
    keys: int
    distractors: int
    on_keys: dict[str, int]
    on_distractors: dict[str, int]

    @property
    def measured_key_share(self) -> float:
        return self.measured_keys / self.decisions if self.decisions else 0.0


#: At most this share of single-answer decisions may have the most measured option as their key.
MAX_MEASURED_KEY_SHARE = 2 / 3


def tone_spread(found: Iterable[Decision]) -> ToneSpread:
    """Markers on keys and distractors of single choices, scenario steps and multiple selects, and how
    often the most measured option of a single-answer decision (single choice, scenario step) is its key.

    A key is an option with full credit (for a scenario step, the step's best); every other option is a
    distractor. The same lexicon (:mod:`coursekit.analysis.wording`) reads both.
    """
    names = [*MARKERS, "middle way"]
    on_keys = dict.fromkeys(names, 0)
    on_distractors = dict.fromkeys(names, 0)
    keys = distractors = single = cautious = 0
    measured = 0.0
    for d in found:
        if d.kind == "matching":
            continue
        tones = [tone(t) for t in d.options]
        if d.kind != "multiple-select":
            single += 1
            top = max(t.measured for t in tones)
            most = [i for i, t in enumerate(tones) if t.measured == top]
            measured += (d.best in most) / len(most)
            cautious += tones[d.best].cautious
        for i, t in enumerate(tones):
            is_key = d.credit[i] == 1.0
            tally = on_keys if is_key else on_distractors
            keys += is_key
            distractors += not is_key
            for name in MARKERS:
                tally[name] += t.counts[name] > 0
            tally["middle way"] += t.cautious
    return ToneSpread(single, measured, cautious, keys, distractors, on_keys, on_distractors)
