"""Build the staged book with Sphinx's own command line, from the ``conf.py`` Jupyter Book writes for it.

``python -m coursekit.book.sphinx_build SRC ROOT --jobs N`` does what ``jupyter-book build SRC --path-output ROOT
--warningiserror --keep-going --quiet`` does for a book folder (same configuration, same output folders
``ROOT/_build/html`` and ``ROOT/_build/.doctrees``), and adds ``jobs``: the ``jupyter-book`` command has no
option for it. Why: profiling the cold build showed Sphinx reading and writing the pages one at a time on
one CPU while the other sat idle (issue 17).

How, through the two tools' supported commands only: ``jupyter-book config sphinx SRC`` (Jupyter Book's
documented way to hand a book to Sphinx) writes ``SRC/conf.py`` from ``_config.yml`` and ``_toc.yml``, with
exactly the settings ``jupyter-book build`` would pass; then ``sphinx-build -j N`` builds it. Both run in this
process, through their command-line entry points (one interpreter start for both).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path


def write_sphinx_conf(src: Path) -> Path:
    """``jupyter-book config sphinx SRC``: write ``SRC/conf.py`` from the book's ``_config.yml`` and ``_toc.yml``."""
    from jupyter_book.cli.main import main as jupyter_book

    with contextlib.redirect_stdout(io.StringIO()):  # its one line, "Wrote conf.py to ...", is not news
        jupyter_book(["config", "sphinx", str(src)], standalone_mode=False)
    return src / "conf.py"


def build_html(src: Path, root: Path, jobs: int) -> int:
    """Build ``src`` (a staged book with ``_config.yml`` and ``_toc.yml``) into ``root/_build/html``;
    return Sphinx's exit code (0: built, no warning)."""
    from sphinx.cmd.build import build_main

    src, build = src.resolve(), root.resolve() / "_build"
    write_sphinx_conf(src)
    return build_main(
        [
            *("-b", "html", "-W", "--keep-going", "-q"),
            *("-j", str(max(1, jobs))),
            *("-d", str(build / ".doctrees")),
            str(src),
            str(build / "html"),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursekit.book.sphinx_build", description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="the staged book source (_build/book-src)")
    parser.add_argument("root", type=Path, help="the course folder: the book goes to ROOT/_build/html")
    parser.add_argument("--jobs", type=int, default=1, help="Sphinx processes reading and writing pages")
    args = parser.parse_args(argv)
    return build_html(args.src, args.root, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
