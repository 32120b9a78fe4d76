"""The capstone's strategy log (read from sibling topic folders) and the structural checks on the strategy."""

from __future__ import annotations

from pathlib import Path

from coursekit.core.store import ANSWERS_FILENAME, AnswerStore
from coursekit.topics import strategy_portfolio as sp


def _answers(folder: Path, **answers: object) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    store = AnswerStore(folder / ANSWERS_FILENAME, read_only=False)
    for exercise_id, value in answers.items():
        store.save(exercise_id.replace("_", "-"), value)


def test_log_entries_come_from_every_sibling_topic_in_topic_order(tmp_path: Path):
    _answers(tmp_path / "07-norms", strategy_log_07="Push norm (h) in our region.", t07_x="ignored")
    _answers(tmp_path / "02-environment", strategy_log_02="The GAC matters most for us.")
    _answers(tmp_path / "12-stability-cbms", strategy_log_12="Test our point of contact.")
    (tmp_path / "05-capacity-building").mkdir()  # a topic not done yet: no answers file
    entries = sp.log_entries(tmp_path / "12-stability-cbms")
    assert [(e.topic, e.folder) for e in entries] == [(2, "02-environment"), (7, "07-norms"), (12, "12-stability-cbms")]
    assert entries[0].text == "The GAC matters most for us."


def test_blank_entries_damaged_files_and_other_ids_are_left_out(tmp_path: Path):
    _answers(tmp_path / "03-threats", strategy_log_03="   ")
    _answers(tmp_path / "04-law", strategy_log_4="wrong id shape", strategy_log_04=["not", "text"])
    (tmp_path / "06-crime").mkdir()
    (tmp_path / "06-crime" / ANSWERS_FILENAME).write_text("{not json", encoding="utf-8")
    assert sp.log_entries(tmp_path / "12-x") == []


def test_log_markdown_lists_entries_or_says_there_are_none(tmp_path: Path):
    assert "No strategy-log entries" in sp.log_markdown([])
    text = sp.log_markdown([sp.LogEntry(2, "02-environment", "Line one\nline two", "t")])
    assert "**Topic 2** (02-environment):" in text
    assert "> Line one\n> line two" in text


def _strategy(**words: int) -> str:
    return "\n".join(f"{name.capitalize()}: " + " ".join(["word"] * n) for name, n in words.items())


def test_a_complete_plan_has_no_structural_problems():
    text = _strategy(tools=40, resources=15, risks=20, communication=15, success=20)
    assert sp.structure_problems(text, sp.PLAN_SECTIONS) == []
    assert sp.structure_report(text, sp.PLAN_SECTIONS).startswith("Structure complete")


def test_missing_and_short_sections_are_named():
    text = _strategy(tools=40, resources=3, communication=15, success=20)
    problems = sp.structure_problems(text, sp.PLAN_SECTIONS)
    assert "Add a section that starts with 'Risks:'." in problems
    assert "The 'Resources' section has 3 words; write at least 15." in problems
    assert len(problems) == 2
    assert "has 1 word;" in sp.structure_problems("Resources: one", sp.PLAN_SECTIONS)[1]


def test_headings_may_be_marked_up_and_aliases_count():
    text = "## Situation analysis:\n" + "word " * 40 + "\n**Objectives:** " + "word " * 39 + "\nmore"
    parts = sp.split_sections(text, sp.ANALYSIS_SECTIONS)
    assert set(parts) == {"situation", "objectives"}
    assert sp.structure_problems(text, sp.ANALYSIS_SECTIONS) == []


def test_a_word_like_a_heading_inside_a_sentence_is_not_a_heading():
    text = "Situation: " + "word " * 40 + "\nOur objectives are many: " + "word " * 50
    assert sp.structure_problems(text, sp.ANALYSIS_SECTIONS) == ["Add a section that starts with 'Objectives:'."]


def test_empty_text_is_reported_once():
    assert sp.structure_problems("", sp.ANALYSIS_SECTIONS) == ["Nothing written yet."]
    assert sp.structure_report(None, sp.ANALYSIS_SECTIONS) == "Not complete yet:\n- Nothing written yet."


def test_template_gives_every_heading():
    assert sp.template(sp.ANALYSIS_SECTIONS) == "Situation: ...\nObjectives: ..."
    assert sp.split_sections(sp.template(sp.PLAN_SECTIONS), sp.PLAN_SECTIONS).keys() == {
        s.key for s in sp.PLAN_SECTIONS
    }
