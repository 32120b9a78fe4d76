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

:func:`milestones` is the one function every topic uses to show its milestones: which instruments, how they
are labelled and the words around them come from the topic's ``figures.yaml`` (see
:mod:`coursekit.topics.figure_text`), so an author changes a milestone or a caption without touching Python.
"""

from __future__ import annotations

from typing import Any

from ..core.dates import display_date  # the course's one way of writing a date at its precision
from ..core.settings import settings
from ..render.figures import FigureParts, TableParts
from .figure_text import entry, fill

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


def milestones(topic: str, name: str) -> FigureParts | TableParts:
    """The milestones ``name`` of ``topic`` (``milestones.<name>`` in its ``figures.yaml``), as a chart or a table.

    ``topic`` is the topic's folder (``"05-capacity-building"``). Show the result with ``show_figure(*...)`` or
    ``show_table(*...)``. Texts may use ``{count}`` (items shown), ``{known}`` (known at the course), ``{later}``
    (updates since) and, on a chart, ``{items}`` (every label in order, "(after the course)" after updates).
    """
    from ..data import datasets
    from .timeline import timeline_figure

    spec = entry(topic, "milestones", name)
    chosen = _select(datasets.load("instruments"), spec["select"])
    later = int(chosen["after_course"].astype(bool).sum())
    values: dict[str, Any] = {"count": len(chosen), "known": len(chosen) - later, "later": later}
    where = f"milestones.{name}"
    if "table" in spec:
        table = spec["table"]
        return TableParts(
            _table(chosen, table["columns"]), fill(topic, f"{where}.table.caption", table["caption"], values)
        )
    chart = spec["chart"]
    style = chart["labels"]
    if style == "given":
        given = spec["select"].get("ids")
        if not isinstance(given, dict):
            from ..core.course_data import CourseDataError, find

            raise CourseDataError(
                str(find(topic, "figures.yaml")),
                [f"{where}.chart.labels: 'given' needs select.ids written as id: label pairs; write them so"],
            )
        chosen = chosen.assign(chart_label=[given[i] for i in chosen["id"]])
    elif style == "symbol-and-title":
        chosen = with_chart_labels(chosen)
    elif style == "dated":
        chosen = chosen.assign(chart_label=_dated_labels(chosen))
    label = "symbol" if style == "symbol-with-title" else "chart_label"
    fig = timeline_figure(chosen, title=chart["title"], label=label, with_title=style == "symbol-with-title")
    if style == "dated":
        values["items"] = "; ".join(
            text + (" (after the course)" if _flag(a) else "")
            for text, a in zip(chosen["chart_label"], chosen["after_course"])
        )
    return FigureParts(
        fig,
        fill(topic, f"{where}.chart.alt", chart["alt"], values),
        fill(topic, f"{where}.chart.caption", chart["caption"], values),
    )


def _select(instruments: Any, select: dict[str, Any]) -> Any:
    """The instruments ``select`` names (see the schema), oldest first (ties by id)."""
    mask = [True] * len(instruments)
    if "topic" in select:
        mask = [m and select["topic"] in topic_numbers(v) for m, v in zip(mask, instruments["topics"])]
    if "ids" in select:
        mask = [m and i in select["ids"] for m, i in zip(mask, instruments["id"])]
    if "body_starts_with" in select:
        mask = [m and str(b).startswith(select["body_starts_with"]) for m, b in zip(mask, instruments["body"])]
    if "confidence" in select:
        mask = [m and c == select["confidence"] for m, c in zip(mask, instruments["confidence"])]
    return instruments[mask].sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def _flag(value: Any) -> bool:
    """A true ``after_course`` cell (bool, or the text "true"); pandas' missing values count as false."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    try:
        return bool(value) and value == value
    except TypeError:  # pandas.NA refuses bool()
        return False


def _text(value: Any) -> str:
    import pandas as pd

    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _reported(confidence: Any) -> str:
    return " (as reported)" if confidence == "M" else ""


def _dated_labels(frame: Any) -> list[str]:
    """'<date>: <name>' per row: the symbol (unless it is a bare number) else the title; '(as reported)' if M."""
    labels = []
    for date, precision, symbol, title, confidence in zip(
        frame["date"], frame["date_precision"], frame["symbol"], frame["title"], frame["confidence"]
    ):
        symbol = _text(symbol)
        named = symbol if symbol and not symbol[0].isdigit() else _text(title)
        labels.append(f"{display_date(date, precision, short=True)}: {named}{_reported(confidence)}")
    return labels


def _table(frame: Any, columns: str) -> Any:
    """The table of ``frame`` in one of the schema's column sets."""
    import pandas as pd

    if columns == "readable":
        return readable_table(frame)
    when = [display_date(d, p, short=True) for d, p in zip(frame["date"], frame["date_precision"])]
    if columns == "year-symbol-kind":
        return pd.DataFrame(
            {
                "year": frame["date"].dt.year,
                "symbol": [_text(s) or "-" for s in frame["symbol"]],
                "title": frame["title"],
                "kind": frame["kind"],
                "confidence": frame["confidence"],
            }
        )
    if columns == "date-body-document":
        return pd.DataFrame(
            {
                "Date": when,
                "Body": frame["body"],
                "Document": [_text(s) or "(no symbol)" for s in frame["symbol"]],
                "What": [f"{t}{_reported(c)}" for t, c in zip(frame["title"], frame["confidence"])],
                "After the course": ["yes, update" if _flag(a) else "no" for a in frame["after_course"]],
            }
        )
    return pd.DataFrame(  # date-document-status
        {
            "Date": when,
            "Document": frame["title"],
            "Reference": [_text(s) or "(no symbol)" for s in frame["symbol"]],
            "Status": ["update since the course" if _flag(a) else "known at the course" for a in frame["after_course"]],
        }
    )
