"""A Sphinx extension for the book: no live-kernel (Thebe) scripts, nothing loaded from another host.

Jupyter Book always loads sphinx-thebe, which declares a CDN address in an inline script (twice when
the environment is read twice, which raises a JavaScript error). The book runs no kernel: practice
exercises run in plain JavaScript and graded ones say where to answer them. So Thebe's scripts are
dropped from every page, and so is any script whose address is on another host.

myst-nb also embeds the notebook's saved ipywidgets state in every page (200-450 KB of JSON per topic).
The book loads no widget manager to read it (interactives show a static walkthrough, exercises their own
HTML), so that state is dropped too.
"""

from __future__ import annotations

from typing import Any

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _is_unwanted(script: Any) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    attributes = getattr(script, "attributes", None) or {}
    body = str(attributes.get("body", ""))
    return (
        "thebe" in filename.lower()
        or "THEBE_JS_URL" in body
        or filename.startswith(("http:", "https:", "//"))
        or attributes.get("type") == WIDGET_STATE
    )


def _strip_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if scripts is not None:
        context["script_files"] = [s for s in scripts if not _is_unwanted(s)]


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _strip_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
