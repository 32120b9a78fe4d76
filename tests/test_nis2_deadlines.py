"""Tests for the NIS2 Art. 23(4) reporting deadlines used in topic 8."""

from datetime import datetime, timedelta, timezone

import pytest

from coursekit.topics.nis2_deadlines import add_one_month, reporting_deadlines


def test_standard_entity_deadlines_count_from_awareness():
    aware = datetime(2025, 3, 3, 8, 0)  # a Monday
    d = reporting_deadlines(aware)
    assert d.early_warning == datetime(2025, 3, 4, 8, 0)
    assert d.incident_notification == datetime(2025, 3, 6, 8, 0)
    assert d.hours_after_awareness(d.early_warning) == 24
    assert d.hours_after_awareness(d.incident_notification) == 72


def test_trust_service_provider_notifies_within_24_hours():
    aware = datetime(2025, 3, 3, 8, 0)
    d = reporting_deadlines(aware, trust_service_provider=True)
    assert d.incident_notification == datetime(2025, 3, 4, 8, 0)
    assert d.early_warning == datetime(2025, 3, 4, 8, 0)


def test_final_report_runs_from_submitted_notification_not_awareness():
    aware = datetime(2025, 3, 3, 8, 0)
    sent = datetime(2025, 3, 5, 11, 0)
    d = reporting_deadlines(aware, notification_submitted_at=sent)
    assert d.final_report == datetime(2025, 4, 5, 11, 0)
    assert d.final_report_from_submitted
    # The notification deadline itself does not move when the entity notifies early.
    assert d.incident_notification == datetime(2025, 3, 6, 8, 0)


def test_final_report_planned_from_latest_notification_when_not_yet_sent():
    d = reporting_deadlines(datetime(2025, 3, 3, 8, 0))
    assert d.final_report == datetime(2025, 4, 6, 8, 0)
    assert not d.final_report_from_submitted


def test_deadlines_cross_month_and_year_ends():
    d = reporting_deadlines(datetime(2024, 12, 30, 23, 0))
    assert d.incident_notification == datetime(2025, 1, 2, 23, 0)
    assert d.final_report == datetime(2025, 2, 2, 23, 0)


@pytest.mark.parametrize(
    "start, expected",
    [
        (datetime(2025, 1, 31, 9, 30), datetime(2025, 2, 28, 9, 30)),
        (datetime(2024, 1, 31, 9, 30), datetime(2024, 2, 29, 9, 30)),  # leap year
        (datetime(2025, 12, 15, 0, 0), datetime(2026, 1, 15, 0, 0)),
        (datetime(2025, 3, 31, 12, 0), datetime(2025, 4, 30, 12, 0)),
        (datetime(2025, 4, 30, 12, 0), datetime(2025, 5, 30, 12, 0)),
    ],
)
def test_add_one_month(start, expected):
    assert add_one_month(start) == expected


def test_time_zone_is_kept():
    cet = timezone(timedelta(hours=1))
    d = reporting_deadlines(datetime(2025, 3, 3, 8, 0, tzinfo=cet))
    assert d.incident_notification.tzinfo is cet
    assert d.incident_notification.hour == 8


def test_rejects_notification_before_awareness():
    with pytest.raises(ValueError, match="before"):
        reporting_deadlines(datetime(2025, 3, 3, 8, 0), notification_submitted_at=datetime(2025, 3, 2, 8, 0))


def test_rejects_mixed_naive_and_aware_moments():
    with pytest.raises(ValueError, match="time zone"):
        reporting_deadlines(
            datetime(2025, 3, 3, 8, 0), notification_submitted_at=datetime(2025, 3, 4, 8, 0, tzinfo=timezone.utc)
        )


def test_rejects_non_datetime():
    with pytest.raises(TypeError):
        reporting_deadlines("2025-03-03 08:00")  # type: ignore[arg-type]


def test_rows_describe_every_report_in_words():
    d = reporting_deadlines(datetime(2025, 3, 3, 8, 0), notification_submitted_at=datetime(2025, 3, 5, 11, 0))
    rows = d.rows()
    assert [r["Report"] for r in rows] == [
        "Early warning",
        "Incident notification",
        "Intermediate report",
        "Final report",
    ]
    assert rows[0]["Hours after becoming aware"] == "24"
    assert rows[1]["Hours after becoming aware"] == "72"
    assert rows[1]["Due by"] == "Thu 06 Mar 2025, 08:00"
    assert "submitted notification" in rows[3]["Rule (Art. 23(4))"]
    assert "request" in rows[2]["Rule (Art. 23(4))"]
