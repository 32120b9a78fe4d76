"""The timeline of topic 1 (introduction): the UN milestones on ICTs and international security.

It lived in the notebook's code cell; here it can be tested, and the notebook reads as prose, figures and
exercises. ``show_figure(*un_milestones_timeline())`` displays it unchanged, with its alt text and caption.
"""

from __future__ import annotations

from ..data import datasets
from ..render.figures import FigureParts
from .timeline import timeline_figure


def un_milestones_timeline() -> FigureParts:
    """Every high-confidence UN item of the instruments data set on one timeline, updates since the course marked."""
    instruments = datasets.load("instruments")
    un_items = instruments[instruments["body"].str.startswith("UN") & (instruments["confidence"] == "H")]
    fig = timeline_figure(
        un_items, title="UN milestones on ICTs and international security, 1998 to today", with_title=True
    )
    later = int(un_items["after_course"].astype(bool).sum())
    known = len(un_items) - later
    return FigureParts(
        fig,
        f"Dot timeline from 1998 to 2026 with one row per UN document, earliest at the top, each labelled with its "
        f"symbol and a short description. Filled circles mark the {known} items known at the course, from resolution "
        "53/70 in 1998 to resolution 76/19 in December 2021. Hollow diamonds whose labels end in '(update)' mark "
        f"{later} later items, from the OEWG progress report A/78/265 to the first plenary of the Global Mechanism "
        "planned for July 2026. A dashed line marks May 2022 and the area after it is hatched.",
        "UN milestones, one per row (items the course data set marks as high confidence). The pace quickens "
        "from 2015 and again from December 2018, when the OEWG and the GGE began to run in parallel; rows "
        "after the dashed line are updates since the course.",
    )
