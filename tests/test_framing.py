"""Tests for coursekit.topics.framing: the vocabulary cues of competing visions of cyberspace."""

from __future__ import annotations

import pytest

from coursekit.topics import framing


def test_every_cue_belongs_to_a_known_vision_and_is_lower_case() -> None:
    assert set(framing.cues()) == set(framing.visions())
    for cues in framing.cues().values():
        assert cues, "each vision needs cues"
        for cue in cues:
            assert cue == cue.lower().strip()


def test_no_cue_points_to_two_visions() -> None:
    seen: dict[str, str] = {}
    for vision, cues in framing.cues().items():
        for cue in cues:
            assert cue not in seen, f"{cue!r} is listed under {seen[cue]!r} and {vision!r}"
            seen[cue] = vision


def test_information_security_is_read_as_the_sovereignty_framing() -> None:
    cues = framing.framing_cues("We call for a treaty on international information security.")
    assert cues["sovereignty"] == ["information security"]
    assert cues["open"] == []


def test_cybersecurity_is_not_mistaken_for_information_security() -> None:
    cues = framing.framing_cues("Cybersecurity is a shared responsibility.")
    assert cues["open"] == ["cybersecurity"]
    assert cues["sovereignty"] == []


def test_longest_cue_wins_so_technological_sovereignty_is_not_counted_as_sovereignty() -> None:
    cues = framing.framing_cues("Europe needs technological sovereignty.")
    assert cues["open"] == ["technological sovereignty"]
    assert cues["sovereignty"] == []


def test_plain_sovereignty_still_counts() -> None:
    assert framing.framing_cues("Each State has sovereignty over its networks.")["sovereignty"] == ["sovereignty"]


def test_matching_is_case_insensitive_and_on_whole_words_only() -> None:
    assert framing.framing_cues("OPEN and Interoperable")["open"] == ["open", "interoperable"]
    # "reopened" contains "open" but is not the word "open"
    assert framing.framing_cues("The talks reopened.")["open"] == []


def test_cues_are_returned_in_text_order() -> None:
    matches = framing.find_cues("Human rights online, and the digital divide, and the information space.")
    assert [m.cue for m in matches] == ["human rights", "digital divide", "information space"]
    assert [m.vision for m in matches] == ["open", "development", "sovereignty"]


def test_leaning_needs_a_strict_majority() -> None:
    assert framing.leaning("An open, interoperable internet.") == "open"
    assert framing.leaning("Open internet, sovereign information space.") == "sovereignty"  # 1 vs 2
    assert framing.leaning("An open internet and the information space.") is None  # 1 vs 1
    assert framing.leaning("The weather is fine.") is None


def test_describe_speaks_in_words_and_warns_it_is_not_proof() -> None:
    assert framing.describe("   ") == "Type or paste a sentence first."
    text = framing.describe("The digital divide must close first.")
    assert "Development first" in text and "not proof" in text
    assert "No cue words" in framing.describe("The weather is fine.")


def test_custom_lexicon_is_used_when_given() -> None:
    matches = framing.find_cues("alpha beta", cues={"x": ("alpha",), "y": ("beta",)})
    assert [(m.vision, m.cue) for m in matches] == [("x", "alpha"), ("y", "beta")]


def test_cue_table_has_one_row_per_vision() -> None:
    pytest.importorskip("pandas")
    table = framing.cue_table()
    assert len(table) == len(framing.visions())
    assert "information security" in table.iloc[1, 1]


def test_explorer_builds_headless_and_answers_in_words() -> None:
    explorer = framing.framing_explorer()
    spec = explorer.widget.form
    assert spec["fields"][0]["label"] == "Statement:" and spec["buttons"][0]["label"] == "Find cue words"
    assert explorer.widget.result["html"] == ""  # nothing said before the participant asks
    explorer.find("Protect the information space from interference in internal affairs.")
    result = explorer.widget.result["html"]
    assert "information space" in result and "internal affairs" in result
    explorer.find("   ")
    assert explorer.widget.result["html"] == "<p>Type or paste a sentence first.</p>"
