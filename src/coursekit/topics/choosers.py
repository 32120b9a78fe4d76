"""Choosers: a set of realistic problems, each with a few courses of action and their consequences.

Why it exists: two topics teach judgement the same way (topic 1 "which tool for which situation", topic 2
"which forum and approach for which internet-governance problem"). The content is data, a YAML file beside
the topic's notebook (``tool-chooser.yaml``, ``forum-chooser.yaml``; shape: ``schemas/chooser.schema.json``),
read by :func:`load_chooser`; this module checks it and turns it into a practice
:class:`~coursekit.core.exercises.Scenario`, one step per problem, so it runs through the existing exercise
renderer in JupyterLab and in the book without any new front-end code.

Each pick earns 2 (the best course), 1 (defensible, with a real cost) or 0 (defensible on its face, but it
works against the aim). There are no strawmen: every pick is something a real delegation might propose, and
its consequence says what it costs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.exercises import Scenario, ScenarioOption, ScenarioStep
from . import content

BEST, PARTIAL, WEAK = 2, 1, 0
#: What a data file writes for each worth (``worth: best``), and the points it earns.
WORTH = {"best": BEST, "partial": PARTIAL, "weak": WEAK}


@dataclass(frozen=True)
class Pick:
    """One course of action: what the participant may choose, what follows, and why it earns its points."""

    value: str
    text: str
    consequence: str
    points: int


@dataclass(frozen=True)
class Problem:
    """A situation and the courses of action open to the participant."""

    id: str
    title: str
    situation: str
    picks: tuple[Pick, ...]

    def best(self) -> Pick:
        """The one pick worth full points."""
        return max(self.picks, key=lambda p: p.points)


def problems_in(problems: tuple[Problem, ...]) -> list[str]:
    """What is wrong with a chooser's data, one sentence each (an empty list when it is sound).

    Rules: unique ids; 2-4 picks each with a consequence; exactly one best pick (2 points) and at least one
    pick that is not best; points only 0, 1 or 2.
    """
    found: list[str] = []
    ids = [p.id for p in problems]
    if len(set(ids)) != len(ids):
        found.append("problem ids are not unique")
    for problem in problems:
        where = f"problem {problem.id!r}"
        if not 2 <= len(problem.picks) <= 4:
            found.append(f"{where} needs 2 to 4 picks")
        values = [p.value for p in problem.picks]
        if len(set(values)) != len(values):
            found.append(f"{where} has duplicate pick values")
        if sum(p.points == BEST for p in problem.picks) != 1:
            found.append(f"{where} needs exactly one best pick")
        if any(p.points not in (BEST, PARTIAL, WEAK) for p in problem.picks):
            found.append(f"{where} has points other than 0, 1 or 2")
        if any(not p.text.strip() or not p.consequence.strip() for p in problem.picks):
            found.append(f"{where} has a pick without text or consequence")
    return found


def best_is_longest_share(problems: tuple[Problem, ...]) -> float:
    """Share of problems where the best pick is strictly the longest text (a test-wiseness cue to keep low)."""
    if not problems:
        return 0.0
    hits = 0
    for problem in problems:
        best = problem.best()
        if all(len(best.text) > len(p.text) for p in problem.picks if p is not best):
            hits += 1
    return hits / len(problems)


def to_scenario(
    exercise_id: str, prompt: str, problems: tuple[Problem, ...], outcomes: list[str], debrief: str
) -> Scenario:
    """A practice Scenario with one step per problem, in order; every pick leads to the next problem."""
    wrong = problems_in(problems)
    if wrong:
        raise ValueError("; ".join(wrong))
    steps = []
    for n, problem in enumerate(problems):
        following = problems[n + 1].id if n + 1 < len(problems) else None
        steps.append(
            ScenarioStep(
                problem.id,
                f"**{problem.title}.** {problem.situation}",
                tuple(
                    ScenarioOption(p.text, p.consequence, next_step=following, points=float(p.points), value=p.value)
                    for p in problem.picks
                ),
            )
        )
    return Scenario(
        id=exercise_id, prompt=prompt, start=problems[0].id, steps=tuple(steps), debrief=debrief, outcomes=outcomes
    )


def best_path(problems: tuple[Problem, ...]) -> list[list[str]]:
    """The answer (a Scenario path) that takes the best pick at every problem."""
    return [[problem.id, problem.best().value] for problem in problems]


@dataclass(frozen=True)
class Chooser:
    """A chooser as its data file states it: the exercise id, outcomes, prompt, debrief and problems."""

    id: str
    outcomes: tuple[str, ...]
    prompt: str
    debrief: str
    problems: tuple[Problem, ...]

    def scenario(self) -> Scenario:
        """The chooser as a practice Scenario (one step per problem)."""
        return to_scenario(self.id, self.prompt, self.problems, list(self.outcomes), self.debrief)

    def best_answer(self) -> list[list[str]]:
        """The path that takes the best pick at every problem."""
        return best_path(self.problems)


def load_chooser(topic: str, file: str) -> Chooser:
    """The chooser in the data file ``file`` of ``topic``, checked by its schema and by :func:`problems_in`."""
    data = content.load(topic, file, "chooser")
    problems = tuple(
        Problem(
            p["id"],
            p["title"],
            p["situation"],
            tuple(Pick(k["value"], k["text"], k["consequence"], WORTH[k["worth"]]) for k in p["picks"]),
        )
        for p in data["problems"]
    )
    wrong = problems_in(problems)
    if wrong:
        raise content.refuse(
            topic, file, [f"problems: {w}; correct the `worth:` or `value:` lines there" for w in wrong]
        )
    return Chooser(data["id"], tuple(data["outcomes"]), data["prompt"], data["debrief"], problems)
