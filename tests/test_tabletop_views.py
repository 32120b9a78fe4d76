"""What each person may see and do, checked on the store directly (fast; the same rules run under a real hub
in tests/test_tabletop_service.py)."""

from __future__ import annotations

import json
import uuid

import pytest

from coursekit.tabletop import model, views
from coursekit.tabletop.store import Store
from coursekit.tabletop.views import Refused


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def session(request, tmp_path):
    if request.param == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 't.sqlite'}")
    else:  # the Kubernetes deployment's database (a real server from conftest's fixture)
        from conftest import fresh_postgres_database

        server = request.getfixturevalue("postgres_url")
        store = Store(fresh_postgres_database(server, f"tabletop_{uuid.uuid4().hex}"))
    exercise = model.load(model.course_exercises()["spring-2022"])
    sid = store.create_session("T", exercise.data, "inst")
    store.assign(sid, {"ana": "romania", "bo": "cautious", "cy": "cautious"}, "inst")
    store.release(sid, "whispergate", None, "inst")
    return store, sid


def decide(store, sid, user, option, rationale="Because.", inject="whispergate"):
    checked = views.check_decision(store, sid, user, {"inject": inject, "option": option, "rationale": rationale})
    inject, role, option, rationale = checked
    return store.decide(sid, inject, role, user, option, rationale)


def test_a_participant_sees_their_role_and_team_only_and_no_names(session):
    store, sid = session
    decide(store, sid, "bo", "wait", "Evidence first.")
    ana = json.dumps(views.participant_view(store, sid, "ana"))
    cy = views.participant_view(store, sid, "cy")
    assert "Evidence first." not in ana and "not been able to confirm" not in ana
    assert cy["current"]["decision"]["rationale"] == "Evidence first."
    assert not {"ana", "bo", "cy", "inst"} & set(json.dumps(cy).replace('"', " ").split())
    with pytest.raises(Refused, match="no role"):
        views.participant_view(store, sid, "stranger")


def test_the_facilitator_sees_everything(session):
    store, sid = session
    decide(store, sid, "bo", "wait")
    console = views.console_view(store, sid)
    assert console["latest"]["whispergate"]["cautious"]["user"] == "bo"
    assert console["live"] == {"inject": "whispergate", "measures": {"solidarity": False}}


@pytest.mark.parametrize(
    "body, status",
    [
        ({"inject": "whispergate", "option": "publish", "rationale": "x"}, 400),  # not offered to Romania
        ({"inject": "viasat", "option": "list", "rationale": "x"}, 409),  # not released
        ({"inject": "whispergate", "option": "declare", "rationale": ""}, 400),
        ({"inject": "whispergate", "option": "declare", "rationale": "x" * 2001}, 400),
        ({"inject": "whispergate", "option": "declare", "rationale": "x", "role": "eeas"}, 400),
        ({"inject": "whispergate", "option": ["declare"], "rationale": "x"}, 400),
        ("declare", 400),
    ],
)
def test_a_decision_must_pass_every_rule(session, body, status):
    store, sid = session
    with pytest.raises(Refused) as refused:
        views.check_decision(store, sid, "ana", body)
    assert refused.value.status == status


def test_deadline_pause_and_debrief_close_decisions(session):
    store, sid = session
    ok = {"inject": "whispergate", "option": "declare", "rationale": "x"}
    store.set_status(sid, "paused", "inst")
    with pytest.raises(Refused, match="paused"):
        views.check_decision(store, sid, "ana", ok)
    store.set_status(sid, "running", "inst")
    store.release(sid, "ddos-february", 1000.0, "inst")  # a deadline long past
    with pytest.raises(Refused, match="deadline"):
        views.check_decision(store, sid, "ana", {**ok, "inject": "ddos-february"})
    store.set_status(sid, "debrief", "inst")
    with pytest.raises(Refused, match="debrief"):
        views.check_decision(store, sid, "ana", ok)


def test_the_cached_state_follows_every_change(session):
    store, sid = session
    assert views.participant_view(store, sid, "ana")["current"]["decision"] is None
    decide(store, sid, "ana", "declare")
    assert views.participant_view(store, sid, "ana")["current"]["decision"]["option"] == "declare"
    store.assign(sid, {"ana": "partner"}, "inst")
    assert views.participant_view(store, sid, "ana")["role"]["id"] == "partner"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_csv_cells_never_start_a_formula(text):
    assert views.cell(text).startswith("'")
    assert views.cell("plain") == "plain" and views.cell(None) == ""


def test_poll_votes_are_anonymous_and_counted_once_per_person(session):
    store, sid = session
    store.open_poll(sid, "sanctions-rule", "inst")
    run = store.polls(sid)[-1]["id"]
    secret = b"k" * 32
    for user, option in (("ana", "qmv"), ("bo", "unanimity"), ("ana", "unanimity")):
        assert views.check_vote(store, sid, user, {"run": run, "option": option}) == (run, option)
        assert store.vote(sid, run, views.voter(secret, run, user), option)
    assert store.polls(sid)[-1]["counts"] == {"unanimity": 2}
    assert views.voter(secret, run, "ana") != views.voter(secret, run + 1, "ana")  # not linkable across polls
    with pytest.raises(Refused, match="no role"):
        views.check_vote(store, sid, "stranger", {"run": run, "option": "qmv"})
    store.close_poll(sid, "inst")
    assert not store.vote(sid, run, views.voter(secret, run, "cy"), "qmv")
    with pytest.raises(Refused, match="not open"):
        views.check_vote(store, sid, "cy", {"run": run, "option": "qmv"})


def test_random_assignment_deals_every_participant_a_role_evenly():
    from coursekit.tabletop.service import assignments

    roles = ["eeas", "presidency", "romania", "cautious", "partner", "industry"]
    users = [f"u{n}" for n in range(32)]
    dealt = assignments({"random": users + ["u1"]}, roles)
    assert sorted(dealt) == sorted(users)
    sizes = sorted(list(dealt.values()).count(r) for r in roles)
    assert sizes[-1] - sizes[0] <= 1 and sum(sizes) == 32
    with pytest.raises(Refused, match="Not a hub user name"):
        assignments({"random": ["<script>"]}, roles)
    with pytest.raises(Refused, match="Unknown role"):
        assignments({"assignments": {"ana": "king"}}, roles)
