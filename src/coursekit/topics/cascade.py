"""A small teaching model of cascading failure between critical sectors (topic 9).

Why this exists: diplomats discussing norms (f), (g) and (h) of the 2015 UN GGE report need a feel for
*interdependence*: an outage in one sector, or one country, reaches others after a delay that depends on
how long each of them can cope without its supplies. This module makes that idea concrete and lets
participants experiment with it. It is a **documented teaching model, not a claim about any country**:
the sectors belong to two fictional countries, "A" and its neighbour "B", and every buffer time (in
``notebooks/09-critical-infrastructure/cascade-network.yaml``) is an illustrative round number chosen for
discussion, not a measurement.

The model
---------
* A :class:`Network` has sectors and :class:`Dependency` links. ``Dependency("Hospitals (A)",
  "Electricity (A)", 48)`` reads "hospitals in A need electricity from A and can keep going for 48 hours
  without it" (backup generators, stocks, paper procedures: whatever lets a sector ride out a loss).
* One sector fails at hour 0 and stays down for ``duration_hours``. In this model every failed sector
  comes back when that first outage ends (a best case: real restarts take longer).
* A sector fails when one of its suppliers has been down for *longer than* its buffer for that supplier.
  A supplier that fails at hour ``t`` stays down until the end of the outage, so the dependent sector
  fails at ``t + buffer`` provided that is strictly before the outage ends. A sector fails at the
  earliest such time over all its suppliers (a shortest-path search, so cycles in the network are
  handled: a sector fails once, at its earliest time, and never "again").
* ``extra_buffer_hours`` adds the same number of hours to every buffer: a crude way to ask what more
  resilience everywhere (norm (g): protecting one's own critical infrastructure) would buy.

The functions are pure; :func:`explorer` wraps them in a small form for the notebook (drawn by the course's
one renderer, :mod:`coursekit.render.interactive`). pandas and matplotlib are imported only inside the
functions that need them.
"""

from __future__ import annotations

import heapq
import html
import math
from dataclasses import dataclass, field
from typing import Any

from ..render.display import InteractiveDisplay, walkthrough_html
from ..render.interactive import Field, FormResult, FormSpec, InteractiveForm
from . import content


class UnknownSectorError(ValueError):
    """A sector name that is not part of the network."""


class NetworkError(ValueError):
    """A network defined with inconsistent sectors or dependencies (an author's mistake)."""


@dataclass(frozen=True)
class Dependency:
    """``sector`` needs ``needs`` and can cope without it for ``buffer_hours`` hours.

    ``why`` says in plain words what the buffer stands for, so the teaching network documents itself.
    """

    sector: str
    needs: str
    buffer_hours: float
    why: str = ""


@dataclass(frozen=True)
class Network:
    """Sectors (in display order) and the dependencies between them."""

    sectors: tuple[str, ...]
    dependencies: tuple[Dependency, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "sectors", tuple(self.sectors))
        object.__setattr__(self, "dependencies", tuple(self.dependencies))
        if not self.sectors:
            raise NetworkError("A network needs at least one sector.")
        if len(set(self.sectors)) != len(self.sectors):
            raise NetworkError("Sector names must be unique.")
        known = set(self.sectors)
        seen: set[tuple[str, str]] = set()
        for dep in self.dependencies:
            for name in (dep.sector, dep.needs):
                if name not in known:
                    raise NetworkError(f"Dependency {dep.sector!r} -> {dep.needs!r} names unknown sector {name!r}.")
            if dep.sector == dep.needs:
                raise NetworkError(f"Sector {dep.sector!r} cannot depend on itself.")
            if (
                not isinstance(dep.buffer_hours, (int, float))
                or not math.isfinite(dep.buffer_hours)
                or dep.buffer_hours < 0
            ):
                raise NetworkError(f"Buffer of {dep.sector!r} for {dep.needs!r} must be a finite number of hours >= 0.")
            if (dep.sector, dep.needs) in seen:
                raise NetworkError(f"Dependency {dep.sector!r} -> {dep.needs!r} is listed twice.")
            seen.add((dep.sector, dep.needs))

    def check_sector(self, name: str) -> str:
        """Return ``name`` if it is a sector of this network, else raise UnknownSectorError."""
        if name not in self.sectors:
            raise UnknownSectorError(
                f"{name!r} is not a sector of this network; choose one of: {', '.join(self.sectors)}."
            )
        return name

    def dependents_of(self, supplier: str) -> tuple[Dependency, ...]:
        """The dependencies of other sectors on ``supplier``, in definition order."""
        return tuple(d for d in self.dependencies if d.needs == supplier)

    def suppliers_of(self, sector: str) -> tuple[Dependency, ...]:
        """What ``sector`` needs, in definition order."""
        return tuple(d for d in self.dependencies if d.sector == sector)


