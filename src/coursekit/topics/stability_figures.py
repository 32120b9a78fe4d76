"""The table of confidence-building measures by organisation of topic 12 (stability and CBMs), from the course data.

The topic's milestones are drawn by :func:`coursekit.topics.milestones.milestones`; the words of every figure
and table are in the topic's ``figures.yaml``. ``show_table(*cbms_by_organisation_table())`` shows this one.
"""

from __future__ import annotations

from ..data import datasets
from ..render.figures import TableParts
from .figure_text import words

#: the folder of this topic's notebook and its figures.yaml
TOPIC = "12-stability-cbms"


#: How the table names each organisation of the 'cbms' data set.
ORGANISATION_NAMES = {
    "OSCE": "OSCE",
    "OAS": "OAS",
    "UN": "United Nations",
    "bilateral": "Bilateral (United States and Russia)",
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
        words(TOPIC, "cbms_by_organisation_table").caption,
    )
