"""The tables and the figure of topic 7 (norms of responsible State behaviour), built from the course data sets.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption (and alt text), so
``show_figure(*norms_by_logic_chart())`` displays it unchanged.
"""

from __future__ import annotations

from typing import Any

from ..core.dates import display_date
from ..data import datasets
from ..render.figures import FigureParts, TableParts
from .figure_text import words

#: The incidents whose public attributions the topic compares.
ATTRIBUTION_CASES = ("wannacry", "notpetya", "solarwinds", "viasat-ka-sat")

#: The incidents of the topic's matching exercise, in the order the table lists them.
MATCHING_CASES = (
    "estonia-2007",
    "stuxnet",
    "wannacry",
    "notpetya",
    "ukraine-grid-2015",
    "solarwinds",
    "colonial-pipeline",
    "viasat-ka-sat",
)

#: the folder of this topic's notebook and its figures.yaml
TOPIC = "07-norms"


def _incident_names() -> dict[str, str]:
    incidents = datasets.load("incidents")
    return dict(zip(incidents["id"], incidents["name"]))


def norms_table() -> TableParts:
    """The eleven norms, paraphrased, with their logic and the incidents of the data set discussed under each."""
    norms = datasets.load("norms")
    incident_names = _incident_names()

    def linked_incidents(ids: Any) -> str:
        # The data set stores ';'-separated incident ids; show incident names instead.
        if not isinstance(ids, str) or not ids.strip():
            return "-"
        return "; ".join(incident_names.get(i.strip(), i.strip()) for i in ids.split(";"))

    table = norms.assign(incidents=norms["related_incidents"].map(linked_incidents))[
        ["letter", "paraphrase", "kind", "incidents"]
    ]
    table = table.rename(
        columns={
            "letter": "Norm",
            "paraphrase": "What States should do (paraphrase)",
            "kind": "Logic",
            "incidents": "Incidents in the course data set discussed under it",
        }
    )
    return TableParts(
        table,
        words(TOPIC, "norms_table").caption,
    )


def norms_by_logic_chart() -> FigureParts:
    """How many norms follow each logic, with their letters; each bar has its own hatching, not a colour."""
    import matplotlib.pyplot as plt

    norms = datasets.load("norms")
    counts = norms.groupby("kind")["letter"].apply(lambda s: ", ".join(f"({x})" for x in sorted(s)))
    sizes = norms["kind"].value_counts().reindex(counts.index)
    fig, ax = plt.subplots(figsize=(7, 2.8))
    hatches = ["//", "..", "xx"]
    bars = ax.barh(counts.index, sizes.values, color="white", edgecolor="black")
    for bar, hatch, letters in zip(bars, hatches, counts.values):
        bar.set_hatch(hatch)
        ax.text(
            bar.get_width() + 0.1,
            bar.get_y() + bar.get_height() / 2,
            f"{int(bar.get_width())}: {letters}",
            va="center",
        )
    ax.set_xlabel("Number of norms")
    ax.set_xlim(0, max(sizes.values) + 4)
    ax.set_title("The eleven 2015 norms by their logic")
    ax.set_yticks(range(len(counts.index)), [k.capitalize() for k in counts.index])
    ax.spines[["top", "right"]].set_visible(False)
    alt = (
        "Horizontal bar chart of the eleven norms by group: "
        + "; ".join(f"{kind}, {int(n)} norms, {counts[kind]}" for kind, n in sizes.items())
        + "."
    )
    return FigureParts(fig, alt, words(TOPIC, "norms_by_logic_chart").caption)


def attributions_table() -> TableParts:
    """Who publicly attributed each of four incidents, to whom, when and how."""
    attributions = datasets.load("attributions")
    cases = attributions[attributions["incident_id"].isin(list(ATTRIBUTION_CASES))].copy()
    cases["when"] = [
        display_date(d, p, short=True) or "date not recorded" for d, p in zip(cases["date"], cases["date_precision"])
    ]
    cases["incident"] = cases["incident_id"].map(_incident_names())
    cases["how"] = cases["method"]
    shown = cases[["incident", "attributing_party", "when", "attributed_to", "how"]].rename(
        columns={
            "incident": "Incident",
            "attributing_party": "Who attributed",
            "when": "When",
            "attributed_to": "To whom",
            "how": "How",
        }
    )
    return TableParts(
        shown,
        words(TOPIC, "attributions_table").caption,
    )


def matching_incidents_table() -> TableParts:
    """The incidents of the matching exercise with the data set's summary and confidence mark."""
    incidents = datasets.load("incidents")
    case_table = incidents.set_index("id").loc[list(MATCHING_CASES), ["name", "summary", "confidence"]]
    return TableParts(
        case_table.rename(
            columns={"name": "Incident", "summary": "What happened (data set summary)", "confidence": "Confidence"}
        ),
        words(TOPIC, "matching_incidents_table").caption,
    )
