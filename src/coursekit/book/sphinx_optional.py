"""A Sphinx extension for the book: each "Going further (optional)" section starts collapsed.

In JupyterLab these sections are collapsed by their heading cell's ``jp-MarkdownHeadingCollapsed``
metadata, which the book ignores; a reader of the book would otherwise scroll through every optional part
to reach the next topic. So each such section's content (everything after its heading, its subsections
included) is wrapped in a native ``<details>`` element whose ``<summary>`` names the section.

Why ``<details>`` and not a script: it needs no JavaScript and no network, is operated with the keyboard
(Tab to the summary, Enter or Space to open) and is announced by screen readers as a collapsed or expanded
disclosure button, out of the box; browsers open it for find-in-page. The heading stays outside it, so the
page outline and the "on this page" contents still list the section. Without the extension, or in any
other output format, the section simply stays open.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes

from ..analysis.reading_load import OPTIONAL_HEADING, heading_kind

DETAILS_CLASS = "coursekit-going-further"


def summary_text(title: str) -> str:
    """The disclosure button's accessible name: what it does, and which optional section it opens."""
    rest = title.strip()[len(OPTIONAL_HEADING) :].lstrip(" :").strip()
    return f"Show or hide the optional section: {rest}" if rest else "Show or hide the optional section"


def collapse_optional_sections(doctree: nodes.Node) -> int:
    """Wrap the body of every "Going further (optional)" section of ``doctree`` in ``<details>``; return how many."""
    wrapped = 0
    for section in list(doctree.findall(nodes.section)):
        if not section.children or not isinstance(section[0], nodes.title):
            continue
        title = section[0].astext().strip()
        if heading_kind(title) != "optional" or DETAILS_CLASS in section["classes"]:
            continue
        section["classes"].append(DETAILS_CLASS)
        opening = f'<details class="{DETAILS_CLASS}"><summary>{html.escape(summary_text(title))}</summary>'
        section.insert(1, nodes.raw("", opening, format="html"))
        section.append(nodes.raw("", "</details>", format="html"))
        wrapped += 1
    return wrapped


def _doctree_resolved(app: Any, doctree: nodes.document, docname: str) -> None:
    if app.builder.format == "html":
        collapse_optional_sections(doctree)


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-resolved", _doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
