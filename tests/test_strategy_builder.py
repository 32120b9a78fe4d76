"""The strategy builder: validation, advice, the Markdown summary, saving, restoring and exporting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursekit.topics import strategy_builder as sb
from coursekit.topics.strategy_builder import StrategyDraft


def complete() -> StrategyDraft:
    return StrategyDraft(
        title="Cyber diplomacy strategy of Member State A, 2025-2030",
        foreign_policy_goal="A secure neighbourhood and a rules-based international order.",
        objectives=["Promote the UN framework of responsible State behaviour", "Build partners' capacity"],
        tools=[sb.choices().tools[0], sb.choices().tools[4]],
        partners=[sb.choices().partners[0], sb.choices().partners[5]],
        indicators=["Statements delivered at each OEWG session", "3 capacity-building projects by 2027"],
    )


def test_a_complete_outline_has_no_problems():
    assert sb.validate(complete()) == []


def test_an_empty_outline_names_every_missing_part():
    problems = sb.validate(StrategyDraft())
    text = " ".join(problems)
    assert len(problems) == 6
    for word in ("title", "foreign policy objective", "objectives", "tools", "partners", "indicator"):
        assert word in text


def test_counts_are_reported():
    draft = complete()
    draft.objectives = ["Only one"]
    draft.tools = [sb.choices().tools[1]]
    problems = sb.validate(draft)
    assert "List at least 2 objectives, one per line (you have 1)." in problems
    assert "Choose at least 2 tools (you have 1)." in problems


def test_too_many_objectives_break_the_one_page_rule():
    draft = complete()
    draft.objectives = [f"Objective {n}" for n in range(6)]
    draft.indicators = [f"Indicator {n} by 2030" for n in range(6)]
    assert any("at most 5 objectives" in p for p in sb.validate(draft))


def test_each_objective_needs_an_indicator():
    draft = complete()
    draft.indicators = ["One indicator by 2027"]
    assert any("2 objectives but only 1 indicator" in p for p in sb.validate(draft))


def test_overlong_lines_are_flagged():
    draft = complete()
    draft.objectives[0] = "x" * (sb.MAX_TEXT + 1)
    assert any("Shorten the objectives" in p for p in sb.validate(draft))


def test_advice_points_at_vague_indicators_and_missing_partners():
    draft = complete()
    draft.indicators = ["Better cooperation", "More trust"]
    draft.partners = ["NATO Allies", "Neighbouring States"]
    tips = " ".join(sb.advice(draft))
    assert "'Better cooperation'" in tips and "'More trust'" in tips
    assert "No UN or regional organisation" in tips
    assert "No non-governmental or technical partner" in tips
    assert sb.advice(StrategyDraft()) == []


def test_measurable_indicators_need_no_advice():
    draft = complete()
    draft.partners = [sb.choices().partners[5], "Private sector"]
    assert sb.advice(draft) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("- one\n* two\n\n  3. three\n• four\n1) five", ["one", "two", "three", "four", "five"]),
        ("", []),
        ("   \n\n", []),
    ],
)
def test_lines_of(text, expected):
    assert sb.lines_of(text) == expected


def test_markdown_summary_has_each_section_in_order():
    text = sb.to_markdown(complete())
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Cyber diplomacy strategy of Member State A, 2025-2030",
        "## Foreign policy objective served",
        "## Objectives",
        "## Tools",
        "## Partners",
        "## Indicators of progress",
    ]
    assert "1. Promote the UN framework of responsible State behaviour" in text
    assert "- 3 capacity-building projects by 2027" in text
    assert "Still missing" not in text


def test_markdown_of_an_incomplete_outline_lists_what_is_missing():
    text = sb.to_markdown(StrategyDraft(title="Draft"))
    assert "## Still missing" in text
    assert "Choose at least 2 tools (you have 0)." in text


def test_json_round_trip_and_bad_values():
    draft = complete()
    again = StrategyDraft.from_json(json.loads(json.dumps(draft.to_json())))
    assert again == draft
    for bad in ([], {"title": 3}, {"tools": "one"}, {"objectives": [1]}):
        with pytest.raises(ValueError):
            StrategyDraft.from_json(bad)


def test_export_writes_the_summary(tmp_path: Path):
    folder = tmp_path / "export"
    folder.mkdir()
    path = sb.export_markdown(complete(), folder)
    assert path == folder / "strategy_summary.md"
    assert path.read_text(encoding="utf-8") == sb.to_markdown(complete())
    assert [p.name for p in folder.iterdir()] == ["strategy_summary.md"]  # no temporary file left behind


# -- the widget -----------------------------------------------------------------------------------------


def test_builder_builds_headless_and_writes_nothing(_isolated_answers: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    builder = sb.StrategyBuilder()
    fields = builder.widget.form["fields"]
    assert fields[0]["label"] == "Strategy title:" and all(f["label"] for f in fields)
    assert [f["kind"] for f in fields] == ["text", "textarea", "textarea", "checkboxes", "checkboxes", "textarea"]
    assert not _isolated_answers.exists()
    assert not (tmp_path / "strategy_summary.md").exists()
    assert "Open this notebook in JupyterLab" in builder._repr_mimebundle_()["text/plain"]
    assert builder.widget.result["html"] == ""  # nothing said before a button is pressed


def test_builder_saves_on_change_and_survives_a_restart(_isolated_answers: Path):
    from coursekit.core import store

    builder = sb.StrategyBuilder()
    values = {
        **builder.widget.values,
        "title": "My strategy",
        "tools": [sb.choices().tools[3], sb.choices().tools[2]],
        "objectives": "- First\n- Second",
    }
    builder.widget.request = {"values": values, "button": None, "seq": 1}  # a change, as the page sends it
    saved = json.loads(_isolated_answers.read_text())["answers"][sb.STORE_ID]["value"]
    assert saved["title"] == "My strategy"
    assert saved["tools"] == [sb.choices().tools[2], sb.choices().tools[3]]  # in the list's order
    assert saved["objectives"] == ["First", "Second"]
    assert set(saved) == {"title", "foreign_policy_goal", "objectives", "tools", "partners", "indicators"}
    store._STORES.clear()  # a restarted kernel
    again = sb.StrategyBuilder()
    assert again.draft() == StrategyDraft.from_json(saved)
    assert again.widget.saved_at and again.widget.notice == ""


def test_builder_check_reports_missing_parts_then_complete():
    builder = sb.StrategyBuilder()
    problems = builder.check()
    assert len(problems) == 6 and "Not complete yet: 6" in builder.widget.result["html"]
    builder.fill(complete())
    assert "Not complete yet: 6" in builder.widget.result["html"]  # typing keeps what Check said
    assert builder.check() == []
    assert "Complete" in builder.widget.result["html"]


def test_summary_button_shows_the_markdown_escaped():
    builder = sb.StrategyBuilder()
    draft = complete()
    draft.title = "<b>Ours</b> & theirs"
    builder.fill(draft)
    assert builder.show_summary() == sb.to_markdown(builder.draft())
    assert "&lt;b&gt;Ours&lt;/b&gt; &amp; theirs" in builder.widget.result["html"]


def test_export_button_writes_the_file(tmp_path: Path):
    builder = sb.StrategyBuilder(export_folder=tmp_path)
    builder.fill(complete())
    builder.widget.submit(builder.widget.values, "export")  # the button
    assert (tmp_path / "strategy_summary.md").read_text(encoding="utf-8") == sb.to_markdown(complete())
    assert "Exported to strategy_summary.md" in builder.widget.result["html"]
    assert builder.export() == tmp_path / "strategy_summary.md"


def test_builder_is_read_only_while_grading(monkeypatch, _isolated_answers: Path):
    from coursekit.core import store

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    store._STORES.clear()
    builder = sb.StrategyBuilder()
    builder.widget.submit({**builder.widget.values, "title": "Something"})
    assert not _isolated_answers.exists()
    assert "Read-only" in builder.widget.notice


def test_builder_survives_an_unreadable_saved_outline():
    from coursekit.core.store import get_store

    get_store().save(sb.STORE_ID, ["not", "a", "draft"])
    builder = sb.StrategyBuilder()
    assert builder.draft().is_empty()
    assert "no longer fit" in builder.widget.notice
