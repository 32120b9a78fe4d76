"""A Sphinx extension for the book: the theme's own controls get names a screen reader can read.

axe-core found serious violations on every page of the book outside the course's content, in the theme:
the search and colour-mode buttons' names did not match what they show, and the sidebar's expand buttons
(``<summary>`` elements pydata-sphinx-theme writes around each part of the table of contents) had no name at
all. Two of the theme's component templates are replaced by copies with accessible names (``templates/``,
put first on ``templates_path`` when the configuration is read); the sidebar is built in Python by the
theme, so each unnamed ``<summary>`` is named after the page it opens, in the finished HTML.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")
#: the theme component templates replaced here; a test checks the theme still has each of them
REPLACED = ("search-button-field.html", "theme-switcher.html")


_UNNAMED = re.compile(
    r"(<a\b[^>]*>(?P<title>(?:(?!</a>).)*)</a>\s*<details\b[^>]*>\s*<summary)>(?=\s*<span class=\"toctree-toggle\")",
    re.DOTALL,
)


def name_summaries(markup: str) -> str:
    """``markup`` with each sidebar ``<summary>`` (an icon only) named after the link of the part it opens.

    The theme writes ``<a ...>Title</a><details><summary><span class="toctree-toggle">…`` for every part of
    the table of contents that has pages below it; only those summaries are touched, the page is not re-parsed.
    """

    def named(match: re.Match[str]) -> str:
        title = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group("title"))).split())
        label = f"Show or hide the pages under {title}" if title else "Show or hide more pages"
        return f'{match.group(1)} aria-label="{html.escape(label, quote=True)}">'

    return _UNNAMED.sub(named, markup)


def _config_inited(app: Any, config: Any) -> None:
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def _build_finished(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        named = name_summaries(text) if 'class="toctree-toggle"' in text else text
        if named != text:
            page.write_text(named, encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _config_inited)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
