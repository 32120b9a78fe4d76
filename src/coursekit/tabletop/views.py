"""What each person may see of a session, built from the store and the frozen exercise.

Kept apart from the web handlers so the line between a participant's view and the facilitator's is code that
unit tests read directly: a participant's view holds their own role card only, their own team's decisions
only, and no user name at all; the facilitator's view holds everything. Also the rules a decision must pass.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import time
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from . import engine
from .model import Exercise
from .store import Store, latest

#: The longest rationale accepted (a paragraph or two; more is refused, not cut).
MAX_RATIONALE = 2000


class Refused(Exception):
    """A request the service turns down; ``status`` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@lru_cache(maxsize=64)
def _exercise(text: str) -> Exercise:
    return Exercise(json.loads(text))


def exercise_of(session: dict[str, Any]) -> Exercise:
    """The session's exercise (frozen at creation, so parsed once per process)."""
    return _exercise(session["exercise"])


#: session id -> (version, state): thirty participants polling the same version share one read of the store
_STATES: dict[str, tuple[int, tuple]] = {}


def state(store: Store, session_id: str) -> tuple[dict[str, Any], Exercise, list[dict], dict]:
    """The session, its exercise, its releases, and each team's latest decisions per inject.

    Every change to a session bumps its version in the same transaction, so a state read at a version is
    valid until the version moves; it is kept per version (the store stays the only truth)."""
    version = store.version(session_id)
    if version is None:
        raise Refused(404, "No such session.")
    cached = _STATES.get(session_id)
    if cached and cached[0] == version:
        return cached[1]
    session = store.session(session_id)
    found = (session, exercise_of(session), store.releases(session_id), latest(store.decisions(session_id)))
    if session["version"] == version:
        _STATES[session_id] = (version, found, store.members(session_id))
    return found


def role_of(store: Store, session_id: str, user: str) -> str | None:
    """``user``'s role in the session (from the state kept for the current version when there is one)."""
    cached = _STATES.get(session_id)
    if cached and cached[0] == store.version(session_id):
        return cached[2].get(user)
    return store.role_of(session_id, user)


def closed_decisions(releases: list[dict], current: dict) -> dict[str, dict[str, str]]:
    """``{inject: {role: option}}`` for the injects already closed (every release but the last)."""
    return {
        r["inject"]: {role: row["option"] for role, row in current.get(r["inject"], {}).items()} for r in releases[:-1]
    }


def _facts(exercise: Exercise, ids: list[str]) -> list[dict[str, Any]]:
    return [{"id": f, **exercise.data["facts"][f]} for f in ids]


def _inject_public(exercise: Exercise, inject_id: str) -> dict[str, Any]:
    inject = exercise.inject(inject_id)
    keep = ("id", "title", "date", "situation", "question", "fiction", "minutes")
    return {**{k: inject[k] for k in keep if k in inject}, "facts": _facts(exercise, inject["facts"])}


