"""The participant's written work as a Word document they can take home, made offline with python-docx.

Why Word: participants are diplomats and civil servants; a .docx opens in the office software they use, can
be edited and filed, and python-docx writes it with no network and no office suite. The document holds the
course's title, the participant's name and date, then per topic their written answers (the capstone
included, marked as graded where it is) and their strategy log. Text that cannot stand in a Word file
(control characters) is dropped rather than failing the whole document.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from ..core import atomic
from ..core.dates import display_date
from .progress import TopicProgress

DOCUMENT_NAME = "my-course-work.docx"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARKUP = re.compile(r"(\*\*|__|\*|`)")


def _clean(text: str) -> str:
    """Text Word can hold: no control characters (XML 1.0 forbids them), Markdown emphasis marks dropped."""
    return _NOT_XML.sub("", text)


def _prompt(text: str) -> str:
    return _MARKUP.sub("", _clean(text)).strip()


def document_bytes(progress: list[TopicProgress], participant: str, course_title: str, today: date) -> bytes:
    """The .docx file's bytes."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = _clean(course_title)
    doc.core_properties.author = _clean(participant)
    doc.add_heading(_clean(course_title), level=0)
    doc.add_paragraph(f"The written work of {_clean(participant)}, as saved on {display_date(today)}.")
    kept = [t for t in progress if t.written or t.log_entry]
    if not kept:
        doc.add_paragraph("No written answers or strategy-log entries were saved yet.")
    for topic in kept:
        doc.add_heading(_clean(topic.title), level=1)
        for work in topic.written:
            doc.add_heading(("Graded: " if work.graded else "") + (_prompt(work.prompt) or work.exercise_id), level=2)
            for paragraph in re.split(r"\n\s*\n", _clean(work.text)):
                doc.add_paragraph(paragraph.strip())
        if topic.log_entry:
            doc.add_heading("Strategy log", level=2)
            for paragraph in re.split(r"\n\s*\n", _clean(topic.log_entry)):
                doc.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_document(
    progress: list[TopicProgress], participant: str, course_title: str, folder: Path, today: date | None = None
) -> Path:
    """Write :data:`DOCUMENT_NAME` in ``folder`` atomically (an older copy is replaced whole, never torn)."""
    data = document_bytes(progress, participant, course_title, today or date.today())
    return atomic.write_bytes(Path(folder) / DOCUMENT_NAME, data)
