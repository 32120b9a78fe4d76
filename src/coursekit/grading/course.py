"""The course folder as nbgrader sees it, and a safe way to run nbgrader commands in it.

All instructor commands run with the course root as working directory, with this environment's ``bin``
folder first on ``PATH`` (nbgrader calls its ``alembic`` helper by name), and in a process group of their
own so that a hung command can be stopped with everything it started.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .authoring import source_notebooks


def _venv_on_path() -> None:
    """nbgrader runs its ``alembic`` helper by name: make this environment's ``bin`` folder findable."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")


def valid_student_id(student: str) -> bool:
    """True for an id that is safe as one folder name (no path separator, no '..', nothing unprintable)."""
    return bool(_STUDENT_ID.match(student)) and ".." not in student


def terminal_safe(text: str) -> str:
    """Participant-chosen text (an id, a note) for the terminal: anything unprintable shown escaped."""
    return text if text.isprintable() else json.dumps(text)[1:-1]


def redact_url(url: str) -> str:
    """A database URL fit for a message: the password, if any, replaced by ``***``."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(the configured gradebook)"


def github_pages_url(repository_url: str) -> str:
    """The GitHub Pages address of a GitHub repository's site, or "" for any other address."""
    match = re.match(r"https://github\.com/([^/]+)/([^/#?]+?)(?:\.git)?/?$", repository_url.strip())
    return f"https://{match.group(1).lower()}.github.io/{match.group(2)}" if match else ""


class CourseError(RuntimeError):
    """An instructor command cannot go on; the message says what to do."""


@dataclass(frozen=True)
class Run:
    """The outcome of one nbgrader command."""

    args: tuple[str, ...]
    returncode: int | None  # None: stopped after the time limit
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def last_error(self) -> str:
        """The most telling line of nbgrader's log, for a one-line summary."""
        lines = [text.strip() for text in self.output.splitlines() if text.strip()]
        for marker in ("DeadKernelError", "CellTimeoutError", "Error:", "CRITICAL", "ERROR"):
            for line in reversed(lines):
                if marker in line:
                    return line[-200:]
        return lines[-1][-200:] if lines else "no output"


@dataclass(frozen=True)
class Course:
    """A course root: ``nbgrader_config.py``, ``notebooks/`` (sources), ``release/``, ``submitted/`` ..."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())
        if not (self.root / "nbgrader_config.py").is_file():
            raise CourseError(f"{self.root} has no nbgrader_config.py: run instructor commands from the course root.")

    @cached_property
    def config(self) -> Any:
        from traitlets.config.loader import PyFileConfigLoader

        return PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()

    @property
    def course_id(self) -> str:
        return str(self.config.CourseDirectory.course_id)

    @property
    def db_url(self) -> str:
        return str(self.config.CourseDirectory.db_url)

    @property
    def exchange(self) -> Path:
        return Path(str(self.config.Exchange.root))

    @property
    def book_config(self) -> dict[str, Any]:
        """``_config.yml`` as a dict (empty when the course has none)."""
        import yaml

        path = self.root / "_config.yml"
        return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}

    @property
    def book_url(self) -> str:
        """Where the book is published, without a trailing slash: ``html.baseurl`` if set, otherwise the
        GitHub Pages address of ``repository.url`` (``https://github.com/ORG/REPO`` -> ``https://ORG.github.io/REPO``).

        Why: the repository is named once, in ``_config.yml``; every address built from it derives from that.
        """
        config = self.book_config
        base = str((config.get("html") or {}).get("baseurl") or "").rstrip("/")
        if base:
            return base
        return github_pages_url(str((config.get("repository") or {}).get("url") or ""))

    @property
    def glossary_url(self) -> str:
        """The published book's glossary page (see :attr:`book_url`)."""
        return f"{self.book_url}/book/glossary.html"

    @property
    def source(self) -> Path:
        return self.root / "notebooks"

    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    def topics(self) -> list[str]:
        """Every assignment (topic folder) with a source notebook, in course order."""
        return sorted({p.parent.name for p in source_notebooks(self.source)})

    def source_notebook(self, topic: str) -> Path:
        found = sorted((self.source / topic).glob("*.ipynb"))
        if len(found) != 1:
            raise CourseError(
                f"Topic {topic!r} should have exactly one notebook in {self.source / topic}, found {len(found)}."
            )
        return found[0]

    def check_topics(self, topics: list[str] | None) -> list[str]:
        """The topics asked for (all by default); unknown names get a message listing the known ones."""
        known = self.topics()
        if not topics:
            return known
        unknown = [t for t in topics if t not in known]
        if unknown:
            raise CourseError(f"Unknown topic(s) {', '.join(unknown)}. Known topics: {', '.join(known)}.")
        return list(topics)

    def students(self, topic: str) -> list[str]:
        """Students with a collected submission of ``topic``."""
        if not self.submitted.is_dir():
            return []
        return sorted(p.name for p in self.submitted.iterdir() if (p / topic).is_dir())

    @cached_property
    def api(self) -> Any:
        """nbgrader's Python API for this course, in this process (imports nbgrader once for many topics)."""
        from nbgrader.apps import NbGraderAPI

        _venv_on_path()
        config = self.config.copy()
        config.CourseDirectory.root = str(self.root)
        return NbGraderAPI(config=config)

    def api_call(self, method: str, *args: Any, **kwargs: Any) -> Run:
        """Call an NbGraderAPI method and report it like a command run."""
        result = getattr(self.api, method)(*args, **kwargs)
        output = "\n".join(str(result.get(k) or "") for k in ("log", "error"))
        return Run((method, *map(str, args)), 0 if result.get("success") else 1, output)

    def nbgrader(self, *args: str, timeout: float | None = None, cwd: Path | None = None) -> Run:
        """Run ``nbgrader ARGS`` in the course root; on timeout, kill its whole process group."""
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        command = [sys.executable, "-m", "nbgrader", *args]
        proc = subprocess.Popen(
            command,
            cwd=cwd or self.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        try:
            output, _ = proc.communicate(timeout=timeout)
            return Run(tuple(args), proc.returncode, output)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
            return Run(tuple(args), None, output + f"\nStopped after {timeout:g} s.")
