"""The order in which an exercise's options are shown: shuffled per participant and per exercise, and stable.

Why: when every participant sees the options in the author's order, the position of the right option can
become a cue, and two participants side by side see the same screen. So each
participant sees every choice list (the options of a single or multiple choice, the right-hand column of
a matching, the options of each scenario step, the starting order of an ordering) in an order of their
own, the same every time they open the notebook. Answers, scores, feedback and analytics all work by
option value, so the order changes nothing else.

The order is computed here, in Python only, and handed to the page in the exercise's specification
(:func:`coursekit.render.spec.exercise_spec`); the page draws what it is given.

The shuffle, written out so that anyone can reproduce an order: Fisher-Yates from the last position down;
for position ``i`` (``n - 1`` down to ``1``) the place ``j`` to swap with is the first eight bytes of
``SHA-256("{seed}\\x1f{exercise id}\\x1f{part}\\x1f{i}")`` (UTF-8), read as a big-endian integer, modulo
``i + 1``. ``part`` names the list within the exercise (``choices``, ``right``, ``items`` or a scenario
step's id). Nothing depends on Python's ``random`` module, so the order does not change with the Python
version.

Seeds: the participant's (see :func:`participant_seed`: their hub user name, or a random seed kept in their
answers file); the feedback page takes the one in the submitted answers file, else the student id. The
compiled book uses :data:`BOOK_SEED`, so its order is fixed per exercise id and equal across builds.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from typing import Sequence, TypeVar

from .exercises import Exercise, Matching, MultipleSelect, Ordering, Scenario, SingleChoice

T = TypeVar("T")

BOOK_SEED = "book"
"""The seed of the compiled book: one fixed order per exercise, the same in every build."""


def _draw(seed: str, exercise_id: str, part: str, i: int) -> int:
    digest = hashlib.sha256(f"{seed}\x1f{exercise_id}\x1f{part}\x1f{i}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % (i + 1)


def shuffled(values: Sequence[T], seed: str, exercise_id: str, part: str) -> list[T]:
    """``values`` in the order ``seed`` gives them in ``exercise_id`` (the algorithm is in the module's docstring)."""
    out = list(values)
    for i in range(len(out) - 1, 0, -1):
        j = _draw(seed, exercise_id, part, i)
        out[i], out[j] = out[j], out[i]
    return out


def shown_orders(exercise: Exercise, seed: str) -> dict[str, list[str]]:
    """The order of each choice list of ``exercise`` for ``seed``, as option values (texts for matching and ordering).

    Keys: ``choices`` (single and multiple choice), ``right`` (matching), ``items`` (ordering), a step id
    (scenario). An ordering never starts in the key's order when the key is known (practice items, the
    grader): the shuffled list is then turned by one place, which for distinct items always differs.
    """
    eid = exercise.id
    if isinstance(exercise, (SingleChoice, MultipleSelect)):
        return {"choices": shuffled([c.value for c in exercise.choices], seed, eid, "choices")}
    if isinstance(exercise, Matching):
        return {"right": shuffled(list(exercise.right), seed, eid, "right")}
    if isinstance(exercise, Ordering):
        items = shuffled(list(exercise.items), seed, eid, "items")
        if exercise.key is not None and items == list(exercise.key):
            items = items[1:] + items[:1]
        return {"items": items}
    if isinstance(exercise, Scenario):
        return {s.id: shuffled([o.value for o in s.options], seed, eid, s.id) for s in exercise.steps}
    return {}


def arranged(things: Sequence[T], values: Sequence[str], order: Sequence[str]) -> list[T]:
    """``things`` (whose option values are ``values``, in the same order) rearranged into ``order``."""
    by_value = dict(zip(values, things))
    return [by_value[v] for v in order]


def identity_seed(user: str) -> str:
    """The seed of a participant the hub or nbgrader knows by name (JupyterHub user name = nbgrader student id)."""
    return f"user:{user}"


def participant_seed(stored: str | None) -> str:
    """The seed of the participant in this kernel: their hub identity, else the seed kept in their answers file,
    else a new random one (which the answers store keeps with their first answer).

    ``stored`` is the answers file's seed (:attr:`coursekit.core.store.AnswerStore.order_seed`). The hub's
    identity comes first, so that an answers file copied from someone else (an instructor's, released by
    mistake) cannot give a whole class one order.
    """
    user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if user and not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in user):
        return identity_seed(user[:200])
    return stored or secrets.token_hex(16)
