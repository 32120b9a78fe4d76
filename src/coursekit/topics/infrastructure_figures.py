"""The tables and the figure of topic 9 (critical infrastructure), built from the course's data sets.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption (and alt text), so
``show_table(*attribution_cases_table())`` displays it unchanged.
"""

from __future__ import annotations

from typing import Any

from ..core.dates import display_date
from ..data import datasets
from ..render.figures import FigureParts, TableParts
from .figure_text import words
from .timeline import lag_figure

#: The infrastructure cases the topic follows, in the order the table lists them.
CASES = ("ukraine-grid-2015", "ukraine-grid-2016", "wannacry", "colonial-pipeline", "viasat-ka-sat")

#: the folder of this topic's notebook and its figures.yaml
TOPIC = "09-critical-infrastructure"


def _cases() -> Any:
    """One row per case with its first public attribution, plus the two dates the lag figure needs."""
    import pandas as pd

    incidents = datasets.load("incidents")
    attributions = datasets.load("attributions")
    rows = []
    for case_id in CASES:
        inc = incidents.set_index("id").loc[case_id]
        dated = attributions[(attributions["incident_id"] == case_id) & attributions["date"].notna()]
        first = dated[dated["date"] == dated["date"].min()]
        who = ", ".join(first["attributing_party"])
        first_when = display_date(first["date"].iloc[0], first["date_precision"].iloc[0], short=True)
        rows.append(
            {
                "Case": inc["name"],
                "Began": display_date(inc["start_date"], inc["date_precision"], short=True) or "date not recorded",
                "Sector": inc["target_sector"],
                "Where": inc["target_country"],
                "Technique": inc["technique"] if pd.notna(inc["technique"]) else "not recorded",
                "First public attribution in the data": f"{first_when}: {who} named {first['attributed_to'].iloc[0]}",
                "first_date": first["date"].iloc[0],
                "start": inc["start_date"],
            }
        )
    return pd.DataFrame(rows)


def attribution_cases_table() -> TableParts:
    """The infrastructure cases with what, where and when, and the first public attribution of each."""
    return TableParts(
        _cases().drop(columns=["first_date", "start"]),
        words(TOPIC, "attribution_cases_table").caption,
    )


def attribution_lag_chart() -> FigureParts:
    """A timeline per case from the incident to its first public attribution; the alt text gives each gap."""
    table = _cases()
    fig = lag_figure(table, title="From the incident (○) to the first public attribution in the data (■)")
    alt = (
        "Timeline with one row per case, from the incident to the first public attribution: "
        + "; ".join(
            f"{r.Case}, {r.Began} to {r.first_date:%B %Y}, {(r.first_date - r.start).days} days"
            for r in table.itertuples()
        )
        + "."
    )
    return FigureParts(
        fig,
        alt,
        words(TOPIC, "attribution_lag_chart").caption,
    )


def _nis1_coverage(in_nis1: Any) -> str:
    """'partly' when NIS1 covered some of a sector's subsectors but not all (the data has one row per subsector).

    Digital providers, for example: marketplaces and search engines were in NIS1, social networks were not.
    """
    if in_nis1.all():
        return "yes"
    if in_nis1.any():
        return "partly"
    return "no"


def nis_coverage_table() -> TableParts:
    """Each NIS2 sector, its annex, and whether NIS1 (2016) and the CER Directive also cover it."""
    import pandas as pd

    all_sectors = datasets.load("nis2_sectors")
    nis1 = all_sectors.groupby("sector", sort=False)["in_nis1"].apply(_nis1_coverage)
    sectors = all_sectors.drop_duplicates("sector")
    yes_no = {True: "yes", False: "no"}
    compare = pd.DataFrame(
        {
            "Sector (NIS2 wording)": sectors["sector"],
            "NIS2 annex": sectors["annex"].astype(str),
            "Also under NIS1 (2016)": sectors["sector"].map(nis1),
            "Also a CER sector": sectors["in_cer"].map(yes_no),
        }
    )
    return TableParts(
        compare,
        "NIS2 sectors and whether each was covered by NIS1 ('partly': only some of its subsectors, e.g. social "
        "networking platforms are new among digital providers) and is covered by the CER Directive: "
        f"{int(sectors['in_cer'].sum())} CER sectors, all of them NIS2 sectors too.",
    )


#: The 2015 norms (letters of A/70/174, para 13) the topic singles out for critical infrastructure.
INFRASTRUCTURE_NORMS = ("c", "f", "g", "h", "k")


def infrastructure_norms_table() -> TableParts:
    """The norms most relevant to critical infrastructure, in the course's paraphrase, with linked incidents."""
    norms = datasets.load("norms")
    subset = norms[norms["letter"].isin(list(INFRASTRUCTURE_NORMS))][
        ["letter", "paraphrase", "kind", "related_incidents"]
    ]
    subset = subset.fillna({"related_incidents": "none recorded"})
    return TableParts(
        subset.rename(
            columns={
                "letter": "Norm",
                "paraphrase": "What it asks (course paraphrase)",
                "kind": "Logic",
                "related_incidents": "Incidents linked in the data",
            }
        ),
        words(TOPIC, "infrastructure_norms_table").caption,
    )
