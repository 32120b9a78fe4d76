"""The "saved at" time of an answer: written one way, read one way, shown one way.

Why one home: the answers store writes it, the strategy builder shows it, the class data read it, and the
answers file's JSON Schema and ``book/answers-format.md`` describe it. The format is ISO 8601 in UTC to the
second with an explicit offset, e.g. ``2026-05-18T09:30:00+00:00``: sortable as text, unambiguous across
time zones, and read by ``datetime.fromisoformat`` and by JavaScript's ``Date``.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

#: The written form (a test checks that the JSON Schema states the same pattern).
SAVED_AT_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
_SAVED_AT = re.compile(SAVED_AT_PATTERN)


def now() -> str:
    """The current time in the written form."""
    return format_saved_at(datetime.now(timezone.utc))


def format_saved_at(moment: datetime) -> str:
    """``moment`` (timezone-aware) in the written form, converted to UTC."""
    if moment.tzinfo is None:
        raise ValueError("a saved-at time must carry its time zone")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_saved_at(text: str) -> datetime:
    """The moment a written saved-at time names; ValueError if it is not in the written form."""
    if not isinstance(text, str) or not _SAVED_AT.match(text):
        raise ValueError(f"{text!r} is not a saved-at time such as 2026-05-18T09:30:00+00:00")
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def show_saved_at(text: str) -> str:
    """A saved-at time for a reader, in UTC: ``2026-05-18 09:30:00 UTC``; unreadable text is shown as it is."""
    try:
        moment = parse_saved_at(text).astimezone(timezone.utc)
    except ValueError:
        return str(text)
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"
