"""The item-validity measures (issue 24) on small hand-made exercises, so that each can be seen to fail and pass.

The course itself is held to them in ``tests/test_assessment_quality.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursekit import Choice, Matching, MultipleSelect, Scenario, ScenarioOption, ScenarioStep, SingleChoice
from coursekit.analysis import item_validity
from coursekit.analysis.clones import (
    CLONE_THRESHOLD,
    LEAK_THRESHOLD,
    Text,
    data_texts,
    exercise_texts,
    key_leaks,
    module_texts,
    prose_texts,
    similar_pairs,
)
from coursekit.analysis.cue_picker import (
    FEATURES,
    MARGIN,
    Decision,
    by_kind,
    decisions,
    features,
    key_positions,
    newcomer_picks,
    tone_spread,
)
from coursekit.analysis.wording import content_stems, marker_counts, stem, tone
from coursekit.grading.course import CourseError
from coursekit.grading.plans import write_plan

REPO = Path(__file__).resolve().parents[1]

# Four kinds of option a test-wise reader tells apart by tone alone, of about the same length.
CAUTIOUS = "Consult the partners first, then answer together through agreed channels"
LOUD = "Announce sanctions at once and never wait for anyone else to move first"
PASSIVE = "Say nothing and wait until the facts are clear to the people who are involved"
NEUTRAL = "Send the deputy minister to the capital to present the national view there"
TYPES = (CAUTIOUS, LOUD, PASSIVE, NEUTRAL)


def _decision(n: int, key_type: int, rotation: int, mode: str = "graded", exercise: str = "") -> Decision:
    options = tuple(f"{TYPES[(j + rotation) % 4]} (case {n})" for j in range(4))
    key = options.index(f"{TYPES[key_type]} (case {n})")
    return Decision(
        "single-choice",
        exercise or f"item-{n}",
        "",
        mode,
        f"Case {n}: a neighbour's ministry was hit by an attack. What do you advise?",
        options,
        tuple(1.0 if i == key else 0.0 for i in range(4)),
    )


def cued_course() -> list[Decision]:
    """Sixteen items whose key is always the cautious option, in every position equally often."""
    return [_decision(n, 0, n % 4) for n in range(16)]


def balanced_course() -> list[Decision]:
    """Sixteen items where each kind of option is the key equally often, and in each position equally often."""
    return [_decision(n, (n // 4) % 4, n % 4) for n in range(16)]


# --- wording ------------------------------------------------------------------------------------------


def test_markers_name_absolutes_escalation_passivity_and_the_cautious_middle_way():
    assert marker_counts("Act at once and never within 24 hours")["absolute"] == 3
    assert marker_counts("Demand that C hand over the perpetrators and announce countermeasures")["extreme"] == 2
    assert marker_counts("Say nothing until the facts are clear")["passive"] >= 2
    assert marker_counts("With partners, first build a shared picture, then speak jointly")["cautious"] >= 4
    assert marker_counts("Send the deputy minister to the capital") == dict.fromkeys(marker_counts(""), 0)
    assert tone(CAUTIOUS).cautious and not tone(LOUD).cautious and not tone(PASSIVE).cautious
    assert tone(CAUTIOUS).measured > tone(NEUTRAL).measured > tone(LOUD).measured


def test_stems_let_inflections_meet_and_drop_function_words():
    assert stem("agreed") == stem("agree") and stem("centres") == stem("centre") and stem("hosting") == stem("hosted")
    assert content_stems("The hosting of B's card processor") == ["host", "card", "processor"]


# --- decisions and their scoring rules ------------------------------------------------------------------


def test_decisions_cover_single_choice_steps_multiple_select_and_matching_pairs():
    sc = SingleChoice(id="s", prompt="p", choices=[Choice("a", "f"), Choice("b", "f")], key="b", outcomes=["LO1"])
    ms = MultipleSelect(id="m", prompt="p", choices=[Choice(t, "f") for t in "wxyz"], key=["w", "y"], outcomes=["LO1"])
    match = Matching(
        id="t", prompt="p", left=["l1", "l2"], right=["r1", "r2", "r3"], key={"l1": "r2", "l2": "r2"}, outcomes=["LO1"]
    )
    flat = [ScenarioOption("x", "c", points=1), ScenarioOption("y", "c", points=1)]
    graded_steps = [ScenarioOption("x", "c", points=1), ScenarioOption("y", "c", points=3), ScenarioOption("z", "c")]
    scenario = Scenario(
        id="c",
        prompt="p",
        start="one",
        outcomes=["LO5"],
        steps=[ScenarioStep("one", "s", graded_steps), ScenarioStep("two", "s", flat)],
    )
    found = {(d.kind, d.step): d for d in decisions([sc, ms, match, scenario])}
    assert set(found) == {
        ("single-choice", ""),
        ("multiple-select", ""),
        ("matching", "l1"),
        ("matching", "l2"),
        ("scenario-step", "one"),  # step "two" gives every option the same points: no decision
    }
    assert found["single-choice", ""].credit == (0.0, 1.0)
    assert found["scenario-step", "one"].credit == pytest.approx((1 / 3, 1.0, 0.0))
    assert found["scenario-step", "one"].chance() == pytest.approx(4 / 9)
    assert found["matching", "l1"].chance() == pytest.approx(1 / 3)
    many = found["multiple-select", ""]
    assert many.score({0, 2}) == 1.0 and many.score({0, 1, 2, 3}) == 0.0 and many.score({0}) == 0.5
    # every selection of four options, two of them right, scored by the course's rule: 3/16 on average
    assert many.chance() == pytest.approx(3 / 16)


def test_graded_exercises_count_only_with_their_key():
    graded = SingleChoice(id="g", prompt="p", choices=[Choice("a"), Choice("b")], mode="graded", outcomes=["LO1"])
    assert decisions([graded]) == []
    assert decisions([graded.with_key("a")])[0].mode == "graded"


def test_features_see_position_length_tone_and_overlap_but_not_the_key():
    d = _decision(1, 0, 0)
    moved = Decision(d.kind, d.exercise_id, d.step, d.mode, d.prompt, d.options, (0.0, 0.0, 1.0, 0.0))
    assert (features(d) == features(moved)).all()
    assert features(d).shape == (4, len(FEATURES))


# --- the cue picker --------------------------------------------------------------------------------------


def test_the_picker_finds_a_key_given_away_by_tone_and_the_check_fails():
    course = cued_course()
    result = by_kind(newcomer_picks(course, course))["single-choice"]
    assert result.score == 1.0 and result.chance == 0.25
    assert not result.passes and result.margin > MARGIN


def test_the_picker_stays_at_chance_when_no_cue_tells_the_key_and_the_check_passes():
    course = balanced_course()
    result = by_kind(newcomer_picks(course, course))["single-choice"]
    assert result.score <= result.chance + MARGIN and result.passes


def test_the_picker_finds_a_position_cue():
    course = [_decision(n, n % 4, n % 4) for n in range(16)]  # key always first, tone balanced
    assert {d.best for d in course} == {0}
    assert by_kind(newcomer_picks(course, course))["single-choice"].score == 1.0


def test_the_picker_never_learns_from_the_item_it_answers():
    """Whatever an item's own key, the picker picks the same for it: on a course with no cue, where one
    more vote for the item's own key would tip what it learns, the pick stays put."""
    for course in (cued_course(), balanced_course()):
        for n in range(0, len(course), 5):
            target = course[n]
            picks = set()
            for key in range(4):
                moved = Decision(
                    *[getattr(target, f) for f in ("kind", "exercise_id", "step", "mode", "prompt", "options")],
                    tuple(1.0 if i == key else 0.0 for i in range(4)),
                )
                (pick,) = newcomer_picks([*course[:n], moved, *course[n + 1 :]], [moved])
                picks.add(pick.picked)
            assert len(picks) == 1, f"item {n}: the pick follows the item's own key"


