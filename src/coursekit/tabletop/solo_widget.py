"""Play a tabletop exercise alone in a notebook (Binder, a laptop): ``play("romania")`` in a cell.

A thin ipywidgets front end on :class:`.solo.SoloGame`: labelled radio buttons for the options, a labelled text
area for the rationale, one button; after each inject it shows the consequence, what the other roles did (by
the file's solo rules) and the EU outcome, and at the end the debrief. No kernel-side logic lives here.
"""

from __future__ import annotations

from typing import Any

from .model import Exercise, course_exercises, load
from .solo import FICTION, SoloGame, role_card_markdown


def _markdown(text: str) -> Any:
    import ipywidgets as w
    from markdown_it import MarkdownIt

    # markdown-it escapes any HTML in the text (html is off by default in 'commonmark' with html=False)
    return w.HTML(MarkdownIt("commonmark", {"html": False}).enable("table").render(text))


class SoloPlayer:
    """The widget tree and its game; ``choose`` and ``submit`` are what the controls call (tests call them too)."""

    def __init__(self, exercise: Exercise, role: str):
        import ipywidgets as w

        self.game = SoloGame(exercise, role)
        self.card = _markdown(role_card_markdown(exercise, role))
        self.situation = _markdown("")
        self.options = w.RadioButtons(options=[], description="Your choice", layout=w.Layout(width="auto"))
        self.rationale = w.Textarea(description="Rationale", placeholder="Why, in a sentence or two")
        self.button = w.Button(description="Decide", button_style="primary")
        self.feedback = _markdown("")
        self.button.on_click(lambda _: self.submit())
        self.box = w.VBox([self.card, self.situation, self.options, self.rationale, self.button, self.feedback])
        self._show()

    def _show(self) -> None:
        view = self.game.view()
        if view["done"]:
            self.options.layout.display = self.rationale.layout.display = self.button.layout.display = "none"
            rows = self.game.debrief()
            lines = [
                "### Debrief",
                "",
                "| Date | Inject | Your path | Toolbox category | What happened |",
                "|---|---|---|---|---|",
            ]
            lines += [f"| {r['date']} | {r['title']} | {r['choice']} | {r['category']} | {r['actual']} |" for r in rows]
            self.situation.value = _markdown("\n".join(lines)).value
            return
        inject = view["inject"]
        label = f"*{FICTION}:* " if inject.get("fiction") else ""
        text = [f"### {inject['title']} ({inject['date']})", "", label + inject["situation"].strip(), ""]
        text += [f"> {b['text'].strip()}" for b in view["branches"]] + ["", f"**{inject['question']}**"]
        self.situation.value = _markdown("\n".join(text)).value
        self.options.options = [(o["text"], o["id"]) for o in view["options"]]
        self.options.value = None
        self.rationale.value = ""

    def submit(self) -> None:
        if self.options.value is None:
            self.feedback.value = _markdown("Choose an option first.").value
            return
        result = self.game.decide(self.options.value, self.rationale.value)
        names = {r["id"]: r["name"] for r in self.game.exercise.roles}
        inject = self.game.exercise.inject(list(self.game.decisions)[-1])
        texts = {o["id"]: o["text"] for o in inject["options"]}
        lines = [f"**Consequence:** {result['consequence']}", "", "**The other teams:**", ""]
        lines += [f"- {names[r]}: {texts[o]}" for r, o in result["others"].items()]
        lines += [""] + [f"**EU outcome:** {t}" for t in result["outcomes"]]
        self.feedback.value = _markdown("\n".join(lines)).value
        self._show()


def play(role: str, exercise: str = "spring-2022") -> Any:
    """The solo game as ``role`` in one of the course's exercises, as a widget to display in a notebook."""
    return SoloPlayer(load(course_exercises()[exercise]), role).box
