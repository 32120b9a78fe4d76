"""The rules of play, the same for a room on the hub and for one person alone.

Decisions are a plain mapping ``{inject id: {role id: option id}}`` of the injects already closed, so the hub
service (which reads them from its store) and solo play (which keeps them in memory) share every rule:

* a role is offered the inject's options that name it (or name no role);
* an EU measure is adopted at an inject only when every Member-State role chose an option backing it: one
  abstention or other choice blocks it (unanimity, as for the Council's restrictive measures);
* a later inject shows the branches whose condition holds (a measure adopted or blocked earlier, or this
  team's own earlier choice), so earlier decisions shape what comes next;
* the debrief puts a team's path next to what happened, with the Toolbox category of each choice.
"""

from __future__ import annotations

from typing import Any, Mapping

from .model import Exercise

Decisions = Mapping[str, Mapping[str, str]]


def options_for(exercise: Exercise, inject_id: str, role_id: str) -> list[dict[str, Any]]:
    """The options ``role_id`` may choose at ``inject_id``."""
    return [o for o in exercise.inject(inject_id)["options"] if role_id in o.get("roles", [role_id])]


def measures_at(exercise: Exercise, inject_id: str, decisions: Decisions) -> dict[str, bool]:
    """Each EU measure decided at ``inject_id``: adopted (True) only if every Member-State role backed it."""
    inject = exercise.inject(inject_id)
    chosen = decisions.get(inject_id, {})
    options = {o["id"]: o for o in inject["options"]}

    def backs(role_id: str, measure: str) -> bool:
        option = options.get(chosen.get(role_id, ""))
        return option is not None and measure in option.get("supports", [])

    return {m: all(backs(r, m) for r in exercise.member_states()) for m in inject.get("outcomes", {})}


def holds(exercise: Exercise, when: Mapping[str, Any], role_id: str, decisions: Decisions) -> bool:
    """Whether a condition of the file holds for ``role_id``, given the decisions of closed injects."""
    ((kind, ref),) = when.items()
    if ref["inject"] not in decisions:
        return False  # that inject is not closed yet: nothing follows from it
    if kind == "chose":
        return decisions[ref["inject"]].get(role_id) == ref["option"]
    adopted = measures_at(exercise, ref["inject"], decisions)[ref["measure"]]
    return adopted if kind == "adopted" else not adopted


def branches_for(exercise: Exercise, inject_id: str, role_id: str, decisions: Decisions) -> list[dict[str, Any]]:
    """The inject's follow-up lines that apply to ``role_id`` after the decisions so far."""
    return [b for b in exercise.inject(inject_id).get("branches", []) if holds(exercise, b["when"], role_id, decisions)]


def outcomes_text(exercise: Exercise, inject_id: str, decisions: Decisions) -> list[str]:
    """What the room hears when an inject closes: each measure adopted or blocked."""
    outcomes = exercise.inject(inject_id).get("outcomes", {})
    return [
        outcomes[m]["adopted" if ok else "blocked"] for m, ok in measures_at(exercise, inject_id, decisions).items()
    ]


def solo_choice(exercise: Exercise, inject_id: str, role_id: str, decisions: Decisions) -> str:
    """The option an unplayed role takes: the first of its rules in the file whose condition holds."""
    for rule in exercise.inject(inject_id)["solo"][role_id]:
        if "when" not in rule or holds(exercise, rule["when"], role_id, decisions):
            return rule["choose"]
    raise AssertionError("the file check guarantees a last rule without a condition")


def debrief(exercise: Exercise, role_id: str, decisions: Decisions) -> list[dict[str, Any]]:
    """One row per inject: this team's choice, its consequence and Toolbox category, the EU outcome, and what
    actually happened (with the dated facts it rests on)."""
    rows = []
    categories = exercise.data["categories"]
    for inject in exercise.injects:
        options = {o["id"]: o for o in inject["options"]}
        choice = options.get(decisions.get(inject["id"], {}).get(role_id, ""))
        rows.append(
            {
                "inject": inject["id"],
                "title": inject["title"],
                "date": inject["date"],
                "choice": choice["text"] if choice else None,
                "consequence": choice["consequence"] if choice else None,
                "category": categories[choice["category"]] if choice else None,
                "eu_outcome": outcomes_text(exercise, inject["id"], decisions) if inject["id"] in decisions else [],
                "actual": inject["actual"]["text"],
                "facts": [{"id": f, **exercise.data["facts"][f]} for f in inject["actual"]["facts"]],
            }
        )
    return rows
