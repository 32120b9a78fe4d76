"""The figure and tables of topic 8 (the NIS Directives), built from the course's data set and deadline rules.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption (and alt text), so
``show_figure(*sector_chart())`` displays it unchanged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..core.dates import display_date
from ..data import datasets
from ..render.figures import FigureParts, TableParts
from .figure_text import words
from .nis2_deadlines import reporting_deadlines
from .nis2_explorer import examples_table

#: The three ways a NIS2 sector relates to NIS1, in the order the chart stacks them.
STATUSES = ("covered by NIS1", "partly covered by NIS1", "new in NIS2")

#: The topic's hypothetical water utility: when it became aware of the incident and sent its notification.
WATER_UTILITY_AWARE = datetime(2025, 3, 3, 8, 0)
WATER_UTILITY_NOTIFIED = datetime(2025, 3, 5, 11, 0)

#: the folder of this topic's notebook and its figures.yaml
TOPIC = "08-nis"


def _status(group: Any) -> str:
    """A sector is 'partly' covered when NIS1 covered some of its subsectors but not all."""
    if group.all():
        return "covered by NIS1"
    if group.any():
        return "partly covered by NIS1"
    return "new in NIS2"


def _by_sector() -> Any:
    """One row per NIS2 sector: its annex and its status against NIS1."""
    sectors = datasets.load("nis2_sectors")
    return (
        sectors.groupby(["annex", "sector"], observed=True, sort=False)["in_nis1"]
        .apply(_status)
        .reset_index(name="status")
    )


def sector_chart() -> FigureParts:
    """Stacked bars per annex: sectors NIS1 covered, partly covered, or that are new (hatching, not colour)."""
    import matplotlib.pyplot as plt

    by_sector = _by_sector()
    order = list(STATUSES)
    counts = (
        by_sector.groupby(["annex", "status"], observed=True)
        .size()
        .unstack(fill_value=0)
        .reindex(columns=order, fill_value=0)
    )

    fig, ax = plt.subplots(figsize=(8, 2.8))
    hatches = {"covered by NIS1": "", "partly covered by NIS1": "..", "new in NIS2": "//"}
    left = [0] * len(counts)
    labels = [f"Annex {a}" for a in counts.index]
    for name in order:
        values = counts[name].tolist()
        bars = ax.barh(
            labels, values, left=left, height=0.5, color="white", edgecolor="black", hatch=hatches[name], label=name
        )
        for bar, v, start in zip(bars, values, left):
            if v:  # the count sits just above its segment, never over a pattern
                ax.annotate(
                    str(v),
                    (start + v / 2, bar.get_y()),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                )
        left = [start + v for start, v in zip(left, values)]
    ax.set_ylim(len(counts) - 0.6, -0.75)  # top to bottom, with room above the first bar for its counts
    ax.set_xlabel("Number of sectors")
    ax.set_title("NIS2 sectors by annex: already covered by NIS1, or new")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    alt = "Stacked horizontal bars, one per annex. " + " ".join(
        f"Annex {a}: " + ", ".join(f"{counts.loc[a, s]} {s}" for s in order) + "." for a in counts.index
    )
    return FigureParts(fig, alt, words(TOPIC, "sector_chart").caption)


def sector_table() -> TableParts:
    """Every NIS2 sector with its annex and whether NIS1 covered it (the chart's data, sector by sector)."""
    listing = _by_sector().rename(columns={"annex": "Annex", "sector": "Sector", "status": "NIS1 coverage"})
    return TableParts(listing, words(TOPIC, "sector_table").caption)


def water_utility_deadlines_table() -> TableParts:
    """The NIS2 Art. 23(4) reporting deadlines for the topic's hypothetical water utility."""
    import pandas as pd

    deadlines = reporting_deadlines(WATER_UTILITY_AWARE, notification_submitted_at=WATER_UTILITY_NOTIFIED)
    return TableParts(
        pd.DataFrame(deadlines.rows()),
        words(TOPIC, "water_utility_deadlines_table").caption,
    )


def nis_instruments_table() -> TableParts:
    """The checked (confidence H) instruments of topic 8 in date order, updates since the course marked."""
    instruments = datasets.load("instruments")
    on_topic = instruments[
        instruments["topics"].fillna("").str.split(";").apply(lambda t: "8" in t) & (instruments["confidence"] == "H")
    ].copy()
    on_topic["When"] = [display_date(d, p, short=True) for d, p in zip(on_topic["date"], on_topic["date_precision"])]
    on_topic["Status"] = on_topic["after_course"].map({True: "after the course (update)", False: "before the course"})
    timeline = (
        on_topic.sort_values("date")[["When", "title", "symbol", "Status"]]
        .rename(columns={"title": "What", "symbol": "Instrument"})
        .fillna("-")
    )
    return TableParts(
        timeline,
        words(TOPIC, "nis_instruments_table").caption,
    )


#: The topic's six hypothetical entities (size in employees and EUR million), to be classified under NIS2.
EXAMPLE_ENTITIES = (
    {
        "name": "Regional hospital",
        "sector": "health",
        "subsector": None,
        "employees": 800,
        "turnover_eur_m": 90,
        "balance_sheet_eur_m": 60,
    },
    {
        "name": "Municipal water utility",
        "sector": "drinking water",
        "subsector": None,
        "employees": 150,
        "turnover_eur_m": 20,
        "balance_sheet_eur_m": 30,
    },
    {
        "name": "Parcel delivery firm",
        "sector": "postal and courier services",
        "subsector": None,
        "employees": 70,
        "turnover_eur_m": 8,
        "balance_sheet_eur_m": 5,
    },
    {
        "name": "Small university lab",
        "sector": "research",
        "subsector": None,
        "employees": 30,
        "turnover_eur_m": 3,
        "balance_sheet_eur_m": 2,
    },
    {
        "name": "Ministry IT agency",
        "sector": "public administration",
        "subsector": None,
        "employees": 40,
        "turnover_eur_m": 4,
        "balance_sheet_eur_m": 3,
        "special_type": "central government public administration",
    },
    {
        "name": "DNS service provider",
        "sector": "digital infrastructure",
        "subsector": None,
        "employees": 12,
        "turnover_eur_m": 2,
        "balance_sheet_eur_m": 1,
        "special_type": "DNS service provider",
    },
)


def example_entities_table() -> TableParts:
    """The six hypothetical entities as the course's NIS2 classifier sorts them."""
    return TableParts(
        examples_table([dict(entity) for entity in EXAMPLE_ENTITIES]),
        words(TOPIC, "example_entities_table").caption,
    )
