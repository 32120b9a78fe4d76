"""Readable milestone tables for one course topic, drawn from the ``instruments`` data set.

Why this exists: several topic notebooks show "the instruments the course links to this topic" as a table
for readers who do not program. Doing that honestly takes three small steps that are easy to get wrong
inline in a notebook cell:

* selecting by topic must match whole topic numbers in the ``;``-separated ``topics`` column (topic 1 must
  not pick up rows of topics 10, 11 and 12);
* a date stored as ``2016-07-01`` with ``date_precision`` ``month`` means "July 2016", not the first of
  July; showing the full date would invent precision the fact base does not have;
* rows marked ``M`` (probably right, not checked against the primary source) and rows dated after the
  course (18-20 May 2022) must say so in words, so the reader does not take them as checked 2022 facts.

The functions take and return pandas DataFrames; pandas is imported lazily by the caller's data, never at
module import, so importing this module stays cheap.
"""

from __future__ import annotations

from typing import Any

from ..core.dates import display_date  # the course's one way of writing a date at its precision
from ..core.settings import settings

#: Words shown for the ``confidence`` marks of the data set.
CONFIDENCE_WORDS = {"H": "checked", "M": "reported, not checked against the primary source"}


def topic_numbers(value: Any) -> set[int]:
    """The topic numbers in a ``topics`` cell such as ``"2;5"``; blanks and stray spaces are ignored.

    >>> sorted(topic_numbers("2; 5"))
    [2, 5]
    """
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return set()
    numbers = set()
    for part in str(value).split(";"):
        part = part.strip()
        if part:
            if not part.isdigit():
                raise ValueError(f"topics cell {value!r} holds {part!r}, which is not a topic number")
            numbers.add(int(part))
    return numbers


def for_topic(frame: Any, topic: int) -> Any:
    """The rows of ``frame`` (shaped like ``instruments``) that belong to ``topic``, oldest first.

    Matching is on whole numbers, so topic 1 does not select rows tagged only 10, 11 or 12.
    """
    mask = [topic in topic_numbers(v) for v in frame["topics"]]
    return frame[mask].sort_values("date", kind="stable").reset_index(drop=True)


def readable_table(frame: Any) -> Any:
    """A table for readers: when (at its real precision), who, symbol, what, how sure, and whether it is an update.

    ``frame`` is shaped like ``instruments`` (for example the result of :func:`for_topic`). Returns a new
    DataFrame with the columns ``When``, ``Body``, ``Symbol``, ``What``, ``Confidence`` and ``Timing``.
    """
    import pandas as pd

    def _flag(value: Any) -> bool:
        if isinstance(value, str):
            return value.strip().lower() == "true"
        try:
            return bool(value) and value == value  # pandas NA/NaN count as False
        except TypeError:  # pandas.NA refuses bool()
            return False

    def _text(value: Any) -> str:
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)

    return pd.DataFrame(
        {
            "When": [display_date(d, p) for d, p in zip(frame["date"], frame["date_precision"])],
            "Body": [_text(v) for v in frame["body"]],
            "Symbol": [_text(v) for v in frame["symbol"]],
            "What": [_text(v) for v in frame["title"]],
            "Confidence": [CONFIDENCE_WORDS.get(_text(v), _text(v)) for v in frame["confidence"]],
            "Timing": [
                "update since the course" if _flag(v) else f"known at the course ({settings().course_month})"
                for v in frame["after_course"]
            ],
        }
    )


def with_chart_labels(frame: Any, column: str = "chart_label") -> Any:
    """A copy of ``frame`` with a ``column`` of labels that name the document and the step together.

    A symbol alone is ambiguous on a chart (the same treaty number marks its opening and its entry into
    force) and a title alone may not say whose act it is, so the label is ``"<symbol>: <title>"`` where a
    symbol exists and the title otherwise. Pass ``label=column`` to :func:`coursekit.topics.timeline.timeline_figure`.
    """
    out = frame.copy()

    def _clean(value: Any) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        text = str(value).strip()
        return "" if text in ("<NA>", "nan", "NaT") else text

    out[column] = [
        f"{_clean(s)}: {_clean(t)}" if _clean(s) else _clean(t) for s, t in zip(frame["symbol"], frame["title"])
    ]
    return out
