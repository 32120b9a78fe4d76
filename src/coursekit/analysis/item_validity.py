"""Do the graded items measure judgement? The cue picker and the clone and leak checks over a course.

Why it exists: authors need one command that tells them, for any folder of source notebooks, whether a
participant who knows nothing of cyber diplomacy could pass on cues (:mod:`coursekit.analysis.cue_picker`)
or by recognising a case or a line already shown (:mod:`coursekit.analysis.clones`)::

    python -m coursekit.analysis.item_validity NOTEBOOKS_DIR [--topics-dir DIR]

It prints, per kind of graded decision, the cue picker's score against chance; where the keys stand;
how often the key is the cautious middle way and how the tone markers spread over keys and distractors;
and the clone and leak pairs with their scores. The exit status is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from .assessment import course_notebooks, read_course
from .clones import Pair, Text, data_texts, exercise_texts, key_leaks, module_texts, prose_texts, similar_pairs
from .cue_picker import (
    MARGIN,
    MAX_MEASURED_KEY_SHARE,
    KindResult,
    Pick,
    Positions,
    ToneSpread,
    by_kind,
    decisions,
    key_positions,
    newcomer_picks,
    tone_spread,
)
from .wording import MARKERS


@dataclass(frozen=True)
class Validity:
    """Everything the checks measured over one course."""

    picks: list[Pick]
    kinds: dict[str, KindResult]
    positions: dict[str, Positions]
    tone: ToneSpread
    clones: list[Pair]
    leaks: list[Pair]

    def problems(self) -> list[str]:
        """Each failed check in a sentence (an empty list when the graded items pass)."""
        found = [
            f"{k.kind}: the cue picker scores {k.score:.0%} where chance is {k.chance:.0%} (allowed: +{MARGIN:.0%})"
            for k in self.kinds.values()
            if not k.passes
        ]
        single = self.positions.get("single-choice")
        if single and single.decisions:
            at, excess = single.worst
            if excess > MARGIN + 1e-9:
                found.append(
                    f"single-choice: the key is option {at + 1} in {single.share(at):.0%} of graded items "
                    f"where chance is {single.expected[at]:.0%} (allowed: +{MARGIN:.0%})"
                )
        if self.tone.measured_key_share > MAX_MEASURED_KEY_SHARE + 1e-9:
            found.append(
                f"picking the most measured option finds the key in {self.tone.measured_keys:.1f} of "
                f"{self.tone.decisions} graded decisions ({self.tone.measured_key_share:.0%}; "
                f"allowed: {MAX_MEASURED_KEY_SHARE:.0%})"
            )
        found += [f"clone: {p.graded} ~ {p.other} ({p.score:.2f})" for p in self.clones]
        found += [f"leak: the key of {p.graded} is given by {p.other} ({p.score:.2f})" for p in self.leaks]
        return found


def default_topics_dir(notebooks_dir: Path) -> Path:
    """The topic modules beside a checkout's notebooks (``../src/coursekit/topics``), else the installed ones."""
    beside = notebooks_dir.resolve().parent / "src" / "coursekit" / "topics"
    if beside.is_dir():
        return beside
    return Path(__file__).resolve().parents[1] / "topics"


def course_texts(notebooks: list[Path], topics_dir: Path) -> list[Text]:
    """Every exercise, prose paragraph and topic-module text of a course, for :mod:`coursekit.analysis.clones`."""
    import nbformat

    texts: list[Text] = []
    for notebook in notebooks:
        name = notebook.parent.name
        texts += exercise_texts(read_course([notebook]).exercises, name)
        cells = nbformat.read(notebook, as_version=4).cells
        texts += prose_texts([c.source for c in cells if c.cell_type == "markdown"], name)
        for data in sorted(notebook.parent.glob("*.yaml")):
            texts += data_texts(data)
    for module in sorted(topics_dir.glob("*.py")):
        texts += module_texts(module)
    return texts


def measure(notebooks_dir: Path, topics_dir: Path | None = None) -> Validity:
    """Run every check over the source notebooks under ``notebooks_dir`` (and the topic modules' data)."""
    notebooks = course_notebooks(notebooks_dir)
    course = read_course(notebooks)
    found = decisions(course.exercises)
    graded = [d for d in found if d.mode == "graded"]
    picks = newcomer_picks(found, graded)
    texts = course_texts(notebooks, topics_dir or default_topics_dir(notebooks_dir))
    return Validity(
        picks,
        by_kind(picks),
        key_positions(graded),
        tone_spread(graded),
        similar_pairs(texts),
        key_leaks(graded, texts),
    )


