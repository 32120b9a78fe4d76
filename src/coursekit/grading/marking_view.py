"""The marking view: one written item, every participant's answer in turn, marked by rubric level from the keyboard.

Drawn by the course's one renderer (``static/coursekit-exercise.js``, its ``mountMarking``), so it has the
exercises' labels, focus ring and shortcut guard. The page shows what Python sends in ``screen`` and sends
what the instructor did as one message per request; :class:`~coursekit.grading.marking.MarkingSession` does the
marking and writes every mark to the gradebook at once.

Anonymous by default: while names are hidden the page is never sent a participant's id or name (only
"Participant 3 of 25"), so nothing on screen or in the saved notebook gives them away. A participant's text
reaches the page as text and is drawn with ``textContent``: markup in it stays visible characters.

Open it from a notebook in the course root's ``marking/`` folder (``coursekit mark TOPIC`` writes one)::

    from coursekit.grading.marking_view import mark_by_question
    mark_by_question("07-norms", "topic07-norms-written", course="..")
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..core.store import ANSWERS_FILENAME, read_answers_file
from ..render.spec import answer_ping, markdown_to_html, static_file
from .course import Course, CourseError
from .marking import Answer, MarkingRecord, MarkingSession, gradebook_writer, near_copies, record_path, similar_order

ORDERS = ("similar", "shuffled")


def _position_key(topic: str, item_id: str, student: str) -> str:
    """A stable order that is not the roster's (alphabetical order would hint at who wrote what)."""
    return hashlib.sha256(f"{topic}\x1f{item_id}\x1f{student}".encode()).hexdigest()


def class_answers(course: Course, topic: str, item_id: str) -> list[Answer]:
    """Every submitted participant's answer to ``item_id``, from their collected answers file.

    Participants come from the gradebook (those with a submission of ``topic``); a missing, damaged or
    non-text answer gives an empty text, said in words by the view, never an error.
    """
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        people = [
            (s.student.id, " ".join(p for p in (s.student.first_name, s.student.last_name) if p))
            for s in gb.assignment_submissions(topic)
        ]
    answers = []
    for student, name in people:
        saved = read_answers_file(course.submitted / student / topic / ANSWERS_FILENAME).answers.get(item_id)
        text = saved.value if saved is not None and isinstance(saved.value, str) else ""
        answers.append(Answer(student, name or student, text))
    return sorted(answers, key=lambda a: _position_key(topic, item_id, a.student))


