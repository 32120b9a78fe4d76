"""Reporting deadlines for a significant incident under NIS2 (Directive (EU) 2022/2555, Art. 23(4)).

Why this exists: topic 8 asks participants to work out when each report of a hypothetical incident is
due. The arithmetic is simple but easy to get wrong (the clock starts when the entity *becomes aware*,
not when the incident starts; the final report runs from the *notification*, not from awareness), so
the notebook computes the deadlines here and the exercises ask participants to read and reason about
them.

The rules, as the course's fact base states them:

* early warning: within 24 hours of becoming aware of the significant incident;
* incident notification: within 72 hours of becoming aware (24 hours for trust service providers);
* intermediate report: only on request of the CSIRT or competent authority (no fixed deadline);
* final report: within one month of the submission of the incident notification.

"One month" is read here as the same day and time of the following calendar month; where that day does
not exist (31 January + one month), the last day of that month. This is the course's simplification for
exercises, not legal advice: national transposition and the authority's practice decide real cases.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

EARLY_WARNING_HOURS = 24
NOTIFICATION_HOURS = 72
NOTIFICATION_HOURS_TRUST_SERVICE = 24


def add_one_month(moment: datetime) -> datetime:
    """The same day and time one calendar month later, clamped to the last day of a shorter month.

    >>> add_one_month(datetime(2025, 1, 31, 9, 30))
    datetime.datetime(2025, 2, 28, 9, 30)
    """
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class ReportingDeadlines:
    """The latest moments for each NIS2 report of one significant incident.

    ``final_report_from_submitted`` is True when the final-report deadline was computed from the moment
    the notification was actually submitted, False when it was computed from the latest allowed moment
    for the notification (the best the entity can plan for before it has notified).
    """

    aware_at: datetime
    early_warning: datetime
    incident_notification: datetime
    final_report: datetime
    trust_service_provider: bool
    final_report_from_submitted: bool

    def hours_after_awareness(self, deadline: datetime) -> float:
        """How many hours after becoming aware ``deadline`` falls."""
        return (deadline - self.aware_at) / timedelta(hours=1)

    def rows(self) -> list[dict[str, str]]:
        """The deadlines as plain-language rows (report, due by, hours after awareness, rule)."""
        notification_rule = (
            "within 24 hours of becoming aware (trust service provider)"
            if self.trust_service_provider
            else "within 72 hours of becoming aware"
        )
        final_basis = (
            "the submitted notification" if self.final_report_from_submitted else "the latest allowed notification"
        )
        fmt = "%a %d %b %Y, %H:%M"
        return [
            {
                "Report": "Early warning",
                "Due by": self.early_warning.strftime(fmt),
                "Hours after becoming aware": f"{self.hours_after_awareness(self.early_warning):g}",
                "Rule (Art. 23(4))": "within 24 hours of becoming aware",
            },
            {
                "Report": "Incident notification",
                "Due by": self.incident_notification.strftime(fmt),
                "Hours after becoming aware": f"{self.hours_after_awareness(self.incident_notification):g}",
                "Rule (Art. 23(4))": notification_rule,
            },
            {
                "Report": "Intermediate report",
                "Due by": "only if the CSIRT or authority asks",
                "Hours after becoming aware": "-",
                "Rule (Art. 23(4))": "on request",
            },
            {
                "Report": "Final report",
                "Due by": self.final_report.strftime(fmt),
                "Hours after becoming aware": f"{self.hours_after_awareness(self.final_report):g}",
                "Rule (Art. 23(4))": f"within one month of {final_basis}",
            },
        ]


def reporting_deadlines(
    aware_at: datetime,
    notification_submitted_at: datetime | None = None,
    trust_service_provider: bool = False,
) -> ReportingDeadlines:
    """Compute the NIS2 Art. 23(4) deadlines for an incident the entity became aware of at ``aware_at``.

    Pass ``notification_submitted_at`` once the incident notification has been sent: the final report
    then runs from that moment. It may be before or after the notification deadline (a late notification
    is still a notification), but not before the entity became aware. Naive and timezone-aware datetimes
    cannot be mixed.
    """
    if not isinstance(aware_at, datetime):
        raise TypeError("aware_at must be a datetime (the moment the entity became aware of the incident).")
    notification_hours = NOTIFICATION_HOURS_TRUST_SERVICE if trust_service_provider else NOTIFICATION_HOURS
    early_warning = aware_at + timedelta(hours=EARLY_WARNING_HOURS)
    notification = aware_at + timedelta(hours=notification_hours)
    if notification_submitted_at is not None:
        if not isinstance(notification_submitted_at, datetime):
            raise TypeError("notification_submitted_at must be a datetime or None.")
        if (aware_at.tzinfo is None) != (notification_submitted_at.tzinfo is None):
            raise ValueError("Give both moments with a time zone, or both without one.")
        if notification_submitted_at < aware_at:
            raise ValueError("The notification cannot be submitted before the entity became aware of the incident.")
        final = add_one_month(notification_submitted_at)
    else:
        final = add_one_month(notification)
    return ReportingDeadlines(
        aware_at=aware_at,
        early_warning=early_warning,
        incident_notification=notification,
        final_report=final,
        trust_service_provider=trust_service_provider,
        final_report_from_submitted=notification_submitted_at is not None,
    )
