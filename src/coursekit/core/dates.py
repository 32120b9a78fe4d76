"""Dates known only to the day, the month or the year: one reading, one way of writing them, one placing.

Why: the course data record some dates only to the month or year (``date_precision``), stored as the
period's first day. Showing such a date in full would invent precision the facts do not have. Three topic
modules (milestones, incident analysis, timeline) each had their own helper, with different month names
("Dec 2017" and "December 2017") and different handling of a missing or unknown precision; this module is
the one helper they share, so a reader sees every date of the course written the same way.

Nothing here imports pandas: a pandas ``Timestamp`` is read like any date, and ``NaT`` counts as missing.
"""

from __future__ import annotations

from typing import Any, Literal

Precision = Literal["day", "month", "year"]
PRECISIONS: tuple[str, ...] = ("day", "month", "year")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas ``NaT``/``NA`` and empty text: values that name no date."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, str):
        return not value.strip() or value.strip().lower() in ("nan", "nat", "none")
    return str(value) in ("NaT", "<NA>", "nan")


def precision_of(value: Any) -> Precision:
    """``day``, ``month`` or ``year``. A missing precision counts as ``day``, as does an unknown word
    (the data package's schema allows only these three, so anything else is a typo, not a coarser date)."""
    if is_missing(value):
        return "day"
    text = str(value).strip().lower()
    return text if text in PRECISIONS else "day"  # type: ignore[return-value]


def date_parts(value: Any) -> tuple[int, int, int] | None:
    """(year, month, day) of a date, datetime, pandas Timestamp or ISO text (``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``, a time after the date is ignored); None if ``value`` is missing.

    Raises ValueError for text that is not such a date.
    """
    if is_missing(value):
        return None
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        year, month, day = int(value.year), int(value.month), int(value.day)
    else:
        text = str(value).strip()[:10]
        parts = text.split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(p) for p in parts + ["1"] * (3 - len(parts)))
    if not 1 <= month <= 12:
        raise ValueError(f"{value!r} has no month {month}")
    if not 1 <= day <= 31:
        raise ValueError(f"{value!r} has no day {day}")
    return year, month, day


def display_date(value: Any, precision: Any = "day", *, short: bool = False) -> str:
    """A date written no more precisely than it is known: "5 September 2014", "July 2016", "2008"; "" if missing.

    ``short=True`` abbreviates the month to three letters ("5 Sep 2014", "Jul 2016"), for narrow table
    columns and chart labels.
    """
    parts = date_parts(value)
    if parts is None:
        return ""
    year, month, day = parts
    known = precision_of(precision)
    name = MONTHS[month - 1][:3] if short else MONTHS[month - 1]
    if known == "year":
        return str(year)
    if known == "month":
        return f"{name} {year}"
    return f"{day} {name} {year}"


def period_start(value: Any, precision: Any = "day") -> tuple[int, int, int] | None:
    """(year, month, day) of the first day of the period ``value`` names at ``precision``; None if missing.

    Taking the first day keeps every date comparable; callers use :func:`precision_of` to mark a result
    as approximate.
    """
    parts = date_parts(value)
    if parts is None:
        return None
    year, month, day = parts
    known = precision_of(precision)
    return (year, 1, 1) if known == "year" else (year, month, 1) if known == "month" else (year, month, day)


def decimal_year(value: Any, precision: Any = "day") -> float:
    """A date as a fractional year, for a marker on a year axis: a year-only date sits mid-year and a
    month-only date mid-month, so "2015" is not drawn as if it were New Year's Day."""
    parts = date_parts(value)
    if parts is None:
        raise ValueError("a missing date has no place on a year axis")
    year, month, day = parts
    known = precision_of(precision)
    if known == "year":
        return year + 0.5
    if known == "month":
        return year + (month - 0.5) / 12.0
    import datetime as dt

    return year + (dt.date(year, month, day).timetuple().tm_yday - 0.5) / 366.0
