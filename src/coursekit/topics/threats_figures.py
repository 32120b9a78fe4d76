"""The tables and the figure of topic 3 (threats), built from the incidents and attributions data sets.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function takes the data sets the notebook has loaded and returns what it shows, with its caption
(and alt text), so ``show_figure(*attribution_lag_chart(incidents, attributions))`` displays it unchanged.
"""

from __future__ import annotations

from typing import Any

from ..render.figures import FigureParts, TableParts
from .figure_text import words
from .incident_analysis import (
    NO_ATTRIBUTION,
    NO_START_DATE,
    count_labels,
    first_public_attribution,
    plot_attribution_lag,
)

#: the folder of this topic's notebook and its figures.yaml
TOPIC = "03-threats"


def incidents_by_year_table(incidents: Any) -> TableParts:
    """How many incidents began each year, and which (incidents without a start date are left out)."""
    years = incidents.dropna(subset=["start_date"]).assign(year=lambda d: d["start_date"].dt.year)
    by_year = years.groupby("year").agg(incidents=("name", "count"), names=("name", "; ".join)).reset_index()
    return TableParts(
        by_year,
        words(TOPIC, "incidents_by_year_table").caption,
    )


def techniques_table(incidents: Any) -> TableParts:
    """How many incidents used each technique, as coded in the data."""
    return TableParts(
        count_labels(incidents["technique"], label="technique"),
        words(TOPIC, "techniques_table").caption,
    )


def attribution_lag_chart(incidents: Any, attributions: Any) -> FigureParts:
    """Days from each incident to its first public attribution; approximate gaps hatched and marked '~'.

    The alt text and the caption are written from the same table as the bars, so a corrected date in the data
    (such as the first attribution of the OPCW operation) changes the words as well as the figure.
    """
    lags = first_public_attribution(incidents, attributions)
    fig = plot_attribution_lag(lags, title="How long until the first public attribution?")
    return FigureParts(fig, _lag_alt_text(lags), _lag_caption(lags))


def _lag_alt_text(lags: Any) -> str:
    """One clause per bar, in the chart's order, with the number printed beside it."""
    clauses = []
    for _, row in lags.iterrows():
        name, days = row["incident"], row["days"]
        if row["attributed_by"] == NO_ATTRIBUTION:
            clauses.append(f"{name}: no bar, labelled '{NO_ATTRIBUTION}'")
        elif _missing(days):
            clauses.append(f"{name}: labelled '{NO_START_DATE}'")
        elif row["approximate"]:
            clauses.append(f"{name}: a hatched bar marked '~{int(days)} days', approximate")
        else:
            clauses.append(f"{name}: {int(days)} days")
    return "Horizontal bar chart, one bar per incident in date order. " + ". ".join(clauses) + "."


def _lag_caption(lags: Any) -> str:
    """What the bars measure, which are approximate, and which measure only to an EU sanctions listing."""
    approximate = [
        str(n) for n, a, d in zip(lags["incident"], lags["approximate"], lags["days"]) if a and not _missing(d)
    ]
    eu_only = [str(n) for n, by in zip(lags["incident"], lags["attributed_by"]) if by == "European Union"]
    caption = (
        "Days from the start (or discovery or disclosure) of each incident to the first public attribution recorded "
        "in the course data."
    )
    if eu_only:
        caption += (
            f" For {_join(eu_only)} the first attribution the data records is an EU sanctions listing of 2020, not "
            "necessarily the first time any government spoke."
        )
    if approximate:
        caption += (
            f" Hatched bars marked '~' ({_join(approximate)}) are approximate: one of the two dates is known only to "
            "the month or the year."
        )
    return caption


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))
