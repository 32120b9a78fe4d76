"""A response simulator for the EU Cyber Diplomacy Toolbox (topic 11), on a hypothetical campaign.

Why it exists: the Toolbox is easy to list and hard to use. Choosing a response is a matter of timing
(how solid is the evidence?), of unity (can 27 Member States stand behind it?) and of effect (does it
change the attacker's calculation or help the victim?). The simulator lets participants feel that
trade-off over several rounds of an escalating, invented campaign against a Member State, and then
explains, in words, what their pattern of choices says.

The logic is pure and tested (scores, round progression, the rules that make one round depend on
earlier ones, the choice of debrief sentences); :class:`ToolboxSimulatorWidget` is only a thin
form on the course's one renderer, and :meth:`SimulationState.summary_text` gives the same result as plain text
for headless runs and the compiled book.

Every State, company and event in the campaign (``notebooks/11-toolbox/toolbox-campaign.yaml``, read by
:func:`load_campaign`) is invented for teaching. The five
categories of measures are those of the 2017 framework (Council conclusions of 19 June 2017, doc
10474/17); the sentences describing them are the course's own.
"""

from __future__ import annotations

import html
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from ..render.display import InteractiveDisplay, walkthrough_html
from ..render.interactive import Button, Field, FormResult, FormSpec, InteractiveForm
from . import content

# The five categories of measures of the 2017 framework, in the order the framework lists them.
CATEGORIES: dict[str, str] = {
    "preventive": "Preventive measures",
    "cooperative": "Cooperative measures",
    "stability": "Stability measures",
    "restrictive": "Restrictive measures",
    "support": "Support to Member States' lawful responses",
}

DIMENSIONS: tuple[str, ...] = ("proportionality", "unity", "effect")
MAX_PER_DIMENSION = 3
# Evidence levels, weakest first. Sanctions or support for a Member State's own response before
# "attributed" counts as premature escalation.
EVIDENCE_LEVELS: tuple[str, ...] = ("low", "moderate", "attributed")
ESCALATORY = frozenset({"restrictive", "support"})


@dataclass(frozen=True)
class Scores:
    """Points on the three dimensions. Each is 0-3 for one decision; totals add them up."""

    proportionality: int = 0
    unity: int = 0
    effect: int = 0

    def __add__(self, other: "Scores") -> "Scores":
        return Scores(
            self.proportionality + other.proportionality, self.unity + other.unity, self.effect + other.effect
        )

    @property
    def total(self) -> int:
        return self.proportionality + self.unity + self.effect

    def as_dict(self) -> dict[str, int]:
        return {d: getattr(self, d) for d in DIMENSIONS}

    def in_words(self, maximum: "Scores | None" = None) -> str:
        """'proportionality 3 of 3, unity 1 of 3, effect 2 of 3' (or without the 'of' part)."""
        parts = []
        for d in DIMENSIONS:
            value = getattr(self, d)
            parts.append(f"{d} {value} of {getattr(maximum, d)}" if maximum is not None else f"{d} {value}")
        return ", ".join(parts)


ROUND_MAX = Scores(MAX_PER_DIMENSION, MAX_PER_DIMENSION, MAX_PER_DIMENSION)


@dataclass(frozen=True)
class Response:
    """One response open to the EU in a round: its category, what it means, its scores and why."""

    id: str
    category: str
    text: str
    scores: Scores
    feedback: str

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"Response {self.id!r}: unknown category {self.category!r}.")
        for d in DIMENSIONS:
            value = getattr(self.scores, d)
            if not 0 <= value <= MAX_PER_DIMENSION:
                raise ValueError(f"Response {self.id!r}: {d} must be between 0 and {MAX_PER_DIMENSION}.")
        if not self.text.strip() or not self.feedback.strip():
            raise ValueError(f"Response {self.id!r} needs a text and feedback.")


