"""A bibliography style for the book: titles keep their capitals, and each entry links its official text.

pybtex's ``plain`` style puts every ``title`` into sentence case, so "ASEAN Regional Forum Work Plan" became
"Asean regional forum work plan" and "Budapest Convention" lost its capital. Titles of official documents
are proper names; they are printed as written in ``book/references/*.bib``. The ``url`` field (the
document's official text) is shown as a link labelled "Official text"; an entry whose only known address is
where the document was announced (a press release, a news page) says so with ``urlkind = {announcement}``
and is labelled "Announced at", so that a reader knows the link is not the text itself.
"""

from __future__ import annotations

from typing import Any

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, href, join, sentence


class CourseStyle(PlainStyle):
    """``plain``, with titles as written and the URL as an "Official text" (or "Announced at") link."""

    def format_title(self, e: Any, which_field: str, as_sentence: bool = True) -> Any:
        formatted_title = field(which_field)
        return sentence[formatted_title] if as_sentence else formatted_title

    def format_url(self, e: Any) -> Any:
        label = "Announced at" if e.fields.get("urlkind", "").strip() == "announcement" else "Official text"
        return join[href[field("url", raw=True), Text(label)]]


def setup(app: Any) -> dict[str, Any]:
    register_plugin("pybtex.style.formatting", "coursekit", CourseStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
