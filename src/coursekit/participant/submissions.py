"""What the participant has submitted, as nbgrader's exchange records it (the Assignment List's own source).

Why through nbgrader: the Assignment List shows submissions from nbgrader's per-user cache, filled by
``nbgrader submit``; reading the same list with nbgrader's public exchange classes keeps "My course" and the
Assignment List in agreement on every setup (a hub's private submit included). Where no exchange is set up
(Binder, a laptop) there is nothing to submit to, and the answer says so rather than "not submitted".
"""

from __future__ import annotations

import logging
import os
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path

_SILENT = logging.getLogger("coursekit.participant.submissions")  # nbgrader logs nothing into the notebook
_SILENT.setLevel(logging.CRITICAL + 1)
_SILENT.propagate = False


@dataclass(frozen=True)
class Submission:
    """The participant's latest submission of one topic, and whether feedback on it has come back."""

    timestamp: str
    feedback_ready: bool
    feedback_fetched: bool


def submissions(course_folder: Path) -> dict[str, Submission] | None:
    """The latest submission per topic (nbgrader's assignment id), or None when this setup has no exchange.

    ``course_folder`` is where the participant's topic folders are (the folder the Assignment List works
    in): nbgrader reads its configuration from there and from Jupyter's configuration paths.
    """
    try:
        from jupyter_core.paths import jupyter_config_path
        from nbgrader.apps import NbGrader
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeFactory
    except ImportError:  # a participant environment without nbgrader: no exchange to ask
        return None
    try:
        with chdir(course_folder):
            app = NbGrader(log_level=logging.CRITICAL)
            app.config_file_paths.append([os.getcwd(), *jupyter_config_path()])
            app.load_config_file()
            config = app.config
            config.ExchangeList.cached = True
            lister = ExchangeFactory(config=config).List(
                coursedir=CourseDirectory(config=config),
                authenticator=Authenticator(config=config),
                config=config,
                log=_SILENT,
            )
            found = lister.start()
    except Exception:  # nbgrader's exchange refuses (no exchange folder, no course id): nothing to submit to
        return None
    latest: dict[str, Submission] = {}
    for group in found if isinstance(found, list) else []:  # one group per topic, each with its submissions
        for entry in group.get("submissions") or [] if isinstance(group, dict) else []:
            topic, timestamp = str(entry.get("assignment_id", "")), str(entry.get("timestamp", ""))
            if not topic or (topic in latest and latest[topic].timestamp >= timestamp):
                continue
            notebooks = entry.get("notebooks") or []
            latest[topic] = Submission(
                timestamp=timestamp,
                feedback_ready=any(nb.get("has_exchange_feedback") for nb in notebooks),
                feedback_fetched=any(nb.get("has_local_feedback") for nb in notebooks),
            )
    return latest
