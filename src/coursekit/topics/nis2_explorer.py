"""A small form that asks :func:`coursekit.topics.nis2.classify` whether an entity is essential, important or out of scope.

Why this exists: topic 8's signature interactive lets participants (diplomats and civil servants, not
lawyers or programmers) try the NIS2 scope rules on entities they know: a ministry, a hospital, a cloud
provider. The classifier does the reasoning; this module only turns a form into a call and the answer into
plain sentences, including what follows from the category (supervision and maximum fines).

The form is drawn by the course's one renderer (:mod:`coursekit.render.interactive`): every control is
labelled and keyboard-usable, the result is given in words in one persistent live region (never colour
alone), and building the form only creates objects, so a notebook that shows it still runs under nbclient,
nbval and the book build. In the book the same form works without a kernel, with three example sizes whose
results are computed at build time; elsewhere it falls back to a text description of its current result.

pandas is imported inside functions: ``import coursekit`` stays fast, and ``coursekit/__init__`` never
imports this module.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from ..render.display import InteractiveDisplay, walkthrough_html
from ..render.interactive import Button, Field, FormResult, FormSpec, InteractiveForm, book_form_html
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
    "out of scope": ("On these facts the NIS2 obligations described in this topic do not apply to the entity."),
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
            return f"<p><strong>⚠ {html.escape(parts[0])}</strong></p>"
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in self.classification.reasons)
        return (
            f"<p><strong>{html.escape(parts[0])}</strong></p>"
            f"<p>Why, step by step:</p><ol>{reasons}</ol>"
            f"<p><em>What follows:</em> {html.escape(parts[-1])}</p>"
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


#: The book has no kernel, so its form offers these example sizes (employees, turnover and balance sheet in
#: EUR million) instead of three number boxes: a finite set whose results are computed when the book is built.
BOOK_SIZES: dict[str, tuple[int, float, float]] = {
    "10 employees, turnover EUR 2 million, balance sheet EUR 2 million": (10, 2.0, 2.0),
    "80 employees, turnover EUR 12 million, balance sheet EUR 11 million": (80, 12.0, 11.0),
    "800 employees, turnover EUR 90 million, balance sheet EUR 60 million": (800, 90.0, 60.0),
}
_INTRO = (
    "<p>Choose a sector, enter the entity's size and, if one applies, a special type. The result and the "
    "reasons appear below the button and change as you change the entries. A teaching aid, not legal "
    "advice.</p>"
)


def _sector_field() -> Field:
    return Field("sector", "select", "Sector (NIS2 annexes):", tuple(sectors()))


def _subsector_and_special() -> tuple[Field, Field]:
    return (
        Field(
            "subsector", "select", "Subsector:", follows="sector", help="Only some sectors are split into subsectors."
        ),
        Field("special", "select", "Special type (counts regardless of size):", (NO_SPECIAL, *SPECIAL_TYPES)),
    )


def form_spec() -> FormSpec:
    """The live form: sector, subsector, the three size figures, a special type and a Classify button."""
    subsector, special = _subsector_and_special()
    amount = dict(minimum=0, maximum=10_000_000, step=0.5)
    return FormSpec(
        id="nis2-classifier",
        title="NIS2 entity classifier",
        intro_html=_INTRO,
        fields=(
            _sector_field(),
            subsector,
            Field("employees", "number", "Employees (headcount):", minimum=0, maximum=10_000_000, integer=True),
            Field("turnover", "number", "Annual turnover (EUR million):", **amount),
            Field("balance", "number", "Balance sheet total (EUR million):", **amount),
            special,
        ),
        buttons=(Button("classify", "Classify"),),
    )


def book_form_spec() -> FormSpec:
    """The book's form: as the live one, with the size chosen among :data:`BOOK_SIZES`."""
    subsector, special = _subsector_and_special()
    return FormSpec(
        id="nis2-classifier",
        title="NIS2 entity classifier",
        intro_html=_INTRO.replace("enter the entity's size", "choose one of three example sizes"),
        fields=(_sector_field(), subsector, Field("size", "select", "Size of the entity:", tuple(BOOK_SIZES)), special),
        buttons=(Button("classify", "Classify"),),
    )


def _subsector_options(sector: str) -> tuple[list[str], bool]:
    listed = subsectors(sector)
    return (listed or [NO_SUBSECTOR]), bool(listed)


