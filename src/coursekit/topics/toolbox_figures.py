"""The tables and the figure of topic 11 (the EU cyber diplomacy toolbox), built from the course's data sets.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption (and alt text), so
``show_table(*sanctions_table())`` displays it unchanged.
"""

from __future__ import annotations

from typing import Any

from ..core.dates import display_date
from ..data import datasets
from ..render.figures import FigureParts, TableParts
from .figure_text import words
from .timeline import wrap_label

#: the folder of this topic's notebook and its figures.yaml
TOPIC = "11-toolbox"


def _listings() -> tuple[Any, str]:
    """The EU cyber sanctions listings with the name of each one's main linked incident, and the data's date."""
    sanctions = datasets.load("eu_cyber_sanctions")
    incidents = datasets.load("incidents")
    incident_names = dict(zip(incidents["id"], incidents["name"]))
    listings = sanctions.assign(incident=sanctions["incident_id"].map(incident_names))
    return listings, listings["as_of"].max().strftime("%d %B %Y")


def sanctions_table() -> TableParts:
    """The 2020 listings, one row per person or entity, with the incident each is mainly linked to."""
    listings, as_of = _listings()
    shown = listings.assign(listed=listings["date_listed"].dt.strftime("%d %b %Y"))[
        ["listed", "name", "listing_type", "incident", "legal_act"]
    ]
    shown.columns = ["Listed on", "Person or entity", "Type", "Main linked incident", "Legal act"]
    return TableParts(
        shown,
        words(TOPIC, "sanctions_table", as_of=as_of).caption,
    )


def listings_chart() -> FigureParts:
    """Persons (solid) and entities (hatched) listed per main linked incident, latest listing on top."""
    import matplotlib.pyplot as plt

    listings, as_of = _listings()
    counts = (
        listings.groupby(["incident", "listing_type"], observed=False)
        .size()
        .unstack(fill_value=0)
        .reindex(columns=["person", "entity"], fill_value=0)
    )
    first_listed = listings.groupby("incident")["date_listed"].min()
    order = first_listed.sort_values(ascending=False, kind="stable").index
    counts, first_listed = counts.loc[order], first_listed.loc[order]

    fig, ax = plt.subplots(figsize=(6.4, 4))  # the book's column width, 10 pt text: legible there and on a phone
    ax.barh(counts.index, counts["person"], color="0.35", edgecolor="black", label="Persons (solid)")
    ax.barh(
        counts.index,
        counts["entity"],
        left=counts["person"],
        color="white",
        edgecolor="black",
        hatch="//",
        label="Entities (hatched)",
    )
    for y, (name, total) in enumerate(counts.sum(axis=1).items()):
        ax.text(total + 0.08, y, f"{total} listed on {first_listed[name]:%d %b %Y}", va="center", fontsize=10)
    ax.set_xlabel("Number of persons and entities listed")
    ax.set_xlim(0, counts.sum(axis=1).max() + 3.4)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title("EU cyber sanctions listings of 2020,\nby main linked incident", fontsize=11)
    ax.set_yticks(range(len(counts)), [wrap_label(name, 18) for name in counts.index])
    ax.tick_params(labelsize=10)
    ax.legend(loc="lower right", fontsize=10)
    return FigureParts(
        fig,
        words(TOPIC, "listings_chart", as_of=as_of).alt,
        words(TOPIC, "listings_chart", as_of=as_of).caption,
    )


def listing_delay_table() -> TableParts:
    """For each incident cited in an EU listing: its date, the first national attribution, the listing, the gap."""
    import pandas as pd

    incidents = datasets.load("incidents")
    attributions = datasets.load("attributions")
    national = attributions[(attributions["attributing_party"] != "European Union") & attributions["date"].notna()]
    eu_listed = attributions[
        (attributions["attributing_party"] == "European Union") & (attributions["method"] == "sanction")
    ]
    listed_on = eu_listed.groupby("incident_id")["date"].min()

    rows = []
    for _, inc in incidents[incidents["id"].isin(listed_on.index)].iterrows():
        listed = listed_on[inc["id"]]
        earlier = national[national["incident_id"] == inc["id"]].sort_values("date")
        if earlier.empty:
            first = "none in the course data"
        else:
            day = earlier["date"].iloc[0]
            parties = ", ".join(sorted(earlier.loc[earlier["date"] == day, "attributing_party"]))
            first = f"{parties}, {display_date(day, earlier['date_precision'].iloc[0], short=True)}"
        if pd.isna(inc["start_date"]):
            started, gap = "date not in the course data", "n/a"
        else:
            started = display_date(inc["start_date"], inc["date_precision"], short=True)
            if inc["date_precision"] == "year":
                gap = f"about {listed.year - inc['start_date'].year}"
            else:
                months = (listed.year - inc["start_date"].year) * 12 + listed.month - inc["start_date"].month
                gap = f"{months / 12:.1f}"
        rows.append(
            {
                "Incident": inc["name"],
                "Incident date": started,
                "First national attribution (course data)": first,
                "EU listing": f"{listed:%d %b %Y}",
                "Years from incident to listing": gap,
            }
        )
    return TableParts(
        pd.DataFrame(rows),
        words(TOPIC, "listing_delay_table").caption,
    )
