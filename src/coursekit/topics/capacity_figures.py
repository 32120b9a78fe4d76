"""The tables and the timeline of topic 5 (capacity building), built from the course's data sets.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption (and alt text), so
``show_figure(*capacity_milestones_chart())`` displays it unchanged.
"""

from __future__ import annotations

from ..data import datasets
from ..render.figures import FigureParts, TableParts
from .milestones import for_topic, readable_table, with_chart_labels
from .timeline import timeline_figure


def capacity_milestones_table() -> TableParts:
    """The instruments of topic 5, oldest first, dated only as precisely as the sources allow."""
    return TableParts(
        readable_table(for_topic(datasets.load("instruments"), 5)),
        "Capacity-building instruments and milestones in the course data set (instruments table, topic 5), oldest "
        "first. Dates are given only as precisely as the sources allow; 'reported' rows are not yet checked against "
        "the primary source.",
    )


def capacity_milestones_chart() -> FigureParts:
    """The same instruments on a timeline, updates since the course as hollow diamonds."""
    topic5 = for_topic(datasets.load("instruments"), 5)
    fig = timeline_figure(
        with_chart_labels(topic5), label="chart_label", title="Capacity-building milestones (course data set, topic 5)"
    )
    return FigureParts(
        fig,
        "A timeline of the milestones in the table above, one row per item, labelled with its document symbol (where "
        "it has one) and what happened from 2014 at the top to 2023 at the bottom, on a horizontal axis of years. "
        "Items known at the course are filled circles; items after it are hollow diamonds whose labels end in "
        "'(update)'; the period after May 2022 is hatched, behind a dashed line marking the course.",
        "Capacity building became an organised field in the 2010s: a programme office, a global platform, EU "
        "guidelines and investment plans followed one another, and the work went on after the course.",
    )


def oas_cbms_table() -> TableParts:
    """The OAS cyber confidence-building measures and steps of the 'cbms' data set."""
    cbms = datasets.load("cbms")
    oas = cbms[cbms["organisation"] == "OAS"]
    return TableParts(
        oas[["document", "measure", "as_of_note"]]
        .fillna("")
        .rename(columns={"document": "Document", "measure": "Measure or step", "as_of_note": "Note"}),
        "OAS cyber confidence-building measures and steps in the course data set (cbms table): capacity building "
        "for cyber diplomacy and training for diplomats are measures in their own right.",
    )
