"""The table and the timeline of topic 12 (stability and confidence-building measures), from the course data.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption (and alt text), so
``show_figure(*cbm_milestones_chart())`` displays it unchanged.
"""

from __future__ import annotations

from ..data import datasets
from ..render.figures import FigureParts, TableParts
from .timeline import timeline_figure

#: How the table names each organisation of the 'cbms' data set.
ORGANISATION_NAMES = {
    "OSCE": "OSCE",
    "OAS": "OAS",
    "UN": "United Nations",
    "bilateral": "Bilateral (United States and Russia)",
}

#: The milestones the timeline shows (instrument id: the label on the chart), chosen for the topic.
MILESTONE_LABELS = {
    "us-russia-ict-cbms": "US–Russia bilateral ICT CBMs",
    "osce-pc-decision-1106": "OSCE Decision No. 1106: first 11 CBMs",
    "arf-ict-work-plan": "ARF ICT work plan (as reported; year only)",
    "osce-pc-decision-1202": "OSCE Decision No. 1202: 5 more CBMs",
    "oas-cicte-res-1-17": "OAS CICTE/RES.1/17: CBM working group (year only)",
    "oas-cicte-res-1-18": "OAS CICTE/RES.1/18: first OAS CBMs (year only)",
    "unga-73-27": "A/RES/73/27: first OEWG set up",
    "unga-73-266": "A/RES/73/266: sixth GGE set up",
    "oewg-2021-final-report": "A/75/816: first OEWG report, by consensus",
    "unga-76-19": "A/RES/76/19 endorses the OEWG and GGE reports",
    "unga-77-37": "A/RES/77/37 welcomes the PoA (as reported)",
    "global-poc-directory": "Global Points of Contact Directory launched",
    "oewg-2025-final-report": "OEWG final report: permanent Global Mechanism",
    "global-mechanism-first-plenary": "Global Mechanism: first substantive plenary (planned)",
}


def cbms_by_organisation_table() -> TableParts:
    """Per organisation: the documents that agreed its cyber CBMs and how many measures the data records."""
    cbms = datasets.load("cbms")
    by_org = (
        cbms.groupby("organisation", observed=True)
        .agg(Documents=("document", lambda d: "; ".join(dict.fromkeys(d))), Measures=("count", "sum"))
        .reset_index()
    )
    by_org["organisation"] = by_org["organisation"].astype(str).map(ORGANISATION_NAMES)
    by_org.columns = ["Organisation", "Documents", "Measures recorded"]
    return TableParts(
        by_org,
        "Cyber confidence-building measures in the course data, by organisation. OSCE: 16 in total since Decision "
        "No. 1202 (10 March 2016). OAS: six as of 2019. Bilateral: two of the US–Russia measures of 17 June 2013, "
        "not the whole arrangement. UN: the Global Points of Contact Directory, launched in May 2024, after the course.",
    )


def cbm_milestones_chart() -> FigureParts:
    """Regional, bilateral and UN confidence-building milestones on one timeline, updates marked as such."""
    instruments = datasets.load("instruments")
    labels = MILESTONE_LABELS
    timeline = instruments[instruments["id"].isin(labels)].sort_values(["date", "id"]).reset_index(drop=True)
    fig = timeline_figure(
        timeline.assign(chart_label=[labels[x] for x in timeline["id"]]),
        label="chart_label",
        title="Confidence building in cyberspace: regional, bilateral and UN milestones",
    )
    return FigureParts(
        fig,
        "Timeline with one row per milestone, earliest at the top, from the US–Russia bilateral measures of June 2013 "
        "and OSCE Decision No. 1106 of December 2013, through OSCE Decision No. 1202 (March 2016), the OAS resolutions "
        "of 2017 and 2018, the UN resolutions of December 2018 and December 2021 and the first OEWG report of March "
        "2021, to events after the course (hollow diamonds, labels ending '(update)'): A/RES/77/37 in December 2022, "
        "the Global Points of Contact Directory in May 2024, the OEWG final report of July 2025 and the Global "
        "Mechanism's first substantive plenary planned for July 2026. A dashed vertical line marks the course in May "
        "2022.",
        "Regional and bilateral CBMs were agreed from 2013; after the course (hollow diamonds), the UN track turned "
        "points of contact and regular dialogue into permanent global machinery. Entries known only to the year are "
        "placed mid-year.",
    )
