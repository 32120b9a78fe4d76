"""Figures and tables that carry their alt text and caption wherever they are shown.

A matplotlib figure displayed the usual way has no alt text in JupyterLab or in the book. ``show_figure``
renders it to PNG and displays an HTML ``<figure>`` with ``alt`` and ``<figcaption>``, which both
JupyterLab and the compiled book show as is; the text fallback is the alt text itself.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any


class _Rich:
    """A display object with an HTML form and a plain-text form."""

    def __init__(self, html_text: str, plain: str) -> None:
        self._html, self._plain = html_text, plain

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._html, "text/plain": self._plain}


def figure_html(fig: Any, alt: str, caption: str) -> str:
    """The HTML of ``fig`` as an accessible, self-contained figure (PNG embedded as data)."""
    if not alt.strip() or not caption.strip():
        raise ValueError("Every figure needs alt text (what it shows) and a caption (what it means).")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        "<figure class='coursekit-figure'>"
        f"<img src='data:image/png;base64,{data}' alt='{html.escape(alt, quote=True)}' style='max-width:100%'>"
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def show_figure(fig: Any, alt: str, caption: str) -> None:
    """Display a matplotlib figure with alt text and a caption, then close it (no duplicate output)."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(_Rich(figure_html(fig, alt, caption), f"[Figure] {caption}\nDescription: {alt}"))
    plt.close(fig)


def show_table(frame: Any, caption: str, index: bool = False) -> None:
    """Display a pandas DataFrame as an HTML table with a caption (a screen reader reads it as a table)."""
    from IPython.display import display

    if not caption.strip():
        raise ValueError("Every table needs a caption.")
    table = frame.to_html(index=index, border=0, classes="coursekit-table", escape=True)
    table = table.replace("<table", f"<table aria-label='{html.escape(caption, quote=True)}'", 1)
    display(_Rich(f"<figure class='coursekit-table'><figcaption>{html.escape(caption)}</figcaption>{table}</figure>",
                  f"[Table] {caption}\n{frame.to_string(index=index)}"))
