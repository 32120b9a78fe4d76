"""The page's renderer module run in Node, for tests that compare what the page computes with Python.

Why: the exercise and form renderer (``coursekit-exercise.js``) computes practice feedback, book form keys and
the framing explorer's cues in the browser. Each parity test drives it through a small driver in
``tests/js/`` that reads one JSON question per line and answers one JSON line; this class is that process.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
MODULE = REPO / "src" / "coursekit" / "render" / "static" / "coursekit-exercise.js"


class NodePage:
    """One Node process running ``tests/js/<driver>`` on the renderer module."""

    def __init__(self, driver: str) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.fail("Node.js is needed to run the page's renderer module (apt-get install nodejs)")
        self.proc = subprocess.Popen(
            [node, str(REPO / "tests" / "js" / driver), str(MODULE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def ask(self, question: dict[str, Any]) -> Any:
        """Send one question; return the page's answer."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(question) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
