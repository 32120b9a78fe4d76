"""Run Jupyter Book 1's Sphinx build of the staged book, with Sphinx's parallel jobs.

``python -m coursekit.book.sphinx_build SRC ROOT --jobs N`` does what ``jupyter-book build SRC --path-output ROOT
--warningiserror --keep-going --quiet`` does for a book folder (same configuration, same output folders
``ROOT/_build/html`` and ``ROOT/_build/.doctrees``), and adds ``jobs``: the ``jupyter-book`` command has no
option for it, although its ``build_sphinx`` takes one. Why: profiling the cold build showed Sphinx reading
and writing the pages one at a time on one CPU while the other sat idle (issue 17).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def build_html(src: Path, root: Path, jobs: int) -> int:
    """Build ``src`` (a staged book with ``_config.yml`` and ``_toc.yml``) into ``root/_build/html``;
    return Sphinx's exit code (0: built, no warning)."""
    from jupyter_book.sphinx import build_sphinx

    src = src.resolve()
    result = build_sphinx(
        src,
        root.resolve() / "_build" / "html",
        use_external_toc=True,
        noconfig=True,
        path_config=str(src / "_config.yml"),
        confoverrides={"external_toc_path": (src / "_toc.yml").as_posix(), "latex_individualpages": False},
        builder="html",
        warningiserror=True,
        keep_going=True,
        quiet=True,
        jobs=max(1, jobs),
    )
    if isinstance(result, Exception):
        print(f"The book's Sphinx build failed: {result!r}", file=sys.stderr)
        return 1
    return int(result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursekit.book.sphinx_build", description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="the staged book source (_build/book-src)")
    parser.add_argument("root", type=Path, help="the course folder: the book goes to ROOT/_build/html")
    parser.add_argument("--jobs", type=int, default=1, help="Sphinx processes reading and writing pages")
    args = parser.parse_args(argv)
    return build_html(args.src, args.root, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
