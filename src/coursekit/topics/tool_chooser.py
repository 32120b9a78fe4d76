"""Topic 1's tool chooser: situations a mission or ministry meets, the tools it could use (classic and
digital), and the trade-offs of each.

Why it exists: LO1 asks participants to identify the range of diplomatic tools, which in practice means
knowing which tool fits a situation and what it costs. The five situations are invented composites; the
real cases they echo (UN working methods in 2020, hacked official accounts, a minister's public appeal to a
company) are told, with their sources, in the notebook. The problems, picks and
consequences are in ``notebooks/01-introduction/tool-chooser.yaml``; shown as a practice Scenario built by :func:`scenario`.
"""

from __future__ import annotations

from ..core.exercises import Scenario
from .choosers import Chooser, Problem, load_chooser

TOPIC = "01-introduction"
DATA_FILE = "tool-chooser.yaml"


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
    """The path that takes the best tool in every situation."""
    return chooser().best_answer()
