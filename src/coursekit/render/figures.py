"""Figures and tables that carry their alt text and caption wherever they are shown.

A matplotlib figure displayed the usual way has no alt text in JupyterLab or in the book. ``show_figure``
renders it to PNG and displays an HTML ``<figure>`` with ``alt`` and ``<figcaption>``, which both
JupyterLab and the compiled book show as is; the text fallback is the alt text itself.
"""

from __future__ import annotations

import base64
import html
import io
import struct
from dataclasses import dataclass
from typing import Any, NamedTuple

#: The resolution a figure is shown at (PNG pixels per inch), and the width of the book's text column in CSS
#: pixels: together they fix how large a figure's text looks in the book (see :func:`rendered_texts`).
DPI = 110
BOOK_COLUMN_PX = 720
#: A figure is drawn in black on white and shown on a white card this many CSS pixels wider on each side: in a
#: dark theme (JupyterLab's, the book's) it reads as a figure on a card, not as a white block or, if its
#: background were transparent, as black text on a dark page.
CARD_PAD_PX, CARD_BORDER_PX = 8, 1
CARD_STYLE = (
    f"max-width:100%;box-sizing:border-box;background:#fff;padding:{CARD_PAD_PX}px;border-radius:6px;"
    f"border:{CARD_BORDER_PX}px solid #c8c8c8"
)


class FigureParts(NamedTuple):
    """A figure with the alt text and caption it is shown with: ``show_figure(*parts)`` displays it."""

    fig: Any
    alt: str
    caption: str


class TableParts(NamedTuple):
    """A table with the caption it is shown with: ``show_table(*parts)`` displays it."""

    frame: Any
    caption: str


class _Rich:
    """A display object with an HTML form and a plain-text form."""

    def __init__(self, html_text: str, plain: str) -> None:
        self._html, self._plain = html_text, plain

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._html, "text/plain": self._plain}


def png_bytes(fig: Any) -> bytes:
    """The PNG a figure is shown as, in JupyterLab and in the book: always on an opaque white background."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white", transparent=False)
    return buffer.getvalue()


@dataclass(frozen=True)
class RenderedText:
    """One piece of a figure's text and its font size in CSS pixels where the figure is shown."""

    text: str
    px: float


def rendered_texts(fig: Any, column_px: int = BOOK_COLUMN_PX, png: bytes | None = None) -> list[RenderedText]:
    """Every visible text of ``fig`` with its size when the figure is shown in a column ``column_px`` wide.

    The figure's PNG is at most as wide as the column less its card's padding (``max-width:100%``), so a
    figure drawn wider is scaled down and its text with it: the size is the font size at :data:`DPI`, times
    that scale.
    This is what a reader sees, which a font size in points alone does not say. Pass the figure's ``png``
    (from :func:`png_bytes`) to measure it at several widths without drawing it again.
    """
    from matplotlib.text import Text

    png = png if png is not None else png_bytes(fig)
    width = struct.unpack(">I", png[16:20])[0]  # the IHDR chunk's width, in pixels
    scale = min(1.0, (column_px - 2 * (CARD_PAD_PX + CARD_BORDER_PX)) / width)
    found = []
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if artist.get_visible() and text.strip():
            found.append(RenderedText(text, artist.get_fontsize() * DPI / 72 * scale))
    return found


def figure_html(fig: Any, alt: str, caption: str) -> str:
    """The HTML of ``fig`` as an accessible, self-contained figure (PNG embedded as data)."""
    if not alt.strip() or not caption.strip():
        raise ValueError("Every figure needs alt text (what it shows) and a caption (what it means).")
    data = base64.b64encode(png_bytes(fig)).decode("ascii")
    return (
        "<figure class='coursekit-figure'>"
        f"<img src='data:image/png;base64,{data}' alt='{html.escape(alt, quote=True)}' style='{CARD_STYLE}'>"
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
    display(
        _Rich(
            f"<figure class='coursekit-table'><figcaption>{html.escape(caption)}</figcaption>{table}</figure>",
            f"[Table] {caption}\n{frame.to_string(index=index)}",
        )
    )
