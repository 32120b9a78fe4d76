"""A structured builder for the topic 12 capstone: the outline of a national cyber diplomacy strategy.

Why it exists: a strategy outline is easier to draft, and to discuss in class, when it has a fixed
shape (objectives, tools, partners, indicators) and when a missing part is pointed out at once. The
builder keeps the participant's draft in the course's answers file (through
:func:`coursekit.core.store.get_store`), so it survives a kernel restart, and turns it into a one-page
Markdown summary. It writes ``strategy_summary.md`` only when the participant presses *Export*, never
while a notebook runs headless.

The tools and partners offered are course content, in ``notebooks/12-stability-cbms/strategy-builder.yaml``
(read by :func:`choices`). The pure part (:class:`StrategyDraft`, :func:`validate`, :func:`advice`, :func:`to_markdown`) is
unit-tested; :class:`StrategyBuilder` is a thin form over it, on the course's one renderer
(:mod:`coursekit.render.interactive`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import atomic
from ..render.display import InteractiveDisplay, walkthrough_html
from ..render.interactive import Button, Field, FormResult, FormSpec, InteractiveForm
from . import content

STORE_ID = "t12-strategy-builder"
EXPORT_FILENAME = "strategy_summary.md"

#: The topic's folder and the builder's data file in it: the tools and partners a participant picks from.
TOPIC = "12-stability-cbms"
CHOICES_FILE = "strategy-builder.yaml"


@dataclass(frozen=True)
class Choices:
    """The tools and partners offered (in order), and which partners the advice counts as which kind."""

    tools: tuple[str, ...]
    partners: tuple[str, ...]
    multilateral: frozenset[str]
    stakeholders: frozenset[str]


def choices(topic: str = TOPIC, file: str = CHOICES_FILE) -> Choices:
    """The course's tools and partners, from the builder's data file (checked by ``schemas/strategy.schema.json``)."""
    data = content.load(topic, file, "strategy")
    names = [p["name"] for p in data["partners"]]
    if len(set(names)) != len(names):
        raise content.refuse(topic, file, ["partners: a partner is listed twice; keep one"])
    kinds = {
        kind: frozenset(p["name"] for p in data["partners"] if p.get("kind") == kind)
        for kind in ("multilateral", "stakeholder")
    }
    return Choices(tuple(data["tools"]), tuple(names), kinds["multilateral"], kinds["stakeholder"])


MIN_OBJECTIVES, MAX_OBJECTIVES = 2, 5
MIN_TOOLS, MIN_PARTNERS = 2, 2
MAX_TEXT = 600  # characters per line: a one-page outline has short lines
_MEASURABLE = re.compile(r"\d|\b(by|before|each|every|per|annual|yearly|quarterly)\b", re.IGNORECASE)


def lines_of(text: str) -> list[str]:
    """Split a text area into non-empty lines, stripping bullets ('-', '*', '•', '1.') and spaces."""
    items = []
    for raw in text.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", raw).strip()
        if line:
            items.append(line)
    return items


@dataclass
class StrategyDraft:
    """The content of the builder. Lists keep the participant's order."""

    title: str = ""
    foreign_policy_goal: str = ""
    objectives: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict, as saved in the answers file."""
        return {
            "title": self.title,
            "foreign_policy_goal": self.foreign_policy_goal,
            "objectives": list(self.objectives),
            "tools": list(self.tools),
            "partners": list(self.partners),
            "indicators": list(self.indicators),
        }

    @classmethod
    def from_json(cls, value: Any) -> "StrategyDraft":
        """Rebuild a draft from a saved value; raise ValueError if it is not a draft."""
        if not isinstance(value, dict):
            raise ValueError("a saved strategy is a mapping of fields")

        def text(name: str) -> str:
            got = value.get(name, "")
            if not isinstance(got, str):
                raise ValueError(f"{name} must be text")
            return got

        def items(name: str) -> list[str]:
            got = value.get(name, [])
            if not isinstance(got, list) or not all(isinstance(x, str) for x in got):
                raise ValueError(f"{name} must be a list of texts")
            return list(got)

        return cls(
            text("title"),
            text("foreign_policy_goal"),
            items("objectives"),
            items("tools"),
            items("partners"),
            items("indicators"),
        )

    def is_empty(self) -> bool:
        return not any(
            [
                self.title.strip(),
                self.foreign_policy_goal.strip(),
                self.objectives,
                self.tools,
                self.partners,
                self.indicators,
            ]
        )


def validate(draft: StrategyDraft) -> list[str]:
    """What is missing or too long, one sentence each; an empty list means the outline is complete."""
    problems = []
    if not draft.title.strip():
        problems.append("Give the strategy a title (for example the country and the period it covers).")
    if not draft.foreign_policy_goal.strip():
        problems.append("Say which broader foreign policy objective the strategy serves.")
    if len(draft.objectives) < MIN_OBJECTIVES:
        problems.append(f"List at least {MIN_OBJECTIVES} objectives, one per line (you have {len(draft.objectives)}).")
    elif len(draft.objectives) > MAX_OBJECTIVES:
        problems.append(
            f"Keep to at most {MAX_OBJECTIVES} objectives so the outline fits on one page "
            f"(you have {len(draft.objectives)})."
        )
    if len(draft.tools) < MIN_TOOLS:
        problems.append(f"Choose at least {MIN_TOOLS} tools (you have {len(draft.tools)}).")
    if len(draft.partners) < MIN_PARTNERS:
        problems.append(f"Choose at least {MIN_PARTNERS} partners (you have {len(draft.partners)}).")
    if not draft.indicators:
        problems.append("Add at least one indicator, one per line, that would show progress.")
    elif draft.objectives and len(draft.indicators) < len(draft.objectives):
        problems.append(
            f"Give each objective at least one indicator: {len(draft.objectives)} objectives but only "
            f"{len(draft.indicators)} indicator(s)."
        )
    long_fields = [
        name
        for name, values in (
            ("title", [draft.title]),
            ("foreign policy objective", [draft.foreign_policy_goal]),
            ("objectives", draft.objectives),
            ("indicators", draft.indicators),
        )
        if any(len(v) > MAX_TEXT for v in values)
    ]
    if long_fields:
        problems.append(f"Shorten the {', '.join(long_fields)}: keep each line under {MAX_TEXT} characters.")
    return problems


def advice(draft: StrategyDraft) -> list[str]:
    """Suggestions that do not block the outline: they point at common weaknesses."""
    tips = []
    vague = [i for i in draft.indicators if not _MEASURABLE.search(i)]
    if vague:
        tips.append(
            "An indicator is easier to check when it names a number, a date or a frequency; consider revising: "
            + "; ".join(f"'{v}'" for v in vague[:3])
            + "."
        )
    offered = choices()
    if draft.partners and not offered.multilateral.intersection(draft.partners):
        tips.append("No UN or regional organisation is among your partners; most cyber CBMs are agreed there.")
    if draft.partners and not offered.stakeholders.intersection(draft.partners):
        tips.append("No non-governmental or technical partner is listed; much of cyberspace is run by them.")
    return tips


def to_markdown(draft: StrategyDraft) -> str:
    """The one-page summary as Markdown text."""

    def bullets(values: list[str], empty: str) -> list[str]:
        return [f"- {v}" for v in values] if values else [f"- *{empty}*"]

    title = draft.title.strip() or "Untitled national cyber diplomacy strategy"
    lines = [f"# {title}", "", "*Outline of a national cyber diplomacy strategy (one page).*", ""]
    lines += ["## Foreign policy objective served", "", draft.foreign_policy_goal.strip() or "*Not yet stated.*", ""]
    lines += ["## Objectives", ""]
    lines += [f"{n}. {o}" for n, o in enumerate(draft.objectives, start=1)] or ["*None yet.*"]
    lines += ["", "## Tools", ""] + bullets(draft.tools, "None chosen yet.")
    lines += ["", "## Partners", ""] + bullets(draft.partners, "None chosen yet.")
    lines += ["", "## Indicators of progress", ""] + bullets(draft.indicators, "None yet.")
    problems = validate(draft)
    if problems:
        lines += ["", "## Still missing", ""] + [f"- {p}" for p in problems]
    return "\n".join(lines) + "\n"


def export_markdown(draft: StrategyDraft, folder: Path | str | None = None) -> Path:
    """Write the summary to ``strategy_summary.md`` in ``folder`` (default: the notebook's folder), atomically."""
    target = Path(folder if folder is not None else Path.cwd()) / EXPORT_FILENAME
    atomic.write_text(target, to_markdown(draft))
    return target


def _values(draft: StrategyDraft) -> dict[str, Any]:
    """A draft as the form's values (text areas one item per line; unknown tools or partners dropped)."""
    offered = choices()
    return {
        "title": draft.title,
        "goal": draft.foreign_policy_goal,
        "objectives": "\n".join(draft.objectives),
        "tools": [t for t in draft.tools if t in offered.tools],
        "partners": [p for p in draft.partners if p in offered.partners],
        "indicators": "\n".join(draft.indicators),
    }


def draft_of(values: dict[str, Any]) -> StrategyDraft:
    """The draft the form's values say (what is saved, in the answers file's format since the first version)."""
    return StrategyDraft(
        title=values["title"].strip(),
        foreign_policy_goal=values["goal"].strip(),
        objectives=lines_of(values["objectives"]),
        tools=list(values["tools"]),
        partners=list(values["partners"]),
        indicators=lines_of(values["indicators"]),
    )


def form() -> FormSpec:
    """The builder's form, with the course's tools and partners as its checkboxes."""
    offered = choices()
    return FormSpec(
        id="strategy-builder",
        title="Strategy builder",
        fields=(
            Field(
                "title",
                "text",
                "Strategy title:",
                placeholder="e.g. Cyber diplomacy strategy of <country>, 2025-2030",
                max_chars=MAX_TEXT,
            ),
            Field(
                "goal",
                "textarea",
                "Foreign policy objective served:",
                placeholder="Which broader foreign policy aim does this strategy serve?",
            ),
            Field("objectives", "textarea", "Objectives (one per line):", placeholder="One objective per line"),
            Field("tools", "checkboxes", "Tools (choose several):", offered.tools),
            Field("partners", "checkboxes", "Partners (choose several):", offered.partners),
            Field(
                "indicators",
                "textarea",
                "Indicators (one per line):",
                placeholder="How will you know it works? One indicator per line",
            ),
        ),
        buttons=(
            Button("check", "Check my outline"),
            Button("save", "Save"),
            Button("summary", "Show one-page summary"),
            Button("export", "Export to file"),
        ),
    )


class StrategyBuilder(InteractiveDisplay):
    """The builder's form, drawn by the course's one renderer: labelled text boxes and checkbox groups, Check,
    Save, Summary and Export buttons; what they say appears in the live region.

    Every change is saved to the answers file under ``store_id`` (while not grading; the stored JSON is
    :meth:`StrategyDraft.to_json`, as before), so the draft survives a restart. Building the form reads the
    saved draft and writes nothing. The methods below do what the buttons do.
    """

    def __init__(self, store_id: str = STORE_ID, export_folder: Path | str | None = None) -> None:
        self.store_id = store_id
        self.export_folder = export_folder
        self.widget = InteractiveForm(
            form(),
            self._compute,
            _values(StrategyDraft()),
            store_id=store_id,
            to_stored=lambda v: draft_of(v).to_json(),
            from_stored=lambda saved: _values(StrategyDraft.from_json(saved)),
        )
        self.problems: list[str] = validate(self.draft())
        self.exported: Path | None = None

    # -- state ----------------------------------------------------------------------------------------------
    def draft(self) -> StrategyDraft:
        """The draft as the form shows it now."""
        return draft_of(self.widget.values)

    def fill(self, draft: StrategyDraft) -> None:
        """Enter ``draft`` in the form, as a participant typing it would (so it is saved)."""
        self.widget.submit(_values(draft))

    def _compute(self, values: dict[str, Any], button: str | None) -> FormResult:
        draft = draft_of(values)
        self.problems = validate(draft)
        if button is None:
            return FormResult(getattr(self, "_shown", ""))  # typing keeps what the last button said
        if button == "export":
            try:
                path = export_markdown(draft, self.export_folder)
            except OSError as err:
                self._shown = f"<p>⚠ Could not export ({html.escape(err.strerror or str(err))}).</p>"
                return FormResult(self._shown)
            self.exported = path
            self._shown = f"<p>✔ Exported to {html.escape(path.name)} beside this notebook.</p>" + self._summary_html(
                draft
            )
        elif button == "summary":
            self._shown = self._summary_html(draft)
        else:  # check, or save (which also checks)
            problems, tips = self.problems, advice(draft)
            if problems:
                body = "".join(f"<li>✗ {html.escape(p)}</li>" for p in problems)
                head = f"<p><strong>Not complete yet: {len(problems)} thing(s) missing.</strong></p>"
            else:
                body, head = "", "<p><strong>✓ Complete: every part of the outline is there.</strong></p>"
            body += "".join(f"<li>ℹ {html.escape(t)}</li>" for t in tips)
            self._shown = f"{head}<ul>{body}</ul>"
        return FormResult(self._shown)

    @staticmethod
    def _summary_html(draft: StrategyDraft) -> str:
        return (
            "<p>Your one-page summary (Markdown, ready to copy):</p>"
            f"<pre class='coursekit-summary' tabindex='0'>{html.escape(to_markdown(draft))}</pre>"
        )

    # -- buttons -------------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Press Save: save the draft (and check it); True if the answers file now holds it."""
        self.widget.submit(self.widget.values, "save")
        return bool(self.widget.saved_at) and not self.widget.notice

    def check(self) -> list[str]:
        """Press Check: show what is missing (or that the outline is complete) and the non-blocking advice."""
        self.widget.submit(self.widget.values, "check")
        return self.problems

    def show_summary(self) -> str:
        """Press Show one-page summary; return the Markdown."""
        self.widget.submit(self.widget.values, "summary")
        return to_markdown(self.draft())

    def export(self) -> Path | None:
        """Press Export: write ``strategy_summary.md`` (only ever done by this button); the path, or None."""
        self.exported = None
        self.widget.submit(self.widget.values, "export")
        return self.exported

    # -- display -----------------------------------------------------------------------------------------------
    def book_html(self) -> str:
        """The book's walkthrough: the fields of the form, by their labels, and what the buttons do."""
        spec = form()
        fields = "".join(f"<li>{html.escape(f.label.rstrip(':'))}</li>" for f in spec.fields)
        body = (
            "<p>The strategy builder is a form in which you outline a cyber diplomacy strategy of your own, "
            f"starting from your strategy log entries. It asks for:</p><ul>{fields}</ul>"
            f"<p><em>{html.escape(spec.buttons[0].label)}</em> says what is still missing; "
            "the outline is saved in your answers file as you type and can be exported as a one-page "
            "summary.</p>"
        )
        return walkthrough_html(
            "Strategy builder",
            body,
            live_note=(
                "The book cannot keep your outline. To write one, open this topic's notebook in JupyterLab (on "
                "your course's hub, or with the launch button at the top of this page) and run the cell."
            ),
        )

    def plain_text(self) -> str:
        draft = self.draft()
        head = (
            "Strategy builder: title, foreign policy objective, objectives, tools, partners, indicators. "
            "Open this notebook in JupyterLab to fill it in."
        )
        if draft.is_empty():
            return head
        return head + "\n\nYour saved outline:\n" + to_markdown(draft)
