"""Timeline figures are legible in the book's column and on a phone, with nothing cut short (issue 15).

The measure (:func:`coursekit.render.figures.rendered_texts`) is tried first on figures made to pass and to fail;
then every timeline the topics draw is built from the course data, the way the notebooks build it, and
its text is read back from the figure object.
"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from coursekit.data import datasets
from coursekit.render.figures import png_bytes, rendered_texts
from coursekit.topics import cascade
from coursekit.topics.milestones import for_topic, with_chart_labels
from coursekit.topics.timeline import lag_figure, timeline_figure

MIN_COLUMN_PX = 11  # at the book's column width (about 720 px)
PHONE_PX, MIN_PHONE_PX = 390, 8  # a common phone width; the figure shrinks to fit it
CUT_MARKS = ("…", "...")


def _figure(width_in: float, fontsize: float) -> Figure:
    fig = Figure(figsize=(width_in, 2))
    ax = fig.subplots()
    ax.set_title("A title", fontsize=fontsize)
    ax.tick_params(labelsize=fontsize)
    ax.set_xlabel("Year", fontsize=fontsize)
    return fig


def test_the_measure_sees_text_shrink_with_a_wide_figure():
    narrow = rendered_texts(_figure(6.0, 10))
    wide = rendered_texts(_figure(14.0, 8))  # what the old timelines were: wide, 8 pt
    assert min(t.px for t in narrow) >= MIN_COLUMN_PX
    assert max(t.px for t in wide) < MIN_COLUMN_PX
    title = next(t for t in narrow if t.text == "A title")
    assert title.px == pytest.approx(10 * 110 / 72)  # not scaled: the PNG is narrower than the column


def _assert_legible(fig: Figure) -> None:
    png = png_bytes(fig)
    column = rendered_texts(fig, png=png)
    small = [(t.text, round(t.px, 1)) for t in column if t.px < MIN_COLUMN_PX]
    assert small == [], f"text under {MIN_COLUMN_PX} px at the column width"
    phone = [(t.text, round(t.px, 1)) for t in rendered_texts(fig, PHONE_PX, png=png) if t.px < MIN_PHONE_PX]
    assert phone == [], f"text under {MIN_PHONE_PX} px on a {PHONE_PX} px phone"
    cut = [t.text for t in column if any(mark in t.text for mark in CUT_MARKS)]
    assert cut == [], "labels cut short"


@pytest.fixture(scope="module")
def instruments():
    return datasets.load("instruments")


def test_the_longest_labels_of_the_course_data_are_legible_and_whole(instruments):
    longest = instruments.loc[instruments["title"].str.len().sort_values(ascending=False).index[:25]]
    fig = timeline_figure(longest, title="The longest titles of the course data set, 1998 to today", with_title=True)
    _assert_legible(fig)
    shown = " ".join(t.get_text().replace("\n", " ") for t in fig.axes[0].texts)
    for title in longest["title"]:
        assert " ".join(title.split()) in shown  # wrapped over lines, never shortened


@pytest.mark.parametrize("topic", [1, 2, 5, 6, 10, 12])
def test_each_topic_timeline_is_legible(instruments, topic):
    items = for_topic(instruments, topic)
    assert len(items) >= 3
    _assert_legible(
        timeline_figure(
            with_chart_labels(items), label="chart_label", title=f"Milestones of topic {topic} (course data set)"
        )
    )


def test_the_cascade_timelines_are_legible():
    network = cascade.teaching_network()
    # the longest cascade, and the sector with the longest name
    for sector in ("Electricity (A)", "Satellite communications (regional)"):
        failures = cascade.simulate(network, sector, 72)
        _assert_legible(cascade.timeline_figure(failures, 72))


def test_topic_9_attribution_lags_are_legible():
    incidents = datasets.load("incidents").set_index("id")
    attributions = datasets.load("attributions")
    rows = []
    for case in ["ukraine-grid-2015", "ukraine-grid-2016", "wannacry", "colonial-pipeline", "viasat-ka-sat"]:
        dated = attributions[(attributions["incident_id"] == case) & attributions["date"].notna()]
        rows.append(
            {
                "Case": incidents.loc[case, "name"],
                "start": incidents.loc[case, "start_date"],
                "first_date": dated["date"].min(),
            }
        )
    fig = lag_figure(pd.DataFrame(rows), title="From the incident (○) to the first public attribution (■)")
    _assert_legible(fig)
    gaps = [t.get_text().strip() for t in fig.axes[0].texts]
    colonial = (pd.Timestamp(rows[3]["first_date"]) - pd.Timestamp(rows[3]["start"])).days
    assert f"{colonial} days" in gaps


def test_topic_10_posting_and_link_figures_are_legible():
    from coursekit.topics import synthetic_network as sn

    posts = sn.generate(seed=2022).posts  # the notebook's seed
    suspect = sorted(link for link in posts["link"].unique() if "the-real-story.example" in link)
    _assert_legible(sn.posting_time_figure(posts, highlight=suspect))
    links = sn.link_figure(posts)
    _assert_legible(links)
    shown = [t.get_text() for t in links.axes[0].texts]
    assert all(link.replace("https://", "") in shown for link in sn.link_summary(posts)["link"])


def test_topic_3_attribution_lag_chart_is_legible():
    import matplotlib.pyplot as plt

    from coursekit.topics.incident_analysis import first_public_attribution, plot_attribution_lag

    lags = first_public_attribution(datasets.load("incidents"), datasets.load("attributions"))
    fig = plot_attribution_lag(lags, title="How long until the first public attribution?")
    _assert_legible(fig)
    plt.close(fig)
