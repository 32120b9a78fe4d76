"""The OAS confidence-building table of topic 5 (capacity building), built from the course's data sets.

The topic's milestones are drawn by :func:`coursekit.topics.milestones.milestones`; the words of every figure
and table are in the topic's ``figures.yaml``. ``show_table(*oas_cbms_table())`` shows this one.
"""

from __future__ import annotations

from ..data import datasets
from ..render.figures import TableParts
from .figure_text import words

#: the folder of this topic's notebook and its figures.yaml
TOPIC = "05-capacity-building"


def oas_cbms_table() -> TableParts:
    """The OAS cyber confidence-building measures and steps of the 'cbms' data set."""
    cbms = datasets.load("cbms")
    oas = cbms[cbms["organisation"] == "OAS"]
    return TableParts(
        oas[["document", "measure", "as_of_note"]]
        .fillna("")
        .rename(columns={"document": "Document", "measure": "Measure or step", "as_of_note": "Note"}),
        words(TOPIC, "oas_cbms_table").caption,
    )