def test_the_picker_ticks_the_options_a_multiple_select_gives_away():
    course = cued_course()
    ms = MultipleSelect(
        id="many",
        prompt="Case 99: which do you advise?",
        choices=[Choice(f"{t} (case 99)") for t in (LOUD, CAUTIOUS, PASSIVE, CAUTIOUS.replace("first", "now"))],
        mode="graded",
        outcomes=["LO1"],
    )
    keyed = ms.with_key([f"{CAUTIOUS} (case 99)", f"{CAUTIOUS.replace('first', 'now')} (case 99)"])
    (target,) = decisions([keyed])
    (pick,) = newcomer_picks([*course, target], [target])
    assert pick.picked == frozenset({1, 3}) and pick.score == 1.0


# --- key positions and tone ------------------------------------------------------------------------------


def test_key_positions_count_source_order_against_chance():
    course = [_decision(n, 0, 0) for n in range(3)] + [_decision(3, 0, 3)]  # cautious first, first, first, second
    positions = key_positions(course)["single-choice"]
    assert positions.counts == (3, 1, 0, 0) and positions.expected == pytest.approx((0.25,) * 4)
    assert positions.worst == (0, pytest.approx(0.5))
    balanced = key_positions(balanced_course())["single-choice"]
    assert balanced.counts == (4, 4, 4, 4) and balanced.worst[1] == pytest.approx(0.0)
    assert key_positions([])["single-choice"].worst == (0, 0.0)