@dataclass(frozen=True)
class Failure:
    """One sector's failure: when (hours after the first failure), what it lost, and the chain to it."""

    sector: str
    fails_at_hours: float
    caused_by: str | None
    chain: tuple[str, ...] = field(default=())


def simulate(
    network: Network, failing: str, duration_hours: float, extra_buffer_hours: float = 0.0
) -> tuple[Failure, ...]:
    """Which sectors fail, and when, if ``failing`` is down for ``duration_hours`` hours.

    Returns the failures sorted by time (ties in the network's sector order), the first sector first,
    at hour 0. A sector fails only if the loss reaches it strictly before the outage ends.
    """
    network.check_sector(failing)
    for label, value, low_ok in (
        ("duration_hours", duration_hours, False),
        ("extra_buffer_hours", extra_buffer_hours, True),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{label} must be a finite number of hours.")
        if value < 0 or (value == 0 and not low_ok):
            raise ValueError(f"{label} must be {'>= 0' if low_ok else 'greater than 0'}, not {value:g}.")
    order = {name: i for i, name in enumerate(network.sectors)}
    done: dict[str, Failure] = {}
    queue: list[tuple[float, int, str, str | None, tuple[str, ...]]] = [
        (0.0, order[failing], failing, None, (failing,))
    ]
    while queue:
        time, _, sector, cause, chain = heapq.heappop(queue)
        if sector in done:
            continue  # already failed earlier: this is how cycles end
        done[sector] = Failure(sector, time, cause, chain)
        for dep in network.dependents_of(sector):
            if dep.sector in done:
                continue
            when = time + dep.buffer_hours + extra_buffer_hours
            if when < duration_hours:
                heapq.heappush(queue, (when, order[dep.sector], dep.sector, sector, chain + (dep.sector,)))
    return tuple(sorted(done.values(), key=lambda f: (f.fails_at_hours, order[f.sector])))


def unaffected(network: Network, failures: tuple[Failure, ...]) -> tuple[str, ...]:
    """The sectors that hold out, in network order."""
    failed = {f.sector for f in failures}
    return tuple(s for s in network.sectors if s not in failed)


def _hours(value: float) -> str:
    return f"{value:g} hour" + ("" if value == 1 else "s")


def describe(network: Network, failures: tuple[Failure, ...], duration_hours: float) -> str:
    """A few plain sentences on the result, for the notebook and for screen readers."""
    first = failures[0]
    others = failures[1:]
    text = [f"{first.sector} is down for {_hours(duration_hours)}."]
    if not others:
        text.append("No other sector fails: every buffer outlasts the outage.")
    else:
        text.append(
            f"{len(others)} other sector{'s' if len(others) != 1 else ''} fail{'s' if len(others) == 1 else ''} before it ends: "
            + "; ".join(f"{f.sector} after {_hours(f.fails_at_hours)}" for f in others)
            + "."
        )
        home = first.sector.rsplit("(", 1)[-1].rstrip(")") if "(" in first.sector else None
        abroad = [f.sector for f in others if home and "(" in f.sector and not f.sector.endswith(f"({home})")]
        if abroad:
            text.append("Across the border or region: " + ", ".join(abroad) + ".")
    held = unaffected(network, failures)
    if held:
        text.append("Holding out: " + ", ".join(held) + ".")
    return " ".join(text)


def failures_table(failures: tuple[Failure, ...]) -> Any:
    """The failures as a pandas DataFrame with plain-language column names."""
    import pandas as pd

    return pd.DataFrame(
        {
            "Sector": [f.sector for f in failures],
            "Fails after (hours)": [f.fails_at_hours for f in failures],
            "Because it lost": [f.caused_by or "(the first failure)" for f in failures],
            "Chain from the first failure": [" → ".join(f.chain) for f in failures],
        }
    )


def timeline_alt_text(failures: tuple[Failure, ...], duration_hours: float) -> str:
    """Alt text for :func:`timeline_figure`: what the chart shows, bar by bar."""
    bars = "; ".join(f"{f.sector} from hour {f.fails_at_hours:g}" for f in failures)
    return (
        f"Horizontal bar chart of a {duration_hours:g}-hour outage. Each bar is a sector that fails, starting "
        f"when it fails and ending when the outage ends at hour {duration_hours:g}: {bars}."
    )


def timeline_figure(failures: tuple[Failure, ...], duration_hours: float) -> Any:
    """A matplotlib Figure: one bar per failed sector, from its failure to the end of the outage.

    The first sector is hatched and every bar is labelled with its start hour, so the chart does not
    rely on colour. Built without pyplot, so making it never opens a window or leaks figures.
    """
    from matplotlib.figure import Figure

    from .timeline import FIGURE_WIDTH_IN, FONT_PT, wrap_label

    height = 1.5 + 0.55 * len(failures)
    fig = Figure(figsize=(FIGURE_WIDTH_IN, height))  # drawn at the book's column width: text stays legible
    ax = fig.subplots()
    names = [f.sector for f in failures][::-1]
    for row, f in enumerate(reversed(failures)):
        first = f.caused_by is None
        ax.barh(
            row,
            duration_hours - f.fails_at_hours,
            left=f.fails_at_hours,
            height=0.5,
            color="#b0b0b0" if first else "#4c72b0",
            hatch="//" if first else None,
            edgecolor="black",
        )
        ax.text(f.fails_at_hours, row + 0.28, f" fails at {f.fails_at_hours:g} h", fontsize=FONT_PT, va="bottom")
    ax.axvline(duration_hours, linestyle="--", color="black")
    ax.text(duration_hours, len(failures) - 0.4, " outage ends", fontsize=FONT_PT, ha="right", va="bottom")
    ax.set_yticks(range(len(names)), names, fontsize=FONT_PT)
    ax.tick_params(axis="x", labelsize=FONT_PT)
    ax.set_xlim(0, duration_hours * 1.02)
    ax.set_ylim(-0.6, len(failures) + 0.2)
    ax.set_xlabel("Hours after the first failure", fontsize=FONT_PT)
    title = f"Cascade from {failures[0].sector} (hatched), outage of {duration_hours:g} hours"
    fig.suptitle(wrap_label(title, 60), x=0.01, ha="left", fontsize=FONT_PT)
    fig.tight_layout()
    return fig


def network_table(network: Network) -> Any:
    """Every dependency of the network as a DataFrame, to show what the model assumes."""
    import pandas as pd

    return pd.DataFrame(
        {
            "Sector": [d.sector for d in network.dependencies],
            "Needs": [d.needs for d in network.dependencies],
            "Copes without it for (hours)": [d.buffer_hours for d in network.dependencies],
            "Why (teaching assumption)": [d.why for d in network.dependencies],
        }
    )


#: The topic's folder and the network's data file in it (sectors, dependencies, buffers, the explorer's start).
TOPIC = "09-critical-infrastructure"
NETWORK_FILE = "cascade-network.yaml"


def _network_data(topic: str, file: str) -> dict[str, Any]:
    return content.load(topic, file, "cascade")


def load_network(topic: str = TOPIC, file: str = NETWORK_FILE) -> Network:
    """The network in the data file ``file`` of ``topic``, checked by its schema and by :class:`Network`."""
    data = _network_data(topic, file)
    try:
        network = Network(
            sectors=tuple(data["sectors"]),
            dependencies=tuple(Dependency(d["sector"], d["needs"], d["hours"], d["why"]) for d in data["dependencies"]),
        )
        network.check_sector(data["explorer_start"]["sector"])
    except ValueError as err:  # NetworkError, UnknownSectorError: an author's mistake the schema cannot see
        raise content.refuse(topic, file, [f"dependencies: {err} Correct the file there."]) from None
    return network


def teaching_network() -> Network:
    """The course's illustrative network: two fictional countries, A and its neighbour B.

    Round numbers chosen to make the mechanisms visible (backup power, stocks, cross-border supply,
    shared IT, a cycle between electricity and fuel). Not data about any real country. The sectors,
    buffers and their reasons are in :data:`NETWORK_FILE` beside the topic's notebook.
    """
    return load_network()


def _form(network: Network, max_hours: int) -> FormSpec:
    return FormSpec(
        id="cascade-explorer",
        title="Cascade explorer (teaching model, fictional countries A and B)",
        fields=(
            Field("sector", "select", "Sector that fails first:", network.sectors),
            Field("hours", "number", "Outage length (hours):", minimum=1, maximum=max_hours, integer=True),
            Field("extra", "number", "Extra backup hours for every dependency:", minimum=0, maximum=48, integer=True),
        ),
    )


def _result(network: Network, values: dict[str, Any]) -> str:
    """The sentence summary, the table and the timeline (an image with alt text) for ``values``."""
    from ..render.figures import figure_html

    hours = float(values["hours"])
    result = simulate(network, values["sector"], hours, float(values["extra"]))
    return (
        f"<p>{html.escape(describe(network, result, values['hours']))}</p>"
        + failures_table(result).to_html(index=False, border=0, classes="coursekit-table")
        + figure_html(
            timeline_figure(result, hours),
            timeline_alt_text(result, hours),
            "Each bar runs from the hour a sector fails to the end of the outage.",
        )
    )


class CascadeExplorer(InteractiveDisplay):
    """The topic 9 explorer (see :func:`explorer`), drawn by the course's one renderer.

    The book has no kernel, and a result per sector, outage length and extra backup (with its chart) would
    weigh far more than a page should, so the book shows :meth:`book_html`: the starting settings as a worked
    example, with the same sentence, table and timeline the live form shows for them.
    """

    def __init__(self, network: Network, failing: str, duration_hours: int, max_hours: int) -> None:
        network.check_sector(failing)
        self.network = network
        self.start = {"sector": failing, "hours": duration_hours, "extra": 0}
        self.widget = InteractiveForm(
            _form(network, max_hours), lambda v, _b: FormResult(_result(network, v)), self.start
        )

    def set(self, **changes: Any) -> FormResult | None:
        """Change some entries as the page would; the result, or None if refused (see ``widget.notice``)."""
        return self.widget.submit({**self.widget.values, **changes})

    def plain_text(self) -> str:
        return (
            "Cascade explorer: choose a failing sector, an outage length and extra backup hours; "
            "open this notebook in JupyterLab to use it."
        )

    def book_html(self) -> str:
        settings = f"{self.start['sector']} failing first, an outage of {self.start['hours']} hours and no extra backup"
        body = (
            f"<p>The cascade explorer (teaching model, fictional countries A and B) simulates how an "
            f"outage spreads. In the live version you choose the sector that fails first, the outage length "
            f"and extra backup hours. Here it runs with {html.escape(settings)}:</p>"
            f"{_result(self.network, self.start)}"
        )
        return walkthrough_html("Cascade explorer", body)


def explorer(
    network: Network | None = None,
    failing: str | None = None,
    duration_hours: int | None = None,
    max_hours: int = 168,
) -> CascadeExplorer:
    """The live explorer: choose a failing sector, an outage length and extra backup hours.

    Shows a sentence summary, a table and the timeline (as an accessible image with alt text). Every
    control has a label and works from the keyboard; results are words and labelled bars, not colours.
    Building it only creates objects and runs one simulation, so it is safe headless. Without ``failing`` or
    ``duration_hours`` it starts where the network's data file says (``explorer_start``).
    """
    start = _network_data(TOPIC, NETWORK_FILE)["explorer_start"] if failing is None or duration_hours is None else {}
    return CascadeExplorer(
        network or teaching_network(),
        failing if failing is not None else start["sector"],
        duration_hours if duration_hours is not None else start["hours"],
        max_hours,
    )
