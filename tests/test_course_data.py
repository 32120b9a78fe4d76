"""The course as data: an author changes a data file of a copy of the course and sees what readers see change.

Each test of the "an author changes ..." kind follows a row of README's "For authors" table: it copies the
course's data to a temporary course, edits the one file the table names, and checks the output of the function
the notebook calls (a caption, a figure's labels, a table's rows, the exercise a room plays), never the source.
The rest check that a broken file is refused with a message naming the file, the place, the fault and the fix.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.text  # noqa: E402
import pytest  # noqa: E402

from coursekit.core import course_data  # noqa: E402
from coursekit.core import settings as settings_module  # noqa: E402
from coursekit.core.course_data import CourseDataError  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A copy of the course's data (settings, topic data files, tabletop exercises) as the course in force."""
    root = tmp_path / "course"
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("*.ipynb", ".*"))
    shutil.copytree(REPO / "tabletop", root / "tabletop")
    shutil.copy(REPO / "course.toml", root)
    monkeypatch.setenv(settings_module.ENV_VAR, str(root))
    monkeypatch.chdir(tmp_path)  # not a topic folder: files are found through the course root
    settings_module.settings.cache_clear()
    yield root
    settings_module.settings.cache_clear()
    plt.close("all")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _texts(fig) -> list[str]:
    return [t.get_text().replace("\n", " ") for t in fig.findobj(matplotlib.text.Text) if t.get_visible()]


# --- rows of the author's table ---------------------------------------------------------------------------


def test_an_author_changes_a_caption(course):
    from coursekit.topics.capacity_figures import oas_cbms_table
    from coursekit.topics.milestones import milestones

    figures = course / "notebooks" / "05-capacity-building" / "figures.yaml"
    before = milestones("05-capacity-building", "chart").caption
    edit(figures, "Capacity building became an organised field", "Capacity building grew into a field")
    edit(figures, "OAS cyber confidence-building measures and steps", "The OAS measures")
    after = milestones("05-capacity-building", "chart")
    assert before.startswith("Capacity building became") and after.caption.startswith("Capacity building grew")
    assert oas_cbms_table().caption.startswith("The OAS measures")


def test_an_author_changes_a_milestone(course):
    from coursekit.topics.milestones import milestones

    figures = course / "notebooks" / "12-stability-cbms" / "figures.yaml"
    label = "OSCE Decision No. 1106: first 11 CBMs"
    assert label in _texts(milestones("12-stability-cbms", "cbm-timeline").fig)
    edit(figures, label, "OSCE PC.DEC/1106 (eleven CBMs)")  # a label
    edit(figures, "        unga-73-27: 'A/RES/73/27: first OEWG set up'\n", "")  # a milestone taken out
    texts = _texts(milestones("12-stability-cbms", "cbm-timeline").fig)
    assert "OSCE PC.DEC/1106 (eleven CBMs)" in texts and label not in texts
    assert not [t for t in texts if "first OEWG set up" in t]
    # a topic's milestones by topic number: moved to another topic, the table follows
    edit(course / "notebooks" / "05-capacity-building" / "figures.yaml", "topic: 5\n    table:", "topic: 6\n    table:")
    five = milestones("05-capacity-building", "table").frame
    six = milestones("06-cyberdefence-cybercrime", "table").frame
    assert list(five["What"]) == list(six["What"])


def test_an_author_changes_the_course_dates_and_outcomes(course):
    from coursekit.core.exercises import Choice, ExerciseDefinitionError, SingleChoice
    from coursekit.topics.milestones import milestones

    assert set(milestones("05-capacity-building", "table").frame["Timing"]) >= {"known at the course (May 2022)"}
    edit(course / "course.toml", "start = 2022-05-18", "start = 2021-11-08")
    edit(course / "course.toml", "end = 2022-05-20", "end = 2021-11-10")
    edit(course / "course.toml", 'id = "LO5"', 'id = "LO6"')
    settings_module.settings.cache_clear()
    assert "known at the course (November 2021)" in set(milestones("05-capacity-building", "table").frame["Timing"])
    with pytest.raises(ExerciseDefinitionError, match="LO5"):
        SingleChoice(id="x", prompt="?", choices=[Choice("a"), Choice("b")], mode="graded", outcomes=["LO5"])


def test_an_author_changes_the_tabletop_scenario(course):
    from coursekit.tabletop.model import course_exercises, load

    exercise = course / "tabletop" / "spring-2022.yaml"
    assert load(course_exercises()["spring-2022"]).title.startswith("Spring 2022")
    edit(exercise, 'title: "Spring 2022: the EU', 'title: "Spring 2022, retold: the EU')
    assert load(course_exercises()["spring-2022"]).title.startswith("Spring 2022, retold: the EU")
    shutil.copy(exercise, course / "tabletop" / "autumn.yaml")
    assert sorted(course_exercises()) == ["autumn", "spring-2022"]  # every file in tabletop/ is offered