def test_tone_spread_counts_the_most_measured_key_and_the_markers_on_both_sides():
    spread = tone_spread(cued_course())
    assert spread.measured_key_share == 1.0 and spread.cautious_keys == 16
    assert spread.on_keys["absolute"] == 0 and spread.on_distractors["absolute"] == 16
    assert tone_spread(balanced_course()).measured_key_share == pytest.approx(0.25)
    tie = Decision("single-choice", "t", "", "graded", "p", ("plain one", "plain two"), (1.0, 0.0))
    assert tone_spread([tie]).measured_keys == 0.5  # the reader picks among equals at random


# --- clones and leaks ------------------------------------------------------------------------------------

HACKED_CLONE = SingleChoice(
    id="g-hacked",
    prompt=(
        "Late at night your embassy's official account publishes a post attacking your own government. Nobody on "
        "your staff wrote it: the account was taken over, and journalists already share screenshots. What now?"
    ),
    choices=[
        Choice(
            "Recover the account through the platform, correct the record on other channels, call the host ministry"
        ),
        Choice("Delete the account at once so that the message disappears"),
        Choice("Wait for a press conference in the morning to set the record straight"),
    ],
    mode="graded",
    outcomes=["LO1"],
)
DAM = SingleChoice(
    id="g-dam",
    prompt="A cyber operation opens the floodgates of a dam in another State and villages are flooded. What is it?",
    choices=[Choice("A use of force"), Choice("A prohibited intervention only"), Choice("A breach of sovereignty")],
    mode="graded",
    outcomes=["LO2"],
)


# A topic module with practice data, as the choosers keep it (read by its syntax, never run).
CHOOSER = """
from .choosers import BEST, WEAK, Pick, Problem

PROBLEMS = (
    Problem(
        "hacked",
        "An official account goes rogue",
        "At midnight your embassy's account posts a message criticising your own government. Your staff did "
        "not write it; the account has been taken over. Journalists are sharing screenshots.",
        (
            Pick("delete", "Delete the account so the message disappears", "The screenshots remain.", WEAK),
            Pick(
                "recover",
                "Recover it via the platform; correct on other channels; call the host ministry",
                "The platform restores control, and the host ministry hears it from you first.",
                BEST,
            ),
        ),
    ),
    Problem(
        "summit",
        "A summit text",
        "Partners negotiate the final communique of a summit on connectivity and ask for your line on data.",
        (Pick("table", "Table your own wording early", "Others rally to it.", BEST),),
    ),
)
PROMPT = "Tool chooser: choose the tool for each situation."
"""


def test_module_texts_read_each_chooser_problem_by_its_id(tmp_path):
    (tmp_path / "chooser.py").write_text(CHOOSER, encoding="utf-8")
    texts = {t.label: t for t in module_texts(tmp_path / "chooser.py")}
    assert set(texts) == {
        f"{tmp_path.name}/chooser.py: PROBLEMS[hacked]",
        f"{tmp_path.name}/chooser.py: PROBLEMS[summit]",
        f"{tmp_path.name}/chooser.py: PROMPT[0]",
    }
    hacked = texts[f"{tmp_path.name}/chooser.py: PROBLEMS[hacked]"]
    assert hacked.kind == "practice" and "taken over" in hacked.body and "host ministry hears" in hacked.body


def test_a_paraphrased_practice_case_is_a_clone_and_an_unrelated_item_is_not(tmp_path):
    (tmp_path / "chooser.py").write_text(CHOOSER, encoding="utf-8")
    texts = module_texts(tmp_path / "chooser.py") + exercise_texts([HACKED_CLONE, DAM], "01")
    pairs = similar_pairs(texts)
    assert [(p.graded, p.other) for p in pairs] == [("01: g-hacked", f"{tmp_path.name}/chooser.py: PROBLEMS[hacked]")]
    assert pairs[0].score >= CLONE_THRESHOLD
    assert similar_pairs(texts, threshold=1.01) == []


def test_prose_that_states_the_case_is_flagged():
    prose = prose_texts(
        [
            "## 3. Hacked accounts\n\nWhen an embassy's official account is taken over at night and posts a message "
            "against its own government, recover it through the platform, correct the record on the ministry's "
            "other channels and call the host ministry before journalists' screenshots spread.\n\nShort note.",
        ],
        "01",
    )
    assert [t.label for t in prose] == ["01: prose, 3. Hacked accounts, ¶1", "01: prose, 3. Hacked accounts, ¶2"]
    pairs = similar_pairs(prose + exercise_texts([HACKED_CLONE, DAM], "01"))
    assert [(p.graded, p.other_kind) for p in pairs] == [("01: g-hacked", "prose")]
    assert pairs[0].score >= CLONE_THRESHOLD


