"""The Toolbox response simulator: scoring, round progression, the linking rules and the debrief."""

from __future__ import annotations

import json

import pytest

from coursekit.topics import toolbox_simulator as ts
from coursekit.topics.toolbox_simulator import Campaign, Response, Round, Scores

BEST_PATH = ["r1-share", "r2-statement", "r3-prepare", "r4-list"]
WORST_PATH = ["r1-listings", "r2-listings", "r3-resilience", "r4-drop"]


def test_the_five_categories_of_the_2017_framework():
    assert list(ts.CATEGORIES) == ["preventive", "cooperative", "stability", "restrictive", "support"]


def test_every_round_offers_one_response_from_each_category():
    campaign = ts.default_campaign()
    assert len(campaign.rounds) == 4
    for rnd in campaign.rounds:
        assert sorted(r.category for r in rnd.responses) == sorted(ts.CATEGORIES)


def test_evidence_grows_over_the_campaign():
    levels = [r.evidence for r in ts.default_campaign().rounds]
    assert levels == ["low", "moderate", "attributed", "attributed"]


def test_rounds_progress_one_decision_at_a_time():
    state = ts.start()
    assert state.current_round().id == "r1-espionage"
    after = state.choose("r1-share")
    assert state.decisions == ()  # the old state is untouched
    assert after.current_round().id == "r2-hospitals"
    done = ts.replay(BEST_PATH)
    assert done.finished and done.current_round() is None
    with pytest.raises(ValueError, match="over"):
        done.choose("r4-list")


def test_a_response_from_another_round_is_refused():
    with pytest.raises(KeyError):
        ts.start().choose("r4-list")


def test_scores_of_a_path_added_by_hand():
    # r1-share (3,3,2); r2-demarche (3,2,2); r3-declaration (3,3,2);
    # r4-list (3,3,2) plus one effect for the earlier stability measure -> (3,3,3).
    state = ts.replay(["r1-share", "r2-demarche", "r3-declaration", "r4-list"])
    assert [d.scores for d in state.decisions] == [Scores(3, 3, 2), Scores(3, 2, 2), Scores(3, 3, 2), Scores(3, 3, 3)]
    assert state.totals() == Scores(12, 11, 9)
    assert state.totals().total == 32


def test_premature_escalation_costs_unity_in_later_rounds():
    state = ts.replay(["r1-listings", "r2-assist", "r3-declaration"])
    # r2-assist is (3,3,2) on its own, r3-declaration (3,3,2): each loses one unity point.
    assert state.decisions[1].scores == Scores(3, 2, 2)
    assert state.decisions[2].scores == Scores(3, 2, 2)
    assert state.premature_rounds() == ["r1-espionage"]
    assert any("before any Member State had attributed" in n for n in state.decisions[0].notes)


def test_unity_penalty_never_goes_below_zero():
    state = ts.replay(["r1-listings", "r2-listings"])
    assert state.decisions[1].scores.unity == 0


def test_restrictive_measures_after_attribution_are_not_premature():
    state = ts.replay(["r1-share", "r2-assist", "r3-prepare"])
    assert state.premature_rounds() == []


def test_no_effect_bonus_without_an_earlier_stability_measure():
    state = ts.replay(["r1-share", "r2-assist", "r3-support", "r4-list"])
    assert state.decisions[3].scores == Scores(3, 3, 2)
    assert not any("signalling" in n for n in state.decisions[3].notes)


def _tiny_campaign(restrictive_effect: int) -> Campaign:
    def resp(rid: str, category: str, scores: Scores) -> Response:
        return Response(rid, category, f"do {rid}", scores, f"because {rid}")

    return Campaign(
        title="t",
        intro="i",
        debrief=ts.default_campaign().debrief,
        rounds=(
            Round(
                "a",
                "A",
                "s",
                "attributed",
                (resp("a-stab", "stability", Scores(1, 1, 1)), resp("a-prev", "preventive", Scores(2, 2, 2))),
                "l",
            ),
            Round(
                "b",
                "B",
                "s",
                "attributed",
                (
                    resp("b-res", "restrictive", Scores(1, 1, restrictive_effect)),
                    resp("b-coop", "cooperative", Scores(0, 0, 0)),
                ),
                "l",
            ),
        ),
    )


