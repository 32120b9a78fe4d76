"""Topic 2's forum chooser: internet-governance problems, the forums and approaches open to a diplomat, and
what each choice leads to.

Why it exists: in internet governance the first decision is often *where* to take a problem, and forum
shopping is the main game. The five problems are invented composites; the institutional facts they rest on
(what ICANN's Governmental Advisory Committee can do, the Schrems judgments, Human Rights Council resolution
32/13, WCIT-12) come from the course's fact base and are cited in the notebook. The problems, picks and consequences
are in ``notebooks/02-environment/forum-chooser.yaml``; the participant sees them as a practice Scenario built by
:func:`scenario`.
"""

from __future__ import annotations

from ..core.exercises import Scenario
from .choosers import Chooser, Problem, load_chooser

TOPIC = "02-environment"
DATA_FILE = "forum-chooser.yaml"


def chooser() -> Chooser:
    """The chooser as the course's data file states it."""
    return load_chooser(TOPIC, DATA_FILE)


def problems() -> tuple[Problem, ...]:
    """The chooser's problems, in order."""
    return chooser().problems


def scenario() -> Scenario:
    """The chooser as a practice Scenario (one step per problem)."""
    return chooser().scenario()


def best_answer() -> list[list[str]]:
    """The path that takes the best forum and approach in every situation."""
    return chooser().best_answer()
