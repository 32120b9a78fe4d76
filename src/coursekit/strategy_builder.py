"""A structured builder for the topic 12 capstone: the outline of a national cyber diplomacy strategy.

Why it exists: a strategy outline is easier to draft, and to discuss in class, when it has a fixed
shape (objectives, tools, partners, indicators) and when a missing part is pointed out at once. The
builder keeps the participant's draft in the course's answers file (through
:func:`coursekit.store.get_store`), so it survives a kernel restart, and turns it into a one-page
Markdown summary. It writes ``strategy_summary.md`` only when the participant presses *Export*, never
while a notebook runs headless.

The pure part (:class:`StrategyDraft`, :func:`validate`, :func:`advice`, :func:`to_markdown`) is
unit-tested; :class:`StrategyBuilder` is a thin ipywidgets front end over it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import atomic
from .render import InteractiveDisplay, walkthrough_html
from .saved_at import show_saved_at

STORE_ID = "t12-strategy-builder"
EXPORT_FILENAME = "strategy_summary.md"

# Tools of cyber diplomacy that the course has covered; participants pick from these and may add others.
TOOLS: tuple[str, ...] = (
    "Statements and positions in the UN First Committee and the OEWG (since July 2025, the Global Mechanism)",
    "National point of contact in the UN Global Points of Contact Directory (launched May 2024, after the course)",
    "Implementation of regional confidence-building measures (OSCE, OAS, ARF)",
    "Bilateral cyber dialogues and consultations",
    "Capacity building for third countries (for example through the GFCE)",
    "Coordinated EU responses under the Cyber Diplomacy Toolbox",
    "Public attribution statements, alone or with partners",
    "Support for accession to the Budapest Convention on Cybercrime",
    "Reporting on national implementation of the UN norms",
    "National positions on how international law applies in cyberspace",
    "Partnerships with industry, civil society and academia",
    "Training of diplomats in cyber issues",
)

# The Global Mechanism was agreed in July 2025 to follow the OEWG, after the course (May 2022): the label says so.
UN_PARTNER = "United Nations (OEWG; since July 2025, the Global Mechanism)"

PARTNERS: tuple[str, ...] = (
    "EU institutions and the other Member States",
    "NATO Allies",
    "OSCE participating States",
    "Organization of American States (OAS)",
    "ASEAN Regional Forum (ARF)",
    UN_PARTNER,
    "Global Forum on Cyber Expertise (GFCE)",
    "Council of Europe (Budapest Convention; C-PROC in Bucharest)",
    "Neighbouring States",
    "National and EU CSIRTs",
    "Private sector",
    "Civil society and academia",
)

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

        return cls(text("title"), text("foreign_policy_goal"), items("objectives"), items("tools"),
                   items("partners"), items("indicators"))

    def is_empty(self) -> bool:
        return not any([self.title.strip(), self.foreign_policy_goal.strip(), self.objectives, self.tools,
                        self.partners, self.indicators])


def validate(draft: StrategyDraft) -> list[str]:
    """What is missing or too long, one sentence each; an empty list means the outline is complete."""
    problems = []
    if not draft.title.strip():
        problems.append("Give the strategy a title (for example the country and the period it covers).")
    if not draft.foreign_policy_goal.strip():
        problems.append("Say which broader foreign policy objective the strategy serves.")
    if len(draft.objectives) < MIN_OBJECTIVES:
        problems.append(
            f"List at least {MIN_OBJECTIVES} objectives, one per line (you have {len(draft.objectives)})."
        )
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
        name for name, values in (("title", [draft.title]), ("foreign policy objective", [draft.foreign_policy_goal]),
                                  ("objectives", draft.objectives), ("indicators", draft.indicators))
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
            + "; ".join(f"'{v}'" for v in vague[:3]) + "."
        )
    multilateral = {UN_PARTNER, "OSCE participating States",
                    "Organization of American States (OAS)", "ASEAN Regional Forum (ARF)"}
    if draft.partners and not multilateral.intersection(draft.partners):
        tips.append("No UN or regional organisation is among your partners; most cyber CBMs are agreed there.")
    stakeholders = {"Private sector", "Civil society and academia", "National and EU CSIRTs"}
    if draft.partners and not stakeholders.intersection(draft.partners):
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


class StrategyBuilder(InteractiveDisplay):
    """The ipywidgets form: labelled text areas and multi-selects, Check, Save and Export buttons.

    Every change is saved to the answers file under ``store_id`` (while not grading), so the draft
    survives a restart. Building the form reads the saved draft and writes nothing.
    """

    def __init__(self, store_id: str = STORE_ID, export_folder: Path | str | None = None) -> None:
        import ipywidgets as w

        from .store import get_store

        self.store_id = store_id
        self.export_folder = export_folder
        self.store = get_store()
        self._restoring = False
        style = {"description_width": "initial"}

        def wide() -> Any:
            # One Layout per widget: a shared Layout would make hiding one control hide them all.
            return w.Layout(width="100%")

        self.title = w.Text(description="Strategy title:", placeholder="e.g. Cyber diplomacy strategy of <country>, 2025-2030",
                            continuous_update=False, style=style, layout=wide())
        self.goal = w.Textarea(description="Foreign policy objective served:", rows=2, continuous_update=False,
                               placeholder="Which broader foreign policy aim does this strategy serve?", style=style, layout=wide())
        self.objectives = w.Textarea(description="Objectives (one per line):", rows=4, continuous_update=False,
                                     placeholder="One objective per line", style=style, layout=wide())
        self.tools = w.SelectMultiple(options=list(TOOLS), rows=len(TOOLS), style=style, layout=wide(),
                                      description="Tools (choose several):")
        self.partners = w.SelectMultiple(options=list(PARTNERS), rows=len(PARTNERS), style=style, layout=wide(),
                                         description="Partners (choose several):")
        self.indicators = w.Textarea(description="Indicators (one per line):", rows=4, continuous_update=False,
                                     placeholder="How will you know it works? One indicator per line", style=style, layout=wide())
        self.check_button = w.Button(description="Check my outline", tooltip="Say what is still missing", layout=w.Layout(width="auto"))
        self.save_button = w.Button(description="Save", icon="save", tooltip="Save the outline in your answers file", layout=w.Layout(width="auto"))
        self.summary_button = w.Button(description="Show one-page summary", tooltip="Show the summary as Markdown text", layout=w.Layout(width="auto"))
        self.export_button = w.Button(description="Export to file", icon="download",
                                      tooltip="Write the summary to strategy_summary.md beside the notebook", layout=w.Layout(width="auto"))
        self.check_button.on_click(lambda _: self.check())
        self.save_button.on_click(lambda _: self.save(announce=True))
        self.summary_button.on_click(lambda _: self.show_summary())
        self.export_button.on_click(lambda _: self.export())
        self.status = w.HTML("")
        self.report = w.HTML("")
        self.summary = w.Textarea(description="Summary (Markdown):", rows=14, style=style, layout=wide(), disabled=False)
        self.summary.layout.display = "none"
        for control in (self.title, self.goal, self.objectives, self.tools, self.partners, self.indicators):
            control.observe(self._changed, names="value")
        self.widget = w.VBox(
            [self.title, self.goal, self.objectives, self.tools, self.partners, self.indicators,
             w.HBox([self.check_button, self.save_button, self.summary_button, self.export_button]),
             self.status, self.report, self.summary],
            layout=w.Layout(border="1px solid #999", padding="0.5em 1em", margin="0.5em 0"),
        )
        self.widget.add_class("coursekit-strategy-builder")
        if self.store.problem:
            self.status.value = f"<div role='alert'>⚠ {html.escape(self.store.problem)}</div>"
        self._restore()

    # -- state ----------------------------------------------------------------------------------------------
    def draft(self) -> StrategyDraft:
        """The draft as the form shows it now."""
        return StrategyDraft(
            title=self.title.value.strip(),
            foreign_policy_goal=self.goal.value.strip(),
            objectives=lines_of(self.objectives.value),
            tools=list(self.tools.value),
            partners=list(self.partners.value),
            indicators=lines_of(self.indicators.value),
        )

    def fill(self, draft: StrategyDraft) -> None:
        """Show ``draft`` in the form (without saving)."""
        self._restoring = True
        try:
            self.title.value = draft.title
            self.goal.value = draft.foreign_policy_goal
            self.objectives.value = "\n".join(draft.objectives)
            self.tools.value = tuple(t for t in draft.tools if t in TOOLS)
            self.partners.value = tuple(p for p in draft.partners if p in PARTNERS)
            self.indicators.value = "\n".join(draft.indicators)
        finally:
            self._restoring = False

    def _restore(self) -> None:
        saved = self.store.get(self.store_id)
        if saved is None:
            return
        try:
            self.fill(StrategyDraft.from_json(saved.value))
        except ValueError:
            self.status.value = "<span role='status'>⚠ The saved outline could not be read; start a new one.</span>"
            return
        when = show_saved_at(saved.saved_at)
        self.status.value = f"<span role='status'>✔ Your saved outline is shown (saved {html.escape(when)}).</span>"

    def _changed(self, *_: Any) -> None:
        if not self._restoring:
            self.save()

    # -- buttons -------------------------------------------------------------------------------------------
    def save(self, announce: bool = False) -> bool:
        """Save the draft to the answers file; return True if it was written."""
        try:
            saved = self.store.save(self.store_id, self.draft().to_json())
        except OSError as err:
            self.status.value = f"<span role='alert'>⚠ Could not save ({html.escape(str(err))}).</span>"
            return False
        if self.store.read_only:
            self.status.value = "<span role='status'>Read-only: nothing is saved while grading.</span>"
            return False
        when = show_saved_at(saved.saved_at)
        self.status.value = f"<span role='status'>✔ Saved {html.escape(when)}.</span>"
        if announce:
            self.check()
        return True

    def check(self) -> list[str]:
        """Show what is missing (or that the outline is complete) and the non-blocking advice."""
        draft = self.draft()
        problems, tips = validate(draft), advice(draft)
        if problems:
            body = "".join(f"<li>✗ {html.escape(p)}</li>" for p in problems)
            head = f"<strong>Not complete yet: {len(problems)} thing(s) missing.</strong>"
        else:
            body, head = "", "<strong>✓ Complete: every part of the outline is there.</strong>"
        body += "".join(f"<li>ℹ {html.escape(t)}</li>" for t in tips)
        self.report.value = f"<div role='status' aria-live='polite'>{head}<ul>{body}</ul></div>"
        return problems

    def show_summary(self) -> str:
        text = to_markdown(self.draft())
        self.summary.value = text
        self.summary.layout.display = None
        return text

    def export(self) -> Path | None:
        """Write ``strategy_summary.md``: only ever called by the Export button."""
        try:
            path = export_markdown(self.draft(), self.export_folder)
        except OSError as err:
            self.status.value = f"<span role='alert'>⚠ Could not export ({html.escape(str(err))}).</span>"
            return None
        self.show_summary()
        self.status.value = f"<span role='status'>✔ Exported to {html.escape(path.name)} beside this notebook.</span>"
        return path

    # -- display -----------------------------------------------------------------------------------------------
    def book_html(self) -> str:
        """The book's walkthrough: the fields of the form, by their labels, and what the buttons do."""
        fields = "".join(
            f"<li>{html.escape(c.description.rstrip(':'))}</li>"
            for c in (self.title, self.goal, self.objectives, self.tools, self.partners, self.indicators)
        )
        body = ("<p>The strategy builder is a form in which you outline a cyber diplomacy strategy of your own, "
                f"starting from your strategy log entries. It asks for:</p><ul>{fields}</ul>"
                f"<p><em>{html.escape(self.check_button.description)}</em> says what is still missing; "
                "the outline is saved in your answers file as you type and can be exported as a one-page "
                "summary.</p>")
        return walkthrough_html("Strategy builder", body, live_note=(
            "The book cannot keep your outline. To write one, open this topic's notebook in JupyterLab (on "
            "your course's hub, or with the launch button at the top of this page) and run the cell."))

    def plain_text(self) -> str:
        draft = self.draft()
        head = ("Strategy builder: title, foreign policy objective, objectives, tools, partners, indicators. "
                "Open this notebook in JupyterLab to fill it in.")
        if draft.is_empty():
            return head
        return head + "\n\nYour saved outline:\n" + to_markdown(draft)