def test_an_author_changes_an_options_wording_and_its_consequence(course):
    """The tool chooser's page in the book (the renderer's HTML) shows the new words."""
    from coursekit.render.book_html import exercise_html
    from coursekit.topics import tool_chooser

    chooser = course / "notebooks" / "01-introduction" / "tool-chooser.yaml"
    before = exercise_html(tool_chooser.scenario())
    assert "A diplomatic note asking the host ministry" in before
    edit(chooser, "text: A diplomatic note asking the host ministry", "text: A formal note asking the host ministry")
    edit(chooser, "meanwhile families hear nothing from you.", "meanwhile families hear nothing at all.")
    after = exercise_html(tool_chooser.scenario())
    assert "A formal note asking the host ministry" in after and "A diplomatic note asking" not in after
    assert "families hear nothing at all." in after and "hear nothing from you" not in after


def test_an_author_changes_a_chooser_pick(course):
    """Which pick is best is data: swap two worths and the best answer (and the scoring) follows."""
    from coursekit import score
    from coursekit.topics import tool_chooser

    assert tool_chooser.best_answer()[0] == ["earthquake", "online"]
    chooser = course / "notebooks" / "01-introduction" / "tool-chooser.yaml"
    text = chooser.read_text(encoding="utf-8")
    first, rest = text.split("- id: misread", 1)
    first = first.replace("worth: partial", "worth: WAS-PARTIAL").replace("worth: best", "worth: partial")
    chooser.write_text(first.replace("worth: WAS-PARTIAL", "worth: best") + "- id: misread" + rest, encoding="utf-8")
    assert tool_chooser.best_answer()[0] == ["earthquake", "note"]
    assert score(tool_chooser.scenario(), [["earthquake", "note"]]).fraction == pytest.approx(2 / 10)


def test_a_chooser_with_two_best_picks_is_refused_saying_which_problem(course):
    from coursekit.topics import forum_chooser

    chooser = course / "notebooks" / "02-environment" / "forum-chooser.yaml"
    chooser.write_text(chooser.read_text(encoding="utf-8").replace("worth: weak", "worth: best", 1), encoding="utf-8")
    with pytest.raises(CourseDataError) as err:
        forum_chooser.scenario()
    assert "forum-chooser.yaml" in str(err.value) and "problem 'domain' needs exactly one best pick" in str(err.value)


def test_an_author_changes_the_toolbox_campaign(course):
    """A response's wording and scores, and a round's title, as the simulator's summary shows them."""
    from coursekit.topics import toolbox_simulator as ts

    campaign = course / "notebooks" / "11-toolbox" / "toolbox-campaign.yaml"
    edit(campaign, "  title: Quiet intrusions\n", "  title: Quiet intrusions at the ministry\n")
    edit(
        campaign,
        "      Share technical indicators with the other Member States",
        "      Pass technical indicators to the other Member States",
    )
    edit(
        campaign,
        "in ministries.\n    scores: {proportionality: 3, unity: 3, effect: 2}",
        "in ministries.\n    scores: {proportionality: 3, unity: 3, effect: 3}",
    )
    summary = ts.start().choose("r1-share").summary_text()
    assert "Round 1, Quiet intrusions at the ministry: Preventive measures: Pass technical indicators" in summary
    assert "Scores: proportionality 3 of 3, unity 3 of 3, effect 3 of 3." in summary
    assert "Running total: 9 points" in summary


def test_an_author_changes_the_toolbox_debrief(course):
    from coursekit.topics import toolbox_simulator as ts

    campaign = course / "notebooks" / "11-toolbox" / "toolbox-campaign.yaml"
    edit(campaign, "You escalated before attribution in: {rounds}.", "Escalation came before attribution in: {rounds}.")
    lines = ts.replay(["r1-listings", "r2-listings"]).debrief()
    assert any(line.startswith("Escalation came before attribution in: Quiet intrusions") for line in lines)
    edit(campaign, "in: {rounds}.", "in: {round_titles}.")
    with pytest.raises(CourseDataError, match=r"debrief.escalated_before_attribution: it may use only \{rounds\}"):
        ts.default_campaign()


def test_an_unknown_evidence_level_is_refused_with_its_line(course):
    from coursekit.topics import toolbox_simulator as ts

    campaign = course / "notebooks" / "11-toolbox" / "toolbox-campaign.yaml"
    edit(campaign, "  title: Quiet intrusions\n  evidence: low", "  title: Quiet intrusions\n  evidence: rumoured")
    with pytest.raises(CourseDataError) as err:
        ts.default_campaign()
    message = str(err.value)
    line = next(n for n, t in enumerate(campaign.read_text().splitlines(), 1) if "evidence: rumoured" in t)
    assert f"rounds[0].evidence (line {line}): 'rumoured' is not one of" in message
    assert "choose one of low, moderate, attributed" in message


