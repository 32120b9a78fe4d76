"""The instructor's report on a class: one self-contained HTML file that opens offline.

Everything is in the file: styles inline, figures as PNG data with alt text and a caption, no script, no
link to anything outside it, so it can be mailed or archived with the grades (and must be kept as private
as they are). Every text a participant controls (ids, names, answers, notes) is HTML-escaped. Figures never
carry information by colour alone: each has a table with the same numbers beside it.

Sections: what is missing; topics; participants who need attention; learning outcomes (table and heatmap);
items (difficulty, discrimination, flags, distractors); practice engagement; how the numbers are computed.
The numbers come from :mod:`coursekit.analysis.analytics`.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..core import atomic
from ..render.figures import figure_html
from . import analytics
from .classdata import ClassData

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #999;padding:.2rem .45rem;text-align:left;vertical-align:top}
th{background:#eee}
caption,figcaption{font-weight:600;text-align:left;padding:.3rem 0}
figure{margin:1rem 0}
.note{background:#fff6d6;border-left:4px solid #8a6d00;padding:.4rem .8rem}
details{margin:.4rem 0}
@media (prefers-color-scheme: dark){body{background:#111;color:#eee}th{background:#333}
  .note{background:#332b00;color:#eee}img{background:#fff}}
"""


_LABELLED_ROWS = 40  # up to this many participants the heatmap names each row and prints each value


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _pct(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{100 * value:.0f}%"


def _num(value: Any, digits: int = 2) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def table(frame: pd.DataFrame, caption: str) -> str:
    """An accessible HTML table: caption, header cells, every cell escaped."""
    if frame.empty:
        return f"<p>{_e(caption)}: nothing to show.</p>"
    head = "".join(f"<th scope='col'>{_e(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    return f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _missing_section(data: ClassData) -> str:
    if data.notes.empty:
        return "<p>Nothing missing: every participant on the roster submitted and every answers file could be read.</p>"
    notes = data.notes.rename(columns={"student": "participant"})
    return "<div class='note'>" + table(notes, "What is missing or damaged") + "</div>"


def _topic_section(data: ClassData, totals: pd.DataFrame) -> str:
    rows = []
    for topic in data.topics:
        t = totals[totals["topic"] == topic]
        done = t[t["submitted"]]
        possible = (done["max_score"] - done["pending"]).sum()
        rows.append(
            {
                "topic": topic,
                "submitted": f"{len(done)} of {len(t)}",
                "mean score": _pct(done["score"].sum() / possible) if possible else "",
                "late": int(done["late"].sum()),
                "points to grade by hand": f"{done['pending'].sum():g}",
            }
        )
    return table(pd.DataFrame(rows), "Per topic: submissions, the class's share of points, late submissions")


def _attention_section(data: ClassData, totals: pd.DataFrame) -> str:
    who = analytics.needs_attention(data, totals=totals).sort_values("share", kind="stable", na_position="first")
    names = data.roster.set_index("student")
    shown = pd.DataFrame(
        {
            "participant": who["student"],
            "name": [
                " ".join(x for x in (names.loc[s, "first_name"], names.loc[s, "last_name"]) if x)
                if s in names.index
                else ""
                for s in who["student"]
            ],
            "share of points so far": [_pct(s) for s in who["share"]],
            "why": who["reasons"],
        }
    )
    intro = (
        f"<p>Lowest share first. Listed: below {analytics.ATTENTION_SHARE:.0%} of the points available so far (topics someone "
        "has submitted, not counting answers still to be graded by hand), a topic not submitted that others "
        "have submitted, or a late submission.</p>"
    )
    return intro + table(shown, f"{len(shown)} participant(s) who need attention")


def participant_labels(data: ClassData) -> dict[str, str]:
    """How the report names each participant: "Surname, First name" from the roster, the id where the roster
    has no name, and the id added in brackets where two participants share a name."""
    roster = data.roster.drop_duplicates("student").set_index("student")
    labels = {}
    for student in data.students:
        parts = [roster.loc[student, "last_name"], roster.loc[student, "first_name"]] if student in roster.index else []
        labels[student] = ", ".join(str(p) for p in parts if p) or str(student)
    shared = {label for label, n in Counter(labels.values()).items() if n > 1}
    return {s: f"{label} ({s})" if label in shared and label != s else label for s, label in labels.items()}


def attainment_grid(data: ClassData, attainment: pd.DataFrame) -> pd.DataFrame:
    """Attainment (0 to 1) per participant (rows, by id, in the alphabetical order of the names
    :func:`participant_labels` gives them) and outcome (columns); NaN where nothing of it is scored yet."""
    labels = participant_labels(data)
    scored_students = set(attainment["student"])
    order = sorted((s for s in data.students if s in scored_students), key=lambda s: (labels[s].casefold(), s))
    return attainment.pivot(index="student", columns="outcome", values="attainment").reindex(order)


def attainment_heatmap(grid: pd.DataFrame, labels: dict[str, str]) -> Figure:
    """The heatmap of :func:`attainment_grid`, in percent on one scale (cells and colour bar both 0 to 100).

    Up to :data:`_LABELLED_ROWS` participants each row is named by ``labels`` in the grid's order (the
    alphabetical order of those names) and each value is printed, so nothing is told by colour alone; a
    larger class is drawn one thin row each, highest mean first, and named in the table beside it.
    """
    labelled = len(grid) <= _LABELLED_ROWS
    shown = grid if labelled else grid.loc[grid.mean(axis=1).sort_values(ascending=False).index]
    fig = Figure(figsize=(1.6 + 1.1 * len(grid.columns), 1.2 + 0.25 * len(grid) if labelled else 6))
    ax = fig.add_subplot()
    percent = 100 * shown.to_numpy(float)
    image = ax.imshow(percent, aspect="auto", cmap="viridis", vmin=0, vmax=100, interpolation="nearest")
    ax.set_xticks(range(len(grid.columns)), list(grid.columns))
    if labelled:
        ax.set_yticks(range(len(shown)), [labels[s][:32] for s in shown.index], fontsize=9, parse_math=False)
        for (i, j), v in ((ij, percent[ij]) for ij in np.ndindex(percent.shape)):
            label = "n/a" if math.isnan(v) else f"{v:.0f}"
            ax.text(j, i, label, ha="center", va="center", color="white" if v < 60 else "black", fontsize=8)
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{len(grid)} participants, highest mean attainment at the top")
    fig.colorbar(image, ax=ax, label="attainment (% of the points)")
    ax.set_title("Attainment per participant and outcome")
    return fig


def _outcome_section(data: ClassData) -> str:
    att = analytics.outcome_attainment(data)
    if att.empty:
        return "<p>No scored items yet.</p>"
    summary = analytics.class_attainment(att)
    shown = pd.DataFrame(
        {
            "outcome": summary["outcome"],
            "points earned": summary["earned"].map("{:g}".format),
            "points possible": summary["possible"].map("{:g}".format),
            "class attainment": summary["attainment"].map(_pct),
            f"participants below {analytics.ATTENTION_SHARE:.0%}": summary["below_threshold"],
        }
    )
    grid = attainment_grid(data, att)
    labelled = len(grid) <= _LABELLED_ROWS
    best, worst = summary.loc[summary["attainment"].idxmax()], summary.loc[summary["attainment"].idxmin()]
    order = "by name" if labelled else "sorted by mean attainment"
    alt = (
        f"Heatmap of {len(grid)} participants (rows, {order}) by {len(grid.columns)} learning outcomes (columns), "
        f"in percent of the points from 0 to 100; lighter is higher; n/a where nothing is scored yet. Class "
        f"attainment is highest for {best['outcome']} ({_pct(best['attainment'])}) and lowest for "
        f"{worst['outcome']} ({_pct(worst['attainment'])}). The table below gives every value."
    )
    labels = participant_labels(data)
    per = grid.map(_pct)
    per.insert(0, "id", grid.index)
    per.insert(0, "participant", [labels[s] for s in grid.index])
    return (
        table(shown, "Attainment per learning outcome, for the class (points pooled over participants)")
        + figure_html(
            attainment_heatmap(grid, labels), alt, "Attainment per participant and learning outcome (% of the points)"
        )
        + "<details><summary>Attainment per participant (table)</summary>"
        + table(per, "Attainment per participant and learning outcome")
        + "</details>"
    )


_LABEL_POINTS = 7  # font size of the item labels beside the scatter plot
_LABEL_SLOT = 10  # points of height each label is given: a little more than one line, so no two touch


def _spread(wanted: list[float], gap: float) -> list[float]:
    """Heights (axes fraction, 0 at the bottom) as near to ``wanted`` (highest first) as they can be while at
    least ``gap`` apart and inside the axes: a top-down pass pushes crowded labels down, a bottom-up pass
    pushes back up any that fell below the axes."""
    placed: list[float] = []
    for w in wanted:
        placed.append(min(w, 1 - gap / 2, placed[-1] - gap if placed else 1.0))
    floor = gap / 2
    for k in range(len(placed) - 1, -1, -1):
        placed[k] = max(placed[k], floor)
        floor = placed[k] + gap
    return placed


def item_scatter(stats: pd.DataFrame) -> Figure:
    """Difficulty against discrimination, one point per item with a defined discrimination.

    Each point's id stands in a column to the right of the plot, as near its point's height as the others
    allow, joined to it by a thin line: however many items share a region (or a spot), no label covers
    another. The figure grows with the number of items so that each label has :data:`_LABEL_SLOT` points.
    """
    defined = stats.dropna(subset=["discrimination"]).sort_values(
        ["discrimination", "difficulty", "exercise_id"], ascending=[False, True, True]
    )
    axes_height = 0.8  # of the figure, between the x label below and the title above
    height = max(4.5, len(defined) * _LABEL_SLOT / 72 / axes_height + 0.5)
    fig = Figure(figsize=(8.5, height))
    ax = fig.add_axes((0.09, 0.1, 0.56, axes_height))
    ax.scatter(defined["difficulty"], defined["discrimination"], marker="o", color="#1f4e79", zorder=3)
    ax.axhline(0, color="black", linewidth=0.8, linestyle="--")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-1.05, 1.05)  # a correlation: the same scale in every report
    ax.set_xlabel("difficulty: share of points earned")
    ax.set_ylabel("discrimination: r with rest of test")
    ax.set_title("Graded items")
    gap = _LABEL_SLOT / (height * axes_height * 72)
    wanted = [(float(r) + 1.05) / 2.1 for r in defined["discrimination"]]
    for row, y in zip(defined.itertuples(), _spread(wanted, gap)):
        ax.annotate(
            str(row.exercise_id)[:28],
            (row.difficulty, row.discrimination),
            xytext=(1.03, y),
            textcoords="axes fraction",
            fontsize=_LABEL_POINTS,
            va="center",
            ha="left",
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": "#888888", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 3},
        )
    return fig


def _rubric_table(data: ClassData, stats: pd.DataFrame) -> str:
    """Written answers marked by hand, judged against their rubric: not right or wrong, but how far up it."""
    written = stats[stats["hand_marked"].astype(bool)]
    if written.empty:
        return ""
    criteria = {i: len(getattr(data.exercises.get(i), "rubric", ()) or ()) for i in written["exercise_id"]}
    shown = pd.DataFrame(
        {
            "topic": written["topic"],
            "item": written["exercise_id"],
            "rubric criteria": [criteria[i] or "" for i in written["exercise_id"]],
            "marked": written["respondents"],
            "mean share of points": written["difficulty"].map(_pct),
            "half the points or more": written["half_marks"],
            "top level on every criterion": written["full_marks"],
        }
    )
    return "<h3>Written answers, marked against their rubric</h3>" + table(
        shown, "Written answers marked by hand: how far up their rubric the class reached"
    )


def _item_section(data: ClassData) -> str:
    stats = analytics.item_statistics(data.grades)
    options = analytics.distractors(data.answers, data.exercises, data.exercise_topic)
    flags = analytics.item_flags(stats, options)
    if stats.empty:
        return "<p>No scored items yet.</p>"
    small = int(stats["small_sample"].sum())
    caution = (
        (
            f"<p class='note'>{small} item(s) were answered by fewer than {analytics.SMALL_CLASS} participants: "
            "their discrimination is shown but means little.</p>"
        )
        if small
        else ""
    )
    shown = pd.DataFrame(
        {
            "topic": stats["topic"],
            "item": stats["exercise_id"],
            "type": stats["type"],
            "points": stats["max_score"].map("{:g}".format),
            "scored": stats["respondents"],
            "difficulty (share earned)": stats["difficulty"].map(lambda v: _num(v)),
            "discrimination (r)": stats["discrimination"].map(lambda v: _num(v) or "undefined"),
            "full marks": stats["full_marks"],
            "no marks": stats["zero_marks"],
        }
    )
    defined = stats.dropna(subset=["discrimination"])
    negative = int((defined["discrimination"] < 0).sum())
    alt = (
        f"Scatter plot of {len(defined)} graded items, difficulty (share of points earned, 0 to 1) against "
        f"discrimination (correlation with the rest of the test). {negative} item(s) lie below zero. "
        "The item table gives every value."
    )
    parts = [
        caution,
        table(shown, "Graded items: difficulty and discrimination"),
        figure_html(
            item_scatter(stats),
            alt,
            "Difficulty against discrimination per graded item; points below the dashed line "
            "discriminate the wrong way",
        ),
        _rubric_table(data, stats),
        "<h3>Items that look broken</h3>",
        table(
            flags.rename(columns={"exercise_id": "item"}),
            "Flags: nobody right, everybody right, negative discrimination, an option nobody chose, "
            "a written answer where nobody reached half the rubric's points",
        ),
    ]
    if not options.empty:
        parts.append("<h3>Distractor analysis (from the saved answers)</h3>")
        for (topic, exercise_id), group in options.groupby(["topic", "exercise_id"], sort=True):
            kind = group["type"].iloc[0]
            heading = {"matching": "pair (left item)", "ordering": "item", "scenario": "step"}.get(kind, "")
            shown = pd.DataFrame(
                {
                    **({heading: group["step"]} if heading else {}),
                    "option" if kind != "ordering" else "placed at": group["option"],
                    "right?": group["correct"].map({True: "right", False: "wrong"}),
                    "chosen by": group["count"],
                }
            )
            parts.append(
                f"<details><summary>{_e(topic)} / {_e(exercise_id)} ({_e(kind)}, "
                f"{int(group['respondents'].iloc[0])} readable answers)</summary>"
                + table(shown, f"Choices made in {exercise_id}")
                + "</details>"
            )
    return "".join(parts)


def _practice_section(data: ClassData) -> str:
    _, topics = analytics.practice_engagement(data)
    shown = pd.DataFrame(
        {
            "topic": topics["topic"],
            "practice exercises": topics["available"],
            "participants who submitted": topics["participants"],
            "who practised": topics["engaged"],
            "practice exercises answered (mean)": topics["mean_attempted"].map(lambda v: _num(v, 1)),
            "saves per answered exercise (mean)": topics["mean_attempts"].map(lambda v: _num(v, 1)),
        }
    )
    fig = Figure(figsize=(7, 3.5))
    ax = fig.add_subplot()
    share = (topics["mean_attempted"] / topics["available"].where(topics["available"] > 0)).fillna(0)
    ax.bar(range(len(topics)), share, color="#1f4e79", hatch="//", edgecolor="white")
    ax.set_xticks(range(len(topics)), [str(t)[:2] for t in topics["topic"]])
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of practice answered (mean)")
    ax.set_xlabel("topic (number)")
    alt = (
        f"Bar chart over {len(topics)} topics of the mean share of practice exercises each participant answered, "
        f"from {_pct(share.min())} to {_pct(share.max())}. The table above gives the numbers."
    )
    return table(shown, "Practice engagement per topic (answers collected with the submissions)") + figure_html(
        fig, alt, "Mean share of a topic's practice exercises that participants answered"
    )


_DEFINITIONS = f"""
<ul>
<li><strong>Difficulty</strong>: the share of an item's points the class earned (1 = everybody got everything).</li>
<li><strong>Discrimination</strong>: the correlation between the score on the item and the score on every other
item (the point-biserial correlation for right/wrong items). Around 0.3 or more is usual for a good item; below
0, stronger participants did worse than weaker ones: check the key and the wording. With fewer than
{analytics.SMALL_CLASS} participants it is mostly chance.</li>
<li><strong>Distractors</strong>: how many chose each option (named by the text participants saw); for matching
each pair; for ordering, where each item was placed; for scenarios, each option at each step. Unreadable answers
are not counted.</li>
<li><strong>Written answers</strong> are marked by hand against their rubric, not right or wrong: their table
gives the mean share of points, how many reached half of them, and how many the top level of every criterion.
They are flagged only when nobody reached half the points.</li>
<li><strong>Attainment</strong>: points earned on the items of an outcome / points available on them; a topic not
submitted counts 0; answers waiting for a hand grade are left out until graded.</li>
</ul>
"""


def render(data: ClassData, title: str = "Class report") -> str:
    """The report as one HTML document."""
    totals = analytics.topic_totals(data)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        ("missing", "What is missing", _missing_section(data)),
        ("topics", "Topics", _topic_section(data, totals)),
        ("attention", "Participants who need attention", _attention_section(data, totals)),
        ("outcomes", "Learning outcomes", _outcome_section(data)),
        ("items", "Graded items", _item_section(data)),
        ("practice", "Practice engagement", _practice_section(data)),
        ("definitions", "How the numbers are computed", _DEFINITIONS),
    ]
    nav = "".join(f"<li><a href='#{key}'>{_e(name)}</a></li>" for key, name, _ in sections)
    body = "".join(f"<section id='{key}'><h2>{_e(name)}</h2>{content}</section>" for key, name, content in sections)
    left_out = f"<p>Left out, never released: {_e(', '.join(data.unreleased))}.</p>" if data.unreleased else ""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body><main>"
        f"<h1>{_e(title)}</h1><p>{len(data.students)} participant(s), {len(data.topics)} topic(s); generated {stamp}. "
        f"This file holds participants' grades: keep it private.</p>{left_out}"
        f"<nav aria-label='Sections'><ul>{nav}</ul></nav>{body}</main></body></html>"
    )


def write_report(data: ClassData, path: Path, title: str = "Class report") -> Path:
    atomic.write_text(path, render(data, title), private=True)  # it holds grades: owner only
    return path
