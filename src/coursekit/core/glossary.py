"""The course glossary: its entries, the slugs notebooks link with, and where each term's anchor is.

Notebooks link a term as ``[text](glossary:slug)``. The book turns such links into glossary roles and the
participant release into links to the published glossary; both need the same terms and anchors, so they live
here, below the release and the book alike.
"""

from __future__ import annotations

import re
from pathlib import Path

GLOSSARY_LINK = re.compile(r"\[([^\]]+)\]\(glossary:([a-z0-9-]+)\)")


def term_of(slug: str) -> str:
    """The glossary term a slug names: hyphens become spaces."""
    return slug.replace("-", " ")


def slug_of(term: str) -> str:
    """A glossary term's slug, as Sphinx makes the term's anchor: lower case ASCII, other runs become hyphens.

    Why: notebooks link ``glossary:budapest-convention``; the glossary defines "Budapest Convention" with its
    capitals. The slug ties the two together without lowering the term.
    """
    import unicodedata

    ascii_term = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_term).strip("-")


def glossary_terms(root: Path) -> dict[str, str]:
    """Every glossary term of the course by its slug, spelt as the glossary defines it."""
    terms: dict[str, str] = {}
    for fragment in sorted((root / "book" / "glossary").glob("*.md")):
        for term, _ in glossary_entries(fragment.read_text(encoding="utf-8")):
            terms.setdefault(slug_of(term), term)
    return terms


def anchor_of(term: str) -> str:
    """The anchor Sphinx gives a glossary term: ``term-`` and the term with other runs as hyphens, case kept."""
    import unicodedata

    ascii_term = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    return "term-" + re.sub(r"^[-0-9._]+|-+$", "", re.sub(r"[^a-zA-Z0-9._]+", "-", " ".join(ascii_term.split())))


def glossary_links_to_urls(markdown: str, glossary_url: str, terms: dict[str, str] | None = None) -> str:
    """Turn ``[text](glossary:slug)`` into links to the published glossary (for the participant release);
    ``terms`` maps slugs to the glossary's spelling, whose capitals the anchor keeps."""

    def link(m: re.Match) -> str:
        return f"[{m.group(1)}]({glossary_url}#{anchor_of((terms or {}).get(m.group(2), term_of(m.group(2))))})"

    return GLOSSARY_LINK.sub(link, markdown)


def glossary_entries(text: str) -> list[tuple[str, list[str]]]:
    """The (term, definition lines) of a MyST glossary block."""
    body = text.split("```{glossary}", 1)[-1].rsplit("```", 1)[0]
    entries: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if not line.strip() or line.lstrip().startswith(":"):
            continue
        if line[0] not in " \t":
            entries.append((line.strip(), []))
        elif entries:
            entries[-1][1].append(line.strip())
    return entries
