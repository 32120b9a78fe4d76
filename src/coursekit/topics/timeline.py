"""Timelines of instruments (resolutions, reports, strategies) that show what came after the course.

Why this exists: the course ran on 18-20 May 2022, but the notebooks are read later. A timeline must let
a reader see at a glance which milestones a participant in 2022 could know and which are updates, and it
must do so without relying on colour (a screen-reader user or a grey-scale print must get it too). The
figures here therefore mark post-course items with a different marker shape, a hatched background and
the word "update" in the label, and draw a labelled line at the course date.

The functions take a pandas DataFrame shaped like the course's ``instruments`` table (columns ``date``,
``after_course`` and a label column such as ``symbol``); they do not load data themselves. pandas and
matplotlib are imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

from typing import Any

from ..core import dates
from ..core.settings import settings

_TRUE = {"true", "yes", "1", "y", "t"}


def as_flag(value: Any) -> bool:
    """Read an ``after_course`` cell (bool, 0/1 or text such as "true") as a bool; blanks are False."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)):
        return value == value and bool(value)  # NaN (value != value) counts as False
    return str(value).strip().lower() in _TRUE


def year_of(value: Any) -> int:
    """The year of a date given as text ("2015", "2015-12", "2015-12-23") or a date/timestamp."""
    if hasattr(value, "year"):
        return int(value.year)
    text = str(value).strip()
    if len(text) < 4 or not text[:4].isdigit():
        raise ValueError(f"cannot read a year from {value!r}")
    return int(text[:4])


def prepare(frame: Any, label: str = "symbol") -> Any:
    """A copy of ``frame`` sorted by date with ``year``, ``update`` (bool) and ``label`` columns added.

    ``label`` names the column used to label each item; where it is empty, the ``title`` is used.
    """
    out = frame.copy()
    out["year"] = [year_of(v) for v in out["date"]]
    out["update"] = [as_flag(v) for v in out["after_course"]] if "after_course" in out else False
    labels = out[label] if label in out else out.get("title")
    fallback = out["title"] if "title" in out else labels
    out["label"] = [str(a) if isinstance(a, str) and a.strip() else str(b) for a, b in zip(labels, fallback)]
    return out.sort_values(["date"], kind="stable").reset_index(drop=True)


def per_year(frame: Any) -> Any:
    """Counts per year, split into items known at the course and updates since.

    Returns a DataFrame with columns ``year``, ``known_at_course`` and ``update``, one row per year from
    the first to the last year present (years without items appear with zeros, so gaps stay visible).
    """
    import pandas as pd

    data = prepare(frame)
    if data.empty:
        return pd.DataFrame({"year": [], "known_at_course": [], "update": []}, dtype=int)
    years = range(int(data["year"].min()), int(data["year"].max()) + 1)
    known = data[~data["update"]].groupby("year").size()
    later = data[data["update"]].groupby("year").size()
    return pd.DataFrame(
        {
            "year": list(years),
            "known_at_course": [int(known.get(y, 0)) for y in years],
            "update": [int(later.get(y, 0)) for y in years],
        }
    )


def wrap_label(text: str, width: int = 34) -> str:
    """``text`` broken into lines of at most ``width`` characters at word boundaries, never cut short.

    A label cut with "…" hides the part a reader may need (often the date or the symbol's tail), and a long
    single line forces the whole figure to shrink to fit the page; wrapped lines do neither.
    """
    import textwrap

    words = " ".join(str(text).split())
    return "\n".join(textwrap.wrap(words, width, break_long_words=False, break_on_hyphens=False))


def _year_step(span: int, most: int = 6) -> int:
    """A tick step (1, 2, 5, 10 ...) that puts at most ``most`` year labels on an axis spanning ``span`` years."""
    for step in (1, 2, 5, 10, 20, 50):
        if span // step + 1 <= most:
            return step
    return 100


def decimal_year(value: Any, precision: Any = "day") -> float:
    """A date as a fractional year, for placing a marker on a year axis.

    A date known only to the year sits mid-year, and one known to the month sits mid-month, so that
    "2015" (stored as 2015-01-01) is not drawn as if it were New Year's Day.
    """
    if not (hasattr(value, "year") and hasattr(value, "timetuple")):
        return float(year_of(value)) + 0.5  # text such as "1998": only the year is read
    return dates.decimal_year(value, precision)


#: Sizes for a figure read in the book's column (about 720 px) and on a phone: the figure is drawn at this
#: width so that it is not scaled down in the column, and its text at these sizes is at least 11 px there
#: (see :func:`coursekit.render.figures.rendered_texts`).
FIGURE_WIDTH_IN = 6.4
FONT_PT = 10.0
LABEL_CHARS = 34


