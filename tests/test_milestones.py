"""Tests for coursekit.topics.milestones: topic selection, honest dates and words for confidence and updates."""

from __future__ import annotations

import datetime

import pytest

from coursekit.topics import milestones

pd = pytest.importorskip("pandas")


def _frame() -> "pd.DataFrame":
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2016-07-01", "2001-11-23", "2024-12-24", "2008-01-01", "2019-03-01"]),
            "date_precision": ["month", "day", "day", "year", "month"],
            "body": ["NATO", "Council of Europe", "UN General Assembly", "NATO", "Some body"],
            "symbol": ["para 70", "ETS 185", "A/RES/79/243", None, None],
            "title": ["Warsaw", "Budapest opened", "UN convention", "First policy", "Only topic 10"],
            "topics": ["6", "5;6", "6", "1;6", "10;11"],
            "after_course": pd.array([False, False, True, False, pd.NA], dtype="boolean"),
            "confidence": ["H", "H", "H", "M", "H"],
        }
    )


def test_topic_numbers_reads_whole_numbers() -> None:
    assert milestones.topic_numbers("2;5") == {2, 5}
    assert milestones.topic_numbers(" 10 ; 1 ") == {1, 10}
    assert milestones.topic_numbers("") == set()
    assert milestones.topic_numbers(None) == set()
    assert milestones.topic_numbers(float("nan")) == set()
    with pytest.raises(ValueError):
        milestones.topic_numbers("5;five")


def test_for_topic_matches_whole_numbers_and_sorts_by_date() -> None:
    six = milestones.for_topic(_frame(), 6)
    assert list(six["title"]) == ["Budapest opened", "First policy", "Warsaw", "UN convention"]
    # topic 1 must not pick up the row tagged 10;11
    assert list(milestones.for_topic(_frame(), 1)["title"]) == ["First policy"]
    assert milestones.for_topic(_frame(), 12).empty


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("2014-09-05", "day", "5 September 2014"),
        ("2016-07-01", "month", "July 2016"),
        ("2008-01-01", "year", "2008"),
        (datetime.date(2001, 11, 23), "day", "23 November 2001"),
        ("2015-04-16", None, "16 April 2015"),
        ("2015-04-16", "fortnight", "16 April 2015"),
        ("", "day", ""),
        (None, "day", ""),
    ],
)
def test_display_date_never_adds_precision(value: object, precision: object, expected: str) -> None:
    assert milestones.display_date(value, precision) == expected


def test_display_date_reads_timestamps_and_nat() -> None:
    assert milestones.display_date(pd.Timestamp("2021-06-01"), "month") == "June 2021"
    assert milestones.display_date(pd.NaT, "day") == ""


def test_display_date_rejects_non_dates() -> None:
    with pytest.raises(ValueError):
        milestones.display_date("May 2022", "month")
    with pytest.raises(ValueError):
        milestones.display_date("2022-13-01", "day")


def test_readable_table_words_for_confidence_and_updates() -> None:
    table = milestones.readable_table(milestones.for_topic(_frame(), 6))
    assert list(table.columns) == ["When", "Body", "Symbol", "What", "Confidence", "Timing"]
    assert list(table["When"]) == ["23 November 2001", "2008", "July 2016", "24 December 2024"]
    assert list(table["Symbol"]) == ["ETS 185", "", "para 70", "A/RES/79/243"]
    assert table.loc[1, "Confidence"].startswith("reported")
    assert table.loc[0, "Confidence"] == "checked"
    assert list(table["Timing"]) == [
        "known at the course (May 2022)",
        "known at the course (May 2022)",
        "known at the course (May 2022)",
        "update since the course",
    ]


def test_readable_table_treats_missing_update_flag_as_known() -> None:
    table = milestones.readable_table(milestones.for_topic(_frame(), 10))
    assert list(table["Timing"]) == ["known at the course (May 2022)"]


def test_readable_table_on_the_shipped_instruments() -> None:
    from coursekit.data import datasets

    instruments = datasets.load("instruments")
    table = milestones.readable_table(milestones.for_topic(instruments, 6))
    assert len(table) > 0
    assert (table["When"] != "").all()
    assert set(table["Timing"]) <= {"known at the course (May 2022)", "update since the course"}


def test_chart_labels_name_document_and_step() -> None:
    labelled = milestones.with_chart_labels(milestones.for_topic(_frame(), 6))
    assert list(labelled["chart_label"]) == [
        "ETS 185: Budapest opened",
        "First policy",
        "para 70: Warsaw",
        "A/RES/79/243: UN convention",
    ]
    # the input is left untouched
    assert "chart_label" not in _frame().columns


def test_chart_labels_handle_pandas_missing_values() -> None:
    frame = pd.DataFrame({"symbol": pd.array([pd.NA, "X 1"], dtype="string"), "title": ["A", "B"]})
    assert list(milestones.with_chart_labels(frame, column="lab")["lab"]) == ["A", "X 1: B"]