def render(v: Validity) -> str:
    """The measures as plain text, for a terminal."""
    lines = ["Cue picker (a test-wise newcomer, leave one out) on graded decisions:"]
    lines.append(f"  {'kind':<16} {'n':>3} {'picker':>7} {'chance':>7} {'margin':>7}")
    for k in v.kinds.values():
        flag = "" if k.passes else "  FAIL"
        lines.append(f"  {k.kind:<16} {k.decisions:>3} {k.score:>7.0%} {k.chance:>7.0%} {k.margin:>+7.0%}{flag}")
    if v.picks:
        score = sum(p.score for p in v.picks) / len(v.picks)
        chance = sum(p.decision.chance() for p in v.picks) / len(v.picks)
        lines.append(f"  {'all decisions':<16} {len(v.picks):>3} {score:>7.0%} {chance:>7.0%} {score - chance:>+7.0%}")
        rules: dict[str, int] = {}
        for p in v.picks:
            rules[p.rule] = rules.get(p.rule, 0) + 1
        lines.append("  rules it chose: " + ", ".join(f"{r} ({n})" for r, n in sorted(rules.items())))
    lines.append("Key positions in source order (count; expected by chance):")
    for pos in v.positions.values():
        cells = ", ".join(
            f"{i + 1}: {c} ({e * pos.decisions:.1f})" for i, (c, e) in enumerate(zip(pos.counts, pos.expected))
        )
        lines.append(f"  {pos.kind:<16} {cells}")
    t = v.tone
    lines.append(
        f"Most measured option is the key: {t.measured_keys:.1f} of {t.decisions} single-answer graded decisions "
        f"({t.measured_key_share:.0%}; at most {MAX_MEASURED_KEY_SHARE:.0%})"
    )
    lines.append(f"Key reads as the cautious middle way in its own right: {t.cautious_keys} of {t.decisions}")
    lines.append(f"Tone markers on keys ({t.keys}) and distractors ({t.distractors}):")
    for name in [*MARKERS, "middle way"]:
        on_keys = t.on_keys[name] / t.keys if t.keys else 0.0
        on_distractors = t.on_distractors[name] / t.distractors if t.distractors else 0.0
        lines.append(f"  {name:<11} keys {on_keys:>4.0%}  distractors {on_distractors:>4.0%}")
    lines.append(f"Clones (graded item ~ other text, weighted overlap): {len(v.clones)}")
    lines += [f"  {p.score:.2f}  {p.graded}  ~  {p.other} [{p.other_kind}]" for p in v.clones]
    lines.append(f"Leaks (key given by another graded prompt, lead over best distractor): {len(v.leaks)}")
    lines += [f"  {p.score:.2f}  {p.graded}  <-  {p.other}" for p in v.leaks]
    problems = v.problems()
    lines.append(f"{len(problems)} problem(s)." if problems else "All item-validity checks pass.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the checks for a notebooks folder; exit status 1 when one fails, 2 when the folder holds no
    source notebook or one cannot be read (an exercise that cannot be rebuilt, a broken file)."""
    parser = argparse.ArgumentParser(
        prog="python -m coursekit.analysis.item_validity",
        description="Can a participant pass the graded items on cues, clones or leaks? (issue 24)",
    )
    parser.add_argument("notebooks", type=Path, help="folder of source notebooks (one sub-folder per topic)")
    parser.add_argument("--topics-dir", type=Path, help="folder of topic modules with practice data")
    args = parser.parse_args(argv)
    if not course_notebooks(args.notebooks):
        print(f"No source notebooks in {args.notebooks}/*/*.ipynb.", file=sys.stderr)
        return 2
    try:
        result = measure(args.notebooks, args.topics_dir)
    except (RuntimeError, SyntaxError, OSError, ValueError) as err:  # ValueError: AuthoringError too
        print(f"The notebooks cannot be read: {err}", file=sys.stderr)
        return 2
    print(render(result))
    return 1 if result.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