def timeline_figure(frame: Any, title: str, label: str = "symbol", with_title: bool = False) -> Any:
    """A dot timeline with one labelled row per item, earliest at the top; updates marked by shape and text.

    Items known at the course are filled circles; updates are hollow diamonds whose label ends in
    "(update)"; the area after the course is hatched and a dashed line marks May 2022. Each row's label
    (the ``label`` column, the title where it is empty, followed by the title when ``with_title`` is true)
    stands in a column left of the time axis, wrapped over as many lines as it needs and never cut short;
    rows are as tall as their labels. Returns the matplotlib Figure (show it with
    :func:`coursekit.render.figures.show_figure`).
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    data = prepare(frame, label)
    if data.empty:
        raise ValueError("the timeline needs at least one item")
    texts, heights = [], []
    for _, item in data.iterrows():
        text = item["label"]
        if with_title and isinstance(item.get("title"), str) and item["title"] != text:
            # A title that already opens with the label's first word (a named document such as "Tunis
            # Agenda ...") would repeat it; show the title alone then.
            first_word = text.split()[0].lower() if text.split() else ""
            text = item["title"] if item["title"].lower().startswith(first_word) else f"{text}: {item['title']}"
        if item["update"]:
            text += " (update)"
        texts.append(text)
        heights.append(wrap_label(text, LABEL_CHARS).count("\n") + 1)
    line_in = FONT_PT * 1.3 / 72  # one line of label text, in inches
    rows_in = sum(h * line_in + 0.08 for h in heights)
    top_in, bottom_in = 0.75, 1.35  # title and course marker above; year axis and legend below
    fig = Figure(figsize=(FIGURE_WIDTH_IN, rows_in + top_in + bottom_in))
    ax = fig.add_axes((0.5, bottom_in / (rows_in + top_in + bottom_in), 0.47, rows_in / (rows_in + top_in + bottom_in)))
    centres, y = [], 0.0
    for h in heights:
        centres.append(y + (h * line_in + 0.08) / 2)
        y += h * line_in + 0.08
    first = int(data["year"].min())
    last = max(int(data["year"].max()) + 1, 2023)
    course_x = dates.decimal_year(settings().start)
    ax.axvspan(course_x, last + 0.5, facecolor="none", hatch="///", edgecolor="0.8", linewidth=0)
    ax.axvline(course_x, linestyle="--", color="0.2", linewidth=1)
    ax.text(course_x, -0.05, f"course, {settings().course_month} ", ha="right", va="bottom", fontsize=FONT_PT)
    for (_, item), row, text in zip(data.iterrows(), centres, texts):
        x = decimal_year(item["date"], item.get("date_precision", "day"))
        if item["update"]:
            ax.plot(x, row, marker="D", markersize=7, markerfacecolor="white", markeredgecolor="black")
        else:
            ax.plot(x, row, marker="o", markersize=7, color="black")
        ax.text(
            -0.03,
            row,
            wrap_label(text, LABEL_CHARS),
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=FONT_PT,
            linespacing=1.15,
        )
    ax.set_xlim(first - 0.5, last + 0.5)
    ax.set_ylim(y, -0.05)  # earliest at the top
    ax.set_yticks([])
    ax.set_xlabel("Year", fontsize=FONT_PT)
    step = _year_step(last - first)
    years = [yr for yr in range(first, last + 1) if yr % step == 0] or [first]
    ax.set_xticks(years, [str(yr) for yr in years], fontsize=FONT_PT)
    ax.grid(axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    fig.text(
        0.02,
        1 - 0.15 / (rows_in + top_in + bottom_in),
        wrap_label(title, 60),
        ha="left",
        va="top",
        fontsize=FONT_PT + 1,
        fontweight="bold",
    )
    ax.legend(
        handles=[
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color="black",
                label=f"known at the course ({settings().course_month})",
            ),
            Line2D(
                [],
                [],
                marker="D",
                linestyle="",
                markerfacecolor="white",
                markeredgecolor="black",
                label="update since the course: label ends '(update)'",
            ),
            Patch(facecolor="none", hatch="///", edgecolor="0.6", label="after the course"),
        ],
        loc="lower left",
        bbox_to_anchor=(0.02, 0.01),
        bbox_transform=fig.transFigure,
        fontsize=FONT_PT,
        frameon=True,
    )
    return fig


def lag_figure(cases: Any, title: str, label: str = "Case", start: str = "start", end: str = "first_date") -> Any:
    """One row per case from its ``start`` date (hollow circle) to its ``end`` date (filled square), the gap
    written beside the square ("12 days", or "about 31 months" beyond four months); earliest case at the top.

    Drawn at the book's column width with text at :data:`FONT_PT`, case names wrapped rather than cut, so
    it stays legible in the book and on a phone. Returns the matplotlib Figure.
    """
    import pandas as pd
    from matplotlib.figure import Figure

    if len(cases) == 0:
        raise ValueError("the figure needs at least one case")
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 1.5 + 0.6 * len(cases)))
    ax = fig.subplots()
    latest = max(pd.Timestamp(d) for d in cases[end])
    for y, (_, row) in enumerate(cases.iterrows()):
        began, named = pd.Timestamp(row[start]), pd.Timestamp(row[end])
        ax.plot([began, named], [y, y], color="black", linewidth=1)
        ax.plot(began, y, marker="o", markersize=8, color="white", markeredgecolor="black")
        ax.plot(named, y, marker="s", markersize=8, color="black")
        gap = (named - began).days
        ax.text(
            named,
            y - 0.2,
            f" about {gap // 30} months" if gap > 120 else f" {gap} days",
            fontsize=FONT_PT,
            ha="right" if named > latest - pd.Timedelta(days=700) else "left",
            va="bottom",
        )
    ax.set_yticks(range(len(cases)), [wrap_label(name, 22) for name in cases[label]], fontsize=FONT_PT)
    ax.tick_params(axis="x", labelsize=FONT_PT)
    ax.set_ylim(len(cases) - 0.5, -0.8)
    ax.set_xlabel("Year", fontsize=FONT_PT)
    fig.suptitle(wrap_label(title, 60), x=0.01, ha="left", fontsize=FONT_PT)
    fig.tight_layout()
    return fig