def test_an_author_changes_the_framing_cues(course):
    """A new cue word is found in a statement, in JupyterLab's reading and in the book's page data."""
    from coursekit.topics import framing

    lexicon = course / "notebooks" / "02-environment" / "framing-cues.yaml"
    statement = "We favour a rules-based digital order."
    assert framing.describe(statement).startswith("No cue words")
    edit(lexicon, "  - one state, one vote\n", "  - one state, one vote\n  - rules-based digital order\n")
    assert "'rules-based digital order'" in framing.describe(statement)
    assert "rules-based digital order" in framing.FramingExplorer().book_html()


def test_an_author_changes_the_cascade_scenario(course):
    """A longer buffer delays a failure, and the explorer's worked example in the book starts elsewhere."""
    from coursekit.topics import cascade

    network = course / "notebooks" / "09-critical-infrastructure" / "cascade-network.yaml"
    before = {f.sector: f.fails_at_hours for f in cascade.simulate(cascade.teaching_network(), "Electricity (A)", 30)}
    assert before["Telecommunications (A)"] == 4
    edit(network, "needs: Electricity (A), hours: 4,", "needs: Electricity (A), hours: 10,")
    edit(
        network,
        "explorer_start: {sector: Electricity (A), hours: 30}",
        "explorer_start: {sector: Hospitals (A), hours: 12}",
    )
    after = {f.sector: f.fails_at_hours for f in cascade.simulate(cascade.teaching_network(), "Electricity (A)", 30)}
    assert after["Telecommunications (A)"] == 10
    assert "Hospitals (A) failing first, an outage of 12 hours" in cascade.explorer().book_html()


def test_a_dependency_on_an_unknown_sector_is_refused_naming_it(course):
    from coursekit.topics import cascade

    network = course / "notebooks" / "09-critical-infrastructure" / "cascade-network.yaml"
    edit(
        network,
        "{sector: Hospitals (A), needs: Drinking water (A),",
        "{sector: Hospitals (A), needs: Drinking water (Z),",
    )
    with pytest.raises(CourseDataError) as err:
        cascade.teaching_network()
    assert "cascade-network.yaml" in str(err.value) and "unknown sector 'Drinking water (Z)'" in str(err.value)


def test_an_author_changes_the_strategy_builders_choices(course):
    """A reworded tool is a checkbox of the form; a partner's kind changes the builder's advice."""
    from coursekit.topics import strategy_builder as sb

    builder = course / "notebooks" / "12-stability-cbms" / "strategy-builder.yaml"
    edit(builder, "- Training of diplomats in cyber issues\n", "- Training of diplomats and attachés in cyber issues\n")
    tools = next(f for f in sb.form().fields if f.name == "tools")
    assert "Training of diplomats and attachés in cyber issues" in tools.options
    assert "Training of diplomats in cyber issues" not in tools.options
    draft = sb.StrategyDraft(partners=["NATO Allies", "Private sector"])
    assert any("No UN or regional organisation" in t for t in sb.advice(draft))
    edit(builder, "- name: NATO Allies\n", "- name: NATO Allies\n  kind: multilateral\n")
    assert not any("No UN or regional organisation" in t for t in sb.advice(draft))


# --- broken files are refused, saying where and what ------------------------------------------------------


def _problems(course: Path, old: str, new: str) -> str:
    from coursekit.topics.milestones import milestones

    edit(course / "notebooks" / "05-capacity-building" / "figures.yaml", old, new)
    with pytest.raises(CourseDataError) as err:
        milestones("05-capacity-building", "chart")
    return str(err.value)


