"""The tables of topic 4 (international law), built from the course's data sets.

They lived in the notebook's code cells; here they can be tested, and the notebook reads as prose, figures and
exercises. Each function returns what the notebook shows, with its caption, so
``show_table(*law_instruments_table())`` displays it unchanged.
"""

from __future__ import annotations

from ..data import datasets
from ..render.figures import TableParts
from .incident_analysis import format_date


def law_instruments_table() -> TableParts:
    """The instruments tagged for topic 4, with year, symbol, kind and confidence mark."""
    instruments = datasets.load("instruments")
    law = instruments[instruments["topics"].str.split(";").apply(lambda topics: "4" in topics)]
    law_table = law.assign(year=law["date"].dt.year, symbol=law["symbol"].fillna("-"))[
        ["year", "symbol", "title", "kind", "confidence"]
    ]
    return TableParts(
        law_table,
        "Instruments of the course data set tagged for topic 4 (international law), in date order. 'confidence' is H "
        "for facts checked against the primary source and M for those partly taken from reporting; '-' marks an "
        "entry without a document symbol.",
    )


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
        "Public statements and declarations in the course data that named those responsible: who named whom, and "
        "when ('Dec 2017': the data record the month only). Sanctions listings and criminal charges are left out.",
    )
