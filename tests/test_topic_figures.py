"""The figures and tables the topic notebooks show, now built in ``coursekit.topics``: what a reader sees.

Expected values are recomputed here from the course's data sets, never copied from the code under test.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from coursekit.data import datasets  # noqa: E402
from coursekit.topics import toolbox_figures  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# --- topic 11 ---------------------------------------------------------------------------------------------


def test_sanctions_table_has_one_row_per_listing_with_its_incident():
    sanctions = datasets.load("eu_cyber_sanctions")
    incidents = datasets.load("incidents").set_index("id")["name"]
    frame, caption = toolbox_figures.sanctions_table()
    assert sorted(frame["Person or entity"]) == sorted(sanctions["name"])
    linked = dict(zip(frame["Person or entity"], frame["Main linked incident"]))
    for _, row in sanctions.iterrows():
        assert linked[row["name"]] == incidents[row["incident_id"]]
    assert sanctions["as_of"].max().strftime("%d %B %Y") in caption


def test_listings_chart_alt_text_gives_every_incident_its_counts():
    sanctions = datasets.load("eu_cyber_sanctions")
    names = datasets.load("incidents").set_index("id")["name"]
    fig, alt, caption = toolbox_figures.listings_chart()
    for incident_id, group in sanctions.groupby("incident_id"):
        persons = int((group["listing_type"] == "person").sum())
        entities = int((group["listing_type"] == "entity").sum())
        parts = [_plural(persons, "person")] if persons else []
        parts += [_plural(entities, "entity").replace("entitys", "entities")] if entities else []
        assert f"{names[incident_id]}: {' and '.join(parts)}" in alt
    hatched = [bar for bar in fig.axes[0].patches if bar.get_hatch() == "//"]
    assert sum(bar.get_width() for bar in hatched) == (sanctions["listing_type"] == "entity").sum()


def test_listing_delay_table_covers_every_incident_the_eu_listed_with_its_listing_date():
    attributions = datasets.load("attributions")
    listed = attributions[
        (attributions["attributing_party"] == "European Union") & (attributions["method"] == "sanction")
    ]
    names = datasets.load("incidents").set_index("id")["name"]
    frame, _ = toolbox_figures.listing_delay_table()
    expected = {names[i]: f"{d:%d %b %Y}" for i, d in listed.groupby("incident_id")["date"].min().items()}
    assert dict(zip(frame["Incident"], frame["EU listing"])) == expected
