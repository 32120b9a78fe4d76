"""A Sphinx extension that lets the book's build read and write pages in parallel, without changing what it writes.

Sphinx reads and writes pages in parallel (``coursekit book --jobs``) only if every extension says it may.
sphinx-external-toc always loads sphinx-multitoc-numbering, which says nothing, so Sphinx falls back to a
serial read with a warning (an error under ``--warningiserror``). That extension only replaces
``TocTreeCollector.assign_section_numbers``, which Sphinx runs in the main process after the parallel
readers' environments are merged; it keeps no per-document state of its own. Jupyter Book also always
loads sphinx-jupyterbook-latex, equally silent: in an HTML build its transforms only annotate each page's
own doctree, and it keeps environment state only for a LaTeX builder. Both are declared safe here, on the
``Extension`` records Sphinx keeps in ``app.extensions`` (Sphinx has no other way to say it for another
extension); ``tests/test_book_speed.py`` builds a small project with each to show it still works.

(The search index's stemming, a third of the HTML phase with the pure-Python Porter stemmer, is made fast by
installing PyStemmer, which snowballstemmer, and so Sphinx, uses when present: no code here.)
"""

from __future__ import annotations

from typing import Any

#: Extensions that declare nothing about parallel builds but are safe (see the module docstring).
PARALLEL_SAFE = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def _declare_parallel_safe(app: Any, config: Any) -> None:
    for name in PARALLEL_SAFE:
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True
            extension.parallel_write_safe = True


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _declare_parallel_safe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
