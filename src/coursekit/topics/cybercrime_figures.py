"""The table and the timeline of topic 6 (cyber defence and cybercrime), built from the instruments data set.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption (and alt text), so
``show_figure(*cybercrime_milestones_chart())`` displays it unchanged.
"""

from __future__ import annotations

from ..data import datasets
from ..render.figures import FigureParts, TableParts
from .milestones import for_topic, readable_table, with_chart_labels
from .timeline import timeline_figure


def cybercrime_milestones_table() -> TableParts:
    """The instruments of topic 6, oldest first, dated only as precisely as the sources allow."""
    return TableParts(
        readable_table(for_topic(datasets.load("instruments"), 6)),
        "Cybercrime and cyber defence instruments in the course data set (instruments table, topic 6), oldest first. "
        "Dates are given only as precisely as the sources allow; 'reported' rows are not yet checked against the "
        "primary source.",
    )


def cybercrime_milestones_chart() -> FigureParts:
    """The same instruments on a timeline, updates since the course as hollow diamonds."""
    topic6 = for_topic(datasets.load("instruments"), 6)
    fig = timeline_figure(
        with_chart_labels(topic6),
        label="chart_label",
        title="Cybercrime and cyber defence milestones (course data set, topic 6)",
    )
    return FigureParts(
        fig,
        "A timeline of the instruments in the table above, one row per item, labelled with its document symbol "
        "(where it has one) and what happened from the Budapest Convention in 2001 at the top to the opening of the "
        "UN convention for signature in 2025 at the bottom, on a horizontal axis of years. Items known at the course "
        "are filled circles; items after it are hollow diamonds whose labels end in '(update)'; the period after May "
        "2022 is hatched, behind a dashed line marking the course.",
        "The criminal justice track (Council of Europe conventions and protocols, later a UN convention) and the "
        "defence track (NATO summit decisions, then EU policy) developed side by side over two decades.",
    )
