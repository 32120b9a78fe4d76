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

#: The course's dates; an item dated after COURSE_END is an update.
COURSE_START = "2022-05-18"
COURSE_END = "2022-05-20"

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
    out["label"] = [
        str(a) if isinstance(a, str) and a.strip() else str(b) for a, b in zip(labels, fallback)
    ]
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


def short_label(text: str, limit: int = 48) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def decimal_year(value: Any, precision: Any = "day") -> float:
    """A date as a fractional year, for placing a marker on a year axis.

    A date known only to the year sits mid-year, and one known to the month sits mid-month, so that
    "2015" (stored as 2015-01-01) is not drawn as if it were New Year's Day.
    """
    if not (hasattr(value, "year") and hasattr(value, "timetuple")):
        return float(year_of(value)) + 0.5
    if str(precision) == "year":
        return value.year + 0.5
    if str(precision) == "month":
        return value.year + (value.month - 0.5) / 12.0
    return value.year + (value.timetuple().tm_yday - 0.5) / 366.0


def timeline_figure(frame: Any, title: str, label: str = "symbol", width: float = 11.0, limit: int = 48,
                    with_title: bool = False) -> Any:
    """A dot timeline with one labelled row per item, earliest at the top; updates marked by shape and text.

    Items known at the course are filled circles; updates are hollow diamonds whose label ends in
    "(update)"; the area after the course is hatched and a dashed line marks May 2022. Labels are the
    ``label`` column (the title where it is empty), followed by the title when ``with_title`` is true,
    shortened to ``limit`` characters. Returns the matplotlib Figure (show it with
    :func:`coursekit.figures.show_figure`).
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    data = prepare(frame, label)
    if data.empty:
        raise ValueError("the timeline needs at least one item")
    n = len(data)
    fig, ax = plt.subplots(figsize=(width, max(3.0, 1.4 + 0.3 * n)))
    first = int(data["year"].min())
    last = max(int(data["year"].max()) + 1, 2023)
    course_x = 2022 + 138 / 365  # 18 May 2022
    ax.axvspan(course_x, last + 0.5, facecolor="none", hatch="///", edgecolor="0.8", linewidth=0)
    ax.axvline(course_x, linestyle="--", color="0.2", linewidth=1)
    ax.text(course_x, -0.9, "course, May 2022 ", ha="right", va="center", fontsize=8)
    middle = first + (last - first) * 0.6
    for row, (_, item) in enumerate(data.iterrows()):
        x = decimal_year(item["date"], item.get("date_precision", "day"))
        text = item["label"]
        if with_title and isinstance(item.get("title"), str) and item["title"] != text:
            # A title that already opens with the label's first word (a named document such as "Tunis
            # Agenda ...") would repeat it; show the title alone then.
            first_word = text.split()[0].lower() if text.split() else ""
            text = item["title"] if item["title"].lower().startswith(first_word) else f"{text}: {item['title']}"
        text = short_label(text, limit)
        if item["update"]:
            ax.plot(x, row, marker="D", markersize=7, markerfacecolor="white", markeredgecolor="black")
            text += " (update)"
        else:
            ax.plot(x, row, marker="o", markersize=7, color="black")
        left = x > middle
        ax.annotate(text, (x, row), xytext=(-7 if left else 7, 0), textcoords="offset points", va="center",
                    ha="right" if left else "left", fontsize=8,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    ax.set_xlim(first - 0.5, last + 0.5)
    ax.set_ylim(n - 0.4, -1.5)  # earliest at the top
    ax.set_yticks([])
    ax.set_xlabel("Year")
    years = list(range(first, last + 1))
    step = 1 if len(years) <= 14 else 2
    ax.set_xticks(years[::step], [str(y) for y in years[::step]])
    ax.grid(axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    ax.legend(
        handles=[
            Line2D([], [], marker="o", linestyle="", color="black", label="known at the course (May 2022)"),
            Line2D([], [], marker="D", linestyle="", markerfacecolor="white", markeredgecolor="black",
                   label="update since the course: label ends '(update)'"),
            Patch(facecolor="none", hatch="///", edgecolor="0.6", label="after the course"),
        ],
        loc="lower left",
        fontsize=8,
        frameon=True,
    )
    fig.tight_layout()
    return fig
