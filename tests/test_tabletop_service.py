"""The tabletop service under a real JupyterHub, with real hub tokens: who may do what, what each one sees,
hostile requests refused without changing the store, and no acknowledged decision lost to a SIGKILL."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from tabletop_hub import proxy, running_hub

pytestmark = [pytest.mark.slow, pytest.mark.skipif(proxy() is None, reason="configurable-http-proxy is missing")]

INSTRUCTOR, P1, P2, P3 = "tt-inst", "tt-p1", "tt-p2", "tt-p3"


@pytest.fixture(scope="module")
def hub():
    with running_hub([INSTRUCTOR]) as running:
        running.tokens = {name: running.user_token(name) for name in (INSTRUCTOR, P1, P2, P3)}
        yield running


def call(hub, token: str | None, path: str, body=None, *, raw: bytes | None = None, headers=None, method=None):
    """(status, parsed JSON or text) of a request to the service through the hub's proxy."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    sent = {
        "Content-Type": "application/json",
        **({"Authorization": f"token {token}"} if token else {}),
        **(headers or {}),
    }
    request = urllib.request.Request(hub.service_url + path, data=data, headers=sent, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read()
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text.decode("utf-8", "replace")


def new_session(hub, assignments: dict[str, str]) -> str:
    status, made = call(hub, hub.tokens[INSTRUCTOR], "api/sessions", {"exercise": "spring-2022", "title": "Test"})
    assert status == 201, made
    sid = made["id"]
    assert call(hub, hub.tokens[INSTRUCTOR], f"api/sessions/{sid}/assign", {"assignments": assignments})[0] == 200
    assert (
        call(hub, hub.tokens[INSTRUCTOR], f"api/sessions/{sid}/release", {"inject": "whispergate", "minutes": 30})[0]
        == 200
    )
    return sid


def store_hash(hub) -> str:
    """The service's SQLite store, every file of it (database and write-ahead log)."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = Path(str(hub.db_path) + suffix)
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def test_each_participant_sees_their_own_role_and_team_only(hub):
    sid = new_session(hub, {P1: "romania", P2: "cautious", P3: "cautious"})
    t = hub.tokens
    assert (
        call(
            hub,
            t[P2],
            f"api/play/{sid}/decide",
            {"inject": "whispergate", "option": "wait", "rationale": "More evidence."},
        )[0]
        == 201
    )
    status, v1 = call(hub, t[P1], f"api/play/{sid}")
    assert status == 200 and v1["role"]["id"] == "romania"
    assert v1["current"]["decision"] is None  # the cautious team's decision is not Romania's
    text1 = json.dumps(v1)
    cautious_private = "Your intelligence service has not been able to confirm"
    assert cautious_private not in text1 and "More evidence." not in text1
    status, v3 = call(hub, t[P3], f"api/play/{sid}")  # P2's teammate sees the team's decision, not who made it
    assert v3["current"]["decision"]["rationale"] == "More evidence." and cautious_private in json.dumps(v3)
    assert P2 not in json.dumps(v3) and P1 not in json.dumps(v3)
    # the facilitator sees both teams and who decided
    status, console = call(hub, t[INSTRUCTOR], f"api/sessions/{sid}")
    assert console["latest"]["whispergate"]["cautious"]["user"] == P2


def test_unanimity_and_consequences_play_out_through_the_service(hub):
    sid = new_session(hub, {P1: "romania", P2: "cautious", P3: "presidency"})
    t = hub.tokens
    for user, option in ((P1, "declare"), (P2, "wait"), (P3, "declare")):
        body = {"inject": "whispergate", "option": option, "rationale": "Our reasons."}
        assert call(hub, t[user], f"api/play/{sid}/decide", body)[0] == 201
    assert call(hub, t[INSTRUCTOR], f"api/sessions/{sid}")[1]["live"]["measures"] == {"solidarity": False}
    assert call(hub, t[INSTRUCTOR], f"api/sessions/{sid}/release", {"inject": "ddos-february"})[0] == 200
    view = call(hub, t[P1], f"api/play/{sid}")[1]
    assert view["history"][0]["eu_outcome"][0].startswith("No EU declaration")
    assert view["current"]["branches"][0]["text"].startswith(
        "Fiction (exercise): the press notes that the EU said nothing"
    )
    # the closed inject takes no more decisions
    late = {"inject": "whispergate", "option": "declare", "rationale": "Changed our mind."}
    assert call(hub, t[P2], f"api/play/{sid}/decide", late)[0] == 409


def test_pause_deadline_and_debrief(hub):
    sid = new_session(hub, {P1: "romania"})
    t, body = hub.tokens, {"inject": "whispergate", "option": "declare", "rationale": "Solidarity."}
    assert call(hub, t[INSTRUCTOR], f"api/sessions/{sid}/pause", {"paused": True})[0] == 200
    status, refused = call(hub, t[P1], f"api/play/{sid}/decide", body)
    assert status == 409 and "paused" in refused["error"]
    assert call(hub, t[INSTRUCTOR], f"api/sessions/{sid}/pause", {"paused": False})[0] == 200
    assert call(hub, t[P1], f"api/play/{sid}/decide", body)[0] == 201
    assert call(hub, t[INSTRUCTOR], f"api/sessions/{sid}/debrief", {})[0] == 200
    view = call(hub, t[P1], f"api/play/{sid}")[1]
    assert [r["inject"] for r in view["debrief"]["rows"]][:1] == ["whispergate"]
    assert view["debrief"]["rows"][0]["choice"].startswith("Back an EU declaration")
    assert "2022-01-16" in {f["date"] for f in view["debrief"]["rows"][0]["facts"]}
    log = call(hub, t[INSTRUCTOR], f"api/sessions/{sid}")[1]["log"]
    assert [e["action"] for e in log] == ["create", "assign", "release", "status", "status", "status"]
    assert {e["user"] for e in log} == {INSTRUCTOR} and all(e["at"] > 0 for e in log)


def test_hostile_requests_are_refused_and_change_nothing(hub):
    sid = new_session(hub, {P1: "romania", P2: "cautious"})
    t = hub.tokens
    stranger = hub.user_token("tt-stranger")
    narrow = hub.user_token(P1, scopes=["read:users:name!user=tt-p1"])  # a real token of P1 without service access
    decide = f"api/play/{sid}/decide"
    good = {"inject": "whispergate", "option": "declare", "rationale": "ok"}
    attempts = {
        "no token": (None, f"api/play/{sid}", None, {}),
        "forged token": ("0" * 32, f"api/play/{sid}", None, {}),
        "token without the service scope": (narrow, decide, good, {}),
        "participant creates a session": (t[P1], "api/sessions", {"exercise": "spring-2022"}, {}),
        "participant lists sessions": (t[P1], "api/sessions", None, {}),
        "participant reads the console": (t[P1], f"api/sessions/{sid}", None, {}),
        "participant releases": (t[P1], f"api/sessions/{sid}/release", {"inject": "viasat"}, {}),
        "participant pauses": (t[P1], f"api/sessions/{sid}/pause", {"paused": True}, {}),
        "participant opens the debrief": (t[P1], f"api/sessions/{sid}/debrief", {}, {}),
        "participant reassigns themself": (t[P1], f"api/sessions/{sid}/assign", {"assignments": {P1: "partner"}}, {}),
        "participant exports CSV": (t[P1], f"api/sessions/{sid}/export.csv", None, {}),
        "participant exports JSON": (t[P1], f"api/sessions/{sid}/export.json", None, {}),
        "participant opens the console page": (t[P1], "console", None, {}),
        "stranger decides": (stranger, decide, good, {}),
        "stranger reads a session": (stranger, f"api/play/{sid}", None, {}),
        "acting for another team": (t[P1], decide, {**good, "role": "cautious"}, {}),
        "acting for another user": (t[P1], decide, {**good, "user": P2}, {}),
        "option of another role": (t[P1], decide, {**good, "option": "publish"}, {}),
        "unknown option": (t[P1], decide, {**good, "option": "x" * 40}, {}),
        "closed or future inject": (t[P1], decide, {**good, "inject": "viasat"}, {}),
        "empty rationale": (t[P1], decide, {**good, "rationale": "   "}, {}),
        "rationale too long": (t[P1], decide, {**good, "rationale": "a" * 2001}, {}),
        "control characters": (t[P1], decide, {**good, "rationale": "a\x00b"}, {}),
        "numbers for text": (t[P1], decide, {**good, "option": 1}, {}),
        "a list for an object": (t[P1], decide, [good], {}),
        "not JSON": (t[P1], decide, b"{inject: ", {}),
        "not UTF-8": (t[P1], decide, b"\xff\xfe\x00", {}),
        "nested too deeply": (t[P1], decide, b"[" * 8000 + b"]" * 8000, {}),
        "an exercise file that expands without end": (
            t[INSTRUCTOR],
            "api/sessions",
            {"text": "a: &a [1]\nb: [*a, *a]"},
            {},
        ),
        "wrong content type": (t[P1], decide, good, {"Content-Type": "text/plain"}),
        "oversized body": (t[P1], decide, {**good, "rationale": "a" * 200_000}, {}),
        "unknown session": (t[P1], "api/play/" + "0" * 32 + "/decide", good, {}),
    }
    before = store_hash(hub)
    outcomes = {}
    for name, (token, path, body, headers) in attempts.items():
        raw = body if isinstance(body, bytes) else None
        status, answer = call(hub, token, path, None if raw else body, raw=raw, headers=headers)
        outcomes[name] = status
        assert status in (400, 403, 404, 405, 409, 413, 415), (name, status, answer)
        if isinstance(answer, dict):
            assert answer.get("error"), (name, answer)
    assert store_hash(hub) == before
    # the same session still works for the rightful participant, so the refusals were not an outage
    assert call(hub, t[P1], decide, good)[0] == 201
    assert store_hash(hub) != before
    assert outcomes["participant creates a session"] == 403 and outcomes["oversized body"] == 413


def test_the_export_holds_every_decision_and_is_spreadsheet_safe(hub):
    sid = new_session(hub, {P1: "romania", P2: "cautious"})
    t = hub.tokens
    rationales = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2", "plain, with a comma", 'quoted "text"\nnew line']
    for k, rationale in enumerate(rationales):
        user = (P1, P2)[k % 2]
        body = {"inject": "whispergate", "option": "declare", "rationale": rationale}
        assert call(hub, t[user], f"api/play/{sid}/decide", body)[0] == 201
    status, data = call(hub, t[INSTRUCTOR], f"api/sessions/{sid}/export.json")
    assert status == 200 and [d["rationale"] for d in data["decisions"]] == [r.strip() for r in rationales]
    status, text = call(hub, t[INSTRUCTOR], f"api/sessions/{sid}/export.csv")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(rationales)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert rows[0]["rationale"] == '\'=HYPERLINK("http://x")' and rows[5]["rationale"] == 'quoted "text"\nnew line'


def test_a_sigkill_loses_no_acknowledged_decision(hub):
    """Participants keep deciding while the service is killed with SIGKILL; the hub restarts it; every
    decision the service acknowledged (201) is in the store afterwards."""
    names = [f"tt-k{n}" for n in range(6)]
    tokens = {n: hub.user_token(n) for n in names}
    roles = ["eeas", "presidency", "romania", "cautious", "partner", "industry"]
    sid = new_session(hub, dict(zip(names, roles)))
    acknowledged: list[str] = []  # the rationales the service acknowledged
    errors: list[int] = []
    stop = threading.Event()

    def participant(name: str) -> None:
        k = 0
        while not stop.is_set():
            k += 1
            option = "share" if name != "tt-k4" else "attribute"
            status, answer = call(
                hub,
                tokens[name],
                f"api/play/{sid}/decide",
                {"inject": "whispergate", "option": option, "rationale": f"{name} {k}"},
            )
            (acknowledged.append(f"{name} {k}") if status == 201 else errors.append(status))

    threads = [threading.Thread(target=participant, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    time.sleep(2)
    pid = hub.service_pid()
    os.kill(pid, signal.SIGKILL)
    killed_at = len(acknowledged)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:  # the hub notices the exit on its next poll and starts the service again
        time.sleep(1)
        try:
            if hub.service_pid() != pid and len(acknowledged) > killed_at + 10:
                break
        except AssertionError:
            pass
    stop.set()
    for thread in threads:
        thread.join()
    assert hub.service_pid() != pid, "the hub did not restart the service"
    assert errors, "the kill did not interrupt anything: the test proved nothing"
    assert len(acknowledged) > killed_at + 10, "no decision was acknowledged after the restart"
    status, data = call(hub, hub.tokens[INSTRUCTOR], f"api/sessions/{sid}/export.json")
    stored = {d["rationale"] for d in data["decisions"]}
    assert set(acknowledged) <= stored, f"lost {len(set(acknowledged) - stored)} acknowledged decision(s)"


def test_a_room_poll_counts_answers_anonymously(hub):
    sid = new_session(hub, {P1: "romania", P2: "cautious", P3: "partner"})
    t = hub.tokens
    assert call(hub, t[P1], f"api/sessions/{sid}/poll", {"poll": "fast-attribution"})[0] == 403
    assert call(hub, t[INSTRUCTOR], f"api/sessions/{sid}/poll", {"poll": "fast-attribution"})[0] == 200
    run = call(hub, t[P1], f"api/play/{sid}")[1]["poll"]["open"]["run"]
    for user, option in ((P1, "eu"), (P2, "us-uk"), (P3, "us-uk"), (P1, "us-uk")):  # P1 changes their answer
        assert call(hub, t[user], f"api/play/{sid}/vote", {"run": run, "option": option})[0] == 201
    assert call(hub, hub.user_token("tt-outsider"), f"api/play/{sid}/vote", {"run": run, "option": "eu"})[0] == 403
    assert call(hub, t[P2], f"api/play/{sid}/vote", {"run": run, "option": "maybe"})[0] == 400
    mine = call(hub, t[P1], f"api/play/{sid}")[1]["poll"]
    assert mine["open"]["mine"] == "us-uk" and "counts" not in mine["open"]  # no distribution while it is open
    console = call(hub, t[INSTRUCTOR], f"api/sessions/{sid}")[1]
    assert console["polls"][-1]["counts"] == {"us-uk": 3} and console["polls"][-1]["open"]
    assert call(hub, t[INSTRUCTOR], f"api/sessions/{sid}/poll", {"close": True})[0] == 200
    assert call(hub, t[P2], f"api/play/{sid}/vote", {"run": run, "option": "eu"})[0] == 409
    last = call(hub, t[P3], f"api/play/{sid}")[1]["poll"]["last"]
    assert last["counts"] == {"us-uk": 3} and last["answer"] == "us-uk"
    # anonymous in the store itself: no user name in any vote, and one voter key per person and poll
    import sqlite3

    with sqlite3.connect(hub.db_path) as db:
        rows = db.execute("SELECT * FROM tabletop_votes WHERE poll_id = ?", (run,)).fetchall()
    assert len(rows) == 3 and not any(name in repr(rows) for name in (P1, P2, P3))
