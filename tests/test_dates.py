"""The course's one date helper: dates written and placed at the precision the data know."""

import datetime

import pandas as pd
import pytest

from coursekit.core import dates
from coursekit.topics.incident_analysis import format_date
from coursekit.topics.milestones import display_date


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("2014-12-19", "day", "19 December 2014"),
        ("2018-09", "month", "September 2018"),
        ("2015", "year", "2015"),
        ("2015-06-30", "YEAR ", "2015"),
        (pd.Timestamp(2017, 12, 1), "month", "December 2017"),
        (datetime.date(2001, 11, 23), float("nan"), "23 November 2001"),
        (pd.NaT, "day", ""),
        ("", "month", ""),
    ],
)
def test_display_date_writes_only_what_is_known(value, precision, expected):
    assert dates.display_date(value, precision) == expected


def test_topics_share_one_way_of_writing_a_date():
    """Topic 3's incident tables and the milestone tables write the same date the same way."""
    stamp = pd.Timestamp(2017, 12, 1)
    for precision in ("day", "month", "year"):
        assert format_date(stamp, precision) == display_date(stamp, precision)


@pytest.mark.parametrize("bad", ["2014/09/05", "19 Dec 2014", "2014-13-01", "14-09-05"])
def test_text_that_is_not_an_iso_date_is_refused(bad):
    with pytest.raises(ValueError):
        dates.display_date(bad)


def test_period_start_and_axis_place_follow_the_precision():
    assert dates.period_start("2018-09-17", "month") == (2018, 9, 1)
    assert dates.period_start("2018-09-17", "year") == (2018, 1, 1)
    assert dates.period_start(None) is None
    assert dates.decimal_year("2015-01-01", "year") == 2015.5
    assert dates.decimal_year("2018-12-01", "month") == pytest.approx(2018 + 11.5 / 12)
    # a day-precise date sits inside its own day: 1 January is near the year's start, not mid-year
    assert 2015.0 < dates.decimal_year("2015-01-01") < 2015.01
    assert dates.precision_of("fortnight") == "day"


def test_short_months_keep_the_precision():
    """Narrow columns and chart labels abbreviate the month, never invent a day (the topics' one formatter)."""
    assert dates.display_date("2013-02-07", "day", short=True) == "7 Feb 2013"
    assert dates.display_date("2017-12-01", "month", short=True) == "Dec 2017"
    assert dates.display_date("2015-01-01", "year", short=True) == "2015"
