"""Check every content file of a course's topics at once, with the same loaders the notebooks use.

Why: an author who edits a caption, a chooser or the campaign wants to know before the class (or the book
build) that the file still reads; ``coursekit content`` runs this and prints each file's verdict, with the
loaders' messages (file, place, line, what is wrong and what to do).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..core.course_data import CourseDataError
from . import cascade, choosers, figure_text, framing, strategy_builder, toolbox_simulator

#: Each content file a topic folder may hold, by name, and the loader that reads (and so checks) it.
LOADERS: dict[str, Callable[[str, str], object]] = {
    figure_text.DATA_FILE: lambda topic, _file: figure_text.figures_data(topic),
    "tool-chooser.yaml": choosers.load_chooser,
    "forum-chooser.yaml": choosers.load_chooser,
    toolbox_simulator.CAMPAIGN_FILE: toolbox_simulator.load_campaign,
    framing.LEXICON_FILE: framing.lexicon,
    cascade.NETWORK_FILE: cascade.load_network,
    strategy_builder.CHOICES_FILE: strategy_builder.choices,
}


def check_topics(root: Path) -> list[tuple[Path, str]]:
    """Every YAML file in ``root/notebooks/*/`` and what is wrong with it ("" when it reads)."""
    results = []
    for path in sorted((root / "notebooks").glob("*/*.yaml")):
        loader = LOADERS.get(path.name)
        if loader is None:
            results.append((path, f"not a content file coursekit reads; its names are: {', '.join(sorted(LOADERS))}"))
            continue
        try:
            loader(path.parent.name, path.name)
        except CourseDataError as err:
            results.append((path, "\n".join(err.problems)))
        else:
            results.append((path, ""))
    return results
