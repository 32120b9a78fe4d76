"""A Sphinx extension that makes the book's build cheaper without changing a byte of what it writes.

Two costs found by profiling the cold build (issue 17):

- Sphinx reads and writes pages in parallel (``coursekit book --jobs``) only if every extension says it may.
  sphinx-external-toc always loads sphinx-multitoc-numbering, which says nothing, so Sphinx falls back to a
  serial read with a warning (an error under ``--warningiserror``). That extension only replaces
  ``TocTreeCollector.assign_section_numbers``, which Sphinx runs in the main process after the parallel
  readers' environments are merged; it keeps no per-document state of its own. Jupyter Book also always
  loads sphinx-jupyterbook-latex, equally silent: in an HTML build its transforms only annotate each page's
  own doctree, and it keeps environment state only for a LaTeX builder. Both are declared safe here.
- The search index stems every word of every page with the pure-Python Porter stemmer, memoised per page
  only: a third of the HTML phase. :class:`CachedEnglish` keeps one cache for the whole build (stemming a
  word gives the same stem on every page), so the index is the same and each word is stemmed once.
"""

from __future__ import annotations

import functools
from typing import Any

from sphinx.search.en import SearchEnglish

#: Extensions that declare nothing about parallel builds but are safe (see the module docstring).
PARALLEL_SAFE = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


class CachedEnglish(SearchEnglish):
    """Sphinx's English search language with one stem cache for the whole build."""

    def init(self, options: dict[str, str]) -> None:
        super().init(options)
        self.stem = functools.lru_cache(maxsize=None)(super().stem)  # type: ignore[method-assign]


def _declare_parallel_safe(app: Any, config: Any) -> None:
    for name in PARALLEL_SAFE:
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True
            extension.parallel_write_safe = True


def setup(app: Any) -> dict[str, Any]:
    app.add_search_language(CachedEnglish)
    app.connect("config-inited", _declare_parallel_safe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
