"""The naming-statements table of topic 4 (international law), built from the course's data sets.

The topic's milestones are drawn by :func:`coursekit.topics.milestones.milestones`; the words of every figure
and table are in the topic's ``figures.yaml``. ``show_table(*naming_statements_table())`` shows this one.
"""

from __future__ import annotations

from ..data import datasets
from ..render.figures import TableParts
from .figure_text import words
from .incident_analysis import format_date

#: the folder of this topic's notebook and its figures.yaml
TOPIC = "04-international-law"


def naming_statements_table() -> TableParts:
    """Dated public statements and declarations that named those responsible: who named whom, and when."""
    incidents = datasets.load("incidents")
    attributions = datasets.load("attributions")
    named = attributions[attributions["method"].isin(["statement", "declaration"]) & attributions["date"].notna()]
    named = named.merge(incidents[["id", "name"]], left_on="incident_id", right_on="id")
    named_table = named.assign(
        date=[format_date(d, p) for d, p in zip(named["date"], named["date_precision"])],
    )[["name", "date", "attributing_party", "attributed_to"]].rename(
        columns={"name": "incident", "attributing_party": "who attributed", "attributed_to": "to whom"}
    )
    return TableParts(
        named_table,
        words(TOPIC, "naming_statements_table").caption,
    )
