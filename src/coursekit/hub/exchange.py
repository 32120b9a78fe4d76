"""nbgrader's submit, with the submission folder closed to everyone but its owner's writes.

nbgrader 0.9.6 leaves each folder it submits into the exchange's inbound folder world-writable (0777, "so
the instructor can delete later"): on a shared hub, anyone who learns its name can then delete and replace
the files in it. Here the folder is 0755 like the files' own modes: the instructor still reads and collects
it, and only its owner (or root) can change it. The hub's participant configuration selects this class.
"""

from __future__ import annotations

import os

from nbgrader.exchange.default.submit import ExchangeSubmit

SUBMISSION_MODE = 0o755


class PrivateSubmit(ExchangeSubmit):
    """``nbgrader submit`` as usual, then the new submission folder made writable by its owner only."""

    def copy_files(self) -> None:
        super().copy_files()
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), SUBMISSION_MODE)
