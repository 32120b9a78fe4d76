"""Tests for coursekit.topics.incident_analysis on small hand-made tables (not the course data)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from coursekit.topics.incident_analysis import (
    NO_ATTRIBUTION,
    NO_START_DATE,
    attribution_steps,
    count_labels,
    first_public_attribution,
    format_date,
    incident_overview,
    parse_date,
    plot_attribution_lag,
)


def test_parse_date_keeps_full_dates_and_rounds_partial_ones_down():
    assert parse_date("2017-06-27") == pd.Timestamp(2017, 6, 27)
    assert parse_date("2018-09", "month") == pd.Timestamp(2018, 9, 1)
    assert parse_date("2018-09-17", "month") == pd.Timestamp(2018, 9, 1)
    assert parse_date("2007", "year") == pd.Timestamp(2007, 1, 1)
    assert parse_date("2007-04-26", None) == pd.Timestamp(2007, 4, 26)


@pytest.mark.parametrize("empty", [None, "", float("nan"), "NaN", pd.NaT])
def test_parse_date_returns_nat_for_empty_values(empty):
    assert parse_date(empty) is pd.NaT


def test_count_labels_splits_cells_and_counts_each_label_once_per_row():
    values = pd.Series(["ransomware; supply-chain", "ddos", "ransomware", None, "ransomware;ransomware", ""])
    table = count_labels(values, label="technique")
    assert list(table.columns) == ["technique", "incidents"]
    assert table.to_dict("records") == [
        {"technique": "ransomware", "incidents": 3},
        {"technique": "ddos", "incidents": 1},
        {"technique": "supply-chain", "incidents": 1},
    ]


def _tables():
    incidents = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "name": ["Alpha", "Bravo", "Charlie", "Delta"],
            "start_date": ["2017-06-27", "2014-11-24", "2007-04-26", "2018-03"],
            "date_precision": ["day", "day", "day", "month"],
        }
    )
    attributions = pd.DataFrame(
        {
            "incident_id": ["a", "a", "a", "b", "d"],
            "attributing_party": ["United States", "United Kingdom", "European Union", "FBI", "Someone"],
            "date": ["2018-02-15", "2018-02-15", "2020-07-30", "2014-12-19", "2018-05-20"],
            "date_precision": ["day", "day", "day", "day", "day"],
            "attributed_to": ["Russia (GRU)", "Russia (GRU)", "GRU unit 74455", "North Korea", "X"],
        }
    )
    return incidents, attributions


def test_first_public_attribution_takes_the_earliest_date_and_joins_same_day_parties():
    table = first_public_attribution(*_tables()).set_index("incident")
    alpha = table.loc["Alpha"]
    assert alpha["first_attribution"] == pd.Timestamp(2018, 2, 15)
    assert alpha["attributed_by"] == "United States; United Kingdom"
    assert alpha["attributed_to"] == "Russia (GRU)"
    assert alpha["days"] == 233  # 27 June 2017 to 15 February 2018, counted by hand
    assert not alpha["approximate"]
    assert table.loc["Bravo", "days"] == 25


def test_incident_without_attribution_is_kept_and_says_so():
    table = first_public_attribution(*_tables()).set_index("incident")
    charlie = table.loc["Charlie"]
    assert charlie["attributed_by"] == NO_ATTRIBUTION
    assert pd.isna(charlie["days"]) and pd.isna(charlie["first_attribution"])


def test_month_precision_marks_the_lag_approximate():
    table = first_public_attribution(*_tables()).set_index("incident")
    assert table.loc["Delta", "approximate"]
    assert table.loc["Delta", "days"] == (pd.Timestamp(2018, 5, 20) - pd.Timestamp(2018, 3, 1)).days


def test_rows_are_in_date_order():
    table = first_public_attribution(*_tables())
    assert list(table["incident"]) == ["Charlie", "Bravo", "Alpha", "Delta"]


def test_plot_labels_every_bar_and_names_missing_attributions_in_words():
    fig = plot_attribution_lag(first_public_attribution(*_tables()))
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "233 days" in texts and "25 days" in texts
    assert any(t.startswith("~") for t in texts)  # Delta is approximate
    assert any(NO_ATTRIBUTION in t for t in texts)
    assert len(ax.patches) == 3  # no bar for the incident nobody attributed
    by_height = sorted(ax.get_yticklabels(), key=lambda t: t.get_position()[1], reverse=True)
    assert by_height[0].get_text() == "Charlie (2007)"  # earliest incident at the top
    assert by_height[-1].get_text() == "Delta (2018)"


def test_attributed_incident_without_start_date_is_not_called_unattributed():
    incidents = pd.DataFrame({"id": ["e"], "name": ["Echo"], "start_date": [None], "date_precision": [None]})
    attributions = pd.DataFrame(
        {
            "incident_id": ["e"],
            "attributing_party": ["European Union"],
            "date": ["2020-07-30"],
            "date_precision": ["day"],
            "attributed_to": ["Y"],
        }
    )
    table = first_public_attribution(incidents, attributions)
    assert table.loc[0, "attributed_by"] == "European Union"
    assert pd.isna(table.loc[0, "days"])
    texts = [t.get_text() for t in plot_attribution_lag(table).axes[0].texts]
    assert any(NO_START_DATE in t for t in texts) and not any(NO_ATTRIBUTION in t for t in texts)


def test_format_date_writes_only_what_is_known():
    assert format_date(pd.Timestamp(2014, 12, 19)) == "19 December 2014"
    assert format_date(pd.Timestamp(2018, 9, 1), "month") == "September 2018"
    assert format_date(pd.Timestamp(2015, 1, 1), "year") == "2015"
    assert format_date(pd.NaT) == ""


def test_attribution_steps_puts_each_kind_of_step_in_its_own_column():
    incidents, attributions = _tables()
    attributions = attributions.assign(method=["statement", "declaration", "sanction", "statement", "indictment"])
    attributions.loc[4, "date_precision"] = "month"
    table = attribution_steps(incidents, attributions).set_index("incident")
    assert list(table.columns) == ["named in a statement", "sanctions", "criminal charges"]
    assert table.loc["Alpha", "named in a statement"] == "15 February 2018"
    assert table.loc["Alpha", "sanctions"] == "30 July 2020"
    assert table.loc["Alpha", "criminal charges"] == "-"
    assert table.loc["Delta", "criminal charges"] == "May 2018"
    assert (table.loc["Charlie"] == "-").all()
    assert list(table.index) == ["Charlie", "Bravo", "Alpha", "Delta"]


def test_attribution_steps_keeps_the_earliest_date_of_a_kind_and_skips_undated_rows():
    incidents = pd.DataFrame({"id": ["w"], "name": ["W"], "start_date": ["2017-05-12"], "date_precision": ["day"]})
    attributions = pd.DataFrame(
        {
            "incident_id": ["w", "w", "w"],
            "attributing_party": ["P", "Q", "R"],
            "date": ["2020-07-30", "2017-12-01", None],
            "date_precision": ["day", "month", None],
            "attributed_to": ["x", "y", "z"],
            "method": ["statement", "statement", "statement"],
        }
    )
    table = attribution_steps(incidents, attributions)
    assert table.loc[0, "named in a statement"] == "December 2017"


def _typed(incidents, attributions):
    """The same tables with the dtypes datasets.load gives: real dates, categories, nullable booleans."""
    incidents = incidents.copy()
    incidents["start_date"] = pd.to_datetime(incidents["start_date"], format="mixed")
    incidents["date_precision"] = incidents["date_precision"].astype("category")
    attributions = attributions.copy()
    attributions["date"] = pd.to_datetime(attributions["date"])
    attributions["date_precision"] = attributions["date_precision"].astype("category")
    return incidents, attributions


def test_functions_accept_loaded_dtypes_with_missing_values():
    incidents, attributions = _typed(*_tables())
    extra = pd.DataFrame(
        {
            "id": ["e"],
            "name": ["Echo"],
            "start_date": [pd.NaT],
            "date_precision": pd.Categorical([None], categories=["day", "month", "year"]),
        }
    )
    incidents = pd.concat([incidents, extra], ignore_index=True)
    table = first_public_attribution(incidents, attributions).set_index("incident")
    assert table.loc["Alpha", "days"] == 233
    assert table.loc["Delta", "approximate"]
    assert pd.isna(table.loc["Echo", "days"])


def test_incident_overview_writes_dates_as_precisely_as_known_and_blanks_missing_values():
    incidents, _ = _typed(*_tables())
    incidents["attributed"] = pd.array([True, True, False, pd.NA], dtype="boolean")
    incidents["technique"] = pd.Categorical(["wiper", None, "DDoS", None])
    view = incident_overview(incidents, ["name", "start_date", "technique", "attributed"])
    assert view.loc[0].to_dict() == {
        "name": "Alpha",
        "start_date": "27 June 2017",
        "technique": "wiper",
        "attributed": "yes",
    }
    assert view.loc[3, "start_date"] == "March 2018"
    assert view.loc[1, "technique"] == "" and view.loc[3, "attributed"] == ""
    assert view.loc[2, "attributed"] == "no"


def test_plot_does_not_repeat_a_year_already_in_the_name_and_explains_the_hatching():
    incidents, attributions = _tables()
    incidents.loc[2, "name"] = "Charlie 2007"
    fig = plot_attribution_lag(first_public_attribution(incidents, attributions))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Charlie 2007" in labels and "Alpha (2017)" in labels
    assert any("approximate" in t.get_text() for t in fig.texts)
