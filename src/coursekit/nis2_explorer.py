"""A small form that asks :func:`coursekit.nis2.classify` whether an entity is essential, important or out of scope.

Why this exists: topic 8's signature interactive lets participants (diplomats and civil servants, not
lawyers or programmers) try the NIS2 scope rules on entities they know: a ministry, a hospital, a cloud
provider. The classifier does the reasoning; this module only turns a form into a call and the answer into
plain sentences, including what follows from the category (supervision and maximum fines).

Accessibility and headless safety, as for every coursekit widget: every control carries a text label
(``description``), everything is reachable with the keyboard (dropdowns, number boxes, a button), the
result is given in words inside a live status region (never colour alone), and building the form only
creates widget objects, so a notebook that shows it still runs under nbclient, nbval and the book build.
In a front end without widgets the form falls back to a text description of its current result.

ipywidgets and pandas are imported inside functions: ``import coursekit`` stays fast, and
``coursekit/__init__`` never imports this module.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from .render import InteractiveDisplay, walkthrough_html
from .nis2 import SPECIAL_TYPES, Classification, classify, sectors, subsectors

NO_SUBSECTOR = "(not split into subsectors)"
NO_SPECIAL = "None of these"

#: What follows from each category, in the course's words (NIS2 Art. 3 and the supervision and fines rules
#: as the course fact base states them).
CONSEQUENCES: dict[str, str] = {
    "essential": (
        "An essential entity is supervised both ex ante and ex post: before anything has gone wrong as well as "
        "after the fact. Maximum fines are at least EUR 10 million or 2% of worldwide "
        "turnover, whichever is higher."
    ),
    "important": (
        "An important entity is supervised ex post only, that is after the fact. Maximum fines are at least "
        "EUR 7 million or 1.4% of worldwide turnover, "
        "whichever is higher."
    ),
    "out of scope": (
        "On these facts the NIS2 obligations described in this topic do not apply to the entity."
    ),
}


@dataclass(frozen=True)
class Outcome:
    """What the form shows: either a classification or a problem with the inputs, in words."""

    classification: Classification | None
    problem: str | None = None

    def sentences(self) -> list[str]:
        """The result as plain sentences: headline, each reason in order, then the consequences."""
        if self.classification is None:
            return [f"The entity could not be classified: {self.problem}"]
        c = self.classification
        headline = (
            "Result: out of scope of NIS2."
            if c.category == "out of scope"
            else f"Result: {c.category} entity under NIS2."
        )
        return [headline, *c.reasons, CONSEQUENCES[c.category]]

    def text(self) -> str:
        return "\n".join(self.sentences())

    def html(self) -> str:
        parts = self.sentences()
        if self.classification is None:
            return f"<div role='status' aria-live='polite'><strong>⚠ {html.escape(parts[0])}</strong></div>"
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in self.classification.reasons)
        return (
            "<div role='status' aria-live='polite'>"
            f"<p><strong>{html.escape(parts[0])}</strong></p>"
            f"<p>Why, step by step:</p><ol>{reasons}</ol>"
            f"<p><em>What follows:</em> {html.escape(parts[-1])}</p></div>"
        )


def evaluate(
    sector: str,
    subsector: str | None,
    employees: int,
    turnover_eur_m: float,
    balance_sheet_eur_m: float,
    special_type: str | None = None,
) -> Outcome:
    """Classify, turning the classifier's refusals (unknown sector, impossible special type) into words.

    The form must never show a traceback to a participant: a ``ValueError`` or ``TypeError`` from the
    classifier becomes the ``problem`` of the outcome.
    """
    if subsector in (None, "", NO_SUBSECTOR):
        subsector = None
    if special_type in (None, "", NO_SPECIAL):
        special_type = None
    try:
        result = classify(sector, subsector, employees, turnover_eur_m, balance_sheet_eur_m, special_type)
    except (ValueError, TypeError) as err:
        return Outcome(None, str(err))
    return Outcome(result)


class ClassifierForm(InteractiveDisplay):
    """The form: sector, subsector, three size inputs, a special type, a button and the result.

    The result updates when the button is pressed and whenever an input changes, so a keyboard user who
    tabs through the controls hears the new result in the status region. Attributes are public so tests
    (and curious participants) can drive the form without a browser.
    """

    def __init__(
        self,
        sector: str | None = None,
        subsector: str | None = None,
        employees: int = 120,
        turnover_eur_m: float = 15.0,
        balance_sheet_eur_m: float = 12.0,
        special_type: str | None = None,
    ) -> None:
        import ipywidgets as w

        style = {"description_width": "initial"}
        wide = w.Layout(width="auto", max_width="48em")
        all_sectors = sectors()
        self.sector = w.Dropdown(
            options=all_sectors,
            value=sector if sector in all_sectors else all_sectors[0],
            description="Sector (NIS2 annexes):",
            style=style,
            layout=wide,
        )
        self.subsector = w.Dropdown(description="Subsector:", style=style, layout=wide)
        self.employees = w.BoundedIntText(
            value=employees, min=0, max=10_000_000, description="Employees (headcount):", style=style, layout=wide
        )
        self.turnover = w.BoundedFloatText(
            value=turnover_eur_m, min=0, max=10_000_000, step=0.5,
            description="Annual turnover (EUR million):", style=style, layout=wide,
        )
        self.balance = w.BoundedFloatText(
            value=balance_sheet_eur_m, min=0, max=10_000_000, step=0.5,
            description="Balance sheet total (EUR million):", style=style, layout=wide,
        )
        self.special = w.Dropdown(
            options=[NO_SPECIAL, *SPECIAL_TYPES],
            value=special_type if special_type in SPECIAL_TYPES else NO_SPECIAL,
            description="Special type (counts regardless of size):",
            style=style,
            layout=wide,
        )
        self.button = w.Button(
            description="Classify", tooltip="Classify the entity under NIS2", icon="check", layout=w.Layout(width="auto")
        )
        self.result = w.HTML("")
        self._fill_subsectors(subsector)
        self.sector.observe(self._sector_changed, names="value")
        for control in (self.subsector, self.employees, self.turnover, self.balance, self.special):
            control.observe(lambda _change: self.update(), names="value")
        self.button.on_click(lambda _button: self.update())
        intro = w.HTML(
            "<p><strong>NIS2 entity classifier.</strong> Choose a sector, enter the entity's size and, if one "
            "applies, a special type; then press <em>Classify</em>. The result and the reasons appear below "
            "the button. A teaching aid, not legal advice.</p>"
        )
        self.widget = w.VBox(
            [intro, self.sector, self.subsector, self.employees, self.turnover, self.balance, self.special,
             self.button, self.result],
            layout=w.Layout(border="1px solid #999", padding="0.5em 1em", margin="0.5em 0"),
        )
        self.widget.add_class("coursekit-nis2-classifier")
        self.outcome = self.update()

    def _fill_subsectors(self, wanted: str | None = None) -> None:
        listed = subsectors(self.sector.value)
        options = listed or [NO_SUBSECTOR]
        self.subsector.options = options
        self.subsector.value = wanted if wanted in options else options[0]
        self.subsector.disabled = not listed

    def _sector_changed(self, _change: Any) -> None:
        self._fill_subsectors()
        self.update()

    def update(self) -> Outcome:
        """Classify the current inputs and show the result; return it."""
        self.outcome = evaluate(
            self.sector.value,
            self.subsector.value,
            int(self.employees.value),
            float(self.turnover.value),
            float(self.balance.value),
            self.special.value,
        )
        self.result.value = self.outcome.html()
        return self.outcome

    def book_html(self) -> str:
        """The book's walkthrough: the example's inputs as a table and the classifier's result for them."""
        rows = [("Sector", self.sector.value), ("Subsector", self.subsector.value),
                ("Employees (headcount)", f"{self.employees.value}"),
                ("Annual turnover (EUR million)", f"{self.turnover.value:g}"),
                ("Balance sheet total (EUR million)", f"{self.balance.value:g}"), ("Special type", self.special.value)]
        table = "".join(f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
        body = ("<p>The NIS2 entity classifier takes a sector, an entity's size and any special type, and says "
                "whether NIS2 applies and how. A teaching aid, not legal advice. One entity as an example:</p>"
                f"<table class='coursekit-table'><caption>The example entity</caption>{table}</table>"
                f"<p>What the classifier says:</p>{self.outcome.html()}")
        return walkthrough_html("NIS2 entity classifier", body)

    def plain_text(self) -> str:
        return (
            "[NIS2 entity classifier: an interactive form; open this notebook in JupyterLab to use it.]\n"
            f"Example shown: sector {self.sector.value}, {self.employees.value} employees, turnover EUR "
            f"{self.turnover.value:g} million, balance sheet EUR {self.balance.value:g} million, special type: "
            f"{self.special.value}.\n{self.outcome.text()}"
        )


def examples_table(cases: list[dict[str, Any]]) -> Any:
    """Classify several example entities and return a pandas DataFrame, one row each, in words.

    Each case is a dict with ``name`` and the keyword arguments of :func:`evaluate`. The table is what a
    reader of the book (who has no live widgets) sees of the classifier.
    """
    import pandas as pd

    rows = []
    for case in cases:
        args = {k: v for k, v in case.items() if k != "name"}
        outcome = evaluate(**args)
        c = outcome.classification
        size = (
            f"{case['employees']} staff; turnover EUR {case['turnover_eur_m']:g}m; "
            f"balance sheet EUR {case['balance_sheet_eur_m']:g}m"
        )
        rows.append(
            {
                "Entity": case["name"],
                "Sector": case["sector"] + (f" ({case['subsector']})" if case.get("subsector") else ""),
                "Size": size,
                "Special type": case.get("special_type") or "-",
                "NIS2 category": c.category if c else "not classified",
                "Decisive reason": c.reasons[-1] if c else outcome.problem,
            }
        )
    return pd.DataFrame(rows)
