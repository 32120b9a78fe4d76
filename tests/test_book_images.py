"""Figures in the book are image files, not base64 inside the page (coursekit.book.sphinx_images)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from coursekit.book.sphinx_images import extract_images  # noqa: E402
from coursekit.render.figures import figure_html, png_bytes  # noqa: E402


def _figure():
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.bar(["a", "b"], [1, 2])
    return fig


def test_a_figure_becomes_a_lazy_image_file_linked_from_its_page(tmp_path: Path):
    fig = _figure()
    picture = png_bytes(fig)
    markup = figure_html(fig, "Two bars, a lower than b.", "A small chart")
    plt.close(fig)
    out = extract_images(markup, "release/01-introduction/01-introduction", tmp_path)

    name = hashlib.sha256(picture).hexdigest() + ".png"
    assert (tmp_path / "_images" / name).read_bytes() == picture
    assert "data:image" not in out
    assert f"src='../../_images/{name}' loading='lazy'" in out  # relative to the page's own folder
    assert "alt='Two bars, a lower than b.'" in out and "<figcaption>A small chart</figcaption>" in out
    # a page at the top of the book links it without climbing
    assert f'src="_images/{name}"' in extract_images(markup.replace("'", '"'), "intro", tmp_path)


def test_the_same_picture_is_written_once_and_bad_data_is_left_alone(tmp_path: Path):
    picture = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
    data = base64.b64encode(picture).decode()
    markup = f"<img src='data:image/png;base64,{data}' alt='x'><img src='data:image/png;base64,{data}' alt='y'>"
    out = extract_images(markup, "a/b", tmp_path)
    assert len(list((tmp_path / "_images").iterdir())) == 1 and out.count("../_images/") == 2
    broken = "<img src='data:image/png;base64,abcde' alt='z'>"  # matches, but is not whole base64
    assert extract_images(broken, "a/b", tmp_path) == broken


# --- the theme's own controls (coursekit.book.sphinx_theme_a11y) ---------------------------------------


def test_sidebar_summaries_are_named_after_the_part_they_open():
    from coursekit.book.sphinx_theme_a11y import name_summaries

    sidebar = (
        '<li class="toctree-l1 has-children"><a class="reference internal" href="release/01.html">Topic 1: '
        '<em>Intro</em> &amp; concepts</a><details><summary><span class="toctree-toggle" role="presentation">'
        '<i class="fa-solid fa-chevron-down"></i></span></summary><ul><li>x</li></ul></details></li>'
    )
    named = name_summaries(sidebar)
    assert '<summary aria-label="Show or hide the pages under Topic 1: Intro &amp; concepts">' in named
    assert name_summaries(named) == named  # a rebuild changes nothing
    course_summary = '<details class="coursekit-going-further"><summary>Show or hide the optional section</summary>'
    assert name_summaries(course_summary) == course_summary  # a summary with text keeps its own name


def test_the_replaced_theme_templates_still_exist_upstream_and_keep_their_hooks():
    """The copies replace two of pydata-sphinx-theme's components: fail the day the theme drops or renames them,
    and keep the classes its JavaScript looks for."""
    import pydata_sphinx_theme

    from coursekit.book.sphinx_theme_a11y import REPLACED, TEMPLATES

    upstream = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "components"
    hooks = {"search-button-field.html": "search-button__button", "theme-switcher.html": "theme-switch-button"}
    for name in REPLACED:
        assert (upstream / name).is_file(), f"the theme no longer has {name}"
        assert hooks[name] in (upstream / name).read_text() and hooks[name] in (TEMPLATES / name).read_text()
