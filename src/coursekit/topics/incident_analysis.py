"""Helpers for the incident analysis of topic 3 (threats), kept out of the notebook.

Participants do not program, so the notebook's code cells should read like one line of intent each
("count the incidents by technique", "how long until the first public attribution?"). The fiddly parts
live here, with tests: dates recorded only to the month or year, labels packed several to a cell with
``;``, incidents that no government ever attributed, and a figure that does not rely on colour.

pandas and matplotlib are imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.dates import display_date, period_start, precision_of

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import pandas as pd
    from matplotlib.figure import Figure

NO_ATTRIBUTION = "no public attribution by a government"
NO_START_DATE = "attributed, but no start date recorded"


def parse_date(value: Any, precision: str | None = "day") -> "pd.Timestamp":
    """The first day of the period ``value`` names, or ``NaT`` if there is none.

    The course data record some dates only to the month or the year (``date_precision``), as
    ``2018-09`` or ``2018`` or as a full date whose day is not meaningful. Taking the first day of the
    period keeps every date comparable; callers use the precision to mark results as approximate.
    """
    import pandas as pd

    start = period_start(value, precision)
    return pd.NaT if start is None else pd.Timestamp(*start)


def incident_overview(incidents: "pd.DataFrame", columns: list[str] | None = None) -> "pd.DataFrame":
    """The incidents table made readable: dates written as precisely as known, blanks for missing values.

    Loaded tables carry real dates and categories (good for computing, awkward to read: "2007-04-01
    00:00:00" for a date known only as "April 2007"). This returns text only, for display.
    """
    columns = columns or ["name", "start_date", "target_sector", "target_country", "technique", "attributed"]
    table = incidents[columns].astype(object).copy()
    if "start_date" in columns:
        precisions = incidents["date_precision"] if "date_precision" in incidents else [None] * len(incidents)
        table["start_date"] = [format_date(parse_date(v, p), p) for v, p in zip(incidents["start_date"], precisions)]
    for column in table.columns:
        table[column] = [
            "" if _is_missing(v) else ("yes" if v is True else "no" if v is False else str(v)) for v in table[column]
        ]
    return table.reset_index(drop=True)


def count_labels(values: "pd.Series", sep: str = ";", label: str = "label") -> "pd.DataFrame":
    """How many rows carry each label, when a cell may hold several labels separated by ``sep``.

    An incident coded ``ransomware;supply-chain`` counts once for each technique, so the counts can add
    up to more than the number of incidents: the table says "incidents involving", not "shares".
    Empty cells are left out. Sorted by count (largest first), then by label.
    """
    import pandas as pd

    labels: list[str] = []
    for cell in values.dropna():
        seen = {part.strip() for part in str(cell).split(sep) if part.strip()}
        labels.extend(sorted(seen))
    counts = pd.Series(labels, dtype="object").value_counts()
    table = pd.DataFrame({label: counts.index.astype(str), "incidents": counts.to_numpy(dtype=int)})
    return table.sort_values(["incidents", label], ascending=[False, True], kind="stable").reset_index(drop=True)


def first_public_attribution(incidents: "pd.DataFrame", attributions: "pd.DataFrame") -> "pd.DataFrame":
    """One row per incident: when it began, when it was first publicly attributed, by whom, to whom.

    "First" is the earliest attribution date recorded for the incident; when several parties attributed
    on that same date (the UK and the US on NotPetya), they are listed together. ``days`` is the number
    of days from the incident's start to that first attribution; ``approximate`` is True when either
    date is known only to the month or year. Incidents without any attribution keep empty dates and
    say so in ``attributed_by``, because "no government attributed" is itself a finding.

    Expects the course tables' columns: incidents ``id, name, start_date`` (``date_precision``
    optional) and attributions ``incident_id, attributing_party, date, attributed_to``
    (``date_precision`` optional).
    """
    import pandas as pd

    rows = []
    for _, inc in incidents.iterrows():
        start = parse_date(inc["start_date"], inc.get("date_precision", "day"))
        start_exact = precision_of(inc.get("date_precision", "day")) == "day"
        mine = attributions[attributions["incident_id"] == inc["id"]].copy()
        row: dict[str, Any] = {
            "incident": inc["name"],
            "incident_date": start,
            "first_attribution": pd.NaT,
            "attributed_by": NO_ATTRIBUTION,
            "attributed_to": "",
            "days": pd.NA,
            "approximate": False,
        }
        if not mine.empty:
            precisions = mine["date_precision"] if "date_precision" in mine else pd.Series("day", index=mine.index)
            mine["_when"] = [parse_date(v, p) for v, p in zip(mine["date"], precisions)]
            mine["_exact"] = [precision_of(p) == "day" for p in precisions]
            mine = mine.dropna(subset=["_when"])
        if not mine.empty:
            first = mine["_when"].min()
            same_day = mine[mine["_when"] == first]
            row["first_attribution"] = first
            row["attributed_by"] = "; ".join(dict.fromkeys(str(p) for p in same_day["attributing_party"]))
            row["attributed_to"] = "; ".join(dict.fromkeys(str(p) for p in same_day["attributed_to"]))
            if pd.notna(start):
                row["days"] = int((first - start).days)
                row["approximate"] = not (start_exact and bool(same_day["_exact"].all()))
        rows.append(row)
    table = pd.DataFrame(rows)
    table["days"] = table["days"].astype("Int64")
    return table.sort_values("incident_date", kind="stable").reset_index(drop=True)


METHOD_GROUPS: dict[str, str] = {
    "statement": "named in a statement",
    "declaration": "named in a statement",
    "sanction": "sanctions",
    "indictment": "criminal charges",
}


def format_date(stamp: "pd.Timestamp", precision: str | None = "day") -> str:
    """A date written as precisely as it is known: "19 December 2014", "September 2018" or "2015"; "" if missing."""
    return display_date(stamp, precision)


def attribution_steps(incidents: "pd.DataFrame", attributions: "pd.DataFrame", missing: str = "-") -> "pd.DataFrame":
    """For each incident, the first date of each kind of public step: statement, sanctions, charges.

    Naming a State in a statement is a political act; sanctions and criminal charges are legal measures
    that usually come later and name narrower targets (a unit, a company, a person). Putting the three
    side by side shows that sequence. Methods are grouped by :data:`METHOD_GROUPS`; any other method
    gets a column of its own. Dates keep their precision (a month-only date is shown as "December 2017").
    Rows follow the incidents' start dates; cells with no step hold ``missing``.
    """
    import pandas as pd

    groups = list(dict.fromkeys(METHOD_GROUPS.values()))
    extra = [m for m in attributions["method"].dropna().unique() if m not in METHOD_GROUPS]
    columns = groups + sorted(str(m) for m in extra)
    rows = []
    for _, inc in incidents.iterrows():
        start = parse_date(inc["start_date"], inc.get("date_precision", "day"))
        row: dict[str, Any] = {"incident": inc["name"], "_start": start}
        for column in columns:
            row[column] = missing
        mine = attributions[attributions["incident_id"] == inc["id"]]
        firsts: dict[str, tuple[Any, str]] = {}
        for _, att in mine.iterrows():
            precision = att.get("date_precision", "day")
            when = parse_date(att["date"], precision)
            if _is_missing(when):
                continue
            column = METHOD_GROUPS.get(att["method"], str(att["method"]))
            if column not in firsts or when < firsts[column][0]:
                firsts[column] = (when, precision)
        for column, (when, precision) in firsts.items():
            row[column] = format_date(when, precision)
        rows.append(row)
    table = pd.DataFrame(rows, columns=["incident", "_start"] + columns)
    table = table.sort_values("_start", kind="stable", na_position="last").drop(columns="_start")
    return table.reset_index(drop=True)


def plot_attribution_lag(table: "pd.DataFrame", title: str = "") -> "Figure":
    """A horizontal bar chart of ``days`` per incident, each bar labelled with its number.

    Incidents without an attribution get no bar but a written label ("no public attribution by a
    government"), so the chart is readable without colour and shows absence as clearly as presence;
    an attributed incident whose start date is not recorded says that instead.
    Approximate values carry a "~" and a hatched bar.
    """
    import matplotlib.pyplot as plt

    from .timeline import FIGURE_WIDTH_IN, FONT_PT, wrap_label

    # drawn at the book's column width with 10 pt text, so that it is legible there and on a phone
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH_IN, 0.55 * len(table) + 1.6))
    labels = [
        str(name) if _is_missing(date) or f"{date:%Y}" in str(name) else f"{name} ({date:%Y})"
        for name, date in zip(table["incident"], table["incident_date"])
    ]
    positions = list(range(len(table)))[::-1]
    longest = max([int(d) for d in table["days"] if not _is_missing(d)], default=1)
    for y, (_, row) in zip(positions, table.iterrows()):
        days = row["days"]
        if _is_missing(days):
            why = NO_ATTRIBUTION if row["attributed_by"] == NO_ATTRIBUTION else NO_START_DATE
            ax.text(0, y, "  " + why, va="center", ha="left", fontsize=FONT_PT, style="italic")
            continue
        days = int(days)
        approx = bool(row.get("approximate", False))
        ax.barh(y, days, color="0.55", edgecolor="black", hatch="//" if approx else None)
        ax.text(
            days + longest * 0.01, y, f"{'~' if approx else ''}{days} days", va="center", ha="left", fontsize=FONT_PT
        )
    ax.set_yticks(positions)
    ax.set_yticklabels([wrap_label(label, 24) for label in labels], fontsize=FONT_PT)
    ax.tick_params(axis="x", labelsize=FONT_PT)
    ax.set_xlabel(
        wrap_label("Days from the start of the incident to the first public attribution", 50), fontsize=FONT_PT
    )
    ax.set_xlim(0, longest * 1.45)
    ax.set_ylim(-0.8, len(table) - 0.2)
    approximate = "approximate" in table and bool(table["approximate"].any())
    if approximate:
        fig.text(
            0.01,
            0.005,
            wrap_label("~ and hatching: approximate (one of the dates is known only to the month or year).", 70),
            fontsize=FONT_PT,
            ha="left",
            va="bottom",
        )
    if title:
        ax.set_title(wrap_label(title, 56), fontsize=FONT_PT + 1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout(rect=(0, 0.07 if approximate else 0, 1, 1))
    return fig


def _is_missing(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
