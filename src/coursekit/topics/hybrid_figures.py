"""The table and the timeline of topic 10 (hybrid threats and disinformation), built from the course data.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption (and alt text), so
``show_figure(*hybrid_instruments_chart())`` displays it unchanged.
"""

from __future__ import annotations

from typing import Any

from ..data import datasets
from ..render.figures import FigureParts, TableParts
from .timeline import timeline_figure

#: How a date is written for each precision the data set records.
_DATE_FORMATS = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}


def _topic_instruments() -> Any:
    """The instruments tagged with topic 10, in date order, with their date written to its precision."""
    instruments = datasets.load("instruments")
    mine = (
        instruments[instruments["topics"].str.split(";").apply(lambda t: "10" in t)]
        .sort_values("date")
        .reset_index(drop=True)
    )
    mine["when"] = [d.strftime(_DATE_FORMATS[p]).lstrip("0") for d, p in zip(mine["date"], mine["date_precision"])]
    return mine


def hybrid_instruments_table() -> TableParts:
    """The topic's instruments, one per row, with 'as reported' and 'after the course' marked in words."""
    import pandas as pd

    mine = _topic_instruments()
    view = pd.DataFrame(
        {
            "Date": mine["when"],
            "Body": mine["body"],
            "Document": mine["symbol"].fillna("(no symbol)"),
            "What": mine["title"] + [" (as reported)" if c == "M" else "" for c in mine["confidence"]],
            "After the course": mine["after_course"].map({True: "yes, update", False: "no"}),
        }
    )
    return TableParts(
        view,
        "EU and partner instruments on hybrid threats and disinformation in the course data set, in date order.",
    )


def hybrid_instruments_chart() -> FigureParts:
    """The same instruments on a timeline; the alt text reads every label, noting those after the course."""
    import pandas as pd

    mine = _topic_instruments()
    labels = []
    for _, row in mine.iterrows():
        name = row["symbol"] if pd.notna(row["symbol"]) and not row["symbol"][0].isdigit() else row["title"]
        name += " (as reported)" if row["confidence"] == "M" else ""
        labels.append(f"{row['when']}: {name}")
    fig = timeline_figure(
        mine.assign(chart_label=labels),
        label="chart_label",
        title="EU responses to hybrid threats and disinformation",
    )
    return FigureParts(
        fig,
        f"Timeline of {len(mine)} instruments, one per row, in date order: "
        + "; ".join(lab + (" (after the course)" if a else "") for lab, a in zip(labels, mine["after_course"]))
        + ".",
        "Most of the EU's framework against hybrid threats and disinformation was in place by 2020; the strengthened "
        "Code of Practice and the link between the Cyber Diplomacy Toolbox and FIMI came after the course (hollow "
        "diamonds, labels ending '(update)').",
    )