def test_effect_bonus_is_capped_at_three():
    assert ts.replay(["a-stab", "b-res"], _tiny_campaign(3)).decisions[1].scores.effect == 3
    assert ts.replay(["a-stab", "b-res"], _tiny_campaign(1)).decisions[1].scores.effect == 2


def test_best_possible_tries_every_path_with_the_rules():
    tiny = _tiny_campaign(2)
    # Paths: stab+res = 3 + (1+1+3) = 8; prev+res = 6 + 4 = 10; stab+coop = 3; prev+coop = 6.
    total, dims = tiny.best_possible()
    assert total == 10
    assert dims == Scores(3, 3, 4)  # effect 4 is reached by stab+res (1 + 3), the others by prev+res
    assert tiny.best_possible(0) == (0, Scores())
    assert ts.default_campaign().best_possible()[0] == 33
    with pytest.raises(ValueError):
        tiny.best_possible(3)


def test_the_best_path_reaches_the_maximum_and_gets_the_strong_debrief():
    state = ts.replay(BEST_PATH)
    assert state.totals().total == 33
    lines, words = state.debrief(), ts.default_campaign().debrief
    for dim in ts.DIMENSIONS:
        assert words.dimensions[dim]["strong"] in lines
    assert words.overall["strong"] in lines
    assert not any("escalated before attribution" in line for line in lines)
    assert words.no_cost not in lines


def test_the_worst_path_gets_the_weak_debrief_and_its_warnings():
    lines, words = ts.replay(WORST_PATH).debrief(), ts.default_campaign().debrief
    assert words.dimensions["unity"]["weak"] in lines
    assert words.overall["weak"] in lines
    escalation = next(line for line in lines if "escalated before attribution" in line)
    assert "Quiet intrusions" in escalation and "Hospitals disrupted" in escalation
    assert words.no_cost in lines


@pytest.mark.parametrize(
    "share,expected", [(1.0, "strong"), (0.8, "strong"), (0.79, "mixed"), (0.5, "mixed"), (0.49, "weak"), (0.0, "weak")]
)
def test_bands(share, expected):
    assert ts.band(share) == expected


def test_unused_categories_are_named_only_at_the_end():
    partial = ts.replay(["r1-share"])
    assert not any("did not use" in line for line in partial.debrief())
    final = ts.replay(["r1-share", "r2-demarche", "r3-declaration", "r4-list"])
    note = next(line for line in final.debrief() if "did not use" in line)
    assert "Support to Member States' lawful responses" in note
    assert "Preventive" not in note


def test_debrief_before_any_decision():
    assert ts.start().debrief() == ["No decisions yet: choose a response in the first round."]


def test_summary_text_running_and_final():
    partial = ts.replay(["r1-dialogue"]).summary_text()
    assert "Cooperative measures" in partial
    assert "Running total: 6 points, where the best possible path so far earns 8" in partial
    assert "Next: round 2 of 4, Hospitals disrupted." in partial
    final = ts.replay(BEST_PATH).summary_text()
    assert "Final total: 33 of a possible 33." in final
    assert "Debrief:" in final


def test_a_saved_path_replays_to_the_same_result():
    state = ts.replay(["r1-dialogue", "r2-support"])
    saved = json.loads(json.dumps(state.to_json()))
    again = ts.replay(saved)
    assert again.totals() == state.totals() and again.path() == ["r1-dialogue", "r2-support"]
    with pytest.raises(ValueError):
        ts.replay([1, 2])


def test_option_labels_are_unique_even_when_a_category_repeats():
    def resp(rid: str) -> Response:
        return Response(rid, "preventive", "t", Scores(1, 1, 1), "f")

    rnd = Round("r", "R", "s", "low", (resp("x"), resp("y")), "l")
    assert ts.option_labels(rnd) == {"x": "A. Preventive measures", "y": "B. Preventive measures"}


