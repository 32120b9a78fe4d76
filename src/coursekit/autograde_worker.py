"""A long-lived grading worker: imports nbgrader once, then autogrades one student at a time.

Started by :mod:`coursekit.autograde` as ``python -m coursekit.autograde_worker COURSE_ROOT CELL_TIMEOUT``.
It reads requests (``{"topic": ..., "student": ...}``, one JSON object a line) on stdin and answers each
with one line starting with ``@@coursekit`` on stdout. Starting nbgrader costs seconds; paying it once per
worker instead of once per student is what makes parallel grading faster than nbgrader's own loop. Each
student's notebook still runs in a fresh kernel of its own, and the parent process kills a worker whose
student takes too long (kernel included) and starts another.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MARKER = "@@coursekit "


def main() -> None:
    root, cell_timeout = Path(sys.argv[1]), int(sys.argv[2])
    from nbgrader.apps import NbGraderAPI

    from .course import Course, _venv_on_path

    _venv_on_path()
    config = Course(root).config.copy()
    config.CourseDirectory.root = str(root)
    config.Execute.timeout = cell_timeout
    api = NbGraderAPI(config=config)
    out = sys.stdout
    sys.stdout = sys.stderr  # anything else printed must not be mistaken for an answer
    for line in sys.stdin:
        request = json.loads(line)
        try:
            result = api.autograde(request["topic"], request["student"], force=True, create=True)
            answer = {"ok": bool(result.get("success")),
                      "log": ((result.get("log") or "") + "\n" + (result.get("error") or ""))[-6000:]}
        except Exception as err:  # a broken submission must not end the worker silently
            answer = {"ok": False, "log": f"{type(err).__name__}: {err}"}
        out.write(MARKER + json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
