"""A Sphinx extension for the book: figures embedded in notebook outputs become image files, loaded lazily.

The course's figures are HTML outputs (an ``<img>`` with alt text, inside a ``<figure>`` with its caption, see
:func:`coursekit.render.figures.figure_html`), and their pictures travel inside the HTML as base64 data: right
for a notebook, which must be one self-contained file, but in the book it made a topic page weigh up to
half a megabyte that no browser could cache, and every picture loaded before the first line of text. Here
each embedded picture is written once to ``_images/<sha256>.<ext>`` (the same folder and naming myst-nb uses
for image outputs) and the page links it with ``loading="lazy"``; alt text and caption are untouched.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import posixpath
import re
from pathlib import Path
from typing import Any

from docutils import nodes

IMAGES = "_images"
_EXTENSIONS = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}
_EMBEDDED = re.compile(r"""src=(['"])data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]+)\1""")


def extract_images(markup: str, docname: str, outdir: Path) -> str:
    """``markup`` with every embedded picture written under ``outdir/_images`` and linked from page ``docname``."""

    def to_file(match: re.Match[str]) -> str:
        quote, kind, data = match.groups()
        try:
            picture = base64.b64decode(re.sub(r"\s+", "", data), validate=True)
        except (binascii.Error, ValueError):
            return match.group(0)  # not valid base64: left as it was
        name = f"{hashlib.sha256(picture).hexdigest()}.{_EXTENSIONS[kind]}"
        target = outdir / IMAGES / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{name}.{id(match)}.part")
            partial.write_bytes(picture)
            partial.replace(target)  # parallel writers of one picture each leave the same whole file
        uri = posixpath.relpath(f"{IMAGES}/{name}", posixpath.dirname(docname) or ".")
        return f"src={quote}{uri}{quote} loading={quote}lazy{quote} decoding={quote}async{quote}"

    return _EMBEDDED.sub(to_file, markup)


def _doctree_resolved(app: Any, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split() or "data:image/" not in raw.astext():
            continue
        raw.replace_self(nodes.raw("", extract_images(raw.astext(), docname, Path(app.outdir)), format="html"))


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-resolved", _doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