@dataclass(frozen=True)
class Round:
    """One decision point in the campaign: what has happened, how solid the evidence is, the options."""

    id: str
    title: str
    situation: str
    evidence: str
    responses: tuple[Response, ...]
    lesson: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "responses", tuple(self.responses))
        if self.evidence not in EVIDENCE_LEVELS:
            raise ValueError(f"Round {self.id!r}: evidence must be one of {EVIDENCE_LEVELS}.")
        ids = [r.id for r in self.responses]
        if len(ids) < 2 or len(set(ids)) != len(ids):
            raise ValueError(f"Round {self.id!r} needs at least two responses with distinct ids.")

    def response(self, response_id: str) -> Response:
        for r in self.responses:
            if r.id == response_id:
                return r
        raise KeyError(f"{response_id!r} is not a response of round {self.id!r}")


@dataclass(frozen=True)
class Debrief:
    """The debrief's sentences: per dimension and overall, by band ('strong', 'mixed', 'weak'), and the notes
    for patterns (``{rounds}``: rounds escalated before attribution; ``{names}``: categories never used)."""

    dimensions: dict[str, dict[str, str]]
    overall: dict[str, str]
    escalated_before_attribution: str
    no_cost: str
    unused_categories: str


@dataclass(frozen=True)
class Campaign:
    """The whole exercise: a title, an introduction, the rounds in order and the debrief's words.

    The words do not take part in comparing or hashing campaigns (the best possible score is cached per campaign).
    """

    title: str
    intro: str
    rounds: tuple[Round, ...]
    debrief: Debrief = field(compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rounds", tuple(self.rounds))
        if not self.rounds:
            raise ValueError("A campaign needs at least one round.")
        ids = [r.id for r in self.rounds]
        if len(set(ids)) != len(ids):
            raise ValueError("Round ids must be unique.")

    def best_possible(self, rounds: int | None = None) -> tuple[int, Scores]:
        """The most any path can earn over the first ``rounds`` rounds (default: all), rules included.

        Returns the best total of a single path, and the best reachable on each dimension taken
        separately (which may come from different paths). Found by trying every path: with five
        responses and four rounds that is 625 paths, which takes milliseconds.
        """
        return _best_possible(self, len(self.rounds) if rounds is None else rounds)


@dataclass(frozen=True)
class Decision:
    """A choice made in one round, with the scores it earned after the rules were applied."""

    round_id: str
    response_id: str
    category: str
    scores: Scores
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SimulationState:
    """Where a participant is: the campaign and the decisions taken so far. Immutable: ``choose`` returns
    a new state, which keeps the logic easy to test and to replay from a saved path."""

    campaign: Campaign
    decisions: tuple[Decision, ...] = field(default_factory=tuple)

    # -- progression -----------------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return len(self.decisions) >= len(self.campaign.rounds)

    def current_round(self) -> Round | None:
        """The round awaiting a decision, or None when the campaign is over."""
        return None if self.finished else self.campaign.rounds[len(self.decisions)]

    def choose(self, response_id: str) -> "SimulationState":
        """Take ``response_id`` in the current round and return the next state."""
        rnd = self.current_round()
        if rnd is None:
            raise ValueError("The campaign is over; start again to play another path.")
        response = rnd.response(response_id)
        scores, notes = _apply_rules(self, rnd, response)
        decision = Decision(rnd.id, response.id, response.category, scores, tuple(notes))
        return SimulationState(self.campaign, self.decisions + (decision,))

    def path(self) -> list[str]:
        """The response ids chosen so far, in order (what is saved and replayed)."""
        return [d.response_id for d in self.decisions]

    # -- results ---------------------------------------------------------------------------------------
    def totals(self) -> Scores:
        total = Scores()
        for d in self.decisions:
            total = total + d.scores
        return total

    def max_so_far(self) -> tuple[int, Scores]:
        """The best any path could have earned over the rounds played so far (for the running total)."""
        return self.campaign.best_possible(len(self.decisions))

    def categories_used(self) -> list[str]:
        seen: list[str] = []
        for d in self.decisions:
            if d.category not in seen:
                seen.append(d.category)
        return seen

    def premature_rounds(self) -> list[str]:
        """Rounds in which an escalatory response was chosen before a public attribution."""
        rounds = {r.id: r for r in self.campaign.rounds}
        return [
            d.round_id
            for d in self.decisions
            if d.category in ESCALATORY and rounds[d.round_id].evidence != "attributed"
        ]

    def debrief(self) -> list[str]:
        """Sentences that explain the pattern of choices; see :func:`debrief_lines`."""
        return debrief_lines(self)

    def summary_text(self) -> str:
        """The whole run as plain text: what was chosen, the scores, the running total and the debrief."""
        best_total, _ = self.campaign.best_possible()
        lines = [self.campaign.title, "=" * len(self.campaign.title)]
        rounds = {r.id: r for r in self.campaign.rounds}
        for n, d in enumerate(self.decisions, start=1):
            rnd = rounds[d.round_id]
            response = rnd.response(d.response_id)
            lines.append(f"Round {n}, {rnd.title}: {CATEGORIES[d.category]}: {response.text}")
            lines.append(f"  Scores: {d.scores.in_words(ROUND_MAX)}.")
            lines += [f"  Note: {note}" for note in d.notes]
        if not self.decisions:
            lines.append("No decision taken yet.")
        totals = self.totals()
        so_far_total, so_far_dims = self.max_so_far()
        lines.append(
            f"Running total: {totals.total} points, where the best possible path so far earns {so_far_total} "
            f"({totals.in_words(so_far_dims)})."
        )
        if self.finished:
            lines.append(f"Final total: {totals.total} of a possible {best_total}.")
            lines.append("Debrief:")
            lines += [f"- {line}" for line in self.debrief()]
        else:
            rnd = self.current_round()
            assert rnd is not None
            lines.append(f"Next: round {len(self.decisions) + 1} of {len(self.campaign.rounds)}, {rnd.title}.")
        return "\n".join(lines)

    # -- persistence -----------------------------------------------------------------------------------
    def to_json(self) -> list[str]:
        return self.path()


def replay(path: Iterable[str], campaign: Campaign | None = None) -> SimulationState:
    """Rebuild a state from a saved list of response ids (raises ValueError/KeyError if it does not fit)."""
    state = start(campaign)
    for response_id in path:
        if not isinstance(response_id, str):
            raise ValueError("a saved path is a list of response ids")
        state = state.choose(response_id)
    return state


def start(campaign: Campaign | None = None) -> SimulationState:
    """A fresh run of ``campaign`` (default: :func:`default_campaign`)."""
    return SimulationState(campaign if campaign is not None else default_campaign())


# -- the rules that link rounds -----------------------------------------------------------------------
PREMATURE_NOTE = (
    "This escalatory step came before any Member State had attributed the campaign; partners who were "
    "not ready will remember it, so unity costs one point in each later round."
)
SOLIDARITY_NOTE = (
    "Earlier public signalling prepared the ground: partners had already said where they stand, so the "
    "restrictive measures carry one more point of effect."
)


def _apply_rules(state: SimulationState, rnd: Round, response: Response) -> tuple[Scores, list[str]]:
    """The base scores of ``response`` adjusted by what happened in earlier rounds.

    Two rules, both drawn from how the Toolbox works in practice:

    * premature escalation (restrictive measures, or support to a Member State's own response, before a
      public attribution) costs one point of unity in every later round: trust among 27 is slow to rebuild;
    * restrictive measures that follow an earlier stability measure (a public, collective signal) gain one
      point of effect, up to the maximum: a consistent message is more credible than a sudden one.
    """
    base = response.scores
    notes: list[str] = []
    unity, effect = base.unity, base.effect
    if state.premature_rounds():
        unity = max(0, unity - 1)
        notes.append("Unity reduced by one point: an earlier step went further than the evidence.")
    if rnd.evidence != "attributed" and response.category in ESCALATORY:
        notes.append(PREMATURE_NOTE)
    if response.category == "restrictive" and "stability" in state.categories_used():
        new_effect = min(MAX_PER_DIMENSION, effect + 1)
        if new_effect > effect:
            notes.append(SOLIDARITY_NOTE)
        effect = new_effect
    return Scores(base.proportionality, unity, effect), notes


@lru_cache(maxsize=32)
def _best_possible(campaign: Campaign, rounds: int) -> tuple[int, Scores]:
    if not 0 <= rounds <= len(campaign.rounds):
        raise ValueError(f"rounds must be between 0 and {len(campaign.rounds)}")
    best_total, best_dims = 0, Scores()
    frontier = [SimulationState(campaign)]
    for _ in range(rounds):
        frontier = [s.choose(r.id) for s in frontier for r in s.current_round().responses]  # type: ignore[union-attr]
    for state in frontier:
        totals = state.totals()
        best_total = max(best_total, totals.total)
        best_dims = Scores(*(max(getattr(best_dims, d), getattr(totals, d)) for d in DIMENSIONS))
    return best_total, best_dims


# -- the debrief ----------------------------------------------------------------------------------------
BANDS: tuple[tuple[float, str], ...] = ((0.8, "strong"), (0.5, "mixed"), (0.0, "weak"))


def band(share: float) -> str:
    """'strong', 'mixed' or 'weak' for a share between 0 and 1."""
    for threshold, name in BANDS:
        if share >= threshold:
            return name
    return "weak"


def debrief_lines(state: SimulationState) -> list[str]:
    """The debrief of a finished (or unfinished) run, as a list of sentences.

    One sentence per dimension (chosen by the share of the maximum earned), one overall sentence, and
    notes triggered by patterns: escalation before attribution, no public cost after attribution,
    categories never used.
    """
    if not state.decisions:
        return ["No decisions yet: choose a response in the first round."]
    best_total, cap = state.max_so_far()
    totals, words = state.totals(), state.campaign.debrief
    lines = []
    for d in DIMENSIONS:
        share = getattr(totals, d) / getattr(cap, d) if getattr(cap, d) else 1.0
        lines.append(words.dimensions[d][band(share)])
    overall_share = totals.total / best_total if best_total else 1.0
    lines.append(words.overall[band(overall_share)])
    premature = state.premature_rounds()
    if premature:
        titles = [r.title for r in state.campaign.rounds if r.id in premature]
        lines.append(words.escalated_before_attribution.format(rounds="; ".join(titles)))
    rounds = {r.id: r for r in state.campaign.rounds}
    after = [d for d in state.decisions if rounds[d.round_id].evidence == "attributed"]
    if after and not any(d.category in ("stability", "restrictive") for d in after):
        lines.append(words.no_cost)
    if state.finished:
        unused = [CATEGORIES[c] for c in CATEGORIES if c not in state.categories_used()]
        if unused:
            lines.append(words.unused_categories.format(names="; ".join(unused)))
    return lines


# -- the campaign used in topic 11 -----------------------------------------------------------------------
#: The topic's folder and the campaign's data file in it (the words and scores of every round).
TOPIC = "11-toolbox"
CAMPAIGN_FILE = "toolbox-campaign.yaml"


def load_campaign(topic: str = TOPIC, file: str = CAMPAIGN_FILE) -> Campaign:
    """The campaign in the data file ``file`` of ``topic``, checked by its schema and by the rules above."""
    data = content.load(topic, file, "campaign")
    for key, value in (("escalated_before_attribution", "rounds"), ("unused_categories", "names")):
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(data["debrief"][key]) if name is not None}
        except ValueError as err:
            names = {f"(a lone brace: {err})"}
        if names - {value}:
            raise content.refuse(
                topic,
                file,
                [
                    f"debrief.{key}: it may use only {{{value}}}, not {', '.join(sorted(names - {value}))}; write {{{{ and }}}} for a brace"
                ],
            )
    try:
        return Campaign(
            title=data["title"],
            intro=data["intro"],
            rounds=tuple(
                Round(
                    id=r["id"],
                    title=r["title"],
                    evidence=r["evidence"],
                    situation=r["situation"],
                    responses=tuple(
                        Response(x["id"], x["category"], x["text"], Scores(**x["scores"]), x["feedback"])
                        for x in r["responses"]
                    ),
                    lesson=r["lesson"],
                )
                for r in data["rounds"]
            ),
            debrief=Debrief(**data["debrief"]),
        )
    except ValueError as err:
        raise content.refuse(topic, file, [f"rounds: {err} Correct the file there."]) from None


