"""In the compiled book, "Going further (optional)" sections start collapsed (issue 15).

A small notebook is built with Sphinx and myst-nb, as Jupyter Book builds the topics (a few seconds, no
network), and the HTML is read back: the optional section's content, subsections included, sits in a
closed ``<details>`` whose summary names it; the heading stays outside, and other sections are untouched.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml

from coursekit.book.sphinx_optional import summary_text

REPO = Path(__file__).resolve().parents[1]


def test_summary_names_the_section():
    assert (
        summary_text("Going further (optional): who builds capacity")
        == "Show or hide the optional section: who builds capacity"
    )
    assert summary_text("Going further (optional)") == "Show or hide the optional section"


def test_the_book_loads_the_extension():
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert "coursekit.book.sphinx_optional" in config["sphinx"]["extra_extensions"]


class _Outline(HTMLParser):
    """Records, for each paragraph text and heading, the stack of open details/summary/section elements."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.where: dict[str, list[str]] = {}
        self.summaries: list[str] = []
        self.details_open: list[bool] = []
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("details", "summary", "section", "p", "h1", "h2", "h3"):
            self.stack.append((tag, dict(attrs)))
            self._text = ""
        if tag == "details":
            self.details_open.append("open" in dict(attrs))

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            if tag in ("p", "h1", "h2", "h3", "summary"):
                text = self._text.replace("¶", "").strip()
                if tag == "summary":
                    self.summaries.append(text)
                else:
                    self.where[text] = [t for t, _ in self.stack[:-1]]
            self.stack.pop()

    def handle_data(self, data):
        self._text += data


@pytest.fixture(scope="module")
def built_page(tmp_path_factory) -> str:
    src = tmp_path_factory.mktemp("book") / "src"
    src.mkdir()
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(
        cells=[
            md("# Topic\n\nCore text."),
            md("## Key takeaways\n\nTakeaway text."),
            md("## Going further (optional): more\n\nOptional text."),
            code("1 + 1"),
            md("### Sub part\n\nDeeper text."),
            md("## Since May 2022\n\nUpdate text."),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, src / "index.ipynb")
    (src / "conf.py").write_text(
        "extensions = ['myst_nb', 'coursekit.book.sphinx_optional']\n"
        "nb_execution_mode = 'off'\nexclude_patterns = ['_build']\n"
    )
    out = src.parent / "html"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_optional_content_is_in_a_closed_details_named_by_its_summary(built_page):
    outline = _Outline()
    outline.feed(built_page)
    assert outline.summaries == ["Show or hide the optional section: more"]
    assert outline.details_open == [False]
    for text in ("Optional text.", "Sub part", "Deeper text."):
        assert "details" in outline.where[text], text
    # the heading stays outside, so the outline and "on this page" still list it
    assert "details" not in outline.where["Going further (optional): more"]
    for text in ("Core text.", "Takeaway text.", "Update text.", "Since May 2022"):
        assert "details" not in outline.where[text], text


@pytest.mark.slow
def test_the_code_cell_of_the_optional_section_is_collapsed_with_it(built_page):
    details = re.search(r"<details.*?</details>", built_page, re.S)
    assert details is not None
    cells = re.findall(r'class="cell docutils container"', built_page)
    assert len(cells) == 1 and 'class="cell docutils container"' in details.group(0)