def _keyed(ex: SingleChoice, key_index: int) -> SingleChoice:
    return ex.with_key(ex.choices[key_index].text)


def test_a_prompt_that_describes_another_items_key_is_a_leak():
    first_ask = SingleChoice(
        id="g-first",
        prompt="Country B's card payments fail when Country A loses power. What is the weakest link to raise?",
        choices=[
            Choice("B's dependence on power imports from A, and a share of A's reserve power"),
            Choice("The hosting of B's card processor in A's data centres, which go dark when the telecoms fail"),
            Choice("A's fuel deliveries to B's reserve power plants when A's own grid is down"),
        ],
        mode="graded",
        outcomes=["LO4"],
    )
    requests = SingleChoice(
        id="g-requests",
        prompt="A's data centres are down. B's card processor is hosted in A's data centres. What may B ask of A?",
        choices=[Choice("Indicators of compromise"), Choice("Countermeasures")],
        mode="graded",
        outcomes=["LO4"],
    )
    unrelated = SingleChoice(
        id="g-other",
        prompt="A neighbour's elections were targeted by a disinformation network. What do you propose first?",
        choices=[Choice("A report to the platform"), Choice("Public attribution")],
        mode="graded",
        outcomes=["LO4"],
    )
    # close to the key and as close to a distractor: it tells the reader nothing
    both = SingleChoice(
        id="g-both",
        prompt=(
            "B's card processor is hosted in A's data centres, and B depends on power imports from A and a share "
            "of its reserve power. What should B review?"
        ),
        choices=[Choice("Its contracts"), Choice("Its laws")],
        mode="graded",
        outcomes=["LO4"],
    )
    exercises = [_keyed(first_ask, 1), _keyed(requests, 0), _keyed(unrelated, 0), _keyed(both, 0)]
    texts = exercise_texts(exercises, "09")
    leaks = key_leaks(decisions(exercises), texts)
    assert [(p.graded, p.other) for p in leaks] == [("g-first", "09: g-requests")]
    assert leaks[0].score >= LEAK_THRESHOLD
    # with the key moved to an option the other prompt does not describe, that prompt gives nothing away
    moved = [_keyed(first_ask, 0), _keyed(requests, 0), _keyed(unrelated, 0), _keyed(both, 0)]
    assert ("g-first", "09: g-requests") not in {(p.graded, p.other) for p in key_leaks(decisions(moved), texts)}


def test_an_item_is_never_compared_with_itself_or_its_own_steps():
    texts = [
        Text("a", "graded", "the same long text " * 10 + " ".join(f"w{i}" for i in range(20)), "x"),
        Text("a / step s", "graded", "the same long text " * 10 + " ".join(f"w{i}" for i in range(20)), "x"),
    ]
    assert similar_pairs(texts, threshold=0.0) == []


# --- the command ------------------------------------------------------------------------------------------


