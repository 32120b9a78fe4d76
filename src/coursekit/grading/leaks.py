"""Find graded keys, hidden tests and solutions where participants or readers could see them.

The secrets of a topic are read from its source notebook when its plan is compiled (:func:`secrets_in`, kept
in the plan, so feedback scans without reading the notebook): every line inside a hidden-test or solution
block, and the literal text of every key passed to ``check``. A released file (or a page of the book)
leaks if it contains any of them, either as written or JSON-escaped (as inside an .ipynb). Option texts
are not secrets: a graded single choice shows its right answer among the options by design.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .authoring import HIDDEN_BEGIN, HIDDEN_END

MARKERS = (HIDDEN_BEGIN, HIDDEN_END, "### BEGIN SOLUTION", "### END SOLUTION", "coursekit.grading import check")


def _block_lines(source: str) -> list[str]:
    lines, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped in (HIDDEN_BEGIN, "### BEGIN SOLUTION"):
            inside = True
        elif stripped in (HIDDEN_END, "### END SOLUTION"):
            inside = False
        elif inside and stripped:
            lines.append(stripped)
    return lines


def _literal_secrets(source: str) -> list[str]:
    """The key literals (as written) and the long texts (explanations, rationales, model answers) of a block."""
    found = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "key":
                    text = ast.get_source_segment(source, kw.value)
                    if text and len(text) >= 6:  # a short literal such as 72 is not a telling secret
                        found.append(text)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 20:
            found.append(node.value)
    return found


def _core(line: str) -> str:
    """A line without the punctuation that joins it to a key literal around it."""
    return line.strip().strip(",;").strip().strip("[](){}").strip()


def secrets_of(source_notebook: Path, *, answers: bool = True) -> list[str]:
    """The strings of a source notebook file that must never reach participants or readers (:func:`secrets_in`)."""
    return secrets_in(nbformat.read(source_notebook, as_version=4), answers=answers)


def secrets_in(nb: nbformat.NotebookNode, *, answers: bool = True) -> list[str]:
    """The strings of a source notebook that must never reach participants or readers.

    With ``answers=False`` only the grading code itself (hidden-test markers and ``check(...)`` lines): what
    must stay out of feedback even after the instructor releases keys, explanations and model answers.
    """
    hidden = [c.source for c in nb.cells if HIDDEN_BEGIN in c.source or "### BEGIN SOLUTION" in c.source]
    visible = "\n".join(c.source for c in nb.cells if c.source not in hidden)
    secrets: set[str] = set(MARKERS)
    for source in hidden:
        block = _block_lines(source)
        candidates = [line for line in block if not line.startswith(("from ", "import "))]
        if not answers:
            secrets.update(s for s in candidates if "check(" in s)
            continue
        candidates += _literal_secrets("\n".join(block))
        # text participants are meant to see (an option that happens to be part of the key) is not a
        # secret, but a grading call is one wherever it appears
        secrets.update(s for s in candidates if "check(" in s or _core(s) not in visible)
    return sorted(secrets)


@dataclass(frozen=True)
class Leak:
    path: Path
    secret: str

    def __str__(self) -> str:
        shown = self.secret if len(self.secret) < 70 else self.secret[:67] + "..."
        return f"{self.path}: contains {shown!r}"


def _forms(secret: str) -> set[str]:
    escaped = json.dumps(secret)[1:-1]
    return {
        secret,
        escaped,
        escaped.replace('\\"', "&quot;"),
        secret.replace('"', "&quot;"),
        secret.replace('"', "&#34;"),
    }


def scan(paths: list[Path], secrets: list[str]) -> list[Leak]:
    """Every (file, secret) pair where a file under ``paths`` contains a secret in any common encoding."""
    forms = {secret: _forms(secret) for secret in secrets}
    leaks: list[Leak] = []
    for base in paths:
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            try:
                text = path.read_bytes().decode("utf-8", errors="ignore")
            except OSError:
                continue
            for secret, variants in forms.items():
                if any(v in text for v in variants):
                    leaks.append(Leak(path, secret))
    return leaks