def test_definitions_are_checked():
    with pytest.raises(ValueError, match="category"):
        Response("x", "sanctions", "t", Scores(1, 1, 1), "f")
    with pytest.raises(ValueError, match="between 0 and 3"):
        Response("x", "preventive", "t", Scores(4, 1, 1), "f")
    good = Response("x", "preventive", "t", Scores(1, 1, 1), "f")
    with pytest.raises(ValueError, match="evidence"):
        Round("r", "R", "s", "certain", (good, Response("y", "stability", "t", Scores(), "f")), "l")
    with pytest.raises(ValueError, match="distinct"):
        Round("r", "R", "s", "low", (good, good), "l")


# -- the widget -----------------------------------------------------------------------------------------


def test_widget_builds_headless_without_writing(_isolated_answers):
    sim = ts.ToolboxSimulatorWidget(store_id="t11-sim-test")
    assert "Quiet intrusions" in sim.plain_text()
    assert sim.widget.form["fields"][0]["label"] == "Your response:"
    choice = sim.widget.result["fields"]["choice"]
    assert len(choice["options"]) == 5 and choice["value"] is None
    # short radio labels, with the full response texts listed above them under the same letters
    assert [o["label"] for o in choice["options"]][:2] == ["A. Preventive measures", "B. Cooperative measures"]
    assert "A. Preventive measures</strong>: Share technical indicators" in sim.widget.result["context_html"]
    assert [b["label"] for b in sim.widget.form["buttons"]] == ["Decide", "Start again"]
    assert "start the campaign again?" in sim.widget.form["buttons"][1]["confirm"]  # asked before wiping
    assert not _isolated_answers.exists()
    bundle = sim._repr_mimebundle_()
    assert "Open this notebook in JupyterLab" in bundle["text/plain"]


def test_widget_asks_for_a_choice_before_deciding():
    sim = ts.ToolboxSimulatorWidget()
    sim.decide()
    assert "Choose a response first" in sim.widget.result["html"]
    sim.decide("r9-nothing")  # not a response of this round
    assert "Choose a response first" in sim.widget.result["html"]
    assert sim.state.decisions == ()


def test_widget_plays_saves_and_restores(_isolated_answers):
    from coursekit.core import store

    sim = ts.ToolboxSimulatorWidget(store_id="t11-sim-test")
    sim.widget.request = {"values": {"choice": "r1-share"}, "button": "decide", "seq": 1}  # as the page sends it
    assert "Scores:" in sim.widget.result["html"] and "proportionality 3 of 3" in sim.widget.result["html"]
    assert "Running total" in sim.widget.result["html"]
    for rid in BEST_PATH[1:]:
        sim.decide(rid)
    assert "Debrief: 33 of a possible 33 points" in sim.widget.result["html"]
    assert sim.widget.result["buttons"] == {"decide": {"disabled": True}}
    assert sim.widget.result["fields"]["choice"]["disabled"]
    saved = json.loads(_isolated_answers.read_text())["answers"]["t11-sim-test"]["value"]
    assert saved == BEST_PATH
    store._STORES.clear()  # a restarted kernel
    again = ts.ToolboxSimulatorWidget(store_id="t11-sim-test")
    assert again.state.path() == BEST_PATH
    assert "Your saved decisions are shown" in again.widget.result["html"] and again.widget.saved_at
    again.start_again()
    assert again.state.decisions == ()
    assert json.loads(_isolated_answers.read_text())["answers"]["t11-sim-test"]["value"] == []


def test_widget_survives_a_saved_path_that_no_longer_fits():
    from coursekit.core.store import get_store

    get_store().save("t11-sim-test", ["not-a-response"])
    sim = ts.ToolboxSimulatorWidget(store_id="t11-sim-test")
    assert sim.state.decisions == ()
    assert "no longer fit" in sim.widget.notice