def default_campaign() -> Campaign:
    """The course's campaign: four invented rounds against an invented Member State (see :data:`CAMPAIGN_FILE`)."""
    return load_campaign()


def option_labels(rnd: Round) -> dict[str, str]:
    """Short, unique labels for a round's responses: 'A. Preventive measures', 'B. Cooperative measures'..."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return {r.id: f"{letters[i]}. {CATEGORIES[r.category]}" for i, r in enumerate(rnd.responses)}


# -- the front end ------------------------------------------------------------------------------------------
class ToolboxSimulatorWidget(InteractiveDisplay):
    """The simulator's form, drawn by the course's one renderer: the situation, labelled responses, a Decide
    button and a Start again button (which asks first), feedback in words in the live region.

    Building it creates objects only, so it is safe headless. If ``store_id`` is given, the path (a list of
    response ids, the format saved since the first version) is saved to the course's answers file after each
    decision and restored when the notebook is run again. :meth:`decide` and :meth:`start_again` do what the
    buttons do.
    """

    def __init__(self, campaign: Campaign | None = None, store_id: str | None = None) -> None:
        self.campaign = campaign if campaign is not None else default_campaign()
        self.store_id = store_id
        self.state = start(self.campaign)
        self.message = ""
        spec = FormSpec(
            id=store_id or "toolbox-simulator",
            title=self.campaign.title,
            live=False,
            intro_html=f"<p>{html.escape(self.campaign.intro)}</p>",
            fields=(Field("choice", "radio", "Your response:", dynamic=True),),
            buttons=(
                Button("decide", "Decide"),
                Button("restart", "Start again", confirm="Clear your decisions and start the campaign again?"),
            ),
        )
        self.widget = InteractiveForm(
            spec,
            self._compute,
            {"choice": None},
            store_id=store_id,
            to_stored=lambda _values: self.state.to_json(),
            from_stored=self._restore,
        )

    def _restore(self, saved: object) -> dict[str, None]:
        """Replay a saved path (ValueError if it no longer fits: the form then says so and starts afresh)."""
        if not isinstance(saved, list):
            raise ValueError("a saved path is a list of response ids")
        try:
            self.state = replay(saved, self.campaign)
        except KeyError as err:
            raise ValueError(str(err)) from err
        if saved:
            self.message = "Your saved decisions are shown; press 'Start again' to play another path."
        return {"choice": None}

    def _compute(self, values: dict[str, str | None], button: str | None) -> FormResult:
        feedback = f"<p>{html.escape(self.message)}</p>" if self.message else ""
        self.message = ""
        if button == "restart":
            self.state = start(self.campaign)
            feedback = "<p>Started again; earlier decisions were cleared.</p>"
        elif button == "decide":
            rnd, chosen = self.state.current_round(), values["choice"]
            if rnd is not None and chosen not in {r.id for r in rnd.responses}:
                feedback = "<p>ℹ Choose a response first.</p>"
            elif rnd is not None and chosen is not None:
                self.state = self.state.choose(chosen)
                decision, response = self.state.decisions[-1], rnd.response(chosen)
                notes = "".join(f"<li>{html.escape(n)}</li>" for n in decision.notes)
                feedback = (
                    f"<p><strong>{html.escape(CATEGORIES[response.category])}</strong>: "
                    f"{html.escape(response.feedback)}<br><em>Scores:</em> {html.escape(decision.scores.in_words(ROUND_MAX))}."
                    f"<br><em>Lesson of this round:</em> {html.escape(rnd.lesson)}</p>"
                    + (f"<ul>{notes}</ul>" if notes else "")
                )
        return self._draw(feedback)

    def _draw(self, feedback: str) -> FormResult:
        """The state as the page shows it: history and situation above the responses, feedback, the running
        total and (at the end) the debrief in the live region below the buttons."""
        rounds = {r.id: r for r in self.campaign.rounds}
        items = []
        for d in self.state.decisions:
            rnd = rounds[d.round_id]
            response = rnd.response(d.response_id)
            items.append(
                f"<li><strong>{html.escape(rnd.title)}</strong>: {html.escape(CATEGORIES[d.category])}: "
                f"{html.escape(response.text)}<br><em>Scores:</em> {html.escape(d.scores.in_words(ROUND_MAX))}.</li>"
            )
        history = f"<ol>{''.join(items)}</ol>" if items else ""
        totals = self.state.totals()
        best_total, cap = self.state.max_so_far()
        running = (
            f"<p><strong>Running total:</strong> {totals.total} points; the best possible path so far earns "
            f"{best_total} ({html.escape(totals.in_words(cap))}).</p>"
            if self.state.decisions
            else ""
        )
        rnd = self.state.current_round()
        if rnd is None:
            lines = "".join(f"<li>{html.escape(line)}</li>" for line in self.state.debrief())
            debrief = (
                f"<h4>Debrief: {totals.total} of a possible {self.campaign.best_possible()[0]} points</h4>"
                f"<ul>{lines}</ul>"
            )
            return FormResult(
                feedback + running + debrief,
                {"choice": {"options": [], "value": None, "disabled": True}},
                history + "<p><strong>End of the campaign.</strong></p>",
                {"decide": {"disabled": True}},
            )
        number = len(self.state.decisions) + 1
        # Short radio labels (a letter and the category) keep the controls readable; the full text of each
        # response is in the list above them, under the same letter.
        labels = option_labels(rnd)
        situation = (
            f"<h4>Round {number} of {len(self.campaign.rounds)}: {html.escape(rnd.title)} ("
            f"evidence: {html.escape(rnd.evidence)})</h4><p>{html.escape(rnd.situation)}</p>"
            "<p>The responses open to the EU in this round:</p><ul>"
            + "".join(
                f"<li><strong>{html.escape(labels[r.id])}</strong>: {html.escape(r.text)}</li>" for r in rnd.responses
            )
            + "</ul>"
        )
        options = [{"value": r.id, "label": labels[r.id]} for r in rnd.responses]
        return FormResult(
            feedback + running,
            {"choice": {"options": options, "value": None, "disabled": False}},
            history + situation,
            {"decide": {"disabled": False}},
        )

    def decide(self, response_id: str | None = None) -> FormResult | None:
        """Press Decide with ``response_id`` chosen (None: nothing chosen)."""
        return self.widget.submit({"choice": response_id}, "decide")

    def start_again(self) -> FormResult | None:
        """Press Start again (and confirm)."""
        return self.widget.submit({"choice": None}, "restart")

    def book_html(self) -> str:
        """The book's walkthrough: the first round in full, what one response leads to, the later rounds' titles.

        Why one middling response's feedback: the simulator is a practice exercise, so the book shows how a
        round works without giving away which response scores best.
        """
        first = self.campaign.rounds[0]
        labels = option_labels(first)
        example = sorted(first.responses, key=lambda r: r.scores.total)[
            len(first.responses) // 2
        ]  # neither best nor worst
        decision = start(self.campaign).choose(example.id).decisions[-1]
        options = "".join(
            f"<li><strong>{html.escape(labels[r.id])}</strong>: {html.escape(r.text)}</li>" for r in first.responses
        )
        later = "".join(f"<li>{html.escape(r.title)}</li>" for r in self.campaign.rounds[1:])
        body = (
            f"<p>{html.escape(self.campaign.intro)}</p>"
            f"<p><strong>Round 1 of {len(self.campaign.rounds)}: {html.escape(first.title)}</strong> "
            f"(evidence: {html.escape(first.evidence)})</p><p>{html.escape(first.situation)}</p>"
            f"<p>The responses open to the EU in this round:</p><ul>{options}</ul>"
            f"<p>For example, a participant who chooses <strong>{html.escape(labels[example.id])}</strong> reads: "
            f"{html.escape(example.feedback)} <em>Scores:</em> {html.escape(decision.scores.in_words(ROUND_MAX))}. "
            f"<em>Lesson of this round:</em> {html.escape(first.lesson)}</p>"
            f"<p>The campaign goes on, round by round, shaped by earlier choices:</p><ol start='2'>{later}</ol>"
        )
        return walkthrough_html(self.campaign.title, body)

    def plain_text(self) -> str:
        """A text version for headless runs: the introduction, then the current round or the summary."""
        lines = [self.campaign.title, self.campaign.intro, ""]
        rnd = self.state.current_round()
        if self.state.decisions:
            lines.append(self.state.summary_text())
        if rnd is not None:
            lines.append(
                f"Round {len(self.state.decisions) + 1} of {len(self.campaign.rounds)}: {rnd.title} (evidence: {rnd.evidence})"
            )
            lines.append(rnd.situation)
            labels = option_labels(rnd)
            lines += [f"  - {labels[r.id]}: {r.text}" for r in rnd.responses]
            lines.append("Open this notebook in JupyterLab to play the simulator.")
        return "\n".join(lines)
