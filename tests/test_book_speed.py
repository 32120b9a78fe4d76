"""The book build's speed-ups (issue 17) change nothing the book shows: parallel Sphinx is allowed, the
search index is stemmed by PyStemmer with the same stems."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.search.en import SearchEnglish

from coursekit.book.sphinx_speed import PARALLEL_SAFE


def test_sphinx_stems_the_search_index_with_pystemmer_and_the_same_stems_as_pure_python():
    """The search index's stems come from PyStemmer (C) when it is installed, through snowballstemmer, which
    Sphinx's English search language asks for its Porter stemmer; the stems are snowballstemmer's own."""
    import Stemmer
    from snowballstemmer.porter_stemmer import PorterStemmer

    english = SearchEnglish({})
    assert isinstance(english.stemmer, Stemmer.Stemmer), (
        "Sphinx no longer stems with PyStemmer: re-check sphinx/search/en.py and snowballstemmer's __init__ "
        "(the book's search index would be built with the slow pure-Python stemmer)"
    )
    words = [
        "negotiations",
        "negotiating",
        "norms",
        "norm",
        "States",
        "attribution",
        "attributed",
        "cyber",
        "resilience",
    ]
    assert [english.stem(w) for w in words] == [PorterStemmer().stemWord(w.lower()) for w in words]


def _tiny_project(root: Path, extensions: list[str]) -> Path:
    src = root / "src"
    src.mkdir()
    pages = [f"page{n}" for n in range(8)]  # Sphinx reads in parallel only with more than 5 pages
    (src / "conf.py").write_text(f"extensions = {extensions!r}\n", encoding="utf-8")
    (src / "index.rst").write_text(
        "Index\n=====\n\n.. toctree::\n\n" + "".join(f"   {p}\n" for p in pages), encoding="utf-8"
    )
    for n, page in enumerate(pages):
        (src / f"{page}.rst").write_text(
            f"Page {n}\n======\n\nNegotiating norms of State behaviour, page {n}.\n", encoding="utf-8"
        )
    return src


def _build(root: Path, extensions: list[str]) -> tuple[int, str]:
    import io

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    src = _tiny_project(root, extensions)
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            str(src),
            str(src),
            str(root / "out"),
            str(root / "doctrees"),
            "html",
            status=None,
            warning=warnings,
            parallel=2,
            keep_going=True,
        )
        app.build()
    return app.statuscode, warnings.getvalue()


@pytest.mark.parametrize("extension", PARALLEL_SAFE)
@pytest.mark.slow
def test_jupyter_books_silent_extensions_no_longer_force_a_serial_read(tmp_path: Path, extension: str):
    (tmp_path / "without").mkdir()
    _, warned = _build(tmp_path / "without", [extension])
    assert "serial read" in warned, "the extension alone makes Sphinx read serially (the reason for the fix)"
    (tmp_path / "with").mkdir()
    status, warned = _build(tmp_path / "with", [extension, "coursekit.book.sphinx_speed"])
    assert status == 0 and "serial read" not in warned and "parallel" not in warned, warned
    assert "Negotiating norms" in (tmp_path / "with" / "out" / "page7.html").read_text(encoding="utf-8")


def test_the_book_config_loads_the_speed_extension():
    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "_config.yml").read_text(encoding="utf-8"))
    assert "coursekit.book.sphinx_speed" in config["sphinx"]["extra_extensions"]


def test_the_outcomes_page_is_rebuilt_only_when_a_source_notebook_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import nbformat
    from course_copy import copy_checkout

    from coursekit.book import build as book
    from coursekit.grading.course import Course
    from coursekit.grading.plans import write_plan

    root = tmp_path / "course"
    copy_checkout(root)
    course = Course(root)
    topics = course.topics()  # their notebooks count as staged: this test needs no release
    calls: list[int] = []
    real = book.outcomes_matrix
    monkeypatch.setattr(book, "outcomes_matrix", lambda c: calls.append(1) or real(c))
    book.stage(course, topics)
    first = (root / "_build" / "book-src" / "book" / "outcomes.md").read_text(encoding="utf-8")
    assert calls == [1] and "t07-" in first
    assert book.stage(course, topics)[1] == 0 and calls == [1], "nothing changed: the page is reused, not rebuilt"

    source = course.source_notebook("07-norms")
    nb = nbformat.read(source, as_version=4)
    definition = next(c for c in nb.cells if c.cell_type == "code" and 'id="t07-' in c.source)
    exercise_id = definition.source.split('id="', 1)[1].split('"', 1)[0]
    definition.source = definition.source.replace(exercise_id, "t07-renamed-by-test")
    nbformat.write(nb, source)
    write_plan(source)  # as `coursekit author` does after an edit: the page is made from the compiled plans
    _, changed = book.stage(course, topics)
    assert calls == [1, 1] and changed == 1
    page = (root / "_build" / "book-src" / "book" / "outcomes.md").read_text(encoding="utf-8")
    assert "t07-renamed-by-test" in page and f"`{exercise_id}`" not in page
