"""The tables and the figure of topic 3 (threats), built from the incidents and attributions data sets.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function takes the data sets the notebook has loaded and returns what it shows, with its caption
(and alt text), so ``show_figure(*attribution_lag_chart(incidents, attributions))`` displays it unchanged.
"""

from __future__ import annotations

from typing import Any

from ..render.figures import FigureParts, TableParts
from .incident_analysis import count_labels, first_public_attribution, plot_attribution_lag


def incidents_by_year_table(incidents: Any) -> TableParts:
    """How many incidents began each year, and which (incidents without a start date are left out)."""
    years = incidents.dropna(subset=["start_date"]).assign(year=lambda d: d["start_date"].dt.year)
    by_year = years.groupby("year").agg(incidents=("name", "count"), names=("name", "; ".join)).reset_index()
    return TableParts(
        by_year,
        "Incidents in the course data by the year they began (or were discovered or disclosed). Operation Cloud "
        "Hopper has no start date in the data and is not counted.",
    )


def techniques_table(incidents: Any) -> TableParts:
    """How many incidents used each technique, as coded in the data."""
    return TableParts(
        count_labels(incidents["technique"], label="technique"),
        "Incidents in the course data by technique, as coded in the data. Several incidents (among them Sony "
        "Pictures, WannaCry and the Bundestag hack) have no technique recorded and are not counted.",
    )


def attribution_lag_chart(incidents: Any, attributions: Any) -> FigureParts:
    """Days from each incident to its first public attribution; approximate gaps hatched and marked '~'."""
    lags = first_public_attribution(incidents, attributions)
    fig = plot_attribution_lag(lags, title="How long until the first public attribution?")
    return FigureParts(
        fig,
        "Horizontal bar chart, one bar per incident in date order. Estonia 2007 and Stuxnet have no bar and are "
        "labelled 'no public attribution by a government'. Colonial Pipeline: 3 days. Sony Pictures: 25 days. "
        "Viasat KA-SAT: 75 days. SolarWinds: 123 days. WannaCry: a hatched bar marked '~203 days', approximate "
        "because the data records the December 2017 attribution only to the month (about seven months). NotPetya: "
        "233 days. The Ukraine grid attacks, the OPCW attempt and the Bundestag hack show bars of about 850 to 2,100 "
        "days, because their first recorded attribution is an EU sanctions listing. Operation Cloud Hopper is "
        "labelled 'attributed, but no start date recorded'.",
        "Days from the start (or discovery or disclosure) of each incident to the first public attribution recorded "
        "in the course data. Long bars for the grid, OPCW and Bundestag cases reflect what the data records (the EU "
        "listings of 2020), not necessarily the first time any government spoke. Hatched bars marked '~' are "
        "approximate: for WannaCry the data records the attribution only to the month (the US and UK statements of "
        "18–19 December 2017 came about seven months after the attack of 12 May 2017).",
    )
