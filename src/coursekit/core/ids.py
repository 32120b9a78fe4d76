"""What an exercise id may look like: the one pattern the exercise model and the answers store both check.

Why one home: an id the model accepts but the store refuses (or the other way round) would be an exercise
whose answers cannot be saved, found only when a participant answers it.
"""

from __future__ import annotations

import re

#: 1-80 letters, digits, ``-`` or ``_``, starting with a letter or digit: safe as a JSON key, a file-name
#: part and an HTML id. The answers file's JSON Schema states the same pattern (a test compares them).
EXERCISE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$"
EXERCISE_ID = re.compile(EXERCISE_ID_PATTERN)

#: The id of a topic's strategy-log entry (the LO2 capstone's running note), NN = the topic number: topic 12's
#: portfolio reads the entries by it and the reading-load measure sets them apart by it.
STRATEGY_LOG_ID = re.compile(r"^strategy-log-(\d{2})$")
