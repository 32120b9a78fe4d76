"""The live exercise in JupyterLab: an anywidget whose front end is ``static/coursekit-exercise.js``.

Why anywidget: the page side is a plain ES module, the same one the compiled book runs, so JupyterLab and
the book show the same markup, keyboard behaviour and feedback from one source. The kernel side only keeps
the answers file: every answer the page gives arrives in the ``answer`` trait and is saved at once
(:class:`coursekit.core.store.AnswerStore`: atomic, restored after a restart or a reopen, read-only under
grading). Practice feedback is computed on the page by the same ``assess`` function as in the book; it is
equal to :func:`coursekit.core.feedback.feedback` (tested with generated answers for every practice exercise).

Building the widget only creates objects, so notebooks run headless (nbclient, nbval, the book build).
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from ..core.exercises import Exercise
from ..core.order import participant_seed
from ..core.store import AnswerStore, cannot_save_message, get_store
from .spec import answer_ping, exercise_spec, static_file

_UNFIT = "The saved answer no longer fits this exercise; answer again."
_READ_ONLY = "Read-only: answers are not saved while grading."


class ExerciseWidget(anywidget.AnyWidget):
    """One exercise on the page, bound to the notebook's answers store."""

    _esm = static_file("coursekit-exercise.js")
    _css = static_file("coursekit-exercise.css")
    spec = traitlets.Dict().tag(sync=True)
    answer = traitlets.Any(None, allow_none=True).tag(sync=True)
    saved_at = traitlets.Unicode("").tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)

    def __init__(self, exercise: Exercise, store: AnswerStore | None = None) -> None:
        store = store if store is not None else get_store()
        answer, saved_at, notice = None, "", store.problem or ""
        saved = store.get(exercise.id)
        if saved is not None:
            try:
                answer, saved_at = exercise.normalise_answer(saved.value), saved.saved_at
            except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
                notice = _UNFIT
        seed = participant_seed(store.order_seed)
        store.use_order_seed(seed)  # the same order for every exercise of this kernel, kept with the answers
        super().__init__(spec=exercise_spec(exercise, seed), answer=answer, saved_at=saved_at, notice=notice)
        self.exercise, self.store = exercise, store
        self.observe(self._answered, names="answer")
        self.on_msg(answer_ping)

    def _answered(self, change: dict[str, Any]) -> None:
        """Save what the page sent; an answer that does not fit the exercise is refused with a reason."""
        try:
            value = self.exercise.normalise_answer(change["new"])
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as err:
            self.notice = f"This answer was not saved: {err}."
            return
        previous = self.store.get(self.exercise.id)
        if previous is not None and previous.value == value:
            return
        try:
            saved = self.store.save(self.exercise.id, value)
        except OSError as err:
            self.notice = cannot_save_message(err)
            return
        # A problem with the answers file stays in sight (it is not undone by a later save); otherwise the
        # notice is cleared, since this save worked.
        self.notice = _READ_ONLY if self.store.read_only else (self.store.problem or "")
        self.saved_at = saved.saved_at
