"""What the participant has submitted, as nbgrader's exchange records it (the Assignment List's own source).

Why through nbgrader: the Assignment List shows submissions from nbgrader's per-user cache, filled by
``nbgrader submit``; reading the same list with nbgrader's public exchange classes keeps "My course" and the
Assignment List in agreement on every setup (a hub's private submit included). Where no exchange is set up
(Binder, a laptop) there is nothing to submit to, and the answer says so rather than "not submitted".

Why a shortcut before nbgrader: importing nbgrader costs a kernel about 0.9 CPU-s (it loads its server
extensions), and at nine o'clock on day one thirty participants open the orientation at once with nothing
submitted yet. When nbgrader's configuration is one whose listing this module can follow exactly (the
course's own settings: course id, exchange root, cache) and the cache holds no submission, the answer is
nbgrader's without nbgrader: no submission, or no exchange when nbgrader would refuse the exchange folder.
Anything else (a submission in the cache, an exchange class or listing option set) goes through nbgrader.
"""

from __future__ import annotations

import glob
import logging
import os
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path

from jupyter_core.application import JupyterApp
from jupyter_core.paths import jupyter_data_dir
from traitlets.config import Config

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
        with chdir(course_folder):
            known = _answer_without_nbgrader(_nbgrader_config())
    except Exception:  # a configuration file that does not load: let nbgrader decide, as the Assignment List does
        known = _ASK_NBGRADER
    return _listed_by_nbgrader(course_folder) if known is _ASK_NBGRADER else known


def _listed_by_nbgrader(course_folder: Path) -> dict[str, Submission] | None:
    """nbgrader's cached listing (``nbgrader list --cached``), read through its public exchange classes."""
    try:
        from nbgrader.apps import NbGrader
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeFactory
    except ImportError:  # a participant environment without nbgrader: no exchange to ask
        return None
    try:
        with chdir(course_folder):
            app = NbGrader(log_level=logging.CRITICAL)
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


_ASK_NBGRADER = object()  # the shortcut cannot tell: nbgrader's own listing answers
_DEFAULT_EXCHANGE_ROOT = "/usr/local/share/nbgrader/exchange"  # nbgrader 0.9's Exchange.root default
# CourseDirectory settings the listing never reads (where an instructor's folders are)
_COURSE_FOLDERS = {
    "root",
    "source_directory",
    "release_directory",
    "submitted_directory",
    "autograded_directory",
    "feedback_directory",
    "solution_directory",
    "db_url",
    "ignore",
    "include",
    "max_file_size",
    "notebook_id",
    "assignment_id_pattern",
}
# settings the shortcut follows; any other setting of these sections may change the listing, so nbgrader lists
_FOLLOWED = {"Exchange": {"root", "cache"}, "CourseDirectory": {"course_id", *_COURSE_FOLDERS}}
# sections nbgrader's listing reads (the list class and its bases, the course folder, the authenticator), with
# the outdated names nbgrader still moves into them
_LISTING_SECTIONS = {
    "NbGrader",
    "NbGraderConfig",
    "BasicConfig",
    "BaseNbGraderApp",
    "BaseApp",
    "TransferApp",
    "Exchange",
    "ExchangeList",
    "CourseDirectory",
    "Authenticator",
    "LoggingConfigurable",
    "Configurable",
}


class _NbgraderConfigFiles(JupyterApp):
    """Reads ``nbgrader_config.py``/``.json`` from the places and in the order nbgrader's apps do, importing
    nothing of nbgrader (``NbGrader.load_config_file``: Jupyter's configuration path, then the working folder)."""

    name = "nbgrader"


def _nbgrader_config() -> Config:
    app = _NbgraderConfigFiles(log_level=logging.CRITICAL)
    app.load_config_file()
    super(JupyterApp, app).load_config_file(app.config_file_name, os.getcwd())
    return app.config


def _answer_without_nbgrader(config: Config) -> dict[str, Submission] | None | object:
    """nbgrader's cached listing, when ``config`` is one this module can follow and the cache is empty."""
    if {"list", "exchange"} & set(config.get("ExchangeFactory", {})):
        return _ASK_NBGRADER
    if any(set(config.get(section, {})) - _FOLLOWED.get(section, set()) for section in _LISTING_SECTIONS):
        return _ASK_NBGRADER
    settings = {
        "root": config.get("Exchange", {}).get("root", _DEFAULT_EXCHANGE_ROOT),
        "cache": config.get("Exchange", {}).get("cache", os.path.join(jupyter_data_dir(), "nbgrader_cache")),
        "course_id": config.get("CourseDirectory", {}).get("course_id", "") or "*",
    }
    if not all(isinstance(value, str) for value in settings.values()):
        return _ASK_NBGRADER
    if glob.glob(os.path.join(settings["cache"], settings["course_id"], "*+*+*")):
        return _ASK_NBGRADER  # something was submitted: nbgrader reads its notebooks and feedback
    # nbgrader's Exchange.ensure_root: an exchange folder this account cannot write means nothing to submit to
    root = settings["root"]
    return {} if os.path.isdir(root) and os.access(root, os.W_OK | os.X_OK) else None