def _notebook(tmp_path: Path, topic: str, cells: list[tuple[str, str]], *, plan: bool = True) -> Path:
    folder = tmp_path / "notebooks" / topic
    folder.mkdir(parents=True)
    nb = {
        "cells": [
            {
                "id": f"c{i}",
                "cell_type": kind,
                "metadata": {},
                "source": source,
                **({"outputs": [], "execution_count": None} if kind == "code" else {}),
            }
            for i, (kind, source) in enumerate(cells)
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / f"{topic}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    if plan:
        write_plan(folder / f"{topic}.ipynb")  # what `coursekit author` does: the checks read compiled plans
    return tmp_path / "notebooks"


def test_the_command_reports_a_course_and_fails_on_a_clone(tmp_path, capsys):
    """A graded item that repeats the practice case just above it, in other words."""
    practice = (
        "SingleChoice(id='p-hacked', prompt='At midnight your embassy\\'s account posts a message criticising your "
        "own government. Your staff did not write it; the account has been taken over. Journalists are sharing "
        "screenshots. What do you do?', choices=[Choice('Delete the account so the message disappears', 'f'), "
        "Choice('Recover it via the platform; correct on other channels; call the host ministry', 'f')], "
        "key='Recover it via the platform; correct on other channels; call the host ministry', outcomes=['LO1'])"
    )
    graded = "from coursekit import SingleChoice, Choice\n" + "\n".join(
        f"SingleChoice(id={ex.id!r}, prompt={ex.prompt!r}, choices=[{', '.join(f'Choice({c.text!r})' for c in ex.choices)}], "
        f"mode='graded', outcomes=['LO1'])"
        for ex in (HACKED_CLONE, DAM)
    )
    hidden = (
        "### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\n"
        f"check('g-hacked', key={HACKED_CLONE.choices[0].text!r})\ncheck('g-dam', key='A use of force')\n"
        "### END HIDDEN TESTS"
    )
    cells = [("code", "from coursekit import SingleChoice, Choice"), ("code", practice), ("code", graded)]
    root = _notebook(tmp_path, "01-x", [*cells, ("code", hidden)])
    assert item_validity.main([str(root), "--topics-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "single-choice" in out and "Key positions" in out and "Most measured option" in out
    assert "01-x: g-hacked  ~  01-x: p-hacked [practice]" in out
    assert "g-dam  ~" not in out


def test_the_command_passes_a_course_without_cues_or_clones(tmp_path, capsys):
    """Twelve items (six graded) whose options differ only in a number: no position, tone or clone to go by."""
    cells = [("markdown", "# A topic\n\nA short paragraph."), ("code", "from coursekit import SingleChoice, Choice")]
    for n in range(12):
        options = [f"Figure {n * 3 + j}" for j in range(3)]
        key = options[n % 3]
        mode = "graded" if n % 2 else "practice"
        feedback = ", feedback='f'" if mode == "practice" else ""
        choices = ", ".join(f"Choice({o!r}{feedback})" for o in options)
        keyword = f", key={key!r}" if mode == "practice" else ""
        cells.append(
            (
                "code",
                f"SingleChoice(id='i{n}', prompt='Which figure is it?', choices=[{choices}], mode={mode!r}{keyword}, outcomes=['LO1'])",
            )
        )
        if mode == "graded":
            hidden = f"### BEGIN HIDDEN TESTS\nfrom coursekit.grading import check\ncheck('i{n}', key={key!r})\n### END HIDDEN TESTS"
            cells.append(("code", hidden))
    root = _notebook(tmp_path, "01-x", cells)
    assert item_validity.main([str(root), "--topics-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "single-choice      6" in out and "All item-validity checks pass." in out


def test_the_command_says_when_a_folder_holds_no_notebooks(tmp_path, capsys):
    assert item_validity.main([str(tmp_path)]) == 2
    assert "No source notebooks" in capsys.readouterr().err


def test_the_command_says_which_notebook_it_cannot_read(tmp_path, capsys):
    """A definition that cannot be rebuilt stops `coursekit author` at its cell; the command, lacking the plan,
    names the topic and the command that writes it."""
    cells = [("code", "from coursekit import SingleChoice\nSingleChoice(id='x', prompt='p')")]
    root = _notebook(tmp_path, "01-x", cells, plan=False)
    with pytest.raises(CourseError, match="01-x.ipynb, cell 1"):
        write_plan(root / "01-x" / "01-x.ipynb")
    assert item_validity.main([str(root)]) == 2
    err = capsys.readouterr().err
    assert "cannot be read" in err and "01-x has no compiled plan" in err and "coursekit author" in err


def test_data_texts_read_each_chooser_problem_of_a_data_file(tmp_path):
    """Chooser problems now live in YAML beside the notebook: each is still one text a graded item must not clone."""
    (tmp_path / "tool-chooser.yaml").write_text(
        "id: x\nproblems:\n- id: hacked\n  title: An official account goes rogue\n"
        "  situation: The account has been taken over.\n  picks:\n  - text: Delete the account\n"
        "    consequence: The screenshots remain.\n- id: summit\n  situation: A summit text.\n",
        encoding="utf-8",
    )
    texts = {t.label: t for t in data_texts(tmp_path / "tool-chooser.yaml")}
    assert set(texts) == {
        f"{tmp_path.name}/tool-chooser.yaml: problems[hacked]",
        f"{tmp_path.name}/tool-chooser.yaml: problems[summit]",
    }
    hacked = texts[f"{tmp_path.name}/tool-chooser.yaml: problems[hacked]"]
    assert hacked.kind == "practice" and "taken over" in hacked.body and "screenshots remain" in hacked.body


def test_the_course_texts_include_the_choosers_data_files():
    from coursekit.analysis.item_validity import course_texts

    notebook = REPO / "notebooks" / "01-introduction" / "01-introduction.ipynb"
    labels = {t.label for t in course_texts([notebook], REPO / "src" / "coursekit" / "topics")}
    assert "01-introduction/tool-chooser.yaml: problems[earthquake]" in labels
