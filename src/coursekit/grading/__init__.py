"""Grading on nbgrader: the hidden-test format, authoring metadata, release, collect, autograde (answers are read,
never run), feedback pages and the leak scan."""

from .hidden_tests import check

__all__ = ["check"]  # every hidden-test cell starts with: from coursekit.grading import check
