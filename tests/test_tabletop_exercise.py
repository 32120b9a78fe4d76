"""The tabletop exercise as data: the shipped file is valid and true to the fact base; a broken file is
refused with a message that says where and what; the rules (options per role, unanimity, consequences that
shape later injects, solo play, debrief) behave as the book says."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from coursekit.core.settings import settings
from coursekit.tabletop import engine, model
from coursekit.tabletop.__main__ import WALKTHROUGH_PICKS, WALKTHROUGH_ROLE, main, walkthrough_page
from coursekit.tabletop.solo import SoloGame

REPO = Path(__file__).resolve().parents[1]
# the project's shared fact base beside the checkout (../shared), or beside a folder of worktrees (../../shared)
FACTS = next(
    (p for p in (REPO.parent / "shared" / "FACTS.md", REPO.parent.parent / "shared" / "FACTS.md") if p.exists()),
    REPO.parent / "shared" / "FACTS.md",
)
MONTHS = "January February March April May June July August September October November December".split()


@pytest.fixture(scope="module")
def exercise() -> model.Exercise:
    return model.load(model.course_exercises()["spring-2022"])


def test_the_shipped_exercise_meets_the_brief(exercise):
    data = exercise.data
    assert data["minutes"] == sum(step["minutes"] for step in data["facilitator"]["timing"]) == 90
    assert len(exercise.roles) >= 6 and len(exercise.injects) >= 5
    assert len(exercise.member_states()) >= 2
    for role in exercise.roles:
        card = role["card"]
        assert card["interests"] and card["red_lines"] and card["private"], role["id"]
    for inject in exercise.injects:
        assert inject["facts"], inject["id"]
        for role in exercise.roles:
            assert len(engine.options_for(exercise, inject["id"], role["id"])) >= 2


def test_every_invented_line_is_labelled_and_every_fact_dated(exercise):
    """Private information is either fiction (labelled) or rests on named facts; branch text that is
    invented says so in its own words too, since it is read aloud."""
    for role in exercise.roles:
        for item in role["card"]["private"]:
            assert item.get("fiction") is True or item.get("facts"), item
    for inject in exercise.injects:
        for branch in inject.get("branches", []):
            assert branch.get("fiction") and branch["text"].startswith("Fiction (exercise)"), branch
    for fid, fact in exercise.data["facts"].items():
        assert (fact["date"] > settings().end.isoformat()) == bool(fact.get("after_course")), fid


def spelled_dates(text: str) -> set[str]:
    """'16 January 2022', '1 May' ... as written in the exercise."""
    return set(re.findall(r"\b\d{1,2} (?:" + "|".join(MONTHS) + r")(?: \d{4})?\b", text))


@pytest.mark.skipif(not FACTS.exists(), reason="the shared fact base is not beside this worktree")
def test_every_spelled_date_of_the_exercise_is_in_the_fact_base(exercise):
    """Each day and month the exercise names appears in FACTS.md (as '16 Jan 2022' or '16 January')."""
    facts = FACTS.read_text(encoding="utf-8")
    text = (REPO / "tabletop/spring-2022.yaml").read_text(encoding="utf-8")
    found = spelled_dates(text.replace("\n", " ").replace("  ", " "))
    assert len(found) >= 8  # the check reads the dates the exercise spells out
    missing = []
    for date in spelled_dates(text.replace("\n", " ").replace("  ", " ")):
        day, month = date.split()[:2]
        if not re.search(rf"\b{day}(?:[–-]\d+)? {month[:3]}", facts) and not re.search(
            rf"\b\d+[–-]{day} {month[:3]}", facts
        ):
            missing.append(date)
    assert missing == []


def test_every_iso_date_is_a_date_of_the_fact_base(exercise):
    facts = FACTS.read_text(encoding="utf-8") if FACTS.exists() else None
    if facts is None:
        pytest.skip("the shared fact base is not beside this worktree")
    for fid, fact in exercise.data["facts"].items():
        year, month, day = fact["date"].split("-")
        short = f"{int(day)} {MONTHS[int(month) - 1][:3]} {year}"
        mon = MONTHS[int(month) - 1][:3]
        in_range = rf"(\d+[–-]{int(day)}|{int(day)}[–-]\d+) {mon} {year}"  # '15–16 Feb 2022'
        assert short in facts or re.search(in_range, facts), (fid, short)


def broken(exercise: model.Exercise, change) -> list[str]:
    data = copy.deepcopy(exercise.data)
    change(data)
    return model.check(data)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d.pop("roles"), "(top level): 'roles' is a required property"),
        (lambda d: d["injects"][2]["options"][0].update(text=""), "injects/2/options/0/text: '' should be non-empty"),
        (lambda d: d["injects"][0].update(minutes="ten"), "injects/0/minutes: 'ten' is not of type 'integer'"),
        (lambda d: d["facts"]["viasat"].update(date="2022-02-30"), "facts/viasat/date: '2022-02-30' is not a 'date'"),
        (lambda d: d["roles"][0]["card"]["private"][0].pop("fiction"), "roles/0/card/private/0:"),
        (
            lambda d: d["injects"][1]["options"][1].update(supports=["nope"]),
            "injects/1/options/1/supports: unknown measure 'nope'",
        ),
        (lambda d: d["injects"][3]["solo"].pop("partner"), "injects/3/solo: no rule for role 'partner'"),
        (
            lambda d: d["injects"][0]["solo"]["eeas"][0].update(choose="attribute"),
            "injects/0/solo/eeas/0/choose: option 'attribute' is not offered to 'eeas'",
        ),
        (
            lambda d: d["injects"][1]["branches"][0]["when"]["adopted"].update(inject="viasat"),
            "injects/1/branches/0/when/adopted/inject: 'viasat' is not an earlier inject",
        ),
        (lambda d: d["facts"]["viasat"].update(date="2023-01-01"), "facts/viasat: dated 2023-01-01, after the course"),
        (lambda d: [r.update(member_state=False) for r in d["roles"]], "roles: no role has member_state: true"),
        (lambda d: d["injects"][0]["options"].__delitem__(slice(1, None)), "injects/0/options: [{"),
    ],
)
def test_a_broken_file_says_where_and_what(exercise, change, expected):
    problems = broken(exercise, change)
    assert any(p.startswith(expected) for p in problems), problems


def test_bad_yaml_and_oversized_files_are_refused_with_a_location(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(model.ExerciseError) as err:
        model.load(bad)
    assert err.value.problems[0].startswith("line 3, column 1: not valid YAML")
    with pytest.raises(model.ExerciseError, match="larger than"):
        model.parse("x" * (model.MAX_BYTES + 1))
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + k)}: &{chr(98 + k)} [*{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}]\n"
        for k in range(12)
    )
    with pytest.raises(model.ExerciseError, match="anchors and aliases"):
        model.parse(bomb)  # nine to the thirteenth nodes once expanded: refused before expanding
    with pytest.raises(model.ExerciseError, match="could not determine a constructor|not valid YAML"):
        model.parse("!!python/object/apply:os.system ['true']")


def test_the_check_command_reports_and_fails_on_a_broken_file(tmp_path, capsys):
    path = tmp_path / "x.yaml"
    path.write_text("id: Bad Id\n", encoding="utf-8")
    assert main(["check", str(path)]) == 1
    assert "id: 'Bad Id' does not match" in capsys.readouterr().err
    assert main(["check", str(model.course_exercises()["spring-2022"])]) == 0


def decide_all(exercise, inject_id: str, **choices) -> dict:
    default = {r["id"]: engine.options_for(exercise, inject_id, r["id"])[-1]["id"] for r in exercise.roles}
    return {inject_id: {**default, **choices}}


def test_an_eu_measure_needs_every_member_state(exercise):
    yes = {"presidency": "declare", "romania": "declare", "cautious": "declare"}
    assert engine.measures_at(exercise, "whispergate", decide_all(exercise, "whispergate", **yes)) == {
        "solidarity": True
    }
    for holdout in yes:
        no = {**yes, holdout: "wait"}
        assert engine.measures_at(exercise, "whispergate", decide_all(exercise, "whispergate", **no)) == {
            "solidarity": False
        }
    # a non-Member State's choice neither adopts nor blocks
    assert engine.measures_at(exercise, "whispergate", decide_all(exercise, "whispergate", **yes, eeas="wait"))[
        "solidarity"
    ]
    # a Member State that did not decide blocks it too
    missing = decide_all(exercise, "whispergate", **yes)
    del missing["whispergate"]["cautious"]
    assert not engine.measures_at(exercise, "whispergate", missing)["solidarity"]


def test_earlier_decisions_shape_later_injects(exercise):
    spoke = decide_all(exercise, "whispergate", presidency="declare", romania="declare", cautious="declare")
    silent = decide_all(exercise, "whispergate", presidency="declare", romania="declare", cautious="wait")
    said = [b["text"] for b in engine.branches_for(exercise, "ddos-february", "partner", spoke)]
    unsaid = [b["text"] for b in engine.branches_for(exercise, "ddos-february", "partner", silent)]
    assert said and unsaid and said != unsaid
    assert engine.branches_for(exercise, "ddos-february", "partner", {}) == []  # nothing closed, nothing follows
    # a team's own earlier choice: only that team sees its follow-up
    viasat = {**spoke, "ddos-february": {}, **decide_all(exercise, "viasat", partner="investigate", romania="list")}
    mine = engine.branches_for(exercise, "industroyer2", "partner", viasat)
    theirs = engine.branches_for(exercise, "industroyer2", "romania", viasat)
    assert any("findings your team shared" in b["text"] for b in mine)
    assert not any("findings your team shared" in b["text"] for b in theirs)


def test_solo_rules_answer_from_earlier_choices(exercise):
    waited = {"whispergate": {"cautious": "wait"}}
    declared = {"whispergate": {"cautious": "declare"}}
    assert engine.solo_choice(exercise, "ddos-february", "cautious", waited) == "assist"
    assert engine.solo_choice(exercise, "ddos-february", "cautious", declared) == "declare"


def test_a_solo_game_plays_to_the_debrief(exercise):
    game = SoloGame(exercise, WALKTHROUGH_ROLE)
    with pytest.raises(ValueError, match="not an option"):
        game.decide("attribute-everyone")
    for inject in exercise.injects:
        assert game.view()["inject"]["id"] == inject["id"]
        result = game.decide(WALKTHROUGH_PICKS[inject["id"]], "because")
        assert set(result["others"]) == {r["id"] for r in exercise.roles} - {WALKTHROUGH_ROLE}
    assert game.view() == {"done": True}
    rows = game.debrief()
    assert [r["inject"] for r in rows] == [i["id"] for i in exercise.injects]
    assert all(r["choice"] and r["category"] and r["facts"] for r in rows)
    # the cautious Member State waited in January: the EU could not speak
    assert rows[0]["eu_outcome"] == [exercise.inject("whispergate")["outcomes"]["solidarity"]["blocked"]]
    with pytest.raises(ValueError, match="no role"):
        SoloGame(exercise, "nobody")


def test_the_book_walkthrough_is_what_the_file_produces():
    page = (REPO / "book" / "tabletop-walkthrough.md").read_text(encoding="utf-8")
    assert page == walkthrough_page(), "run: python -m coursekit.tabletop walkthrough book/tabletop-walkthrough.md"
    assert "Update since the course (2023-06-08)" in page and "Update since the course (5 September 2024)" in page