def _decision_public(exercise: Exercise, inject_id: str, row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A team's decision as its members see it: what and why, never who."""
    if row is None:
        return None
    option = next(o for o in exercise.inject(inject_id)["options"] if o["id"] == row["option"])
    return {
        "option": option["id"],
        "text": option["text"],
        "consequence": option["consequence"],
        "rationale": row["rationale"],
        "at": row["at"],
    }


def participant_view(store: Store, session_id: str, user: str) -> dict[str, Any]:
    """What ``user`` sees: their role card, the current inject for their role, their team's decisions."""
    session, exercise, releases, current = state(store, session_id)
    role_id = role_of(store, session_id, user)
    if role_id is None:
        raise Refused(403, "You have no role in this session: ask the facilitator to assign you one.")
    role = exercise.role(role_id)
    closed = closed_decisions(releases, current)
    view: dict[str, Any] = {
        "version": session["version"],
        "session": {"id": session["id"], "title": session["title"], "status": session["status"]},
        "exercise": {"title": exercise.title, "summary": exercise.data["summary"]},
        "role": {"id": role["id"], "name": role["name"], "fiction": role.get("fiction", False), "card": role["card"]},
        "current": None,
        "history": [],
        "debrief": None,
    }
    for release in releases[:-1]:
        inject_id = release["inject"]
        view["history"].append(
            {
                "inject": _inject_public(exercise, inject_id),
                "decision": _decision_public(exercise, inject_id, current.get(inject_id, {}).get(role_id)),
                "eu_outcome": engine.outcomes_text(exercise, inject_id, closed),
            }
        )
    if releases:
        release = releases[-1]
        inject_id = release["inject"]
        view["current"] = {
            "inject": _inject_public(exercise, inject_id),
            "branches": engine.branches_for(exercise, inject_id, role_id, closed),
            "options": [{"id": o["id"], "text": o["text"]} for o in engine.options_for(exercise, inject_id, role_id)],
            "deadline": release["deadline"],
            "decision": _decision_public(exercise, inject_id, current.get(inject_id, {}).get(role_id)),
        }
    if session["status"] == "debrief":
        everything = {inject: {r: row["option"] for r, row in rows.items()} for inject, rows in current.items()}
        view["debrief"] = {
            "intro": exercise.data["debrief"]["intro"],
            "toolbox": _facts(exercise, exercise.data["debrief"]["toolbox"]),
            "after_course": _facts(exercise, exercise.data["debrief"].get("after_course", [])),
            "rows": engine.debrief(exercise, role_id, everything),
            "questions": exercise.data["debrief"]["questions"],
        }
    return view


_POLLS: dict[str, tuple[int, list]] = {}


def _polls(store: Store, session_id: str, version: int) -> list[dict[str, Any]]:
    """The session's poll runs and counts, read once per version (a vote bumps it)."""
    cached = _POLLS.get(session_id)
    if cached and cached[0] == version:
        return cached[1]
    runs = store.polls(session_id)
    if store.version(session_id) == version:
        _POLLS[session_id] = (version, runs)
    return runs


def voter(secret: bytes, poll_id: int, user: str) -> str:
    """The anonymous key of ``user``'s answer to one poll run: stable within the run (an answer can be
    changed), different across runs, and not reversible without the service's secret."""
    return hmac.new(secret, f"{poll_id}:{user}".encode(), hashlib.sha256).hexdigest()


def _poll_public(exercise: Exercise, run: dict[str, Any], with_answer: bool) -> dict[str, Any]:
    poll = exercise.poll(run["poll"]) or {}
    shown = {"run": run["id"], "question": poll.get("question"), "options": poll.get("options", [])}
    if with_answer:  # after it closes: the distribution, the answer and why
        answer = {"counts": run["counts"], "answer": poll.get("answer"), "explanation": poll.get("explanation")}
        shown.update(answer)
    return shown


def poll_view(store: Store, session_id: str, user: str, secret: bytes) -> dict[str, Any]:
    """The open poll (with this user's own answer, if any) and the results of the last closed one."""
    session, exercise, _, _ = state(store, session_id)
    runs = _polls(store, session_id, session["version"])
    open_run = next((r for r in runs if r["closed_at"] is None), None)
    closed = [r for r in runs if r["closed_at"] is not None]
    view: dict[str, Any] = {"open": None, "last": _poll_public(exercise, closed[-1], True) if closed else None}
    if open_run:
        view["open"] = _poll_public(exercise, open_run, False)
        view["open"]["mine"] = store.vote_of(open_run["id"], voter(secret, open_run["id"], user))
    return view


def check_vote(store: Store, session_id: str, user: str, body: Any) -> tuple[int, str]:
    """``(poll run, option)`` of a vote ``user`` may cast now, or :class:`Refused`."""
    if not isinstance(body, dict) or set(body) != {"run", "option"}:
        raise Refused(400, "Send a JSON object with run and option.")
    run_id, option = body["run"], body["option"]
    if type(run_id) is not int or not isinstance(option, str):
        raise Refused(400, "run must be a number and option text.")
    _, exercise, _, _ = state(store, session_id)
    if role_of(store, session_id, user) is None:
        raise Refused(403, "You have no role in this session, so you cannot answer its polls.")
    run = next((r for r in store.polls(session_id) if r["id"] == run_id), None)
    if run is None or run["closed_at"] is not None:
        raise Refused(409, "That poll is not open.")
    poll = exercise.poll(run["poll"])
    if poll is None or option not in {o["id"] for o in poll["options"]}:
        raise Refused(400, "That is not one of the poll's options.")
    return run_id, option


def check_decision(
    store: Store, session_id: str, user: str, body: Any, now: float | None = None
) -> tuple[str, str, str, str]:
    """The decision ``user`` asks to record, checked: ``(inject, role, option, rationale)`` or :class:`Refused`."""
    if not isinstance(body, dict) or set(body) - {"inject", "option", "rationale"}:
        raise Refused(400, "Send a JSON object with inject, option and rationale.")
    inject, option, rationale = body.get("inject"), body.get("option"), body.get("rationale")
    if not all(isinstance(x, str) for x in (inject, option, rationale)):
        raise Refused(400, "inject, option and rationale must each be text.")
    session, exercise, releases, _ = state(store, session_id)
    role = role_of(store, session_id, user)
    if role is None:
        raise Refused(403, "You have no role in this session, so you cannot decide in it.")
    if session["status"] == "paused":
        raise Refused(409, "The facilitator has paused the exercise: decide when it resumes.")
    if session["status"] != "running":
        raise Refused(409, "The exercise is over: the debrief is open.")
    if not releases or releases[-1]["inject"] != inject:
        raise Refused(409, "That inject is not the current one: it is closed or not released yet.")
    deadline = releases[-1]["deadline"]
    if deadline is not None and (now or time.time()) > deadline:
        raise Refused(409, "The deadline for this inject has passed.")
    if option not in {o["id"] for o in engine.options_for(exercise, inject, role)}:
        raise Refused(400, "That option is not offered to your role for this inject.")
    rationale = rationale.strip()
    if not rationale:
        raise Refused(400, "Write your team's rationale: a sentence or two on why.")
    if len(rationale) > MAX_RATIONALE:
        raise Refused(400, f"The rationale is longer than {MAX_RATIONALE} characters: shorten it.")
    if any(ord(c) < 32 and c not in "\n\t" for c in rationale):
        raise Refused(400, "The rationale contains control characters.")
    return inject, role, option, rationale


def console_view(store: Store, session_id: str) -> dict[str, Any]:
    """The facilitator's view: everything, including who decided what and the live unanimity count."""
    session, exercise, releases, current = state(store, session_id)
    closed = closed_decisions(releases, current)
    live = None
    if releases:
        inject_id = releases[-1]["inject"]
        now = {inject_id: {role: row["option"] for role, row in current.get(inject_id, {}).items()}}
        live = {"inject": inject_id, "measures": engine.measures_at(exercise, inject_id, {**closed, **now})}
    return {
        "version": session["version"],
        "session": {k: session[k] for k in ("id", "title", "status", "created_by", "created_at")},
        "exercise": exercise.data,
        "members": store.members(session_id),
        "releases": releases,
        "latest": current,
        "decisions": store.decisions(session_id),
        "outcomes": {r["inject"]: engine.outcomes_text(exercise, r["inject"], closed) for r in releases[:-1]},
        "live": live,
        "polls": [
            {**_poll_public(exercise, run, True), "open": run["closed_at"] is None} for run in store.polls(session_id)
        ],
        "log": store.log_entries(session_id),
    }


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character is escaped with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def iso(at: float | None) -> str:
    return "" if at is None else datetime.fromtimestamp(at, timezone.utc).isoformat(timespec="seconds")


def export_json(store: Store, session_id: str) -> dict[str, Any]:
    session, exercise, releases, _ = state(store, session_id)
    return {
        "session": {k: session[k] for k in ("id", "title", "status", "created_by", "created_at")},
        "exercise": exercise.id,
        "members": store.members(session_id),
        "releases": releases,
        "decisions": store.decisions(session_id),
        "log": store.log_entries(session_id),
    }


def export_csv(store: Store, session_id: str) -> str:
    """Every decision, oldest first, one row each (spreadsheet-safe)."""
    session, exercise, _, _ = state(store, session_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["session", "inject", "role", "user", "option", "option_text", "rationale", "at_utc"])
    for row in store.decisions(session_id):
        text = next(o["text"] for o in exercise.inject(row["inject"])["options"] if o["id"] == row["option"])
        fields = [
            session["title"],
            row["inject"],
            row["role"],
            row["user"],
            row["option"],
            text,
            row["rationale"],
            iso(row["at"]),
        ]
        writer.writerow([cell(v) for v in fields])
    return out.getvalue()