class MarkingView(anywidget.AnyWidget):
    """The marking view's widget: ``screen`` and ``notice`` (Python → page); requests come as messages."""

    _esm = static_file("coursekit-exercise.js")
    _css = static_file("coursekit-exercise.css")
    screen = traitlets.Dict().tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)

    def __init__(self, session: MarkingSession, *, topic: str, model_answer: str = "", order: str = "similar") -> None:
        if order not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
        if order == "similar":
            session.answers = similar_order(session.answers)
        self.session, self.topic, self.model_answer = session, topic, model_answer
        self.index, self.show_names = 0, False
        self.copies = near_copies(session.answers)
        super().__init__(screen=self.build_screen(0))
        self.on_msg(answer_ping)
        self.on_msg(self._message)

    def build_screen(self, seq: int) -> dict[str, Any]:
        """What the page draws for the current answer (names and ids only when they are shown)."""
        s, answers = self.session, self.session.answers
        if not answers:
            return {"title": self._title(), "empty": "No participant has submitted this topic yet.", "seq": seq}
        answer = answers[self.index]
        done, total = s.progress()
        position = {a.student: n + 1 for n, a in enumerate(answers)}
        chosen = s.chosen(answer.student)
        copies = [f"{position[c]}" for c in self.copies.get(answer.student, [])]
        return {
            "title": self._title(),
            "prompt_html": markdown_to_html(s.exercise.prompt),
            "model_answer": self.model_answer,
            "index": self.index,
            "count": len(answers),
            "position": f"Participant {self.index + 1} of {len(answers)}",
            "who": f"{answer.name} ({answer.student})" if self.show_names else "",
            "show_names": self.show_names,
            "text": answer.text,
            "text_note": "" if answer.text.strip() else "No written answer was found in this submission.",
            "flag": "The answer changed after it was marked (a resubmission): look at it again and choose its levels."
            if s.needs_second_look(answer.student)
            else "",
            "copies": ("Near-identical to participant " + ", ".join(copies) + ".") if copies else "",
            "criteria": [
                {
                    "name": c.criterion,
                    "points": float(c.points),
                    "levels": [{"label": lv.label, "points": lv.points} for lv in s.levels(n)],
                    "chosen": chosen[n],
                }
                for n, c in enumerate(s.exercise.rubric)
            ],
            "score": s.score(answer.student),
            "max": float(s.exercise.points),
            "comment": s.item.comments.get(answer.student, ""),
            "bank": [
                {"criterion": n, "name": s.exercise.rubric[n].criterion, "text": text} for n, text in s.bank_entries()
            ],
            "progress": f"{done} of {total} marked",
            "seq": seq,
        }

    def _title(self) -> str:
        return f"Marking {self.session.exercise.id} ({self.topic}) by question"

    def _message(self, widget: Any, content: Any, buffers: Any = None) -> None:
        """The page's requests come as messages, one each: a synced trait set several times between two
        kernel replies would reach Python once, with the last value only (ipywidgets throttles state updates),
        and four quick number keys would lose three levels."""
        if isinstance(content, dict) and content.get("type") == "marking" and isinstance(content.get("request"), dict):
            self.handle(content["request"])

    def handle(self, request: dict[str, Any]) -> None:
        """Do one request of the page, then send the new screen (with a notice if it was refused)."""
        try:
            self.act(request)
            self.notice = ""
        except (ValueError, TypeError, KeyError, OSError) as err:
            self.notice = f"Not done: {err}."
        self.screen = self.build_screen(int(request.get("seq", 0) or 0))

    def act(self, request: dict[str, Any]) -> None:
        """Do what the page asked: choose a level, comment, bank, move, show names or change a level's points."""
        s, action = self.session, request.get("action")
        if action == "names":
            self.show_names = bool(request.get("show"))
            return
        if not s.answers:
            return
        if action == "go":
            self.index = max(0, min(int(request["index"]), len(s.answers) - 1))
            return
        if action == "points":
            s.set_level_points(int(request["criterion"]), int(request["level"]), float(request["points"]))
            return
        if action == "bank-add":
            s.add_to_bank(int(request["criterion"]), str(request["text"]))
            return
        student = s.answers[int(request.get("index", self.index))].student
        if action == "level":
            s.choose(student, int(request["criterion"]), int(request["level"]))
        elif action == "comment":
            s.comment(student, str(request["text"]))
        elif action == "bank-insert":
            s.insert_from_bank(student, int(request["entry"]))
        else:
            raise ValueError(f"unknown action {action!r}")


def mark_by_question(
    topic: str, item: str | None = None, course: str | Path = ".", order: str = "similar"
) -> MarkingView:
    """The marking view for written item ``item`` of ``topic`` (the topic's only written item if None).

    ``course`` is the course root (with ``nbgrader_config.py``); marks go to its gradebook, levels and the
    comment bank to ``marking/<topic>.json`` there. ``order``: "similar" (similar answers together) or
    "shuffled" (a fixed order that is not the roster's).
    """
    from .plans import load_plan

    root = Course(Path(course))
    topic = root.check_topics([topic])[0]
    plan = load_plan(root.source_notebook(topic))
    written = [i for i in plan.graded_ids if i in plan.manual]
    if item is None and len(written) == 1:
        item = written[0]
    if item not in written:
        auto = " (it is scored automatically: it is not marked by hand)" if item in plan.keyed else ""
        raise CourseError(
            f"{item!r} is not a written item of {topic}{auto}. Written items: {', '.join(written) or 'none'}."
        )
    exercise = plan.all_exercises[item]
    write = gradebook_writer(root.db_url, root.course_id, topic, Path(plan.notebook).stem, item)
    session = MarkingSession(
        exercise, class_answers(root, topic, item), MarkingRecord(record_path(root.root, topic)), write
    )
    hidden = plan.hidden.get(item)
    return MarkingView(session, topic=topic, model_answer=hidden.model_answer if hidden else "", order=order)


def write_marking_notebook(course: Course, topic: str, item: str | None = None) -> Path:
    """Write ``marking/mark-<topic>.ipynb`` in the course root: one cell that opens the marking view.

    Why a notebook: the view is a widget, and JupyterLab (the instructor's, with formgrader) is where it
    runs. The file holds no mark and no answer (they are in the gradebook and the marking record); it is
    rewritten without outputs each time, so a saved notebook never carries participants' texts.
    """
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from ..core import atomic

    topic = course.check_topics([topic])[0]
    call = f"mark_by_question({topic!r}, {item!r}, course={str(course.root)!r})"
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                f"# Marking {topic} by question\nRun the cell below, then click the marking view and mark with the "
                "keys shown under it. Every mark is saved in the gradebook as you go."
            ),
            new_code_cell(f"from coursekit.grading.marking_view import mark_by_question\n\n{call}"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    path = course.root / "marking" / f"mark-{topic}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(path, nbformat.writes(nb))
    return path