def test_a_wrong_type_names_the_file_the_place_its_line_and_the_fix(course):
    message = _problems(course, "title: Capacity-building milestones (course data set, topic 5)", "title: 5")
    lines = (course / "notebooks" / "05-capacity-building" / "figures.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "title: 5")
    assert "notebooks/05-capacity-building/figures.yaml" in message
    assert f"milestones.chart.chart.title (line {line}): 5 is not of type 'string'; write text there" in message


def test_a_misspelt_key_and_a_missing_one_are_named(course):
    message = _problems(
        course, "      labels: symbol-and-title\n      alt:", "      label: symbol-and-title\n      alt:"
    )
    assert "'label' was unexpected" in message and "remove the key or correct its spelling" in message
    assert "'labels' is a required property" in message and "add the missing key" in message


def test_an_unknown_value_in_a_text_is_named_with_the_values_it_may_use(course):
    message = _problems(course, "the work went on after the course.", "the work went on after {course}.")
    assert "milestones.chart.chart.caption: {course} is not a value this text can use" in message
    assert "{count}" in message and "{{" in message


def test_bad_yaml_gives_its_line_and_anchors_are_refused(course):
    message = _problems(course, "    select:\n      topic: 5\n    chart:", "    select:\n      topic: [5\n    chart:")
    assert "not valid YAML" in message and "line " in message
    figures = course / "notebooks" / "05-capacity-building" / "figures.yaml"
    figures.write_text("milestones: &a\n  chart: *a\n", encoding="utf-8")
    with pytest.raises(CourseDataError, match="anchors and aliases"):
        course_data.load("05-capacity-building", "figures.yaml", {})


def test_a_missing_file_says_where_it_was_looked_for(course):
    from coursekit.topics.milestones import milestones

    (course / "notebooks" / "05-capacity-building" / "figures.yaml").unlink()
    with pytest.raises(CourseDataError) as err:
        milestones("05-capacity-building", "chart")
    assert str(course / "notebooks" / "05-capacity-building") in str(err.value) and "restore it" in str(err.value)


def test_the_file_beside_the_notebook_wins(course, monkeypatch):
    """A participant's fetched assignment has no course root above it: the file in the notebook's folder is read."""
    from coursekit.topics.milestones import milestones

    folder = course.parent / "home" / "05-capacity-building"
    folder.mkdir(parents=True)
    shutil.copy(course / "notebooks" / "05-capacity-building" / "figures.yaml", folder)
    edit(folder / "figures.yaml", "Capacity building became an organised field", "Beside the notebook")
    monkeypatch.chdir(folder)
    assert milestones("05-capacity-building", "chart").caption.startswith("Beside the notebook")


def test_the_books_stamp_follows_the_course_data(course):
    """The book re-runs a topic's notebook when its data change (jupyter-cache sees only the notebook's code)."""
    from coursekit.book.build import library_stamp

    before = library_stamp(course)
    edit(course / "notebooks" / "11-toolbox" / "figures.yaml", "Twelve listings in 2020", "12 listings in 2020")
    assert library_stamp(course) != before
    edit(course / "course.toml", "end = 2022-05-20", "end = 2022-05-21")
    changed = library_stamp(course)
    assert changed != before and library_stamp(course) == changed  # and it is stable


def test_the_tabletop_reads_the_course_dates(course):
    """A fact dated after the course must be marked an update: 'after' is the course's own end date."""
    from coursekit.tabletop.model import ExerciseError, course_exercises, load

    load(course_exercises()["spring-2022"])
    edit(course / "course.toml", "start = 2022-05-18", "start = 2022-01-10")
    edit(course / "course.toml", "end = 2022-05-20", "end = 2022-01-12")
    settings_module.settings.cache_clear()
    with pytest.raises(ExerciseError, match="after the course: add after_course: true"):
        load(course_exercises()["spring-2022"])


def test_coursekit_content_checks_every_file_and_names_the_bad_one(course, capsys):
    from coursekit.cli import main

    assert main(["content"]) == 0
    assert "0 with problems" in capsys.readouterr().out
    edit(
        course / "notebooks" / "11-toolbox" / "toolbox-campaign.yaml",
        "r1-share\n    category: preventive",
        "r1-share\n    category: preventative",
    )
    (course / "notebooks" / "11-toolbox" / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    assert main(["content"]) == 1
    out = capsys.readouterr().out
    assert "BAD notebooks/11-toolbox/toolbox-campaign.yaml" in out and "'preventative' is not one of" in out
    assert "BAD notebooks/11-toolbox/notes.yaml" in out and "not a content file coursekit reads" in out
    assert "ok  tabletop/spring-2022.yaml" in out and "2 with problems" in out


def test_a_hostile_file_gives_a_message_not_a_crash(course):
    """A participant can edit the copy beside their notebook: deep nesting, a huge file or bad bytes read as notes."""
    figures = course / "notebooks" / "05-capacity-building" / "figures.yaml"
    for text, said in [
        (b"a: " + b"[" * 400_000 + b"]" * 400_000, "line 1: brackets nested more than 100 deep"),
        (b"a:\n" + b"".join(b" " * n + b"b:\n" for n in range(1, 300)), "indented more than 200 spaces"),
        (b"a: '" + b"x" * (course_data.MAX_BYTES + 1) + b"'", "larger than"),
        (b"a: '\xff\xfe'", "is not UTF-8"),
    ]:
        figures.write_bytes(text)
        with pytest.raises(CourseDataError, match=said):
            course_data.load("05-capacity-building", "figures.yaml", {})
