"""Play an exercise alone (Binder, a laptop, the book): one role is yours, the file's rules play the others.

:class:`SoloGame` keeps the decisions in memory and applies :mod:`.engine`, the same rules the hub service
uses. :func:`walkthrough` writes one whole path as Markdown: the book's walkthrough page is generated from it
(``python -m coursekit.tabletop walkthrough``), and a test keeps the committed page equal to what it writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import engine
from .model import Exercise

FICTION = "Fiction (exercise)"


@dataclass
class SoloGame:
    """One player in ``role``; every other role answers by the exercise's solo rules."""

    exercise: Exercise
    role: str
    decisions: dict[str, dict[str, str]] = field(default_factory=dict)
    rationales: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.role not in {r["id"] for r in self.exercise.roles}:
            known = ", ".join(r["id"] for r in self.exercise.roles)
            raise ValueError(f"no role {self.role!r} in {self.exercise.id} (roles: {known})")

    @property
    def current(self) -> dict[str, Any] | None:
        """The next inject to decide, or None once all are decided (time for the debrief)."""
        return next((i for i in self.exercise.injects if i["id"] not in self.decisions), None)

    def view(self) -> dict[str, Any]:
        """What the player sees now: the inject, its follow-ups for this role, and the options offered."""
        inject = self.current
        if inject is None:
            return {"done": True}
        return {
            "done": False,
            "inject": inject,
            "branches": engine.branches_for(self.exercise, inject["id"], self.role, self.decisions),
            "options": engine.options_for(self.exercise, inject["id"], self.role),
        }

    def decide(self, option_id: str, rationale: str = "") -> dict[str, Any]:
        """Record the player's choice, let the other roles answer, close the inject; returns what followed."""
        inject = self.current
        if inject is None:
            raise ValueError("every inject is decided: open the debrief")
        offered = {o["id"]: o for o in engine.options_for(self.exercise, inject["id"], self.role)}
        if option_id not in offered:
            raise ValueError(f"{option_id!r} is not an option for {self.role!r} here (options: {', '.join(offered)})")
        before = dict(self.decisions)  # the others answer from what was known before this inject
        choices = {
            r["id"]: engine.solo_choice(self.exercise, inject["id"], r["id"], before) for r in self.exercise.roles
        }
        choices[self.role] = option_id
        self.decisions[inject["id"]] = choices
        self.rationales[inject["id"]] = rationale
        return {
            "consequence": offered[option_id]["consequence"],
            "others": {r: o for r, o in choices.items() if r != self.role},
            "outcomes": engine.outcomes_text(self.exercise, inject["id"], self.decisions),
        }

    def debrief(self) -> list[dict[str, Any]]:
        return engine.debrief(self.exercise, self.role, self.decisions)


def _label(item: dict[str, Any]) -> str:
    return f"*{FICTION}:* " if item.get("fiction") else ""


def role_card_markdown(exercise: Exercise, role_id: str, level: int = 3) -> str:
    """A role card as Markdown (interests, red lines, private information with fiction labelled)."""
    role = exercise.role(role_id)
    card = role["card"]
    lines = [
        f"{'#' * level} Role card: {role['name']}",
        "",
        _label(role) + card["brief"].strip(),
        "",
        "**Interests**",
        "",
    ]
    lines += [f"- {x}" for x in card["interests"]] + ["", "**Red lines**", ""]
    lines += [f"- {x}" for x in card["red_lines"]] + ["", "**Private information (only your team sees this)**", ""]
    lines += [f"- {_label(x)}{x['text'].strip()}" for x in card["private"]]
    return "\n".join(lines) + "\n"


def walkthrough(exercise: Exercise, role: str, picks: dict[str, str]) -> str:
    """One path through ``exercise`` as ``role`` (``picks``: inject id -> option id), then its debrief."""
    game = SoloGame(exercise, role)
    names = {r["id"]: r["name"] for r in exercise.roles}
    out = [role_card_markdown(exercise, role, level=2)]
    for number, inject in enumerate(exercise.injects, 1):
        view = game.view()
        out += [
            f"## Inject {number}: {inject['title']} ({inject['date']})",
            "",
            _label(inject) + inject["situation"].strip(),
            "",
        ]
        out += [f"> {_label(b)}{b['text'].strip().removeprefix(FICTION + ': ')}" for b in view["branches"]]
        out += ["", f"**{inject['question']}**", ""]
        out += [f"{k}. {o['text']}" for k, o in enumerate(view["options"], 1)]
        result = game.decide(picks[inject["id"]], "")
        chosen = next(o for o in view["options"] if o["id"] == picks[inject["id"]])
        out += ["", f"*This walkthrough chooses:* {chosen['text']}", "", f"*Consequence:* {result['consequence']}", ""]
        out += ["*The other teams (by the file's solo rules):*", ""]
        texts = {o["id"]: o["text"] for o in inject["options"]}
        out += [f"- {names[r]}: {texts[o]}" for r, o in result["others"].items()]
        out += [""] + [f"*EU outcome:* {t}" for t in result["outcomes"]] + [""]
    debrief = exercise.data["debrief"]
    facts = exercise.data["facts"]
    out += ["## Debrief: this path and what happened", "", debrief["intro"].strip(), ""]
    out += [f"- {facts[f]['text'].strip()}" for f in debrief["toolbox"]]
    out += [
        f"- *Update since the course ({facts[f]['date']}):* {facts[f]['text'].strip()}"
        for f in debrief.get("after_course", [])
    ]
    out += ["", "| Date | Inject | This path | Toolbox category | What happened |", "|---|---|---|---|---|"]
    for row in game.debrief():
        cell = lambda s: (s or "").replace("|", "\\|").replace("\n", " ").strip()  # noqa: E731
        out.append(
            f"| {row['date']} | {cell(row['title'])} | {cell(row['choice'])} | {cell(row['category'])} | {cell(row['actual'])} |"
        )
    out += ["", "**Questions for the room**", ""] + [f"- {q}" for q in debrief["questions"]]
    return "\n".join(out) + "\n"
