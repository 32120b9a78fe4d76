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
    headings = {s.key: s.heading for s in sp.STRATEGY_SECTIONS}
    return "\n".join(f"{headings[key]}: " + " ".join(["word"] * n) for key, n in words.items())


COMPLETE = {"country": 1, "situation": 25, "priorities": 25, "tools": 25, "digital": 10, "resources": 10, "success": 10}


def test_a_complete_strategy_has_no_structural_problems_and_says_it_earns_nothing():
    text = _strategy(**COMPLETE)
    assert sp.structure_problems(text, sp.STRATEGY_SECTIONS) == []
    report = sp.structure_report(text, sp.STRATEGY_SECTIONS)
    assert report.startswith("Checklist complete")
    assert "earns no points" in report


def test_missing_and_short_sections_are_named():
    words = dict(COMPLETE, resources=3)
    del words["digital"]
    problems = sp.structure_problems(_strategy(**words), sp.STRATEGY_SECTIONS)
    assert "Add a section that starts with 'Digital diplomacy:'." in problems
    assert "The 'Resources and risks' section has 3 words; write at least 10." in problems
    assert len(problems) == 2
    assert "has 1 word;" in sp.structure_problems("Situation: one", sp.STRATEGY_SECTIONS)[1]


def test_headings_may_be_marked_up_and_aliases_count():
    text = (
        "Country: Romania\n## Situation analysis:\n" + "word " * 25 + "\n**Objectives:** " + "word " * 24 + "\nmore\n"
        "3. Tools: "
        + "word " * 25
        + "\n- Digital: "
        + "word " * 10
        + "\nRisks: "
        + "word " * 10
        + "\nIndicators. "
        + "word " * 10
    )
    parts = sp.split_sections(text, sp.STRATEGY_SECTIONS)
    assert set(parts) == {s.key for s in sp.STRATEGY_SECTIONS}
    assert parts["country"] == "Romania"
    assert sp.structure_problems(text, sp.STRATEGY_SECTIONS) == []


def test_a_word_like_a_heading_inside_a_sentence_is_not_a_heading():
    words = dict(COMPLETE)
    del words["priorities"]
    text = _strategy(**words) + "\nOur priorities are many: " + "word " * 50
    assert sp.structure_problems(text, sp.STRATEGY_SECTIONS) == ["Add a section that starts with 'Priorities:'."]


def test_empty_text_is_reported_once():
    assert sp.structure_problems("", sp.STRATEGY_SECTIONS) == ["Nothing written yet."]
    assert sp.structure_report(None, sp.STRATEGY_SECTIONS).endswith(":\n- Nothing written yet.")


def test_template_gives_every_heading():
    assert sp.template(sp.STRATEGY_SECTIONS).splitlines()[:2] == ["Country: ...", "Situation: ..."]
    assert sp.split_sections(sp.template(sp.STRATEGY_SECTIONS), sp.STRATEGY_SECTIONS).keys() == {
        s.key for s in sp.STRATEGY_SECTIONS
    }


def test_the_capstone_uses_these_sections_and_its_model_answer_passes_the_checklist():
    """The notebook's one graded strategy, its check cell and the model answer in its hidden test fit together."""

    from coursekit.grading.hidden_tests import load_plan

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "12-stability-cbms" / "12-stability-cbms.ipynb"
    plan = load_plan(notebook)
    graded_texts = [i for i in plan.graded_ids if plan.all_exercises[i].kind == "short-text"]
    assert graded_texts == ["t12-strategy"]  # one graded written product in the topic
    assert sp.structure_problems(plan.hidden["t12-strategy"].model_answer, sp.STRATEGY_SECTIONS) == []
    rubric = plan.all_exercises["t12-strategy"].rubric
    assert not any("structure" in c.criterion.lower() or "length" in c.criterion.lower() for c in rubric)


def test_the_cell_after_the_capstone_checks_the_strategy_the_participant_saved(capsys):
    """Run as the participant does: the code cell after the graded strategy reads the saved strategy and says
    it is complete (the model answer) or what a draft still lacks."""
    import nbformat

    from coursekit.core.store import get_store
    from coursekit.grading.hidden_tests import load_plan

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "12-stability-cbms" / "12-stability-cbms.ipynb"
    cells = nbformat.read(notebook, as_version=4).cells
    at = next(n for n, c in enumerate(cells) if c.cell_type == "code" and 'id="t12-strategy"' in c.source)
    check = next(c for c in cells[at + 1 :] if c.cell_type == "code" and "BEGIN HIDDEN TESTS" not in c.source)
    store = get_store()  # this test's own answers file (tests/conftest.py)
    reports = []
    for saved in (load_plan(notebook).hidden["t12-strategy"].model_answer, "Country: Romania, as of May 2022."):
        store.save("t12-strategy", saved)
        exec(check.source, {"strategy_portfolio": sp})
        reports.append(capsys.readouterr().out)
    assert reports[0].startswith("Checklist complete")
    assert reports[1].startswith("Not complete yet") and "Add a section that starts with 'Situation:'" in reports[1]
