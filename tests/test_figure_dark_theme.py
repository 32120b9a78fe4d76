"""Figures read in dark themes, and no count is drawn over a hatch pattern (issue 29).

A figure is drawn in black on white. In JupyterLab's dark theme it was a bare white block; shown on a white card
(padding, rounded border) it reads as a figure, and its PNG is opaque even if a figure's own background is not
(black text on a transparent background would vanish on a dark page). Topic 8's chart printed its counts over
hatched bars, where the pattern cuts through the digits: every label must now sit clear of every hatched bar,
in every chart the topics draw.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import coursekit.topics  # noqa: E402
from coursekit.render.figures import FigureParts, figure_html, png_bytes  # noqa: E402


def topic_charts() -> dict[str, FigureParts]:
    """Every figure a topic module draws without arguments, by ``module.function``."""
    charts = {}
    for info in pkgutil.iter_modules(coursekit.topics.__path__):
        if not info.name.endswith("_figures"):
            continue
        module = importlib.import_module(f"coursekit.topics.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ != module.__name__ or name.startswith("_"):
                continue
            if inspect.signature(func).return_annotation not in (FigureParts, "FigureParts"):
                continue
            if any(p.default is p.empty for p in inspect.signature(func).parameters.values()):
                continue
            charts[f"{info.name}.{name}"] = func()
    return charts


def labels_over_hatched_bars(fig) -> list[str]:
    """Texts whose drawn box overlaps a hatched bar's (display coordinates, after drawing the figure)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    found = []
    for ax in fig.axes:
        hatched = [
            bar.get_window_extent(renderer)
            for container in ax.containers
            if isinstance(container, BarContainer)
            for bar in container
            if bar.get_hatch()
        ]
        for text in ax.findobj(Text):
            if not (text.get_visible() and text.get_text().strip()) or text is ax.title:
                continue
            box = text.get_window_extent(renderer)
            if any(box.overlaps(bar) for bar in hatched):
                found.append(text.get_text())
    return found


def test_the_overlap_check_sees_a_count_drawn_on_a_hatched_bar():
    fig, ax = plt.subplots()
    (bar,) = ax.barh(["a"], [5], hatch="//", color="white", edgecolor="black")
    ax.text(2.5, 0, "5", ha="center", va="center")  # what topic 8's chart did
    ax.text(5.2, 0, "beside", va="center")
    assert labels_over_hatched_bars(fig) == ["5"]
    plt.close(fig)


def test_no_topic_chart_draws_a_label_over_a_hatched_bar():
    charts = topic_charts()
    assert "nis2_figures.sector_chart" in charts and "norms_figures.norms_by_logic_chart" in charts
    problems = {name: labels_over_hatched_bars(parts.fig) for name, parts in charts.items()}
    for parts in charts.values():
        plt.close(parts.fig)
    assert {name: texts for name, texts in problems.items() if texts} == {}


def test_topic_8_chart_still_prints_every_count_and_hatches_the_new_sectors():
    fig, alt, _ = importlib.import_module("coursekit.topics.nis2_figures").sector_chart()
    drawn = sorted(t.get_text() for t in fig.axes[0].texts)
    counts = sorted(str(n) for n in map(int, __import__("re").findall(r"(\d+) (?:covered|partly|new)", alt)) if n)
    assert drawn == counts
    assert any(bar.get_hatch() for bar in fig.axes[0].patches)
    plt.close(fig)


@pytest.mark.parametrize("background", ["none", "black"])
def test_a_figure_is_an_opaque_white_picture_on_a_card_whatever_its_own_background(background):
    fig, ax = plt.subplots(figsize=(3, 2))
    fig.patch.set_facecolor(background)  # "none": transparent, black text would vanish on a dark page
    ax.plot([0, 1], [0, 1], color="black")
    pixels = mpimg.imread(io.BytesIO(png_bytes(fig)))
    corner = pixels[0, 0]
    assert len(corner) == 3 or corner[3] == 1.0  # opaque
    assert tuple(corner[:3]) == (1.0, 1.0, 1.0)  # white
    page = figure_html(fig, "a diagonal line", "A line.")
    style = page.split("style='", 1)[1].split("'", 1)[0]
    assert "background:#fff" in style and "padding:" in style and "border:" in style
    plt.close(fig)