def compute(values: dict[str, Any], _button: str | None = None) -> FormResult:
    """The form's result for ``values`` (either form's): the outcome in words, and the sector's subsectors."""
    options, split = _subsector_options(values["sector"])
    subsector = values["subsector"] if values["subsector"] in options else options[0]
    if "size" in values:
        employees, turnover, balance = BOOK_SIZES[values["size"]]
    else:
        employees, turnover, balance = values["employees"], values["turnover"], values["balance"]
    outcome = evaluate(values["sector"], subsector, employees, turnover, balance, values["special"])
    return FormResult(outcome.html(), {"subsector": {"options": options, "value": subsector, "disabled": not split}})


class ClassifierForm(InteractiveDisplay):
    """The form, drawn by the course's one renderer (:class:`~coursekit.render.interactive.InteractiveForm`).

    The result updates when the button is pressed and whenever an entry changes, so a keyboard user who
    tabs through the controls hears the new result in the status region. :meth:`set` drives the form the way
    the page does (tests, and curious participants, can use it without a browser).
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
        all_sectors = sectors()
        sector = sector if sector in all_sectors else all_sectors[0]
        options, _ = _subsector_options(sector)
        start = {
            "sector": sector,
            "subsector": subsector if subsector in options else options[0],
            "employees": employees,
            "turnover": float(turnover_eur_m),
            "balance": float(balance_sheet_eur_m),
            "special": special_type if special_type in SPECIAL_TYPES else NO_SPECIAL,
        }
        self.widget = InteractiveForm(form_spec(), compute, start)

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.widget.values)

    @property
    def outcome(self) -> Outcome:
        v = self.values
        return evaluate(v["sector"], v["subsector"], v["employees"], v["turnover"], v["balance"], v["special"])

    def set(self, button: str | None = None, **changes: Any) -> FormResult | None:
        """Change some entries (and press ``button``) as the page would; the result, or None if refused."""
        values = {**self.values, **changes}
        if "sector" in changes and "subsector" not in changes:
            values["subsector"] = ""  # as the page sends it: the subsector follows the sector
        return self.widget.submit(values, button)

    def book_html(self) -> str:
        """The book's form (sizes among :data:`BOOK_SIZES`) with every result computed now; the example's
        inputs and result as a walkthrough for readers without JavaScript."""
        v = self.values
        rows = [
            ("Sector", v["sector"]),
            ("Subsector", v["subsector"]),
            ("Employees (headcount)", f"{v['employees']}"),
            ("Annual turnover (EUR million)", f"{v['turnover']:g}"),
            ("Balance sheet total (EUR million)", f"{v['balance']:g}"),
            ("Special type", v["special"]),
        ]
        table = "".join(
            f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(str(x))}</td></tr>" for k, x in rows
        )
        body = (
            "<p>The NIS2 entity classifier takes a sector, an entity's size and any special type, and says "
            "whether NIS2 applies and how. A teaching aid, not legal advice. One entity as an example:</p>"
            f"<table class='coursekit-table'><caption>The example entity</caption>{table}</table>"
            f"<p>What the classifier says:</p><div>{self.outcome.html()}</div>"
        )
        walkthrough = walkthrough_html("NIS2 entity classifier", body)
        size = (v["employees"], v["turnover"], v["balance"])
        start = {
            "sector": v["sector"],
            "subsector": v["subsector"],
            "special": v["special"],
            "size": next((k for k, s in BOOK_SIZES.items() if s == size), next(iter(BOOK_SIZES))),
        }
        every = [
            {"sector": s, "subsector": sub, "size": size_name, "special": special}
            for s in sectors()
            for sub in ["", *_subsector_options(s)[0]]
            for size_name in BOOK_SIZES
            for special in (NO_SPECIAL, *SPECIAL_TYPES)
        ]
        return book_form_html(
            book_form_spec(),
            compute,
            start,
            every,
            walkthrough,
            missing="The book has results for these three example sizes; open the notebook to enter any size.",
        )

    def plain_text(self) -> str:
        v = self.values
        return (
            "[NIS2 entity classifier: an interactive form; open this notebook in JupyterLab to use it.]\n"
            f"Example shown: sector {v['sector']}, {v['employees']} employees, turnover EUR "
            f"{v['turnover']:g} million, balance sheet EUR {v['balance']:g} million, special type: "
            f"{v['special']}.\n{self.outcome.text()}"
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
