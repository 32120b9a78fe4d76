"""The timeline and the table of topic 2 (the cyber diplomacy environment), built from the instruments data set.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption (and alt text), so
``show_figure(*governance_timeline())`` displays it unchanged.
"""

from __future__ import annotations

from ..data import datasets
from ..render.figures import FigureParts, TableParts
from .timeline import timeline_figure

#: Internet governance and UN security milestones the timeline shows (instrument ids).
GLOBAL_IDS = (
    "icann-founded",
    "wsis-geneva",
    "wsis-tunis",
    "igf-athens",
    "sco-code-2011",
    "wcit-12",
    "iana-transition-announced",
    "netmundial",
    "sco-code-2015",
    "iana-transition-completed",
    "unga-73-27",
    "unga-73-266",
    "oewg-2021-final-report",
    "gge-2021-report",
    "unga-76-19",
    "global-digital-compact",
    "oewg-2025-final-report",
    "wsis-plus-20-review",
)

#: The EU's cyber strategies and related decisions the table lists (instrument ids).
EU_IDS = (
    "eu-cybersecurity-strategy-2013",
    "council-conclusions-cyber-diplomacy",
    "cyber-diplomacy-toolbox",
    "eu-cybersecurity-strategy-2017",
    "cyber-sanctions-decision",
    "cybersecurity-act-adopted",
    "eu-cybersecurity-strategy-2020",
    "strategic-compass",
    "council-conclusions-cyber-posture",
    "eu-cyber-defence-policy",
)


def governance_timeline() -> FigureParts:
    """Internet governance and the UN security tracks on one timeline, updates since the course marked."""
    instruments = datasets.load("instruments")
    global_items = instruments[instruments["id"].isin(GLOBAL_IDS)]
    fig = timeline_figure(
        global_items, title="Internet governance and the UN security tracks, 1998 to today", with_title=True
    )
    later = int(global_items["after_course"].astype(bool).sum())
    return FigureParts(
        fig,
        "Dot timeline from 1998 to 2025 with one row per milestone, earliest at the top: ICANN founded (1998), "
        "WSIS in Geneva (2003) and Tunis (2005), the first IGF (2006), the SCO code of conduct (2011), WCIT-12 "
        "(2012), the IANA transition announced (2014) and completed (2016), NETmundial (2014), the revised SCO code "
        "(2015), resolutions 73/27 and 73/266 (2018), the OEWG and GGE reports (2021) and resolution 76/19 (2021). "
        f"{later} hollow diamonds labelled 'update' mark later items: the Global Digital Compact (2024), the OEWG final "
        "report (2025) and the WSIS+20 review (2025). A dashed line marks May 2022; the area after it is hatched.",
        "Two arenas, one timeline: internet governance milestones (ICANN, WSIS, IGF, IANA, WCIT-12) and the "
        "security debate (SCO codes, GGE and OEWG). The 2014-2016 IANA transition and the 2018 split into two "
        "UN tracks are the turning points; rows after the dashed line are updates since the course.",
    )


def eu_strategies_table() -> TableParts:
    """The EU's cyber strategies and related decisions in date order, each marked known or an update."""
    instruments = datasets.load("instruments")
    eu = instruments[instruments["id"].isin(EU_IDS)].sort_values("date")
    table = eu.assign(
        Date=eu["date"].dt.strftime("%d %b %Y"),
        Reference=eu["symbol"].fillna("(no symbol)"),
        Status=eu["after_course"].map({True: "update since the course", False: "known at the course"}),
    )[["Date", "title", "Reference", "Status"]].rename(columns={"title": "Document"})
    return TableParts(
        table,
        "The EU's cyber strategies and related decisions, 2013 to 2022 (from the course's instruments data set)",
    )
